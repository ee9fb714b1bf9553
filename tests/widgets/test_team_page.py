"""The Team and targets step, driven as a facilitator would: the workshop fields, the targets
(rates typed in percent, stored as fractions), the large capacity and rate lines that follow
typing, the participants table with its form, undo and redo, and a signed (locked) revision.

Every edit must be saved at once: the tests read the file back with `reopen`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QModelIndex, QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.conftest import reopen
from widgets.session import WorkshopSession
from widgets.team_page import TeamPage

DEMO_PEOPLE = ["Priya Raman", "Daniel Osei", "Mei Tanaka", "Carlos Mendes", "Sam Keller"]


# --------------------------------------------------------------------------- helpers
@pytest.fixture
def page(session: WorkshopSession, qtbot: QtBot) -> TeamPage:
    widget = TeamPage(session)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def shown(label: QLabel) -> str:
    """A rich-text label's text as the user reads it."""
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=10_000)


def retype(qtbot: QtBot, editor: QLineEdit | QAbstractSpinBox, text: str) -> None:
    """Focus a field, select what is in it and type over it, without confirming."""
    focus(qtbot, editor)
    editor.selectAll()
    qtbot.keyClicks(editor, text)


def enter(qtbot: QtBot, editor: QWidget) -> None:
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def target_field(page: TeamPage, name: str) -> Any:
    return page.targets_form.editors[name]


def people(page: TeamPage) -> list[str]:
    model = page.participants.model
    col = model.column_of("name")
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def person_field(page: TeamPage, name: str) -> Any:
    return page.participants.form.editors[name]


def select_person(page: TeamPage, row: int) -> None:
    page.participants.table.setCurrentIndex(page.participants.model.index(row, 0))


def decimal(widget: QWidget, text: str) -> str:
    """`text` with the decimal point the widget's locale types."""
    return text.replace(".", widget.locale().decimalPoint())


# --------------------------------------------------------------------------- showing
def test_shows_the_demo_team_and_targets(page: TeamPage) -> None:
    forms = page.workshop_form.editors
    assert isinstance(forms["workshop_name"], QLineEdit) and isinstance(forms["organisation"], QLineEdit)
    assert isinstance(forms["facilitator"], QLineEdit) and isinstance(forms["period"], QLineEdit)
    assert isinstance(forms["date"], QDateEdit)
    assert forms["workshop_name"].text() == "Lead definitions offsite"
    assert forms["organisation"].text() == "X Education"
    assert forms["date"].date() == QDate(2026, 11, 24)
    assert forms["facilitator"].text() == "Sam Keller (Revenue Operations)"
    assert forms["period"].text() == "2026-Q4"
    assert target_field(page, "currency").text() == "INR"
    assert target_field(page, "revenue_goal").value() == 45_000_000
    assert page.targets_form.labels["revenue_goal"].text() == "Revenue goal (INR):"
    baseline, target = target_field(page, "baseline_rate"), target_field(page, "target_rate")
    assert baseline.value() == pytest.approx(5.0) and baseline.suffix() == " %"
    assert target.value() == pytest.approx(60.0) and target.suffix() == " %"
    assert target.text() == decimal(target, "60.0 %")
    assert target_field(page, "reps").value() == 3
    assert target_field(page, "leads_per_rep_per_week").value() == 40


def test_capacity_and_rate_lines_restate_the_targets(page: TeamPage) -> None:
    assert shown(page.capacity_line) == "3 reps \u00d7 40 leads = 120 new leads per week"
    assert shown(page.rate_line) == "Target 60% vs baseline 5% = 12\u00d7 better than cold calling"
    # Large: bigger than the page's own text, in any theme.
    assert "font-size:x-large" in page.capacity_line.text().replace(" ", "")


