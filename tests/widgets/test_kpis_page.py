"""The Shared KPIs and SLA step, driven as a facilitator would: the KPI table and its form
(cadence picked or typed), add and remove, undo and redo, the read-only summary of the funnel
stages' follow-up SLAs, the plain note that actual values come later, and a signed revision.

Every edit must be saved at once: the tests read the file back with `reopen`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from models.edits import MoveItem
from tests.conftest import reopen
from widgets.kpis_page import KpisPage
from widgets.session import WorkshopSession

DEMO_KPIS = [
    "MQLs by segment",
    "Follow-up time",
    "% disqualified and why",
    "Appointments set",
    "Opportunity rate",
    "Revenue sourced by channel",
    "Duplicate rate",
]


# --------------------------------------------------------------------------- helpers
@pytest.fixture
def page(session: WorkshopSession, qtbot: QtBot) -> KpisPage:
    widget = KpisPage(session)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=10_000)


def retype(qtbot: QtBot, editor: QLineEdit, text: str) -> None:
    focus(qtbot, editor)
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def field(page: KpisPage, name: str) -> Any:
    return page.form.editors[name]


def kpi_rows(page: KpisPage) -> list[list[str]]:
    model = page.editor.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def sla_rows(page: KpisPage) -> list[list[str]]:
    model = page.sla_model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def select_kpi(page: KpisPage, row: int) -> None:
    page.editor.table.setCurrentIndex(page.editor.model.index(row, 0))


def stage_uid(session: WorkshopSession, name: str) -> str:
    return next(s.uid for s in session.defs.stages if s.name == name)


# --------------------------------------------------------------------------- showing
def test_kpi_table_shows_name_owner_target_and_cadence(page: KpisPage, qtmodeltester: Any) -> None:
    model = page.editor.model
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "KPI",
        "Owner",
        "Target",
        "Cadence",
    ]
    rows = kpi_rows(page)
    assert [r[0] for r in rows] == DEMO_KPIS
    assert rows[1] == ["Follow-up time", "Sales", "\u2264 24 hours", "Weekly"]
    assert rows[4][3] == "Monthly"


def test_form_shows_the_selected_kpi_with_definition_and_formula(page: KpisPage) -> None:
    select_kpi(page, 4)
    assert field(page, "name").text() == "Opportunity rate"
    assert field(page, "owner").text() == "Shared"
    assert field(page, "target").text() == "\u2265 target rate"
    assert field(page, "cadence").currentText() == "Monthly"
    definition, formula = field(page, "definition"), field(page, "formula")
    assert isinstance(definition, QPlainTextEdit) and isinstance(formula, QPlainTextEdit)
    assert definition.toPlainText() == "Share of MQLs that become opportunities."
    assert formula.toPlainText() == "opportunities from MQLs / MQLs"
    cadence = field(page, "cadence")
    assert [cadence.itemText(i) for i in range(cadence.count())] == ["Weekly", "Monthly", "Quarterly"]


def test_sla_summary_lists_the_stages_with_a_follow_up_sla(page: KpisPage, qtmodeltester: Any) -> None:
    qtmodeltester.check(page.sla_model)
    model = page.sla_model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Stage",
        "Owner",
        "Follow-up SLA",
        "Agreed",
    ]
    assert sla_rows(page) == [
        ["Marketing Qualified Lead", "Marketing", "24 h", "Yes"],
        ["Sales Accepted Lead", "Sales", "48 h", "Yes"],
        ["Sales Qualified Lead", "Sales", "72 h", "Not yet"],
    ]
    assert page.sla_summary.text() == "No follow-up SLA: Inquiry, Opportunity, Customer."
    assert page.sla_table.isVisibleTo(page)


def test_sla_summary_is_read_only(page: KpisPage) -> None:
    model = page.sla_model
    index = model.index(0, 2)
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "1 h")
    assert model.data(index) == "24 h"


def test_sla_summary_follows_the_funnel_stages(page: KpisPage, session: WorkshopSession, qtmodeltester: Any) -> None:
    inquiry = stage_uid(session, "Inquiry")
    session.set("stages", inquiry, "sla_hours", 2)
    assert sla_rows(page)[0] == ["Inquiry", "Marketing", "2 h", "Yes"]
    assert page.sla_summary.text() == "No follow-up SLA: Opportunity, Customer."
    session.set("stages", stage_uid(session, "Sales Qualified Lead"), "sla_hours", None)
    assert [r[0] for r in sla_rows(page)] == ["Inquiry", "Marketing Qualified Lead", "Sales Accepted Lead"]
    session.set("stages", stage_uid(session, "Sales Accepted Lead"), "name", "Accepted by sales")
    assert sla_rows(page)[2][0] == "Accepted by sales"
    session.do(MoveItem("stages", 2, 0))
    assert [r[0] for r in sla_rows(page)] == ["Accepted by sales", "Inquiry", "Marketing Qualified Lead"]
    qtmodeltester.check(page.sla_model)

    for _ in range(4):
        session.undo_stack.undo()
    assert [r[0] for r in sla_rows(page)] == ["Marketing Qualified Lead", "Sales Accepted Lead", "Sales Qualified Lead"]
    assert page.sla_summary.text() == "No follow-up SLA: Inquiry, Opportunity, Customer."


def test_no_sla_at_all_is_said_plainly(page: KpisPage, session: WorkshopSession) -> None:
    for stage in list(session.defs.stages):
        if stage.sla_hours is not None:
            session.set("stages", stage.uid, "sla_hours", None)
    assert sla_rows(page) == []
    assert not page.sla_table.isVisibleTo(page)
    assert "No stage has a follow-up SLA yet" in page.sla_summary.text()


def test_note_says_actual_values_come_later_and_shows_no_numbers(page: KpisPage) -> None:
    assert page.values_note.isVisibleTo(page)
    text = page.values_note.text()
    assert "not computed yet" in text and "later version" in text and "historical leads" in text
    assert not any(ch.isdigit() for ch in text)


# --------------------------------------------------------------------------- editing
def test_rename_kpi_in_the_form_saves_and_undoes(
    page: KpisPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    select_kpi(page, 3)
    name = field(page, "name")
    retype(qtbot, name, "Meetings booked")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert reopen(workshop_path).kpis[3].name == "Meetings booked"
    assert kpi_rows(page)[3][0] == "Meetings booked"
    assert session.undo_stack.undoText() == "Change KPI name"
    session.undo_stack.undo()
    assert reopen(workshop_path).kpis[3].name == "Appointments set"
    assert name.text() == "Appointments set"
    session.undo_stack.redo()
    assert reopen(workshop_path).kpis[3].name == "Meetings booked"


def test_owner_and_target_are_free_text(page: KpisPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_kpi(page, 3)
    retype(qtbot, field(page, "owner"), "Inside sales")
    qtbot.keyClick(field(page, "owner"), Qt.Key.Key_Tab)
    retype(qtbot, field(page, "target"), "30 per week")  # QTest types ASCII only
    qtbot.keyClick(field(page, "target"), Qt.Key.Key_Return)
    saved = reopen(workshop_path).kpis[3]
    assert (saved.owner, saved.target) == ("Inside sales", "30 per week")
    assert kpi_rows(page)[3][1:3] == ["Inside sales", "30 per week"]


def test_definition_and_formula_are_multi_line_and_commit_on_ctrl_enter(
    page: KpisPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    select_kpi(page, 0)
    formula = field(page, "formula")
    focus(qtbot, formula)
    formula.selectAll()
    qtbot.keyClicks(formula, "MQLs per week")
    qtbot.keyClick(formula, Qt.Key.Key_Return)
    qtbot.keyClicks(formula, "grouped by segment")
    assert reopen(workshop_path).kpis[0].formula.startswith("count(")  # not yet
    qtbot.keyClick(formula, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert reopen(workshop_path).kpis[0].formula == "MQLs per week\ngrouped by segment"
    session.undo_stack.undo()
    assert formula.toPlainText().startswith("count(")


def test_definition_commits_when_it_loses_focus(page: KpisPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_kpi(page, 6)
    definition = field(page, "definition")
    focus(qtbot, definition)
    definition.selectAll()
    qtbot.keyClicks(definition, "Leads that duplicate a record already in the CRM.")
    focus(qtbot, field(page, "name"))
    assert reopen(workshop_path).kpis[6].definition == "Leads that duplicate a record already in the CRM."


def test_cadence_picked_from_the_list(
    page: KpisPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    select_kpi(page, 0)
    cadence = field(page, "cadence")
    assert isinstance(cadence, QComboBox)
    focus(qtbot, cadence)
    qtbot.keyClick(cadence, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # open the list
    qtbot.waitUntil(lambda: cadence.view().isVisible(), timeout=10_000)
    view = cadence.view()
    view.setCurrentIndex(cadence.model().index(2, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert cadence.currentText() == "Quarterly"
    assert reopen(workshop_path).kpis[0].cadence == "Quarterly"
    assert kpi_rows(page)[0][3] == "Quarterly"
    session.undo_stack.undo()
    assert reopen(workshop_path).kpis[0].cadence == "Weekly"
    assert cadence.currentText() == "Weekly"


def test_cadence_can_be_typed(page: KpisPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot) -> None:
    select_kpi(page, 1)
    cadence = field(page, "cadence")
    line = cadence.lineEdit()
    retype(qtbot, line, "Every two weeks")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert reopen(workshop_path).kpis[1].cadence == "Every two weeks"
    assert kpi_rows(page)[1][3] == "Every two weeks"
    assert cadence.count() == 3  # typing does not add to the list
    # Another KPI shows its own cadence, and coming back shows the typed one.
    select_kpi(page, 4)
    assert cadence.currentText() == "Monthly"
    select_kpi(page, 1)
    assert cadence.currentText() == "Every two weeks"
    session.undo_stack.undo()
    assert cadence.currentText() == "Weekly"


def test_add_and_remove_kpis(page: KpisPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot) -> None:
    select_kpi(page, 6)
    qtbot.mouseClick(page.editor.add_button, Qt.MouseButton.LeftButton)
    assert [r[0] for r in kpi_rows(page)] == DEMO_KPIS + ["New KPI 1"]
    saved = reopen(workshop_path).kpis[7]
    assert (saved.name, saved.cadence) == ("New KPI 1", "Weekly")
    name = field(page, "name")
    qtbot.waitUntil(name.hasFocus, timeout=10_000)
    qtbot.keyClicks(name, "Pipeline velocity")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert reopen(workshop_path).kpis[7].name == "Pipeline velocity"

    select_kpi(page, 2)
    qtbot.mouseClick(page.editor.remove_button, Qt.MouseButton.LeftButton)
    expected = [n for n in DEMO_KPIS if n != "% disqualified and why"] + ["Pipeline velocity"]
    assert [r[0] for r in kpi_rows(page)] == expected
    assert [k.name for k in reopen(workshop_path).kpis] == expected

    session.undo_stack.undo()
    assert [k.name for k in reopen(workshop_path).kpis] == DEMO_KPIS + ["Pipeline velocity"]
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert [k.name for k in reopen(workshop_path).kpis] == DEMO_KPIS
    assert [r[0] for r in kpi_rows(page)] == DEMO_KPIS


def test_models_pass_the_model_tester_after_edits(
    page: KpisPage, session: WorkshopSession, qtmodeltester: Any, qtbot: QtBot
) -> None:
    qtbot.mouseClick(page.editor.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.editor.down_button, Qt.MouseButton.LeftButton)
    session.set("stages", stage_uid(session, "Customer"), "sla_hours", 720)
    qtmodeltester.check(page.editor.model)
    qtmodeltester.check(page.sla_model)


# --------------------------------------------------------------------------- a signed revision
def test_a_signed_revision_cannot_be_edited(
    page: KpisPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    names = [p.name for p in session.defs.signers()]
    for name in names:
        session.document.sign(name)
    assert session.read_only

    for name, editor in page.form.editors.items():
        if isinstance(editor, (QLineEdit, QPlainTextEdit)):
            assert editor.isReadOnly(), name
        else:
            assert not editor.isEnabled(), name
    for button in (page.editor.add_button, page.editor.remove_button, page.editor.up_button, page.editor.down_button):
        assert not button.isEnabled()
    model = page.editor.model
    index = model.index(0, model.column_of("name"))
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "Renamed")

    name_field = field(page, "name")
    retype(qtbot, name_field, "Renamed")
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert name_field.text() == "MQLs by segment"
    with qtbot.waitSignal(session.refused, timeout=1000) as refused:
        assert not session.set("kpis", session.defs.kpis[0].uid, "cadence", "Monthly")
    assert "signed" in refused.args[0]
    assert reopen(workshop_path).kpis[0].name == "MQLs by segment"
    assert reopen(workshop_path).kpis[0].cadence == "Weekly"
    # The SLA summary still shows the signed stages.
    assert len(sla_rows(page)) == 3
