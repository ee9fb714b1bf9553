"""Historical leads step: the lead data set the threshold check runs on, where it came from,
and how clean it is; and the import that replaces it.

With no data the page says what to bring and offers "Import leads…". With data it shows, in
type the room can read, the figures (leads, opportunities, opportunity rate, weeks spanned,
duplicates), the missing values per column, what the cleaning did, and the provenance
(files, sizes, SHA-256, rows, rejected, import time, mapping).

The import: the mapping dialog → `import_leads` in the background, with progress and Cancel
→ the rejected rows, if any, to accept or refuse → a confirmation if the draft has data
already → `Document.replace_leads`. The workshop changes only at that last step, in one
transaction; an error anywhere before it leaves the file as it was.

The page holds the two states and runs the import; the figures (`lead_figures`), the data
quality (`lead_quality`), the provenance (`lead_provenance`) and the rejected rows
(`rejected_rows_dialog`) are their own modules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.leads.info import LeadsInfo
from models.leads.types import LeadData, Progress
from widgets.import_dialog import ImportDialog, ImportRequest
from widgets.lead_figures import LeadFigures
from widgets.lead_file_row import LEADS_FILTER
from widgets.lead_provenance import ProvenanceBox, local_time
from widgets.lead_quality import DataQualityBox
from widgets.rejected_rows_dialog import RejectedRowsDialog
from widgets.session import WorkshopSession
from widgets.style import mark_primary
from widgets.tasks import ProgressPanel, Task


class LeadsPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.import_dialog: ImportDialog | None = None
        self.task: Task | None = None
        self.progress_panel: ProgressPanel | None = None
        self.rejected_dialog: RejectedRowsDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.pending: LeadData | None = None

        self.message = QLabel()
        self.message.setObjectName("notice")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()

        self.stack = QStackedWidget()
        self.empty = self._build_empty()
        self.filled = self._build_filled()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.filled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        session.leadsReplaced.connect(self.refresh)
        session.revisionChanged.connect(self.refresh)
        self.refresh()

    # -- building ------------------------------------------------------------------------
    def _import_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        mark_primary(button)
        button.clicked.connect(self.start_import)
        return button

    def _build_empty(self) -> QWidget:
        page = QWidget()
        title = QLabel("No historical leads in this revision yet")
        title.setObjectName("upcomingTitle")
        title.setWordWrap(True)
        text = QLabel(
            "Import the leads your CRM exported \u2014 a CSV or Excel file, one row per lead \u2014 "
            "to check the hand-off threshold against what really happened.\n\n"
            "It needs a column that identifies each lead and one that says whether it became an "
            "opportunity (or a second file, an opportunities report, joined on the lead ID). "
            "A created date, revenue and owner make the check richer; every other column can be "
            "scored on."
        )
        text.setWordWrap(True)
        self.empty_import = self._import_button("Import leads\u2026")
        self.empty_locked = QLabel()
        self.empty_locked.setObjectName("hint")
        self.empty_locked.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.empty_import)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.empty_locked)
        layout.addStretch(1)
        return page

    def _build_filled(self) -> QWidget:
        self.headline = QLabel()
        self.headline.setObjectName("upcomingTitle")
        self.headline.setWordWrap(True)
        self.reimport = self._import_button("Import again\u2026")
        mark_primary(self.reimport, False)  # replacing the data is not the page's main action
        self.reimport.setToolTip("Import a new data set; it replaces this one, after a confirmation.")
        head = QHBoxLayout()
        head.addWidget(self.headline, 1)
        head.addWidget(self.reimport, 0, Qt.AlignmentFlag.AlignTop)

        self.figure_box = LeadFigures()
        self.quality_box = DataQualityBox()
        self.provenance_box = ProvenanceBox()
        # What the step shows of the data set, by the names the tests read.
        self.figures = self.figure_box.figures
        self.quality_lines, self.missing_model = self.quality_box.quality_lines, self.quality_box.missing_model
        self.provenance = self.provenance_box.text

        columns = QHBoxLayout()
        columns.addWidget(self.quality_box, 1)
        columns.addWidget(self.provenance_box, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.figure_box)
        layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        return scroll

    # -- showing ---------------------------------------------------------------------------
    def info(self) -> LeadsInfo | None:
        """The stored data set's provenance and quality, or None."""
        return self.session.document.leads_info()

    def refresh(self) -> None:
        info = self.info()
        locked = self.session.read_only
        why = self.session.why_read_only() if locked else ""
        for button in (self.empty_import, self.reimport):
            button.setEnabled(not locked)
            button.setToolTip(why or button.toolTip())
        self.empty_locked.setText(why)
        self.empty_locked.setVisible(bool(why))
        if info is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.filled)
        names = ", ".join(source.name for source in info.sources)
        self.headline.setText(f"{info.quality.rows:,} historical leads from {names}")
        self.figure_box.show_quality(info.quality)
        self.quality_box.show_info(info)
        self.provenance_box.show_info(info)

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setObjectName("notice" if error else "banner")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    # -- importing -----------------------------------------------------------------------------
    def start_import(self) -> None:
        """Ask for the leads file, then open the mapping dialog on it."""
        self.show_message("")
        if self.session.read_only:
            self.show_message(self.session.why_read_only())
            return
        start = str(self.session.document.path.parent)
        name, _ = QFileDialog.getOpenFileName(self, "Import historical leads", start, LEADS_FILTER)
        if not name:
            return
        info = self.info()
        dialog = ImportDialog(Path(name), previous=info.mapping if info is not None else None, parent=self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.run_import(dialog.request()))
        self.import_dialog = dialog
        dialog.open()

    def run_import(self, request: ImportRequest) -> Task:
        """Import in the background; the workshop is untouched until the result is stored."""
        from models.leads import importer, serialize

        def work(progress: Progress) -> LeadData:
            data = importer.import_leads(
                request.path,
                request.mapping,
                outcomes_path=request.outcomes_path,
                sheet=request.sheet,
                header_row=request.header_row,
                progress=progress,
            )
            # Compress for the workshop file here, off the GUI thread (0.5 s or more at 1M rows),
            # so that storing it later is only the write.
            progress.report(1.0, "Compressing the leads for the workshop file")
            serialize.encode(data)
            return data

        self.show_message("")
        task = Task(work, self)
        panel = ProgressPanel(task, f"Importing {request.path.name}", self)
        task.finished.connect(self._on_imported)
        task.failed.connect(lambda message: self.show_message(f"Nothing was imported. {message}"))
        task.cancelled.connect(lambda: self.show_message("Import cancelled: nothing was changed.", error=False))
        self.task, self.progress_panel = task, panel
        task.start()
        panel.open()
        return task

    def _on_imported(self, data: LeadData) -> None:
        if data.table.num_rows == 0:
            names = ", ".join(s.name for s in data.sources) or "the file"
            self.show_message(f"Nothing was imported: {names} has no valid rows.")
            return
        if data.rejected:
            dialog = RejectedRowsDialog(data, self)
            dialog.accepted.connect(lambda: self._confirm_replace(data))
            dialog.rejected.connect(lambda: self.show_message("Import cancelled: nothing was changed.", error=False))
            self.rejected_dialog = dialog
            dialog.open()
            return
        self._confirm_replace(data)

    def _confirm_replace(self, data: LeadData) -> None:
        info = self.info()
        if info is None:
            self.store(data)
            return
        old = ", ".join(s.name for s in info.sources)
        new = ", ".join(s.name for s in data.sources)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the historical leads",
            f"This revision has {info.rows:,} leads from {old}, imported "
            f"{local_time(info.imported_at)}.\n\nReplace them with the "
            f"{data.table.num_rows:,} leads from {new}?",
            parent=self,
        )
        self.replace_button = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.pending = data

        def answered(button: QAbstractButton) -> None:
            if button is self.replace_button:
                self.store(data)
            else:
                self.show_message("Import cancelled: the earlier leads were kept.", error=False)
            self.pending = None

        box.buttonClicked.connect(answered)
        self.confirm_box = box
        box.open()

    def store(self, data: LeadData) -> bool:
        """Store `data` as the revision's leads (one transaction), and show it."""
        if data.imported_at is None:
            data.imported_at = dt.datetime.now(dt.UTC)
        problem = self.session.replace_leads(data)
        if problem is not None:
            self.show_message(f"Nothing was imported. {problem}")
            return False
        self.refresh()
        rows = data.table.num_rows
        self.show_message(f"Imported {rows:,} {'lead' if rows == 1 else 'leads'}.", error=False)
        return True
