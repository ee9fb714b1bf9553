"""The decisions log and parking lot through the real panel: quick entry (with the step it
came up in), the kind filter, edits, moving a parked item to the decisions, removal, undo
and redo of each, and the read-only lock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.definitions import Decision, DecisionKind, now_utc
from tests.conftest import reopen
from widgets.decisions_panel import DecisionsPanel, count_line
from widgets.forms import CommitTextEdit
from widgets.session import WorkshopSession
from widgets.value_filter import AMBER, BLUE

DEMO_DECISION = "Tags and Lead Quality are set by sales after the call, so they stay out of the scoring model."
DEMO_PARKED = "Should chat-only leads go to a nurture track instead of sales?"


@pytest.fixture
def panel(session: WorkshopSession, qtbot: QtBot) -> DecisionsPanel:
    widget = DecisionsPanel(session, current_step=lambda: "vocabulary")
    qtbot.addWidget(widget)
    return widget


def shown(panel: DecisionsPanel) -> list[tuple[str, str]]:
    """(text, kind) of every row the list shows."""
    proxy = panel.proxy
    return [(proxy.index(r, 0).data(), proxy.index(r, 1).data()) for r in range(proxy.rowCount())]


def uid_of(session: WorkshopSession, text: str) -> str:
    return next(d.uid for d in session.defs.decisions if d.text == text)


def on_disk(path: Path) -> list[Decision]:
    return list(reopen(path).decisions)


def test_item_models_pass_the_model_tester(panel: DecisionsPanel, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(panel.editor.model)
    for kind in (None, DecisionKind.DECISION, DecisionKind.PARKING):
        panel.set_filter(kind)
        qtmodeltester.check(panel.proxy)


def test_shows_both_kinds_marked_by_colour(panel: DecisionsPanel) -> None:
    assert shown(panel) == [(DEMO_DECISION, "Decision"), (DEMO_PARKED, "Parked")]
    assert [panel.editor.model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Item", "Kind", "Owner"]
    decision = panel.proxy.index(0, 1).data(Qt.ItemDataRole.ForegroundRole)
    parked = panel.proxy.index(1, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(decision, QBrush) and decision.color().name() == BLUE
    assert isinstance(parked, QBrush) and parked.color().name() == AMBER
    assert panel.counts.text() == "1 decision \u00b7 1 parked"


def test_quick_entry_adds_a_decision_and_a_parked_item_with_the_step(
    panel: DecisionsPanel, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    assert panel.entry.placeholderText() == "Type a decision or parking-lot item, Enter to add"
    before = now_utc()
    qtbot.keyClicks(panel.entry, "Hot lead means score in the hot band")
    qtbot.keyClick(panel.entry, Qt.Key.Key_Return)
    assert panel.entry.text() == ""
    qtbot.mouseClick(panel.kind_buttons[DecisionKind.PARKING], Qt.MouseButton.LeftButton)
    assert panel.entry_kind() == DecisionKind.PARKING
    qtbot.keyClicks(panel.entry, "Do webinars count as inquiries?")
    qtbot.keyClick(panel.entry, Qt.Key.Key_Enter)
    after = now_utc()

    saved = on_disk(workshop_path)
    assert [(d.text, d.kind, d.step) for d in saved[2:]] == [
        ("Hot lead means score in the hot band", DecisionKind.DECISION, "vocabulary"),
        ("Do webinars count as inquiries?", DecisionKind.PARKING, "vocabulary"),
    ]
    for item in saved[2:]:
        assert item.created is not None and before <= item.created <= after
        assert item.created.tzinfo is not None and item.created.utcoffset() == dt.timedelta(0)
    assert shown(panel)[2:] == [
        ("Hot lead means score in the hot band", "Decision"),
        ("Do webinars count as inquiries?", "Parked"),
    ]
    # The last one is selected, with when and where it was recorded.
    assert panel.editor.current_uid() == saved[3].uid
    assert panel.recorded.text().startswith("Recorded ") and panel.recorded.text().endswith("during Vocabulary.")
    assert panel.counts.text() == "2 decisions \u00b7 2 parked"

    session.undo_stack.undo()
    session.undo_stack.undo()
    assert len(on_disk(workshop_path)) == 2 and panel.proxy.rowCount() == 2
    session.undo_stack.redo()
    session.undo_stack.redo()
    assert [d.text for d in on_disk(workshop_path)[2:]] == [
        "Hot lead means score in the hot band",
        "Do webinars count as inquiries?",
    ]


def test_quick_entry_ignores_blank_text(panel: DecisionsPanel, session: WorkshopSession) -> None:
    panel.entry.setText("   ")
    panel.add_from_entry()
    assert len(session.defs.decisions) == 2
    assert not session.undo_stack.canUndo()


def test_without_a_current_step_the_step_is_empty(session: WorkshopSession, qtbot: QtBot) -> None:
    panel = DecisionsPanel(session)
    qtbot.addWidget(panel)
    uid = panel.add_item("Review the definitions every quarter", DecisionKind.DECISION)
    item = next(d for d in session.defs.decisions if d.uid == uid)
    assert item.step == "" and item.created is not None


@pytest.mark.parametrize(
    ("kind", "texts"),
    [
        (None, [DEMO_DECISION, DEMO_PARKED]),
        (DecisionKind.DECISION, [DEMO_DECISION]),
        (DecisionKind.PARKING, [DEMO_PARKED]),
    ],
)
def test_filter_shows_one_kind(panel: DecisionsPanel, kind: DecisionKind | None, texts: list[str]) -> None:
    panel.set_filter(kind)
    assert panel.proxy.rowCount() == len(texts)
    assert [text for text, _ in shown(panel)] == texts
    assert (
        panel.filter_box.currentText()
        == {None: "All", DecisionKind.DECISION: "Decisions", DecisionKind.PARKING: "Parking lot"}[kind]
    )


def test_filter_box_drives_the_filter(panel: DecisionsPanel) -> None:
    assert [panel.filter_box.itemText(i) for i in range(panel.filter_box.count())] == [
        "All",
        "Decisions",
        "Parking lot",
    ]
    panel.filter_box.setCurrentIndex(2)
    panel.filter_box.activated.emit(2)
    assert panel.kind_filter() == DecisionKind.PARKING
    assert shown(panel) == [(DEMO_PARKED, "Parked")]


def test_adding_what_the_filter_hides_shows_everything(panel: DecisionsPanel, session: WorkshopSession) -> None:
    panel.set_filter(DecisionKind.PARKING)
    uid = panel.add_item("One MQL definition for every region", DecisionKind.DECISION)
    assert panel.kind_filter() is None
    assert panel.editor.current_uid() == uid
    panel.set_filter(DecisionKind.PARKING)
    panel.add_item("Regional thresholds?", DecisionKind.PARKING)
    assert panel.kind_filter() == DecisionKind.PARKING  # it is shown: nothing to change
    assert [text for text, _ in shown(panel)] == [DEMO_PARKED, "Regional thresholds?"]


def test_move_a_parked_item_to_the_decisions(
    panel: DecisionsPanel, session: WorkshopSession, workshop_path: Path
) -> None:
    panel.editor.select_uid(uid_of(session, DEMO_DECISION))
    assert not panel.promote_button.isEnabled()
    panel.set_filter(DecisionKind.PARKING)
    panel.editor.select_uid(uid_of(session, DEMO_PARKED))
    assert panel.promote_button.isEnabled()
    panel.promote_button.click()
    assert [d.kind for d in on_disk(workshop_path)] == [DecisionKind.DECISION, DecisionKind.DECISION]
    assert panel.proxy.rowCount() == 0  # the parking lot is empty now
    assert panel.counts.text() == "2 decisions \u00b7 0 parked"
    session.undo_stack.undo()
    assert on_disk(workshop_path)[1].kind == DecisionKind.PARKING
    assert shown(panel) == [(DEMO_PARKED, "Parked")]
    session.undo_stack.redo()
    assert on_disk(workshop_path)[1].kind == DecisionKind.DECISION


def test_move_several_parked_items_is_one_undo_step(
    panel: DecisionsPanel, session: WorkshopSession, workshop_path: Path
) -> None:
    panel.add_item("Regional thresholds?", DecisionKind.PARKING)
    panel.set_filter(DecisionKind.PARKING)
    panel.editor.table.selectAll()
    assert panel.promote_button.isEnabled()
    panel.promote_selected()
    assert all(d.kind == DecisionKind.DECISION for d in on_disk(workshop_path))
    session.undo_stack.undo()
    assert [d.kind for d in on_disk(workshop_path)] == [
        DecisionKind.DECISION,
        DecisionKind.PARKING,
        DecisionKind.PARKING,
    ]


def test_edit_text_owner_kind_and_step_in_the_form(
    panel: DecisionsPanel, session: WorkshopSession, workshop_path: Path
) -> None:
    uid = uid_of(session, DEMO_PARKED)
    panel.editor.select_uid(uid)
    form = panel.form
    text, owner, kind, step = (form.editors[f] for f in ("text", "owner", "kind", "step"))
    assert isinstance(text, CommitTextEdit) and isinstance(owner, QLineEdit)
    assert isinstance(kind, QComboBox) and isinstance(step, QComboBox)
    assert step.currentText() == "Scoring model"

    text.setPlainText("Chat-only leads go to a nurture track.")
    text.committed.emit()
    owner.setText("Mei Tanaka")
    owner.editingFinished.emit()
    kind.setCurrentIndex(kind.findData("decision"))
    kind.activated.emit(kind.currentIndex())
    step.setCurrentIndex(step.findData("signoff"))
    step.activated.emit(step.currentIndex())

    saved = on_disk(workshop_path)[1]
    assert (saved.text, saved.owner, saved.kind, saved.step) == (
        "Chat-only leads go to a nurture track.",
        "Mei Tanaka",
        DecisionKind.DECISION,
        "signoff",
    )
    assert shown(panel)[1] == ("Chat-only leads go to a nurture track.", "Decision")
    assert panel.recorded.text() == "Recorded during Decisions and sign-off."

    item = next(d for d in session.defs.decisions if d.uid == uid)
    for field, before in (
        ("step", "scoring"),
        ("kind", DecisionKind.PARKING),
        ("owner", "Daniel Osei"),
        ("text", DEMO_PARKED),
    ):
        session.undo_stack.undo()
        assert getattr(item, field) == before, field
    assert on_disk(workshop_path)[1].text == DEMO_PARKED
    for _ in range(4):
        session.undo_stack.redo()
    assert on_disk(workshop_path)[1].owner == "Mei Tanaka"


def test_remove_is_saved_and_undoable(panel: DecisionsPanel, session: WorkshopSession, workshop_path: Path) -> None:
    panel.editor.select_uid(uid_of(session, DEMO_DECISION))
    panel.editor.remove_button.click()
    assert [d.text for d in on_disk(workshop_path)] == [DEMO_PARKED]
    assert shown(panel) == [(DEMO_PARKED, "Parked")]
    session.undo_stack.undo()
    assert [d.text for d in on_disk(workshop_path)] == [DEMO_DECISION, DEMO_PARKED]
    session.undo_stack.redo()
    assert len(on_disk(workshop_path)) == 1


def test_read_only_once_the_revision_is_signed(panel: DecisionsPanel, session: WorkshopSession) -> None:
    assert panel.read_only_hint.isHidden()
    session.sign("Priya Raman")
    session.sign("Daniel Osei")
    assert session.read_only
    assert not panel.entry.isEnabled() and panel.entry.isHidden()
    assert not any(b.isEnabled() or not b.isHidden() for b in panel.kind_buttons.values())
    panel.editor.select_uid(uid_of(session, DEMO_PARKED))
    assert not panel.promote_button.isEnabled()
    assert not panel.editor.remove_button.isEnabled()
    assert not panel.read_only_hint.isHidden()
    assert panel.add_item("Too late", DecisionKind.DECISION) is None
    panel.promote_selected()
    assert len(session.defs.decisions) == 2 and session.defs.decisions[1].kind == DecisionKind.PARKING
    owner = panel.form.editors["owner"]
    assert isinstance(owner, QLineEdit) and owner.isReadOnly()
    # Reading and filtering still work.
    panel.set_filter(DecisionKind.PARKING)
    assert shown(panel) == [(DEMO_PARKED, "Parked")]
    # The next revision is a draft again.
    assert session.start_next_revision("2027-Q1")
    assert panel.entry.isEnabled() and not panel.entry.isHidden() and panel.read_only_hint.isHidden()
    assert panel.add_item("Revisit in Q1", DecisionKind.DECISION) is not None


def test_owner_column_gives_way_in_a_narrow_dock(panel: DecisionsPanel, qtbot: QtBot) -> None:
    owner = panel.editor.model.column_of("owner")
    panel.resize(260, 600)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.editor.table.isColumnHidden(owner)
    panel.resize(1000, 600)
    qtbot.waitUntil(lambda: not panel.editor.table.isColumnHidden(owner))


def test_counts_line() -> None:
    assert count_line([]) == "Nothing recorded yet."
    assert count_line([Decision(kind=DecisionKind.PARKING)]) == "0 decisions \u00b7 1 parked"
