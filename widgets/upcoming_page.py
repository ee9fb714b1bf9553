"""A step that is not built yet: it says plainly what it will do, and offers nothing that
pretends to work."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

UPCOMING: dict[str, tuple[str, ...]] = {
    "export": (
        "A PDF definitions document to sign and share, with page numbers, contents and the threshold check.",
        "An Excel scoring workbook whose formulas give the same scores as Accord.",
        "The definitions as JSON (already available from the File menu: Export Definitions JSON).",
    ),
}


class UpcomingPage(QWidget):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        title = QLabel("Not available yet in this version")
        title.setObjectName("upcomingTitle")
        layout.addWidget(title)
        intro = QLabel("When this step is built, it will:")
        layout.addWidget(intro)
        for line in UPCOMING[key]:
            label = QLabel("\u2022  " + line)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(label)
        layout.addStretch(1)
