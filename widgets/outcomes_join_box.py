"""The "Outcomes file (optional)" box of the import dialog: a second file, such as an
opportunities report, joined to the leads on an ID column, optionally only its rows where
one column has one value. A lead with a row in it can count as a success.

The box reads the first rows of the file it is given (for its columns and values) and
returns the join; whether the join's rule for success is chosen is the dialog's to say.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.leads.types import LeadFileError, OutcomesJoin, RawTable
from widgets.lead_file_row import read_preview

EVERY_ROW = "(every row)"


class OutcomesJoinBox(QGroupBox):
    """Checkable: ticked, the outcomes file (`path`, its first rows `raw`) is joined."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Outcomes file (optional)", parent)
        self.setCheckable(True)
        self.setChecked(False)
        self.path: Path | None = None
        self.raw: RawTable | None = None
        self.label = QLabel("No file chosen")
        self.label.setWordWrap(True)
        self.choose_button = QPushButton("Choose\u2026")
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
        row.addWidget(self.label, 1)
        row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow("Lead ID column:", self.join_lead)
        form.addRow("Matches column:", self.join_outcome)
        form.addRow("Only rows where:", self.where_column)
        form.addRow("equals:", self.where_value)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addStretch(1)

    def load(self, path: Path) -> str:
        """Tick the box and read the first rows of `path`: "" if they were read, else why not."""
        self.path = path
        self.label.setText(path.name)
        self.label.setToolTip(str(path))
        self.setChecked(True)
        try:
            self.raw = read_preview(path, None, None)
        except (LeadFileError, OSError) as exc:
            self.raw = None
            return str(exc) if isinstance(exc, LeadFileError) else f"{path.name}: {exc}"
        return ""

    def fill_columns(self, lead_columns: list[str], lead_id: str | None, pending: OutcomesJoin | None) -> None:
        """Offer the leads' and the outcomes file's columns; pick those of the `pending` join
        (the last import's), else the leads' ID column and the same name in the file."""
        outcome_columns = self.raw.columns if self.raw is not None else []
        lead_pick = pending.lead_column if pending else lead_id
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
        if self.raw is not None and column in self.raw.columns:
            values = self.raw.table.column(column).to_pylist()
            self.where_value.addItems(sorted({str(v).strip() for v in values if v is not None and str(v).strip()}))
        self.where_value.setCurrentText(text)

    def join(self) -> OutcomesJoin:
        """The join as the box shows it now (a filter only with a column and a value)."""
        where = self.where_column.currentText()
        value = self.where_value.currentText().strip()
        return OutcomesJoin(
            lead_column=self.join_lead.currentText(),
            outcome_column=self.join_outcome.currentText(),
            where_column=where if where != EVERY_ROW and value else None,
            where_value=value if where != EVERY_ROW and value else None,
        )
