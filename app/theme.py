"""The style sheet, at normal size or enlarged for presentation mode (readable at the back
of a room)."""

from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

NORMAL_POINTS = 11
PRESENTATION_POINTS = 17


def style_sheet(base: int) -> str:
    template = resources.files("resources").joinpath("style.qss").read_text(encoding="utf-8")
    sizes = {
        "base": base,
        "small": round(base * 0.85),
        "title": round(base * 1.7),
        "big": round(base * 1.6),
        "huge": round(base * 2.6),
        "indicator": round(base * 1.35),
    }
    for key, value in sizes.items():
        template = template.replace("{" + key + "}", str(value))
    return template


def apply_theme(app: QApplication, presentation: bool = False) -> None:
    base = PRESENTATION_POINTS if presentation else NORMAL_POINTS
    font = QFont(app.font())
    font.setPointSize(base)
    app.setFont(font)
    app.setStyleSheet(style_sheet(base))


def mark_primary(button: QWidget, primary: bool = True) -> None:
    """Show a button as its step's main action (style.qss: QPushButton[primary="true"])."""
    button.setProperty("primary", primary)
    button.style().unpolish(button)
    button.style().polish(button)
