"""The open workshop as the Qt layer sees it: every edit applied, saved and put on one undo
stack; refusals reported and never recorded; quick changes of one field merged; signing and
the next revision."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

import widgets.session
from models.definitions import new_definitions
from models.document import Document, Edited
from models.edits import MoveItem, ReplaceAll, SetField, insert_item
from tests.conftest import reopen
from widgets.session import MERGE_WINDOW_S, WorkshopSession


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeMonotonic:
    """Replace the clock widgets.session stamps undo steps with (and nothing else's)."""
    fake = FakeMonotonic()
    monkeypatch.setattr(widgets.session, "time", SimpleNamespace(monotonic=fake))
    return fake


def collect(signal: Any) -> list[Any]:
    seen: list[Any] = []
    signal.connect(lambda *args: seen.append(args[0] if args else None))
    return seen


def stage_uid(session: WorkshopSession, row: int) -> str:
    return session.defs.stages[row].uid


def sign_everyone(session: WorkshopSession) -> None:
    for person in session.defs.signers():
        session.sign(person.name)


# --------------------------------------------------------------------------- editing
def test_an_edit_is_applied_saved_recorded_and_announced(session: WorkshopSession, workshop_path: Path) -> None:
    edited = collect(session.edited)
    uid = stage_uid(session, 0)
    assert session.set("stages", uid, "name", "Hand raiser")
    assert session.defs.stages[0].name == "Hand raiser"
    assert reopen(workshop_path).stages[0].name == "Hand raiser"
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == "Change stage name"
    assert edited == [SetField("stages", uid, "name", "Inquiry", "Hand raiser")]


def test_undo_and_redo_replay_the_edit_and_save(session: WorkshopSession, workshop_path: Path) -> None:
    edited = collect(session.edited)
    assert session.do(MoveItem("stages", 0, 2))
    session.undo_stack.undo()
    assert reopen(workshop_path).stages[0].name == "Inquiry"
    session.undo_stack.redo()
    assert reopen(workshop_path).stages[2].name == "Inquiry"
    assert edited == [MoveItem("stages", 0, 2), MoveItem("stages", 2, 0), MoveItem("stages", 0, 2)]


def test_a_new_edit_after_undo_drops_the_redo(session: WorkshopSession) -> None:
    session.set("stages", stage_uid(session, 0), "name", "A")
    session.undo_stack.undo()
    assert session.undo_stack.canRedo()
    session.do(MoveItem("stages", 1, 0))
    assert not session.undo_stack.canRedo()
    assert session.defs.stages[0].name == "Marketing Qualified Lead"


def test_a_refused_edit_changes_nothing_and_leaves_no_undo_step(session: WorkshopSession, workshop_path: Path) -> None:
    refused = collect(session.refused)
    edited = collect(session.edited)
    assert not session.do(MoveItem("stages", 0, 99))
    assert not session.set("stages", stage_uid(session, 0), "sla_hours", -1)
    assert not session.set("stages", "no-such-uid", "name", "x")
    assert not session.set("team", None, "target_rate", 1.5)  # a rate is at most 1
    assert len(refused) == 4
    assert "cannot move" in refused[0]
    assert "sla_hours" in refused[1]
    assert "no stage with id 'no-such-uid'" in refused[2]
    assert "target_rate" in refused[3]
    assert edited == []
    assert session.undo_stack.count() == 0
    assert reopen(workshop_path).model_dump() == session.defs.model_dump()


def test_setting_a_field_to_its_value_is_not_an_edit(session: WorkshopSession) -> None:
    edited = collect(session.edited)
    assert session.set("stages", stage_uid(session, 1), "sla_hours", 24)
    assert session.set("team", None, "reps", session.defs.team.reps)
    assert edited == [] and session.undo_stack.count() == 0


def test_timeboxes_are_edits_too(session: WorkshopSession, workshop_path: Path) -> None:
    assert session.set("timeboxes", None, "stages", 50)
    assert reopen(workshop_path).timeboxes["stages"] == 50
    assert session.undo_stack.undoText() == "Change timebox stages"
    session.undo_stack.undo()
    assert reopen(workshop_path).timeboxes["stages"] == 45
    assert not session.set("timeboxes", None, "lunch", 60)  # not a step


def test_importing_definitions_is_one_undoable_step(session: WorkshopSession, workshop_path: Path) -> None:
    before = session.defs.model_dump(mode="json")
    fresh = new_definitions("Imported").model_dump(mode="json")
    assert session.do(ReplaceAll(before, fresh, "Import q1.json"))
    assert reopen(workshop_path).team.workshop_name == "Imported"
    assert session.undo_stack.undoText() == "Import q1.json"
    session.undo_stack.undo()
    assert reopen(workshop_path).model_dump(mode="json") == before


# --------------------------------------------------------------------------- merging
def test_quick_changes_of_one_field_merge(session: WorkshopSession, clock: FakeMonotonic, workshop_path: Path) -> None:
    uid = stage_uid(session, 1)
    for i, name in enumerate(["M", "MQ", "MQL", "MQL!"]):
        clock.now = 100.0 + 1.5 * i  # each within the window of the one before: 4.5 s in all
        assert session.set("stages", uid, "name", name)
    assert session.undo_stack.count() == 1
    session.undo_stack.undo()
    assert reopen(workshop_path).stages[1].name == "Marketing Qualified Lead"
    session.undo_stack.redo()
    assert reopen(workshop_path).stages[1].name == "MQL!"


def test_changes_more_than_two_seconds_apart_do_not_merge(session: WorkshopSession, clock: FakeMonotonic) -> None:
    uid = stage_uid(session, 1)
    session.set("stages", uid, "name", "MQL")
    clock.now += MERGE_WINDOW_S  # exactly at the edge still merges
    session.set("stages", uid, "name", "MQL 2")
    clock.now += MERGE_WINDOW_S + 0.01
    session.set("stages", uid, "name", "MQL 3")
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    assert session.defs.stages[1].name == "MQL 2"
    session.undo_stack.undo()
    assert session.defs.stages[1].name == "Marketing Qualified Lead"


def test_only_the_same_field_of_the_same_item_merges(session: WorkshopSession, clock: FakeMonotonic) -> None:
    session.set("stages", stage_uid(session, 1), "name", "MQL")
    session.set("stages", stage_uid(session, 1), "sla_hours", 12)
    session.set("stages", stage_uid(session, 2), "name", "SAL")
    session.set("team", None, "reps", 9)
    session.set("team", None, "reps", 10)  # merges with the one before
    session.do(MoveItem("stages", 0, 1))
    session.do(MoveItem("stages", 1, 0))  # moves never merge
    assert session.undo_stack.count() == 6


def test_an_edit_between_two_changes_of_a_field_stops_the_merge(session: WorkshopSession, clock: FakeMonotonic) -> None:
    uid = stage_uid(session, 1)
    session.set("stages", uid, "name", "MQL")
    session.do(insert_item(session.defs, "stages", 0, name="Awareness"))
    session.set("stages", uid, "name", "MQL 2")
    assert session.undo_stack.count() == 3


def test_changes_that_come_back_to_the_start_leave_no_empty_undo_step(
    session: WorkshopSession, clock: FakeMonotonic, workshop_path: Path
) -> None:
    uid = stage_uid(session, 1)
    session.set("stages", uid, "name", "MQL")
    session.set("stages", uid, "name", "Marketing Qualified Lead")  # typed it back
    assert session.undo_stack.count() == 0
    assert not session.undo_stack.canUndo()
    assert reopen(workshop_path).stages[1].name == "Marketing Qualified Lead"


def test_an_edit_right_after_undo_and_redo_is_a_step_of_its_own(
    session: WorkshopSession, clock: FakeMonotonic, workshop_path: Path
) -> None:
    uid = stage_uid(session, 1)
    session.set("stages", uid, "name", "MQL")
    session.undo_stack.undo()
    session.undo_stack.redo()
    session.set("stages", uid, "name", "Marketing Qualified Lead")  # at once, same field
    assert session.undo_stack.count() == 2
    session.undo_stack.undo()
    assert reopen(workshop_path).stages[1].name == "MQL"
    session.undo_stack.undo()
    assert reopen(workshop_path).stages[1].name == "Marketing Qualified Lead"


# --------------------------------------------------------------------------- signing, revisions
def test_signing_by_everyone_locks_the_revision_and_clears_undo(
    session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    assert session.set("stages", stage_uid(session, 3), "agreed", True)
    signers = [p.name for p in session.defs.signers()]
    assert signers == ["Priya Raman", "Daniel Osei"]

    with qtbot.waitSignal(session.revisionChanged, timeout=1000):
        assert session.sign(signers[0]) is False  # one of two
    assert session.undo_stack.canUndo()  # not locked yet
    assert not session.read_only

    with qtbot.waitSignal(session.revisionChanged, timeout=1000):
        assert session.sign(signers[1], "Agreed in the room") is True
    assert session.read_only and session.document.locked
    assert not session.undo_stack.canUndo()

    refused = collect(session.refused)
    assert not session.set("stages", stage_uid(session, 0), "name", "Changed")
    assert "Start Next Revision" in refused[0]
    assert not session.sign(signers[0])
    assert "already signed by everyone" in refused[1]
    assert reopen(workshop_path).stages[0].name == "Inquiry"


def test_signing_as_someone_who_does_not_sign_is_refused(session: WorkshopSession) -> None:
    refused = collect(session.refused)
    assert session.sign("Mei Tanaka") is False  # in the room, but not a signer
    assert "not a signer" in refused[0] and "Priya Raman" in refused[0]
    assert not session.document.locked


def test_the_next_revision_is_an_editable_copy(session: WorkshopSession, workshop_path: Path, qtbot: QtBot) -> None:
    sign_everyone(session)
    signed = session.defs.model_dump()
    refused = collect(session.refused)
    assert not session.start_next_revision("  ")
    assert not session.start_next_revision("2026-Q4")
    assert "label" in refused[0] and "exists already" in refused[1]

    with qtbot.waitSignal(session.revisionChanged, timeout=1000):
        assert session.start_next_revision("2027-Q1")
    assert not session.read_only
    assert session.document.revision.label == "2027-Q1"
    assert signed["team"]["period"] == "2026-Q4"  # the demo's period is its revision's label: it moves on
    signed["team"]["period"] = "2027-Q1"
    assert session.defs.model_dump() == signed
    assert session.set("stages", stage_uid(session, 0), "name", "Inquiry 2027")
    assert reopen(workshop_path).stages[0].name == "Inquiry 2027"


def test_a_session_on_a_file_in_use_refuses_every_edit(session: WorkshopSession, workshop_path: Path) -> None:
    other = WorkshopSession(Document.open(workshop_path))
    try:
        assert other.read_only
        refused = collect(other.refused)
        assert not other.set("stages", stage_uid(other, 0), "name", "Mine")
        assert "in use" in refused[0]
        assert not other.start_next_revision("2027-Q1")
        assert other.undo_stack.count() == 0
    finally:
        other.close()
    assert session.set("stages", stage_uid(session, 0), "name", "Theirs")  # the first still edits


def test_closing_lets_go_of_the_file_and_its_notifications(workshop_path: Path, qapp: object) -> None:
    s = WorkshopSession(Document.open(workshop_path))
    edited = collect(s.edited)
    document = s.document
    s.close()
    again = Document.open(workshop_path)
    try:
        assert not again.read_only  # the lock is gone
    finally:
        again.close()
    document._notify(Edited(MoveItem("stages", 0, 1)))  # a late notification does not reach the closed session
    assert edited == []
