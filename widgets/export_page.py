"""Export step: what leaves the room.

    the PDF definitions document (paper A4 or US Letter), with thumbnails of its pages
    the Excel scoring workbook (how many leads go into its Lead Scorer sheet)
    the definitions JSON (with the threshold-check figures, if the revision has leads)

Each file is listed with what it contains. "Export" writes the chosen files into the chosen
folder in the background, with progress and Cancel; a file is written under a temporary name
and renamed into place only when it is whole. The files written can be opened in the
system's default application. The preview is a PDF written to a temporary folder in the
background whenever the step is shown after a change, its pages rendered with PDFium.

The page holds the choices and runs the export; a file's row (`export_file_row`), the
preview (`pdf_preview`) and the list of files written (`written_files`) are their own
modules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.leads.types import Progress
from widgets.check_keeper import CheckState
from widgets.export_file_row import FileRow
from widgets.pdf_preview import PdfPreview
from widgets.session import WorkshopSession
from widgets.settings import settings
from widgets.style import mark_primary
from widgets.tasks import BAR_STEPS, Task
from widgets.written_files import WrittenFiles

if TYPE_CHECKING:
    from export.content import ExportContent

PAPERS = (("a4", "A4"), ("letter", "US Letter"))
PDF_CONTENTS = (
    "Cover: DRAFT on every page until signed, then the signers and the content hash",
    "Team and targets · funnel stages · vocabulary · scoring model",
    "Threshold check: charts, figures, recommended threshold, bands, what predicts",
    "Shared KPIs and SLA · decisions · changes since the last revision · data provenance",
)
PREVIEW_DELAY_MS = 1500
MAX_LEADS = 10_000  # in the workbook's Lead Scorer sheet, until the user chooses


def safe_name(text: str) -> str:
    """A file name from a workshop's name and revision label."""
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text).strip().strip(".")
    return re.sub(r"\s+", " ", text) or "Accord export"


class ExportPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: Task | None = None
        self.written: list[Path] = []
        self._preview_stale = True

        intro = QLabel(
            "The definitions the company works by until the next revision. Choose the files and "
            "where they go, then export."
        )
        intro.setWordWrap(True)

        self.pdf_row = FileRow("PDF definitions document", "pdf", PDF_CONTENTS)
        self.paper = QComboBox()
        self.paper.setObjectName("paper")
        for key, label in PAPERS:
            self.paper.addItem(label, key)
        saved = settings().value("export/paper", "a4")
        self.paper.setCurrentIndex(max(self.paper.findData(saved), 0))
        self.paper.currentIndexChanged.connect(self._paper_changed)
        self.pdf_row.options.addWidget(QLabel("Paper:"))
        self.pdf_row.options.addWidget(self.paper)
        self.pdf_row.options.addStretch(1)

        self.xlsx_row = FileRow("Excel scoring workbook", "xlsx", ())
        self.max_leads = QSpinBox()
        self.max_leads.setObjectName("maxLeads")
        self.max_leads.setRange(0, 1_000_000)
        self.max_leads.setSingleStep(1000)
        self.max_leads.setGroupSeparatorShown(True)
        saved_leads = settings().value("export/max_leads", MAX_LEADS)
        # An INI file gives the number back as text.
        self.max_leads.setValue(int(saved_leads) if isinstance(saved_leads, (int, str)) else MAX_LEADS)
        self.max_leads.valueChanged.connect(self._max_leads_changed)
        self.xlsx_row.options.addWidget(QLabel("Leads in Lead Scorer, at most:"))
        self.xlsx_row.options.addWidget(self.max_leads)
        self.xlsx_row.options.addStretch(1)

        self.json_row = FileRow("Definitions JSON", "json", ())
        self.json_figures = QCheckBox("with the threshold-check figures")
        self.json_figures.setChecked(True)
        self.json_row.options.addWidget(self.json_figures)
        self.json_row.options.addStretch(1)

        self.folder = QLineEdit()
        self.folder.setObjectName("exportFolder")
        self.choose_folder = QPushButton("Choose\u2026")
        self.choose_folder.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Save to:"))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose_folder)

        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("exportButton")
        mark_primary(self.export_button)
        self.export_button.clicked.connect(self.start_export)
        self.progress = QProgressBar()
        self.progress.setRange(0, BAR_STEPS)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_export)
        self.cancel_button.hide()
        action_row = QHBoxLayout()
        action_row.addWidget(self.export_button)
        action_row.addWidget(self.progress, 1)
        action_row.addWidget(self.cancel_button)
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        self.results = WrittenFiles()

        left = QVBoxLayout()
        left.addWidget(intro)
        for row in (self.pdf_row, self.xlsx_row, self.json_row):
            left.addWidget(row)
        left.addStretch(1)

        self.preview = PdfPreview()
        self.preview.button.clicked.connect(self.update_preview)
        self.preview.shown.connect(self._on_preview_shown)
        # The preview's thumbnails and its note, which says what they show.
        self.pages, self.preview_note = self.preview.pages, self.preview.note

        # The choices scroll when the window is short (presentation type): nothing is squeezed.
        left_box = QWidget()
        left_box.setLayout(left)
        scroll = QScrollArea()
        scroll.setObjectName("exportChoices")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(left_box)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.VLine)
        # Where and Export stay in view below the choices.
        left_outer = QVBoxLayout()
        left_outer.addWidget(scroll, 1)
        left_outer.addLayout(folder_row)
        left_outer.addLayout(action_row)
        left_outer.addWidget(self.status)
        left_outer.addWidget(self.results)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left_outer, 3)
        layout.addWidget(line)
        layout.addWidget(self.preview, 2)

        # After a change the preview is written again once edits pause (not per keystroke).
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.update_preview)
        session.edited.connect(self._on_changed)
        session.revisionChanged.connect(self._on_changed)
        session.leadsReplaced.connect(self._on_changed)
        session.check.changed.connect(self._on_check)
        session.check.building.connect(lambda _rows: self._on_check())
        session.check.stopped.connect(lambda _message: self._on_check())
        self.refresh()

    # -- what the files are ---------------------------------------------------------
    def refresh(self) -> None:
        document = self.session.document
        defs = self.session.defs
        stem = safe_name(f"{defs.team.workshop_name or 'Accord'} {document.revision.label}")
        for row in (self.pdf_row, self.xlsx_row, self.json_row):
            if not row.name.isModified():
                row.name.setText(f"{stem}.{row.suffix}")
        if not self.folder.text():
            self.folder.setText(str(self._default_folder()))
        info = document.leads_info()
        rows = info.rows if info is not None else 0
        written = min(rows, self.max_leads.value())
        lead_line = (
            f"Lead Scorer: {written:,} of the {rows:,} imported leads with their attributes, one "
            "formula column per rule, fit, engagement, score and hand-off; paste new leads below"
            if rows
            else "Lead Scorer: empty rows to paste leads into (this revision has no imported leads)"
        )
        self.xlsx_row.set_lines(
            [
                "README: how to use it · Definitions: stages and glossary",
                f"Scoring Model: the {len(defs.rules)} rules as editable cells · Settings: threshold, minimum fit, "
                "targets and capacity as named cells",
                lead_line,
                "Calibration: the threshold table and a line chart · Sign-off: the signers and the content hash",
            ]
        )
        self.json_row.set_lines(
            [
                "Every definition in a documented, versioned format: for version control, or to start a new "
                "workshop from it",
                "With the figures of the threshold check at the agreed threshold"
                if rows
                else "No threshold-check figures: this revision has no imported leads",
            ]
        )
        self.json_figures.setEnabled(bool(rows))
        state = "signed" if document.locked else "a draft: the PDF carries a DRAFT watermark on every page"
        self.preview_note.setText(
            f"Revision {document.revision.label} is {state}."
            + (" The definitions changed since this preview." if self._preview_stale and self.pages.count() else "")
        )

    def _default_folder(self) -> Path:
        from models.demo import is_demo_copy

        path = self.session.document.path
        if is_demo_copy(path):
            from PySide6.QtCore import QStandardPaths

            documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            return Path(documents) if documents and Path(documents).is_dir() else Path.home()
        return path.parent

    def _scoring(self) -> bool:
        """Whether the session's threshold check is still being built (the files wait for it)."""
        return self.session.check.state == CheckState.BUILDING

    def _on_check(self) -> None:
        if self.task is None:
            self.export_button.setEnabled(not self._scoring())
        self._on_changed()

    def _on_changed(self, *_: Any) -> None:
        self._preview_stale = True
        self.refresh()
        if self.isVisible():
            self.preview_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._preview_stale:
            self.update_preview()

    def _paper_changed(self) -> None:
        settings().setValue("export/paper", self.paper.currentData())
        self._preview_stale = True
        if self.isVisible():
            self.update_preview()

    def _max_leads_changed(self, value: int) -> None:
        settings().setValue("export/max_leads", value)
        self.refresh()

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _content(self, max_leads: int) -> ExportContent:
        """A frozen report of the workshop as it is now, taken here on the GUI thread: the
        files are written from it on a worker thread while the room goes on editing."""
        from export.content import ExportContent

        return ExportContent.build(self.session.document, self.session.check.check, max_leads=max_leads)

    # -- preview -------------------------------------------------------------------
    def update_preview(self) -> None:
        self.preview.cancel()
        if self._scoring():
            self._preview_stale = True  # written once the leads are scored (`_on_check`)
            self.preview_note.setText("Waiting for the threshold check: the historical leads are being scored…")
            return
        content = self._content(max_leads=0)  # the PDF has no lead rows
        self._preview_stale = False
        self.preview.start(content, self.paper.currentData())

    def _on_preview_shown(self, pages: int) -> None:
        self.refresh()
        self.preview_note.setText(self.preview_note.text() + f" The document has {pages} pages.")

    # -- export --------------------------------------------------------------------
    def chosen(self) -> list[tuple[str, Path]]:
        folder = Path(self.folder.text().strip() or ".")
        return [
            (row.suffix, folder / row.file_name())
            for row in (self.pdf_row, self.xlsx_row, self.json_row)
            if row.enabled.isChecked()
        ]

    def start_export(self) -> None:
        files = self.chosen()
        if not files:
            self.status.setText("Tick at least one file to export.")
            return
        if self._scoring():
            self.status.setText("The historical leads are still being scored: export once the threshold check is done.")
            return
        folder = files[0][1].parent
        if not folder.is_dir():
            self.status.setText(f"The folder {folder} does not exist: choose another one.")
            return
        content = self._content(max_leads=self.max_leads.value())
        paper, with_figures = self.paper.currentData(), self.json_figures.isChecked()

        def work(progress: Progress) -> list[Path]:
            from models.leads.importer import SubProgress

            done: list[Path] = []
            for k, (kind, path) in enumerate(files):
                part = SubProgress(progress, k / len(files), (k + 1) / len(files))
                if kind == "pdf":
                    from export.pdf import write_pdf

                    write_pdf(content, path, paper=paper, progress=part)
                elif kind == "xlsx":
                    from export.workbook import write_workbook

                    write_workbook(content, path, progress=part)
                else:
                    from export.json_export import write_json

                    write_json(content, path, with_check=with_figures, progress=part)
                done.append(path)
            return done

        self._clear_results()
        self.export_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.cancel_button.setEnabled(True)
        self.status.setText("Exporting\u2026")
        task = Task(work, self)
        task.progressed.connect(self._on_progress)
        task.finished.connect(self._on_exported)
        task.failed.connect(self._on_failed)
        task.cancelled.connect(self._on_cancelled)
        self.task = task
        task.start()

    def cancel_export(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling\u2026 no half-written file is left.")

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * BAR_STEPS))
        if message:
            self.status.setText(message)

    def _finish(self) -> None:
        self.task = None
        self.export_button.setEnabled(not self._scoring())
        self.progress.hide()
        self.cancel_button.hide()

    def _on_exported(self, paths: list[Path]) -> None:
        self._finish()
        self.written = list(paths)
        self.status.setText(f"Exported {len(paths)} file{'s' if len(paths) != 1 else ''} to {paths[0].parent}:")
        self.results.show_files(paths)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.status.setText(f"The export failed: {message}. Nothing was left half-written.")

    def _on_cancelled(self) -> None:
        self._finish()
        self.status.setText("Cancelled. Files already finished before Cancel are kept; none is half-written.")

    def _clear_results(self) -> None:
        self.results.clear()
        self.written = []
