"""The scoring step's sample lead can be a real lead of the imported history: its values are
filled in, its score explained by the reference, and the room sees what became of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.document import Document
from widgets import check_keeper
from widgets.sample_lead import SampleLeadPreview as SamplePreview
from widgets.session import WorkshopSession


def test_without_history_the_button_says_what_it_needs(session: WorkshopSession, qtbot: QtBot) -> None:
    widget = SamplePreview(session)
    qtbot.addWidget(widget)
    assert not widget.history_button.isEnabled()
    assert "Import historical leads" in widget.history_button.toolTip()


def test_a_lead_from_the_history_is_scored_and_its_outcome_shown(
    demo_leads_path: Path, qtbot: QtBot, qapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_keeper, "SYNC_ROWS", 0)  # scored in the background: not there at first
    session = WorkshopSession(Document.open(demo_leads_path))
    try:
        widget = SamplePreview(session)
        qtbot.addWidget(widget)
        assert not widget.history_button.isEnabled()  # the check is not built yet
        assert set(widget.values.texts().values()) == {""}  # nor is there a lead to show
        with qtbot.waitSignal(session.check.changed, timeout=10_000):
            pass
        assert widget.history_button.isEnabled()
        # Once scored, the sample is the first lead of the history (never made-up values).
        assert widget.values.values["Lead Origin"] == "API"
        assert widget.history_label.text().startswith("Lead 7927b2df-8bba-4d29-b9a2-b6e0beafe620 ")
        check = session.check.check
        assert check is not None
        i = check.frame.ids().index("8cc8c611-a219-4f35-ad23-fdfd2656bd8a")
        widget.load_lead(i)
        # Student -10; 2 visits x 2, 1532 s on the site +15, 2 pages per visit +5, e-book +3.
        assert widget.result is not None and (widget.result.fit, widget.result.engagement) == (-10, 27)
        assert widget.result.score == check.scorer.score[i] == 17
        assert widget.values.values["What is your current occupation"] == "Student"
        assert widget.values.values["TotalVisits"] == "2"
        assert widget.history_label.text() == (
            "Lead 8cc8c611-a219-4f35-ad23-fdfd2656bd8a of the history: it became an opportunity."
        )
        qtbot.mouseClick(widget.history_button, Qt.MouseButton.LeftButton)  # a random one
        assert widget.history_label.text().startswith("Lead ")
        j = check.frame.ids().index(widget.history_label.text().split()[1])
        assert widget.result.score == check.scorer.score[j]
        qtbot.mouseClick(widget.reset_button, Qt.MouseButton.LeftButton)  # Start again
        assert widget.values.values["TotalVisits"] == "0"  # the first lead of the history again
        assert widget.history_label.text() == (
            "Lead 7927b2df-8bba-4d29-b9a2-b6e0beafe620 of the history: it did not become an opportunity."
        )
    finally:
        session.close()
