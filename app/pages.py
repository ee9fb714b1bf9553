"""Which widget shows which step."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.session import WorkshopSession


def build_page(key: str, session: WorkshopSession, parent: QWidget | None = None) -> QWidget:
    if key == "stages":
        from widgets.stages_page import StagesPage

        return StagesPage(session, parent)
    from widgets.upcoming_page import UPCOMING, UpcomingPage

    if key in UPCOMING:
        return UpcomingPage(key, parent)
    from PySide6.QtWidgets import QLabel

    return QLabel(f"{key}: being built")


def build_decisions_panel(session: WorkshopSession, parent: QWidget | None = None) -> QWidget:
    from PySide6.QtWidgets import QLabel

    return QLabel("decisions: being built")
