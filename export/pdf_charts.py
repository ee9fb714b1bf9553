"""The three charts of the threshold check, as vector drawings for the PDF (reportlab.graphics,
no Qt): the same charts, colours and wording as the Threshold check step of the app.

    histogram_chart(report, style, width, height)   leads by score, split by outcome, threshold line
    rates_chart(report, style, width, height)       opportunity rate and coverage, target line
    volume_chart(report, style, width, height)      leads to sales per week, capacity line

`report` is a `models.check_report.CheckReport`: the charts are drawn at its threshold.

Each returns a `reportlab.graphics.shapes.Drawing` that platypus lays out like any flowable;
its text is real text in the PDF, so it stays sharp at any zoom and can be selected.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from models import palette
from models.chart_scales import nice_ceiling, nice_span, rebin

if TYPE_CHECKING:
    from typing import Unpack

    from reportlab.graphics.shapes import _SolidShapeKwArgs

    from models.check_report import CheckReport

Anchor = Literal["start", "middle", "end"]

# The app's chart colours (widgets/threshold_charts.py draws with the same palette).
INK = palette.INK
WON = palette.GOOD
LOST = palette.LOST
RATE = palette.ACCENT
COVERAGE = palette.COVERAGE
VOLUME = palette.VOLUME
TARGET = palette.BAD
THRESHOLD = palette.INK
GRID = palette.GRID
AXIS = palette.MUTED
MAX_HISTOGRAM_BARS = 50
MIN_LEADS_FOR_RATE = 30


@dataclass(frozen=True)
class ChartStyle:
    """Fonts of the charts' text, and the function that makes text printable in them."""

    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    txt: Callable[[str], str] = str
    tick_size: float = 7.0
    label_size: float = 7.5


def _c(hex_colour: str, alpha: float | None = None) -> Color:
    colour = HexColor(hex_colour)
    if alpha is not None:
        colour = Color(colour.red, colour.green, colour.blue, alpha=alpha)
    return colour


