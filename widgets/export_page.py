"""Export step: what leaves the room.

    the PDF definitions document (paper A4 or US Letter), with thumbnails of its pages
    the Excel scoring workbook (how many leads go into its Lead Scorer sheet)
    the definitions JSON (with the threshold-check figures, if the revision has leads)

Each file is listed with what it contains. "Export" writes the chosen files into the chosen
folder in the background, with progress and Cancel; a file is written under a temporary name
and renamed into place only when it is whole. The files written can be opened in the
system's default application. The preview is a PDF written to a temporary folder in the
background whenever the step is shown after a change, its pages rendered with PDFium.
"""

from __future__ import annotations

import itertools
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from widgets.check_keeper import CheckState
from widgets.session import WorkshopSession
from widgets.settings import settings
from widgets.style import mark_primary
from widgets.tasks import BAR_STEPS, Task

PAPERS = (("a4", "A4"), ("letter", "US Letter"))
PDF_CONTENTS = (
    "Cover: DRAFT on every page until signed, then the signers and the content hash",
    "Team and targets · funnel stages · vocabulary · scoring model",
    "Threshold check: charts, figures, recommended threshold, bands, what predicts",
    "Shared KPIs and SLA · decisions · changes since the last revision · data provenance",
)
PREVIEW_DELAY_MS = 1500
THUMB_SCALE = 0.28  # of the page at 72 dpi: an A4 page becomes a 167 × 236 picture


def safe_name(text: str) -> str:
    """A file name from a workshop's name and revision label."""
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", text).strip().strip(".")
    return re.sub(r"\s+", " ", text) or "Accord export"


# PDFium is not thread-safe: one rendering at a time, whichever task asks (a preview still
# finishing while the next one starts crashed the process).
_PDFIUM = threading.Lock()


def render_thumbnails(pdf: Path, scale: float = THUMB_SCALE) -> list[bytes]:
    """Every page of a PDF as PNG bytes (PDFium; off the GUI thread)."""
    with _PDFIUM:
        return _render(pdf, scale)


def _render(pdf: Path, scale: float) -> list[bytes]:
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        pictures = []
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            pictures.append(buffer.getvalue())
            page.close()
        return pictures
    finally:
        document.close()


class _FileRow(QGroupBox):
    """One file to write: a check box, what it contains, and its name."""

    def __init__(self, title: str, suffix: str, lines: tuple[str, ...] | list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.suffix = suffix
        self.enabled = QCheckBox(title)
        self.enabled.setChecked(True)
        self.enabled.setStyleSheet("font-weight: 600;")
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.contents.setObjectName("hint")
        self.set_lines(lines)
        self.name = QLineEdit()
        self.name.setObjectName(f"name_{suffix}")
        self.options = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.contents)
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel("File name:"))
        name_row.addWidget(self.name, 1)
        layout.addLayout(name_row)
        layout.addLayout(self.options)
        self.enabled.toggled.connect(self.name.setEnabled)

    def set_lines(self, lines: tuple[str, ...] | list[str]) -> None:
        self.contents.setText("\n".join(f"\u2022 {line}" for line in lines))

    def file_name(self) -> str:
        name = self.name.text().strip() or "export"
        return name if name.lower().endswith(f".{self.suffix}") else f"{name}.{self.suffix}"


class ExportPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.task: Task | None = None
        self.preview_task: Task | None = None
        self.written: list[Path] = []
        self._preview_stale = True
        self._preview_dir = Path(tempfile.mkdtemp(prefix="accord-preview-"))
        self._preview_numbers = itertools.count(1)

        intro = QLabel(
            "The definitions the company works by until the next revision. Choose the files and "
            "where they go, then export."
        )
        intro.setWordWrap(True)

        self.pdf_row = _FileRow("PDF definitions document", "pdf", PDF_CONTENTS)
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

        self.xlsx_row = _FileRow("Excel scoring workbook", "xlsx", ())
        self.max_leads = QSpinBox()
        self.max_leads.setObjectName("maxLeads")
        self.max_leads.setRange(0, 1_000_000)
        self.max_leads.setSingleStep(1000)
        self.max_leads.setGroupSeparatorShown(True)
        self.max_leads.setValue(int(settings().value("export/max_leads", 10_000)))
        self.max_leads.valueChanged.connect(self._max_leads_changed)
        self.xlsx_row.options.addWidget(QLabel("Leads in Lead Scorer, at most:"))
        self.xlsx_row.options.addWidget(self.max_leads)
        self.xlsx_row.options.addStretch(1)

        self.json_row = _FileRow("Definitions JSON", "json", ())
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
        self.results = QVBoxLayout()
        results_box = QWidget()
        results_box.setLayout(self.results)

        left = QVBoxLayout()
        left.addWidget(intro)
        for row in (self.pdf_row, self.xlsx_row, self.json_row):
            left.addWidget(row)
        left.addStretch(1)

        self.preview_title = QLabel("PDF preview")
        self.preview_title.setObjectName("upcomingTitle")
        self.preview_note = QLabel()
        self.preview_note.setObjectName("hint")
        self.preview_note.setWordWrap(True)
        self.preview_button = QPushButton("Update preview")
        self.preview_button.clicked.connect(self.update_preview)
        self.pages = QListWidget()
        self.pages.setObjectName("pdfPages")
        self.pages.setViewMode(QListView.ViewMode.IconMode)
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages.setMovement(QListView.Movement.Static)
        self.pages.setSpacing(8)
        self.pages.setIconSize(QSize(170, 240))
        self.pages.setUniformItemSizes(True)
        right = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.preview_title, 1)
        head.addWidget(self.preview_button)
        right.addLayout(head)
        right.addWidget(self.preview_note)
        right.addWidget(self.pages, 1)

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
        left_outer.addWidget(results_box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left_outer, 3)
        layout.addWidget(line)
        layout.addLayout(right, 2)

        # After a change the preview is written again once edits pause (not per keystroke).
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.update_preview)
        preview_dir = self._preview_dir
        self.destroyed.connect(lambda *_: _remove_folder(preview_dir))
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

    def showEvent(self, event: Any) -> None:
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

    def _content(self, max_leads: int) -> Any:
        """A frozen report of the workshop as it is now, taken here on the GUI thread: the
        files are written from it on a worker thread while the room goes on editing."""
        from export.content import ExportContent

        return ExportContent.build(self.session.document, self.session.check.check, max_leads=max_leads)

    # -- preview -------------------------------------------------------------------
    def update_preview(self) -> None:
        if self.preview_task is not None and self.preview_task.running:
            self.preview_task.cancel()
        if self._scoring():
            self._preview_stale = True  # written once the leads are scored (`_on_check`)
            self.preview_note.setText("Waiting for the threshold check: the historical leads are being scored…")
            return
        content = self._content(max_leads=0)  # the PDF has no lead rows
        paper = self.paper.currentData()
        # A file per preview: one still being written or read is never overwritten.
        target = self._preview_dir / f"preview-{next(self._preview_numbers)}.pdf"

        def work(progress: Any) -> list[bytes]:
            from export.pdf import write_pdf

            write_pdf(content, target, paper=paper, progress=progress)
            try:
                return render_thumbnails(target)
            finally:
                target.unlink(missing_ok=True)

        self._preview_stale = False
        self.preview_button.setEnabled(False)
        self.preview_note.setText("Writing the preview\u2026")
        task = Task(work, self)
        task.finished.connect(self._show_pages)
        task.failed.connect(lambda message: self._preview_failed(message))
        task.cancelled.connect(lambda: self.preview_button.setEnabled(True))
        self.preview_task = task
        task.start()

    def _show_pages(self, pictures: list[bytes]) -> None:
        self.pages.clear()
        for number, data in enumerate(pictures, start=1):
            pixmap = QPixmap()
            pixmap.loadFromData(data, "PNG")
            item = QListWidgetItem(QIcon(pixmap), f"page {number}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addItem(item)
        self.preview_button.setEnabled(True)
        self.refresh()
        self.preview_note.setText(self.preview_note.text() + f" The document has {len(pictures)} pages.")

    def _preview_failed(self, message: str) -> None:
        self.preview_button.setEnabled(True)
        self.preview_note.setText(f"The preview could not be made: {message}")

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

        def work(progress: Any) -> list[Path]:
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
        for path in paths:
            row = QHBoxLayout()
            label = QLabel(path.name)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            button = QPushButton("Open")
            button.setObjectName(f"open_{path.suffix.lstrip('.')}")
            button.clicked.connect(lambda _=False, p=path: self.open_file(p))
            row.addWidget(label, 1)
            row.addWidget(button)
            self.results.addLayout(row)
        folder = QPushButton("Show the folder")
        folder.setObjectName("showFolder")
        folder.clicked.connect(lambda: self.open_file(paths[0].parent))
        self.results.addWidget(folder)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self.status.setText(f"The export failed: {message}. Nothing was left half-written.")

    def _on_cancelled(self) -> None:
        self._finish()
        self.status.setText("Cancelled. Files already finished before Cancel are kept; none is half-written.")

    def _clear_results(self) -> None:
        while self.results.count():
            item = self.results.takeAt(0)
            layout = item.layout()
            if layout is not None:
                while layout.count():
                    child = layout.takeAt(0).widget()
                    if child is not None:
                        child.deleteLater()
            elif item.widget() is not None:
                item.widget().deleteLater()
        self.written = []

    def open_file(self, path: Path) -> bool:
        """Open a written file (or the folder) in the system's default application."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _remove_folder(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
