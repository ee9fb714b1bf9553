"""The definitions JSON: round trip, the committed schema, and error reports with JSON paths."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from models.definitions import COLLECTIONS, OBJECTS, Definitions, Operator
from models.definitions_json import (
    DefinitionsError,
    RevisionBlock,
    SignatureBlock,
    dumps,
    parse_definitions,
    schema_path,
    schema_text,
)
from tests.models.conftest import full_definitions, sha256_canonical


def _issues(text: str | bytes, source: str = "import.json") -> list[tuple[str, str]]:
    with pytest.raises(DefinitionsError) as info:
        parse_definitions(text, source)
    return [(i.path, i.message) for i in info.value.issues]


def _document() -> dict[str, Any]:
    return json.loads(dumps(full_definitions()))


# --------------------------------------------------------------------------- round trip
def test_dumps_then_parse_gives_the_same_definitions() -> None:
    original = full_definitions()
    text = dumps(original)
    raw = json.loads(text)
    assert raw["format"] == "accord-definitions"
    assert raw["format_version"] == 1
    assert raw["revision"] is None
    assert raw["definitions"]["stages"][1]["name"] == "Marketing Qualified Lead"
    assert raw["definitions"]["team"]["workshop_name"] == "Q3 alignment — Zürich"  # not \\u-escaped
    assert "Zürich" in text
    assert parse_definitions(text).model_dump(mode="json") == original.model_dump(mode="json")


def test_revision_block_is_written_and_ignored_on_import() -> None:
    original = full_definitions()
    digest = sha256_canonical(original.model_dump(mode="json"))
    block = RevisionBlock(
        label="2026-Q3",
        status="signed",
        created_at="2026-07-01T08:00:00+00:00",
        signed_at="2026-07-14T16:00:00+00:00",
        content_hash=digest,
        signatures=[
            SignatureBlock(
                signer="Priya Raman",
                role="VP Sales",
                signed_at="2026-07-14T16:00:00+00:00",
                content_hash=digest,
                valid=True,
            )
        ],
        signature_matches=None,
    )
    text = dumps(original, block)
    raw = json.loads(text)
    assert raw["revision"]["label"] == "2026-Q3"
    assert raw["revision"]["signatures"][0] == {
        "signer": "Priya Raman",
        "role": "VP Sales",
        "signed_at": "2026-07-14T16:00:00+00:00",
        "statement": "",
        "content_hash": digest,
        "valid": True,
    }
    assert parse_definitions(text).model_dump(mode="json") == original.model_dump(mode="json")


def test_times_are_read_as_utc() -> None:
    doc = _document()
    doc["definitions"]["decisions"][0]["created"] = "2026-07-14T11:30:00+02:00"
    doc["definitions"]["decisions"][1]["created"] = "2026-07-14T09:45:00"
    defs = parse_definitions(json.dumps(doc))
    assert defs.decisions[0].created == dt.datetime(2026, 7, 14, 9, 30, tzinfo=dt.UTC)
    assert defs.decisions[1].created == dt.datetime(2026, 7, 14, 9, 45, tzinfo=dt.UTC)
    assert defs.model_dump(mode="json")["decisions"][0]["created"] == "2026-07-14T09:30:00Z"


# --------------------------------------------------------------------------- schema
def test_committed_schema_is_current() -> None:
    assert schema_path() == Path(__file__).resolve().parents[2] / "resources" / "definitions.schema.json"
    assert schema_path().read_text(encoding="utf-8") == schema_text()


def test_schema_describes_the_dumped_document() -> None:
    # The essentials, checked by hand; then the dumped document is validated against the
    # schema by an independent validator.
    schema = json.loads(schema_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://accord.example/schemas/definitions-1.json"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"definitions"}
    assert schema["properties"]["format"]["const"] == "accord-definitions"
    assert schema["properties"]["format_version"]["const"] == 1
    defs = schema["$defs"]
    assert defs["Operator"]["enum"] == [
        "equals",
        "not_equals",
        "one_of",
        "not_one_of",
        "contains",
        "between",
        "at_least",
        "at_most",
        "is_empty",
        "is_not_empty",
        "count",
    ]
    assert defs["Team"]["enum"] == ["Sales", "Marketing", "Shared", "Other"]
    dumped = _document()
    # threshold_check is written only when the revision has leads (the Export step's JSON).
    assert set(dumped) | {"threshold_check"} == set(schema["properties"])
    assert set(dumped["definitions"]) == set(defs["Definitions"]["properties"])
    for section, model in {**COLLECTIONS, **OBJECTS}.items():
        item_schema = defs[model.__name__]
        assert item_schema["additionalProperties"] is False, section
        sample = dumped["definitions"][section]
        keys = set(sample[0] if isinstance(sample, list) else sample)
        assert keys == set(item_schema["properties"]), section
        for key, prop in item_schema["properties"].items():
            assert prop.get("description"), f"{section}.{key} is undocumented"
    assert defs["TeamTargets"]["properties"]["reps"]["minimum"] == 0
    assert defs["TeamTargets"]["properties"]["target_rate"]["maximum"] == 1
    import jsonschema

    jsonschema.validate(dumped, schema)
    bad = json.loads(json.dumps(dumped))
    bad["definitions"]["rules"][0]["operator"] = "greater_than"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


# --------------------------------------------------------------------------- errors
def test_every_error_is_reported_with_its_json_path() -> None:
    doc = _document()
    d = doc["definitions"]
    d["rules"][1]["operator"] = "greater_than"  # structural: not an operator
    d["stages"][0]["sla_hours"] = "soon"  # structural: not a number
    d["terms"][0]["colour"] = "red"  # structural: unknown key
    d["stages"][2]["name"] = " marketing qualified LEAD "  # duplicate of stages[1] (trim, case)
    d["rules"][3]["maximum"] = None  # between without maximum
    d["rules"].append(
        {"uid": "r-fitcount", "kind": "fit", "field": "Visits", "operator": "count", "points": 1}
    )  # count on a fit rule
    d["timeboxes"]["lunch"] = 30  # unknown step

    with pytest.raises(DefinitionsError) as info:
        parse_definitions(json.dumps(doc), "workshop.json")
    paths = [i.path for i in info.value.issues]
    assert sorted(paths) == sorted(
        [
            "$.definitions.rules[1].operator",
            "$.definitions.stages[0].sla_hours",
            "$.definitions.terms[0].colour",
            "$.definitions.stages[2].name",
            "$.definitions.rules[3].maximum",
            "$.definitions.rules[4].operator",
            "$.definitions.timeboxes.lunch",
        ]
    )
    messages = {i.path: i.message for i in info.value.issues}
    assert "'count'" in messages["$.definitions.rules[1].operator"]  # lists the valid operators
    assert "valid number" in messages["$.definitions.stages[0].sla_hours"]
    assert "Extra inputs are not permitted" in messages["$.definitions.terms[0].colour"]
    assert messages["$.definitions.stages[2].name"] == "'marketing qualified LEAD' is already used by stages[1]"
    assert messages["$.definitions.rules[3].maximum"] == "'is between' needs a maximum"
    assert messages["$.definitions.rules[4].operator"] == (
        "'count' is for behaviour rules (count of occurrences × points)"
    )
    assert messages["$.definitions.timeboxes.lunch"].startswith("unknown step; expected one of team, stages")
    text = str(info.value)
    assert text.startswith("workshop.json: 7 problems found\n")
    for p in paths:
        assert f"\n  {p}: " in text


def test_semantic_errors_alone_are_all_reported() -> None:
    doc = _document()
    d = doc["definitions"]
    d["rules"][0]["value"] = "  "
    d["rules"][1]["cap"] = 5
    d["rules"][3]["minimum"], d["rules"][3]["maximum"] = 8, 3
    d["rules"][2]["decay_half_life_days"] = 7
    d["bands"][1]["name"] = "cold"
    d["participants"][1]["name"] = " "
    d["kpis"][2]["uid"] = "k-mql"
    assert _issues(json.dumps(doc)) == [
        ("$.definitions.kpis[2].uid", "duplicate id 'k-mql'"),
        ("$.definitions.bands[1].name", "'cold' is already used by bands[0]"),
        ("$.definitions.participants[1].name", "a participant needs a name"),
        ("$.definitions.rules[0].value", "'equals' needs a value"),
        ("$.definitions.rules[1].cap", "a cap applies only to count rules"),
        ("$.definitions.rules[2].decay_date_field", "decay needs both a half-life and an activity-date column"),
        ("$.definitions.rules[3].maximum", "the maximum (3) is below the minimum (8)"),
    ]


def test_structural_errors_in_objects_and_lists() -> None:
    doc = _document()
    d = doc["definitions"]
    d["team"]["reps"] = -2
    d["team"]["date"] = "14/07/2026"
    d["scoring"]["threshold"] = None
    d["rules"][0]["values"] = ["ok", 3]
    d["participants"][0]["team"] = "Legal"
    d["unexpected"] = True
    paths = [p for p, _ in _issues(json.dumps(doc))]
    assert sorted(paths) == sorted(
        [
            "$.definitions.team.reps",
            "$.definitions.team.date",
            "$.definitions.scoring.threshold",
            "$.definitions.rules[0].values[1]",
            "$.definitions.participants[0].team",
            "$.definitions.unexpected",
        ]
    )


def test_not_a_number_is_refused() -> None:
    text = dumps(full_definitions()).replace('"points": 25.0', '"points": NaN')
    assert '"points": NaN' in text
    [(path, message)] = _issues(text)
    assert path == "$.definitions.rules[0].points"
    assert "finite number" in message


def test_invalid_json_reports_line_and_column() -> None:
    text = '{"format": "accord-definitions",\n  "definitions": {,}}'
    [(path, message)] = _issues(text)
    assert path == "$"
    assert message.startswith("not valid JSON: ")
    assert message.endswith("(line 2, column 19)")


def test_json_that_is_not_an_object() -> None:
    assert _issues("[1, 2]") == [("$", "expected a JSON object")]


@pytest.mark.parametrize("fmt", ["accord-workshop", None, 1])
def test_wrong_format_gives_one_clear_issue(fmt: Any) -> None:
    doc = _document()
    doc["format"] = fmt
    doc["definitions"]["rules"][0]["operator"] = "nonsense"  # not reported: it is not our document
    assert _issues(json.dumps(doc)) == [
        ("$.format", 'expected "accord-definitions": this is not an Accord definitions document')
    ]


def test_missing_format_gives_one_clear_issue() -> None:
    doc = _document()
    del doc["format"]
    assert _issues(json.dumps(doc)) == [
        ("$.format", 'expected "accord-definitions": this is not an Accord definitions document')
    ]


def test_newer_format_version_gives_one_clear_issue() -> None:
    doc = _document()
    doc["format_version"] = 2
    doc["definitions"]["new_section_of_version_2"] = {}
    assert _issues(json.dumps(doc)) == [("$.format_version", "version 2 is newer than this Accord reads (1)")]


def test_missing_definitions_is_reported() -> None:
    assert [p for p, _ in _issues('{"format": "accord-definitions", "format_version": 1}')] == ["$.definitions"]


def test_operator_enum_matches_the_documented_operators() -> None:
    assert [o.value for o in Operator] == [
        "equals",
        "not_equals",
        "one_of",
        "not_one_of",
        "contains",
        "between",
        "at_least",
        "at_most",
        "is_empty",
        "is_not_empty",
        "count",
    ]


def test_parse_of_minimal_document_uses_defaults() -> None:
    defs = parse_definitions('{"format": "accord-definitions", "format_version": 1, "definitions": {}}')
    assert defs.model_dump(mode="json") == Definitions().model_dump(mode="json")
    assert defs.scoring.threshold == 40
    assert defs.timeboxes["stages"] == 45


# --------------------------------------------------------------------------- limits
def test_values_beyond_their_limits_are_refused_with_their_path() -> None:
    doc = _document()
    d = doc["definitions"]
    d["rules"][2]["points"] = 1e308
    d["rules"][1]["values"] = ["ok", "v" * 201]
    d["team"]["reps"] = 10**20  # once an OverflowError when the file was written
    d["team"]["organisation"] = "O" * 201
    d["stages"][0]["definition"] = "D" * 20_001
    d["stages"][1]["sla_hours"] = 10_001
    d["scoring"]["threshold"] = -1_000_001
    d["timeboxes"]["team"] = 1_441
    assert sorted(_issues(json.dumps(doc))) == sorted(
        [
            ("$.definitions.rules[2].points", "must be between -1,000,000 and 1,000,000 (this is 1e+308)"),
            ("$.definitions.rules[1].values[1]", "at most 200 characters (this has 201)"),
            ("$.definitions.team.reps", "must be between 0 and 100,000 (this is 1e+20)"),
            ("$.definitions.team.organisation", "at most 200 characters (this has 201)"),
            ("$.definitions.stages[0].definition", "at most 20,000 characters (this has 20,001)"),
            ("$.definitions.stages[1].sla_hours", "must be between 0 and 10,000 (this is 10,001)"),
            ("$.definitions.scoring.threshold", "must be between -1,000,000 and 1,000,000 (this is -1e+06)"),
            ("$.definitions.timeboxes.team", "must be between 0 and 1,440 (this is 1,441)"),
        ]
    )


def test_values_at_their_limits_are_accepted() -> None:
    from models.definitions import MAX_ITEMS, MAX_VALUES

    doc = _document()
    d = doc["definitions"]
    d["rules"][1]["values"] = [f"{k:0200d}" for k in range(MAX_VALUES)]
    d["rules"][2]["points"] = -1_000_000
    d["team"].update(reps=100_000, leads_per_rep_per_week=100_000, revenue_goal=1e15, organisation="O" * 200)
    d["stages"][0]["definition"] = "D" * 20_000
    d["scoring"].update(threshold=1_000_000, minimum_fit=-1_000_000, history_weeks=10_000)
    d["decisions"] += [{"uid": f"later-{k}", "text": "later"} for k in range(MAX_ITEMS - len(d["decisions"]))]
    defs = parse_definitions(json.dumps(doc))
    assert defs.team.capacity_per_week == 10**10 and len(defs.decisions) == MAX_ITEMS


def test_too_many_items_are_refused_before_they_are_validated() -> None:
    doc = _document()
    doc["definitions"]["terms"] = [{}] * 1_000_000  # a million terms: said at once, not validated
    doc["definitions"]["rules"][1]["values"] = ["x"] * 1_001
    assert _issues(json.dumps(doc)) == [
        ("$.definitions.terms", "at most 1,000 terms (this has 1,000,000)"),
        ("$.definitions.rules[1].values", "at most 1,000 values (this has 1,001)"),
    ]


def test_half_a_surrogate_pair_is_not_text() -> None:
    doc = _document()
    doc["definitions"]["kpis"][0]["name"] = "MQLs \ud800"
    assert _issues(json.dumps(doc)) == [
        ("$.definitions.kpis[0].name", "not valid text: character 6 is half of a UTF-16 surrogate pair")
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "[" * 100_000 + "]" * 100_000, "nested deeper than 32 levels: not a definitions document", id="deep"
        ),
        pytest.param(
            '{"format": "accord-definitions", "definitions": {"x": ' + "[" * 40 + "]" * 40 + "}}",
            "nested deeper than 32 levels: not a definitions document",
            id="deep-but-parsed",
        ),
        pytest.param(
            " " * (8 * 1024 * 1024 + 1),
            "larger than 8,388,608 bytes (8 MiB), the most a definitions document may be",
            id="large",
        ),
        pytest.param(
            b'{"format": "accord-definitions", "x": "\xff"}',
            "not UTF-8 text (byte 40 cannot be decoded)",
            id="not-utf8",
        ),
        pytest.param(
            "1" * 5000,
            "not readable JSON: a number of more than 4,300 digits",
            id="long-integer",
        ),
        pytest.param("42", "expected a JSON object", id="number"),
        pytest.param('"accord-definitions"', "expected a JSON object", id="string"),
        pytest.param("null", "expected a JSON object", id="null"),
        pytest.param("", "not valid JSON: Expecting value (line 1, column 1)", id="empty"),
    ],
)
def test_any_input_gives_one_issue_not_an_exception(text: str | bytes, message: str) -> None:
    assert _issues(text) == [("$", message)]


def test_a_utf8_file_with_a_byte_order_mark_is_read() -> None:
    data = "\ufeff".encode() + dumps(full_definitions()).encode("utf-8")
    assert parse_definitions(data).model_dump() == full_definitions().model_dump()


def test_schema_states_the_limits() -> None:
    defs = json.loads(schema_text())["$defs"]
    rule = defs["ScoringRule"]["properties"]
    assert rule["points"]["minimum"] == -1_000_000 and rule["points"]["maximum"] == 1_000_000
    assert rule["values"]["maxItems"] == 1_000 and rule["values"]["items"]["maxLength"] == 200
    assert rule["minimum"]["anyOf"][0] == {"maximum": 1e15, "minimum": -1e15, "type": "number"}
    assert rule["decay_half_life_days"]["anyOf"][0]["exclusiveMinimum"] == 0
    assert defs["FunnelStage"]["properties"]["definition"]["maxLength"] == 20_000
    assert defs["TeamTargets"]["properties"]["reps"]["maximum"] == 100_000
    assert defs["Definitions"]["properties"]["rules"]["maxItems"] == 1_000
    assert defs["Definitions"]["properties"]["timeboxes"]["additionalProperties"]["maximum"] == 1_440
    assert "8 MiB" in json.loads(schema_text())["description"]