def _rect(x: float, y: float, width: float, height: float, **kw: Unpack[_SolidShapeKwArgs]) -> Rect:
    """A `Rect`, with its keywords checked: the stub annotates them as one `_SolidShapeKwArgs`
    each where it means the keywords of one, unpacked."""
    return Rect(x, y, width, height, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- numbers
def nice_ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10^k) from lo to hi, at most `most` + 1."""
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    step = next((s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw * (1 - 1e-9)), 10 * power)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    k = 0
    while first + k * step <= hi + step * 1e-9:
        ticks.append(round(first + k * step, 10))
        k += 1
    return ticks


def _fmt_tick(value: float, percent: bool = False) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    text = text.replace("-", "\u2212")
    return text + ("%" if percent else "")


# --------------------------------------------------------------------------- the frame
class _Axes:
    """A plot area inside a drawing: maps data to points and draws grid, ticks and labels."""

    LEFT, RIGHT, BOTTOM, TOP = 50.0, 12.0, 32.0, 24.0

    def __init__(
        self,
        drawing: Drawing,
        style: ChartStyle,
        x_span: tuple[float, float],
        y_top: float,
        x_label: str,
        y_label: str,
        percent: bool = False,
    ) -> None:
        self.d = drawing
        self.style = style
        self.x0, self.x1 = x_span
        self.y0, self.y1 = 0.0, y_top
        self.left = self.LEFT
        self.bottom = self.BOTTOM
        self.width = drawing.width - self.LEFT - self.RIGHT
        self.height = drawing.height - self.BOTTOM - self.TOP
        self.percent = percent
        self._frame(x_label, y_label)

    def px(self, x: float) -> float:
        return self.left + (x - self.x0) / (self.x1 - self.x0) * self.width

    def py(self, y: float) -> float:
        return self.bottom + (y - self.y0) / (self.y1 - self.y0) * self.height

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def top(self) -> float:
        return self.bottom + self.height

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float | None = None,
        colour: str = INK,
        anchor: Anchor = "start",
        bold: bool = False,
    ) -> String:
        s = String(
            x,
            y,
            self.style.txt(text),
            fontName=self.style.bold if bold else self.style.regular,
            fontSize=size or self.style.tick_size,
            fillColor=_c(colour),
            textAnchor=anchor,
        )
        self.d.add(s)
        return s

    def _frame(self, x_label: str, y_label: str) -> None:
        st = self.style
        for y in nice_ticks(self.y0, self.y1, 5):
            yy = self.py(y)
            if y > self.y0:
                self.d.add(Line(self.left, yy, self.right, yy, strokeColor=_c(GRID), strokeWidth=0.5))
            self.d.add(Line(self.left - 3, yy, self.left, yy, strokeColor=_c(AXIS), strokeWidth=0.6))
            self.text(self.left - 5, yy - st.tick_size * 0.35, _fmt_tick(y, self.percent), anchor="end", colour=AXIS)
        for x in nice_ticks(self.x0, self.x1, 10):
            xx = self.px(x)
            self.d.add(Line(xx, self.bottom, xx, self.bottom - 3, strokeColor=_c(AXIS), strokeWidth=0.6))
            self.text(xx, self.bottom - 4 - st.tick_size, _fmt_tick(x), anchor="middle", colour=AXIS)
        self.d.add(Line(self.left, self.bottom, self.right, self.bottom, strokeColor=_c(AXIS), strokeWidth=0.8))
        self.d.add(Line(self.left, self.bottom, self.left, self.top, strokeColor=_c(AXIS), strokeWidth=0.8))
        self.text(self.left + self.width / 2, 3, x_label, size=st.label_size, anchor="middle")
        # The vertical axis' label, turned a quarter: a String inside a rotated group.
        label = String(
            0, 0, st.txt(y_label), fontName=st.regular, fontSize=st.label_size, fillColor=_c(INK), textAnchor="middle"
        )
        g = Group(label)
        g.translate(st.label_size + 1, self.bottom + self.height / 2)
        g.rotate(90)
        self.d.add(g)

    def legend(self, entries: list[tuple[str, str, str]]) -> None:
        """Entries (colour, text, kind: 'block', 'line' or 'dash') in a row above the plot."""
        st = self.style
        x = self.left
        y = self.top + 9
        for colour, text, kind in entries:
            if kind == "block":
                self.d.add(_rect(x, y - 1, 8, 7, fillColor=_c(colour), strokeColor=None))
                x += 11
            else:
                self.d.add(
                    Line(
                        x,
                        y + 2.5,
                        x + 14,
                        y + 2.5,
                        strokeColor=_c(colour),
                        strokeWidth=2,
                        # None: no dashes (reportlab's default), which the stub does not allow.
                        strokeDashArray=[3, 2] if kind == "dash" else None,  # type: ignore[arg-type]
                    )
                )
                x += 17
            shown = st.txt(text)
            self.text(x, y, text, size=st.label_size)
            x += stringWidth(shown, st.regular, st.label_size) + 12

    def threshold_line(self, t: float) -> None:
        """The hand-off threshold: a solid dark line with its value in a tab at the top."""
        if not (self.x0 <= t <= self.x1):
            return
        st = self.style
        x = self.px(t)
        self.d.add(Line(x, self.bottom, x, self.top, strokeColor=_c(THRESHOLD), strokeWidth=1.6))
        label = st.txt(f"threshold {_fmt_tick(t)}")
        w = stringWidth(label, st.bold, st.tick_size) + 8
        left = x - w / 2
        left = min(max(left, self.left), self.right - w)
        self.d.add(
            _rect(left, self.top - st.tick_size - 5, w, st.tick_size + 5, fillColor=_c(THRESHOLD), strokeColor=None)
        )
        self.text(left + w / 2, self.top - st.tick_size - 2.2, label, anchor="middle", colour=palette.PAPER, bold=True)

    def reference_line(self, y: float, label: str, at_left: bool) -> None:
        """A dashed horizontal reference (target rate, capacity) with its label above it."""
        if not (self.y0 <= y <= self.y1):
            return
        yy = self.py(y)
        self.d.add(Line(self.left, yy, self.right, yy, strokeColor=_c(TARGET), strokeWidth=1.3, strokeDashArray=[5, 3]))
        above = yy + 3 if yy + 3 + self.style.label_size < self.top - 12 else yy - 3 - self.style.label_size
        if at_left:
            self.text(self.left + 4, above, label, size=self.style.label_size, colour=TARGET, bold=True)
        else:
            self.text(self.right - 4, above, label, size=self.style.label_size, colour=TARGET, bold=True, anchor="end")

    def curve(self, xs: np.ndarray, ys: np.ndarray, colour: str, width: float = 1.8) -> None:
        """A line through the finite points, broken where the value is undefined (NaN)."""
        points: list[float] = []
        for x, y in zip(xs, ys, strict=True):
            if not np.isfinite(y) or not (self.x0 <= x <= self.x1):
                self._flush(points, colour, width)
                points = []
                continue
            points += [self.px(float(x)), self.py(min(max(float(y), self.y0), self.y1))]
        self._flush(points, colour, width)

    def _flush(self, points: list[float], colour: str, width: float) -> None:
        if len(points) >= 4:
            self.d.add(PolyLine(points, strokeColor=_c(colour), strokeWidth=width, strokeLineJoin=1, strokeLineCap=1))

    def marker(self, x: float, y: float, colour: str, label: str, prefer_right: bool = True) -> None:
        """A dot on a curve at the threshold, with its value beside it."""
        if not (np.isfinite(y) and self.x0 <= x <= self.x1):
            return
        xx, yy = self.px(x), self.py(min(max(y, self.y0), self.y1))
        self.d.add(Circle(xx, yy, 2.8, fillColor=_c(colour), strokeColor=_c(palette.PAPER), strokeWidth=0.8))
        shown = self.style.txt(label)
        w = stringWidth(shown, self.style.bold, self.style.label_size)
        right = prefer_right and xx + 6 + w < self.right
        tx = xx + 6 if right else xx - 6
        ty = min(max(yy - self.style.label_size * 0.35, self.bottom + 2), self.top - self.style.label_size - 14)
        self.d.add(
            _rect(
                tx - 1.5 if right else tx - w - 1.5,
                ty - 1.5,
                w + 3,
                self.style.label_size + 2.5,
                fillColor=_c(palette.PAPER, 0.85),
                strokeColor=None,
            )
        )
        self.text(
            tx, ty, label, size=self.style.label_size, colour=colour, bold=True, anchor="start" if right else "end"
        )


def _span(check: CheckReport) -> tuple[float, float]:
    x = check.curves.threshold
    lo, hi = nice_span(float(x[0]), float(x[-1])) if len(x) else (0.0, 1.0)
    return (lo, hi) if hi > lo else (lo, lo + 1.0)


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%" if abs(value * 100) < 99.95 else f"{value * 100:.0f}%"


# --------------------------------------------------------------------------- the charts
def histogram_chart(check: CheckReport, style: ChartStyle, width: float, height: float) -> Drawing:
    """Every lead's score, bars split by outcome (green: became an opportunity), with the
    threshold; the leads at or right of it go to sales (lightly shaded)."""
    d = Drawing(width, height)
    h = check.histogram
    edges, won, lost = rebin(h.lo, h.won, h.lost, MAX_HISTOGRAM_BARS)
    totals = won + lost
    top = nice_ceiling(float(totals.max()) * 1.12 if len(totals) and totals.max() > 0 else 1.0)
    ax = _Axes(d, style, _span(check), top, "Score (points)", "Number of leads")
    t = check.threshold
    if ax.x0 <= t <= ax.x1:
        d.add(_rect(ax.px(t), ax.bottom, ax.right - ax.px(t), ax.height, fillColor=_c(RATE, 0.06), strokeColor=None))
    gap = 0.6 if ax.width / max(len(won), 1) > 4 else 0.0
    for k in range(len(won)):
        x0, x1 = ax.px(float(edges[k])), ax.px(float(edges[k + 1]))
        if x1 <= ax.left or x0 >= ax.right:
            continue
        x0, x1 = max(x0, ax.left), min(x1, ax.right)
        if totals[k] > 0:
            d.add(
                _rect(
                    x0 + gap / 2,
                    ax.bottom,
                    x1 - x0 - gap,
                    ax.py(float(totals[k])) - ax.bottom,
                    fillColor=_c(palette.mixed(LOST, 0.35)),
                    strokeColor=_c(LOST),
                    strokeWidth=0.4,
                )
            )
        if won[k] > 0:
            d.add(
                _rect(
                    x0 + gap / 2,
                    ax.bottom,
                    x1 - x0 - gap,
                    ax.py(float(won[k])) - ax.bottom,
                    fillColor=_c(palette.mixed(WON, 0.15)),
                    strokeColor=_c(WON),
                    strokeWidth=0.4,
                )
            )
    ax.threshold_line(t)
    ax.legend(
        [
            (WON, "became an opportunity", "block"),
            (palette.mixed(LOST, 0.35), "did not", "block"),
            (THRESHOLD, "hand-off threshold (leads at or above it go to sales)", "line"),
        ]
    )
    return d


def rates_chart(check: CheckReport, style: ChartStyle, width: float, height: float) -> Drawing:
    """Opportunity rate of the leads passed and coverage of all opportunities against the
    threshold, in percent, with the target rate."""
    d = Drawing(width, height)
    c = check.curves
    ax = _Axes(d, style, _span(check), 100.0, "Threshold (points)", "Percent", percent=True)
    target = check.target_rate
    ax.reference_line(target * 100, f"target {target * 100:g}%", at_left=True)
    ax.curve(c.threshold, c.coverage * 100, COVERAGE)
    # Drawn only where at least MIN_LEADS_FOR_RATE leads pass: a rate of a handful is noise.
    ax.curve(c.threshold, np.where(c.passed >= MIN_LEADS_FOR_RATE, c.rate * 100, np.nan), RATE)
    t = check.threshold
    ax.threshold_line(t)
    f = check.figures
    if f.rate is not None:
        ax.marker(t, f.rate * 100, RATE, f"rate {_pct(f.rate)}")
    if f.coverage is not None:
        ax.marker(t, f.coverage * 100, COVERAGE, f"coverage {_pct(f.coverage)}")
    ax.legend(
        [
            (RATE, "opportunity rate of the leads handed over (30 or more)", "line"),
            (COVERAGE, "coverage of all opportunities", "line"),
            (TARGET, "target rate", "dash"),
        ]
    )
    return d


def volume_chart(check: CheckReport, style: ChartStyle, width: float, height: float) -> Drawing:
    """Leads passed to sales per week against the threshold, with sales capacity."""
    d = Drawing(width, height)
    c = check.curves
    capacity = check.capacity
    weekly = c.weekly
    known = check.weeks is not None and np.isfinite(weekly).any()
    top = nice_ceiling(max(float(np.nanmax(weekly)) if known else 1.0, float(capacity)) * 1.1)
    ax = _Axes(d, style, _span(check), top, "Threshold (points)", "Leads to sales per week")
    t = check.threshold
    if known:
        ax.reference_line(capacity, f"sales capacity {capacity:,} a week", at_left=False)
        ax.curve(c.threshold, weekly, VOLUME)
        f = check.figures
        if f.weekly_volume is not None:
            shown = f"{f.weekly_volume:,.0f}" if f.weekly_volume >= 10 else f"{f.weekly_volume:,.1f}"
            ax.marker(t, f.weekly_volume, VOLUME, f"{shown} a week")
    else:
        ax.text(
            ax.left + ax.width / 2,
            ax.bottom + ax.height / 2,
            "Leads per week unknown: the weeks the history covers were not entered",
            size=style.label_size,
            anchor="middle",
            colour=AXIS,
        )
    ax.threshold_line(t)
    ax.legend([(VOLUME, "leads per week passed to sales", "line"), (TARGET, "sales capacity", "dash")])
    return d
