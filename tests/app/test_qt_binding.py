"""Guards against a Qt binding that leaks or over-releases references.

PySide6 6.12.0 on Python 3.11 dropped a reference to None on every Qt call returning
nothing, until the interpreter aborted ("Fatal Python error: none_dealloc"); the project
pins a good version for Python < 3.12. This test catches any regression of that kind."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot


def test_none_refcount_is_stable_across_many_void_qt_calls(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    label = QLabel(widget)
    for _ in range(50):  # warm up caches that may legitimately take references once
        widget.setWindowTitle("warm-up")
    before = sys.getrefcount(None)
    for i in range(2000):
        widget.setWindowTitle("x")
        label.setText(str(i % 3))
        widget.update()
    after = sys.getrefcount(None)
    assert abs(after - before) < 50, f"refcount of None moved by {after - before} over 6,000 Qt calls"


def test_pinned_binding_version_matches_the_interpreter() -> None:
    import PySide6

    major, minor = (int(p) for p in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), "PySide6 6.12 on Python 3.11 aborts; pyproject.toml pins <6.12"
    assert major == 6
