"""The rows of an import that cannot be imported (the file, the line, the column, the value
and why), and the choice: import the valid rows without them, or nothing."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.leads.types import LeadData
from widgets.lead_models import BadRowsModel


class RejectedRowsDialog(QDialog):
    """The rows that cannot be imported, and the choice: import the valid rows, or nothing."""

    def __init__(self, data: LeadData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rows that cannot be imported")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        rejected = len(data.rejected)
        valid = data.table.num_rows
        files = sorted({row.file for row in data.rejected})
        self.summary = QLabel(
            f"<span style='font-size:large; font-weight:600'>{rejected:,} "
            f"{'row' if rejected == 1 else 'rows'} of {html.escape(', '.join(files))} cannot be imported.</span>"
            f"<br>{valid:,} valid {'row' if valid == 1 else 'rows'} can be imported without them; "
            "or cancel, correct the file and import it again."
        )
        self.summary.setWordWrap(True)
        self.model = BadRowsModel(self)
        self.model.set_rows(data.rejected)
        self.view = QTableView()
        self.view.setObjectName("rejectedRows")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.resizeColumnsToContents()
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            f"Import the {valid:,} valid rows", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(valid > 0)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(int(screen.width() * 0.75), int(screen.height() * 0.6))
