"""The mapping dialog of an import of historical leads.

The user picks the leads file (for XLSX the sheet; the header row when title lines sit above
it), sees its first rows, and says what each column is: the ID, the outcome (and what counts
as success), revenue, created date, owner, e-mail, an attribute with a type, or ignored. The
roles come pre-filled from `guess_mapping` (known HubSpot and Salesforce headers, the mapping
of the last import). Optionally a second file of outcomes is joined on an ID column.

The dialog reads only previews; the import itself runs later, in the background. It hands
back an `ImportRequest`: the paths, the sheet, the header row and the `Mapping`.
"""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.leads.overrides import attribute_type, join_outcomes, set_success
from models.leads.types import (
    DEFAULT_FAILURE_VALUES,
    DEFAULT_SUCCESS_VALUES,
    LeadFileError,
    Mapping,
    OutcomesJoin,
    RawTable,
    SuccessKind,
    SuccessRule,
)
from models.palette import INK_SOFT
from widgets.choice_delegate import ChoiceDelegate
from widgets.collection_model import Column
from widgets.lead_models import ROLE_CHOICES, TYPE_CHOICES, ColumnsModel, PreviewModel, Role

PREVIEW_ROWS = 50
LEADS_FILTER = "Lead exports (*.csv *.txt *.tsv *.xlsx *.xlsm);;All files (*)"
EVERY_ROW = "(every row)"
DATE_ORDERS = (("auto", "Detect"), ("DMY", "day-month-year"), ("MDY", "month-day-year"), ("YMD", "year-month-day"))
DECIMALS = ((None, "Detect"), (False, "1,250.50 (decimal point)"), (True, "1.250,50 (decimal comma)"))


@dataclass
class ImportRequest:
    """Everything the background import needs."""

    path: Path
    mapping: Mapping
    sheet: str | None = None
    header_row: int | None = None  # 1-based row of the header; None: detected
    outcomes_path: Path | None = None


