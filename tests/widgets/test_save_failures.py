"""A save that fails is never silent: the edit is undone in the window, the room is told why in
one sentence, and the workshop stays read-only until the file can be written again.

The disk is made full for real, for this process only: the file-size limit (RLIMIT_FSIZE) is
set to zero, so every write of SQLite fails as on a full disk (SIGXFSZ is ignored, so the write
returns an error instead of ending the process)."""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.conftest import reopen
from widgets.session import WorkshopSession


@contextmanager
def disk_full() -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def test_a_failed_save_is_undone_said_and_makes_the_workshop_read_only(
    session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    before = reopen(workshop_path).team.reps
    failures: list[str] = []
    session.saveFailed.connect(failures.append)
    with disk_full():
        assert not session.set("team", None, "reps", before + 5)
    assert session.defs.team.reps == before  # undone in the window
    assert reopen(workshop_path).team.reps == before  # and nothing half-written
    assert len(failures) == 1 and failures[0].startswith("Not saved: demo.accord could not be saved")
    assert "read-only until the file can be written again" in failures[0]
    assert session.read_only and session.save_failure is not None
    assert not session.undo_stack.canUndo()  # a refused edit leaves no undo step

    # Every further change is refused with the same sentence, and nothing is written.
    refused: list[str] = []
    session.refused.connect(refused.append)
    assert not session.set("team", None, "reps", before + 6)
    assert refused and refused[0] == session.why_read_only()
    assert reopen(workshop_path).team.reps == before

    # The disk has room again: after a retry, edits are saved as before.
    with qtbot.waitSignal(session.savingAgain, timeout=1000):
        assert session.retry_saving()
    assert not session.read_only
    assert session.set("team", None, "reps", before + 7)
    assert reopen(workshop_path).team.reps == before + 7


def test_retrying_while_the_disk_is_still_full_keeps_it_read_only(session: WorkshopSession) -> None:
    with disk_full():
        assert not session.set("team", None, "reps", 9)
        assert not session.retry_saving()
    assert session.read_only
    assert session.retry_saving() and not session.read_only


def test_an_undo_that_cannot_be_saved_is_not_recorded_as_done(
    session: WorkshopSession, workshop_path: Path, qtbot: QtBot
) -> None:
    before = session.defs.team.reps
    assert session.set("team", None, "reps", before + 1)
    with disk_full():
        session.undo_stack.undo()
    qtbot.wait(10)  # the stack is emptied once the undo has returned
    assert session.defs.team.reps == before + 1 == reopen(workshop_path).team.reps
    assert session.read_only and session.undo_stack.count() == 0


def test_the_window_shows_why_offers_a_retry_and_says_when_saving_works_again(
    qtbot: QtBot, workshop_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.mainwindow import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(workshop_path)
    session = window.session
    assert session is not None
    window.go_to_step("team")
    page: Any = window.pages["team"]
    reps = page.targets_form.editors["reps"]
    before = session.defs.team.reps
    with disk_full():
        reps.setFocus()
        reps.selectAll()
        qtbot.keyClicks(reps, str(before + 4))
        qtbot.keyClick(reps, Qt.Key.Key_Return)
    assert reps.value() == before  # the form shows what is stored, not what was typed
    assert window.banner.isVisible() and window.banner.text().startswith("Not saved:")
    assert window.retry_button.isVisible()
    assert "NOT SAVED" in window.windowTitle()
    assert "cannot be saved" in window.statusBar().currentMessage()
    assert not reps.isEnabled()  # read-only until the file can be written again
    qtbot.mouseClick(window.retry_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible() and not window.retry_button.isVisible()
    assert "every change is saved" in window.statusBar().currentMessage()
    assert window.notice.text().endswith("can be written again: changes are saved.")
    assert reps.isEnabled()


def test_a_workshop_whose_leads_are_damaged_opens_and_says_what_is_wrong(qtbot: QtBot, demo_leads_path: Path) -> None:
    import sqlite3

    from app.mainwindow import MainWindow
    from widgets.check_keeper import CheckState

    con = sqlite3.connect(demo_leads_path)
    with con:
        con.execute("UPDATE lead_dataset SET parquet = substr(parquet, 1, 5000)")  # truncated
    con.close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(demo_leads_path)  # the definitions are all there
    session = window.session
    assert session is not None and session.check.state == CheckState.STOPPED
    assert session.check.message.startswith("The leads could not be read: ")
    assert "demo-leads.accord" in session.check.message
    window.go_to_step("threshold")
    page: Any = window.pages["threshold"]
    assert page.stack.currentWidget() is page.building
    assert page.building_message.text() == session.check.message


# --------------------------------------------------------------------------- the file moved under the room
def test_a_workshop_renamed_while_open_becomes_read_only_and_is_writable_when_it_is_back(
    session: WorkshopSession, workshop_path: Path
) -> None:
    before = session.defs.team.reps
    moved = workshop_path.with_name("renamed.accord")
    workshop_path.rename(moved)
    assert not session.set("team", None, "reps", before + 1)
    assert session.defs.team.reps == before and session.read_only
    assert session.save_failure == "demo.accord was moved, renamed or deleted since it was opened; nothing was saved."
    assert reopen(moved).team.reps == before  # nothing went into the renamed file either
    assert not session.retry_saving()  # still gone
    moved.rename(workshop_path)  # put back where it was
    assert session.retry_saving() and not session.read_only
    assert session.set("team", None, "reps", before + 2)
    assert reopen(workshop_path).team.reps == before + 2


def test_a_workshop_moved_to_another_folder_or_deleted_can_still_be_saved_elsewhere(
    session: WorkshopSession, workshop_path: Path, tmp_path: Path
) -> None:
    from app.files import save_copy

    assert session.set("team", None, "organisation", "Kept Ltd")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workshop_path).rename(elsewhere / "demo.accord")
    (elsewhere / "demo.accord").unlink()  # and then deleted
    assert not session.set("team", None, "reps", 11)
    assert session.read_only and "moved, renamed or deleted" in (session.save_failure or "")
    rescued = tmp_path / "rescued.accord"
    save_copy(session.document, rescued)  # File ▸ Save As reads the open file, not its path
    assert reopen(rescued).team.organisation == "Kept Ltd"


def test_a_workshop_replaced_by_another_file_is_not_written_over(
    session: WorkshopSession, workshop_path: Path, tmp_path: Path
) -> None:
    import shutil

    other = tmp_path / "other.accord"
    shutil.copyfile(workshop_path, other)
    workshop_path.unlink()
    other.rename(workshop_path)  # same name, another file
    assert not session.set("team", None, "reps", 13)
    assert session.save_failure == "demo.accord was replaced by another file since it was opened; nothing was saved."
    assert reopen(workshop_path).team.reps != 13


def test_a_workshop_changed_by_another_program_is_read_again_and_the_change_said(
    session: WorkshopSession, workshop_path: Path
) -> None:
    import sqlite3

    messages: list[str] = []
    session.reloaded.connect(messages.append)
    con = sqlite3.connect(workshop_path)  # another program, past Accord's lock
    with con:
        con.execute("UPDATE team_targets SET organisation = 'Changed Elsewhere'")
    con.close()
    assert not session.set("team", None, "reps", 17)  # refused: it would have written over the other change
    assert session.defs.team.organisation == "Changed Elsewhere" and session.defs.team.reps != 17
    assert not session.read_only  # read again, so it can be edited again
    assert len(messages) == 1
    assert messages[0].startswith("demo.accord was changed by another program since it was opened; nothing was saved.")
    assert "1 change" in messages[0] and "Changed Elsewhere" in messages[0]
    assert session.set("team", None, "reps", 17)
    assert reopen(workshop_path).team.reps == 17 and reopen(workshop_path).team.organisation == "Changed Elsewhere"


# --------------------------------------------------------------------------- damaged files in the window
@pytest.mark.parametrize("how", sorted(__import__("tests.damage", fromlist=["DAMAGES"]).DAMAGES))
def test_a_damaged_workshop_gives_one_sentence_in_the_window(how: str, qtbot: QtBot, demo_leads_path: Path) -> None:
    """Every kind of damage the store knows: the window opens what it can read and says what
    it cannot, or opens nothing and says why, in one sentence naming the file; never a
    traceback, never a window left on "Opening…"."""
    from app.mainwindow import MainWindow
    from tests.damage import damage

    path = damage(demo_leads_path, how)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    opened = window.open_path(path)
    if how.startswith("parquet_"):
        # Only the lead data are damaged: every definition opens; the check says what is wrong.
        assert opened and window.session is not None
        for key in ("threshold", "leads", "signoff", "export"):  # the steps that read the most
            window.go_to_step(key)
        assert window.session.check.message.startswith("The leads could not be read: d.accord is damaged: ")
    else:
        assert not opened and window.session is None
        text = window.notice.text()
        assert text.startswith("d.accord is damaged") and "\n" not in text, text
        assert window.statusBar().currentMessage() == "d.accord could not be opened"
