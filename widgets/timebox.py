"""The facilitator's timebox for the current step: minutes planned, a countdown that is
started and paused by hand, and a clear "over time" state.

Planned minutes are part of the workshop (saved, undoable); the running clock is not: it
lives in this widget, one clock per step, and keeps running while another step is shown.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget


def format_clock(seconds: float) -> str:
    seconds = int(round(abs(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class StepClock:
    """Elapsed time of one step; `now` is injectable for tests."""

    def __init__(self) -> None:
        self.elapsed = 0.0
        self.started_at: float | None = None

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def value(self, now: float) -> float:
        return self.elapsed + (now - self.started_at if self.started_at is not None else 0.0)

    def start(self, now: float) -> None:
        if self.started_at is None:
            self.started_at = now

    def pause(self, now: float) -> None:
        if self.started_at is not None:
            self.elapsed += now - self.started_at
            self.started_at = None

    def reset(self) -> None:
        self.elapsed = 0.0
        self.started_at = None


class TimeboxWidget(QWidget):
    """Shows the clock of the current step. `tick()` refreshes it (a timer calls it)."""

    runningChanged = Signal(str, bool)

    def __init__(self, session: Any = None, parent: QWidget | None = None, clock: Any = time.monotonic) -> None:
        super().__init__(parent)
        self.session = session
        self.now = clock
        self.step = ""
        self.clocks: dict[str, StepClock] = {}
        self.label = QLabel("Timebox")
        self.label.setObjectName("figureLabel")
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(" min")
        self.minutes.setToolTip("Minutes planned for this step")
        self.minutes.setAccessibleName("Minutes planned")
        self.minutes.editingFinished.connect(self._commit_minutes)
        self.display = QLabel("00:00")
        self.display.setObjectName("timeboxClock")
        self.display.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.display.setMinimumWidth(self.display.fontMetrics().horizontalAdvance("+00:00:00 over") + 12)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start or pause this step's countdown")
        self.start_button.clicked.connect(self.toggle)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip("Set this step's countdown back to the planned time")
        self.reset_button.clicked.connect(self.reset)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.minutes)
        layout.addWidget(self.display)
        layout.addWidget(self.start_button)
        layout.addWidget(self.reset_button)
        self.timer = QTimer(self)
        self.timer.setInterval(500)
        self.timer.timeout.connect(self.tick)
        if session is not None:
            session.edited.connect(lambda *_: self._load_minutes())
            session.revisionChanged.connect(self._load_minutes)

    # -- state -------------------------------------------------------------------------
    def clock(self, step: str | None = None) -> StepClock:
        return self.clocks.setdefault(step or self.step, StepClock())

    def planned_seconds(self, step: str | None = None) -> float:
        if self.session is None:
            return 0.0
        return 60.0 * self.session.defs.timeboxes.get(step or self.step, 0)

    def remaining(self, step: str | None = None) -> float:
        return self.planned_seconds(step) - self.clock(step).value(self.now())

    def running_steps(self) -> list[str]:
        return [k for k, c in self.clocks.items() if c.running]

    # -- actions -----------------------------------------------------------------------
    def set_step(self, step: str) -> None:
        self.step = step
        self._load_minutes()
        self.tick()

    def toggle(self) -> None:
        clock = self.clock()
        if clock.running:
            clock.pause(self.now())
        else:
            clock.start(self.now())
        self._sync_timer()
        self.runningChanged.emit(self.step, clock.running)
        self.tick()

    def reset(self) -> None:
        was_running = self.clock().running
        self.clock().reset()
        self._sync_timer()
        if was_running:
            self.runningChanged.emit(self.step, False)
        self.tick()

    def _sync_timer(self) -> None:
        if self.running_steps():
            self.timer.start()
        else:
            self.timer.stop()

    def _commit_minutes(self) -> None:
        if self.session is None or not self.step:
            return
        if self.session.defs.timeboxes.get(self.step, 0) != self.minutes.value():
            if not self.session.set("timeboxes", None, self.step, self.minutes.value()):
                self._load_minutes()
        self.tick()

    def _load_minutes(self) -> None:
        if self.session is None:
            return
        self.minutes.blockSignals(True)
        self.minutes.setValue(self.session.defs.timeboxes.get(self.step, 0))
        self.minutes.blockSignals(False)
        self.minutes.setEnabled(not self.session.read_only)
        self.tick()

    # -- display -----------------------------------------------------------------------
    def tick(self) -> None:
        clock = self.clock()
        left = self.remaining()
        over = left < 0
        text = ("+" + format_clock(left) + " over") if over else format_clock(left)
        self.display.setText(text)
        self.display.setToolTip("Time left in this step" if not over else "This step is over its timebox")
        for prop, value in (("over", over), ("running", clock.running and not over)):
            if self.display.property(prop) != value:
                self.display.setProperty(prop, value)
                self.display.style().unpolish(self.display)
                self.display.style().polish(self.display)
        self.start_button.setText("Pause" if clock.running else ("Resume" if clock.elapsed else "Start"))