def split_list(text: str) -> list[str]:
    """'Select, N/A, -' → ['Select', 'N/A', '-'] (empty items dropped)."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def join_list(values: list[str]) -> str:
    return ", ".join(v for v in values if v.strip())


def _is_xlsx(path: Path) -> bool:
    from models.leads.read import file_kind

    try:
        return file_kind(path) == "xlsx"
    except (LeadFileError, OSError):
        return path.suffix.lower() in (".xlsx", ".xlsm")


def _preview(path: Path, sheet: str | None, header_row: int | None) -> RawTable:
    from models.leads.read import preview_file

    return preview_file(path, rows=PREVIEW_ROWS, sheet=sheet, header_row=header_row)


def _table(model: Any, object_name: str) -> QTableView:
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
        self.path: Path | None = None
        self.raw: RawTable | None = None
        self.outcomes_path: Path | None = None
        self.outcomes_raw: RawTable | None = None
        self.mapping = Mapping()
        self._loading = False

        # -- the file, the sheet, the header row ------------------------------------------
        self.file_label = QLabel("No file chosen")
        self.file_label.setObjectName("importFile")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setWordWrap(True)  # a long path wraps instead of widening the dialog
        self.choose_button = QPushButton("Choose file\u2026")
        self.choose_button.clicked.connect(self.choose_file)
        self.sheet_box = QComboBox()
        self.sheet_box.setMinimumContentsLength(16)
        self.hidden_sheets = QCheckBox("Show hidden sheets")
        self.hidden_sheets.toggled.connect(self._fill_sheets)
        self.sheet_label = QLabel("Sheet:")
        self.header_spin = QSpinBox()
        self.header_spin.setRange(0, 1000)
        self.header_spin.setSpecialValueText("detect")
        self.header_spin.setToolTip(
            "The row that holds the column names; \u201cdetect\u201d finds it below any title lines."
        )
        self.sheet_box.currentIndexChanged.connect(self._on_sheet_chosen)
        self._sheet_auto = True  # until the user picks one, the reader chooses the sheet
        self.header_spin.valueChanged.connect(self._reload)
        file_row = QHBoxLayout()
        file_row.addWidget(QLabel("Leads file:"))
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.choose_button)
        options_row = QHBoxLayout()
        options_row.addWidget(QLabel("Header row:"))
        options_row.addWidget(self.header_spin)
        options_row.addSpacing(24)
        options_row.addWidget(self.sheet_label)
        options_row.addWidget(self.sheet_box)
        options_row.addWidget(self.hidden_sheets)
        options_row.addStretch(1)
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
        bottom = QHBoxLayout()
        bottom.addWidget(self._build_success(), 5)
        bottom.addWidget(self._build_outcomes(), 4)
        bottom.addWidget(self._build_values(), 3)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addLayout(file_row)
        layout.addLayout(options_row)
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

    # -- building the lower part ---------------------------------------------------------
    def _build_success(self) -> QGroupBox:
        box = QGroupBox("What counts as success")
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[SuccessKind, QRadioButton] = {}
        texts = {
            SuccessKind.VALUES: "The outcome is one of:",
            SuccessKind.STAGE_AT_LEAST: "The outcome is a stage at or past:",
            SuccessKind.HAS_VALUE: "The outcome has any value",
            SuccessKind.MATCHED: "The lead has a row in the outcomes file",
        }
        for number, (kind, text) in enumerate(texts.items()):
            button = QRadioButton(text)
            self.kind_group.addButton(button, number)
            self.kind_buttons[kind] = button
            button.toggled.connect(self._update_state)
        self.success_values = QLineEdit(join_list(list(DEFAULT_SUCCESS_VALUES)))
        self.success_values.setToolTip("Values meaning success, separated by commas (case does not matter).")
        self.failure_values = QLineEdit(join_list(list(DEFAULT_FAILURE_VALUES)))
        self.failure_values.setToolTip("Values meaning no success; any other value is reported as a bad row.")
        self.stage_box = QComboBox()
        self.stage_order = QListWidget()
        self.stage_order.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stage_order.setToolTip("The stages in funnel order, first stage at the top: drag to reorder.")
        self.stage_order.setMaximumHeight(self.fontMetrics().height() * 7)
        self.stage_order.model().rowsMoved.connect(lambda *_: self._fill_stage_box())
        grid = QGridLayout(box)
        grid.addWidget(self.outcome_label, 0, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.VALUES], 1, 0, 1, 2)
        values_form = QFormLayout()
        values_form.addRow("Success:", self.success_values)
        values_form.addRow("No success:", self.failure_values)
        grid.addLayout(values_form, 2, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.STAGE_AT_LEAST], 3, 0)
        grid.addWidget(self.stage_box, 3, 1)
        self.stage_hint = QLabel("Stages in funnel order (drag to reorder):")
        self.stage_hint.setObjectName("hint")
        grid.addWidget(self.stage_hint, 4, 0, 1, 2)
        grid.addWidget(self.stage_order, 5, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.HAS_VALUE], 6, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.MATCHED], 7, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(8, 1)
        return box

    def _build_outcomes(self) -> QGroupBox:
        box = QGroupBox("Outcomes file (optional)")
        box.setCheckable(True)
        box.setChecked(False)
        box.toggled.connect(self._on_join_toggled)
        self.outcomes_box = box
        self.outcomes_label = QLabel("No file chosen")
        self.outcomes_label.setWordWrap(True)
        self.outcomes_button = QPushButton("Choose\u2026")
        self.outcomes_button.clicked.connect(self.choose_outcomes)
        self.join_lead = QComboBox()
        self.join_outcome = QComboBox()
        self.where_column = QComboBox()
        self.where_value = QComboBox()
        self.where_value.setEditable(True)
        self.where_column.currentIndexChanged.connect(self._fill_where_values)
        hint = QLabel(
            "An opportunities report: a lead with a row in it counts as a success; "
            "a lead without one, as no opportunity."
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.outcomes_label, 1)
        row.addWidget(self.outcomes_button)
        form = QFormLayout()
        form.addRow("Lead ID column:", self.join_lead)
        form.addRow("Matches column:", self.join_outcome)
        form.addRow("Only rows where:", self.where_column)
        form.addRow("equals:", self.where_value)
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addStretch(1)
        return box

    def _build_values(self) -> QGroupBox:
        box = QGroupBox("Values")
        self.placeholders = QPlainTextEdit()
        self.placeholders.setToolTip("Values that mean \u201cmissing\u201d, separated by commas.")
        self.placeholders.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.date_order = QComboBox()
        for value, label in DATE_ORDERS:
            self.date_order.addItem(label, value)
        self.decimal = QComboBox()
        for dvalue, label in DECIMALS:
            self.decimal.addItem(label, dvalue)
        hint = QLabel("These values become missing (blank cells always are):")
        hint.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(hint)
        layout.addWidget(self.placeholders)
        form = QFormLayout()
        form.addRow("Dates:", self.date_order)
        form.addRow("Numbers:", self.decimal)
        layout.addLayout(form)
        layout.addStretch(1)
        return box

    # -- files ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Leads file", start, LEADS_FILTER)
        if name:
            self.load(Path(name))

    def choose_outcomes(self) -> None:
        start = str((self.outcomes_path or self.path or Path.home() / "x").parent)
        name, _ = QFileDialog.getOpenFileName(self, "Outcomes file", start, LEADS_FILTER)
        if name:
            self.load_outcomes(Path(name))

    def load(self, path: Path) -> bool:
        """Show `path`: its sheets, its first rows and the guessed mapping."""
        self.path = path
        self.file_label.setText(
            f"<b>{html.escape(path.name)}</b> &nbsp; "
            f"<span style='color:{INK_SOFT}'>{html.escape(str(path.parent))}</span>"
        )
        self.file_label.setToolTip(str(path))
        self._loading = True
        self._sheet_auto = True
        try:
            self.header_spin.setValue(0)
            self._fill_sheets()
        finally:
            self._loading = False
        return self._reload()

    def _fill_sheets(self) -> None:
        from models.leads.read_xlsx import xlsx_sheets

        was_loading, self._loading = self._loading, True
        current = self.sheet_box.currentData()
        self.sheet_box.clear()
        xlsx = self.path is not None and _is_xlsx(self.path)
        if xlsx and self.path is not None:
            try:
                sheets = xlsx_sheets(self.path)
            except (LeadFileError, OSError):
                sheets = []
            for name, hidden in sheets:
                if not hidden or self.hidden_sheets.isChecked():
                    self.sheet_box.addItem(f"{name} (hidden)" if hidden else name, name)
            self.sheet_box.setCurrentIndex(max(0, self.sheet_box.findData(current)))
        for widget in (self.sheet_label, self.sheet_box, self.hidden_sheets):
            widget.setVisible(xlsx)
        self._loading = was_loading
        if not was_loading:
            self._reload()

    def _on_sheet_chosen(self, *_: Any) -> None:
        if not self._loading:
            self._sheet_auto = False
            self._reload()

    @property
    def sheet(self) -> str | None:
        if self._sheet_auto or self.path is None or not _is_xlsx(self.path):
            return None
        data = self.sheet_box.currentData()
        return str(data) if data is not None else None

    def _show_sheet_read(self, raw: RawTable) -> None:
        """Show the sheet the reader chose (the first visible one with data)."""
        read = raw.source.detail.get("sheet")
        index = self.sheet_box.findData(read) if read is not None else -1
        if index >= 0 and index != self.sheet_box.currentIndex():
            self.sheet_box.blockSignals(True)
            self.sheet_box.setCurrentIndex(index)
            self.sheet_box.blockSignals(False)

    @property
    def header_row(self) -> int | None:
        return self.header_spin.value() or None

    def _reload(self, *_: Any) -> bool:
        if self._loading or self.path is None:
            return False
        try:
            raw = _preview(self.path, self.sheet, self.header_row)
        except (LeadFileError, OSError) as exc:
            self.raw = None
            self.preview_model.set_raw(None)
            self.columns_model.set_mapping([], Mapping(), {})
            self.show_error(str(exc) if isinstance(exc, LeadFileError) else f"{self.path.name}: {exc}")
            return False
        self.show_error("")
        self.raw = raw
        self._show_sheet_read(raw)
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
        self._show_rule(mapping.success)
        self.placeholders.setPlainText(join_list(mapping.placeholders))
        self.date_order.setCurrentIndex(max(0, self.date_order.findData(mapping.date_order)))
        self.decimal.setCurrentIndex(next((i for i, (v, _) in enumerate(DECIMALS) if v == mapping.decimal_comma), 0))
        if mapping.join is not None:
            self._pending_join = mapping.join

    def load_outcomes(self, path: Path) -> bool:
        self.outcomes_path = path
        self.outcomes_label.setText(path.name)
        self.outcomes_label.setToolTip(str(path))
        self.outcomes_box.setChecked(True)
        try:
            self.outcomes_raw = _preview(path, None, None)
        except (LeadFileError, OSError) as exc:
            self.outcomes_raw = None
            self.show_error(str(exc) if isinstance(exc, LeadFileError) else f"{path.name}: {exc}")
            self._fill_join_columns()
            self._update_state()
            return False
        self.show_error("")
        self._fill_join_columns()
        if self.columns_model.column_with(Role.OUTCOME) is None:
            self.kind_buttons[SuccessKind.MATCHED].setChecked(True)
        self._update_state()
        return True

    def _fill_join_columns(self) -> None:
        lead_columns = self.raw.columns if self.raw is not None else []
        outcome_columns = self.outcomes_raw.columns if self.outcomes_raw is not None else []
        pending: OutcomesJoin | None = getattr(self, "_pending_join", None)
        lead_pick = pending.lead_column if pending else self.columns_model.column_with(Role.ID)
        self._refill(self.join_lead, lead_columns, lead_pick)
        outcome_pick = pending.outcome_column if pending else (lead_pick if lead_pick in outcome_columns else None)
        self._refill(self.join_outcome, outcome_columns, outcome_pick)
        self._refill(
            self.where_column,
            [EVERY_ROW] + outcome_columns,
            pending.where_column if pending and pending.where_column else EVERY_ROW,
        )
        if pending and pending.where_value:
            self.where_value.setCurrentText(pending.where_value)

    @staticmethod
    def _refill(box: QComboBox, items: list[str], pick: str | None) -> None:
        current = pick or box.currentText()
        box.blockSignals(True)
        box.clear()
        box.addItems(items)
        box.blockSignals(False)
        box.setCurrentIndex(max(0, box.findText(current)) if items else -1)

    def _fill_where_values(self) -> None:
        column = self.where_column.currentText()
        text = self.where_value.currentText()
        self.where_value.clear()
        if self.outcomes_raw is not None and column in self.outcomes_raw.columns:
            values = self.outcomes_raw.table.column(column).to_pylist()
            self.where_value.addItems(sorted({str(v).strip() for v in values if v is not None and str(v).strip()}))
        self.where_value.setCurrentText(text)

    def _on_join_toggled(self, on: bool) -> None:
        if not on and self.kind_buttons[SuccessKind.MATCHED].isChecked():
            self.kind_buttons[SuccessKind.VALUES].setChecked(True)
        self._update_state()

    # -- success rule ----------------------------------------------------------------------
    def _show_rule(self, rule: SuccessRule) -> None:
        self.success_values.setText(join_list(rule.values))
        self.failure_values.setText(join_list(rule.failures))
        for edit in (self.success_values, self.failure_values):
            edit.setCursorPosition(0)  # show the start of a long list, not its end
        self.kind_buttons[rule.kind].setChecked(True)
        self._fill_stages(rule.stages, rule.stage)

    def _fill_stages(self, stages: list[str] | None = None, stage: str = "") -> None:
        outcome = self.columns_model.column_with(Role.OUTCOME)
        seen = self.preview_model.distinct(outcome) if outcome else []
        ordered = [s for s in (stages or []) if s] + [s for s in seen if s not in (stages or [])]
        self.stage_order.clear()
        self.stage_order.addItems(ordered)
        self._fill_stage_box(stage)

    def _fill_stage_box(self, pick: str = "") -> None:
        pick = pick or self.stage_box.currentText()
        self.stage_box.clear()
        self.stage_box.addItems(self.stages())
        index = self.stage_box.findText(pick)
        self.stage_box.setCurrentIndex(index if index >= 0 else 0)

    def stages(self) -> list[str]:
        return [self.stage_order.item(i).text() for i in range(self.stage_order.count())]

    def success_kind(self) -> SuccessKind:
        return next((k for k, b in self.kind_buttons.items() if b.isChecked()), SuccessKind.VALUES)

    def _on_roles_changed(self) -> None:
        self.preview_model.set_roles(self.columns_model.roles())
        outcome = self.columns_model.column_with(Role.OUTCOME)
        if outcome is not None and outcome != getattr(self, "_stages_of", None):
            self._fill_stages(self.stages() if getattr(self, "_stages_of", None) is None else [])
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
        kind = self.success_kind()
        joined = self.outcomes_box.isChecked()
        if self.columns_model.column_with(Role.ID) is None:
            found.append("Mark the column that identifies each lead as its ID.")
        if kind == SuccessKind.MATCHED:
            if not joined or self.outcomes_raw is None:
                found.append("Choose the outcomes file, or another rule for success.")
        elif self.columns_model.column_with(Role.OUTCOME) is None:
            found.append("Mark the outcome column, or join an outcomes file.")
        elif kind == SuccessKind.VALUES and not split_list(self.success_values.text()):
            found.append("List the values that count as success.")
        elif kind == SuccessKind.STAGE_AT_LEAST and not self.stage_box.currentText():
            found.append("Choose the stage from which a lead counts as a success.")
        if (
            joined
            and self.outcomes_raw is not None
            and not (self.join_lead.currentText() and self.join_outcome.currentText())
        ):
            found.append("Choose the columns the outcomes file is joined on.")
        if joined and self.outcomes_raw is None:
            found.append("Choose the outcomes file, or untick it.")
        return found

    def _update_state(self, *_: Any) -> None:
        outcome = self.columns_model.column_with(Role.OUTCOME)
        self.outcome_label.setText(f"Outcome column: <b>{outcome}</b>" if outcome else "No outcome column marked.")
        joined = self.outcomes_box.isChecked()
        self.kind_buttons[SuccessKind.MATCHED].setEnabled(joined)
        kind = self.success_kind()
        for widget in (self.success_values, self.failure_values):
            widget.setEnabled(kind == SuccessKind.VALUES)
        self.stage_box.setEnabled(kind == SuccessKind.STAGE_AT_LEAST)
        # The order of the stages matters only for this rule: shown only with it, the columns
        # table keeps its room.
        for widget in (self.stage_order, self.stage_hint):
            widget.setVisible(kind == SuccessKind.STAGE_AT_LEAST)
        problems = self.problems()
        self.import_button.setEnabled(not problems)
        self.import_button.setToolTip("\n".join(problems))

    # -- the result ----------------------------------------------------------------------------
    def result_mapping(self) -> Mapping:
        """The mapping as the dialog shows it now."""
        mapping = copy.deepcopy(self.mapping)
        self.columns_model.apply_to(mapping)
        rule = SuccessRule(
            kind=self.success_kind(),
            values=split_list(self.success_values.text()),
            failures=split_list(self.failure_values.text()),
            stages=self.stages(),
            stage=self.stage_box.currentText(),
        )
        set_success(mapping, rule)  # success by the join: the outcome column stays an attribute
        placeholders = split_list(self.placeholders.toPlainText())
        mapping.placeholders = placeholders + [""]
        mapping.date_order = str(self.date_order.currentData())
        mapping.decimal_comma = self.decimal.currentData()
        mapping.join = None
        if self.outcomes_box.isChecked() and self.outcomes_raw is not None:
            where = self.where_column.currentText()
            value = self.where_value.currentText().strip()
            join = OutcomesJoin(
                lead_column=self.join_lead.currentText(),
                outcome_column=self.join_outcome.currentText(),
                where_column=where if where != EVERY_ROW and value else None,
                where_value=value if where != EVERY_ROW and value else None,
            )
            join_outcomes(mapping, join)
        return mapping

    def request(self) -> ImportRequest:
        assert self.path is not None
        return ImportRequest(
            path=self.path,
            mapping=self.result_mapping(),
            sheet=self.sheet,
            header_row=self.header_row,
            outcomes_path=self.outcomes_path if self.outcomes_box.isChecked() else None,
        )

    def accept(self) -> None:
        if self.problems():
            self._update_state()
            return
        super().accept()
