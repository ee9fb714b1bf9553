"""The definitions JSON: a revision's definitions as one documented, versioned document.

    {
      "format": "accord-definitions",       # always this string
      "format_version": 1,                  # bumped on incompatible change
      "revision": {...},                    # label, status, hash, signatures: informative,
                                            # ignored on import
      "definitions": {...}                  # the `Definitions` document
    }

The JSON Schema is generated from the classes in `models.definitions` and committed as
`resources/definitions.schema.json` (a test keeps it current). The content hash of a
revision is the SHA-256 of the canonical JSON of `definitions` alone: keys sorted, no
insignificant white space, UTF-8.

`parse_definitions` validates a document and reports every error at once, each with its
JSON path (`$.definitions.rules[2].minimum: ...`), both structural errors and the rules
the schema cannot express (a `between` rule needs both bounds, names are unique, ...).
Whatever the input, it answers with a DefinitionsError, never another exception: a document
over MAX_DOCUMENT_BYTES, nested deeper than MAX_DEPTH, not UTF-8, or holding a number too
long to read is one issue at `$`. Values beyond the definitions' limits (models/definitions.py)
are refused there with their path; `check_definitions` flags them in definitions read back
from a file written before the limits existed.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic import Field as PField

from models.definitions import (
    COLLECTIONS,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_ITEMS,
    OBJECTS,
    OPERATOR_OPERANDS,
    Definitions,
    Limit,
    Operator,
    RuleKind,
    ScoringRule,
    field_limits,
    limit_problems,
)
from models.steps import STEP_KEYS

SCHEMA_ID = "https://accord.example/schemas/definitions-1.json"
# A document is read whole and validated in memory: these bound what that costs. The largest
# real workshop's document is a few hundred kB, and the schema nests 6 levels deep.
MAX_DOCUMENT_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32


class SignatureBlock(BaseModel):
    model_config = ConfigDict(extra="forbid")
    signer: str
    role: str = ""
    signed_at: str
    statement: str = ""
    content_hash: str
    valid: bool = PField(True, description="Whether the signature is of the current definitions.")


class RevisionBlock(BaseModel):
    """Where the definitions came from; informative only, ignored on import."""

    model_config = ConfigDict(extra="forbid")
    label: str = ""
    status: Literal["draft", "signed"] = "draft"
    created_at: str | None = None
    signed_at: str | None = None
    content_hash: str | None = PField(None, description="SHA-256 of the canonical definitions JSON.")
    signatures: list[SignatureBlock] = PField(default_factory=list)
    signature_matches: bool | None = PField(
        None,
        description="Signed revisions: whether the stored definitions still hash to content_hash "
        "(false: they were changed outside Accord after signing).",
    )


class DefinitionsDocument(BaseModel):
    """An Accord definitions document: at most 8 MiB of UTF-8 JSON, nested at most 32 levels deep."""

    model_config = ConfigDict(extra="forbid", title="Accord definitions")
    format: Literal["accord-definitions"] = FORMAT_NAME
    format_version: Literal[1] = FORMAT_VERSION
    revision: RevisionBlock | None = None
    definitions: Definitions
    threshold_check: dict[str, Any] | None = PField(
        None,
        description="Informative, ignored on import: the threshold check of the revision's leads at "
        "its threshold, as `accord check --json` prints it (figures, recommended threshold, "
        "bands, rule diagnostics).",
    )


@dataclass(frozen=True)
class JsonIssue:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DefinitionsError(ValueError):
    """A definitions document is invalid; `issues` lists every problem with its JSON path."""

    def __init__(self, source: str, issues: list[JsonIssue]) -> None:
        self.source = source
        self.issues = issues
        lines = "\n".join(f"  {i}" for i in issues)
        super().__init__(f"{source}: {len(issues)} problem{'s' if len(issues) != 1 else ''} found\n{lines}")


# Fields added after revisions could first be signed: left out of the canonical JSON while
# they hold their default, so the hash of a revision signed before they existed still matches.
LATER_FIELDS: tuple[tuple[str, str], ...] = (("scoring", "history_weeks"),)


def canonical_json(defs: Definitions) -> bytes:
    data = defs.model_dump(mode="json")
    for section, name in LATER_FIELDS:
        if data[section].get(name) is None:
            data[section].pop(name, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def content_hash(defs: Definitions) -> str:
    """SHA-256 (hex) of the canonical definitions JSON: what a signature vouches for."""
    return hashlib.sha256(canonical_json(defs)).hexdigest()


def schema() -> dict[str, Any]:
    doc = DefinitionsDocument.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **doc}


def schema_path() -> Path:
    return Path(__file__).resolve().parent.parent / "resources" / "definitions.schema.json"


def schema_text() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def to_document(
    defs: Definitions, revision: RevisionBlock | None = None, threshold_check: dict[str, Any] | None = None
) -> dict[str, Any]:
    doc = DefinitionsDocument(revision=revision, definitions=defs, threshold_check=threshold_check)
    data = doc.model_dump(mode="json", exclude_none=False)
    if threshold_check is None:
        data.pop("threshold_check")  # absent rather than null: documents stay as they were
    return data


def dumps(
    defs: Definitions, revision: RevisionBlock | None = None, threshold_check: dict[str, Any] | None = None
) -> str:
    return (
        json.dumps(to_document(defs, revision, threshold_check), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    )


def _path(loc: tuple[Any, ...]) -> str:
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_definitions(text: str | bytes, source: str = "definitions") -> Definitions:
    """Parse and validate a definitions document (text, or the bytes of a UTF-8 file, a BOM
    allowed); raise DefinitionsError listing every issue."""
    raw = _read_json(text, source)
    if not isinstance(raw, dict):
        raise DefinitionsError(source, [JsonIssue("$", "expected a JSON object")])
    if raw.get("format") != FORMAT_NAME:
        raise DefinitionsError(
            source, [JsonIssue("$.format", f'expected "{FORMAT_NAME}": this is not an Accord definitions document')]
        )
    version = raw.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise DefinitionsError(
            source,
            [JsonIssue("$.format_version", f"version {version} is newer than this Accord reads ({FORMAT_VERSION})")],
        )
    oversized = _oversized(raw.get("definitions"))
    if oversized:  # said at once: validating a million items first would take minutes
        raise DefinitionsError(source, oversized)
    try:
        doc = DefinitionsDocument.model_validate(raw)
    except ValidationError as exc:
        issues = [JsonIssue(_path(tuple(e["loc"])), e["msg"]) for e in exc.errors()]
        issues += _checks_despite(raw.get("definitions"), exc)
        raise DefinitionsError(source, issues) from exc
    issues = check_definitions(doc.definitions)
    if issues:
        raise DefinitionsError(source, issues)
    return doc.definitions


def read_definitions_file(path: Path) -> Definitions:
    """The definitions document in the file `path`, read no further than the size limit (a
    file of gigabytes is refused without being loaded); DefinitionsError as parse_definitions,
    OSError when the file cannot be read."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_DOCUMENT_BYTES + 1)
    return parse_definitions(data, path.name)


