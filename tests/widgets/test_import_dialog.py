"""The mapping dialog of an import, through its real widgets: X Education's export headers
are pre-mapped, the user's changes of role, type, success rule, outcomes join and
placeholders reach the returned Mapping, XLSX hidden sheets are not offered by default, and
a file that cannot be read says so, naming it. Every item model passes the model tester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.leads.types import ColumnType, SuccessKind
from widgets.import_dialog import ImportDialog, split_list
from widgets.lead_models import ColumnsModel, Role
from widgets.outcomes_join_box import EVERY_ROW

HORIZONTAL, VERTICAL = Qt.Orientation.Horizontal, Qt.Orientation.Vertical

X_EDUCATION = """\
Prospect ID,Lead Number,Lead Origin,Lead Source,Do Not Email,Converted,TotalVisits,Last Activity,Specialization,City
7927b2df-8bba-4d29-b9a2-b6e0beafe620,660737,API,Olark Chat,No,0,0,Page Visited on Website,Select,Select
2a272436-5132-4136-86fa-dcc88c88f482,660728,API,Organic Search,No,0,5,Email Opened,Select,Select
8cc8c611-a219-4f35-ad23-fdfd2656bd8a,660727,Landing Page Submission,Direct Traffic,No,1,2,Email Opened,Business Administration,Mumbai
0cc2df48-7cf4-4e39-9de9-19797f9b38cc,660719,Landing Page Submission,Direct Traffic,No,0,1,Unreachable,Media and Advertising,Mumbai
3256f628-e534-4826-9d63-4a8b88782852,660681,Landing Page Submission,Google,No,1,2,Converted to Lead,Select,Mumbai
2058ef08-2858-443e-a01f-a9237db2f5ce,660680,API,Olark Chat,No,0,0,Olark Chat Conversation,Select,Select
9fae7df4-169d-4a43-8fcb-0b3b7a5b8ba1,660673,Landing Page Submission,Google,No,1,2,Email Opened,Supply Chain Management,Mumbai
20ef72a2-fb3b-45e0-924e-551c5fa59095,660664,API,Direct Traffic,No,0,4,Email Opened,IT Projects Management,Thane & Outskirts
"""

OPPORTUNITIES = """\
Prospect ID,Stage,Amount
8cc8c611-a219-4f35-ad23-fdfd2656bd8a,Closed Won,1200
3256f628-e534-4826-9d63-4a8b88782852,Closed Lost,800
9fae7df4-169d-4a43-8fcb-0b3b7a5b8ba1,Closed Won,950
"""


@pytest.fixture
def leads_csv(tmp_path: Path) -> Path:
    path = tmp_path / "x_education_leads.csv"
    path.write_text(X_EDUCATION, encoding="utf-8")
    return path


@pytest.fixture
def dialog(leads_csv: Path, qtbot: QtBot) -> ImportDialog:
    widget = ImportDialog(leads_csv)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def choose_in_cell(qtbot: QtBot, dialog: ImportDialog, column: str, field: int, value: str) -> None:
    """Pick `value` in the drop-down of a cell of the columns table, as a user does."""
    view = dialog.columns_view
    index = dialog.columns_model.index(dialog.columns_model.row_of(column), field)
    view.scrollTo(index)
    view.setCurrentIndex(index)  # opens the editor: a pick is one click away
    if view.state() != QAbstractItemView.State.EditingState:
        view.edit(index)
    editors = [box for box in view.findChildren(QComboBox) if box.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    row = editor.findData(value)
    assert row >= 0, f"{value!r} is not offered"
    editor.setCurrentIndex(row)
    editor.activated.emit(row)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=10_000)


def test_x_education_headers_are_pre_mapped(dialog: ImportDialog) -> None:
    columns = dialog.columns_model
    assert columns.column_with(Role.ID) == "Prospect ID"
    assert columns.column_with(Role.OUTCOME) == "Converted"
    assert dialog.kind_buttons[SuccessKind.VALUES].isChecked()
    assert dialog.import_button.isEnabled()
    mapping = dialog.result_mapping()
    assert mapping.id == "Prospect ID" and mapping.outcome == "Converted"
    assert "Prospect ID" not in mapping.types and "Converted" not in mapping.types
    assert mapping.types["Lead Source"] == ColumnType.CATEGORY
    assert mapping.types["TotalVisits"] == ColumnType.NUMBER
    assert "1" in mapping.success.values and "0" in mapping.success.failures
    request = dialog.request()
    assert request.path.name == "x_education_leads.csv" and request.sheet is None and request.outcomes_path is None
    # The preview shows the data with each column's role under its name, and physical lines.
    preview = dialog.preview_model
    assert preview.rowCount() == 8 and preview.columnCount() == 10
    assert preview.headerData(0, HORIZONTAL) == "Prospect ID\n[ID]"
    assert preview.headerData(5, HORIZONTAL) == "Converted\n[Outcome]"
    assert preview.headerData(0, VERTICAL) == "line 2"
    assert preview.index(2, 9).data() == "Mumbai"


def test_changing_a_type_and_a_role_reaches_the_mapping(dialog: ImportDialog, qtbot: QtBot) -> None:
    choose_in_cell(qtbot, dialog, "Lead Source", ColumnsModel.TYPE, ColumnType.TEXT.value)
    choose_in_cell(qtbot, dialog, "Lead Number", ColumnsModel.ROLE, Role.ID.value)
    choose_in_cell(qtbot, dialog, "City", ColumnsModel.ROLE, Role.IGNORE.value)
    choose_in_cell(qtbot, dialog, "Lead Origin", ColumnsModel.ROLE, Role.OWNER.value)
    mapping = dialog.result_mapping()
    assert mapping.types["Lead Source"] == ColumnType.TEXT
    assert mapping.id == "Lead Number"
    # The ID moved: the column that had it is an attribute again, with its type.
    assert "Prospect ID" in mapping.types and "Lead Number" not in mapping.types
    assert mapping.ignored == ["City"] and "City" not in mapping.types
    assert mapping.owner == "Lead Origin"
    assert dialog.preview_model.headerData(1, HORIZONTAL) == "Lead Number\n[ID]"
    assert dialog.preview_model.headerData(9, HORIZONTAL) == "City\n[Ignore]"


def test_a_role_column_has_no_type_to_choose(dialog: ImportDialog) -> None:
    model = dialog.columns_model
    id_type = model.index(model.row_of("Prospect ID"), ColumnsModel.TYPE)
    assert not model.flags(id_type) & Qt.ItemFlag.ItemIsEditable
    assert id_type.data() == "text (ID)"
    assert not model.set_type("Prospect ID", ColumnType.NUMBER)


def test_without_an_id_or_outcome_the_import_waits(dialog: ImportDialog) -> None:
    model = dialog.columns_model
    assert model.set_role("Prospect ID", Role.ATTRIBUTE)
    assert not dialog.import_button.isEnabled()
    assert "ID" in dialog.import_button.toolTip()
    dialog.accept()
    assert dialog.result() == 0 and dialog.isVisible()
    assert model.set_role("Prospect ID", Role.ID)
    assert model.set_role("Converted", Role.IGNORE)
    assert not dialog.import_button.isEnabled()
    assert model.set_role("Converted", Role.OUTCOME)
    assert dialog.import_button.isEnabled()


def test_success_by_values_and_by_stage(dialog: ImportDialog) -> None:
    dialog.success_values.setText("1, yes")
    dialog.failure_values.setText("0")
    mapping = dialog.result_mapping()
    assert mapping.success.kind == SuccessKind.VALUES
    assert mapping.success.values == ["1", "yes"] and mapping.success.failures == ["0"]

    assert dialog.columns_model.set_role("Last Activity", Role.OUTCOME)
    assert dialog.columns_model.column_with(Role.OUTCOME) == "Last Activity"
    assert "Converted" in dialog.result_mapping().types
    dialog.kind_buttons[SuccessKind.STAGE_AT_LEAST].setChecked(True)
    assert dialog.stage_box.isEnabled() and not dialog.success_values.isEnabled()
    assert dialog.stage_order.isVisible()
    stages = dialog.stages()
    assert stages[:3] == ["Page Visited on Website", "Email Opened", "Unreachable"]
    dialog.stage_box.setCurrentText("Converted to Lead")
    mapping = dialog.result_mapping()
    assert mapping.outcome == "Last Activity"
    assert mapping.success.kind == SuccessKind.STAGE_AT_LEAST
    assert mapping.success.stage == "Converted to Lead" and mapping.success.stages == stages

    dialog.kind_buttons[SuccessKind.HAS_VALUE].setChecked(True)
    assert dialog.result_mapping().success.kind == SuccessKind.HAS_VALUE


def test_an_outcomes_file_joined_with_a_filter(dialog: ImportDialog, tmp_path: Path) -> None:
    assert not dialog.kind_buttons[SuccessKind.MATCHED].isEnabled()
    opportunities = tmp_path / "opportunities.csv"
    opportunities.write_text(OPPORTUNITIES, encoding="utf-8")
    assert dialog.load_outcomes(opportunities)
    assert dialog.outcomes_box.isChecked() and dialog.kind_buttons[SuccessKind.MATCHED].isEnabled()
    assert dialog.join_lead.currentText() == "Prospect ID"
    assert dialog.join_outcome.currentText() == "Prospect ID"
    assert dialog.where_column.currentText() == EVERY_ROW
    dialog.kind_buttons[SuccessKind.MATCHED].setChecked(True)
    dialog.where_column.setCurrentText("Stage")
    assert [dialog.where_value.itemText(i) for i in range(dialog.where_value.count())] == ["Closed Lost", "Closed Won"]
    dialog.where_value.setCurrentText("Closed Won")
    assert dialog.import_button.isEnabled()
    request = dialog.request()
    mapping = request.mapping
    assert request.outcomes_path == opportunities
    assert mapping.join is not None
    assert (mapping.join.lead_column, mapping.join.outcome_column) == ("Prospect ID", "Prospect ID")
    assert (mapping.join.where_column, mapping.join.where_value) == ("Stage", "Closed Won")
    assert mapping.success.kind == SuccessKind.MATCHED and mapping.outcome is None
    # Kept as an attribute: not ignored, and of the type the import infers (none is recorded).
    assert "Converted" not in mapping.ignored and "Converted" not in mapping.types
    # Unticking the outcomes file goes back to the outcome column's values.
    dialog.outcomes_box.setChecked(False)
    assert dialog.kind_buttons[SuccessKind.VALUES].isChecked()
    request = dialog.request()
    assert request.outcomes_path is None and request.mapping.join is None
    assert request.mapping.outcome == "Converted"


def test_placeholders_dates_and_numbers(dialog: ImportDialog) -> None:
    assert "Select" in split_list(dialog.placeholders.toPlainText())
    dialog.placeholders.setPlainText("Select, N/A,\nunknown")
    dialog.date_order.setCurrentIndex(dialog.date_order.findData("DMY"))
    dialog.decimal.setCurrentIndex(2)
    mapping = dialog.result_mapping()
    assert mapping.placeholders == ["Select", "N/A", "unknown", ""]
    assert mapping.date_order == "DMY" and mapping.decimal_comma is True


def test_the_columns_model_passes_the_model_tester(dialog: ImportDialog, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(dialog.columns_model, force_py=True)
    dialog.columns_model.set_role("Lead Number", Role.ID)  # moves a role: two rows change
    dialog.columns_model.set_type("City", ColumnType.TEXT)
    dialog.header_spin.setValue(1)  # reloads: the model is reset


def test_the_preview_model_passes_the_model_tester(dialog: ImportDialog, qtmodeltester: ModelTester) -> None:
    # One tester follows one model (the preview's header changes as roles change).
    qtmodeltester.check(dialog.preview_model, force_py=True)
    dialog.columns_model.set_role("City", Role.IGNORE)
    dialog.header_spin.setValue(1)


def test_the_previous_mapping_is_remembered(leads_csv: Path, qtbot: QtBot) -> None:
    first = ImportDialog(leads_csv)
    qtbot.addWidget(first)
    first.columns_model.set_type("Lead Source", ColumnType.TEXT)
    first.columns_model.set_role("City", Role.IGNORE)
    again = ImportDialog(leads_csv, previous=first.result_mapping())
    qtbot.addWidget(again)
    mapping = again.result_mapping()
    assert mapping.types["Lead Source"] == ColumnType.TEXT and mapping.ignored == ["City"]


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path, qtbot: QtBot) -> None:
    empty = tmp_path / "empty_export.csv"
    empty.write_bytes(b"")
    dialog = ImportDialog(empty)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error.isVisible()
    assert "empty_export.csv" in dialog.error.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.columns_model.rowCount() == 0


def test_hidden_sheets_are_not_offered_by_default(tmp_path: Path, qtbot: QtBot) -> None:
    from openpyxl import Workbook

    path = tmp_path / "leads.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leads"
    sheet.append(["Lead report, Q3"])
    sheet.append([])
    sheet.append(["Lead ID", "Converted", "Source"])
    for number in range(6):
        sheet.append([f"L{number}", "yes" if number % 2 else "no", "Web" if number % 3 else "Event"])
    hidden = book.create_sheet("Lookup")
    hidden.append(["Code", "Meaning"])
    hidden.sheet_state = "hidden"
    notes = book.create_sheet("Notes")
    notes.append(["Note", "By"])
    notes.append(["Call back in May", "Priya"])
    book.save(path)

    dialog = ImportDialog(path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.sheet_box.isVisible()
    offered = [dialog.sheet_box.itemData(i) for i in range(dialog.sheet_box.count())]
    assert offered == ["Leads", "Notes"]
    assert dialog.sheet_box.currentData() == "Leads"
    assert dialog.columns_model.column_with(Role.ID) == "Lead ID"  # header found below the title
    assert dialog.preview_model.rowCount() == 6
    dialog.hidden_sheets.setChecked(True)
    offered = [dialog.sheet_box.itemData(i) for i in range(dialog.sheet_box.count())]
    assert offered == ["Leads", "Lookup", "Notes"]
    dialog.sheet_box.setCurrentIndex(offered.index("Notes"))
    assert dialog.request().sheet == "Notes"
    assert [dialog.columns_model.choices[i].name for i in range(2)] == ["Note", "By"]
    dialog.header_spin.setValue(3)
    dialog.sheet_box.setCurrentIndex(0)
    assert dialog.request().header_row == 3 and dialog.request().sheet == "Leads"
    assert dialog.columns_model.column_with(Role.ID) == "Lead ID"
