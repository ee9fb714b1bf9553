"""Start-up: from launching `accord --demo` to the first paint of the main window.

The app, started with ACCORD_STARTUP_PROBE=1, prints the wall-clock time of its first
paint and quits; the figure is the median over several launches, process start included
(interpreter, imports, QApplication, window). With ACCORD_STARTUP_PROBE=ready it goes on
to write and open the demo workshop, and reports when every step's page is built."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 7
ROOT = Path(__file__).resolve().parents[1]


def seconds_until(marker: str, probe: str = "1") -> float:
    env = dict(os.environ, ACCORD_STARTUP_PROBE=probe)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "app.main", "--demo"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    for line in out.stdout.splitlines():
        if line.startswith(marker + " "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"the app did not report its first paint:\n{out.stdout}\n{out.stderr}")


def run() -> dict[str, tuple[float, str]]:
    seconds_until("first_paint_epoch")  # warm the file cache
    times = [seconds_until("first_paint_epoch") for _ in range(RUNS)]
    ready = [seconds_until("workshop_ready_epoch", "ready") for _ in range(RUNS)]
    return {
        "startup_first_window_s": (
            statistics.median(times),
            f"median of {RUNS} launches (min {min(times):.3f} s, goal < 1 s)",
        ),
        "startup_demo_ready_s": (
            statistics.median(ready),
            f"median of {RUNS}: demo written, opened and every step's page built",
        ),
    }