def _read_json(text: str | bytes, source: str) -> Any:
    """The JSON value of a document, or a DefinitionsError with one issue at `$` saying why
    it cannot be read: too large, not UTF-8, not JSON, nested too deep."""

    def refuse(message: str) -> DefinitionsError:
        return DefinitionsError(source, [JsonIssue("$", message)])

    # (A text of more characters than that has more bytes: they need not be counted.)
    if len(text) > MAX_DOCUMENT_BYTES or (
        isinstance(text, str) and len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES
    ):
        raise refuse(f"larger than {MAX_DOCUMENT_BYTES:,} bytes (8 MiB), the most a definitions document may be")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise refuse(f"not UTF-8 text (byte {exc.start + 1:,} cannot be decoded)") from None
    too_deep = f"nested deeper than {MAX_DEPTH} levels: not a definitions document"
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError:
        raise refuse(too_deep) from None
    except ValueError as exc:  # an integer of more digits than Python converts to a number
        digits = sys.get_int_max_str_digits()
        raise refuse(
            f"not readable JSON: a number of more than {digits:,} digits"
            if "digits" in str(exc)
            else f"not readable JSON: {exc}"
        ) from None
    if _depth(raw) > MAX_DEPTH:
        raise refuse(too_deep)
    return raw


def _oversized(data: Any) -> list[JsonIssue]:
    """The lists (collections, a rule's values) and the timeboxes of a document's definitions
    that hold more than their limit allows, found before their items are validated."""
    if not isinstance(data, dict):
        return []
    out: list[JsonIssue] = []

    def over(path: str, value: Any, limit: Limit | None) -> None:
        message = limit.problem(value) if limit is not None and isinstance(value, list | dict) else None
        if message is not None:
            out.append(JsonIssue(path, message))

    for section in (*COLLECTIONS, "timeboxes"):
        over(f"$.definitions.{section}", data.get(section), field_limits(Definitions, section)[0])
    rules = data.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) and len(rules) <= MAX_ITEMS else []):
        if isinstance(rule, dict):
            over(f"$.definitions.rules[{i}].values", rule.get("values"), field_limits(ScoringRule, "values")[0])
    return out