def test_participants_table_shows_name_role_team_and_signer(page: TeamPage, qtmodeltester: Any) -> None:
    model = page.participants.model
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Name", "Role", "Team", "Signs"]
    assert people(page) == DEMO_PEOPLE
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row == ["Priya Raman", "VP Sales", "Sales", "Yes"]
    signs = model.column_of("signer")
    assert model.data(model.index(2, signs), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert page.participants_summary.text() == "5 participants; signing: Priya Raman, Daniel Osei."
    combo = person_field(page, "team")
    assert [combo.itemText(i) for i in range(combo.count())] == ["Sales", "Marketing", "Other", "Shared"]


# --------------------------------------------------------------------------- workshop fields
def test_text_field_is_saved_on_enter_and_undone_and_redone(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    organisation = page.workshop_form.editors["organisation"]
    assert isinstance(organisation, QLineEdit)
    retype(qtbot, organisation, "X Education India")
    assert reopen(workshop_path).team.organisation == "X Education"  # not before Enter
    enter(qtbot, organisation)
    assert reopen(workshop_path).team.organisation == "X Education India"
    assert session.undo_stack.undoText() == "Change team and targets organisation"

    session.undo_stack.undo()
    assert organisation.text() == "X Education"
    assert reopen(workshop_path).team.organisation == "X Education"
    session.undo_stack.redo()
    assert organisation.text() == "X Education India"
    assert reopen(workshop_path).team.organisation == "X Education India"


def test_text_field_is_saved_when_it_loses_focus(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    period = page.workshop_form.editors["period"]
    assert isinstance(period, QLineEdit)
    retype(qtbot, period, "2027-Q1")
    focus(qtbot, page.workshop_form.editors["facilitator"])
    assert reopen(workshop_path).team.period == "2027-Q1"


def test_date_is_saved_and_undone(page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot) -> None:
    date = page.workshop_form.editors["date"]
    assert isinstance(date, QDateEdit)
    focus(qtbot, date)
    date.setDate(QDate(2027, 2, 3))
    enter(qtbot, date)
    assert reopen(workshop_path).team.date == dt.date(2027, 2, 3)
    session.undo_stack.undo()
    assert date.date() == QDate(2026, 11, 24)
    assert reopen(workshop_path).team.date == dt.date(2026, 11, 24)
    session.undo_stack.redo()
    assert reopen(workshop_path).team.date == dt.date(2027, 2, 3)


# --------------------------------------------------------------------------- targets
def test_target_rate_typed_in_percent_is_stored_as_a_fraction(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    target = target_field(page, "target_rate")
    assert isinstance(target, QDoubleSpinBox)
    retype(qtbot, target, decimal(target, "12.5"))
    # The rate line follows the typing, before the edit is committed.
    assert shown(page.rate_line) == "Target 12.5% vs baseline 5% = 2.5\u00d7 better than cold calling"
    assert reopen(workshop_path).team.target_rate == pytest.approx(0.60)
    enter(qtbot, target)
    assert reopen(workshop_path).team.target_rate == 0.125
    assert session.defs.team.target_rate == 0.125
    assert target.text() == decimal(target, "12.5 %")

    session.undo_stack.undo()
    assert reopen(workshop_path).team.target_rate == pytest.approx(0.60)
    assert target.text() == decimal(target, "60.0 %")
    assert shown(page.rate_line) == "Target 60% vs baseline 5% = 12\u00d7 better than cold calling"
    session.undo_stack.redo()
    assert reopen(workshop_path).team.target_rate == 0.125
    assert target.text() == decimal(target, "12.5 %")


def test_baseline_rate_in_percent(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    baseline = target_field(page, "baseline_rate")
    retype(qtbot, baseline, "1")
    enter(qtbot, baseline)
    assert reopen(workshop_path).team.baseline_rate == 0.01
    assert shown(page.rate_line) == "Target 60% vs baseline 1% = 60\u00d7 better than cold calling"


def test_rates_cannot_exceed_100_percent(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    target = target_field(page, "target_rate")
    assert target.maximum() == 100
    retype(qtbot, target, "250")
    enter(qtbot, target)
    assert 0 <= reopen(workshop_path).team.target_rate <= 1


def test_a_zero_baseline_is_explained_not_divided_by(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    baseline = target_field(page, "baseline_rate")
    retype(qtbot, baseline, "0")
    enter(qtbot, baseline)
    assert reopen(workshop_path).team.baseline_rate == 0
    assert shown(page.rate_line) == ("Target 60% vs baseline 0%: enter a baseline rate to compare with cold calling")


def test_tabbing_through_a_rate_keeps_its_stored_precision(
    session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    session.set("team", None, "baseline_rate", 0.012345)
    widget = TeamPage(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    baseline = target_field(widget, "baseline_rate")
    assert baseline.text() == decimal(baseline, "1.2 %")
    focus(qtbot, baseline)
    enter(qtbot, baseline)  # editing finished without a change
    assert reopen(workshop_path).team.baseline_rate == 0.012345


def test_capacity_line_follows_typing_and_the_edit_is_saved_on_enter(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    reps = target_field(page, "reps")
    assert isinstance(reps, QSpinBox)
    retype(qtbot, reps, "10")
    assert shown(page.capacity_line) == "10 reps \u00d7 40 leads = 400 new leads per week"
    assert reopen(workshop_path).team.reps == 3
    enter(qtbot, reps)
    assert reopen(workshop_path).team.reps == 10

    per_rep = target_field(page, "leads_per_rep_per_week")
    retype(qtbot, per_rep, "125")
    assert shown(page.capacity_line) == "10 reps \u00d7 125 leads = 1,250 new leads per week"
    enter(qtbot, per_rep)
    assert reopen(workshop_path).team.leads_per_rep_per_week == 125
    assert reopen(workshop_path).team.capacity_per_week == 1250

    session.undo_stack.undo()
    assert per_rep.value() == 40
    assert shown(page.capacity_line) == "10 reps \u00d7 40 leads = 400 new leads per week"
    session.undo_stack.undo()
    assert reps.value() == 3
    assert shown(page.capacity_line) == "3 reps \u00d7 40 leads = 120 new leads per week"
    assert reopen(workshop_path).team.capacity_per_week == 120


def test_capacity_line_follows_edits_made_elsewhere(page: TeamPage, session: WorkshopSession) -> None:
    session.set("team", None, "reps", 1)
    session.set("team", None, "leads_per_rep_per_week", 1)
    assert shown(page.capacity_line) == "1 rep \u00d7 1 lead = 1 new lead per week"


def test_revenue_goal_zero_means_not_set(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    goal = target_field(page, "revenue_goal")
    retype(qtbot, goal, "0")
    enter(qtbot, goal)
    assert reopen(workshop_path).team.revenue_goal is None
    assert goal.text() == "not set"
    retype(qtbot, goal, "1200000")
    enter(qtbot, goal)
    assert reopen(workshop_path).team.revenue_goal == 1_200_000
    session.undo_stack.undo()  # both changes of the goal merged into one step
    assert reopen(workshop_path).team.revenue_goal == 45_000_000


def test_currency_names_the_revenue_goal(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    currency = target_field(page, "currency")
    retype(qtbot, currency, "EUR")
    enter(qtbot, currency)
    assert reopen(workshop_path).team.currency == "EUR"
    assert page.targets_form.labels["revenue_goal"].text() == "Revenue goal (EUR):"


# --------------------------------------------------------------------------- participants
def test_add_participant_name_them_and_undo(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    select_person(page, 4)
    qtbot.mouseClick(page.participants.add_button, Qt.MouseButton.LeftButton)
    assert people(page) == DEMO_PEOPLE + ["New participant"]
    assert [p.name for p in reopen(workshop_path).participants] == DEMO_PEOPLE + ["New participant"]
    name = person_field(page, "name")
    assert name.text() == "New participant"
    qtbot.waitUntil(name.hasFocus, timeout=10_000)
    qtbot.keyClicks(name, "Ana Lima")  # the name is selected: typing replaces it
    enter(qtbot, name)
    role = person_field(page, "role")
    retype(qtbot, role, "SDR lead")
    enter(qtbot, role)
    team = person_field(page, "team")
    assert isinstance(team, QComboBox)
    focus(qtbot, team)
    qtbot.keyClicks(team, "Sales")
    saved = reopen(workshop_path).participants[5]
    assert (saved.name, saved.role, saved.team.value, saved.signer) == ("Ana Lima", "SDR lead", "Sales", False)
    model = page.participants.model
    assert [model.data(model.index(5, c)) for c in range(model.columnCount())] == [
        "Ana Lima",
        "SDR lead",
        "Sales",
        "No",
    ]
    assert page.participants_summary.text().startswith("6 participants; signing: Priya Raman, Daniel Osei.")

    for _ in range(4):  # team, role, name, add
        session.undo_stack.undo()
    assert people(page) == DEMO_PEOPLE
    assert [p.name for p in reopen(workshop_path).participants] == DEMO_PEOPLE
    for _ in range(4):
        session.undo_stack.redo()
    assert people(page)[-1] == "Ana Lima"
    assert reopen(workshop_path).participants[5].team.value == "Sales"


def test_remove_participant_and_undo(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    select_person(page, 2)
    qtbot.mouseClick(page.participants.remove_button, Qt.MouseButton.LeftButton)
    expected = [n for n in DEMO_PEOPLE if n != "Mei Tanaka"]
    assert people(page) == expected
    assert [p.name for p in reopen(workshop_path).participants] == expected
    assert page.participants_summary.text().startswith("4 participants")
    session.undo_stack.undo()
    assert people(page) == DEMO_PEOPLE
    assert [p.name for p in reopen(workshop_path).participants] == DEMO_PEOPLE
    session.undo_stack.redo()
    assert [p.name for p in reopen(workshop_path).participants] == expected


def test_move_participant_down_and_up(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    select_person(page, 0)
    assert not page.participants.up_button.isEnabled()
    qtbot.mouseClick(page.participants.down_button, Qt.MouseButton.LeftButton)
    assert people(page)[:2] == ["Daniel Osei", "Priya Raman"]
    assert [p.name for p in reopen(workshop_path).participants][:2] == ["Daniel Osei", "Priya Raman"]
    qtbot.mouseClick(page.participants.up_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in reopen(workshop_path).participants] == DEMO_PEOPLE


def test_signer_check_box_in_the_form(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    select_person(page, 2)
    signer = person_field(page, "signer")
    assert isinstance(signer, QCheckBox) and not signer.isChecked()
    qtbot.mouseClick(signer, Qt.MouseButton.LeftButton, pos=QPoint(8, signer.height() // 2))
    assert reopen(workshop_path).participants[2].signer is True
    model = page.participants.model
    assert (
        model.data(model.index(2, model.column_of("signer")), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    )
    assert page.participants_summary.text() == "5 participants; signing: Priya Raman, Daniel Osei, Mei Tanaka."
    session.undo_stack.undo()
    assert not signer.isChecked()
    assert reopen(workshop_path).participants[2].signer is False
    session.undo_stack.redo()
    assert signer.isChecked()


def check_indicator(page: TeamPage, index: QModelIndex) -> Any:
    """Where the table draws the check box of a cell (as its delegate computes it)."""
    table = page.participants.table
    option = QStyleOptionViewItem()
    option.rect = table.visualRect(index)
    delegate = table.itemDelegateForIndex(index)
    assert isinstance(delegate, QStyledItemDelegate)
    delegate.initStyleOption(option, index)
    return table.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, table)


def test_signer_check_box_in_the_table_by_mouse(page: TeamPage, workshop_path: Path, qtbot: QtBot) -> None:
    model = page.participants.model
    table = page.participants.table
    index = model.index(0, model.column_of("signer"))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=check_indicator(page, index).center())
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert reopen(workshop_path).participants[0].signer is False
    assert page.participants_summary.text() == "5 participants; signing: Daniel Osei."
    index = model.index(1, model.column_of("signer"))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=check_indicator(page, index).center())
    assert reopen(workshop_path).participants[1].signer is False
    assert page.participants_summary.text().startswith("5 participants; no one signs yet")


# --------------------------------------------------------------------------- a signed revision
def sign_everyone(session: WorkshopSession) -> None:
    names = [p.name for p in session.defs.signers()]
    assert names
    for name in names:
        session.document.sign(name)
    assert session.read_only


def test_a_signed_revision_cannot_be_edited(
    page: TeamPage, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    sign_everyone(session)
    for form in (page.workshop_form, page.targets_form, page.participants.form):
        for field, editor in form.editors.items():
            if isinstance(editor, QLineEdit):
                assert editor.isReadOnly(), field
            else:
                assert not editor.isEnabled(), field
    for button in (
        page.participants.add_button,
        page.participants.remove_button,
        page.participants.up_button,
        page.participants.down_button,
    ):
        assert not button.isEnabled()
    model = page.participants.model
    index = model.index(0, model.column_of("name"))
    assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(index, "Someone else")

    # Typing into a read-only field changes nothing; an edit by any other route is refused.
    organisation = page.workshop_form.editors["organisation"]
    assert isinstance(organisation, QLineEdit)
    retype(qtbot, organisation, "Acme")
    enter(qtbot, organisation)
    assert organisation.text() == "X Education"
    with qtbot.waitSignal(session.refused, timeout=1000) as refused:
        assert not session.set("team", None, "reps", 99)
    assert "signed" in refused.args[0]
    saved = reopen(workshop_path)
    assert saved.team.organisation == "X Education" and saved.team.reps == 3
    assert shown(page.capacity_line) == "3 reps \u00d7 40 leads = 120 new leads per week"
    assert people(page) == DEMO_PEOPLE  # the table still shows everyone


def test_participants_model_passes_the_model_tester_after_edits(
    page: TeamPage, session: WorkshopSession, qtmodeltester: Any, qtbot: QtBot
) -> None:
    qtbot.mouseClick(page.participants.add_button, Qt.MouseButton.LeftButton)
    select_person(page, 0)
    qtbot.mouseClick(page.participants.remove_button, Qt.MouseButton.LeftButton)
    qtmodeltester.check(page.participants.model)
