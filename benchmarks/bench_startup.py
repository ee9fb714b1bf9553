"""Start-up: from launching `accord --demo` to the first paint of the main window.

The app, started with ACCORD_STARTUP_PROBE=1, prints the wall-clock time of its first
paint and quits; the figure is the median over several launches, process start included
(interpreter, imports, QApplication, window)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
ROOT = Path(__file__).resolve().parents[1]


def first_paint_seconds() -> float:
    env = dict(os.environ, ACCORD_STARTUP_PROBE="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run([sys.executable, "-m", "app.main", "--demo"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    for line in out.stdout.splitlines():
        if line.startswith("first_paint_epoch "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"the app did not report its first paint:\n{out.stdout}\n{out.stderr}")


def run() -> dict[str, tuple[float, str]]:
    first_paint_seconds()  # warm the file cache
    times = [first_paint_seconds() for _ in range(RUNS)]
    return {"startup_first_window_s": (statistics.median(times),
                                       f"median of {RUNS} launches (min {min(times):.3f} s, goal < 1 s)")}