def _depth(value: Any) -> int:
    """How deeply arrays and objects nest in a JSON value (a scalar is 0), without recursion."""
    deepest = 0
    pending = [(value, 1)]
    while pending:
        item, level = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:  # deeper is refused anyway: no need to walk all of it
            pending.extend((child, level + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _checks_despite(data: Any, exc: ValidationError) -> list[JsonIssue]:
    """`check_definitions` on what did validate, so that one report lists every problem: each
    invalid value is dropped (its default stands in) and, to say nothing twice, an item with a
    structural error gets no further issue."""
    if not isinstance(data, dict):
        return []
    data = copy.deepcopy(data)
    skip: list[str] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        if loc[:1] != ("definitions",) or len(loc) < 2:
            continue
        key = loc[1:4] if loc[1] in COLLECTIONS else loc[1:3]
        container: Any = data
        for part in key[:-1]:
            try:
                container = container[part]
            except (KeyError, IndexError, TypeError):
                return []
        if isinstance(container, list) and isinstance(key[-1], int) and key[-1] < len(container):
            container[key[-1]] = {}
        elif isinstance(container, dict):
            container.pop(key[-1], None)
        else:
            return []
        skip.append(
            _path(("definitions", *key[:2])) if loc[1] in COLLECTIONS and len(key) > 1 else _path(("definitions", *key))
        )
    try:
        defs = Definitions.model_validate(data)
    except ValidationError:
        return []
    return [
        i
        for i in check_definitions(defs)
        if not any(i.path == p or i.path.startswith((p + ".", p + "[")) for p in skip)
    ]


def check_definitions(defs: Definitions, prefix: str = "$.definitions") -> list[JsonIssue]:
    """Problems the schema cannot express, each with its JSON path."""
    issues: list[JsonIssue] = []

    def add(path: str, message: str) -> None:
        issues.append(JsonIssue(prefix + path, message))

    # Values beyond their limits, which only definitions read back from a file written before
    # the limits can hold (input is refused); a rule's are among its problems, below.
    issues.extend(JsonIssue(prefix + p, m) for p, m in limit_problems(defs))
    for section in OBJECTS:
        issues.extend(JsonIssue(f"{prefix}.{section}{p}", m) for p, m in limit_problems(getattr(defs, section)))
    for section in COLLECTIONS:
        if section != "rules":
            for i, item in enumerate(defs.collection(section)):
                issues.extend(JsonIssue(f"{prefix}.{section}[{i}]{p}", m) for p, m in limit_problems(item))
    for section in ("participants", "stages", "terms", "rules", "bands", "kpis", "decisions"):
        seen: set[str] = set()
        for i, item in enumerate(defs.collection(section)):
            if item.uid in seen:
                add(f".{section}[{i}].uid", f"duplicate id {item.uid!r}")
            seen.add(item.uid)

    def unique_names(section: str, attr: str, noun: str) -> None:
        seen: dict[str, int] = {}
        for i, item in enumerate(defs.collection(section)):
            name = getattr(item, attr).strip()
            if not name:
                add(f".{section}[{i}].{attr}", f"a {noun} needs a {attr}")
                continue
            key = name.casefold()
            if key in seen:
                add(f".{section}[{i}].{attr}", f"{name!r} is already used by {section}[{seen[key]}]")
            else:
                seen[key] = i

    unique_names("stages", "name", "stage")
    unique_names("terms", "term", "term")
    unique_names("bands", "name", "band")
    unique_names("kpis", "name", "KPI")
    for i, p in enumerate(defs.participants):
        if not p.name.strip():
            add(f".participants[{i}].name", "a participant needs a name")
    for i, rule in enumerate(defs.rules):
        issues.extend(JsonIssue(f"{prefix}.rules[{i}]{p}", m) for p, m in rule_problems(rule))
    for step in defs.timeboxes:
        if step not in STEP_KEYS:
            add(f".timeboxes.{step}", f"unknown step; expected one of {', '.join(STEP_KEYS)}")
    if not math.isfinite(defs.scoring.threshold):
        add(".scoring.threshold", "must be a finite number")
    return issues


def rule_problems(rule: Any) -> list[tuple[str, str]]:
    """What keeps one rule from being scored, as (relative path, message) pairs: a value beyond
    its limit (read from a file written before the limits) first."""
    out: list[tuple[str, str]] = limit_problems(rule)
    if not rule.field.strip():
        out.append((".field", "the rule needs a field (column) to read"))
    needs = OPERATOR_OPERANDS[rule.operator]
    if "value" in needs and not rule.value.strip():
        out.append((".value", f"'{rule.operator.label}' needs a value"))
    if "values" in needs and not [v for v in rule.values if v.strip()]:
        out.append((".values", f"'{rule.operator.label}' needs at least one value"))
    if "minimum" in needs and rule.minimum is None:
        out.append((".minimum", f"'{rule.operator.label}' needs a minimum"))
    if "maximum" in needs and rule.maximum is None:
        out.append((".maximum", f"'{rule.operator.label}' needs a maximum"))
    if (
        rule.operator == Operator.BETWEEN
        and rule.minimum is not None
        and rule.maximum is not None
        and rule.minimum > rule.maximum
    ):
        out.append((".maximum", f"the maximum ({rule.maximum:g}) is below the minimum ({rule.minimum:g})"))
    if rule.operator == Operator.COUNT and rule.kind != RuleKind.BEHAVIOUR:
        out.append((".operator", "'count' is for behaviour rules (count of occurrences × points)"))
    if rule.cap is not None and rule.operator != Operator.COUNT:
        out.append((".cap", "a cap applies only to count rules"))
    if (rule.decay_half_life_days is None) != (not rule.decay_date_field.strip()):
        out.append(
            (
                ".decay_date_field" if rule.decay_half_life_days else ".decay_half_life_days",
                "decay needs both a half-life and an activity-date column",
            )
        )
    return out
