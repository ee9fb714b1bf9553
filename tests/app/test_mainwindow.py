"""The main window as the facilitator meets it: opening workshops (and refusing bad files
without touching them), the steps, undo and redo, presentation mode, the decisions dock,
read-only and signed workshops, recent files, Save As, the demo, and the command line."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
)
from pytestqt.qtbot import QtBot

from app.mainwindow import MainWindow
from models.definitions import new_definitions
from models.document import Document
from models.steps import STEPS
from tests.conftest import reopen
from widgets.stages_page import StagesPage

REPO = Path(__file__).resolve().parents[2]
DASH = "\u2014"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def _restore_theme(qapp: QApplication) -> Iterator[None]:
    """Presentation mode changes the application's font and style sheet: put them back."""
    font, sheet = QApplication.font(), qapp.styleSheet()
    yield
    QApplication.setFont(font)
    qapp.setStyleSheet(sheet)


def new_window(qtbot: QtBot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)  # closed (which closes its workshop) after the test
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    """A window with no workshop open."""
    return new_window(qtbot)


@pytest.fixture
def opened(window: MainWindow, workshop_path: Path) -> MainWindow:
    """A window with the demo workshop file open."""
    assert window.open_path(workshop_path)
    return window


def make_workshop(path: Path, name: str = "Another workshop") -> Path:
    Document.create(path, new_definitions(name)).close()
    return path


def go_to(window: MainWindow, key: str) -> None:
    window.step_list.setCurrentRow([s.key for s in STEPS].index(key))


def stages_page(window: MainWindow) -> StagesPage:
    page = window.pages["stages"]
    assert isinstance(page, StagesPage)
    return page


