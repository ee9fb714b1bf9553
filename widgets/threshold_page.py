"""Threshold check step: the room moves the hand-off threshold and sees at once whether the
leads above it would have become opportunities at the rate sales asked for, in a volume
sales can follow up.

    the threshold (spin box, or drag a line in any chart, or Left/Right on a chart)
    the weeks the history covers (for leads per week), and the recommended threshold
    five figures, green or red against their targets
    tabs: the three charts · score bands · what predicts opportunities · segments · experiment

The page only shows the session's threshold check (`session.check`, the keeper that builds
it in the background and keeps it in step with every edit). Moving the threshold is a lookup
in the check's sweep; while a line is dragged only the figures and lines move, and the edit
is saved (one undo step) on release. With no leads the step says what to import; while a big
data set is scored, it shows the keeper's progress and Cancel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.check import Figures, ThresholdCheck
from models.check_text import DASH, fmt_pct, handed_over, money_short, per_week, recommendation_title
from widgets.check_keeper import CheckState
from widgets.figure_tile import Tile, Verdict
from widgets.session import WorkshopSession
from widgets.style import mark_primary
from widgets.tasks import BAR_STEPS
from widgets.threshold_charts import ThresholdCharts
from widgets.threshold_tabs import CheckTabs

TILES = ("volume", "rate", "coverage", "revenue", "advantage")


class ThresholdPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.keeper = session.check
        self._drawn_version: tuple[Any, ...] | None = None
        self._shown_check: ThresholdCheck | None = None

        self.stack = QStackedWidget()
        self.empty = self._build_empty()
        self.building = self._build_building()
        self.main = self._build_main()
        for page in (self.empty, self.building, self.main):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)

        self.keeper.changed.connect(self.show_check)
        self.keeper.building.connect(self._on_building)
        self.keeper.progressed.connect(self._on_build_progress)
        self.keeper.stopped.connect(self._on_stopped)
        session.signed.connect(lambda _locked: self.refresh())  # a locked revision's lines stop moving
        self.show_check()

    @property
    def check(self) -> ThresholdCheck | None:
        """The check shown (the session's, once built)."""
        return self.keeper.check

    # -- building the page ------------------------------------------------------------
    def _build_empty(self) -> QWidget:
        page = QWidget()
        title = QLabel("No historical leads to check the threshold against yet")
        title.setObjectName("upcomingTitle")
        title.setWordWrap(True)
        text = QLabel(
            "Import the leads your CRM exported on the Historical leads step: one row per lead, with a "
            "column saying whether it became an opportunity (and, if you have them, the created date "
            "and revenue).\n\nThen every lead is scored with the model agreed on the Scoring model "
            "step, and this step shows, for any threshold, the opportunity rate against the target and "
            "the leads per week against sales capacity."
        )
        text.setWordWrap(True)
        self.go_import = QPushButton("Go to Historical leads")
        mark_primary(self.go_import)
        self.go_import.clicked.connect(lambda: self.session.goToStep.emit("leads"))
        row = QHBoxLayout()
        row.addWidget(self.go_import)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _build_building(self) -> QWidget:
        page = QWidget()
        self.building_title = QLabel("Scoring the historical leads\u2026")
        self.building_title.setObjectName("upcomingTitle")
        self.building_message = QLabel()
        self.building_message.setWordWrap(True)
        self.building_bar = QProgressBar()
        self.building_bar.setRange(0, BAR_STEPS)
        self.building_cancel = QPushButton("Cancel")
        self.building_cancel.clicked.connect(self.cancel_build)
        self.building_retry = QPushButton("Score the leads")
        mark_primary(self.building_retry)
        self.building_retry.clicked.connect(lambda: self.keeper.reload())
        self.building_retry.hide()
        row = QHBoxLayout()
        row.addWidget(self.building_bar, 1)
        row.addWidget(self.building_cancel)
        row.addWidget(self.building_retry)
        layout = QVBoxLayout(page)
        layout.addWidget(self.building_title)
        layout.addWidget(self.building_message)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _build_main(self) -> QWidget:
        page = QWidget()
        # The controls: threshold, weeks of history, recommendation.
        self.threshold_spin = QDoubleSpinBox()
        self.threshold_spin.setObjectName("thresholdSpin")
        self.threshold_spin.setRange(-9_999, 9_999)
        self.threshold_spin.setDecimals(1)
        self.threshold_spin.setSingleStep(1)
        self.threshold_spin.setSuffix(" points")
        self.threshold_spin.setKeyboardTracking(False)
        self.threshold_spin.valueChanged.connect(self._on_spin)
        self.weeks_spin = QDoubleSpinBox()
        self.weeks_spin.setObjectName("weeksSpin")
        self.weeks_spin.setRange(0, 10_000)
        self.weeks_spin.setDecimals(1)
        self.weeks_spin.setSuffix(" weeks")
        self.weeks_spin.setSpecialValueText("from dates")
        self.weeks_spin.setKeyboardTracking(False)
        self.weeks_spin.valueChanged.connect(self._on_weeks)
        self.weeks_note = QLabel()
        self.weeks_note.setObjectName("hint")
        self.weeks_note.setWordWrap(True)
        self.recommended = QLabel()
        self.recommended.setObjectName("recommended")
        self.recommended.setWordWrap(True)
        self.use_recommended = QPushButton()
        self.use_recommended.setObjectName("useRecommended")
        self.use_recommended.clicked.connect(self._apply_recommended)

        controls = QHBoxLayout()
        controls.setSpacing(10)
        threshold_label = QLabel("Hand-off threshold")
        threshold_label.setStyleSheet("font-weight: 600;")
        controls.addWidget(threshold_label)
        controls.addWidget(self.threshold_spin)
        controls.addSpacing(24)
        controls.addWidget(QLabel("History covers"))
        controls.addWidget(self.weeks_spin)
        controls.addWidget(self.weeks_note, 1)
        recommendation = QHBoxLayout()
        recommendation.addWidget(self.recommended, 1)
        recommendation.addWidget(self.use_recommended, 0, Qt.AlignmentFlag.AlignTop)

        self.headline = QLabel()
        self.headline.setObjectName("checkHeadline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-weight: 600;")

        self.tiles = {key: Tile(key) for key in TILES}
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)

        self.charts = ThresholdCharts()
        self.charts.dragged.connect(self._preview)
        self.charts.released.connect(self._commit)
        self.charts.stepped.connect(self._commit)
        self.tabs = CheckTabs(self.charts)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(recommendation)
        layout.addWidget(self.headline)
        layout.addLayout(tiles)
        layout.addWidget(self.tabs, 1)
        self._fit_tabs()
        return page

    def _fit_tabs(self) -> None:
        self.tabs.setMinimumHeight(self.fontMetrics().lineSpacing() * 11)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "tabs"):
            self._fit_tabs()

    # -- the keeper's states ---------------------------------------------------------------
    def _on_building(self, rows: int) -> None:
        self.building_title.setText(f"Scoring {rows:,} historical leads\u2026")
        self.building_message.setText("Starting\u2026")
        self.building_bar.setValue(0)
        self.building_cancel.show()
        self.building_cancel.setEnabled(True)
        self.building_retry.hide()
        self.stack.setCurrentWidget(self.building)

    def cancel_build(self) -> None:
        if self.keeper.state == CheckState.BUILDING:
            self.keeper.cancel()
            self.building_cancel.setEnabled(False)
            self.building_message.setText("Cancelling\u2026")

    def _on_build_progress(self, fraction: float, message: str) -> None:
        self.building_bar.setValue(round(fraction * BAR_STEPS))
        if message:
            self.building_message.setText(message)

    def _on_stopped(self, message: str) -> None:
        self.building_title.setText("The threshold check is not computed")
        self.building_message.setText(message)
        self.building_cancel.hide()
        self.building_retry.show()
        self.stack.setCurrentWidget(self.building)

    def show_check(self) -> None:
        """Show the keeper's state: no leads, building, stopped, or the check itself."""
        state = self.keeper.state
        if state == CheckState.NO_LEADS:
            self._shown_check = None
            self.tabs.set_check(None)
            self.stack.setCurrentWidget(self.empty)
        elif state == CheckState.BUILDING:
            self._on_building(self.keeper.rows)
        elif state == CheckState.STOPPED:
            self._on_stopped(self.keeper.message)
        else:
            check = self.keeper.check
            if check is not self._shown_check:  # a new data set: columns and every tab anew
                self._shown_check = check
                self._drawn_version = None
                self.tabs.set_check(check)
            self.stack.setCurrentWidget(self.main)
            self.refresh()

    # -- following the definitions -----------------------------------------------------------
    def refresh(self) -> None:
        """Bring every figure, chart and (visible) table up to the definitions."""
        check = self.check
        if check is None:
            return
        defs = self.session.defs
        read_only = self.session.read_only
        self.threshold_spin.setEnabled(not read_only)
        self.weeks_spin.setEnabled(not read_only)
        for line in self.charts.lines:
            line.setMovable(not read_only)
        version = (
            check.scorer.version,
            defs.scoring.minimum_fit,
            defs.scoring.history_weeks,
            defs.team.target_rate,
            defs.team.reps,
            defs.team.leads_per_rep_per_week,
        )
        stale = ["segments", "experiment"]  # both depend on the threshold
        if version != self._drawn_version:
            sw = check.sweep
            self.charts.set_data(
                sw.lo,
                sw.histogram_won,
                sw.histogram_lost,
                check.curves(),
                defs.team.target_rate,
                check.capacity,
                check.weeks is not None,
            )
            self._drawn_version = version
            stale = ["bands", "rules", *stale]
            self._show_recommendation()
            self._show_weeks()
        self._show_threshold(defs.scoring.threshold)
        self.tabs.mark_stale(*stale)

    def _show_weeks(self) -> None:
        check = self.check
        assert check is not None
        entered = self.session.defs.scoring.history_weeks
        self.weeks_spin.blockSignals(True)
        self.weeks_spin.setDecimals(0 if float(entered or 0).is_integer() else 1)
        self.weeks_spin.setValue(entered or 0)
        self.weeks_spin.blockSignals(False)
        from_dates = check.frame.weeks_from_dates
        if from_dates is not None:
            self.weeks_note.setText(
                f"the leads' creation dates span {from_dates:,.1f} weeks"
                + ("; the number entered is used" if entered else "")
            )
        else:
            self.weeks_note.setText(
                "the leads have no creation dates: enter the period the export covers"
                if not entered
                else "entered: the leads have no creation dates"
            )

    def _show_recommendation(self) -> None:
        check = self.check
        assert check is not None
        rec = check.recommendation()
        self.charts.set_recommended(None if rec.threshold is None else float(rec.threshold))
        if rec.threshold is None:
            self.recommended.setText(f"<b>{recommendation_title(rec)}</b> {rec.reason}")
            self.use_recommended.hide()
        else:
            self.recommended.setText(f"<b>{recommendation_title(rec)}</b> \u2014 {rec.reason}")
            self.use_recommended.setText(f"Use {rec.threshold}")
            self.use_recommended.show()
        self._update_use_button()

    def _update_use_button(self) -> None:
        rec = self.check.recommendation() if self.check is not None else None
        self.use_recommended.setEnabled(
            rec is not None
            and rec.threshold is not None
            and not self.session.read_only
            and rec.threshold != self.charts.threshold
        )

    # -- the threshold -----------------------------------------------------------------
    def _show_threshold(self, t: float) -> None:
        """Figures and lines at threshold t (what dragging previews and saving confirms)."""
        check = self.check
        assert check is not None
        self.charts.set_threshold(t)
        self.threshold_spin.blockSignals(True)
        self.threshold_spin.setDecimals(0 if float(t).is_integer() else 1)
        self.threshold_spin.setValue(t)
        self.threshold_spin.blockSignals(False)
        self.show_figures(check.figures(t))
        self._update_use_button()

    def _preview(self, t: float) -> None:
        if self.check is not None:
            self._show_threshold(t)

    def _commit(self, t: float) -> None:
        if self.check is None:
            return
        if t == self.session.defs.scoring.threshold:
            self._show_threshold(t)
            return
        if not self.session.set("scoring", None, "threshold", float(t)):
            self._show_threshold(self.session.defs.scoring.threshold)  # refused: back to the saved one

    def _on_spin(self, value: float) -> None:
        self._commit(round(value, 1))

    def _apply_recommended(self) -> None:
        rec = self.check.recommendation() if self.check is not None else None
        if rec is not None and rec.threshold is not None:
            self._commit(float(rec.threshold))

    def _on_weeks(self, value: float) -> None:
        self.session.set("scoring", None, "history_weeks", round(value, 1) if value > 0 else None)

    def show_figures(self, f: Figures) -> None:
        self.headline.setText(handed_over(f) + ".")
        t = self.tiles
        if f.weekly_volume is None:
            t["volume"].set(
                DASH, f"leads a week: enter the weeks of history (capacity {f.capacity:,})", Verdict.NEUTRAL
            )
        else:
            t["volume"].set(
                per_week(f.weekly_volume),
                f"leads a week to sales \u00b7 capacity {f.capacity:,}",
                Verdict.GOOD if f.volume_ok else Verdict.BAD,
            )
        t["rate"].set(
            fmt_pct(f.rate),
            f"opportunity rate \u00b7 target {fmt_pct(f.target_rate)}",
            Verdict.GOOD if f.rate_ok else Verdict.BAD,
        )
        t["coverage"].set(
            fmt_pct(f.coverage), f"coverage: of all {f.all_opportunities:,} opportunities", Verdict.NEUTRAL
        )
        if f.revenue is None:
            t["revenue"].set(DASH, "revenue: the data has none", Verdict.NEUTRAL)
        else:
            currency = self.session.defs.team.currency
            t["revenue"].set(money_short(f.revenue, currency), "revenue of the leads passed", Verdict.NEUTRAL)
        if f.advantage is None:
            t["advantage"].set(DASH, "better than cold calling: set a baseline rate", Verdict.NEUTRAL)
        else:
            t["advantage"].set(
                f"{f.advantage:.1f}\u00d7",
                f"better than cold calling ({fmt_pct(f.baseline_rate)})",
                Verdict.GOOD if f.advantage >= 1 else Verdict.BAD,
            )
            t["advantage"].setToolTip(f"{f.lift:.2f}\u00d7 the rate of the average lead" if f.lift else "")
