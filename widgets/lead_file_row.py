"""The leads file of an import, at the top of the mapping dialog: its name and folder,
"Choose file…", the row that holds the column names and, for a workbook, the sheet (hidden
sheets only on request); and the reading of a file's first rows that the dialog previews.

Until the user picks a sheet the reader chooses it (the first visible one with data) and the
row shows which it chose. A change of sheet or header row is `changed`: the dialog reads the
file again. Choosing another file is the dialog's (`load`), which reads it once.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from models.leads.types import LeadFileError, RawTable
from models.palette import INK_SOFT

PREVIEW_ROWS = 50
LEADS_FILTER = "Lead exports (*.csv *.txt *.tsv *.xlsx *.xlsm);;All files (*)"


def is_xlsx(path: Path) -> bool:
    from models.leads.read import file_kind

    try:
        return file_kind(path) == "xlsx"
    except (LeadFileError, OSError):
        return path.suffix.lower() in (".xlsx", ".xlsm")


def read_preview(path: Path, sheet: str | None, header_row: int | None) -> RawTable:
    """The first rows of a leads (or outcomes) file, as text."""
    from models.leads.read import preview_file

    return preview_file(path, rows=PREVIEW_ROWS, sheet=sheet, header_row=header_row)


class LeadFileRow(QWidget):
    """Two rows: the file and "Choose file…"; the header row, and the sheet of a workbook."""

    changed = Signal()  # another sheet or header row: read the file again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self._loading = False
        self.file_label = QLabel("No file chosen")
        self.file_label.setObjectName("importFile")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_label.setWordWrap(True)  # a long path wraps instead of widening the dialog
        self.choose_button = QPushButton("Choose file\u2026")
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
        self.header_spin.valueChanged.connect(self._on_header_changed)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(file_row)
        layout.addLayout(options_row)

    def set_path(self, path: Path) -> None:
        """Show `path` and its sheets, the header row back to "detect" (not `changed`: the
        dialog reads the new file itself)."""
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

    def _fill_sheets(self) -> None:
        from models.leads.read_xlsx import xlsx_sheets

        was_loading, self._loading = self._loading, True
        current = self.sheet_box.currentData()
        self.sheet_box.clear()
        xlsx = self.path is not None and is_xlsx(self.path)
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
            self.changed.emit()

    def _on_sheet_chosen(self, *_: Any) -> None:
        if not self._loading:
            self._sheet_auto = False
            self.changed.emit()

    def _on_header_changed(self, *_: Any) -> None:
        if not self._loading:
            self.changed.emit()

    @property
    def sheet(self) -> str | None:
        if self._sheet_auto or self.path is None or not is_xlsx(self.path):
            return None
        data = self.sheet_box.currentData()
        return str(data) if data is not None else None

    def show_sheet_read(self, raw: RawTable) -> None:
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
