"""The figures of the historical leads in type the room can read from the back: leads,
opportunities, opportunity rate, weeks of history and duplicates, side by side in one frame."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from models.leads.types import QualitySummary
from models.palette import HIGHLIGHT, LINE, PAPER

FIGURES = (
    ("rows", "leads"),
    ("positives", "opportunities"),
    ("rate", "opportunity rate"),
    ("weeks", "weeks of history"),
    ("dup_ids", "duplicate IDs"),
    ("dup_emails", "duplicate e-mails"),
)


def _figure(value: str, label: str) -> tuple[QLabel, QLabel, QWidget]:
    box = QFrame()
    box.setObjectName("leadFigure")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(14, 8, 14, 8)
    layout.setSpacing(0)
    number = QLabel(value)
    number.setObjectName("bigFigure")
    caption = QLabel(label)
    caption.setObjectName("figureLabel")
    caption.setWordWrap(True)
    layout.addWidget(number)
    layout.addWidget(caption)
    layout.addStretch(1)
    return number, caption, box


class LeadFigures(QFrame):
    """Each figure a big number over its caption (`figures` and `captions`, by key)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figures: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        grid = QGridLayout()
        for column, (key, label) in enumerate(FIGURES):
            number, caption, box = _figure("\u2014", label)
            self.figures[key], self.captions[key] = number, caption
            grid.addWidget(box, 0, column)
        self.setObjectName("leadFigures")
        self.setStyleSheet(
            f"#leadFigures {{ background: {PAPER}; border: 1px solid {LINE}; "
            f"border-left: 5px solid {HIGHLIGHT}; border-radius: 4px; }}"
        )
        self.setLayout(grid)

    def show_quality(self, quality: QualitySummary) -> None:
        weeks = quality.weeks
        values = {
            "rows": f"{quality.rows:,}",
            "positives": f"{quality.positives:,}",
            "rate": f"{quality.outcome_rate:.1%}",
            "weeks": "\u2014" if weeks is None else f"{weeks:,.1f}",
            "dup_ids": f"{quality.duplicate_ids:,}",
            "dup_emails": f"{quality.duplicate_emails:,}",
        }
        for key, text in values.items():
            self.figures[key].setText(text)
        self.captions["weeks"].setText("weeks of history" if weeks is not None else "weeks (no dates)")
        self.captions["weeks"].setToolTip(
            "" if weeks is not None else "No created-date column: the weeks spanned are unknown."
        )
