"""The Threshold check step, driven as the room does: drag the threshold line with the mouse
in a chart, type in the spin box, press the arrow keys on a chart, use the recommendation,
enter the weeks of history; and the figures, colours, charts and tables follow, each edit
is saved and undoable, and a rule changed on the Scoring model step shows here at once.

The demo's numbers at 40 points (1,549 of 9,237 leads passed, 1,372 of them opportunities)
are checked against a row-by-row computation from the CSV in tests/models/test_check.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from models.document import Document
from tests.conftest import reopen
from widgets import check_keeper
from widgets.check_keeper import CheckState
from widgets.figure_tile import Verdict
from widgets.session import WorkshopSession
from widgets.tasks import TaskState
from widgets.threshold_page import ThresholdPage


@pytest.fixture
def leads_session(demo_leads_path: Path, qapp: Any) -> Any:
    s = WorkshopSession(Document.open(demo_leads_path))
    yield s
    s.close()


def make_page(session: WorkshopSession, qtbot: QtBot) -> ThresholdPage:
    page = ThresholdPage(session)
    qtbot.addWidget(page)
    page.resize(1500, 950)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def page(leads_session: WorkshopSession, qtbot: QtBot) -> ThresholdPage:
    return make_page(leads_session, qtbot)


def tile(page: ThresholdPage, key: str) -> tuple[str, str, Verdict | None]:
    t = page.tiles[key]
    return t.number.text(), t.caption.text(), t.verdict


def saved_threshold(session: WorkshopSession) -> float:
    return reopen(session.document.path).scoring.threshold


# --------------------------------------------------------------------------- no data
def test_without_leads_the_step_says_what_to_import_and_links_to_it(session: WorkshopSession, qtbot: QtBot) -> None:
    page = make_page(session, qtbot)
    assert page.stack.currentWidget() is page.empty
    assert page.check is None
    with qtbot.waitSignal(session.goToStep, timeout=1000) as sent:
        qtbot.mouseClick(page.go_import, Qt.MouseButton.LeftButton)
    assert sent.args == ["leads"]


def test_the_go_to_import_link_switches_the_window_to_historical_leads(qtbot: QtBot, workshop_path: Path) -> None:
    from app.mainwindow import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(workshop_path)
    window.go_to_step("threshold")
    page = window.pages["threshold"]
    assert isinstance(page, ThresholdPage) and window.current_step() == "threshold"
    qtbot.mouseClick(page.go_import, Qt.MouseButton.LeftButton)
    assert window.current_step() == "leads"


# --------------------------------------------------------------------------- figures
def test_the_demo_shows_the_check_at_the_agreed_threshold(page: ThresholdPage) -> None:
    assert page.stack.currentWidget() is page.main
    assert page.threshold_spin.value() == 40 and page.threshold_spin.text() == "40 points"
    assert page.headline.text() == ("At 40 points, 1,549 of the 9,237 historical leads (17%) would have gone to sales.")
    # 1,549 leads over the 26 weeks entered = 59.6 a week, against 3 reps x 40 = 120.
    assert tile(page, "volume") == ("60", "leads a week to sales \u00b7 capacity 120", Verdict.GOOD)
    # 1,372 / 1,549 = 88.6% against the 60% target.
    assert tile(page, "rate") == ("89%", "opportunity rate \u00b7 target 60%", Verdict.GOOD)
    # 1,372 of the 3,559 opportunities.
    assert tile(page, "coverage") == ("39%", "coverage: of all 3,559 opportunities", Verdict.NEUTRAL)
    assert tile(page, "revenue")[0] == "\u2014"  # X Education has no revenue column
    # 88.6% / 5% baseline.
    assert tile(page, "advantage")[:2] == ("17.7\u00d7", "better than cold calling (5%)")
    assert page.weeks_spin.text() == "26 weeks"
    assert "no creation dates" in page.weeks_note.text()


def test_a_low_threshold_turns_rate_and_volume_red(
    page: ThresholdPage, leads_session: WorkshopSession, qtbot: QtBot
) -> None:
    page.threshold_spin.setFocus()
    page.threshold_spin.selectAll()
    QTest.keyClicks(page.threshold_spin, "10")
    QTest.keyClick(page.threshold_spin, Qt.Key.Key_Return)
    assert leads_session.defs.scoring.threshold == 10 and saved_threshold(leads_session) == 10
    f = page.check.figures(10)  # type: ignore[union-attr]
    assert f.rate is not None and f.rate < 0.60 and f.weekly_volume is not None and f.weekly_volume > 120
    assert tile(page, "rate")[2] == Verdict.BAD and tile(page, "volume")[2] == Verdict.BAD
    assert tile(page, "rate")[0] == f"{f.rate * 100:.0f}%"
    assert page.charts.threshold == 10 and all(line.value() == 10 for line in page.charts.lines)
    leads_session.undo_stack.undo()
    assert saved_threshold(leads_session) == 40
    assert page.threshold_spin.value() == 40 and all(line.value() == 40 for line in page.charts.lines)
    assert tile(page, "rate")[2] == Verdict.GOOD and tile(page, "volume")[2] == Verdict.GOOD


# --------------------------------------------------------------------------- dragging
def _line_point(page: ThresholdPage, plot: Any, x: float) -> QPoint:
    """The viewport position of data x (half-way up the chart)."""
    vb = plot.getPlotItem().getViewBox()
    (_, _), (y0, y1) = vb.viewRange()
    scene = vb.mapViewToScene(QPointF(x, (y0 + y1) / 2))
    return plot.mapFromScene(scene)


def test_dragging_the_line_previews_then_saves_one_undoable_edit(
    page: ThresholdPage, leads_session: WorkshopSession, qtbot: QtBot
) -> None:
    plot = page.charts.histogram
    viewport = plot.viewport()
    start, end = _line_point(page, plot, 40), _line_point(page, plot, 28)
    seen: list[float] = []
    page.charts.dragged.connect(seen.append)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for k in range(1, 11):
        QTest.mouseMove(viewport, start + (end - start) * k / 10)
        qtbot.wait(5)
    # While dragging: every chart's line, the spin box and the figures follow; nothing is saved.
    assert seen and seen[-1] == page.charts.threshold
    moved = page.charts.threshold
    assert 25 <= moved <= 31 and moved == round(moved)
    assert all(line.value() == moved for line in page.charts.lines)
    assert page.threshold_spin.value() == moved
    assert page.headline.text().startswith(f"At {moved:g} points")
    assert leads_session.defs.scoring.threshold == 40 and saved_threshold(leads_session) == 40
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    qtbot.waitUntil(lambda: saved_threshold(leads_session) == moved, timeout=10_000)
    assert leads_session.undo_stack.count() == 1
    leads_session.undo_stack.undo()
    assert saved_threshold(leads_session) == 40
    assert all(line.value() == 40 for line in page.charts.lines) and page.threshold_spin.value() == 40


def test_dragging_in_any_chart_moves_the_lines_of_all_three(
    page: ThresholdPage, leads_session: WorkshopSession
) -> None:
    volume_line = page.charts.lines[2]
    volume_line.setValue(33.4)  # what a drag does, as a signal
    assert page.charts.threshold == 33
    assert [line.value() for line in page.charts.lines] == [33, 33, 33]
    assert page.threshold_spin.value() == 33
    volume_line.sigPositionChangeFinished.emit(volume_line)
    assert leads_session.defs.scoring.threshold == 33 and saved_threshold(leads_session) == 33


# --------------------------------------------------------------------------- keyboard, spin box
def test_arrow_keys_on_a_chart_and_in_the_spin_box_move_and_save(
    page: ThresholdPage, leads_session: WorkshopSession, qtbot: QtBot
) -> None:
    chart = page.charts.rates
    page.activateWindow()
    chart.setFocus()
    qtbot.waitUntil(chart.hasFocus, timeout=10_000)
    QTest.keyClick(chart, Qt.Key.Key_Right)
    assert saved_threshold(leads_session) == 41 and page.threshold_spin.value() == 41
    QTest.keyClick(chart, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert saved_threshold(leads_session) == 36 and page.charts.lines[0].value() == 36
    page.threshold_spin.setFocus()
    qtbot.waitUntil(page.threshold_spin.hasFocus, timeout=10_000)
    QTest.keyClick(page.threshold_spin, Qt.Key.Key_Up)
    assert saved_threshold(leads_session) == 37 and page.charts.threshold == 37
    # Quick steps of one field merge into one undo step (the session's rule).
    leads_session.undo_stack.undo()
    assert saved_threshold(leads_session) == 40


def test_use_recommended_applies_the_recommended_threshold(
    page: ThresholdPage, leads_session: WorkshopSession, qtbot: QtBot
) -> None:
    rec = page.check.recommendation()  # type: ignore[union-attr]
    assert rec.threshold is not None
    assert page.use_recommended.text() == f"Use {rec.threshold}" and page.use_recommended.isEnabled()
    # Drawn faintly on every chart, where the threshold would move to.
    assert [g.value() for g in page.charts.recommended_lines] == [rec.threshold] * 3
    assert all(g.isVisible() and not g.movable for g in page.charts.recommended_lines)
    assert f"Recommended: {rec.threshold} points" in page.recommended.text()
    qtbot.mouseClick(page.use_recommended, Qt.MouseButton.LeftButton)
    assert saved_threshold(leads_session) == rec.threshold
    assert not page.use_recommended.isEnabled()  # already applied
    f = page.check.figures()  # type: ignore[union-attr]
    assert tile(page, "rate")[2] == Verdict.GOOD and tile(page, "volume")[2] == Verdict.GOOD
    assert f.rate_ok and f.volume_ok


def test_the_weeks_of_history_drive_leads_per_week(page: ThresholdPage, leads_session: WorkshopSession) -> None:
    page.weeks_spin.setValue(52)
    assert reopen(leads_session.document.path).scoring.history_weeks == 52
    assert tile(page, "volume")[0] == "30"  # 1,549 / 52
    page.weeks_spin.setValue(0)  # "from dates": the demo has none
    assert page.weeks_spin.text() == "from dates"
    assert reopen(leads_session.document.path).scoring.history_weeks is None
    assert tile(page, "volume")[0] == "\u2014" and tile(page, "volume")[2] == Verdict.NEUTRAL
    assert "enter the weeks" in tile(page, "volume")[1]
    assert not page.charts.capacity_line.isVisible()
    leads_session.undo_stack.undo()  # quick changes of one field are one step: back to 26 weeks
    assert tile(page, "volume")[0] == "60" and page.weeks_spin.text() == "26 weeks"


# --------------------------------------------------------------------------- rules follow
def test_a_rule_edited_on_the_scoring_step_shows_here_at_once(
    page: ThresholdPage, leads_session: WorkshopSession
) -> None:
    rule = next(r for r in leads_session.defs.rules if r.label == "Working professional")
    before_hist = page.charts.won_curve.getData()[1].copy()
    before = page.check.figures()  # type: ignore[union-attr]
    assert leads_session.set("rules", rule.uid, "points", 60)  # +35 for working professionals
    after = page.check.figures()  # type: ignore[union-attr]
    assert after.passed > before.passed
    assert page.headline.text().startswith(f"At 40 points, {after.passed:,} of")
    assert not np.array_equal(page.charts.won_curve.getData()[1], before_hist)
    # The same as scoring from scratch.
    from models.check import ThresholdCheck

    fresh = ThresholdCheck(page.check.frame, leads_session.defs)  # type: ignore[union-attr]
    assert fresh.figures() == after
    leads_session.undo_stack.undo()
    assert page.check.figures() == before  # type: ignore[union-attr]


def test_signed_revisions_show_the_check_but_cannot_move_the_threshold(demo_leads_path: Path, qtbot: QtBot) -> None:
    doc = Document.open(demo_leads_path)
    for person in doc.defs.signers():
        doc.sign(person.name)
    assert doc.locked
    session = WorkshopSession(doc)
    try:
        page = make_page(session, qtbot)
        assert page.stack.currentWidget() is page.main
        assert not page.threshold_spin.isEnabled() and not page.weeks_spin.isEnabled()
        assert not any(line.movable for line in page.charts.lines)
        assert not page.use_recommended.isEnabled()
    finally:
        session.close()


# --------------------------------------------------------------------------- tables
def test_bands_rules_segments_and_experiment_tabs(page: ThresholdPage, qtbot: QtBot) -> None:
    page.tabs.setCurrentIndex(1)
    model = page.tabs.bands_model
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == ["Hot", "Warm", "Cold", "Below every band"]
    assert model.data(model.index(0, 2)) == "1,549"  # Hot = 40 and above = passed at 40

    page.tabs.setCurrentIndex(2)
    rules = page.tabs.rules_model
    assert rules.rowCount() == len(page.session.defs.rules) == 14
    labels = [rules.data(rules.index(r, 0)) for r in range(rules.rowCount())]
    assert labels[0] == "Working professional"
    assert rules.data(rules.index(0, 3)) == "705"  # working professionals in the data

    page.tabs.setCurrentIndex(3)
    assert page.tabs.segment_column.currentText() == "Lead Source"
    seg = page.tabs.segments_model
    values = [seg.data(seg.index(r, 0)) for r in range(seg.rowCount())]
    assert "Google" in values and "google" not in values  # spellings merged at import
    leads = [int(seg.data(seg.index(r, 1)).replace(",", "")) for r in range(seg.rowCount())]
    assert sum(leads) == 9237
    assert seg.headerData(0, Qt.Orientation.Horizontal) == "Lead Source"
    small = next(r for r in range(seg.rowCount()) if leads[r] < 30)  # e.g. 2 leads: a rate of 0% or 100%
    assert seg.data(seg.index(small, 2), Qt.ItemDataRole.ToolTipRole) == "Fewer than 30 leads: this rate says little."
    big = leads.index(max(leads))
    assert seg.data(seg.index(big, 2), Qt.ItemDataRole.ToolTipRole) is None

    page.tabs.setCurrentIndex(4)
    assert page.tabs.experiment_column.currentText() == "A free copy of Mastering The Interview"
    assert "Tick one or more values" in page.tabs.experiment_result.text()
    item = next(
        page.tabs.experiment_values.item(k)
        for k in range(page.tabs.experiment_values.count())
        if page.tabs.experiment_values.item(k).data(Qt.ItemDataRole.UserRole) == "Yes"
    )
    item.setCheckState(Qt.CheckState.Checked)
    e = page.check.experiment("A free copy of Mastering The Interview", ["Yes"])  # type: ignore[union-attr]
    assert e.added > 0
    text = page.tabs.experiment_result.text()
    assert f"adds <b>{e.added_weekly:,.1f} leads a week</b>" in text
    assert f"{e.rate * 100:.0f}%" in text  # type: ignore[operator]


def test_tables_follow_a_threshold_move(page: ThresholdPage, leads_session: WorkshopSession) -> None:
    page.tabs.setCurrentIndex(3)
    seg = page.tabs.segments_model
    passed_before = sum(int(seg.data(seg.index(r, 3)).replace(",", "")) for r in range(seg.rowCount()))
    assert passed_before == 1549
    leads_session.set("scoring", None, "threshold", 20.0)
    passed_after = sum(int(seg.data(seg.index(r, 3)).replace(",", "")) for r in range(seg.rowCount()))
    assert passed_after == page.check.figures().passed > passed_before  # type: ignore[union-attr]


# --------------------------------------------------------------------------- big data: background
def test_a_big_data_set_is_scored_in_the_background_with_progress(
    leads_session: WorkshopSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_keeper, "SYNC_ROWS", 0)
    page = ThresholdPage(leads_session)
    qtbot.addWidget(page)
    with qtbot.waitSignal(leads_session.check.building, timeout=1000):
        leads_session.check.reload()  # as when the leads are replaced
    assert page.stack.currentWidget() is page.building and page.check is None
    assert leads_session.check.task is not None
    with qtbot.waitSignal(leads_session.check.changed, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.main, timeout=10_000)
    assert page.headline.text().startswith("At 40 points, 1,549 of")
    assert leads_session.check.state == CheckState.READY


def test_cancel_stops_the_background_scoring_and_retry_starts_it_again(
    leads_session: WorkshopSession, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from models import lead_frame

    gate = threading.Event()
    real = lead_frame.LeadFrame.from_lead_data

    def slow(data: Any) -> Any:
        gate.wait(5)
        return real(data)

    monkeypatch.setattr(check_keeper, "SYNC_ROWS", 0)
    monkeypatch.setattr(lead_frame.LeadFrame, "from_lead_data", staticmethod(slow))
    page = ThresholdPage(leads_session)
    qtbot.addWidget(page)
    leads_session.check.reload()
    task = leads_session.check.task
    assert task is not None
    qtbot.mouseClick(page.building_cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: task.state == TaskState.CANCELLED, timeout=10_000)
    assert page.building_title.text() == "The threshold check is not computed"
    assert page.building_retry.isVisibleTo(page) and not page.building_cancel.isVisibleTo(page)
    assert page.check is None and leads_session.check.state == CheckState.STOPPED
    qtbot.mouseClick(page.building_retry, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.main, timeout=10_000)
    assert page.check is not None


def test_importing_new_leads_rebuilds_the_check(
    page: ThresholdPage, leads_session: WorkshopSession, tmp_path: Path
) -> None:
    from models.leads.importer import import_leads

    csv = tmp_path / "few.csv"
    csv.write_text(
        "Prospect ID,Converted,What is your current occupation,TotalVisits\n"
        "a,1,Working Professional,5\nb,0,Student,0\nc,1,Working Professional,0\n",
        encoding="utf-8",
    )
    leads_session.document.replace_leads(import_leads(csv))
    assert page.check is not None and page.check.frame.n == 3
    # a: 25 + 5 visits x 2 (cap 10) = 35; b: -10; c: 25. None reaches 40.
    assert list(page.check.scorer.score) == [35, -10, 25]
    assert page.headline.text() == "At 40 points, 0 of the 3 historical leads (0%) would have gone to sales."
    assert tile(page, "rate")[0] == "\u2014"
