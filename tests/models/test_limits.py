"""The definitions' limits: one model refuses a value beyond them in the same words whichever
way it comes in (an edit in the app, a new item, an imported JSON document), and a workshop
file written before the limits, holding such values, still opens, checks and exports, with
each value flagged where it is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from export.content import ExportContent
from export.json_export import write_json
from export.pdf import write_pdf
from export.workbook import write_workbook
from models.definitions import (
    COLLECTIONS,
    MAX_ITEMS,
    OBJECTS,
    Definitions,
    FunnelStage,
    ScoringRule,
    TeamTargets,
    new_definitions,
)
from models.definitions_json import DefinitionsError, check_definitions, content_hash, dumps, parse_definitions
from models.document import Document
from models.edits import EditError, InsertItem, SetField, insert_item, remove_item, set_field, validated
from models.scoring import score_lead

# (section, field, a value beyond the limit, the message every way in gives)
BEYOND = [
    ("rules", "points", 1e308, "must be between -1,000,000 and 1,000,000 (this is 1e+308)"),
    ("rules", "cap", 2e6, "must be between 0 and 1,000,000 (this is 2e+06)"),
    ("rules", "minimum", -1e16, "must be between -1,000,000,000,000,000 and 1,000,000,000,000,000 (this is -1e+16)"),
    ("rules", "decay_half_life_days", 0, "must be more than 0 and at most 100,000 (this is 0)"),
    ("rules", "values", ["x"] * 1001, "at most 1,000 values (this has 1,001)"),
    ("rules", "label", "L" * 201, "at most 200 characters (this has 201)"),
    ("bands", "min_score", -2e6, "must be between -1,000,000 and 1,000,000 (this is -2e+06)"),
    ("bands", "colour", "red", "must be a colour written #rrggbb, e.g. #d9483b (this is \u201cred\u201d)"),
    ("team", "reps", 10**20, "must be between 0 and 100,000 (this is 1e+20)"),
    ("team", "leads_per_rep_per_week", 100_001, "must be between 0 and 100,000 (this is 100,001)"),
    ("team", "revenue_goal", 1e16, "must be between 0 and 1,000,000,000,000,000 (this is 1e+16)"),
    ("team", "target_rate", 1.5, "must be between 0 and 1 (this is 1.5)"),
    ("team", "organisation", "O" * 100_000, "at most 200 characters (this has 100,000)"),
    ("stages", "sla_hours", 1e9, "must be between 0 and 10,000 (this is 1e+09)"),
    ("stages", "definition", "D" * 20_001, "at most 20,000 characters (this has 20,001)"),
    ("terms", "notes", "N" * 30_000, "at most 20,000 characters (this has 30,000)"),
    ("scoring", "threshold", 1e7, "must be between -1,000,000 and 1,000,000 (this is 1e+07)"),
    ("scoring", "minimum_fit", -1e7, "must be between -1,000,000 and 1,000,000 (this is -1e+07)"),
    ("scoring", "history_weeks", 20_000, "must be more than 0 and at most 10,000 (this is 20,000)"),
]


def _target(defs: Definitions, section: str) -> tuple[str, str | None]:
    """The JSON path of the first item of `section` (or the object) and its uid."""
    if section in ("team", "scoring"):
        return f"$.definitions.{section}", None
    return f"$.definitions.{section}[0]", defs.collection(section)[0].uid


@pytest.mark.parametrize(("section", "field", "value", "message"), BEYOND)
def test_a_value_beyond_its_limit_is_refused_the_same_way_everywhere(
    section: str, field: str, value: Any, message: str
) -> None:
    from tests.models.conftest import full_definitions

    defs = full_definitions()
    path, uid = _target(defs, section)
    # An edit in the app,
    with pytest.raises(EditError) as refused:
        set_field(defs, section, uid, field, value).apply(defs)
    assert str(refused.value) == f"{field}: {message}"
    with pytest.raises(EditError):
        validated(section, field, value)
    # the imported JSON document,
    doc = json.loads(dumps(defs))
    target = doc["definitions"][section]
    (target if isinstance(target, dict) else target[0])[field] = value
    with pytest.raises(DefinitionsError) as imported:
        parse_definitions(json.dumps(doc))
    assert (f"{path}.{field}", message) in [(i.path, i.message) for i in imported.value.issues]
    # and the model itself, an item built in code.
    model = COLLECTIONS.get(section) or OBJECTS[section]
    with pytest.raises(ValidationError) as built:
        model(**{field: value})
    assert built.value.errors()[0]["msg"] == message


def test_a_new_item_beyond_a_limit_and_an_item_too_many_are_refused() -> None:
    defs = new_definitions()
    with pytest.raises(EditError, match="at most 200 characters"):
        InsertItem("stages", 0, {"name": "S" * 201}).apply(defs)
    defs.terms = [defs.terms[0].model_copy(update={"uid": f"t{k}"}) for k in range(MAX_ITEMS)]
    with pytest.raises(EditError, match="terms: at most 1,000 terms; remove one first"):
        insert_item(defs, "terms", None, term="One too many").apply(defs)
    with pytest.raises(EditError, match="a timebox is at most 1,440 minutes"):
        set_field(defs, "timeboxes", None, "team", 5000).apply(defs)


def test_values_at_their_limits_are_taken() -> None:
    defs = new_definitions()
    for section, field, value in [
        ("team", "reps", 100_000),
        ("team", "organisation", "O" * 200),
        ("scoring", "threshold", -1_000_000),
        ("stages", "definition", "D" * 20_000),
    ]:
        set_field(defs, section, _target(defs, section)[1], field, value).apply(defs)
    assert defs.team.reps == 100_000 and defs.scoring.threshold == -1_000_000


# --------------------------------------------------------------------------- written before the limits
def _write_legacy(path: Path) -> Definitions:
    """Values beyond the limits, written to the file as an earlier Accord would have (the
    file's own writer does not validate; assignment does not either)."""
    doc = Document.open(path)
    try:
        defs = doc.defs
        defs.rules[0].points = 1e308  # two such rules once summed to an infinite score
        defs.rules[1].points = 1e308
        defs.rules[1].values = [f"value {k}" for k in range(1500)]
        defs.team.reps = 10**18
        defs.team.organisation = "Acme " * 2000
        defs.stages[0].definition = "long " * 6000
        defs.scoring.threshold = 5e6
        defs.bands[0].min_score = -1e9
        defs.timeboxes["team"] = 5000
        doc.file.save_definitions(doc.revision.id, defs)
        return defs.copy_deep()
    finally:
        doc.close()


def test_a_file_written_before_the_limits_opens_checks_and_exports(demo_leads_path: Path, tmp_path: Path) -> None:
    written = _write_legacy(demo_leads_path)
    doc = Document.open(demo_leads_path)
    try:
        defs = doc.defs
        # Read as it was stored: every value kept, the content hash (what a signature
        # vouches for) unchanged.
        assert defs.rules[0].points == 1e308 and defs.team.reps == 10**18 and len(defs.rules[1].values) == 1500
        assert content_hash(defs) == content_hash(written)
        # Each value flagged where it is written, in the words an import would use.
        flagged = {i.path: i.message for i in check_definitions(defs)}
        points = "must be between -1,000,000 and 1,000,000"
        assert flagged == flagged | {
            "$.definitions.rules[0].points": f"{points} (this is 1e+308)",
            "$.definitions.rules[1].values": "at most 1,000 values (this has 1,500)",
            "$.definitions.team.reps": "must be between 0 and 100,000 (this is 1e+18)",
            "$.definitions.team.organisation": "at most 200 characters (this has 10,000)",
            "$.definitions.stages[0].definition": "at most 20,000 characters (this has 30,000)",
            "$.definitions.scoring.threshold": f"{points} (this is 5e+06)",
            "$.definitions.bands[0].min_score": f"{points} (this is -1e+09)",
            "$.definitions.timeboxes.team": "must be between 0 and 1,440 (this is 5,000)",
        }
        # A rule beyond its limits is incomplete: it is not scored (its points could not be
        # added up), and says why.
        lead = {defs.rules[0].field: defs.rules[0].value}
        outcome = score_lead(defs, lead).outcomes[0]
        assert not outcome.fired and "must be between" in outcome.reason
        # The check and every export work.
        check = doc.build_check()
        assert check is not None
        content = ExportContent.build(doc, check)
        write_pdf(content, tmp_path / "legacy.pdf")
        write_workbook(content, tmp_path / "legacy.xlsx")
        write_json(content, tmp_path / "legacy.json")
        # The JSON written is what the file holds, so it is refused on import until fixed.
        with pytest.raises(DefinitionsError):
            parse_definitions((tmp_path / "legacy.json").read_text(encoding="utf-8"))
    finally:
        doc.close()


def test_undo_puts_back_a_value_written_before_the_limits(demo_leads_path: Path) -> None:
    _write_legacy(demo_leads_path)
    doc = Document.open(demo_leads_path)
    try:
        rule = doc.defs.rules[0]
        fix = set_field(doc.defs, "rules", rule.uid, "points", 15)
        doc.apply(fix)
        assert doc.defs.rules[0].points == 15
        doc.apply(fix.inverse())  # undo: the value as it was, beyond the limit or not
        assert doc.defs.rules[0].points == 1e308
        doc.apply(fix)  # redo
        removal = remove_item(doc.defs, "rules", doc.defs.rules[1].uid)
        doc.apply(removal)
        doc.apply(removal.inverse())  # undo of a removal: the rule with its 1,500 values
        assert len(doc.defs.rules[1].values) == 1500
        # Only the undo is lenient: setting such a value anew is refused.
        with pytest.raises(EditError):
            doc.apply(SetField("rules", rule.uid, "points", 15, 1e308))
    finally:
        doc.close()


def test_items_built_in_code_are_held_to_the_limits() -> None:
    with pytest.raises(ValidationError):
        ScoringRule(points=1e308)
    with pytest.raises(ValidationError):
        TeamTargets(reps=10**20)
    with pytest.raises(ValidationError):
        FunnelStage(name="S" * 201)
    stored: dict[str, Any] = {"rules": [{"points": 1e308}]}
    with pytest.raises(ValidationError):
        Definitions(**stored)
    # Definitions read back as stored keep them (see above): model_validate is that reading.
    assert Definitions.model_validate(stored).rules[0].points == 1e308
