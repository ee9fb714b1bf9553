"""The mapping dialog of an import of historical leads.

The user picks the leads file (for XLSX the sheet; the header row when title lines sit above
it), sees its first rows, and says what each column is: the ID, the outcome (and what counts
as success), revenue, created date, owner, e-mail, an attribute with a type, or ignored. The
roles come pre-filled from `guess_mapping` (known HubSpot and Salesforce headers, the mapping
of the last import). Optionally a second file of outcomes is joined on an ID column.

The dialog reads only previews; the import itself runs later, in the background. It hands
back an `ImportRequest`: the paths, the sheet, the header row and the `Mapping`.

The dialog holds the columns table and the preview, reads the file, and says what still stops
the import; the file row (`lead_file_row`), the success rule (`success_rule_box`), the
outcomes file (`outcomes_join_box`) and how values are read (`value_reading_box`) are their
own modules.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.leads.overrides import attribute_type, join_outcomes, set_success
from models.leads.types import LeadFileError, Mapping, OutcomesJoin, RawTable, SuccessKind
from widgets.choice_delegate import ChoiceDelegate
from widgets.collection_model import Column
from widgets.comma_list import split_list
from widgets.lead_file_row import LEADS_FILTER, LeadFileRow, read_preview
from widgets.lead_models import ROLE_CHOICES, TYPE_CHOICES, ColumnsModel, PreviewModel, Role
from widgets.outcomes_join_box import OutcomesJoinBox
from widgets.success_rule_box import SuccessRuleBox
from widgets.value_reading_box import ValueReadingBox


@dataclass
class ImportRequest:
    """Everything the background import needs."""

    path: Path
    mapping: Mapping
    sheet: str | None = None
    header_row: int | None = None  # 1-based row of the header; None: detected
    outcomes_path: Path | None = None


def _table(model: QAbstractItemModel, object_name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(object_name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


class ImportDialog(QDialog):
    """Choose the files and map the columns. `request()` gives the result once accepted.

    Shown with `open()` by the page (tests drive it directly: never `exec()`)."""

    def __init__(
        self, path: Path | None = None, previous: Mapping | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import historical leads")
        self.setObjectName("importDialog")
        self.previous = previous
        self.raw: RawTable | None = None
        self.mapping = Mapping()
        self._pending_join: OutcomesJoin | None = None  # the last import's, once a guess brings it
        self._stages_of: str | None = None  # the outcome column the stage list was filled from

        # -- the file, the sheet, the header row ------------------------------------------
        self.file_row = LeadFileRow(self)
        self.file_row.choose_button.clicked.connect(self.choose_file)
        self.file_row.changed.connect(self._reload)
        self.sheet_box, self.hidden_sheets = self.file_row.sheet_box, self.file_row.hidden_sheets
        self.header_spin = self.file_row.header_spin
        self.notices = QLabel()
        self.notices.setObjectName("hint")
        self.notices.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("notice")
        self.error.setWordWrap(True)
        self.error.hide()

        # -- columns and preview ----------------------------------------------------------
        self.columns_model = ColumnsModel(self)
        self.columns_view = _table(self.columns_model, "mappingColumns")
        self.columns_view.setItemDelegateForColumn(
            ColumnsModel.ROLE, ChoiceDelegate(Column("role", "Role", kind="choice", choices=ROLE_CHOICES), self)
        )
        self.columns_view.setItemDelegateForColumn(
            ColumnsModel.TYPE, ChoiceDelegate(Column("type", "Type", kind="choice", choices=TYPE_CHOICES), self)
        )
        self.columns_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.columns_view.verticalHeader().hide()
        header = self.columns_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.preview_model = PreviewModel(self)
        self.preview_view = _table(self.preview_model, "mappingPreview")
        self.preview_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview_title = QLabel("Preview")
        self.preview_title.setWordWrap(True)
        columns_box = QWidget()
        columns_layout = QVBoxLayout(columns_box)
        columns_layout.setContentsMargins(0, 0, 0, 0)
        columns_hint = QLabel("What each column is (click a role or type to change it):")
        columns_hint.setWordWrap(True)
        columns_layout.addWidget(columns_hint)
        columns_layout.addWidget(self.columns_view, 1)
        preview_box = QWidget()
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.preview_title)
        preview_layout.addWidget(self.preview_view, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(columns_box)
        self.splitter.addWidget(preview_box)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)
        self.columns_model.changed.connect(self._on_roles_changed)

        # -- success, outcomes, values ---------------------------------------------------
        self.success_box = SuccessRuleBox(self)
        self.success_box.changed.connect(self._update_state)
        self.outcomes_box = OutcomesJoinBox(self)
        self.outcomes_box.toggled.connect(self._on_join_toggled)
        self.outcomes_box.choose_button.clicked.connect(self.choose_outcomes)
        self.values_box = ValueReadingBox(self)
        # The fields of the boxes that `problems()` reads (and the tests drive), by their names.
        success, outcomes, values = self.success_box, self.outcomes_box, self.values_box
        self.kind_buttons = success.kind_buttons
        self.success_values, self.failure_values = success.success_values, success.failure_values
        self.stage_box, self.stage_order = success.stage_box, success.stage_order
        self.join_lead, self.join_outcome = outcomes.join_lead, outcomes.join_outcome
        self.where_column, self.where_value = outcomes.where_column, outcomes.where_value
        self.placeholders, self.date_order, self.decimal = values.placeholders, values.date_order, values.decimal
        bottom = QHBoxLayout()
        bottom.addWidget(self.success_box, 5)
        bottom.addWidget(self.outcomes_box, 4)
        bottom.addWidget(self.values_box, 3)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.file_row)
        layout.addWidget(self.notices)
        layout.addWidget(self.error)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.buttons)
        # Long column names must not widen the dialog past the screen (presentation type).
        for box in self.findChildren(QComboBox):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(max(box.minimumContentsLength(), 8))
        for line in (self.success_values, self.failure_values):
            line.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 6)
        self._size_to_screen(parent)
        if path is not None:
            self.load(Path(path))
        else:
            self._update_state()

    def _size_to_screen(self, parent: QWidget | None) -> None:
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(int(screen.width() * 0.9), int(screen.height() * 0.88))

    # -- files ---------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The leads file shown (None until one is chosen)."""
        return self.file_row.path

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Leads file", start, LEADS_FILTER)
        if name:
            self.load(Path(name))

    def choose_outcomes(self) -> None:
        start = str((self.outcomes_box.path or self.path or Path.home() / "x").parent)
        name, _ = QFileDialog.getOpenFileName(self, "Outcomes file", start, LEADS_FILTER)
        if name:
            self.load_outcomes(Path(name))

    def load(self, path: Path) -> bool:
        """Show `path`: its sheets, its first rows and the guessed mapping."""
        self.file_row.set_path(path)
        return self._reload()

    def _reload(self) -> bool:
        path = self.path
        if path is None:
            return False
        try:
            raw = read_preview(path, self.file_row.sheet, self.file_row.header_row)
        except (LeadFileError, OSError) as exc:
            self.raw = None
            self.preview_model.set_raw(None)
            self.columns_model.set_mapping([], Mapping(), {})
            self.show_error(str(exc) if isinstance(exc, LeadFileError) else f"{path.name}: {exc}")
            return False
        self.show_error("")
        self.raw = raw
        self.file_row.show_sheet_read(raw)
        self.preview_model.set_raw(raw)
        self._apply_guess(raw)
        self.notices.setText("\n".join(raw.notices))
        self.notices.setVisible(bool(raw.notices))
        rows = raw.table.num_rows
        self.preview_title.setText(
            f"Preview: the first {rows:,} rows of {raw.source.name}"
            if rows
            else f"{raw.source.name} has a header but no rows"
        )
        self.preview_view.resizeColumnsToContents()
        self._fill_join_columns()
        self._update_state()
        return True

    def _apply_guess(self, raw: RawTable) -> None:
        from models.leads.mapping import guess_mapping

        mapping = guess_mapping(raw, previous=self.previous)
        self.mapping = copy.deepcopy(mapping)
        samples = {name: self.preview_model.distinct(name) for name in raw.columns}
        # Every row shows a type, used when its column is (or becomes) an attribute.
        types = {name: attribute_type(mapping, raw, name) for name in raw.columns}
        self.columns_model.set_mapping(raw.columns, mapping, samples, types)
        self.columns_view.resizeColumnsToContents()
        self.success_box.show_rule(mapping.success, self._seen_outcomes())
        self.values_box.show_mapping(mapping)
        if mapping.join is not None:
            self._pending_join = mapping.join

    def load_outcomes(self, path: Path) -> bool:
        """Join the outcomes file `path`; False, saying why, if it cannot be read."""
        error = self.outcomes_box.load(path)
        self.show_error(error)
        self._fill_join_columns()
        if not error and self.columns_model.column_with(Role.OUTCOME) is None:
            self.kind_buttons[SuccessKind.MATCHED].setChecked(True)
        self._update_state()
        return not error

    def _fill_join_columns(self) -> None:
        lead_columns = self.raw.columns if self.raw is not None else []
        self.outcomes_box.fill_columns(lead_columns, self.columns_model.column_with(Role.ID), self._pending_join)

    def _on_join_toggled(self, on: bool) -> None:
        if not on and self.kind_buttons[SuccessKind.MATCHED].isChecked():
            self.kind_buttons[SuccessKind.VALUES].setChecked(True)
        self._update_state()

    # -- success rule ----------------------------------------------------------------------
    def _seen_outcomes(self) -> list[str]:
        """The values of the outcome column in the preview (none without one)."""
        outcome = self.columns_model.column_with(Role.OUTCOME)
        return self.preview_model.distinct(outcome) if outcome else []

    def stages(self) -> list[str]:
        return self.success_box.stages()

    def _on_roles_changed(self) -> None:
        self.preview_model.set_roles(self.columns_model.roles())
        outcome = self.columns_model.column_with(Role.OUTCOME)
        if outcome is not None and outcome != self._stages_of:
            self.success_box.fill_stages(self._seen_outcomes(), self.stages() if self._stages_of is None else [])
        self._stages_of = outcome
        self._update_state()

    # -- state -------------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def problems(self) -> list[str]:
        """What stops the import, in the user's words (empty when it can run)."""
        if self.raw is None:
            return ["Choose the leads file."]
        found = []
        kind = self.success_box.kind()
        joined = self.outcomes_box.isChecked()
        outcomes = self.outcomes_box.raw
        if self.columns_model.column_with(Role.ID) is None:
            found.append("Mark the column that identifies each lead as its ID.")
        if kind == SuccessKind.MATCHED:
            if not joined or outcomes is None:
                found.append("Choose the outcomes file, or another rule for success.")
        elif self.columns_model.column_with(Role.OUTCOME) is None:
            found.append("Mark the outcome column, or join an outcomes file.")
        elif kind == SuccessKind.VALUES and not split_list(self.success_values.text()):
            found.append("List the values that count as success.")
        elif kind == SuccessKind.STAGE_AT_LEAST and not self.stage_box.currentText():
            found.append("Choose the stage from which a lead counts as a success.")
        if joined and outcomes is not None and not (self.join_lead.currentText() and self.join_outcome.currentText()):
            found.append("Choose the columns the outcomes file is joined on.")
        if joined and outcomes is None:
            found.append("Choose the outcomes file, or untick it.")
        return found

    def _update_state(self) -> None:
        self.success_box.show_state(self.columns_model.column_with(Role.OUTCOME), self.outcomes_box.isChecked())
        problems = self.problems()
        self.import_button.setEnabled(not problems)
        self.import_button.setToolTip("\n".join(problems))

    # -- the result ----------------------------------------------------------------------------
    def result_mapping(self) -> Mapping:
        """The mapping as the dialog shows it now."""
        mapping = copy.deepcopy(self.mapping)
        self.columns_model.apply_to(mapping)
        set_success(mapping, self.success_box.rule())  # success by the join: the outcome column stays an attribute
        self.values_box.apply_to(mapping)
        mapping.join = None
        if self.outcomes_box.isChecked() and self.outcomes_box.raw is not None:
            join_outcomes(mapping, self.outcomes_box.join())
        return mapping

    def request(self) -> ImportRequest:
        path = self.path
        assert path is not None
        return ImportRequest(
            path=path,
            mapping=self.result_mapping(),
            sheet=self.file_row.sheet,
            header_row=self.file_row.header_row,
            outcomes_path=self.outcomes_box.path if self.outcomes_box.isChecked() else None,
        )

    def accept(self) -> None:
        if self.problems():
            self._update_state()
            return
        super().accept()
