"""Threshold check step: the room moves the hand-off threshold and sees at once whether the
leads above it would have become opportunities at the rate sales asked for, in a volume
sales can follow up.

    the threshold (spin box, or drag a line in any chart, or Left/Right on a chart)
    the weeks the history covers (for leads per week), and the recommended threshold
    five figures, green or red against their targets
    tabs: the three charts · score bands · what predicts opportunities · segments · experiment

Moving the threshold is a lookup in the precomputed sweep (`models.check`); while a line is
dragged only the figures and lines move, and the edit is saved (one undo step) on release.
A rule edited on the Scoring model step re-scores only that rule, and everything here
follows. With no leads the step says what to import and links to the import step; a big
data set is scored in the background with progress and Cancel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.session import WorkshopSession
from app.tasks import BAR_STEPS, Task
from app.theme import mark_primary
from models.check import SUGGESTION_METHOD, Figures, ThresholdCheck, fmt_pct
from widgets.table_fit import fit_to_contents
from widgets.threshold_charts import ThresholdCharts
from widgets.threshold_tables import BandsModel, DiagnosticsModel, SegmentsModel

# Up to this many leads the check is built at once; above, in the background with progress.
SYNC_ROWS = 150_000
GOOD, BAD, NEUTRAL = "#1b7f3b", "#c0392b", "#4da3ff"
TABS = ("charts", "bands", "rules", "segments", "experiment")


class Tile(QFrame):
    """One figure the room reads from the back: a big number, what it is, and a coloured
    edge (green: meets its target, red: misses it, blue: no target)."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tile_{key}")
        self.state = "neutral"
        self.number = QLabel("\u2014")
        self.number.setObjectName("bigFigure")
        self.caption = QLabel()
        self.caption.setObjectName("figureLabel")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 12, 10)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)
        layout.addStretch(1)
        self.set("\u2014", "", "neutral")

    def set(self, number: str, caption: str, state: str) -> None:
        self.number.setText(number)
        self.caption.setText(caption)
        if state == self.state and self.styleSheet():
            return  # restyling costs more than the whole lookup: only when the colour changes
        self.state = state
        colour = {"good": GOOD, "bad": BAD}.get(state, NEUTRAL)
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: #ffffff; border: 1px solid #d5dbe3; "
            f"border-left: 8px solid {colour}; border-radius: 4px; }}"
        )
        self.number.setStyleSheet(f"color: {colour if state != 'neutral' else '#1f2a3a'};")


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _table(model: Any, stretch: tuple[int, ...] = (0,)) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(True)
    fit_to_contents(view, stretch)
    return view


class ThresholdPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.check: ThresholdCheck | None = None
        self.task: Task | None = None
        self._drawn_version: tuple[Any, ...] | None = None
        self._dirty_tabs: set[str] = set(TABS)
        self._previewing = False

        self.stack = QStackedWidget()
        self.empty = self._build_empty()
        self.building = self._build_building()
        self.main = self._build_main()
        for page in (self.empty, self.building, self.main):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)

        session.edited.connect(self._on_edited)
        session.revisionChanged.connect(self.reload)
        self.reload()

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
        self.building_retry.clicked.connect(self.reload)
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

        self.tiles = {key: Tile(key) for key in ("volume", "rate", "coverage", "revenue", "advantage")}
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("checkTabs")
        self.charts = ThresholdCharts()
        self.charts.dragged.connect(self._preview)
        self.charts.released.connect(self._commit)
        self.charts.stepped.connect(self._commit)
        self.tabs.addTab(self.charts, "Charts")
        # Each table tab scrolls on its own, so that none of them makes the charts' tab taller.
        self.tabs.addTab(_scrolled(self._build_bands()), "Score bands")
        self.tabs.addTab(_scrolled(self._build_rules()), "What predicts opportunities")
        self.tabs.addTab(_scrolled(self._build_segments()), "Segments")
        self.tabs.addTab(_scrolled(self._build_experiment()), "Experiment")
        self.tabs.currentChanged.connect(lambda _i: self._refresh_tab())

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(recommendation)
        layout.addWidget(self.headline)
        layout.addLayout(tiles)
        layout.addWidget(self.tabs, 1)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(content)
        self._fit_tabs()
        return page

    def _fit_tabs(self) -> None:
        self.tabs.setMinimumHeight(self.fontMetrics().lineSpacing() * 11)

    def changeEvent(self, event: Any) -> None:
        super().changeEvent(event)
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.FontChange and hasattr(self, "tabs"):
            self._fit_tabs()

    def _build_bands(self) -> QWidget:
        box = QWidget()
        intro = QLabel(
            "Leads and opportunity rate per score band (set on the Scoring model step): the rate "
            "should rise band by band."
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.bands_model = BandsModel(self)
        self.bands_view = _table(self.bands_model, stretch=(0, 1))
        self.bands_view.setObjectName("bandsTable")
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addWidget(self.bands_view, 1)
        return box

    def _build_rules(self) -> QWidget:
        box = QWidget()
        method = QLabel(
            "Which rules really told opportunities apart in this history. Lift = the opportunity "
            "rate of the leads a rule fires for \u00f7 that of the others: green agrees with the "
            "sign of its points, red disagrees, grey (0.9\u20131.1) tells nothing apart."
        )
        method.setToolTip(SUGGESTION_METHOD)
        method_more = QLabel(SUGGESTION_METHOD)
        method_more.setWordWrap(True)
        method_more.setObjectName("hint")
        method.setWordWrap(True)
        method.setObjectName("hint")
        self.rules_model = DiagnosticsModel(self)
        self.rules_view = _table(self.rules_model, stretch=(0,))
        self.rules_view.setObjectName("rulesTable")
        layout = QVBoxLayout(box)
        layout.addWidget(method)
        layout.addWidget(self.rules_view, 1)
        layout.addWidget(method_more)
        return box

    def _build_segments(self) -> QWidget:
        box = QWidget()
        self.segment_column = QComboBox()
        self.segment_column.setObjectName("segmentColumn")
        self.segment_column.currentIndexChanged.connect(lambda _i: self._refresh_segments())
        row = QHBoxLayout()
        row.addWidget(QLabel("Break down by"))
        row.addWidget(self.segment_column)
        row.addStretch(1)
        self.segments_model = SegmentsModel(self)
        self.segments_view = _table(self.segments_model, stretch=(0,))
        self.segments_view.setObjectName("segmentsTable")
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.segments_view, 1)
        return box

    def _build_experiment(self) -> QWidget:
        box = QWidget()
        intro = QLabel(
            "What if a segment went to sales whatever its score (say, everyone who downloaded "
            "the e-book)? Pick the column and the values: the leads of that segment below the "
            "threshold are added."
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.experiment_column = QComboBox()
        self.experiment_column.setObjectName("experimentColumn")
        self.experiment_column.currentIndexChanged.connect(lambda _i: self._fill_experiment_values())
        self.experiment_values = QListWidget()
        self.experiment_values.setObjectName("experimentValues")
        self.experiment_values.itemChanged.connect(lambda _item: self._refresh_experiment())
        self.experiment_result = QLabel()
        self.experiment_result.setObjectName("experimentResult")
        self.experiment_result.setWordWrap(True)
        self.experiment_result.setTextFormat(Qt.TextFormat.RichText)
        self.experiment_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        left = QVBoxLayout()
        column_row = QHBoxLayout()
        column_row.addWidget(QLabel("Column"))
        column_row.addWidget(self.experiment_column, 1)
        left.addLayout(column_row)
        left.addWidget(self.experiment_values, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.experiment_result, 2)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        return box

    # -- data set --------------------------------------------------------------------
    def reload(self) -> None:
        """(Re)build the check for the document's current leads, in the background if big."""
        self.cancel_build()
        document = self.session.document
        info = document.leads_info()
        self.check = None
        self._drawn_version = None
        if info is None:
            self.stack.setCurrentWidget(self.empty)
            self.session.checkChanged.emit()
            return
        if document.check_ready or info.rows <= SYNC_ROWS:
            self._adopt(document.threshold_check())
            return
        self._build_in_background(info.rows)

    def _build_in_background(self, rows: int) -> None:
        from models.check import ThresholdCheck
        from models.engine import LeadFrame
        from models.leads.importer import SubProgress
        from models.leads.types import check

        document = self.session.document
        file, revision_id = document.file, document.revision.id
        defs = document.defs.model_copy(deep=True)
        generation = document.leads_generation

        def work(progress: Any) -> Any:
            check(progress, 0.0, f"Loading {rows:,} leads from the workshop\u2026")
            leads = file.load_leads(revision_id)
            check(progress, 0.3, "Preparing the columns\u2026")
            frame = LeadFrame.from_lead_data(leads)
            built = ThresholdCheck(frame, defs, SubProgress(progress, 0.35, 0.95))
            check(progress, 0.95, "Sweeping every threshold\u2026")
            built.sweep  # noqa: B018 - computed here, off the GUI thread
            return leads, built, generation

        self.building_title.setText(f"Scoring {rows:,} historical leads\u2026")
        self.building_message.setText("Starting\u2026")
        self.building_bar.setValue(0)
        self.building_cancel.show()
        self.building_cancel.setEnabled(True)
        self.building_retry.hide()
        self.stack.setCurrentWidget(self.building)
        task = Task(work, self)
        task.progressed.connect(self._on_build_progress)
        task.finished.connect(self._on_built)
        task.failed.connect(self._on_build_failed)
        task.cancelled.connect(self._on_build_cancelled)
        self.task = task
        task.start()

    def cancel_build(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.building_cancel.setEnabled(False)
            self.building_message.setText("Cancelling\u2026")

    def _on_build_progress(self, fraction: float, message: str) -> None:
        self.building_bar.setValue(round(fraction * BAR_STEPS))
        if message:
            self.building_message.setText(message)

    def _on_built(self, result: Any) -> None:
        leads, built, generation = result
        self.task = None
        if self.session.document.adopt_check(built, leads, generation):
            self._adopt(built)
        else:
            self.reload()  # the data changed meanwhile

    def _on_build_failed(self, message: str) -> None:
        self.task = None
        self._stopped(f"The leads could not be scored: {message}")

    def _on_build_cancelled(self) -> None:
        self.task = None
        self._stopped("Cancelled. Nothing was changed; the threshold check needs the leads scored.")

    def _stopped(self, message: str) -> None:
        self.building_title.setText("The threshold check is not computed")
        self.building_message.setText(message)
        self.building_cancel.hide()
        self.building_retry.show()
        self.stack.setCurrentWidget(self.building)

    def _adopt(self, check: ThresholdCheck | None) -> None:
        self.check = check
        if check is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self._fill_columns()
        self.stack.setCurrentWidget(self.main)
        self.refresh()

    def _fill_columns(self) -> None:
        assert self.check is not None
        columns = self.check.segment_columns()
        for combo in (self.segment_column, self.experiment_column):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(columns)
            index = combo.findText(current)
            if index < 0 and combo is self.segment_column:
                index = combo.findText("Lead Source")
            if index < 0 and combo is self.experiment_column:
                index = combo.findText("A free copy of Mastering The Interview")
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self._fill_experiment_values()

    # -- following edits -------------------------------------------------------------
    def _on_edited(self, edit: Any) -> None:
        if edit == "leads":
            self.reload()
            return
        if self.check is None:
            return
        self.session.document.threshold_check()  # re-scores the rules that changed, if any
        self.refresh()

    def refresh(self) -> None:
        """Bring every figure, chart and (visible) table up to the definitions."""
        check = self.check
        if check is None:
            return
        defs = self.session.defs
        check.update(defs)
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
            self._dirty_tabs = set(TABS)
            self._show_recommendation()
            self._show_weeks()
            self.session.checkChanged.emit()
        self._show_threshold(defs.scoring.threshold)
        self._dirty_tabs.update(("segments", "experiment"))  # both depend on the threshold
        self._refresh_tab()

    def _show_weeks(self) -> None:
        assert self.check is not None
        entered = self.session.defs.scoring.history_weeks
        self.weeks_spin.blockSignals(True)
        self.weeks_spin.setDecimals(0 if float(entered or 0).is_integer() else 1)
        self.weeks_spin.setValue(entered or 0)
        self.weeks_spin.blockSignals(False)
        from_dates = self.check.frame.weeks_from_dates
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
        assert self.check is not None
        rec = self.check.recommendation()
        self.charts.set_recommended(None if rec.threshold is None else float(rec.threshold))
        if rec.threshold is None:
            self.recommended.setText(f"<b>No recommended threshold.</b> {rec.reason}")
            self.use_recommended.hide()
        else:
            self.recommended.setText(f"<b>Recommended: {rec.threshold} points</b> \u2014 {rec.reason}")
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
        assert self.check is not None
        self.charts.set_threshold(t)
        self.threshold_spin.blockSignals(True)
        self.threshold_spin.setDecimals(0 if float(t).is_integer() else 1)
        self.threshold_spin.setValue(t)
        self.threshold_spin.blockSignals(False)
        self.show_figures(self.check.figures(t))
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
        defs = self.session.defs
        share = f"{f.passed / f.leads:.0%}" if f.leads else "\u2014"
        self.headline.setText(
            f"At {f.threshold:g} points, {f.passed:,} of the {f.leads:,} historical leads "
            f"({share}) would have gone to sales."
        )
        t = self.tiles
        if f.weekly_volume is None:
            t["volume"].set("\u2014", f"leads a week: enter the weeks of history (capacity {f.capacity:,})", "neutral")
        else:
            t["volume"].set(
                f"{f.weekly_volume:,.0f}",
                f"leads a week to sales \u00b7 capacity {f.capacity:,}",
                "good" if f.volume_ok else "bad",
            )
        t["rate"].set(
            fmt_pct(f.rate), f"opportunity rate \u00b7 target {fmt_pct(f.target_rate)}", "good" if f.rate_ok else "bad"
        )
        t["coverage"].set(fmt_pct(f.coverage), f"coverage: of all {f.all_opportunities:,} opportunities", "neutral")
        if f.revenue is None:
            t["revenue"].set("\u2014", "revenue: the data has none", "neutral")
        else:
            t["revenue"].set(_money(f.revenue, defs.team.currency), "revenue of the leads passed", "neutral")
        if f.advantage is None:
            t["advantage"].set("\u2014", "better than cold calling: set a baseline rate", "neutral")
        else:
            t["advantage"].set(
                f"{f.advantage:.1f}\u00d7",
                f"better than cold calling ({fmt_pct(f.baseline_rate)})",
                "good" if f.advantage >= 1 else "bad",
            )
            t["advantage"].setToolTip(f"{f.lift:.2f}\u00d7 the rate of the average lead" if f.lift else "")

    # -- tabs ------------------------------------------------------------------------
    def _refresh_tab(self) -> None:
        if self.check is None:
            return
        key = TABS[self.tabs.currentIndex()]
        if key not in self._dirty_tabs:
            return
        self._dirty_tabs.discard(key)
        if key == "bands":
            self.bands_model.set_rows(self.check.bands())
        elif key == "rules":
            self.rules_model.set_rows(self.check.rule_diagnostics())
        elif key == "segments":
            self._refresh_segments()
        elif key == "experiment":
            self._refresh_experiment()

    def _refresh_segments(self) -> None:
        column = self.segment_column.currentText()
        self.segments_model.set_column(column)
        if self.check is None or not column:
            self.segments_model.set_rows([])
            return
        self.segments_model.set_rows(self.check.segments(column))

    def _fill_experiment_values(self) -> None:
        self.experiment_values.blockSignals(True)
        self.experiment_values.clear()
        column = self.experiment_column.currentText()
        if self.check is not None and column:
            for row in self.check.segments(column):
                item = QListWidgetItem(f"{row.value}  ({row.leads:,} leads, {fmt_pct(row.rate)})")
                item.setData(Qt.ItemDataRole.UserRole, row.value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.experiment_values.addItem(item)
        self.experiment_values.blockSignals(False)
        self._refresh_experiment()

    def experiment_choice(self) -> list[str]:
        out = []
        for k in range(self.experiment_values.count()):
            item = self.experiment_values.item(k)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _refresh_experiment(self) -> None:
        column = self.experiment_column.currentText()
        values = self.experiment_choice()
        if self.check is None or not column or not values:
            self.experiment_result.setText("Tick one or more values to see what sending them to sales would do.")
            return
        e = self.check.experiment(column, values)
        shown = ", ".join(f"\u201c{v}\u201d" for v in values)
        if e.added == 0:
            self.experiment_result.setText(
                f"Every {shown} lead already goes to sales at this threshold: nothing would change."
            )
            return
        if e.added_weekly is None or e.weekly_volume is None:
            volume = f"adds {e.added:,} leads (leads per week unknown: enter the weeks of history)"
        else:
            now = e.weekly_volume - e.added_weekly
            over = e.weekly_volume > e.capacity
            colour = BAD if over else GOOD
            volume = (
                f"adds <b>{e.added_weekly:,.1f} leads a week</b> ({now:,.0f} \u2192 "
                f"<span style='color:{colour}'><b>{e.weekly_volume:,.0f}</b></span> a week, "
                f"capacity {e.capacity:,})"
            )
        target = self.session.defs.team.target_rate
        rate_colour = GOOD if e.rate is not None and e.rate >= target else BAD
        self.experiment_result.setText(
            f"<p style='font-size:large'>Sending every {shown} lead of \u201c{column}\u201d to sales too "
            f"{volume}.</p><p style='font-size:large'>The blended opportunity rate would be "
            f"<span style='color:{rate_colour}'><b>{fmt_pct(e.rate)}</b></span> (now {fmt_pct(e.rate_now)}, "
            f"target {fmt_pct(target)}); {e.added_opportunities:,} of the {e.added:,} added leads became "
            f"opportunities ({fmt_pct(e.added_opportunities / e.added)}).</p>"
        )


def _money(value: float, currency: str) -> str:
    for limit, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(value) >= limit:
            return f"{currency} {value / limit:,.1f}{suffix}"
    return f"{currency} {value:,.0f}"
