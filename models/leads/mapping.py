"""Guessing a mapping for a freshly read file: which column is the ID, the outcome, revenue,
created date, owner and e-mail (known HubSpot / Salesforce export headers and the real data
sets), and the type of every other column.

    guess_mapping(raw, previous)  → Mapping the user then edits
    infer_type(values, placeholders, name)  → ColumnType
    detect_decimal_comma(values)  → bool
    detect_date_order(values)  → "DMY" | "MDY" | "YMD"
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.leads.types import (
    DEFAULT_FAILURE_VALUES,
    DEFAULT_PLACEHOLDERS,
    DEFAULT_SUCCESS_VALUES,
    ColumnType,
    Mapping,
    OutcomesJoin,
    RawTable,
    SuccessKind,
    SuccessRule,
)
from models.leads.values import (
    as_string_array,
    blank_placeholders,
    comma_evidence,
    date_order_of,
    date_parts,
    parse_dates,
    parse_numbers,
    placeholder_set,
)

SAMPLE_SIZE = 10_000  # values looked at when inferring a type

# Normalised header spellings per role, best first (normalised: lower case, every run of
# non-letters/digits one space). HubSpot, Salesforce, generic, and the real data sets.
ROLE_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("record id", "contact id", "lead id", "prospect id", "mql id", "lead guid", "id"),
    "outcome": (
        "converted",
        "is converted",
        "won",
        "is won",
        "closed won",
        "outcome",
        "lifecycle stage",
        "lead status",
        "status",
    ),
    "revenue": (
        "amount",
        "opportunity amount",
        "deal amount",
        "amount converted",
        "revenue",
        "annual revenue",
        "expected revenue",
    ),
    "created": (
        "create date",
        "created date",
        "created",
        "created at",
        "createdate",
        "date created",
        "created on",
        "lead created date",
        "first contact date",
        "first contact",
        "date",
    ),
    "owner": (
        "contact owner",
        "hubspot owner",
        "lead owner",
        "owner",
        "owner name",
        "deal owner",
        "sales rep",
        "rep",
        "assigned to",
    ),
    "email": ("email", "e mail", "email address", "e mail address", "work email"),
}

# HubSpot lifecycle stages in order (API names and labels normalise to the same key).
HUBSPOT_STAGES: tuple[str, ...] = (
    "Subscriber",
    "Lead",
    "Marketing Qualified Lead",
    "Sales Qualified Lead",
    "Opportunity",
    "Customer",
    "Evangelist",
)
HUBSPOT_SUCCESS_STAGE = "Opportunity"

_YES = {"yes", "y", "true", "t"}
_NO = {"no", "n", "false", "f"}
_FLAG_NAME = re.compile(
    r"^(is|has|have|do|does|did|can|opt|opted|flag|subscribed|unsubscribed|converted|won|active|"
    r"verified|bounced|agree|agreed)\b|\bflag\b|\?$",
    re.IGNORECASE,
)


def normalise_header(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", name.lower()).strip()


def _compact(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", value.lower())


def _sample(values: pa.Array | pa.ChunkedArray, size: int = SAMPLE_SIZE) -> pa.Array:
    """Up to `size` values spread evenly over the column."""
    if len(values) <= size:
        return as_string_array(values)
    step = len(values) / size
    return as_string_array(values.take(pa.array((np.arange(size) * step).astype(np.int64))))


def _present(values: pa.Array | pa.ChunkedArray, placeholders: Iterable[str]) -> pa.Array:
    cleaned, _ = blank_placeholders(_sample(values), placeholder_set(placeholders))
    return pc.drop_null(cleaned)


# --- detection ------------------------------------------------------------------------------


def detect_decimal_comma(values: pa.Array | pa.ChunkedArray | Sequence[str]) -> bool:
    """True when the numbers are written with a decimal comma ("1.250.000,50", "3,5").

    Decided by the values that can only be read one way; ambiguous values ("1,250") do not
    count, and with no evidence either way the answer is False (decimal point)."""
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(list(values), type=pa.string())
    sample = pc.drop_null(pc.utf8_trim_whitespace(_sample(values)))
    n_comma, n_point = comma_evidence(sample)
    return n_comma > n_point


def detect_date_order(values: pa.Array | pa.ChunkedArray | Sequence[str]) -> str:
    """ "YMD" when the year comes first, else "DMY" or "MDY" decided by which position holds
    values above 12 ("25-03-2018" → day first). When nothing decides it: "MDY" for dates
    written with slashes (the US export convention), "DMY" otherwise (Olist's DD-MM-YYYY)."""
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(list(values), type=pa.string())
    sample = pc.drop_null(pc.utf8_trim_whitespace(_sample(values)))
    if len(sample) == 0:
        return "DMY"
    parts, matched = date_parts(sample)
    parts = [p[matched] for p in parts]
    slashes = pc.sum(pc.match_substring(sample, "/")).as_py() or 0
    default = "MDY" if slashes > len(sample) / 2 else "DMY"
    return date_order_of(parts, default)


def infer_type(
    values: pa.Array | pa.ChunkedArray, placeholders: Iterable[str] = DEFAULT_PLACEHOLDERS, name: str = ""
) -> ColumnType:
    """The type a column most likely has, judged on (a sample of) its non-placeholder values.

    yes/no: only Yes/No, Y/N, True/False (0/1 too when `name` sounds like a flag);
    number: ≥ 95% read as numbers (decimal comma and thousands separators allowed);
    date: ≥ 95% read as dates (ISO, DD-MM-YYYY, DD/MM/YYYY, MM/DD/YYYY, optional time);
    category: few distinct values for the number of rows, or short repeated text;
    text: the rest (e-mails, names, notes)."""
    present = _present(values, placeholders)
    n = len(present)
    if n == 0:
        return ColumnType.CATEGORY
    distinct = pc.unique(pc.utf8_lower(present)).to_pylist()
    lowered = set(distinct)
    if lowered <= (_YES | _NO):
        return ColumnType.YESNO
    if lowered <= {"0", "1"} and _FLAG_NAME.search(name.strip()):
        return ColumnType.YESNO
    comma = detect_decimal_comma(present)
    _, bad = parse_numbers(present, comma)
    if np.count_nonzero(~bad) >= 0.95 * n:
        return ColumnType.NUMBER
    _, bad = parse_dates(present, detect_date_order(present))
    if np.count_nonzero(~bad) >= 0.95 * n:
        return ColumnType.DATE
    emails = pc.sum(pc.match_substring_regex(present, r"^[^@\s]+@[^@\s]+\.[^@\s]+$")).as_py() or 0
    if emails >= 0.5 * n:
        return ColumnType.TEXT
    d = len(distinct)
    mean_length = (pc.sum(pc.utf8_length(present)).as_py() or 0) / n
    if mean_length > 40 and d > 20:
        return ColumnType.TEXT
    if d <= min(50, n // 2) or d <= 0.05 * n:
        return ColumnType.CATEGORY
    if mean_length <= 20 and d <= 0.5 * n:
        return ColumnType.CATEGORY
    return ColumnType.TEXT


# --- the mapping ----------------------------------------------------------------------------


def _find(columns: Sequence[str], role: str, taken: set[str]) -> str | None:
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise_header(column), column)
    for alias in ROLE_ALIASES[role]:
        found = by_norm.get(alias)
        if found is not None and found not in taken:
            return found
    return None


def _distinct_present(raw: RawTable, column: str, placeholders: Iterable[str]) -> list[str]:
    present = _present(raw.table.column(column), placeholders)
    return [v for v in pc.unique(present).to_pylist() if v is not None]


def guess_success(raw: RawTable, column: str, placeholders: Iterable[str]) -> SuccessRule:
    """What counts as success for an outcome column, from its name and values."""
    norm = normalise_header(column)
    observed = _distinct_present(raw, column, placeholders)
    if norm == "lifecycle stage":
        rank = {_compact(s): i for i, s in enumerate(HUBSPOT_STAGES)}
        known = {rank[_compact(v)]: v for v in observed if _compact(v) in rank}
        unknown = sorted(v for v in observed if _compact(v) not in rank)
        stages = unknown + [known.get(i, label) for i, label in enumerate(HUBSPOT_STAGES)]
        stage = known.get(rank[_compact(HUBSPOT_SUCCESS_STAGE)], HUBSPOT_SUCCESS_STAGE)
        return SuccessRule(kind=SuccessKind.STAGE_AT_LEAST, stages=stages, stage=stage, values=[], failures=[""])
    defaults = {v.lower() for v in DEFAULT_SUCCESS_VALUES} | {v.lower() for v in DEFAULT_FAILURE_VALUES}
    if observed and all(v.lower() in defaults for v in observed):
        return SuccessRule()
    if norm in ("lead status", "status", "outcome") and observed:

        def is_success(v: str) -> bool:
            low = v.lower()
            return (
                ("converted" in low and "not converted" not in low and "unconverted" not in low)
                or low in {v.lower() for v in DEFAULT_SUCCESS_VALUES}
                or "won" in low.split()
            )

        success = [v for v in observed if is_success(v)]
        failures = [v for v in observed if not is_success(v)] + [""]
        if success:
            return SuccessRule(kind=SuccessKind.VALUES, values=success, failures=failures)
    return SuccessRule()


def guess_mapping(raw: RawTable, previous: Mapping | None = None) -> Mapping:
    """A mapping for `raw`: known export headers pre-mapped, every other column typed.

    With `previous` (the mapping remembered from the last import), its choices win for every
    column that still exists: roles, types, ignored columns, success rule, placeholders,
    number and date settings, and the outcomes join when its lead column still exists."""
    columns = raw.columns
    present = set(columns)
    mapping = Mapping()
    if previous is not None:
        mapping.placeholders = list(previous.placeholders)
        mapping.decimal_comma = previous.decimal_comma
        mapping.date_order = previous.date_order
    placeholders = mapping.placeholders
    taken: set[str] = set()
    kept_roles: set[str] = set()
    if previous is not None:
        for role in ROLE_ALIASES:
            column = getattr(previous, role)
            if column is not None and column in present:
                setattr(mapping, role, column)
                taken.add(column)
                kept_roles.add(role)
        if previous.join is not None and previous.join.lead_column in present:
            mapping.join = copy.deepcopy(previous.join)
        if "outcome" in kept_roles or (previous.outcome is None and mapping.join is not None):
            mapping.success = copy.deepcopy(previous.success)
            kept_roles.add("outcome")
        mapping.ignored = [c for c in previous.ignored if c in present and c not in taken]
        taken.update(mapping.ignored)
    for role in ROLE_ALIASES:
        if role in kept_roles:
            continue
        column = _find(columns, role, taken)
        if column is not None:
            setattr(mapping, role, column)
            taken.add(column)
    if mapping.outcome is not None and "outcome" not in kept_roles:
        mapping.success = guess_success(raw, mapping.outcome, placeholders)
    previous_types = previous.types if previous is not None else {}
    for column in columns:
        if column in taken:
            continue
        if column in previous_types:
            mapping.types[column] = previous_types[column]
        else:
            mapping.types[column] = infer_type(raw.table.column(column), placeholders, column)
    return mapping


def guess_join(leads: RawTable, outcomes: RawTable, lead_id: str | None = None) -> OutcomesJoin | None:
    """The columns joining a leads file to an outcomes file: the lead ID column when the
    outcomes file has a column of the same (normalised) name, else any shared ID-like name."""
    by_norm = {normalise_header(c): c for c in outcomes.columns}
    candidates = ([lead_id] if lead_id else []) + [c for c in leads.columns if c != lead_id]
    for column in candidates:
        match = by_norm.get(normalise_header(column))
        if match is not None and (
            column == lead_id
            or normalise_header(column) in ROLE_ALIASES["id"]
            or normalise_header(column).endswith(" id")
        ):
            return OutcomesJoin(lead_column=column, outcome_column=match)
    return None
