"""The background task runner: a plain function runs on a pool thread, its progress reaches
the GUI thread as signals, an error becomes `failed` with its message, and Cancel stops it
(a late result is discarded). The progress panel follows the task and its Cancel works."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from models.leads.types import Cancelled, LeadFileError, check
from widgets.tasks import ProgressPanel, Task, TaskProgress, TaskState, run_with_progress


def counting(progress: Any) -> int:
    for step in range(5):
        progress.report(step / 5, f"Step {step + 1} of 5")
    progress.report(1.0, "Done")
    return 42


def test_a_function_reports_progress_and_finishes(qtbot: QtBot) -> None:
    task = Task(counting)
    seen: list[tuple[float, str]] = []
    task.progressed.connect(lambda f, m: seen.append((f, m)))
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [42]
    assert task.result == 42 and task.state == TaskState.FINISHED
    qtbot.waitUntil(lambda: "Done" in [m for _, m in seen], timeout=10_000)
    assert seen[0] == (0.0, "Step 1 of 5")
    assert seen[-1] == (1.0, "Done")
    assert all(0.0 <= f <= 1.0 for f, _ in seen)


def test_the_function_runs_off_the_gui_thread(qtbot: QtBot) -> None:
    gui = QThread.currentThread()
    task = Task(lambda progress: QThread.currentThread() is not gui)
    with qtbot.waitSignal(task.finished, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [True]


def test_an_exception_becomes_failed_with_its_message(qtbot: QtBot) -> None:
    def broken(progress: Any) -> None:
        progress.report(0.3, "Reading")
        raise LeadFileError("leads.csv: the file is empty")

    task = Task(broken)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    assert blocker.args == ["leads.csv: the file is empty"]
    assert isinstance(task.error, LeadFileError) and task.state == TaskState.FAILED


def test_an_unexpected_exception_is_named(qtbot: QtBot) -> None:
    def broken(progress: Any) -> None:
        raise KeyError("Prospect ID")

    task = Task(broken)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    assert blocker.args == ["KeyError: 'Prospect ID'"]


def test_cancel_midway_stops_the_function(qtbot: QtBot) -> None:
    started = threading.Event()
    steps: list[int] = []

    def long(progress: Any) -> str:
        started.set()
        for step in range(10_000):
            check(progress, step / 10_000, "Working")
            steps.append(step)
            threading.Event().wait(0.001)
        return "complete"

    task = Task(long)
    finished: list[Any] = []
    task.finished.connect(finished.append)
    task.start()
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    assert task.wait(5)
    assert task.state == TaskState.CANCELLED and task.result is None and finished == []
    assert len(steps) < 10_000


def test_a_result_after_cancel_is_discarded(qtbot: QtBot) -> None:
    release = threading.Event()
    started = threading.Event()

    def ignores_cancel(progress: Any) -> str:
        started.set()
        release.wait(5)  # never checks: returns a result although Cancel was pressed
        return "late result"

    task = Task(ignores_cancel)
    finished: list[Any] = []
    task.finished.connect(finished.append)
    task.start()
    assert started.wait(5)
    task.cancel()
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        release.set()
    assert finished == [] and task.result is None


def test_progress_is_thread_safe_and_throttled() -> None:
    sent: list[tuple[float, str]] = []
    progress = TaskProgress(lambda f, m: sent.append((f, m)))
    for i in range(1000):
        progress.report(i / 1000, "Reading")
    progress.report(1.0, "Reading")
    assert 1 <= len(sent) < 100 and sent[-1] == (1.0, "Reading")
    progress.report(2.0, "Clamped")
    assert sent[-1] == (1.0, "Clamped")
    assert not progress.cancelled()
    progress.cancel()
    assert progress.cancelled()
    with pytest.raises(Cancelled):
        check(progress, 0.5)


def test_the_panel_shows_progress_and_its_cancel_button_works(qtbot: QtBot) -> None:
    reached = threading.Event()

    def waits_for_cancel(progress: Any) -> None:
        progress.report(0.25, "Reading leads.csv")
        reached.set()
        while not progress.cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    task, panel = run_with_progress(waits_for_cancel, "Importing leads")
    qtbot.addWidget(panel)
    assert isinstance(panel, ProgressPanel)
    assert reached.wait(5)
    qtbot.waitUntil(lambda: panel.bar.value() == 250, timeout=3000)
    assert panel.message.text() == "Reading leads.csv"
    assert panel.isVisible()
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        panel.cancel_button.click()
    assert not panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=10_000)
    QApplication.processEvents()


def test_escape_on_the_panel_means_cancel(qtbot: QtBot) -> None:
    def waits_for_cancel(progress: Any) -> None:
        while not progress.cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    task, panel = run_with_progress(waits_for_cancel, "Importing leads")
    qtbot.addWidget(panel)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        panel.reject()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=10_000)
