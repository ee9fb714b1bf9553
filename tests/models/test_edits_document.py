"""Edits applied through a Document: saved at once, undone exactly, refused cleanly; sign-off and locking."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from models.definitions import Decision, Definitions, FunnelStage, Participant, ScoringSettings, TeamTargets
from models.document import Document, Edited, RevisionLocked, RevisionSwitched, Signed
from models.edits import (
    Batch,
    EditError,
    InsertItem,
    MoveItem,
    RemoveItem,
    ReplaceAll,
    SetField,
    insert_item,
    remove_item,
    set_field,
)
from models.store import WorkshopFile
from tests.models.conftest import full_definitions, sha256_canonical

Json = dict[str, Any]


def on_disk(path: Path, revision_id: int | None = None) -> Json:
    """The definitions as a fresh reader of the file sees them."""
    with WorkshopFile.open(path, read_only=True) as f:
        rid = f.revisions()[-1].id if revision_id is None else revision_id
        return f.load_definitions(rid).model_dump(mode="json")


@pytest.fixture
def doc(tmp_path: Path) -> Iterator[Document]:
    d = Document.create(tmp_path / "edits.accord", full_definitions(), label="2026-Q3")
    yield d
    d.close()


# --------------------------------------------------------------------------- every edit kind
# Each case: (id, builds the edit from the current definitions, applies the expected change by hand
# to a JSON copy of the definitions).
EditCase = tuple[str, Callable[[Definitions], Any], Callable[[Json], None]]


def _expect_insert(d: Json) -> None:
    d["stages"].insert(
        1,
        {
            "uid": "s-nur",
            "name": "Nurture",
            "definition": "Not ready yet.",
            "entry_criteria": "",
            "exit_criteria": "",
            "owner": "Marketing",
            "sla_hours": None,
            "examples": "",
            "agreed": False,
        },
    )


def _expect_replace(d: Json) -> None:
    d.clear()
    d.update(
        {
            "team": {
                "workshop_name": "Imported",
                "organisation": "",
                "date": None,
                "facilitator": "",
                "period": "",
                "currency": "USD",
                "revenue_goal": None,
                "baseline_rate": 0.01,
                "target_rate": 0.1,
                "reps": 5,
                "leads_per_rep_per_week": 50,
            },
            "participants": [],
            "stages": [],
            "terms": [],
            "rules": [],
            "bands": [],
            "scoring": {"threshold": 40.0, "minimum_fit": None, "as_of_date": None, "history_weeks": None},
            "kpis": [],
            "decisions": [],
            "timeboxes": {"team": 5},
        }
    )


def _expect_batch(d: Json) -> None:
    del d["kpis"][2]
    del d["kpis"][0]
    d["team"]["reps"] = 9


EDIT_CASES: list[EditCase] = [
    ("team.reps", lambda d: set_field(d, "team", None, "reps", 8), lambda d: d["team"].__setitem__("reps", 8)),
    (
        "team.date",
        lambda d: set_field(d, "team", None, "date", "2027-01-15"),
        lambda d: d["team"].__setitem__("date", "2027-01-15"),
    ),
    (
        "team.revenue_goal",
        lambda d: set_field(d, "team", None, "revenue_goal", 1_250_000),
        lambda d: d["team"].__setitem__("revenue_goal", 1_250_000.0),
    ),
    (
        "scoring.threshold",
        lambda d: set_field(d, "scoring", None, "threshold", 55.5),
        lambda d: d["scoring"].__setitem__("threshold", 55.5),
    ),
    (
        "scoring.minimum_fit_to_none",
        lambda d: set_field(d, "scoring", None, "minimum_fit", None),
        lambda d: d["scoring"].__setitem__("minimum_fit", None),
    ),
    (
        "scoring.as_of_date",
        lambda d: set_field(d, "scoring", None, "as_of_date", dt.date(2026, 8, 1)),
        lambda d: d["scoring"].__setitem__("as_of_date", "2026-08-01"),
    ),
    (
        "stage.name",
        lambda d: set_field(d, "stages", "s-mql", "name", "MQL"),
        lambda d: d["stages"][1].__setitem__("name", "MQL"),
    ),
    (
        "stage.sla_hours",
        lambda d: set_field(d, "stages", "s-inq", "sla_hours", 4),
        lambda d: d["stages"][0].__setitem__("sla_hours", 4.0),
    ),
    (
        "participant.team_enum",
        lambda d: set_field(d, "participants", "p-mei", "team", "Sales"),
        lambda d: d["participants"][2].__setitem__("team", "Sales"),
    ),
    (
        "participant.signer",
        lambda d: set_field(d, "participants", "p-mei", "signer", True),
        lambda d: d["participants"][2].__setitem__("signer", True),
    ),
    (
        "term.status",
        lambda d: set_field(d, "terms", "t-hot", "status", "agreed"),
        lambda d: d["terms"][1].__setitem__("status", "agreed"),
    ),
    (
        "rule.operator",
        lambda d: set_field(d, "rules", "r-occ", "operator", "contains"),
        lambda d: d["rules"][0].__setitem__("operator", "contains"),
    ),
    (
        "rule.values_list",
        lambda d: set_field(d, "rules", "r-src", "values", ["Google", "Bing"]),
        lambda d: d["rules"][1].__setitem__("values", ["Google", "Bing"]),
    ),
    (
        "band.min_score",
        lambda d: set_field(d, "bands", "b-hot", "min_score", 45),
        lambda d: d["bands"][1].__setitem__("min_score", 45.0),
    ),
    (
        "kpi.cadence",
        lambda d: set_field(d, "kpis", "k-dup", "cadence", "Quarterly"),
        lambda d: d["kpis"][2].__setitem__("cadence", "Quarterly"),
    ),
    (
        "decision.kind",
        lambda d: set_field(d, "decisions", "d-2", "kind", "decision"),
        lambda d: d["decisions"][1].__setitem__("kind", "decision"),
    ),
    (
        "timebox",
        lambda d: set_field(d, "timeboxes", None, "scoring", 75),
        lambda d: d["timeboxes"].__setitem__("scoring", 75),
    ),
    (
        "insert",
        lambda d: insert_item(d, "stages", 1, uid="s-nur", name="Nurture", definition="Not ready yet."),
        _expect_insert,
    ),
    (
        "insert_at_end",
        lambda d: insert_item(d, "bands", None, uid="b-warm", name="Warm", min_score=20),
        lambda d: d["bands"].append({"uid": "b-warm", "name": "Warm", "min_score": 20.0, "colour": "#f0a030"}),
    ),
    ("remove", lambda d: remove_item(d, "rules", "r-vis"), lambda d: d["rules"].pop(2)),
    ("move_down", lambda d: MoveItem("stages", 0, 2), lambda d: d["stages"].insert(2, d["stages"].pop(0))),
    ("move_up", lambda d: MoveItem("kpis", 2, 0), lambda d: d["kpis"].insert(0, d["kpis"].pop(2))),
    (
        "replace_all",
        lambda d: ReplaceAll(
            d.model_dump(mode="json"),
            Definitions(team=TeamTargets(workshop_name="Imported"), timeboxes={"team": 5}).model_dump(mode="json"),
        ),
        _expect_replace,
    ),
    (
        "batch",
        lambda d: Batch(
            (remove_item(d, "kpis", "k-dup"), remove_item(d, "kpis", "k-mql"), set_field(d, "team", None, "reps", 9)),
            "Remove 2 KPIs",
        ),
        _expect_batch,
    ),
]


@pytest.mark.parametrize(("make", "expect"), [(m, e) for _, m, e in EDIT_CASES], ids=[c[0] for c in EDIT_CASES])
def test_edit_is_saved_and_its_inverse_restores_everything(
    doc: Document, make: Callable[[Definitions], Any], expect: Callable[[Json], None]
) -> None:
    before = doc.defs.model_dump(mode="json")
    assert on_disk(doc.path) == before
    expected = copy.deepcopy(before)
    expect(expected)
    assert expected != before

    seen: list[Any] = []
    doc.subscribe(seen.append)
    edit = make(doc.defs)
    doc.apply(edit)
    assert seen == [Edited(edit)]
    assert doc.defs.model_dump(mode="json") == expected
    assert on_disk(doc.path) == expected

    doc.apply(edit.inverse())
    assert doc.defs.model_dump(mode="json") == before
    assert on_disk(doc.path) == before

    doc.apply(edit)  # redo
    assert doc.defs.model_dump(mode="json") == expected
    assert on_disk(doc.path) == expected


# --------------------------------------------------------------------------- refused edits
INVALID: list[tuple[str, Callable[[Definitions], Any], str]] = [
    ("negative reps", lambda d: SetField("team", None, "reps", 6, -1), "reps"),
    ("reps not a number", lambda d: SetField("team", None, "reps", 6, "many"), "reps"),
    ("rate above 1", lambda d: SetField("team", None, "target_rate", 0.25, 1.5), "target_rate"),
    ("unknown enum", lambda d: SetField("participants", "p-mei", "team", "Marketing", "Legal"), "team"),
    ("unknown operator", lambda d: SetField("rules", "r-occ", "operator", "equals", "greater_than"), "operator"),
    ("unknown uid", lambda d: SetField("stages", "s-nope", "name", "", "X"), "no stage with id 's-nope'"),
    ("unknown field", lambda d: SetField("stages", "s-mql", "colour", None, "red"), "no editable field 'colour'"),
    ("uid is not editable", lambda d: SetField("stages", "s-mql", "uid", "s-mql", "s-x"), "no editable field 'uid'"),
    ("unknown section", lambda d: SetField("pricing", None, "price", 1, 2), "unknown section 'pricing'"),
    ("negative sla", lambda d: SetField("stages", "s-mql", "sla_hours", 24, -3), "sla_hours"),
    ("threshold not finite", lambda d: SetField("scoring", None, "threshold", 42.5, float("nan")), "threshold"),
    ("points infinite", lambda d: SetField("rules", "r-occ", "points", 25, float("inf")), "points"),
    ("negative timebox", lambda d: SetField("timeboxes", None, "team", 10, -5), "negative"),
    ("timebox not a number", lambda d: SetField("timeboxes", None, "team", 10, "soon"), "minutes"),
    ("timebox unknown step", lambda d: SetField("timeboxes", None, "lunch", None, 60), "lunch"),
    ("insert out of range", lambda d: InsertItem("stages", 9, {"uid": "s-x", "name": "X"}), "cannot insert at 9"),
    ("insert duplicate uid", lambda d: InsertItem("stages", 0, {"uid": "s-mql", "name": "X"}), "exists already"),
    ("insert invalid item", lambda d: InsertItem("stages", 0, {"uid": "s-x", "sla_hours": -1}), "sla_hours"),
    ("insert unknown key", lambda d: InsertItem("stages", 0, {"uid": "s-x", "colour": "red"}), "colour"),
    ("remove wrong index", lambda d: RemoveItem("stages", 0, {"uid": "s-mql"}), "is not at 0"),
    ("remove unknown uid", lambda d: remove_item(d, "rules", "r-nope"), "no rule with id 'r-nope'"),
    ("move out of range", lambda d: MoveItem("stages", 0, 3), "cannot move from 0 to 3"),
    ("replace with invalid", lambda d: ReplaceAll({}, {"rules": [{"operator": "bogus"}]}), "operator"),
    (
        "batch with a bad step",
        lambda d: Batch(
            (SetField("team", None, "reps", 6, 7), MoveItem("stages", 0, 1), SetField("team", None, "reps", 7, -1)),
            "three",
        ),
        "reps",
    ),
]


@pytest.mark.parametrize(("make", "fragment"), [(m, f) for _, m, f in INVALID], ids=[c[0] for c in INVALID])
def test_invalid_edit_raises_edit_error_and_changes_nothing(
    doc: Document, make: Callable[[Definitions], Any], fragment: str
) -> None:
    before = doc.defs.model_dump(mode="json")
    file_before = doc.path.read_bytes()
    seen: list[Any] = []
    doc.subscribe(seen.append)
    with pytest.raises(EditError) as info:
        doc.apply(make(doc.defs))
    assert fragment in str(info.value)
    assert doc.defs.model_dump(mode="json") == before
    assert doc.path.read_bytes() == file_before
    assert seen == []


def test_failed_save_reverts_the_edit_in_memory(doc: Document, monkeypatch: pytest.MonkeyPatch) -> None:
    before = doc.defs.model_dump(mode="json")

    def broken(revision_id: int, definitions: Definitions) -> None:
        raise OSError("disk full")

    def broken_field(revision_id: int, definitions: Definitions, *where: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(doc.file, "save_definitions", broken)
    monkeypatch.setattr(doc.file, "save_field", broken_field)  # one field's edit saves just that
    with pytest.raises(OSError, match="disk full"):
        doc.apply(set_field(doc.defs, "team", None, "reps", 11))
    with pytest.raises(OSError, match="disk full"):
        doc.apply(set_field(doc.defs, "rules", doc.defs.rules[0].uid, "points", 99))
    with pytest.raises(OSError, match="disk full"):
        doc.apply(remove_item(doc.defs, "stages", "s-inq"))
    assert doc.defs.model_dump(mode="json") == before
    assert on_disk(doc.path) == before


# --------------------------------------------------------------------------- SetField details
def test_set_field_carries_the_current_value_as_old(doc: Document) -> None:
    assert set_field(doc.defs, "team", None, "reps", 8) == SetField("team", None, "reps", 6, 8)
    assert set_field(doc.defs, "stages", "s-sal", "sla_hours", 12) == SetField("stages", "s-sal", "sla_hours", 48.5, 12)
    assert set_field(doc.defs, "timeboxes", None, "kpis", 30) == SetField("timeboxes", None, "kpis", 20, 30)
    with pytest.raises(EditError, match="no term with id 't-none'"):
        set_field(doc.defs, "terms", "t-none", "term", "x")


def test_set_field_merges_only_with_the_same_field_of_the_same_item() -> None:
    a = SetField("stages", "s-1", "name", "A", "AB")
    assert a.merges_with(SetField("stages", "s-1", "name", "AB", "ABC"))
    assert not a.merges_with(SetField("stages", "s-1", "definition", "AB", "ABC"))
    assert not a.merges_with(SetField("stages", "s-2", "name", "AB", "ABC"))
    assert not a.merges_with(SetField("terms", "s-1", "name", "AB", "ABC"))
    assert not a.merges_with(InsertItem("stages", 0, {"uid": "s-1"}))
    assert not a.merges_with("name")
    assert SetField("team", None, "reps", 1, 2).merges_with(SetField("team", None, "reps", 2, 3))
    assert SetField("timeboxes", None, "team", 1, 2).merges_with(SetField("timeboxes", None, "team", 2, 3))


def test_inverses_are_mirror_images() -> None:
    assert SetField("team", None, "reps", 1, 2).inverse() == SetField("team", None, "reps", 2, 1)
    assert InsertItem("kpis", 3, {"uid": "k"}).inverse() == RemoveItem("kpis", 3, {"uid": "k"})
    assert RemoveItem("kpis", 3, {"uid": "k"}).inverse() == InsertItem("kpis", 3, {"uid": "k"})
    assert MoveItem("kpis", 0, 4).inverse() == MoveItem("kpis", 4, 0)
    assert ReplaceAll({"a": 1}, {"b": 2}, "Import").inverse() == ReplaceAll({"b": 2}, {"a": 1}, "Import")
    e1, e2 = SetField("team", None, "reps", 1, 2), MoveItem("kpis", 0, 1)
    assert Batch((e1, e2), "two").inverse() == Batch(
        (MoveItem("kpis", 1, 0), SetField("team", None, "reps", 2, 1)), "two"
    )


def test_setting_a_timebox_for_a_step_without_one_is_undone_exactly(tmp_path: Path) -> None:
    d = Document.create(tmp_path / "t.accord", Definitions(timeboxes={"team": 10}))
    try:
        edit = set_field(d.defs, "timeboxes", None, "stages", 30)
        d.apply(edit)
        assert d.defs.timeboxes == {"team": 10, "stages": 30}
        assert on_disk(d.path)["timeboxes"] == {"team": 10, "stages": 30}
        d.apply(edit.inverse())
        assert d.defs.timeboxes == {"team": 10}
        assert on_disk(d.path)["timeboxes"] == {"team": 10}
    finally:
        d.close()


# --------------------------------------------------------------------------- sign-off
def _states(d: Document) -> dict[str, str]:
    return {s.signer: s.state for s in d.signature_status()}


def test_only_signers_can_sign(doc: Document) -> None:
    for who in ("Mei Tanaka", "Someone Else", ""):
        with pytest.raises(ValueError) as info:
            doc.sign(who)
        assert "is not a signer of this revision (signers: Priya Raman, Daniel Osei)" in str(info.value)
    assert _states(doc) == {"Priya Raman": "not signed", "Daniel Osei": "not signed"}


def test_signing_with_no_signer_marked_says_so(tmp_path: Path) -> None:
    d = Document.create(tmp_path / "n.accord", Definitions(participants=[Participant(name="Ann")]))
    try:
        with pytest.raises(ValueError, match=r"nobody is marked as a signer yet"):
            d.sign("Ann")
    finally:
        d.close()


def test_partial_signature_does_not_lock_and_goes_stale_after_an_edit(doc: Document) -> None:
    when = dt.datetime(2026, 7, 14, 16, 0, tzinfo=dt.UTC)
    assert doc.sign("  priya RAMAN ", statement=" We agree. ", when=when) is False
    assert not doc.locked and not doc.read_only
    assert _states(doc) == {"Priya Raman": "signed", "Daniel Osei": "not signed"}
    [sig] = doc.file.signatures(doc.revision.id)
    assert (sig.signer, sig.role, sig.statement, sig.signed_at) == ("Priya Raman", "VP Sales", "We agree.", when)
    assert sig.content_hash == sha256_canonical(doc.defs.model_dump(mode="json"))

    doc.apply(set_field(doc.defs, "scoring", None, "threshold", 50))  # still editable
    assert _states(doc) == {"Priya Raman": "signed an earlier draft", "Daniel Osei": "not signed"}

    # The other signer signing now does not lock: Priya signed an earlier draft.
    assert doc.sign("Daniel Osei") is False
    assert not doc.locked
    assert _states(doc) == {"Priya Raman": "signed an earlier draft", "Daniel Osei": "signed"}
    assert doc.revision.status == "draft"


def test_all_signers_on_current_definitions_lock_the_revision(doc: Document) -> None:
    doc.sign("Priya Raman")
    doc.apply(set_field(doc.defs, "team", None, "reps", 7))
    events: list[Any] = []
    doc.subscribe(events.append)
    assert doc.sign("Daniel Osei") is False
    assert doc.sign("Priya Raman") is True  # re-signed the current draft: everyone has
    assert events == [Signed(locked=False), Signed(locked=True)]

    expected_hash = sha256_canonical(doc.defs.model_dump(mode="json"))
    assert doc.locked and doc.read_only
    assert doc.revision.status == "signed"
    assert doc.revision.content_hash == expected_hash
    assert doc.revision.signed_at is not None
    assert doc.content_hash() == expected_hash
    assert {s.content_hash for s in doc.file.signatures(doc.revision.id)} == {expected_hash}
    assert _states(doc) == {"Priya Raman": "signed", "Daniel Osei": "signed"}


def _sign_everyone(d: Document) -> None:
    d.sign("Priya Raman")
    assert d.sign("Daniel Osei") is True


LOCKED_EDITS: list[Callable[[Definitions], Any]] = [
    lambda d: set_field(d, "team", None, "reps", 1),
    lambda d: set_field(d, "timeboxes", None, "team", 1),
    lambda d: insert_item(d, "terms", None, term="New"),
    lambda d: remove_item(d, "stages", "s-inq"),
    lambda d: MoveItem("stages", 0, 1),
    lambda d: ReplaceAll(d.model_dump(mode="json"), Definitions().model_dump(mode="json")),
    lambda d: Batch((set_field(d, "team", None, "reps", 1),), "one"),
]


def test_every_edit_of_a_signed_revision_is_refused(doc: Document) -> None:
    _sign_everyone(doc)
    before = doc.defs.model_dump(mode="json")
    file_before = doc.path.read_bytes()
    for make in LOCKED_EDITS:
        with pytest.raises(RevisionLocked) as info:
            doc.apply(make(doc.defs))
        message = str(info.value)
        assert "signed and locked" in message
        assert "start the next revision" in message
        assert "2026-Q3" in message
    with pytest.raises(RevisionLocked):
        doc.replace_definitions(Definitions())
    with pytest.raises(RevisionLocked, match="already signed by everyone and locked"):
        doc.sign("Priya Raman")
    assert doc.defs.model_dump(mode="json") == before
    assert doc.path.read_bytes() == file_before


def test_lock_and_hash_persist_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "signed.accord"
    d = Document.create(path, full_definitions(), label="2026-Q3")
    _sign_everyone(d)
    signed_hash = d.revision.content_hash
    d.close()

    again = Document.open(path)
    try:
        assert again.locked and again.read_only
        assert again.revision.status == "signed"
        assert again.revision.content_hash == signed_hash
        assert sha256_canonical(again.defs.model_dump(mode="json")) == signed_hash
        assert _states(again) == {"Priya Raman": "signed", "Daniel Osei": "signed"}
        with pytest.raises(RevisionLocked, match="start the next revision"):
            again.apply(set_field(again.defs, "team", None, "reps", 1))
    finally:
        again.close()


def test_start_next_revision_copies_into_an_editable_draft(tmp_path: Path) -> None:
    path = tmp_path / "next.accord"
    d = Document.create(path, full_definitions(), label="2026-Q3")
    try:
        _sign_everyone(d)
        signed_id, signed_hash = d.revision.id, d.revision.content_hash
        signed_json = d.defs.model_dump(mode="json")

        with pytest.raises(ValueError, match="needs a label"):
            d.start_next_revision("   ")
        with pytest.raises(ValueError, match="'2026-Q3' exists already"):
            d.start_next_revision("2026-Q3")

        events: list[Any] = []
        d.subscribe(events.append)
        d.start_next_revision(" 2026-Q4 ")
        assert events == [RevisionSwitched()]
        assert d.revision.label == "2026-Q4" and d.revision.status == "draft"
        assert d.revision.id != signed_id
        assert not d.locked and not d.read_only
        copied = dict(signed_json, team=dict(signed_json["team"], period="2026-Q4"))
        assert signed_json["team"]["period"] == "2026-Q3"  # named after the revision: it moves on
        assert d.defs.model_dump(mode="json") == copied
        assert _states(d) == {"Priya Raman": "not signed", "Daniel Osei": "not signed"}

        d.apply(set_field(d.defs, "scoring", None, "threshold", 60))
        d.apply(remove_item(d.defs, "stages", "s-inq"))
    finally:
        d.close()

    with WorkshopFile.open(path, read_only=True) as f:
        revs = f.revisions()
        assert [(r.label, r.status) for r in revs] == [("2026-Q3", "signed"), ("2026-Q4", "draft")]
        assert revs[0].content_hash == signed_hash
        assert f.load_definitions(signed_id).model_dump(mode="json") == signed_json
        new = f.load_definitions(revs[1].id).model_dump(mode="json")
    assert new["scoring"]["threshold"] == 60.0
    assert [s["uid"] for s in new["stages"]] == ["s-mql", "s-sal"]

    reopened = Document.open(path)  # opens the latest revision, which is the draft
    try:
        assert reopened.revision.label == "2026-Q4" and not reopened.read_only
        old = Document(reopened.file, signed_id)
        assert old.locked and old.defs.model_dump(mode="json") == signed_json
    finally:
        reopened.close()


def test_content_hash_is_stable_across_save_and_reopen(tmp_path: Path) -> None:
    # Whole numbers in float fields (threshold 40, points 25, ...) and a time given with an offset:
    # the hash of what was signed must be the hash of what is read back.
    defs = Definitions(
        participants=[Participant(name="Priya Raman", signer=True), Participant(name="Daniel Osei", signer=True)],
        stages=[FunnelStage(name="MQL", sla_hours=24)],
        scoring=ScoringSettings(threshold=40),
        decisions=[
            Decision(text="x", created=dt.datetime(2026, 7, 14, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))))
        ],
    )
    assert defs.scoring.threshold == 40
    built = sha256_canonical(defs.model_dump(mode="json"))
    assert defs.model_dump(mode="json")["decisions"][0]["created"] == "2026-07-14T09:30:00Z"
    path = tmp_path / "hash.accord"
    d = Document.create(path, defs)
    assert d.content_hash() == built
    # An edit that sets a time with an offset: what is kept in memory is what the file holds.
    d.apply(set_field(d.defs, "decisions", d.defs.decisions[0].uid, "created", "2026-07-15T08:00:00-05:00"))
    assert d.defs.model_dump(mode="json")["decisions"][0]["created"] == "2026-07-15T13:00:00Z"
    in_memory = sha256_canonical(d.defs.model_dump(mode="json"))
    assert d.content_hash() == in_memory
    assert sha256_canonical(on_disk(path)) == in_memory
    d.sign("Priya Raman")
    d.close()

    d = Document.open(path)
    try:
        assert sha256_canonical(d.defs.model_dump(mode="json")) == in_memory
        assert d.content_hash() == in_memory
        assert _states(d) == {"Priya Raman": "signed", "Daniel Osei": "not signed"}
        assert d.sign("Daniel Osei") is True
        assert d.revision.content_hash == in_memory
    finally:
        d.close()
    d = Document.open(path)
    try:
        assert d.revision.content_hash == in_memory == d.content_hash()
    finally:
        d.close()


def test_read_only_document_refuses_edits_and_signatures(tmp_path: Path) -> None:
    path = tmp_path / "busy.accord"
    first = Document.create(path, full_definitions())
    try:
        second = Document.open(path)
        try:
            assert second.read_only and not second.locked
            with pytest.raises(RevisionLocked, match=r"busy\.accord is in use by .* read-only"):
                second.apply(set_field(second.defs, "team", None, "reps", 1))
            with pytest.raises(RevisionLocked, match="in use by"):
                second.sign("Priya Raman")
            with pytest.raises(RevisionLocked, match="in use by"):
                second.start_next_revision("2026-Q4")
        finally:
            second.close()
        assert first.file.revisions()[0].status == "draft"
        assert first.file.signatures(1) == []
    finally:
        first.close()


# --------------------------------------------------------------------------- edits that imply others
def test_changing_an_operator_to_count_makes_a_behaviour_rule_and_away_from_count_drops_the_cap(doc: Document) -> None:
    from models.definitions import Operator, RuleKind
    from models.edits import Batch, change_operator

    fit = next(r for r in doc.defs.rules if r.kind == RuleKind.FIT and r.operator != Operator.COUNT)
    edit = change_operator(doc.defs, fit.uid, Operator.COUNT)
    assert isinstance(edit, Batch) and edit.describe() == "Change rule operator"
    doc.apply(edit)
    rule = next(r for r in doc.defs.rules if r.uid == fit.uid)
    assert (rule.operator, rule.kind) == (Operator.COUNT, RuleKind.BEHAVIOUR)
    doc.apply(set_field(doc.defs, "rules", fit.uid, "cap", 30))
    away = change_operator(doc.defs, fit.uid, Operator.AT_LEAST)
    doc.apply(away)
    rule = next(r for r in doc.defs.rules if r.uid == fit.uid)
    assert (rule.operator, rule.cap, rule.kind) == (Operator.AT_LEAST, None, RuleKind.BEHAVIOUR)
    doc.apply(away.inverse())  # one undo step brings the cap back with the operator
    rule = next(r for r in doc.defs.rules if r.uid == fit.uid)
    assert (rule.operator, rule.cap) == (Operator.COUNT, 30)
