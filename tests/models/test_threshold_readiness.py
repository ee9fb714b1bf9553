"""The sign-off checklist's "Threshold checked against data" item, from the Document."""

from __future__ import annotations

from pathlib import Path

from models.document import Document
from models.edits import set_field


def item(doc: Document, build: bool = True):  # type: ignore[no-untyped-def]
    [found] = [i for i in doc.readiness(build_check=build) if i.label == "Threshold checked against data"]
    return found


def test_without_leads_it_asks_for_them(workshop_path: Path) -> None:
    doc = Document.open(workshop_path)
    try:
        found = item(doc)
        assert not found.done
        assert found.detail == "no historical leads yet: import them on the Historical leads step"
    finally:
        doc.close()


def test_with_the_demo_leads_it_states_the_figures_and_turns_red_when_a_target_is_missed(demo_leads_path: Path) -> None:
    doc = Document.open(demo_leads_path)
    try:
        # Not built yet and not to be built here (the step builds it): says so.
        assert not doc.check_ready
        assert item(doc, build=False).detail == "checking the threshold against the leads\u2026"
        found = item(doc)
        assert doc.check_ready
        # 1,372 / 1,549 = 88.6%; 1,549 / 26 weeks = 59.6 a week; 3 reps x 40 = 120.
        assert found.done and found.detail == (
            "at 40 points: 89% opportunity rate (target 60%), 60 leads a week (capacity 120)"
        )
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 5.0))
        low = item(doc, build=False)  # the check follows the edit without being rebuilt
        assert not low.done and low.detail.endswith("\u2014 rate below target and over capacity")
        doc.apply(set_field(doc.defs, "scoring", None, "history_weeks", None))
        assert item(doc).detail.startswith("at 5 points: ") and "leads per week unknown" in item(doc).detail
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 500.0))
        assert item(doc).detail == "no lead reaches the threshold of 500 points"
    finally:
        doc.close()
