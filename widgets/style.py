"""How widgets mark themselves for the style sheet, and the palette as Qt colours.

The colours are those of `models.palette` (the PDF and the workbook use the same); the
style sheet itself is filled in and applied by the app (app/theme.py)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget


def mark_primary(button: QWidget, primary: bool = True) -> None:
    """Show a button as its step's main action (style.qss: QPushButton[primary="true"])."""
    button.setProperty("primary", primary)
    button.style().unpolish(button)
    button.style().polish(button)


def brush(colour: str) -> QBrush:
    """A brush of a palette colour, for an item model's ForegroundRole."""
    return QBrush(QColor(colour))
