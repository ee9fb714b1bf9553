"""The three live charts of the Threshold check step (pyqtgraph), created once and fed with
`setData` afterwards:

    Leads by score        histogram of every lead's score, split by outcome, with the
                          threshold as a line the room can drag
    Rate and coverage     opportunity rate and coverage of all opportunities against the
                          threshold, with the target rate as a line
    Leads per week        weekly volume passed against the threshold, with sales capacity

Each chart's threshold line can be dragged; the others follow. While dragging, `dragged(t)`
reports whole-point positions; on release, `released(t)`. Keyboard: Left/Right move the
threshold one point (Shift: five) when a chart has focus, and `stepped(t)` reports it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from models.chart_scales import nice_ceiling, nice_span, rebin
from models.palette import ACCENT, BAD, COVERAGE, FAINT, GOOD, HIGHLIGHT, INK, LOST, PAPER, VOLUME

WON = GOOD
RATE = ACCENT
TARGET = BAD
THRESHOLD = INK
RECOMMENDED = FAINT
MAX_HISTOGRAM_BARS = 45
MIN_LEADS_FOR_RATE = 30


def _pen(colour: str, width: float = 2.5, dashed: bool = False) -> Any:
    pen = pg.mkPen(colour, width=width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def _legend(entries: list[tuple[str, str, bool]]) -> QLabel:
    """A legend under a chart, in the page's own type: a line (or a block) per entry."""
    parts = []
    for colour, text, is_line in entries:
        mark = "\u2501\u2501" if is_line else "\u2588"
        first, _, rest = text.partition(" ")  # the mark never parts from its first word
        parts.append(f"<span style='color:{colour}; font-weight:700'>{mark}</span>&nbsp;{first} {rest}")
    label = QLabel(" &nbsp; ".join(parts))
    label.setObjectName("chartLegend")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class _Plot(pg.PlotWidget):
    """A chart that passes Left/Right to its owner (to move the threshold)."""

    def __init__(self, owner: ThresholdCharts) -> None:
        super().__init__(background="w")
        self.owner = owner
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.getPlotItem().disableAutoRange()  # ranges are set when the data change: no second paint
        self.hideButtons()
        # No grid: pyqtgraph draws it as part of each axis, so every move of the threshold
        # line would repaint it (4/5 of the paint time, measured); the dashed target and
        # capacity lines are the references that matter.

    def keyPressEvent(self, ev: QKeyEvent) -> None:
        step = 5 if ev.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        if ev.key() in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            self.owner.step(-step)
        elif ev.key() in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self.owner.step(step)
        else:
            super().keyPressEvent(ev)


