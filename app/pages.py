"""Which widget shows which step."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from widgets.session import WorkshopSession


def build_page(
    key: str, session: WorkshopSession, parent: QWidget | None = None, current_step: Callable[[], str] | None = None
) -> QWidget:
    if key == "team":
        from widgets.team_page import TeamPage

        return TeamPage(session, parent)
    if key == "stages":
        from widgets.stages_page import StagesPage

        return StagesPage(session, parent)
    if key == "vocabulary":
        from widgets.vocabulary_page import VocabularyPage

        return VocabularyPage(session, parent)
    if key == "scoring":
        from widgets.scoring_page import ScoringPage

        return ScoringPage(session, parent)
    if key == "leads":
        from widgets.leads_page import LeadsPage

        return LeadsPage(session, parent)
    if key == "threshold":
        from widgets.threshold_page import ThresholdPage

        return ThresholdPage(session, parent)
    if key == "export":
        from widgets.export_page import ExportPage

        return ExportPage(session, parent)
    if key == "kpis":
        from widgets.kpis_page import KpisPage

        return KpisPage(session, parent)
    if key == "signoff":
        from widgets.signoff_page import SignoffPage

        return SignoffPage(session, parent)
    raise KeyError(f"no page for step {key!r}")


def build_decisions_panel(
    session: WorkshopSession, parent: QWidget | None = None, current_step: Callable[[], str] | None = None
) -> QWidget:
    from widgets.decisions_panel import DecisionsPanel

    return DecisionsPanel(session, parent, current_step=current_step)
