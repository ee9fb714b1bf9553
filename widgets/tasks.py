"""Long work off the GUI thread, with progress and a working Cancel.

The work is a plain function `fn(progress) -> result` (see `models.leads.types.Progress`): it
calls `progress.report(fraction, message)` as it goes and stops, raising `Cancelled`, at the
next check after `progress.cancelled()` turns true. `Task` runs it on a pool thread and turns
what happens into queued signals on the GUI thread:

    progressed(fraction, message)  finished(result)  failed(message)  cancelled()

exactly one of the last three, once. A result that arrives after Cancel was pressed is
discarded (the user was told it would not be used). `ProgressPanel` is the dialog the room
sees meanwhile: the message, a bar and Cancel.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from models.leads.types import Cancelled, LeadFileError
from models.store import WorkshopFileError

# A bar moves smoothly at this many reports per second; more would only flood the event loop.
REPORT_INTERVAL_S = 0.05
BAR_STEPS = 1000


class TaskProgress:
    """The `Progress` a task's function receives. Thread-safe: the flag is a
    `threading.Event`; reports go out as a (queued) signal, throttled."""

    def __init__(self, emit: Callable[[float, str], None]) -> None:
        self._emit = emit
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._last_time = 0.0
        self._last_message: str | None = None

    def report(self, fraction: float, message: str = "") -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        now = time.monotonic()
        with self._lock:
            if message == self._last_message and fraction < 1.0 and now - self._last_time < REPORT_INTERVAL_S:
                return
            self._last_time, self._last_message = now, message
        try:
            self._emit(fraction, message)
        except RuntimeError:  # the application is shutting down: stop at the next check
            self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class TaskState(Enum):
    NEW = "new"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"


class _Relay(QObject):
    """Signals from the worker thread (see Task.__init__). Parentless: the worker keeps it."""

    progressed = Signal(float, str)
    done = Signal(object, object)  # (TaskState, the result or the exception)


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        # Plain Python references: what the worker touches outlives the task's Qt object.
        self.fn, self.progress, self.relay, self.worker_done = task.fn, task.progress, task.relay, task.worker_done
        self.setAutoDelete(True)

    def run(self) -> None:
        payload: object
        try:
            result = self.fn(self.progress)
        except Cancelled:
            outcome, payload = TaskState.CANCELLED, None
        except LeadFileError as exc:
            outcome, payload = TaskState.FAILED, exc
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crash of the app
            exc.__accord_traceback__ = traceback.format_exc()  # type: ignore[attr-defined]
            outcome, payload = TaskState.FAILED, exc
        else:
            outcome = TaskState.CANCELLED if self.progress.cancelled() else TaskState.FINISHED
            payload = result
        try:
            self.relay.done.emit(outcome, payload)
        except RuntimeError:
            pass  # the application is shutting down (Qt deleted everything): nobody to tell
        finally:
            self.worker_done.set()


class Task(QObject):
    """Run `fn(progress)` on a pool thread; see the module docstring for the signals.

    `error` holds the exception after `failed`; `result` the result after `finished`."""

    progressed = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, fn: Callable[[Any], Any], parent: QObject | None = None, pool: QThreadPool | None = None
    ) -> None:
        super().__init__(parent)
        self.fn = fn
        # The worker thread emits on a relay that it keeps alive itself, queued to this object
        # on the GUI thread: if the task's owner (a page) is closed while the work runs, Qt
        # deletes the task and drops the connections, and the worker's signals go nowhere
        # (emitting on the deleted task itself would crash).
        self.relay = _Relay()
        self.relay.progressed.connect(self.progressed, Qt.ConnectionType.QueuedConnection)
        self.relay.done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)
        self.progress = TaskProgress(self.relay.progressed.emit)
        self.pool = pool or QThreadPool.globalInstance()
        self.result: Any = None
        self.error: BaseException | None = None
        self.state = TaskState.NEW
        self.worker_done = threading.Event()
        self.destroyed.connect(self.progress.cancel)  # closed while running: stop at the next check

    # -- control ---------------------------------------------------------------------
    def start(self) -> Task:
        if self.state != TaskState.NEW:
            raise RuntimeError("a task runs once")
        self.state = TaskState.RUNNING
        self.pool.start(_Runnable(self))
        return self

    def cancel(self) -> None:
        """Ask the function to stop at its next check; `cancelled` follows."""
        if self.state in (TaskState.NEW, TaskState.RUNNING):
            self.progress.cancel()

    @property
    def running(self) -> bool:
        return self.state == TaskState.RUNNING

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Block until the worker thread is done (for shutdown and tests); True if it is."""
        return self.worker_done.wait(timeout_s)

    # -- GUI thread ------------------------------------------------------------------
    def _on_done(self, outcome: TaskState, payload: Any) -> None:
        if outcome == TaskState.FINISHED and self.progress.cancelled():
            outcome, payload = TaskState.CANCELLED, None  # Cancel pressed while the result was on its way
        self.state = outcome
        if outcome == TaskState.FINISHED:
            self.result = payload
            self.finished.emit(payload)
        elif outcome == TaskState.FAILED:
            self.error = payload
            self.failed.emit(failure_message(payload))
        else:
            self.cancelled.emit()


def failure_message(exc: BaseException) -> str:
    """What the user reads: a file error as it is worded; anything else named plainly."""
    text = str(exc).strip()
    if isinstance(exc, (LeadFileError, WorkshopFileError, OSError)):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class ProgressPanel(QDialog):
    """The message, a bar and Cancel for one running task; closes itself when the task ends.

    Window-modal (the page behind cannot start a second import) and shown with `open()`, so
    the event loop, the task's signals and tests keep running."""

    def __init__(self, task: Task, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = task
        self.setWindowTitle(title)
        self.setObjectName("progressPanel")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.title = QLabel(title)
        self.title.setObjectName("upcomingTitle")
        self.message = QLabel("Starting\u2026")
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.bar.setFormat("%p%")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.request_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 40)
        task.progressed.connect(self.show_progress)
        for signal in (task.finished, task.failed, task.cancelled):
            signal.connect(self._close)

    def show_progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(round(fraction * BAR_STEPS))
        if message:
            self.message.setText(message)

    def request_cancel(self) -> None:
        self.task.cancel()
        self.cancel_button.setEnabled(False)
        self.message.setText("Cancelling\u2026 nothing will be changed.")

    def reject(self) -> None:
        # Escape or the window's close button means Cancel; the panel closes when the task stops.
        if self.task.running:
            self.request_cancel()
        else:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.task.running:
            self.request_cancel()
            event.ignore()
        else:
            super().closeEvent(event)

    def _close(self, *_: Any) -> None:
        self.done(QDialog.DialogCode.Accepted)


def run_with_progress(
    fn: Callable[[Any], Any], title: str, parent: QWidget | None = None
) -> tuple[Task, ProgressPanel]:
    """Start `fn` as a task and open its progress panel over `parent`."""
    task = Task(fn, parent)
    panel = ProgressPanel(task, title, parent)
    task.start()
    panel.open()
    return task, panel
