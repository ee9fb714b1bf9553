"""The sign-off checklist's "Threshold checked against data" item (models/readiness.py)."""

from __future__ import annotations

from pathlib import Path

from models.check import ThresholdCheck
from models.check_build import sync
from models.document import Document
from models.edits import set_field
from models.readiness import PENDING, THRESHOLD_ITEM, ReadinessItem, readiness


def item(doc: Document, check: ThresholdCheck | None) -> ReadinessItem:
    has_leads = doc.leads_info() is not None
    [found] = [i for i in readiness(doc.defs, has_leads=has_leads, check=check) if i.label == THRESHOLD_ITEM]
    return found


def test_without_leads_it_asks_for_them(workshop_path: Path) -> None:
    doc = Document.open(workshop_path)
    try:
        found = item(doc, None)
        assert not found.done
        assert found.detail == "no historical leads yet: import them on the Historical leads step"
    finally:
        doc.close()


def test_with_the_demo_leads_it_states_the_figures_and_turns_red_when_a_target_is_missed(demo_leads_path: Path) -> None:
    doc = Document.open(demo_leads_path)
    try:
        # Not built yet (its keeper builds it): says so, and builds nothing.
        assert item(doc, None).detail == PENDING == "checking the threshold against the leads\u2026"
        check = doc.build_check()
        assert check is not None
        found = item(doc, check)
        # 1,372 / 1,549 = 88.6%; 1,549 / 26 weeks = 59.6 a week; 3 reps x 40 = 120.
        assert found.done and found.detail == (
            "at 40 points: 89% opportunity rate (target 60%), 60 leads a week (capacity 120)"
        )
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 5.0))
        sync(check, doc.defs)  # the check follows the edit without being rebuilt
        low = item(doc, check)
        assert not low.done and low.detail.endswith("\u2014 rate below target and over capacity")
        doc.apply(set_field(doc.defs, "scoring", None, "history_weeks", None))
        sync(check, doc.defs)
        assert (
            item(doc, check).detail.startswith("at 5 points: ") and "leads per week unknown" in item(doc, check).detail
        )
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 500.0))
        sync(check, doc.defs)
        assert item(doc, check).detail == "no lead reaches the threshold of 500 points"
    finally:
        doc.close()
