"""The PDF preview of the Export step: the definitions document written to a temporary folder
in the background, its pages rendered with PDFium, shown as thumbnails.

When to write a new preview is the page's decision (after a change, once edits pause); this
panel writes the one it is asked for and shows it, and says when it could not.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from models.leads.types import Progress
from widgets.tasks import Task

if TYPE_CHECKING:
    from export.content import ExportContent

THUMB_SCALE = 0.28  # of the page at 72 dpi: an A4 page becomes a 167 × 236 picture

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


class PdfPreview(QWidget):
    """The title, "Update preview", a note on what is shown, and the pages as thumbnails."""

    shown = Signal(int)  # the pages of a new preview are in (their number): the page says what they show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: Task | None = None
        # A folder of its own for the preview files, removed with the widget or, at the latest,
        # when the program ends (TemporaryDirectory's finaliser): Qt does not always tell a
        # Python slot that a widget was destroyed, and the folders were left behind.
        self._temp = tempfile.TemporaryDirectory(prefix="accord-preview-", ignore_cleanup_errors=True)
        self._folder = Path(self._temp.name)
        self._numbers = itertools.count(1)

        self.title = QLabel("PDF preview")
        self.title.setObjectName("upcomingTitle")
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.button = QPushButton("Update preview")
        self.pages = QListWidget()
        self.pages.setObjectName("pdfPages")
        self.pages.setViewMode(QListView.ViewMode.IconMode)
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages.setMovement(QListView.Movement.Static)
        self.pages.setSpacing(8)
        self.pages.setIconSize(QSize(170, 240))
        self.pages.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.button)
        layout.addLayout(head)
        layout.addWidget(self.note)
        layout.addWidget(self.pages, 1)

        temp = self._temp
        self.destroyed.connect(lambda *_: temp.cleanup())

    def cancel(self) -> None:
        """Stop a preview still being written: a newer one is wanted."""
        if self.task is not None and self.task.running:
            self.task.cancel()

    def start(self, content: ExportContent, paper: str) -> None:
        """Write `content` as a PDF on `paper` in the background, then show its pages."""
        # A file per preview: one still being written or read is never overwritten.
        target = self._folder / f"preview-{next(self._numbers)}.pdf"

        def work(progress: Progress) -> list[bytes]:
            from export.pdf import write_pdf

            write_pdf(content, target, paper=paper, progress=progress)
            try:
                return render_thumbnails(target)
            finally:
                target.unlink(missing_ok=True)

        self.button.setEnabled(False)
        self.note.setText("Writing the preview\u2026")
        task = Task(work, self)
        task.finished.connect(self._show_pages)
        task.failed.connect(self._failed)
        task.cancelled.connect(lambda: self.button.setEnabled(True))
        self.task = task
        task.start()

    def _show_pages(self, pictures: list[bytes]) -> None:
        self.pages.clear()
        for number, data in enumerate(pictures, start=1):
            pixmap = QPixmap()
            pixmap.loadFromData(data, "PNG")
            item = QListWidgetItem(QIcon(pixmap), f"page {number}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addItem(item)
        self.button.setEnabled(True)
        self.shown.emit(len(pictures))

    def _failed(self, message: str) -> None:
        self.button.setEnabled(True)
        self.note.setText(f"The preview could not be made: {message}")
