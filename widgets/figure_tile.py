"""A figure the room reads from the back of the room: a big number, what it is, and a
coloured edge (green: meets its target, red: misses it, blue: has no target)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from models.check_text import DASH
from models.palette import BAD, GOOD, HIGHLIGHT, INK, LINE, PAPER


class Verdict(Enum):
    GOOD = GOOD
    BAD = BAD
    NEUTRAL = HIGHLIGHT


class Tile(QFrame):
    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tile_{key}")
        self.verdict: Verdict | None = None
        self.number = QLabel(DASH)
        self.number.setObjectName("bigFigure")
        self.caption = QLabel()
        self.caption.setObjectName("figureLabel")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 10)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.set(DASH, "", Verdict.NEUTRAL)

    def set(self, number: str, caption: str, verdict: Verdict) -> None:
        self.number.setText(number)
        self.caption.setText(caption)
        if verdict == self.verdict:
            return  # restyling costs more than the whole lookup: only when the colour changes
        self.verdict = verdict
        edge = verdict.value
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: {PAPER}; border: 1px solid {LINE}; "
            f"border-left: 8px solid {edge}; border-radius: 4px; }}"
        )
        self.number.setStyleSheet(f"color: {edge if verdict != Verdict.NEUTRAL else INK};")
