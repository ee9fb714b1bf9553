"""The files an export wrote, each with "Open", and "Show the folder": they open in the
system's default application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class WrittenFiles(QWidget):
    """One row per file written, then a button for their folder; empty until an export."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.results = QVBoxLayout(self)

    def show_files(self, paths: list[Path]) -> None:
        for path in paths:
            row = QHBoxLayout()
            label = QLabel(path.name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton("Open")
            button.setObjectName(f"open_{path.suffix.lstrip('.')}")
            button.clicked.connect(lambda _=False, p=path: self.open_file(p))
            row.addWidget(label, 1)
            row.addWidget(button)
            self.results.addLayout(row)
        folder = QPushButton("Show the folder")
        folder.setObjectName("showFolder")
        folder.clicked.connect(lambda: self.open_file(paths[0].parent))
        self.results.addWidget(folder)

    def clear(self) -> None:
        while self.results.count():
            item = self.results.takeAt(0)
            if item is None:
                break
            layout = item.layout()
            if layout is not None:
                while layout.count():
                    child = layout.takeAt(0)
                    widget = child.widget() if child is not None else None
                    if widget is not None:
                        widget.deleteLater()
            else:
                widget = item.widget()
                if widget is not None:
                    widget.deleteLater()

    def open_file(self, path: Path) -> bool:
        """Open a written file (or the folder) in the system's default application."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
