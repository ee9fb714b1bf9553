"""The vocabulary step through the real widget: status marks, the status filter, the counts
line, edits in the form and the table (saved, undoable), and the read-only lock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QStyleOptionViewItem
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.definitions import GlossaryTerm, TermStatus
from tests.conftest import reopen
from widgets.choice_delegate import ChoiceDelegate
from widgets.forms import CommitTextEdit
from widgets.session import WorkshopSession
from widgets.value_filter import GREEN, RED
from widgets.vocabulary_page import VocabularyPage, count_line

DEMO_TERMS = ["Inquiry", "Prospect", "Lead", "Warm lead", "Account-based marketing", "Enrolment", "Hot lead"]


@pytest.fixture
def page(session: WorkshopSession, qtbot: QtBot) -> VocabularyPage:
    widget = VocabularyPage(session)
    qtbot.addWidget(widget)
    return widget


def shown(page: VocabularyPage) -> list[tuple[str, str]]:
    """(term, status text) of every row the table shows."""
    proxy = page.proxy
    return [(proxy.index(r, 0).data(), proxy.index(r, 1).data()) for r in range(proxy.rowCount())]


def uid_of(session: WorkshopSession, term: str) -> str:
    return next(t.uid for t in session.defs.terms if t.term == term)


def term_on_disk(path: Path, term: str) -> GlossaryTerm:
    return next(t for t in reopen(path).terms if t.term == term)


def test_item_models_pass_the_model_tester(page: VocabularyPage, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(page.editor.model)
    qtmodeltester.check(page.proxy)
    page.set_filter(TermStatus.DISPUTED)
    qtmodeltester.check(page.proxy)


def test_status_is_shown_with_a_symbol_and_a_colour(page: VocabularyPage) -> None:
    assert shown(page) == [
        ("Inquiry", "\u2713 Agreed"),
        ("Prospect", "\u25cb Proposed"),
        ("Lead", "\u2713 Agreed"),
        ("Warm lead", "\u2713 Agreed"),
        ("Account-based marketing", "\u25cb Proposed"),
        ("Enrolment", "\u2713 Agreed"),
        ("Hot lead", "\u2717 Disputed"),
    ]
    agreed = page.proxy.index(0, 1).data(Qt.ItemDataRole.ForegroundRole)
    disputed = page.proxy.index(6, 1).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(agreed, QBrush) and agreed.color().name() == GREEN
    assert isinstance(disputed, QBrush) and disputed.color().name() == RED
    assert page.proxy.index(6, 1).data(Qt.ItemDataRole.FontRole).bold()
    # The term column is left as it is, and editing still reads the stored value.
    assert page.proxy.index(6, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert page.proxy.index(6, 1).data(Qt.ItemDataRole.EditRole) == "disputed"


@pytest.mark.parametrize(
    ("status", "terms"),
    [
        (None, DEMO_TERMS),
        (TermStatus.AGREED, ["Inquiry", "Lead", "Warm lead", "Enrolment"]),
        (TermStatus.PROPOSED, ["Prospect", "Account-based marketing"]),
        (TermStatus.DISPUTED, ["Hot lead"]),
    ],
)
def test_filter_shows_the_terms_of_one_status(
    page: VocabularyPage, status: TermStatus | None, terms: list[str]
) -> None:
    page.set_filter(status)
    assert page.proxy.rowCount() == len(terms)
    assert [term for term, _ in shown(page)] == terms
    assert page.filter_buttons[status].isChecked()
    # The form shows a term the table shows.
    assert page.editor.form.target() is not None and page.editor.form.target().term in terms


def test_filter_buttons_drive_the_filter(page: VocabularyPage, qtbot: QtBot) -> None:
    qtbot.mouseClick(page.filter_buttons[TermStatus.DISPUTED], Qt.MouseButton.LeftButton)
    assert page.status_filter() == TermStatus.DISPUTED
    assert shown(page) == [("Hot lead", "\u2717 Disputed")]
    assert page.summary.text() == "7 terms: 4 agreed, 2 proposed, 1 disputed \u00b7 showing the 1 disputed"
    qtbot.mouseClick(page.filter_buttons[None], Qt.MouseButton.LeftButton)
    assert page.status_filter() is None and page.proxy.rowCount() == 7


def test_counts_line(page: VocabularyPage) -> None:
    assert page.summary.text() == "7 terms: 4 agreed, 2 proposed, 1 disputed"
    assert count_line([]) == "No terms yet."
    assert count_line([TermStatus.AGREED]) == "1 term: 1 agreed, 0 proposed, 0 disputed"


def test_filter_follows_a_status_change(page: VocabularyPage, session: WorkshopSession) -> None:
    page.set_filter(TermStatus.DISPUTED)
    assert session.set("terms", uid_of(session, "Hot lead"), "status", "agreed")
    assert page.proxy.rowCount() == 0
    assert page.summary.text() == "7 terms: 5 agreed, 2 proposed, 0 disputed \u00b7 no disputed terms"
    session.undo_stack.undo()
    assert shown(page) == [("Hot lead", "\u2717 Disputed")]


def test_form_edits_are_saved_and_undoable(page: VocabularyPage, session: WorkshopSession, workshop_path: Path) -> None:
    page.editor.select_uid(uid_of(session, "Prospect"))
    form = page.editor.form
    term, status = form.editors["term"], form.editors["status"]
    definition, notes = form.editors["definition"], form.editors["notes"]
    assert isinstance(term, QLineEdit) and isinstance(status, QComboBox)
    assert isinstance(definition, CommitTextEdit) and isinstance(notes, CommitTextEdit)
    assert isinstance(definition, QPlainTextEdit)  # multi-line

    term.setText("Target prospect")
    term.editingFinished.emit()
    definition.setPlainText("A company in the ideal customer profile.\nResponded or not.")
    definition.committed.emit()
    notes.setPlainText("Not the same as a lead.")
    notes.committed.emit()
    status.setCurrentIndex(status.findData("agreed"))
    status.activated.emit(status.currentIndex())

    saved = term_on_disk(workshop_path, "Target prospect")
    assert saved.definition == "A company in the ideal customer profile.\nResponded or not."
    assert saved.notes == "Not the same as a lead."
    assert saved.status == TermStatus.AGREED
    assert ("Target prospect", "\u2713 Agreed") in shown(page)
    assert page.summary.text() == "7 terms: 5 agreed, 1 proposed, 1 disputed"

    stack = session.undo_stack
    uid = uid_of(session, "Target prospect")
    item = next(t for t in session.defs.terms if t.uid == uid)
    for field, before in (
        ("status", TermStatus.PROPOSED),
        ("notes", ""),
        ("definition", "A person or company that fits the ideal customer profile, whether or not they responded."),
        ("term", "Prospect"),
    ):
        stack.undo()
        assert getattr(item, field) == before, field
    assert term_on_disk(workshop_path, "Prospect").status == TermStatus.PROPOSED
    for _ in range(4):
        stack.redo()
    assert item.term == "Target prospect" and item.status == TermStatus.AGREED
    assert term_on_disk(workshop_path, "Target prospect").notes == "Not the same as a lead."


def test_status_edited_in_the_table_with_a_drop_down(
    page: VocabularyPage, session: WorkshopSession, workshop_path: Path
) -> None:
    table = page.editor.table
    delegate = table.itemDelegateForColumn(1)
    assert isinstance(delegate, ChoiceDelegate)
    index = page.proxy.index(1, 1)  # Prospect
    editor = delegate.createEditor(table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == ["Proposed", "Agreed", "Disputed"]
    delegate.setEditorData(editor, index)
    assert editor.currentData() == "proposed"
    editor.setCurrentIndex(editor.findData("disputed"))
    delegate.setModelData(editor, page.proxy, index)
    editor.deleteLater()
    assert term_on_disk(workshop_path, "Prospect").status == TermStatus.DISPUTED
    assert page.proxy.index(1, 1).data() == "\u2717 Disputed"
    session.undo_stack.undo()
    assert page.proxy.index(1, 1).data() == "\u25cb Proposed"
    # Through the proxy directly, as a view commits it.
    assert page.proxy.setData(page.proxy.index(0, 0), "Enquiry", Qt.ItemDataRole.EditRole)
    assert reopen(workshop_path).terms[0].term == "Enquiry"


def test_add_shows_every_term_and_selects_the_new_one(
    page: VocabularyPage, session: WorkshopSession, workshop_path: Path
) -> None:
    page.set_filter(TermStatus.AGREED)
    page.editor.add()
    assert page.status_filter() is None
    uid = page.editor.current_uid()
    new = next(t for t in session.defs.terms if t.uid == uid)
    assert new.term == "New term 1" and new.status == TermStatus.PROPOSED
    assert page.editor.form.target() is new
    assert any(t.term == "New term 1" for t in reopen(workshop_path).terms)
    assert page.summary.text() == "8 terms: 4 agreed, 3 proposed, 1 disputed"
    session.undo_stack.undo()
    assert [t.term for t in session.defs.terms] == DEMO_TERMS
    session.undo_stack.redo()
    assert len(reopen(workshop_path).terms) == 8


def test_remove_is_saved_and_undoable(page: VocabularyPage, session: WorkshopSession, workshop_path: Path) -> None:
    page.set_filter(TermStatus.DISPUTED)
    page.editor.select_uid(uid_of(session, "Hot lead"))
    page.editor.remove_selected()
    assert page.proxy.rowCount() == 0
    assert "Hot lead" not in [t.term for t in reopen(workshop_path).terms]
    assert page.summary.text() == "6 terms: 4 agreed, 2 proposed, 0 disputed \u00b7 no disputed terms"
    session.undo_stack.undo()
    assert [t.term for t in reopen(workshop_path).terms] == DEMO_TERMS
    assert shown(page) == [("Hot lead", "\u2717 Disputed")]
    session.undo_stack.redo()
    assert len(reopen(workshop_path).terms) == 6


def test_read_only_once_the_revision_is_signed(page: VocabularyPage, session: WorkshopSession, qtbot: QtBot) -> None:
    assert not session.sign("Priya Raman")
    assert session.sign("Daniel Osei")
    assert not page.editor.add_button.isEnabled()
    assert not page.editor.remove_button.isEnabled()
    term = page.editor.form.editors["term"]
    assert isinstance(term, QLineEdit) and term.isReadOnly()
    assert not page.editor.form.editors["status"].isEnabled()
    assert not page.proxy.flags(page.proxy.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not page.proxy.setData(page.proxy.index(0, 0), "Enquiry", Qt.ItemDataRole.EditRole)
    with qtbot.waitSignal(session.refused) as refused:
        assert not session.set("terms", uid_of(session, "Lead"), "term", "Sales lead")
    assert "start the next revision" in refused.args[0]
    # Filtering still works: it only reads.
    page.set_filter(TermStatus.DISPUTED)
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data() == "Hot lead"
