"""One file the Export step can write: a check box to choose it, what the file contains, its
name, and a row for its own options (the PDF's paper, the workbook's number of leads)."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class FileRow(QGroupBox):
    """One file to write: a check box, what it contains, and its name."""

    def __init__(
        self, title: str, suffix: str, lines: tuple[str, ...] | list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.suffix = suffix
        self.enabled = QCheckBox(title)
        self.enabled.setChecked(True)
        self.enabled.setStyleSheet("font-weight: 600;")
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.contents.setObjectName("hint")
        self.set_lines(lines)
        self.name = QLineEdit()
        self.name.setObjectName(f"name_{suffix}")
        self.options = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.contents)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("File name:"))
        name_row.addWidget(self.name, 1)
        layout.addLayout(name_row)
        layout.addLayout(self.options)
        self.enabled.toggled.connect(self.name.setEnabled)

    def set_lines(self, lines: tuple[str, ...] | list[str]) -> None:
        self.contents.setText("\n".join(f"\u2022 {line}" for line in lines))

    def file_name(self) -> str:
        name = self.name.text().strip() or "export"
        return name if name.lower().endswith(f".{self.suffix}") else f"{name}.{self.suffix}"
