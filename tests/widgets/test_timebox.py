"""The facilitator's timebox: a countdown per step, on an injected clock so that no test waits
for real minutes to pass; the planned minutes are part of the workshop (saved, undoable)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tests.conftest import reopen
from widgets.session import WorkshopSession
from widgets.timebox import StepClock, TimeboxWidget, format_clock


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def timebox(session: WorkshopSession, clock: FakeClock, qtbot: QtBot) -> TimeboxWidget:
    widget = TimeboxWidget(session, clock=clock)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_step("stages")  # 45 minutes planned in the demo
    return widget


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_minutes(qtbot: QtBot, timebox: TimeboxWidget, minutes: int) -> None:
    spin = timebox.minutes
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=10_000)
    spin.selectAll()
    qtbot.keyClicks(spin, str(minutes))
    qtbot.keyClick(spin, Qt.Key.Key_Return)


# --------------------------------------------------------------------------- the countdown
def test_a_step_starts_at_its_planned_time(timebox: TimeboxWidget) -> None:
    assert timebox.minutes.value() == 45
    assert timebox.minutes.suffix() == " min"
    assert timebox.display.text() == "45:00"
    assert timebox.start_button.text() == "Start"
    assert not timebox.timer.isActive()


def test_countdown_start_pause_resume_and_reset(timebox: TimeboxWidget, clock: FakeClock, qtbot: QtBot) -> None:
    with qtbot.waitSignal(timebox.runningChanged, timeout=1000) as started:
        click(qtbot, timebox.start_button)
    assert started.args == ["stages", True]
    assert timebox.start_button.text() == "Pause"
    assert timebox.timer.isActive()
    assert timebox.display.property("running") is True

    clock.advance(90)
    qtbot.waitUntil(lambda: timebox.display.text() == "43:30", timeout=10_000)  # the widget's own timer
    assert timebox.remaining() == 45 * 60 - 90

    with qtbot.waitSignal(timebox.runningChanged, timeout=1000) as paused:
        click(qtbot, timebox.start_button)
    assert paused.args == ["stages", False]
    assert timebox.start_button.text() == "Resume"
    assert not timebox.timer.isActive()
    clock.advance(600)  # a long discussion while paused does not count
    timebox.tick()
    assert timebox.display.text() == "43:30"

    click(qtbot, timebox.start_button)
    assert timebox.start_button.text() == "Pause"
    clock.advance(30)
    timebox.tick()
    assert timebox.display.text() == "43:00"

    with qtbot.waitSignal(timebox.runningChanged, timeout=1000) as reset:
        click(qtbot, timebox.reset_button)
    assert reset.args == ["stages", False]
    assert timebox.display.text() == "45:00"
    assert timebox.start_button.text() == "Start"
    assert not timebox.timer.isActive()
    clock.advance(100)
    timebox.tick()
    assert timebox.display.text() == "45:00"


def test_reset_of_a_paused_clock_says_nothing_about_running(
    timebox: TimeboxWidget, clock: FakeClock, qtbot: QtBot
) -> None:
    click(qtbot, timebox.start_button)
    clock.advance(10)
    click(qtbot, timebox.start_button)
    with qtbot.assertNotEmitted(timebox.runningChanged):
        click(qtbot, timebox.reset_button)
    assert timebox.display.text() == "45:00"
    assert timebox.start_button.text() == "Start"


def test_over_time_shows_how_much_over(
    timebox: TimeboxWidget, session: WorkshopSession, clock: FakeClock, qtbot: QtBot
) -> None:
    type_minutes(qtbot, timebox, 1)
    assert timebox.display.text() == "01:00"
    click(qtbot, timebox.start_button)
    clock.advance(59)
    timebox.tick()
    assert timebox.display.text() == "00:01"
    assert timebox.display.property("over") is False

    clock.advance(16)
    timebox.tick()
    assert timebox.display.text() == "+00:15 over"
    assert timebox.display.property("over") is True
    assert timebox.display.property("running") is False  # red, not green
    assert timebox.display.toolTip() == "This step is over its timebox"
    assert timebox.start_button.text() == "Pause"  # the clock keeps counting

    clock.advance(3600)
    timebox.tick()
    assert timebox.display.text() == "+1:00:15 over"

    click(qtbot, timebox.reset_button)
    assert timebox.display.property("over") is False
    assert timebox.display.text() == "01:00"


def test_a_step_without_a_timebox_counts_up_as_over(session: WorkshopSession, clock: FakeClock, qtbot: QtBot) -> None:
    widget = TimeboxWidget(session, clock=clock)
    qtbot.addWidget(widget)
    session.set("timeboxes", None, "export", 0)
    widget.set_step("export")
    assert widget.display.text() == "00:00"
    widget.toggle()
    clock.advance(5)
    widget.tick()
    assert widget.display.text() == "+00:05 over"


# --------------------------------------------------------------------------- planned minutes
def test_changing_the_minutes_is_saved_and_undoable(
    timebox: TimeboxWidget, session: WorkshopSession, workshop_path: Path, clock: FakeClock, qtbot: QtBot
) -> None:
    click(qtbot, timebox.start_button)
    clock.advance(120)
    type_minutes(qtbot, timebox, 50)

    assert timebox.minutes.value() == 50
    assert timebox.display.text() == "48:00"  # the running clock counts down from the new plan
    assert reopen(workshop_path).timeboxes["stages"] == 50
    assert reopen(workshop_path).timeboxes["team"] == 15  # other steps keep theirs
    assert session.undo_stack.undoText() == "Change timebox stages"

    session.undo_stack.undo()
    assert timebox.minutes.value() == 45
    assert timebox.display.text() == "43:00"
    assert reopen(workshop_path).timeboxes["stages"] == 45
    session.undo_stack.redo()
    assert timebox.minutes.value() == 50
    assert reopen(workshop_path).timeboxes["stages"] == 50


def test_arrow_keys_change_the_minutes_once_the_field_is_left(
    timebox: TimeboxWidget, session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    spin = timebox.minutes
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus, timeout=10_000)
    for _ in range(3):
        qtbot.keyClick(spin, Qt.Key.Key_Up)
    assert session.undo_stack.count() == 0  # still choosing
    timebox.start_button.setFocus()
    qtbot.waitUntil(lambda: not spin.hasFocus(), timeout=10_000)
    assert reopen(workshop_path).timeboxes["stages"] == 48
    assert session.undo_stack.count() == 1


def test_confirming_the_same_minutes_records_nothing(
    timebox: TimeboxWidget, session: WorkshopSession, qtbot: QtBot
) -> None:
    type_minutes(qtbot, timebox, 45)
    assert session.undo_stack.count() == 0


def test_minutes_cannot_change_in_a_signed_revision(
    timebox: TimeboxWidget, session: WorkshopSession, clock: FakeClock, qtbot: QtBot
) -> None:
    for signer in session.defs.signers():
        session.document.sign(signer.name)
    assert not timebox.minutes.isEnabled()
    # The clock itself is not part of the workshop: it still runs.
    click(qtbot, timebox.start_button)
    clock.advance(60)
    timebox.tick()
    assert timebox.display.text() == "44:00"


# --------------------------------------------------------------------------- one clock per step
def test_each_step_has_its_own_clock(timebox: TimeboxWidget, clock: FakeClock, qtbot: QtBot) -> None:
    click(qtbot, timebox.start_button)
    clock.advance(60)

    timebox.set_step("team")  # 15 minutes planned
    assert timebox.minutes.value() == 15
    assert timebox.display.text() == "15:00"
    assert timebox.start_button.text() == "Start"
    assert timebox.running_steps() == ["stages"]
    assert timebox.timer.isActive()  # the stages clock keeps running in the background

    click(qtbot, timebox.start_button)
    clock.advance(30)
    timebox.tick()
    assert timebox.display.text() == "14:30"
    click(qtbot, timebox.start_button)  # pause the team clock
    assert timebox.running_steps() == ["stages"]

    timebox.set_step("stages")
    assert timebox.display.text() == "43:30"  # 60 s + 30 s while the team step was shown
    assert timebox.start_button.text() == "Pause"
    click(qtbot, timebox.reset_button)
    assert timebox.running_steps() == []
    assert not timebox.timer.isActive()

    timebox.set_step("team")
    assert timebox.display.text() == "14:30"
    assert timebox.start_button.text() == "Resume"


def test_changing_one_steps_minutes_leaves_the_others(
    timebox: TimeboxWidget, session: WorkshopSession, qtbot: QtBot
) -> None:
    type_minutes(qtbot, timebox, 30)
    timebox.set_step("vocabulary")
    assert timebox.minutes.value() == 30  # its own default
    type_minutes(qtbot, timebox, 20)
    assert session.defs.timeboxes["stages"] == 30
    assert session.defs.timeboxes["vocabulary"] == 20
    timebox.set_step("stages")
    assert timebox.minutes.value() == 30


# --------------------------------------------------------------------------- the parts
@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "00:00"),
        (59.4, "00:59"),
        (61, "01:01"),
        (-75, "01:15"),
        (3600, "1:00:00"),
        (36000 + 62, "10:01:02"),
    ],
)
def test_format_clock(seconds: float, text: str) -> None:
    assert format_clock(seconds) == text


def test_step_clock_counts_only_while_running() -> None:
    c = StepClock()
    assert c.value(100) == 0 and not c.running
    c.start(100)
    c.start(150)  # starting twice does not restart
    assert c.value(160) == 60
    c.pause(160)
    c.pause(170)
    assert c.value(500) == 60 and not c.running
    c.start(500)
    assert c.value(510) == 70
    c.reset()
    assert c.value(600) == 0 and not c.running


def test_a_timebox_without_a_workshop(qtbot: QtBot, clock: FakeClock) -> None:
    widget = TimeboxWidget(clock=clock)
    qtbot.addWidget(widget)
    widget.set_step("team")
    assert widget.display.text() == "00:00"
    widget.minutes.setValue(10)
    widget.minutes.editingFinished.emit()  # nothing to save it in: no error
    widget.toggle()
    clock.advance(3)
    widget.tick()
    assert widget.display.text() == "+00:03 over"
