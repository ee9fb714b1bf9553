"""The Funnel stages step, driven as a facilitator would: the table, its buttons and keys, the
form of the selected stage, drag and drop, undo and redo, and a signed (locked) revision.

Every edit must be saved at once: the tests read the file back with `reopen`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

import widgets.session
from tests.conftest import reopen
from widgets.collection_model import CollectionModel
from widgets.session import WorkshopSession
from widgets.stages_page import StagesPage

DEMO_STAGES = [
    "Inquiry",
    "Marketing Qualified Lead",
    "Sales Accepted Lead",
    "Sales Qualified Lead",
    "Opportunity",
    "Customer",
]


# --------------------------------------------------------------------------- helpers
@pytest.fixture
def page(session: WorkshopSession, qtbot: QtBot) -> StagesPage:
    """The stages page, shown, with the first stage selected."""
    widget = StagesPage(session)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    table = widget.editor.table
    qtbot.waitUntil(
        lambda: all(table.rowHeight(r) <= table.sizeHintForRow(r) + 4 for r in range(table.model().rowCount())),
        timeout=10_000,
    )
    return widget


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=10_000)


def names(page: StagesPage) -> list[str]:
    """The stage names as the table shows them, top to bottom."""
    model = page.editor.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def saved_names(path: Path) -> list[str]:
    return [s.name for s in reopen(path).stages]


def selected_name(page: StagesPage) -> str:
    uid = page.editor.current_uid()
    return next(s.name for s in page.session.defs.stages if s.uid == uid)


def select_row(page: StagesPage, row: int) -> None:
    table = page.editor.table
    table.selectionModel().setCurrentIndex(
        page.editor.model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def field(page: StagesPage, name: str) -> Any:
    return page.editor.form.editors[name]


def retype(qtbot: QtBot, editor: QLineEdit, text: str) -> None:
    """Focus a line edit, select what is in it and type over it (as a user would)."""
    focus(qtbot, editor)
    editor.selectAll()
    if text:
        qtbot.keyClicks(editor, text)
    else:
        qtbot.keyClick(editor, Qt.Key.Key_Delete)


def undo_text(session: WorkshopSession) -> str:
    return session.undo_stack.undoText()


# --------------------------------------------------------------------------- adding
def test_add_button_inserts_a_new_stage_after_the_selected_one_selects_it_and_saves(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    select_row(page, 1)
    qtbot.mouseClick(page.editor.add_button, Qt.MouseButton.LeftButton)

    expected = DEMO_STAGES[:2] + ["New stage 1"] + DEMO_STAGES[2:]
    assert names(page) == expected
    assert selected_name(page) == "New stage 1"
    assert page.editor.table.currentIndex().row() == 2
    assert field(page, "name").text() == "New stage 1"
    assert saved_names(workshop_path) == expected
    assert page.summary.text().startswith("7 stages, 3 agreed")
    # The name field has the focus with its text selected: typing renames the new stage.
    qtbot.waitUntil(field(page, "name").hasFocus, timeout=10_000)
    assert field(page, "name").selectedText() == "New stage 1"
    qtbot.keyClicks(field(page, "name"), "Nurture")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    assert saved_names(workshop_path)[2] == "Nurture"


def test_insert_key_on_the_table_adds_a_stage_with_the_next_free_name(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    table = page.editor.table
    select_row(page, 5)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    assert names(page)[-1] == "New stage 1"
    assert selected_name(page) == "New stage 1"

    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    assert names(page)[-2:] == ["New stage 1", "New stage 2"]
    assert selected_name(page) == "New stage 2"
    assert saved_names(workshop_path) == DEMO_STAGES + ["New stage 1", "New stage 2"]
    assert undo_text(page.session) == "Add stage"


def test_adding_to_an_empty_funnel_selects_the_only_stage(
    session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    from models.edits import Batch, remove_item

    session.do(
        Batch(tuple(remove_item(session.defs, "stages", s.uid) for s in reversed(session.defs.stages)), "Remove all")
    )
    widget = StagesPage(session)
    qtbot.addWidget(widget)
    assert widget.editor.model.rowCount() == 0
    assert not widget.editor.remove_button.isEnabled()
    assert not field(widget, "name").isEnabled()  # nothing selected: nothing to edit

    qtbot.mouseClick(widget.editor.add_button, Qt.MouseButton.LeftButton)
    assert names(widget) == ["New stage 1"]
    assert selected_name(widget) == "New stage 1"
    assert field(widget, "name").isEnabled()
    assert saved_names(workshop_path) == ["New stage 1"]


# --------------------------------------------------------------------------- renaming
def test_rename_through_the_form_commits_on_enter(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 1)
    name = field(page, "name")
    assert name.text() == "Marketing Qualified Lead"
    retype(qtbot, name, "MQL")
    assert saved_names(workshop_path)[1] == "Marketing Qualified Lead"  # not yet: still typing
    qtbot.keyClick(name, Qt.Key.Key_Return)

    assert names(page)[1] == "MQL"
    assert saved_names(workshop_path)[1] == "MQL"
    assert undo_text(page.session) == "Change stage name"
    assert page.session.undo_stack.count() == 1


def test_rename_through_the_form_commits_when_the_field_loses_focus(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    select_row(page, 0)
    retype(qtbot, field(page, "name"), "Raised hand")
    focus(qtbot, page.editor.table)  # leave the field

    assert names(page)[0] == "Raised hand"
    assert saved_names(workshop_path)[0] == "Raised hand"
    assert selected_name(page) == "Raised hand"


def test_rename_through_the_table_editor(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    model = page.editor.model
    select_row(page, 2)
    index = model.index(2, model.column_of("name"))
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.data(index, Qt.ItemDataRole.EditRole) == "Sales Accepted Lead"

    # What the view's delegate does when the user finishes editing the cell.
    assert model.setData(index, "SAL", Qt.ItemDataRole.EditRole)
    assert model.data(index) == "SAL"
    assert field(page, "name").text() == "SAL"  # the form of the selected stage follows
    assert saved_names(workshop_path)[2] == "SAL"

    # And through the real in-place editor: F2 (the edit key), typing, Enter.
    table = page.editor.table
    table.setCurrentIndex(index)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "SAL"
    editor.selectAll()
    qtbot.keyClicks(editor, "Accepted by sales")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn of the loop
    qtbot.waitUntil(lambda: model.data(index) == "Accepted by sales", timeout=10_000)
    assert saved_names(workshop_path)[2] == "Accepted by sales"


def test_an_empty_name_is_saved_as_empty_not_refused(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    """A stage may be blank while the room thinks; the table shows it as empty."""
    select_row(page, 0)
    retype(qtbot, field(page, "name"), "")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    assert saved_names(workshop_path)[0] == ""


# --------------------------------------------------------------------------- removing
def test_remove_button_removes_the_selected_stage_and_selects_the_next(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    select_row(page, 1)
    qtbot.mouseClick(page.editor.remove_button, Qt.MouseButton.LeftButton)

    expected = [DEMO_STAGES[0]] + DEMO_STAGES[2:]
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert selected_name(page) == "Sales Accepted Lead"
    assert field(page, "name").text() == "Sales Accepted Lead"
    assert undo_text(page.session) == "Remove stage"


def test_removing_the_last_row_selects_the_new_last_row(page: StagesPage, qtbot: QtBot) -> None:
    select_row(page, 5)
    qtbot.mouseClick(page.editor.remove_button, Qt.MouseButton.LeftButton)
    assert names(page) == DEMO_STAGES[:5]
    assert selected_name(page) == "Opportunity"
    assert not page.editor.down_button.isEnabled()


def test_delete_key_on_the_table_removes_the_selected_stage(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    table = page.editor.table
    select_row(page, 0)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert names(page) == DEMO_STAGES[1:]
    assert saved_names(workshop_path) == DEMO_STAGES[1:]
    assert selected_name(page) == "Marketing Qualified Lead"


def test_removing_several_selected_rows_is_one_undo_step(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    table = page.editor.table
    select_row(page, 1)
    # Ctrl+click two more rows, as a user extends the selection.
    for row in (3, 4):
        rect = table.visualRect(page.editor.model.index(row, 0))
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, rect.center()
        )
    assert {i.row() for i in table.selectionModel().selectedRows()} == {1, 3, 4}

    qtbot.mouseClick(page.editor.remove_button, Qt.MouseButton.LeftButton)
    expected = ["Inquiry", "Sales Accepted Lead", "Customer"]
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert page.session.undo_stack.count() == 1
    assert undo_text(page.session) == "Remove 3 stages"
    assert selected_name(page) == "Sales Accepted Lead"

    page.session.undo_stack.undo()
    assert names(page) == DEMO_STAGES
    assert saved_names(workshop_path) == DEMO_STAGES
    page.session.undo_stack.redo()
    assert saved_names(workshop_path) == expected


# --------------------------------------------------------------------------- reordering
def test_move_buttons_reorder_and_the_selection_follows_the_moved_stage(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    editor = page.editor
    select_row(page, 0)
    assert not editor.up_button.isEnabled() and editor.down_button.isEnabled()

    qtbot.mouseClick(editor.down_button, Qt.MouseButton.LeftButton)
    expected = ["Marketing Qualified Lead", "Inquiry"] + DEMO_STAGES[2:]
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert selected_name(page) == "Inquiry"
    assert editor.table.currentIndex().row() == 1
    assert editor.up_button.isEnabled()
    assert undo_text(page.session) == "Move stage"

    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert names(page) == DEMO_STAGES
    assert saved_names(workshop_path) == DEMO_STAGES
    assert selected_name(page) == "Inquiry"
    assert not editor.up_button.isEnabled()

    select_row(page, 5)
    assert editor.up_button.isEnabled() and not editor.down_button.isEnabled()


def test_ctrl_up_and_ctrl_down_on_the_table_move_the_selected_stage(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    table = page.editor.table
    select_row(page, 2)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    expected = ["Inquiry", "Sales Accepted Lead", "Marketing Qualified Lead"] + DEMO_STAGES[3:]
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert selected_name(page) == "Sales Accepted Lead"
    assert table.hasFocus()  # the facilitator can keep pressing

    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    expected = [
        "Inquiry",
        "Marketing Qualified Lead",
        "Sales Qualified Lead",
        "Sales Accepted Lead",
        "Opportunity",
        "Customer",
    ]
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert selected_name(page) == "Sales Accepted Lead"
    assert table.currentIndex().row() == 3


def test_ctrl_up_on_the_first_row_does_nothing(page: StagesPage, qtbot: QtBot) -> None:
    table = page.editor.table
    select_row(page, 0)
    focus(qtbot, table)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert names(page) == DEMO_STAGES
    assert page.session.undo_stack.count() == 0


def drag_and_drop(model: CollectionModel, source: int, row: int, parent: QModelIndex = QModelIndex()) -> bool:
    """What QAbstractItemView does for an internal move: encode the dragged row, ask whether
    it may be dropped, drop it; a True result would make the view remove the source row."""
    mime = model.mimeData([model.index(source, c) for c in range(model.columnCount())])
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, row, -1, parent)
    return model.dropMimeData(mime, Qt.DropAction.MoveAction, row, -1, parent)


@pytest.mark.parametrize(
    ("source", "drop_row", "expected_row"),
    [
        (0, 3, 2),  # dragged down, dropped above row 3 (between rows 2 and 3)
        (4, 1, 1),  # dragged up, dropped above row 1
        (1, -1, 5),  # dropped on the empty area below the rows: to the end
        (2, 6, 5),  # dropped below the last row
    ],
)
def test_drag_and_drop_moves_the_stage_saves_and_keeps_it_selected(
    page: StagesPage, workshop_path: Path, source: int, drop_row: int, expected_row: int
) -> None:
    model = page.editor.model
    select_row(page, source)  # the view selects the row a drag starts from
    moved = DEMO_STAGES[source]

    assert drag_and_drop(model, source, drop_row) is False  # the view must not delete the source

    expected = [n for n in DEMO_STAGES if n != moved]
    expected.insert(expected_row, moved)
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert selected_name(page) == moved
    assert page.editor.table.currentIndex().row() == expected_row
    assert page.session.undo_stack.count() == 1

    page.session.undo_stack.undo()
    assert saved_names(workshop_path) == DEMO_STAGES
    assert selected_name(page) == moved


def test_dropping_a_row_where_it_already_is_changes_nothing(page: StagesPage, workshop_path: Path) -> None:
    model = page.editor.model
    for drop_row in (2, 3):  # just above or just below itself
        drag_and_drop(model, 2, drop_row)
    assert saved_names(workshop_path) == DEMO_STAGES
    assert page.session.undo_stack.count() == 0


def test_drops_from_elsewhere_are_refused(page: StagesPage) -> None:
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setText("Inquiry")
    model = page.editor.model
    assert model.mimeTypes() == ["application/x-accord-row"]
    assert model.supportedDropActions() == Qt.DropAction.MoveAction
    assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert names(page) == DEMO_STAGES


def test_move_rows_moves_one_stage_like_a_view_would(page: StagesPage, workshop_path: Path) -> None:
    model = page.editor.model
    select_row(page, 0)
    # Qt's convention: the destination is the row *before which* the row is inserted.
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    expected = ["Marketing Qualified Lead", "Sales Accepted Lead", "Inquiry"] + DEMO_STAGES[3:]
    assert names(page) == expected
    assert saved_names(workshop_path) == expected
    assert selected_name(page) == "Inquiry"

    assert model.moveRows(QModelIndex(), 5, 1, QModelIndex(), 0)
    assert names(page)[0] == "Customer"
    assert selected_name(page) == "Inquiry"

    # Not supported: several rows at once, nested parents, out of range, no-op moves.
    assert not model.moveRows(QModelIndex(), 0, 2, QModelIndex(), 4)
    assert not model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 99)
    assert not model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 3)
    assert not model.moveRows(model.index(0, 0), 0, 1, QModelIndex(), 3)
    assert page.session.undo_stack.count() == 2


# --------------------------------------------------------------------------- fields
def test_sla_hours_blank_is_none_and_a_number_is_a_float(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    model = page.editor.model
    sla_col = model.column_of("sla_hours")
    select_row(page, 1)  # MQL: 24 h
    sla = field(page, "sla_hours")
    assert sla.text() == "24"
    assert model.data(model.index(1, sla_col)) == "24 h"

    retype(qtbot, sla, "36.5")
    qtbot.keyClick(sla, Qt.Key.Key_Return)
    stored = reopen(workshop_path).stages[1].sla_hours
    assert stored == 36.5 and isinstance(stored, float)
    assert model.data(model.index(1, sla_col)) == "36.5 h"

    retype(qtbot, sla, "12")
    focus(qtbot, page.editor.table)
    stored = reopen(workshop_path).stages[1].sla_hours
    assert stored == 12.0 and isinstance(stored, float)
    assert model.data(model.index(1, sla_col)) == "12 h"

    select_row(page, 1)
    retype(qtbot, field(page, "sla_hours"), "")
    qtbot.keyClick(field(page, "sla_hours"), Qt.Key.Key_Return)
    assert reopen(workshop_path).stages[1].sla_hours is None
    assert model.data(model.index(1, sla_col)) == "\u2014"
    assert model.data(model.index(1, sla_col), Qt.ItemDataRole.EditRole) is None

    # Three quick changes of one field are one undo step.
    assert page.session.undo_stack.count() == 1
    page.session.undo_stack.undo()
    assert reopen(workshop_path).stages[1].sla_hours == 24.0
    assert field(page, "sla_hours").text() == "24"


def test_sla_hours_refuses_letters_and_negative_numbers(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 1)
    sla = field(page, "sla_hours")
    retype(qtbot, sla, "")
    qtbot.keyClicks(sla, "abc-")
    assert sla.text() == ""  # the validator lets neither letters nor a minus sign in
    focus(qtbot, page.editor.table)
    assert reopen(workshop_path).stages[1].sla_hours is None  # blank is "no SLA"

    refused: list[str] = []
    page.session.refused.connect(refused.append)
    model = page.editor.model
    assert not model.setData(model.index(1, model.column_of("sla_hours")), -5.0)
    assert refused and "sla_hours" in refused[0]
    assert reopen(workshop_path).stages[1].sla_hours is None


@pytest.fixture
def german(qapp: QApplication) -> Iterator[None]:
    """The user's locale writes 36,5 for 36.5 (and 1.000 for a thousand)."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def test_sla_hours_in_a_decimal_comma_locale(
    german: None, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    widget = StagesPage(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    select_row(widget, 1)
    sla = field(widget, "sla_hours")
    retype(qtbot, sla, "36,5")
    qtbot.keyClick(sla, Qt.Key.Key_Return)
    assert reopen(workshop_path).stages[1].sla_hours == 36.5  # not 365
    select_row(widget, 0)
    select_row(widget, 1)
    assert sla.text() == "36,5"


def test_sla_hours_through_the_table_editor(page: StagesPage, workshop_path: Path) -> None:
    model = page.editor.model
    index = model.index(2, model.column_of("sla_hours"))
    assert model.data(index, Qt.ItemDataRole.EditRole) == 48
    assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert model.setData(index, 72.0)
    assert reopen(workshop_path).stages[2].sla_hours == 72.0
    assert model.setData(index, None)
    assert reopen(workshop_path).stages[2].sla_hours is None


def test_owner_choice_in_the_form(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 0)
    owner = field(page, "owner")
    assert isinstance(owner, QComboBox) and owner.currentText() == "Marketing"
    assert [owner.itemText(i) for i in range(owner.count())] == ["Sales", "Marketing", "Shared", "Other"]
    focus(qtbot, owner)
    qtbot.keyClick(owner, Qt.Key.Key_Down)  # the next choice, as the user picks it
    assert owner.currentText() == "Shared"
    assert reopen(workshop_path).stages[0].owner.value == "Shared"
    model = page.editor.model
    assert model.data(model.index(0, model.column_of("owner"))) == "Shared"
    assert undo_text(page.session) == "Change stage owner"

    page.session.undo_stack.undo()
    assert owner.currentText() == "Marketing"
    assert reopen(workshop_path).stages[0].owner.value == "Marketing"


def test_the_wheel_does_not_change_an_unfocused_choice(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    select_row(page, 0)
    owner = field(page, "owner")
    focus(qtbot, page.editor.table)
    center = QPointF(owner.rect().center())
    wheel = QWheelEvent(
        center,
        QPointF(owner.mapToGlobal(QPoint(0, 0))) + center,
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(owner, wheel)
    assert owner.currentText() == "Marketing"
    assert reopen(workshop_path).stages[0].owner.value == "Marketing"


def test_agreed_check_box_in_the_table(page: StagesPage, workshop_path: Path) -> None:
    model = page.editor.model
    col = model.column_of("agreed")
    index = model.index(3, col)  # Sales Qualified Lead: not agreed yet
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.data(index) == "No"
    select_row(page, 3)
    assert not field(page, "agreed").isChecked()

    # The view's check box delegate sets the check state (as an int from the QVariant).
    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(index) == "Yes"
    assert reopen(workshop_path).stages[3].agreed is True
    assert field(page, "agreed").isChecked()  # the form follows
    assert page.summary.text().startswith("6 stages, 4 agreed")

    assert not model.setData(index, "No", Qt.ItemDataRole.EditRole)  # a check box has no text edit
    assert model.setData(index, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert reopen(workshop_path).stages[3].agreed is False


def check_indicator(table: QTableView, index: QModelIndex) -> QRect:
    """Where the view draws the check box of a cell (as the delegate computes it)."""

    option = QStyleOptionViewItem()
    option.rect = table.visualRect(index)
    delegate = table.itemDelegateForIndex(index)
    assert isinstance(delegate, QStyledItemDelegate)
    delegate.initStyleOption(option, index)
    return table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)


def test_agreed_check_box_in_the_table_by_mouse(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    model = page.editor.model
    table = page.editor.table
    index = model.index(4, model.column_of("agreed"))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=check_indicator(table, index).center())
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert reopen(workshop_path).stages[4].agreed is True
    assert page.summary.text().startswith("6 stages, 4 agreed")

    # Space on the current cell toggles it back; the form of that stage follows.
    focus(qtbot, table)
    table.setCurrentIndex(index)
    assert field(page, "agreed").isChecked()
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert reopen(workshop_path).stages[4].agreed is False
    assert not field(page, "agreed").isChecked()


def test_agreed_check_box_in_the_form(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 4)
    agreed = field(page, "agreed")
    assert isinstance(agreed, QCheckBox) and not agreed.isChecked()
    # Click the box itself (the check box is as wide as the form; its text is short).
    qtbot.mouseClick(agreed, Qt.MouseButton.LeftButton, pos=QPoint(8, agreed.height() // 2))
    assert agreed.isChecked()
    assert reopen(workshop_path).stages[4].agreed is True
    model = page.editor.model
    assert (
        model.data(model.index(4, model.column_of("agreed")), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    )
    assert undo_text(page.session) == "Change stage agreed"

    page.session.undo_stack.undo()
    assert not agreed.isChecked()
    assert reopen(workshop_path).stages[4].agreed is False


def test_multi_line_definition_commits_when_it_loses_focus(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 0)
    definition = field(page, "definition")
    assert isinstance(definition, QPlainTextEdit)
    focus(qtbot, definition)
    definition.selectAll()
    qtbot.keyClicks(definition, "Anyone who raised a hand.")
    qtbot.keyClick(definition, Qt.Key.Key_Return)  # a new line, not a commit
    qtbot.keyClicks(definition, "Includes event scans.")
    assert page.session.undo_stack.count() == 0
    assert reopen(workshop_path).stages[0].definition.startswith("Anyone who raised a hand: filled")

    focus(qtbot, field(page, "name"))  # leave the field
    expected = "Anyone who raised a hand.\nIncludes event scans."
    assert reopen(workshop_path).stages[0].definition == expected
    assert page.session.undo_stack.count() == 1
    assert undo_text(page.session) == "Change stage definition"
    # The form keeps the lines; the table (had it the column) would show one line.


def test_multi_line_field_commits_on_ctrl_enter(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 2)
    examples = field(page, "examples")
    focus(qtbot, examples)
    examples.selectAll()
    qtbot.keyClicks(examples, "Booked a demo")
    qtbot.keyClick(examples, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert reopen(workshop_path).stages[2].examples == "Booked a demo"
    assert examples.toPlainText() == "Booked a demo"  # no stray new line


def test_the_form_shows_the_selected_stage(page: StagesPage, qtbot: QtBot) -> None:
    table = page.editor.table
    for row, name in enumerate(DEMO_STAGES):
        rect = table.visualRect(page.editor.model.index(row, 0))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert field(page, "name").text() == name
        stage = page.session.defs.stages[row]
        assert field(page, "definition").toPlainText() == stage.definition


def test_leaving_a_renamed_field_by_clicking_another_row_saves_the_right_stage(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    table = page.editor.table
    select_row(page, 0)
    retype(qtbot, field(page, "name"), "Hand raiser")
    rect = table.visualRect(page.editor.model.index(3, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    saved = saved_names(workshop_path)
    assert saved[0] == "Hand raiser"
    assert saved[3] == "Sales Qualified Lead"
    assert field(page, "name").text() == "Sales Qualified Lead"


# --------------------------------------------------------------------------- undo and redo
def test_undo_and_redo_of_an_insert(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 0)
    qtbot.mouseClick(page.editor.add_button, Qt.MouseButton.LeftButton)
    stack = page.session.undo_stack
    stack.undo()
    assert names(page) == DEMO_STAGES
    assert saved_names(workshop_path) == DEMO_STAGES
    assert stack.redoText() == "Add stage"
    stack.redo()
    assert names(page)[1] == "New stage 1"
    assert saved_names(workshop_path)[1] == "New stage 1"


def test_undo_and_redo_of_a_remove_keeps_every_field(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    before = reopen(workshop_path).stages[2].model_dump()
    select_row(page, 2)
    qtbot.mouseClick(page.editor.remove_button, Qt.MouseButton.LeftButton)
    stack = page.session.undo_stack
    stack.undo()
    assert reopen(workshop_path).stages[2].model_dump() == before
    assert names(page) == DEMO_STAGES
    stack.redo()
    assert "Sales Accepted Lead" not in saved_names(workshop_path)


def test_undo_and_redo_of_a_move(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 3)
    qtbot.mouseClick(page.editor.up_button, Qt.MouseButton.LeftButton)
    moved = [
        "Inquiry",
        "Marketing Qualified Lead",
        "Sales Qualified Lead",
        "Sales Accepted Lead",
        "Opportunity",
        "Customer",
    ]
    stack = page.session.undo_stack
    stack.undo()
    assert names(page) == DEMO_STAGES
    assert saved_names(workshop_path) == DEMO_STAGES
    stack.redo()
    assert names(page) == moved
    assert saved_names(workshop_path) == moved


def test_undo_and_redo_of_a_field(page: StagesPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_row(page, 4)
    retype(qtbot, field(page, "name"), "Pipeline")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    stack = page.session.undo_stack
    stack.undo()
    assert field(page, "name").text() == "Opportunity"
    assert saved_names(workshop_path)[4] == "Opportunity"
    stack.redo()
    assert field(page, "name").text() == "Pipeline"
    assert names(page)[4] == "Pipeline"
    assert saved_names(workshop_path)[4] == "Pipeline"


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_monotonic(monkeypatch: pytest.MonkeyPatch) -> FakeMonotonic:
    """The clock the undo stack uses to merge edits, and only that clock."""
    clock = FakeMonotonic()
    monkeypatch.setattr(widgets.session, "time", SimpleNamespace(monotonic=clock))
    return clock


def test_consecutive_edits_of_one_field_merge_into_one_undo_step(
    page: StagesPage, workshop_path: Path, qtbot: QtBot, fake_monotonic: FakeMonotonic
) -> None:
    select_row(page, 1)
    name = field(page, "name")
    for text in ("M", "MQ", "MQL"):
        retype(qtbot, name, text)
        qtbot.keyClick(name, Qt.Key.Key_Return)
        fake_monotonic.now += 1.5  # each within 2 s of the one before
    stack = page.session.undo_stack
    assert stack.count() == 1
    assert saved_names(workshop_path)[1] == "MQL"

    stack.undo()
    assert saved_names(workshop_path)[1] == "Marketing Qualified Lead"
    assert name.text() == "Marketing Qualified Lead"
    stack.redo()
    assert saved_names(workshop_path)[1] == "MQL"


def test_edits_more_than_two_seconds_apart_do_not_merge(
    page: StagesPage, workshop_path: Path, qtbot: QtBot, fake_monotonic: FakeMonotonic
) -> None:
    select_row(page, 1)
    name = field(page, "name")
    retype(qtbot, name, "MQL")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    fake_monotonic.now += 2.5
    retype(qtbot, name, "Marketing lead")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    stack = page.session.undo_stack
    assert stack.count() == 2

    stack.undo()
    assert saved_names(workshop_path)[1] == "MQL"
    stack.undo()
    assert saved_names(workshop_path)[1] == "Marketing Qualified Lead"


def test_edits_of_different_fields_or_stages_do_not_merge(
    page: StagesPage, qtbot: QtBot, fake_monotonic: FakeMonotonic
) -> None:
    select_row(page, 1)
    retype(qtbot, field(page, "name"), "MQL")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    retype(qtbot, field(page, "sla_hours"), "8")
    qtbot.keyClick(field(page, "sla_hours"), Qt.Key.Key_Return)
    select_row(page, 2)
    retype(qtbot, field(page, "name"), "SAL")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    assert page.session.undo_stack.count() == 3


def test_pressing_enter_twice_does_not_record_an_empty_step(page: StagesPage, qtbot: QtBot) -> None:
    select_row(page, 1)
    name = field(page, "name")
    retype(qtbot, name, "MQL")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.keyClick(name, Qt.Key.Key_Return)
    focus(qtbot, page.editor.table)
    assert page.session.undo_stack.count() == 1


# --------------------------------------------------------------------------- a signed revision
def sign_everyone(session: WorkshopSession) -> None:
    signers = [p.name for p in session.defs.signers()]
    assert signers
    for name in signers:
        session.document.sign(name)
    assert session.document.locked


def test_a_locked_revision_cannot_be_changed_from_the_stages_page(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    select_row(page, 1)
    retype(qtbot, field(page, "name"), "MQL")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    assert page.session.undo_stack.canUndo()
    focus(qtbot, page.editor.table)

    sign_everyone(page.session)

    editor = page.editor
    model = editor.model
    assert not page.session.undo_stack.canUndo()  # what was signed cannot be undone
    for button in (editor.add_button, editor.remove_button, editor.up_button, editor.down_button):
        assert not button.isEnabled(), button.text()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            flags = model.flags(model.index(row, col))
            assert not flags & Qt.ItemFlag.ItemIsEditable
            assert not flags & Qt.ItemFlag.ItemIsUserCheckable
            assert flags & Qt.ItemFlag.ItemIsSelectable  # still readable and selectable
    assert not model.setData(model.index(0, model.column_of("name")), "Changed")
    assert not model.setData(
        model.index(3, model.column_of("agreed")), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert not model.canDropMimeData(
        model.mimeData([model.index(0, 0)]), Qt.DropAction.MoveAction, 3, -1, QModelIndex()
    )
    assert not model.dropMimeData(model.mimeData([model.index(0, 0)]), Qt.DropAction.MoveAction, 3, -1, QModelIndex())

    # The form still shows the selected stage, but nothing in it can change.
    assert selected_name(page) == "MQL"
    assert field(page, "name").text() == "MQL"
    assert field(page, "name").isReadOnly()
    assert field(page, "definition").isReadOnly()
    assert field(page, "sla_hours").isReadOnly()
    assert not field(page, "agreed").isEnabled()
    assert not field(page, "owner").isEnabled()

    # Keys on the table do nothing either (a refused move says why).
    refused: list[str] = []
    page.session.refused.connect(refused.append)
    focus(qtbot, editor.table)
    for key, mods in (
        (Qt.Key.Key_Insert, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier),
    ):
        qtbot.keyClick(editor.table, key, mods)
    assert names(page) == ["Inquiry", "MQL"] + DEMO_STAGES[2:]
    assert saved_names(workshop_path) == ["Inquiry", "MQL"] + DEMO_STAGES[2:]
    assert all("Start Next Revision" in message for message in refused)


def test_starting_the_next_revision_makes_the_stages_editable_again(
    page: StagesPage, workshop_path: Path, qtbot: QtBot
) -> None:
    sign_everyone(page.session)
    assert page.session.start_next_revision("2027-Q1")
    assert page.editor.add_button.isEnabled()
    assert not field(page, "name").isReadOnly()
    select_row(page, 0)
    retype(qtbot, field(page, "name"), "Inquiry (2027)")
    qtbot.keyClick(field(page, "name"), Qt.Key.Key_Return)
    assert saved_names(workshop_path)[0] == "Inquiry (2027)"
