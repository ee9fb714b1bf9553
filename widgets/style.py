"""How widgets mark themselves for the style sheet (resources/style.qss, filled in with the
colours of `models.palette` and applied by the app, app/theme.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def mark_primary(button: QWidget, primary: bool = True) -> None:
    """Show a button as its step's main action (style.qss: QPushButton[primary="true"])."""
    button.setProperty("primary", primary)
    button.style().unpolish(button)
    button.style().polish(button)