class ThresholdCharts(QWidget):
    dragged = Signal(float)
    released = Signal(float)
    stepped = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.threshold = 0.0
        self._syncing = False
        self._span: tuple[float, float] | None = None
        self._tops: dict[str, float] = {}
        self.histogram = _Plot(self)
        self.rates = _Plot(self)
        self.volume = _Plot(self)
        self.histogram.setObjectName("histogramChart")
        self.rates.setObjectName("ratesChart")
        self.volume.setObjectName("volumeChart")

        h = self.histogram.getPlotItem()
        self.all_curve = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            pen=_pen(LOST, 1.5),
            brush=pg.mkBrush(QColor(LOST).lighter(125)),
            name="No opportunity",
        )
        self.won_curve = pg.PlotDataItem(
            stepMode="center",
            fillLevel=0,
            pen=_pen(WON, 1.5),
            brush=pg.mkBrush(QColor(WON).lighter(150)),
            name="Became an opportunity",
        )
        h.addItem(self.all_curve)
        h.addItem(self.won_curve)

        r = self.rates.getPlotItem()
        self.rate_curve = pg.PlotDataItem(pen=_pen(RATE, 3), name="Opportunity rate", connect="finite")
        self.coverage_curve = pg.PlotDataItem(
            pen=_pen(COVERAGE, 3), name="Coverage of all opportunities", connect="finite"
        )
        r.addItem(self.rate_curve)
        r.addItem(self.coverage_curve)
        self.target_line = pg.InfiniteLine(
            angle=0,
            pen=_pen(TARGET, 2, dashed=True),
            label="target",
            labelOpts={"position": 0.12, "color": TARGET, "anchors": [(0, 1), (0, 1)]},
        )
        r.addItem(self.target_line)
        r.setYRange(0, 100, padding=0.02)

        v = self.volume.getPlotItem()
        self.volume_curve = pg.PlotDataItem(pen=_pen(VOLUME, 3), name="Leads per week passed", connect="finite")
        v.addItem(self.volume_curve)
        self.capacity_line = pg.InfiniteLine(
            angle=0,
            pen=_pen(TARGET, 2, dashed=True),
            label="capacity",
            labelOpts={"position": 0.88, "color": TARGET, "anchors": [(1, 1), (1, 1)]},
        )
        v.addItem(self.capacity_line)
        self.volume_note = pg.TextItem("", color=INK, anchor=(0.5, 0.5))
        v.addItem(self.volume_note)

        # The recommended threshold, faint and fixed, so the room sees where it would move to.
        self.recommended_lines: list[pg.InfiniteLine] = []
        for plot in (self.histogram, self.rates, self.volume):
            guide = pg.InfiniteLine(
                angle=90,
                movable=False,
                pen=_pen(RECOMMENDED, 2, dashed=True),
                label="recommended",
                labelOpts={"position": 0.86, "color": RECOMMENDED, "anchors": [(1, 0.5), (1, 0.5)]},
            )
            guide.setZValue(5)
            guide.hide()
            plot.getPlotItem().addItem(guide)
            self.recommended_lines.append(guide)

        self.lines: list[pg.InfiniteLine] = []
        for plot in (self.histogram, self.rates, self.volume):
            line = pg.InfiniteLine(
                angle=90,
                movable=True,
                pen=_pen(THRESHOLD, 3),
                hoverPen=_pen(HIGHLIGHT, 5),
                label="{value:g}",
                labelOpts={"position": 0.96, "color": PAPER, "fill": THRESHOLD, "movable": False},
            )
            line.setZValue(10)
            line.sigPositionChanged.connect(self._on_line_moved)
            line.sigPositionChangeFinished.connect(self._on_line_released)
            plot.getPlotItem().addItem(line)
            self.lines.append(line)

        self.legends = [
            _legend(
                [
                    (WON, "became an opportunity", False),
                    (LOST, "did not", False),
                    (THRESHOLD, "threshold: drag it", True),
                ]
            ),
            _legend(
                [
                    (RATE, "opportunity rate of the leads handed over", True),
                    (COVERAGE, "coverage of all opportunities", True),
                    (TARGET, "target", True),
                ]
            ),
            _legend([(VOLUME, "leads a week handed to sales", True), (TARGET, "sales capacity", True)]),
        ]
        layout = QGridLayout(self)  # one row of charts, one of legends: the charts stay level
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(2)
        for column, (plot, legend) in enumerate(
            zip((self.histogram, self.rates, self.volume), self.legends, strict=True)
        ):
            layout.addWidget(plot, 0, column)
            layout.addWidget(legend, 1, column, Qt.AlignmentFlag.AlignTop)
            layout.setColumnStretch(column, 1)
        layout.setRowStretch(0, 1)
        self.apply_font()

    # -- look ----------------------------------------------------------------------
    def apply_font(self) -> None:
        """Axis text, titles and legends at the application's type size (which presentation
        mode enlarges), so the charts stay readable from the back of the room."""
        base = QFont(self.font())
        size = max(base.pointSize(), 9)
        tick = QFont(base)
        tick.setPointSize(max(size - 1, 8))
        titles = (
            ("Leads by score", "Score (points)", "Number of leads"),
            ("Rate and coverage", "Threshold (points)", "Percent"),
            ("Leads per week", "Threshold (points)", "Leads to sales per week"),
        )
        style = {"color": INK, "font-size": f"{size}pt"}
        for plot, (title, xlabel, ylabel) in zip((self.histogram, self.rates, self.volume), titles, strict=True):
            item = plot.getPlotItem()
            item.setTitle(title, color=INK, size=f"{size + 1}pt", bold=True)
            item.setLabel("bottom", xlabel, **style)
            item.setLabel("left", ylabel, **style)
            for name in ("bottom", "left"):
                axis = item.getAxis(name)
                axis.setTickFont(tick)
                axis.setPen(pg.mkPen(INK))
                axis.setTextPen(pg.mkPen(INK))
        label_font = QFont(base)
        label_font.setPointSize(max(size - 1, 8))
        label_font.setBold(True)
        for line in self.lines + self.recommended_lines + [self.target_line, self.capacity_line]:
            if line.label is not None:
                line.label.textItem.setFont(label_font)
        self.volume_note.setFont(label_font)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.apply_font()

    # -- data ----------------------------------------------------------------------
    def set_data(
        self,
        lo: int,
        won: np.ndarray,
        lost: np.ndarray,
        curves: dict[str, np.ndarray],
        target_rate: float,
        capacity: float,
        weeks_known: bool,
    ) -> None:
        edges, w, lo_counts = rebin(lo, won, lost, MAX_HISTOGRAM_BARS)
        totals = (w + lo_counts).astype(float)
        self.all_curve.setData(edges, totals)
        self.won_curve.setData(edges, w.astype(float))
        self._set_y(
            self.histogram.getPlotItem(),
            float(totals.max()) * 1.06 if len(totals) and totals.max() > 0 else 1.0,
            key="histogram",
        )
        x = curves["threshold"]
        # A rate of a handful of leads is noise (100%, then 0%): drawn only where at least
        # MIN_LEADS_FOR_RATE leads pass, as the rule diagnostics require.
        rate = np.where(curves["passed"] >= MIN_LEADS_FOR_RATE, curves["rate"] * 100, np.nan)
        self.rate_curve.setData(x, rate)
        self.coverage_curve.setData(x, curves["coverage"] * 100)
        self.target_line.setValue(target_rate * 100)
        self.target_line.label.setFormat(f"target {target_rate * 100:g}%")
        v = self.volume.getPlotItem()
        if weeks_known:
            self.volume_curve.setData(x, curves["weekly"])
            self.capacity_line.setValue(capacity)
            self.capacity_line.label.setFormat(f"capacity {capacity:,.0f}")
            self.capacity_line.show()
            self.volume_note.setText("")
            top = float(np.nanmax(curves["weekly"])) if np.isfinite(curves["weekly"]).any() else 1.0
            self._set_y(v, max(top, capacity) * 1.08, key="volume")
        else:
            self.volume_curve.setData([], [])
            self.capacity_line.hide()
            self.volume_note.setText("Leads per week unknown:\nenter the weeks of history")
            self.volume_note.setPos(float(x[len(x) // 2]) if len(x) else 0.0, 0.5)
            self._set_y(v, 1.0, key="volume")
        span = nice_span(float(x[0]), float(x[-1])) if len(x) else (0.0, 1.0)
        if span != self._span:  # a new range re-lays out the axes (a second paint): only when it changes
            self._span = span
            for plot in (self.histogram, self.rates, self.volume):
                plot.getPlotItem().setXRange(*span, padding=0.02)
            for line in self.lines:
                line.setBounds((span[0], span[1]))

    def _set_y(self, item: Any, top: float, key: str) -> None:
        """Set a chart's vertical range to a round number above `top`, only when that changes
        (each change re-lays out the axis and paints the chart twice)."""
        top = nice_ceiling(top)
        if abs(top - self._tops.get(key, -1.0)) > 1e-9 * max(abs(top), 1.0):
            self._tops[key] = top
            item.setYRange(0, top, padding=0)

    def set_recommended(self, t: float | None) -> None:
        """Show the recommended threshold as a faint line (None: hide it)."""
        for guide in self.recommended_lines:
            if t is None:
                guide.hide()
            else:
                guide.show()
                guide.setValue(t)
                guide.label.setFormat(f"recommended {t:g} ")
                guide.label.setText(f"recommended {t:g} ")  # (a hidden label ignores a new format)

    def set_threshold(self, t: float) -> None:
        """Put every threshold line at `t` (without emitting anything)."""
        self.threshold = float(t)
        self._syncing = True
        try:
            for line in self.lines:
                if line.value() != t:
                    line.setValue(t)
        finally:
            self._syncing = False

    def step(self, delta: float) -> None:
        t = math.floor(self.threshold) + delta if delta > 0 else math.ceil(self.threshold) + delta
        lo, hi = self.lines[0].maxRange if self.lines[0].maxRange[0] is not None else (t, t)
        t = min(max(t, lo), hi) if lo is not None and hi is not None else t
        self.set_threshold(t)
        self.stepped.emit(float(t))

    # -- dragging ------------------------------------------------------------------
    def _on_line_moved(self, line: pg.InfiniteLine) -> None:
        if self._syncing:
            return
        t = float(round(line.value()))
        if t != line.value():
            self._syncing = True
            line.setValue(t)  # whole points: the swept thresholds
            self._syncing = False
        if t == self.threshold:
            return
        self.set_threshold(t)
        self.dragged.emit(t)

    def _on_line_released(self, line: pg.InfiniteLine) -> None:
        self.released.emit(float(round(line.value())))