def rename_first_stage(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Rename the first stage the way a user does: in the form, then Enter."""
    go_to(window, "stages")
    page = stages_page(window)
    assert window.session is not None
    page.editor.select_uid(window.session.defs.stages[0].uid)
    field = page.editor.form.editors["name"]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=10_000)
    field.selectAll()
    qtbot.keyClicks(field, name)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def notice_text(window: MainWindow) -> str:
    assert window.notice.isVisible(), "no notice is shown"
    return window.notice.text()


def folder_snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def unlocked(path: Path) -> bool:
    """Whether another window could open the file for editing now."""
    doc = Document.open(path)
    try:
        return not doc.file.in_use_by and not doc.read_only
    finally:
        doc.close()


# --------------------------------------------------------------------------- an open workshop
def test_the_title_names_the_file_the_revision_and_its_state(opened: MainWindow, workshop_path: Path) -> None:
    assert opened.windowTitle() == f"demo.accord {DASH} 2026-Q4 (draft) {DASH} Accord"
    assert not opened.banner.isVisible()
    # The file's name, not its folder: the status bar is projected on the wall.
    assert workshop_path.name in opened.statusBar().currentMessage()
    assert str(workshop_path.parent) not in opened.statusBar().currentMessage()
    assert opened.step_list.isEnabled()
    assert opened.session is not None and not opened.session.read_only


def test_without_a_workshop_the_window_offers_to_open_one(window: MainWindow) -> None:
    assert window.windowTitle() == "Accord"
    assert window.stack.currentWidget() is window.welcome
    assert not window.step_list.isEnabled()
    buttons = [b.text() for b in window.welcome.findChildren(QAbstractButton)]
    assert buttons == ["New workshop\u2026", "Open a workshop\u2026", "Open the demo workshop"]
    for action in (
        window.undo_action,
        window.redo_action,
        window.save_as_action,
        window.close_action,
        window.next_revision_action,
        window.decisions_action,
        window.export_json_action,
    ):
        assert not action.isEnabled(), action.text()


def test_every_step_shows_its_page_title_purpose_and_timebox(opened: MainWindow, qtbot: QtBot) -> None:
    assert opened.step_list.count() == len(STEPS) == 9
    assert opened.session is not None
    defs = opened.session.defs
    for row, step in enumerate(STEPS):
        item = opened.step_list.item(row)
        assert item.text() == f"{row + 1}.  {step.title}"
        qtbot.mouseClick(
            opened.step_list.viewport(), Qt.MouseButton.LeftButton, pos=opened.step_list.visualItemRect(item).center()
        )
        assert opened.current_step() == step.key
        page = opened.stack.currentWidget()
        assert page is opened.pages[step.key]
        assert page.objectName() == f"page_{step.key}"
        assert page.isVisible()
        assert opened.title.text() == step.title
        assert opened.purpose.text() == step.purpose
        assert opened.timebox.step == step.key
        assert opened.timebox.minutes.value() == defs.timeboxes[step.key]


def test_ctrl_1_to_ctrl_9_switch_steps(opened: MainWindow, qtbot: QtBot) -> None:
    by_shortcut = {a.shortcut().toString(): a for a in opened.findChildren(type(opened.undo_action))}
    for number, step in enumerate(STEPS, start=1):
        action = by_shortcut[f"Ctrl+{number}"]
        assert action.text() == f"Step {number}: {step.title}"
        action.trigger()
        assert opened.step_list.currentRow() == number - 1
        assert opened.stack.currentWidget() is opened.pages[step.key]
    # And with the keys themselves.
    opened.activateWindow()
    opened.step_list.setFocus()
    qtbot.waitUntil(opened.step_list.hasFocus, timeout=10_000)
    qtbot.keyClick(opened.step_list, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert opened.current_step() == "stages"
    qtbot.keyClick(opened.step_list, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert opened.current_step() == "signoff"


def test_undo_and_redo_actions_name_and_revert_an_edit_on_the_stages_page(
    opened: MainWindow, workshop_path: Path, qtbot: QtBot
) -> None:
    assert not opened.undo_action.isEnabled()
    assert opened.undo_action.text() == "&Undo"
    rename_first_stage(qtbot, opened, "Hand raiser")
    assert reopen(workshop_path).stages[0].name == "Hand raiser"

    assert opened.undo_action.isEnabled()
    assert opened.undo_action.text() == "&Undo Change stage name"
    assert opened.undo_action.shortcut() == QKeySequence("Ctrl+Z")
    opened.undo_action.trigger()
    page = stages_page(opened)
    assert isinstance(page.editor.form.editors["name"], QLineEdit)
    assert page.editor.form.editors["name"].text() == "Inquiry"
    assert page.editor.model.data(page.editor.model.index(0, 0)) == "Inquiry"
    assert reopen(workshop_path).stages[0].name == "Inquiry"
    assert not opened.undo_action.isEnabled()
    assert opened.redo_action.isEnabled()
    assert opened.redo_action.text() == "&Redo Change stage name"
    assert {s.toString() for s in opened.redo_action.shortcuts()} == {"Ctrl+Shift+Z", "Ctrl+Y"}

    opened.redo_action.trigger()
    assert reopen(workshop_path).stages[0].name == "Hand raiser"
    assert page.editor.form.editors["name"].text() == "Hand raiser"
    assert opened.undo_action.text() == "&Undo Change stage name"
    assert not opened.redo_action.isEnabled()
    assert opened.redo_action.text() == "&Redo"
    assert "Saved" in opened.statusBar().currentMessage()


def test_ctrl_z_on_the_stages_table_undoes_a_move(opened: MainWindow, workshop_path: Path, qtbot: QtBot) -> None:
    go_to(opened, "stages")
    page = stages_page(opened)
    table = page.editor.table
    assert opened.session is not None
    page.editor.select_uid(opened.session.defs.stages[0].uid)
    opened.activateWindow()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=10_000)
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert reopen(workshop_path).stages[1].name == "Inquiry"
    assert opened.undo_action.text() == "&Undo Move stage"
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert reopen(workshop_path).stages[0].name == "Inquiry"


def test_presentation_mode_enlarges_the_type_and_back(qapp: QApplication, workshop_path: Path, qtbot: QtBot) -> None:
    from app.theme import NORMAL_POINTS, PRESENTATION_POINTS, apply_theme

    apply_theme(qapp)  # as the program starts
    opened = new_window(qtbot)
    assert opened.open_path(workshop_path)
    assert QApplication.font().pointSize() == NORMAL_POINTS
    assert opened.presentation_action.shortcut() == QKeySequence(Qt.Key.Key_F11)
    normal_width = opened.step_list.width()
    opened.presentation_action.trigger()
    assert opened.presentation and opened.presentation_action.isChecked()
    assert QApplication.font().pointSize() == PRESENTATION_POINTS
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert f"{PRESENTATION_POINTS}pt" in app.styleSheet()
    qtbot.waitUntil(opened.isFullScreen, timeout=10_000)
    assert opened.step_list.width() > normal_width  # the step titles still fit

    opened.presentation_action.trigger()
    assert not opened.presentation and not opened.presentation_action.isChecked()
    assert QApplication.font().pointSize() == NORMAL_POINTS
    qtbot.waitUntil(lambda: not opened.isFullScreen(), timeout=10_000)
    assert opened.step_list.width() <= normal_width + 1


def test_ctrl_d_toggles_the_decisions_dock(opened: MainWindow) -> None:
    dock = opened.decisions_dock
    assert dock is not None and not dock.isVisible()
    assert opened.decisions_action.shortcut() == QKeySequence("Ctrl+D")
    assert opened.decisions_action.isEnabled()

    opened.decisions_action.trigger()
    assert dock.isVisible()
    assert opened.decisions_action.isChecked()
    assert opened.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea

    opened.decisions_action.trigger()
    assert not dock.isVisible()
    assert not opened.decisions_action.isChecked()

    opened.decisions_action.trigger()
    dock.close()  # its own close button
    assert not opened.decisions_action.isChecked()


# --------------------------------------------------------------------------- bad files
def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("Lead Number,Converted\n660737,0\n660728,1\n", encoding="utf-8")


def _other_sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('not a workshop')")
    con.commit()
    con.close()


def _newer_accord(path: Path) -> None:
    make_workshop(path, "From the future")
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version=99")
    con.commit()
    con.close()


BAD_FILES = {
    "empty.accord": (_empty, "is empty"),
    "leads.accord": (_text, "not an SQLite database"),
    "notes.accord": (_other_sqlite, "not an Accord workshop file"),
    "future.accord": (_newer_accord, "newer version of Accord"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_notice_and_left_untouched(
    window: MainWindow, tmp_path: Path, name: str
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    path = folder / name
    write, says = BAD_FILES[name]
    write(path)
    before = folder_snapshot(folder)

    assert window.open_path(path) is False

    message = notice_text(window)
    assert name in message and says in message
    assert "\n" not in message
    assert folder_snapshot(folder) == before  # same bytes, no lock or journal left behind
    assert window.session is None
    assert window.stack.currentWidget() is window.welcome
    assert window.windowTitle() == "Accord"
    assert name not in " ".join(window.files.recent_files())


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_leaves_the_open_workshop_open(
    opened: MainWindow, workshop_path: Path, tmp_path: Path, qtbot: QtBot, name: str
) -> None:
    path = tmp_path / name
    BAD_FILES[name][0](path)
    before = path.read_bytes()
    title = opened.windowTitle()
    go_to(opened, "stages")

    assert opened.open_path(path) is False

    assert name in notice_text(opened)
    assert path.read_bytes() == before
    assert opened.session is not None and opened.session.document.path == workshop_path
    assert opened.windowTitle() == title
    assert opened.current_step() == "stages"
    rename_first_stage(qtbot, opened, "Still editable")
    assert reopen(workshop_path).stages[0].name == "Still editable"


def test_a_missing_file_is_refused(window: MainWindow, tmp_path: Path) -> None:
    assert window.open_path(tmp_path / "gone.accord") is False
    assert "gone.accord" in notice_text(window)
    assert not (tmp_path / "gone.accord").exists()


# --------------------------------------------------------------------------- in use, signed
def test_a_file_open_in_another_window_opens_read_only_with_a_banner(
    opened: MainWindow, workshop_path: Path, qtbot: QtBot
) -> None:
    second = new_window(qtbot)
    assert second.open_path(workshop_path)

    assert second.session is not None and second.session.read_only
    assert second.windowTitle() == f"demo.accord {DASH} 2026-Q4 (read-only) {DASH} Accord"
    assert second.banner.isVisible()
    banner = second.banner.text()
    assert "demo.accord is in use by" in banner and "read-only" in banner
    assert "in use" in notice_text(second)

    go_to(second, "stages")
    page = stages_page(second)
    editor = page.editor
    assert not editor.add_button.isEnabled() and not editor.remove_button.isEnabled()
    assert isinstance(editor.form.editors["name"], QLineEdit) and editor.form.editors["name"].isReadOnly()
    assert not editor.form.editors["agreed"].isEnabled()
    assert not editor.model.flags(editor.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not second.timebox.minutes.isEnabled()
    assert not second.next_revision_action.isEnabled()
    assert not second.import_json_action.isEnabled()
    assert second.save_as_action.isEnabled()  # a copy can still be saved

    # The first window still edits; closing the second does not release the first's lock.
    rename_first_stage(qtbot, opened, "Edited in the first window")
    assert reopen(workshop_path).stages[0].name == "Edited in the first window"
    second.close_workshop()
    assert not unlocked(workshop_path)

    # Once the first window lets go, opening the file again edits it (as the banner says).
    opened.close_workshop()
    third = new_window(qtbot)
    assert third.open_path(workshop_path)
    assert third.session is not None and not third.session.read_only
    assert not third.banner.isVisible()


def test_a_signed_revision_explains_how_to_start_the_next_one(
    opened: MainWindow, workshop_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    session = opened.session
    assert session is not None
    for signer in session.defs.signers():
        session.document.sign(signer.name)

    assert opened.windowTitle() == f"demo.accord {DASH} 2026-Q4 (signed) {DASH} Accord"
    assert opened.banner.isVisible()
    banner = opened.banner.text()
    assert "signed and locked" in banner and "Start Next Revision" in banner
    assert not stages_page(opened).editor.add_button.isEnabled()
    assert opened.next_revision_action.isEnabled()

    # Cancelled: nothing happens.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2027-Q1", False)))
    opened.next_revision_action.trigger()
    assert session.document.locked

    # The label of an existing revision is refused with a notice.
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("2026-Q4", True)))
    opened.next_revision_action.trigger()
    assert "exists already" in notice_text(opened)
    assert session.document.locked

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (" 2027-Q1 ", True)))
    opened.next_revision_action.trigger()
    assert opened.windowTitle() == f"demo.accord {DASH} 2027-Q1 (draft) {DASH} Accord"
    assert not opened.banner.isVisible()
    assert "2027-Q1" in notice_text(opened) and "draft" in opened.notice.text()
    assert stages_page(opened).editor.add_button.isEnabled()
    rename_first_stage(qtbot, opened, "Inquiry 2027")
    assert reopen(workshop_path).stages[0].name == "Inquiry 2027"
    doc = Document.open(workshop_path, read_only=True)
    try:
        assert [(r.label, r.status) for r in doc.file.revisions()] == [("2026-Q4", "signed"), ("2027-Q1", "draft")]
    finally:
        doc.close()


def test_start_next_revision_through_the_session(opened: MainWindow) -> None:
    session = opened.session
    assert session is not None
    for signer in session.defs.signers():
        session.document.sign(signer.name)
    assert session.start_next_revision("2027-Q1")
    assert "2027-Q1 (draft)" in opened.windowTitle()
    assert not opened.banner.isVisible()
    assert not session.read_only


# --------------------------------------------------------------------------- recent files
def test_recent_files_remember_what_was_opened(
    window: MainWindow, workshop_path: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    import os

    other = make_workshop(tmp_path / "other.accord")
    window.recent_menu.aboutToShow.emit()
    empty = window.recent_menu.actions()
    assert [a.text() for a in empty] == ["No recent workshops"] and not empty[0].isEnabled()

    assert window.open_path(workshop_path)
    assert window.open_path(other)
    assert window.files.recent_files() == [str(other.resolve()), str(workshop_path.resolve())]
    assert window.open_path(workshop_path)
    assert window.files.recent_files() == [str(workshop_path.resolve()), str(other.resolve())]  # no duplicates

    # Kept in the settings folder the tests point at, and seen by the next window.
    assert (Path(os.environ["ACCORD_SETTINGS_DIR"]) / "accord.ini").exists()
    later = new_window(qtbot)
    assert later.files.recent_files() == [str(workshop_path.resolve()), str(other.resolve())]

    later.recent_menu.aboutToShow.emit()
    actions = later.recent_menu.actions()
    assert [a.text() for a in actions] == ["demo.accord", "other.accord"]
    assert actions[1].statusTip() == str(other.resolve())
    window.close_workshop()  # let go of it, so the later window can edit it
    actions[0].trigger()
    assert later.session is not None and later.session.document.path.resolve() == workshop_path.resolve()
    assert not later.session.read_only


def test_recent_files_keep_the_last_eight(window: MainWindow, tmp_path: Path) -> None:
    paths = [make_workshop(tmp_path / f"w{i}.accord") for i in range(10)]
    for path in paths:
        assert window.open_path(path)
    assert window.files.recent_files() == [str(p.resolve()) for p in reversed(paths)][:8]


def test_reopening_the_open_workshop_keeps_it_editable(opened: MainWindow, workshop_path: Path, qtbot: QtBot) -> None:
    """Choosing the open workshop again (e.g. from Open Recent) must not lock the window out."""
    go_to(opened, "stages")
    assert opened.open_path(workshop_path)
    assert opened.session is not None and not opened.session.read_only
    assert not opened.banner.isVisible()
    assert "(draft)" in opened.windowTitle()
    rename_first_stage(qtbot, opened, "Still mine")
    assert reopen(workshop_path).stages[0].name == "Still mine"


# --------------------------------------------------------------------------- Save As, close
def test_save_as_writes_a_copy_and_shows_it(
    opened: MainWindow, workshop_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    rename_first_stage(qtbot, opened, "Hand raiser")  # the copy has it too
    copy = tmp_path / "copies" / "offsite copy"
    copy.parent.mkdir()
    asked: list[str] = []

    def get_save_file_name(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[2]))
        return str(copy), "Accord workshops (*.accord)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save_file_name))
    go_to(opened, "stages")
    opened.save_as_action.trigger()

    saved = copy.with_name("offsite copy.accord")  # the extension is added
    assert asked == [str(workshop_path)]
    assert saved.exists()
    assert reopen(saved).model_dump() == reopen(workshop_path).model_dump()
    assert reopen(saved).stages[0].name == "Hand raiser"
    assert opened.session is not None and opened.session.document.path == saved
    assert opened.windowTitle() == f"offsite copy.accord {DASH} 2026-Q4 (draft) {DASH} Accord"
    assert opened.current_step() == "stages"
    assert not opened.session.read_only
    assert [p.name for p in saved.parent.iterdir() if p.name.startswith(".accord-")] == []  # no temp left
    assert unlocked(workshop_path)  # the original is let go

    # Edits now go to the copy only.
    rename_first_stage(qtbot, opened, "Copy only")
    assert reopen(saved).stages[0].name == "Copy only"
    assert reopen(workshop_path).stages[0].name == "Hand raiser"
    assert opened.files.recent_files()[0] == str(saved.resolve())


def test_save_as_cancelled_changes_nothing(
    opened: MainWindow, workshop_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    before = sorted(p.name for p in tmp_path.iterdir())
    opened.save_as_action.trigger()
    assert opened.session is not None and opened.session.document.path == workshop_path
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_save_as_onto_itself_keeps_the_workshop_editable(
    opened: MainWindow, workshop_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(workshop_path), "Accord workshops (*.accord)")),
    )
    opened.save_as_action.trigger()
    assert opened.session is not None and not opened.session.read_only
    assert not opened.banner.isVisible()
    rename_first_stage(qtbot, opened, "Same file")
    assert reopen(workshop_path).stages[0].name == "Same file"


def test_close_leaves_the_welcome_page_and_lets_go_of_the_file(opened: MainWindow, workshop_path: Path) -> None:
    go_to(opened, "stages")
    opened.close_action.trigger()
    assert opened.session is None
    assert opened.pages == {}
    assert opened.stack.currentWidget() is opened.welcome
    assert opened.windowTitle() == "Accord"
    assert opened.title.text() == "Accord"
    assert not opened.step_list.isEnabled()
    assert not opened.banner.isVisible()
    assert not opened.undo_action.isEnabled() and not opened.save_as_action.isEnabled()
    assert opened.decisions_dock is None
    assert unlocked(workshop_path)

    assert opened.open_path(workshop_path)  # and it opens again, on the step last shown
    assert opened.current_step() == "stages"


# --------------------------------------------------------------------------- the demo
@pytest.fixture
def temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where tempfile puts new folders during the test (the demo copies)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def repo_workshops() -> set[Path]:
    return {p for p in REPO.rglob("*.accord") if ".venv" not in p.parts}


def test_the_demo_opens_as_a_fresh_copy_outside_the_repository(
    window: MainWindow, temp_folder: Path, qtbot: QtBot
) -> None:
    before = repo_workshops()
    window.files.open_demo()
    session = window.session
    assert session is not None and not session.read_only
    path = session.document.path
    assert path.name == "X Education demo.accord"
    assert path.parent.parent == temp_folder and path.parent.name.startswith("accord-demo-")
    assert REPO not in path.resolve().parents
    assert session.defs.team.organisation == "X Education"
    assert window.windowTitle() == f"X Education demo.accord {DASH} 2026-Q4 (draft) {DASH} Accord"
    assert window.files.recent_files() == []  # a throw-away copy is not a recent workshop

    rename_first_stage(qtbot, window, "Edited demo")
    window.files.open_demo()  # the next demo is fresh again
    assert window.session is not None and window.session.document.path != path
    assert window.session.defs.stages[0].name == "Inquiry"
    assert reopen(path).stages[0].name == "Edited demo"
    assert repo_workshops() == before


def test_the_welcome_page_buttons_work(window: MainWindow, temp_folder: Path, qtbot: QtBot) -> None:
    demo_button = next(b for b in window.welcome.findChildren(QAbstractButton) if "demo" in b.text())
    qtbot.mouseClick(demo_button, Qt.MouseButton.LeftButton)
    assert window.session is not None
    assert window.stack.currentWidget() is window.pages[window.current_step()]


def test_new_workshop_asks_where_and_what_name(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "q1"), "Accord workshops (*.accord)")),
    )
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Q1 offsite", True)))
    window.files.new_workshop()
    assert window.session is not None
    assert window.session.document.path == tmp_path / "q1.accord"
    assert window.session.defs.team.workshop_name == "Q1 offsite"
    assert [s.name for s in window.session.defs.stages][:2] == ["Inquiry", "Marketing Qualified Lead"]
    assert "(draft)" in window.windowTitle()


def test_new_workshop_never_replaces_a_workshop_another_window_holds(
    window: MainWindow, workshop_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import reopen
    from tests.holder import held

    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(workshop_path), "Accord workshops"))
    )
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Replacement", True)))
    before = workshop_path.read_bytes()
    with held(workshop_path):
        window.files.new_workshop()
    assert window.session is None  # nothing was opened
    assert workshop_path.read_bytes() == before and reopen(workshop_path).team.workshop_name != "Replacement"
    assert window.notice.text().startswith("demo.accord is in use by ")


def test_export_definitions_json_writes_whole_never_over_the_workshop(
    window: MainWindow, workshop_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    assert window.open_path(workshop_path)
    before = workshop_path.read_bytes()
    chosen = {"path": str(workshop_path)}
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (chosen["path"], "")))
    window.files.export_json()  # the workshop itself: refused
    assert workshop_path.read_bytes() == before
    assert window.notice.text() == "demo.accord is the workshop itself."
    target = tmp_path / "defs.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    chosen["path"] = str(link)
    window.files.export_json()  # through the symlink, to its target
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["format"] == "accord-definitions"


# --------------------------------------------------------------------------- the command line
def test_help_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    from app.main import main

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: accord")
    assert "--demo" in out and "--read-only" in out


def test_a_missing_file_on_the_command_line_is_one_line_of_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.main import main

    monkeypatch.chdir(tmp_path)
    assert main(["nonexistent.accord"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "accord: nonexistent.accord: no such file\n"
    assert not (tmp_path / "nonexistent.accord").exists()
