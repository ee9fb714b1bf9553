"""The main window: the step list on the left, the current step's page on the right, with
its title, purpose and timebox above it; menus for files, undo/redo and presentation mode.

Start-up is kept fast by painting this window before the domain (SQLModel, pydantic) is
imported: this module imports only Qt at load time, and `attach` builds the pages once a
workshop is open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.theme import apply_theme
from app.workshop_files import WorkshopFiles
from models.steps import STEPS

if TYPE_CHECKING:
    from widgets.session import WorkshopSession

RETRY_SAVING_MS = 3000  # after a failed save, how often to look whether the file is back


class MainWindow(QMainWindow):
    firstPaint = Signal()
    workshopOpened = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.session: WorkshopSession | None = None
        self.pages: dict[str, QWidget] = {}
        self.presentation = False
        self._painted = False
        self.files = WorkshopFiles(self)
        self.setWindowTitle("Accord")
        self.resize(1440, 900)

        self.step_list = QListWidget()
        self.step_list.setObjectName("stepList")
        self.step_list.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        for number, step in enumerate(STEPS, start=1):
            item = QListWidgetItem(f"{number}.  {step.title}")
            item.setData(Qt.ItemDataRole.UserRole, step.key)
            item.setToolTip(step.purpose)
            self.step_list.addItem(item)
        self.step_list.setFixedWidth(self._step_list_width())
        self.step_list.currentRowChanged.connect(self._show_step)

        self.title = QLabel()
        self.title.setObjectName("stepTitle")
        self.purpose = QLabel()
        self.purpose.setObjectName("stepPurpose")
        self.purpose.setWordWrap(True)
        self.header_right = QHBoxLayout()
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        # After a failed save: "Try again", and a quiet retry every few seconds (the file may
        # be moved back, the disk freed) until the workshop can be saved again.
        self.retry_button = QPushButton("Try again")
        self.retry_button.setObjectName("retrySaving")
        self.retry_button.setToolTip("Check whether the workshop file can be written again")
        self.retry_button.clicked.connect(self.retry_saving)
        self.retry_button.hide()
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_SAVING_MS)
        self._retry_timer.timeout.connect(lambda: self.retry_saving(quietly=True))
        self.stack = QStackedWidget()
        self.welcome = self._make_welcome()
        self.stack.addWidget(self.welcome)

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.purpose)
        header.addLayout(titles, 1)
        header.addLayout(self.header_right)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(18, 12, 18, 12)
        right_layout.addLayout(header)
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(banner_row)
        right_layout.addWidget(self.notice)
        right_layout.addWidget(self.stack, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.step_list)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage("Opening\u2026")
        self._build_menus()
        self._show_no_workshop()

    def _step_list_width(self) -> int:
        metrics = self.step_list.fontMetrics()
        widest = max(metrics.horizontalAdvance(f"{len(STEPS)}.  {s.title}") for s in STEPS)
        return widest + 60

    # -- first paint (start-up measurement and deferred loading) ------------------------
    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.firstPaint.emit)

    # -- menus ---------------------------------------------------------------------------
    def _action(self, menu: QMenu, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New Workshop\u2026", self.files.new_workshop, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open\u2026", self.files.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self.files.fill_recent)
        self._action(file_menu, "Open &Demo Workshop", self.files.open_demo)
        file_menu.addSeparator()
        self.save_as_action = self._action(
            file_menu, "Save &As\u2026", self.files.save_as, QKeySequence.StandardKey.SaveAs
        )
        self.next_revision_action = self._action(
            file_menu,
            "Start &Next Revision\u2026",
            self.files.start_next_revision,
            tip="Copy the latest revision into a new draft to revise it",
        )
        self.revisions_action = self._action(
            file_menu,
            "Re&visions\u2026",
            self.files.show_revisions,
            QKeySequence("Ctrl+Shift+R"),
            tip="The history of revisions, a comparison of any two, and the re-check across quarters",
        )
        file_menu.addSeparator()
        self.import_json_action = self._action(file_menu, "&Import Definitions JSON\u2026", self.files.import_json)
        self.export_json_action = self._action(file_menu, "&Export Definitions JSON\u2026", self.files.export_json)
        file_menu.addSeparator()
        self.close_action = self._action(file_menu, "&Close", self.close_workshop, QKeySequence.StandardKey.Close)
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self._action(edit_menu, "&Undo", self.undo, QKeySequence("Ctrl+Z"))
        self.redo_action = self._action(edit_menu, "&Redo", self.redo, QKeySequence("Ctrl+Shift+Z"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])

        view_menu = bar.addMenu("&View")
        self.presentation_action = self._action(
            view_menu,
            "&Presentation Mode",
            self.toggle_presentation,
            QKeySequence(Qt.Key.Key_F11),
            tip="Full screen with larger type, for the projector",
        )
        self.presentation_action.setCheckable(True)
        self.decisions_action = self._action(
            view_menu, "&Decisions and Parking Lot", self.toggle_decisions, QKeySequence("Ctrl+D")
        )
        self.decisions_action.setCheckable(True)
        view_menu.addSeparator()
        for number, step in enumerate(STEPS, start=1):
            self._action(
                view_menu,
                f"Step {number}: {step.title}",
                lambda _=False, n=number - 1: self.step_list.setCurrentRow(n),
                QKeySequence(f"Ctrl+{number}"),
            )
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Accord", self.about)
        self.decisions_dock: QDockWidget | None = None

    # -- workshops -----------------------------------------------------------------------
    def attach(self, session: WorkshopSession) -> None:
        """Show an open workshop: build its pages and wire its signals."""
        from app.pages import build_page
        from widgets.timebox import TimeboxWidget

        self.detach()
        self.session = session
        self.timebox = TimeboxWidget(session)
        self.header_right.addWidget(self.timebox)
        for step in STEPS:
            page = build_page(step.key, session, self)
            page.setObjectName(f"page_{step.key}")
            self.pages[step.key] = page
            self.stack.addWidget(page)
        session.edited.connect(self._on_edited)
        session.leadsReplaced.connect(self._on_edited)
        session.revisionChanged.connect(self._on_revision_changed)
        session.refused.connect(self.show_notice)
        session.saveFailed.connect(self._on_save_failed)
        session.reloaded.connect(self.show_notice)
        session.goToStep.connect(self.go_to_step)
        session.undo_stack.canUndoChanged.connect(self._update_actions)
        session.undo_stack.canRedoChanged.connect(self._update_actions)
        self._ensure_decisions_dock()
        self.step_list.setEnabled(True)
        row = max(self.step_list.currentRow(), 0)
        self.step_list.setCurrentRow(row)
        self._show_step(row)
        self._on_revision_changed()
        self.files.remember(session.document.path)
        broken = [c.label for c in session.document.verify() if not c.ok]
        if broken:  # tamper evidence, whichever revision is shown
            self.show_notice(
                f"Signature does not match: the definitions of revision{'s' if len(broken) > 1 else ''} "
                f"{', '.join(broken)} were changed outside Accord after they were signed "
                "(File \u25b8 Revisions shows which)."
            )
        self.workshopOpened.emit()

    def detach(self) -> None:
        if self.session is None:
            return
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        if self.decisions_dock is not None:
            self.removeDockWidget(self.decisions_dock)
            self.decisions_dock.deleteLater()
            self.decisions_dock = None
        self.timebox.timer.stop()
        self.timebox.deleteLater()
        self.session.close()
        self.session = None
        self._show_no_workshop()

    def _show_no_workshop(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self.title.setText("Accord")
        self.purpose.setText("Open a workshop, start a new one, or open the demo.")
        self.step_list.setEnabled(False)
        self.banner.hide()
        self.setWindowTitle("Accord")
        self._update_actions()

    def _make_welcome(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        text = QLabel(
            "Agree the funnel, the words and the lead-scoring model; check the hand-off "
            "threshold against your own history; sign, and export."
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        for label, slot in (
            ("New workshop\u2026", self.files.new_workshop),
            ("Open a workshop\u2026", self.files.open_dialog),
            ("Open the demo workshop", self.files.open_demo),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(1)
        return page

    def open_path(self, path: Path | str, read_only: bool = False) -> bool:
        from models.document import Document
        from models.store import WorkshopFileError
        from widgets.session import WorkshopSession

        current = self.session.document if self.session is not None else None
        if (
            current is not None
            and not read_only
            and not current.file.read_only
            and Path(path).exists()
            and current.path.exists()
            and os.path.samefile(current.path, path)
        ):
            # Open here already, for editing (it is saved as it changes). Opening it again
            # would find this window's own lock and show the file read-only, "in use".
            self.files.remember(current.path)
            return True
        try:
            document = Document.open(path, read_only=read_only)
        except WorkshopFileError as exc:
            self._open_failed(Path(path), str(exc))
            return False
        try:
            self.attach(WorkshopSession(document))
        except WorkshopFileError as exc:
            # Damaged beyond what opening reads (a table a page shows): nothing is half-shown.
            self.detach()
            document.close()
            self._open_failed(Path(path), str(exc))
            return False
        if document.file.in_use_by:
            self.show_notice(document.why_read_only())
        return True

    def _open_failed(self, path: Path, message: str) -> None:
        self.show_error("Cannot open the workshop", message)
        if self.session is None:
            self.statusBar().showMessage(f"{path.name} could not be opened")

    def close_workshop(self) -> None:
        self.detach()

    # -- steps, undo, modes ---------------------------------------------------------------
    def _show_step(self, row: int) -> None:
        if self.session is None or not 0 <= row < len(STEPS):
            return
        step = STEPS[row]
        self.title.setText(step.title)
        self.purpose.setText(step.purpose)
        self.stack.setCurrentWidget(self.pages[step.key])
        self.timebox.set_step(step.key)
        self._update_banner()

    def go_to_step(self, key: str) -> None:
        for row, step in enumerate(STEPS):
            if step.key == key:
                self.step_list.setCurrentRow(row)
                return

    def current_step(self) -> str:
        row = self.step_list.currentRow()
        return STEPS[row].key if 0 <= row < len(STEPS) else ""

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.undo()

    def redo(self) -> None:
        if self.session is not None:
            self.session.undo_stack.redo()

    def _update_actions(self) -> None:
        s = self.session
        has = s is not None
        self.undo_action.setEnabled(has and s.undo_stack.canUndo())  # type: ignore[union-attr]
        self.redo_action.setEnabled(has and s.undo_stack.canRedo())  # type: ignore[union-attr]
        if has:
            self.undo_action.setText("&Undo " + s.undo_stack.undoText() if s.undo_stack.canUndo() else "&Undo")  # type: ignore[union-attr]
            self.redo_action.setText("&Redo " + s.undo_stack.redoText() if s.undo_stack.canRedo() else "&Redo")  # type: ignore[union-attr]
        for action in (
            self.save_as_action,
            self.close_action,
            self.export_json_action,
            self.decisions_action,
            self.revisions_action,
        ):
            action.setEnabled(has)
        writable = has and not s.document.file.read_only  # type: ignore[union-attr]
        self.next_revision_action.setEnabled(writable)
        self.import_json_action.setEnabled(has and not s.read_only)  # type: ignore[union-attr]

    def _on_edited(self, *_: Any) -> None:
        from datetime import datetime

        self._update_actions()
        if self.session is not None:
            self.statusBar().showMessage(f"Saved {datetime.now():%H:%M:%S} \u00b7 {self.session.document.path.name}")

    def _on_revision_changed(self) -> None:
        s = self.session
        if s is None:
            return
        doc = s.document
        state = "signed" if doc.locked else ("read-only" if doc.read_only else "draft")
        if doc.signature_matches is False:
            state = "signature does not match"
        elif not doc.is_latest:
            state += ", earlier revision"
        if s.save_failure is not None:
            state = "NOT SAVED"
        self.setWindowTitle(f"{doc.path.name} \u2014 {doc.revision.label} ({state}) \u2014 Accord")
        self._update_banner()
        # The name, not the path: the status bar is on the wall, and a demo lives in a temp folder.
        if s.save_failure is not None:
            self.statusBar().showMessage(f"{doc.path.name}  \u00b7  changes cannot be saved now")
        else:
            self.statusBar().showMessage(f"{doc.path.name}  \u00b7  every change is saved as you make it")
        self._update_actions()

    def _update_banner(self) -> None:
        """Why the workshop cannot be edited; the sign-off step says it itself once signed."""
        why = self.session.why_read_only() if self.session is not None else ""
        own = self.current_step() == "signoff" and self.session is not None and self.session.document.locked
        if self.session is not None and self.session.document.signature_matches is False:
            doc = self.session.document
            why = (
                f"Signature does not match: the definitions of revision \u201c{doc.revision.label}\u201d were "
                "changed outside Accord after they were signed. What is shown is not what was signed; "
                "`accord verify` reports it too."
            )
            own = False
        self.banner.setText(why)
        self.banner.setVisible(bool(why) and not own)
        failed = self.session is not None and self.session.save_failure is not None
        self.retry_button.setVisible(failed)
        if failed and not self._retry_timer.isActive():
            self._retry_timer.start()
        elif not failed:
            self._retry_timer.stop()

    # -- when the file cannot be written ----------------------------------------------------
    def _on_save_failed(self, message: str) -> None:
        # The banner says it (and stays until saving works again): no second, red copy.
        self.notice.hide()
        self._update_banner()

    def retry_saving(self, quietly: bool = False) -> bool:
        """Try to save again; say whether the workshop is editable again."""
        if self.session is None:
            return False
        if self.session.retry_saving():
            self.show_notice(f"{self.session.document.path.name} can be written again: changes are saved.", error=False)
            return True
        if not quietly:
            self.show_notice(self.session.why_read_only())
        self._update_banner()
        return False

    def show_notice(self, message: str, error: bool = True) -> None:
        self.notice.setText(message)
        self.notice.setObjectName("notice" if error else "banner")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.show()
        self._notice_timer.start(12000)

    def show_error(self, title: str, message: str) -> None:
        if QApplication.platformName() == "offscreen":
            self.show_notice(message)  # no modal dialogs in headless runs and tests
            return
        QMessageBox.warning(self, title, message)

    def toggle_presentation(self) -> None:
        self.presentation = not self.presentation
        self.presentation_action.setChecked(self.presentation)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app, self.presentation)
        self.step_list.setFixedWidth(self._step_list_width())
        screen = self.screen()
        if self.presentation:
            self._normal_geometry = self.geometry()
            self.showFullScreen()
            if screen is not None:  # without a window manager, full screen does not resize
                self.setGeometry(screen.geometry())
        else:
            self.showNormal()
            if getattr(self, "_normal_geometry", None) is not None:
                self.setGeometry(self._normal_geometry)

    def _ensure_decisions_dock(self) -> None:
        from app.pages import build_decisions_panel

        if self.session is None or self.decisions_dock is not None:
            return
        dock = QDockWidget("Decisions and parking lot", self)
        dock.setObjectName("decisionsDock")
        dock.setWidget(build_decisions_panel(self.session, self, current_step=self.current_step))
        dock.hide()
        dock.visibilityChanged.connect(self.decisions_action.setChecked)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.decisions_dock = dock

    def toggle_decisions(self) -> None:
        if self.decisions_dock is None:
            return
        self.decisions_dock.setVisible(not self.decisions_dock.isVisible())
        if self.decisions_dock.isVisible():
            self.decisions_dock.widget().setFocus()

    def about(self) -> None:
        from models.version import app_version

        QMessageBox.about(
            self,
            "About Accord",
            f"Accord {app_version()}: sales and marketing alignment workshops.\n"
            "Agree the definitions, check the threshold against history, sign, export.",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.detach()
        super().closeEvent(event)
