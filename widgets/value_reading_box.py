"""The "Values" box of the import dialog: which values mean "missing" (blank cells always
do), the order of day, month and year in dates, and the decimal mark in numbers."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from models.leads.types import Mapping
from widgets.comma_list import join_list, split_list

DATE_ORDERS = (("auto", "Detect"), ("DMY", "day-month-year"), ("MDY", "month-day-year"), ("YMD", "year-month-day"))
DECIMALS = ((None, "Detect"), (False, "1,250.50 (decimal point)"), (True, "1.250,50 (decimal comma)"))


class ValueReadingBox(QGroupBox):
    """The placeholders as a comma list, and the date order and decimal mark to choose."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Values", parent)
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
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.placeholders)
        form = QFormLayout()
        form.addRow("Dates:", self.date_order)
        form.addRow("Numbers:", self.decimal)
        layout.addLayout(form)
        layout.addStretch(1)

    def show_mapping(self, mapping: Mapping) -> None:
        self.placeholders.setPlainText(join_list(mapping.placeholders))
        self.date_order.setCurrentIndex(max(0, self.date_order.findData(mapping.date_order)))
        self.decimal.setCurrentIndex(next((i for i, (v, _) in enumerate(DECIMALS) if v == mapping.decimal_comma), 0))

    def apply_to(self, mapping: Mapping) -> None:
        """Set the mapping's placeholders (with the blank cell), date order and decimal mark."""
        mapping.placeholders = split_list(self.placeholders.toPlainText()) + [""]
        mapping.date_order = str(self.date_order.currentData())
        mapping.decimal_comma = self.decimal.currentData()
