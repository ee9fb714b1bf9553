"""The File menu's chores: a new workshop, open one (or the demo), Save As, the next
revision, the revisions dialog, the definitions JSON in and out, and the recent files.

They ask the user through Qt's file and input dialogs, then hand the window a path to open
(`MainWindow.open_path`) or the session an edit to make: the window itself only shows the
open workshop.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QInputDialog

from widgets.settings import settings

if TYPE_CHECKING:
    from app.mainwindow import MainWindow
    from widgets.revisions_dialog import RevisionsDialog

FILE_FILTER = "Accord workshops (*.accord);;All files (*)"
MAX_RECENT = 8


class WorkshopFiles:
    """The File menu's actions for `window` (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.revisions_dialog: RevisionsDialog | None = None

    def open_demo(self) -> None:
        from app.files import fresh_demo_copy

        path = fresh_demo_copy()
        self.window.open_path(path)

    def new_workshop(self) -> None:
        from models.definitions import new_definitions
        from models.document import Document
        from models.store import WorkshopFileError

        path, _ = QFileDialog.getSaveFileName(
            self.window, "New workshop", str(Path.home() / "workshop.accord"), FILE_FILTER
        )
        if not path:
            return
        if not path.endswith(".accord"):
            path += ".accord"
        name, ok = QInputDialog.getText(
            self.window, "New workshop", "Workshop name:", text="Sales and marketing alignment"
        )
        if not ok:
            return
        try:
            Document.create(path, new_definitions(name.strip() or "Sales and marketing alignment"), force=True).close()
        except (WorkshopFileError, OSError) as exc:
            self.window.show_error("Cannot create the workshop", str(exc))
            return
        self.window.open_path(path)

    def open_dialog(self) -> None:
        start = str(self.window.session.document.path.parent) if self.window.session else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self.window, "Open workshop", start, FILE_FILTER)
        if path:
            self.window.open_path(path)

    def save_as(self) -> None:
        from app.files import save_copy

        if self.window.session is None:
            return
        doc = self.window.session.document
        path, _ = QFileDialog.getSaveFileName(self.window, "Save workshop as", str(doc.path), FILE_FILTER)
        if not path:
            return
        if not path.endswith(".accord"):
            path += ".accord"
        try:
            save_copy(doc, Path(path))
        except OSError as exc:
            self.window.show_error("Cannot save the workshop", str(exc))
            return
        step = self.window.step_list.currentRow()
        self.window.open_path(path)
        self.window.step_list.setCurrentRow(step)

    def start_next_revision(self) -> None:
        if self.window.session is None:
            return
        label, ok = QInputDialog.getText(
            self.window, "Start next revision", "Label of the new revision (e.g. 2027-Q1):"
        )
        if ok and self.window.session.start_next_revision(label):
            self.window.show_notice(
                f"Revision \u201c{label.strip()}\u201d started as a draft copy of the previous one.", error=False
            )

    def show_revisions(self) -> None:
        session = self.window.session
        if session is None:
            return
        from widgets.revisions_dialog import RevisionsDialog

        dialog = RevisionsDialog(session, self.window)
        dialog.openRevision.connect(session.open_revision)
        self.revisions_dialog = dialog
        dialog.open()

    def import_json(self) -> None:
        from models.definitions_json import DefinitionsError, read_definitions_file

        if self.window.session is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Import definitions JSON", str(Path.home()), "Definitions JSON (*.json);;All files (*)"
        )
        if not path:
            return
        try:
            defs = read_definitions_file(Path(path))
        except OSError as exc:
            self.window.show_error("Cannot import the definitions", f"{Path(path).name}: {exc}")
            return
        except DefinitionsError as exc:
            self.window.show_error("Cannot import the definitions", str(exc))
            return
        from models.edits import ReplaceAll

        self.window.session.do(
            ReplaceAll(
                self.window.session.defs.model_dump(mode="json"),
                defs.model_dump(mode="json"),
                f"Import {Path(path).name}",
            )
        )

    def export_json(self) -> None:
        from models.definitions_json import dumps
        from models.store import written_in_place_of

        if self.window.session is None:
            return
        doc = self.window.session.document
        default = doc.path.with_name(f"{doc.path.stem}-{doc.revision.label}.json")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Export definitions JSON", str(default), "Definitions JSON (*.json)"
        )
        if not path:
            return
        target = Path(path)
        if target.exists() and doc.path.exists() and os.path.samefile(target, doc.path):
            self.window.show_error("Cannot export the definitions", f"{target.name} is the workshop itself.")
            return
        try:
            with written_in_place_of(target) as tmp:  # whole or not at all; through a symlink
                tmp.write_text(dumps(doc.defs, doc.revision_block()), encoding="utf-8")
        except OSError as exc:  # a device, a folder, a full disk: one sentence
            self.window.show_error("Cannot export the definitions", str(exc))
            return
        self.window.statusBar().showMessage(f"Definitions written to {target.name}", 8000)

    # -- recent files --------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        value = settings().value("recent", [])
        # QSettings gives one string back for a list of one, and nothing for an empty list.
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [v for v in items if isinstance(v, str)]

    def remember(self, path: Path) -> None:
        from models.demo import is_demo_copy

        if is_demo_copy(path):
            return
        path_text = str(Path(path).resolve())
        recent = [path_text] + [p for p in self.recent_files() if p != path_text]
        settings().setValue("recent", recent[:MAX_RECENT])

    def fill_recent(self) -> None:
        self.window.recent_menu.clear()
        recent = self.recent_files()
        if not recent:
            action = self.window.recent_menu.addAction("No recent workshops")
            action.setEnabled(False)
            return
        for path in recent:
            action = self.window.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.window.open_path(p))
