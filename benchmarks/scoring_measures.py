"""How the scoring benchmark measures: wall time of repeated actions (median), the process's
memory, when the three charts have really been painted, and where the time goes (cProfile)."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Any


def vm_hwm_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def ms(seconds: float) -> float:
    return seconds * 1000.0


def timed(fn: Any, reps: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(ms(time.perf_counter() - start))
    return statistics.median(times), times


class PaintWatch:
    """Counts paint events on the three chart viewports."""

    def __init__(self, charts: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.viewports = [p.viewport() for p in (charts.histogram, charts.rates, charts.volume)]
        self.plots = [charts.histogram, charts.rates, charts.volume]
        self.counts = [0, 0, 0]
        watch = self

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    for k, vp in enumerate(watch.viewports):
                        if obj is vp:
                            watch.counts[k] += 1
                return False

        self.filter = Filter()
        for vp in self.viewports:
            vp.installEventFilter(self.filter)
        self.forced = 0

    def render(self, app: Any) -> None:
        """Let Qt process what the change posted until all three charts have painted and the
        event loop has gone quiet (two passes in a row with no chart painted and nothing
        left to do); repaint synchronously any chart Qt did not paint."""
        before = list(self.counts)
        quiet = 0
        for _ in range(100):
            seen = list(self.counts)
            start = time.perf_counter()
            app.processEvents()
            took = time.perf_counter() - start
            if self.counts == seen and took < 0.0003 and all(c > b for c, b in zip(self.counts, before, strict=True)):
                quiet += 1
                if quiet >= 2:
                    break
            else:
                quiet = 0
        for k, vp in enumerate(self.viewports):
            if self.counts[k] == before[k]:
                self.forced += 1
                vp.repaint()
        self.last = [c - b for c, b in zip(self.counts, before, strict=True)]


# Where the time of one action goes, from cProfile (cumulative ms per action, profiler included).
PROFILED = [
    ("session.set: save, re-score, redraw (all handlers)", "widgets/session.py", "set"),
    ("  WorkshopFile.save_definitions", "models/store/file.py", "save_definitions"),
    ("  Scorer.update (both calls)", "models/engine.py", "update"),
    ("    contribution", "models/rule_arrays.py", "contribution"),
    ("    Scorer._finish (rounding)", "models/engine.py", "_finish"),
    ("  sweep", "models/threshold_sweep.py", "sweep"),
    ("  ThresholdPage.refresh", "widgets/threshold_page.py", "refresh"),
    ("    ThresholdCharts.set_data", "widgets/threshold_charts.py", "set_data"),
    ("    ThresholdCheck.recommendation (also for the Use button)", "models/check.py", "recommendation"),
    ("InfiniteLine.setValue (the drag)", "pyqtgraph/graphicsItems/InfiniteLine.py", "setValue"),
    ("  ThresholdPage._show_threshold", "widgets/threshold_page.py", "_show_threshold"),
    ("    ThresholdCheck.figures", "models/check.py", "figures"),
    ("    ThresholdPage.show_figures", "widgets/threshold_page.py", "show_figures"),
    ("      QWidget.setStyleSheet (tiles)", "~", "<method 'setStyleSheet' of 'PySide6.QtWidgets.QWidget' objects>"),
    ("processEvents (the paint)", "~", "<built-in method processEvents>"),
    ("  GraphicsView.paintEvent (the charts)", "pyqtgraph/widgets/GraphicsView.py", "paintEvent"),
    ("    AxisItem.paint (axes and grid)", "pyqtgraph/graphicsItems/AxisItem.py", "paint"),
    ("      QPicture.play", "~", "<method 'play' of 'PySide6.QtGui.QPicture' objects>"),
]


def profile(action: Any, count: int) -> list[tuple[str, float]]:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for k in range(count):
        action(k)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for label, path, name in PROFILED:
        total = sum(
            v[3]
            for (f, _line, fn), v in stats.items()
            if fn == name and (f == path if path == "~" else f.replace(os.sep, "/").endswith(path))
        )
        if total:
            rows.append((label, ms(total) / count))
    return rows


class RowsInfo:
    def __init__(self, rows: int) -> None:
        self.rows = rows
