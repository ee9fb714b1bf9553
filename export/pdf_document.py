"""The page layout of the PDF definitions document (reportlab platypus, no Qt): the document
template that lays the story out on A4 or Letter pages.

Every page carries the workshop and revision in its header and "page n of N" in its footer
(the layout is repeated until N is the real count), an unsigned revision a DRAFT watermark;
each `Heading` becomes a bookmark in the PDF outline and a line in the contents; progress is
reported, and Cancel honoured, while the pages are laid out.
"""

from __future__ import annotations

import io
import math
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from export.content import ExportContent, report
from export.pdf_fonts import Fonts
from export.pdf_style import ACCENT, INK, MUTED, RULE, WATERMARK
from export.pdf_text import fitting_prefix, fmt_when
from models.leads.types import Progress

PAGE_SIZES = {"a4": A4, "letter": LETTER}


class Heading(Paragraph):
    """A section (level 0) or subsection (level 1) title: a bookmark in the outline and a
    line in the contents."""

    def __init__(self, markup: str, style: ParagraphStyle, level: int, title: str, key: str) -> None:
        super().__init__(markup, style)
        self.level = level
        self.outline_title = title
        self.key = key


class PageCounter(Flowable):
    """An invisible 'indexing' flowable: multiBuild repeats the layout until the page count
    printed in the footers ("page n of N") is the count the layout really has."""

    def __init__(self, doc: DocumentTemplate) -> None:
        super().__init__()
        self.doc = doc
        self._satisfied = False

    def isIndexing(self) -> int:
        return 1

    def beforeBuild(self) -> None:
        self.doc.pages_laid_out = 0

    def afterBuild(self) -> None:
        self._satisfied = self.doc.total_pages == self.doc.pages_laid_out
        self.doc.total_pages = self.doc.pages_laid_out

    def isSatisfied(self) -> bool:
        return self._satisfied

    def notify(self, kind: str, stuff: Any) -> None:
        pass

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class DocumentTemplate(BaseDocTemplate):
    """The definitions document on `pagesize` pages: a cover page template and a body one, both
    with the page furniture."""

    def __init__(
        self,
        buffer: io.BytesIO,
        content: ExportContent,
        fonts: Fonts,
        pagesize: tuple[float, float],
        progress: Progress | None,
    ) -> None:
        self.content = content
        self.fonts = fonts
        self.progress = progress
        self.total_pages: int | None = None
        self.pages_laid_out = 0
        self.passes = 0
        self.flowables_done = 0
        self.flowables_per_pass = 1
        self.fraction = 0.2
        team = content.defs.team
        super().__init__(
            buffer,
            pagesize=pagesize,
            leftMargin=24 * mm,
            rightMargin=24 * mm,
            topMargin=27 * mm,
            bottomMargin=24 * mm,
            title=f"{content.title} \u2014 revision {content.revision.label}",
            author=team.organisation or team.facilitator or "",
            subject="Sales and marketing definitions",
            creator="Accord",
            keywords=["lead definitions", "lead scoring", content.revision.label],
            lang="en",
            initialFontName=fonts.regular,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate("cover", [frame], onPage=self._on_cover, onPageEnd=self._on_page_end),
                PageTemplate("body", [frame], onPage=self._on_body, onPageEnd=self._on_page_end),
            ]
        )

    # -- passes, progress, outline --------------------------------------------------
    def handle_documentBegin(self) -> None:
        self.passes += 1
        self.flowables_done = 0
        super().handle_documentBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        self.flowables_done += 1
        if self.flowables_done % 8 == 0:
            within = min(self.flowables_done / self.flowables_per_pass, 1.0)
            self.fraction = max(self.fraction, 0.2 + 0.72 * min((self.passes - 1 + within) / 2.0, 1.0))
            report(self.progress, self.fraction, f"Laying out page {self.page}\u2026")
        if isinstance(flowable, Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(
                self.fonts.txt(flowable.outline_title),
                flowable.key,
                level=flowable.level,
                closed=flowable.level == 0 or None,
            )
            self.notify(
                "TOCEntry", (flowable.level, escape(self.fonts.txt(flowable.outline_title)), self.page, flowable.key)
            )

    def afterPage(self) -> None:
        self.pages_laid_out = self.page

    # -- page furniture -------------------------------------------------------------
    def _page_number(self, canvas: Canvas) -> None:
        total = self.total_pages if self.total_pages else "?"
        canvas.drawRightString(
            self.pagesize[0] - self.rightMargin, 13 * mm, f"page {canvas.getPageNumber()} of {total}"
        )

    def _footer(self, canvas: Canvas) -> None:
        f = self.fonts
        c = self.content
        width, _height = self.pagesize
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.leftMargin, 17 * mm, width - self.rightMargin, 17 * mm)
        canvas.setFont(f.regular, 7.5)
        canvas.setFillColor(MUTED)
        if c.signed and c.revision.content_hash:
            left = f"Content hash (SHA-256) {c.revision.content_hash}"
        else:
            left = f"{c.file_name} \u00b7 generated {fmt_when(c.generated_at)}"
        canvas.drawString(self.leftMargin, 13 * mm, _fit(f.txt(left), f.regular, 7.5, self.width - 60))
        canvas.setFont(f.bold, 7.5)
        canvas.setFillColor(INK)
        self._page_number(canvas)

    def _on_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        width, height = self.pagesize
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
        c = self.content
        canvas.setFillColor(colors.white)
        canvas.setFont(self.fonts.bold, 8)
        status = f"Revision {c.revision.label} \u00b7 " + ("signed" if c.signed else "DRAFT \u2014 not signed")
        canvas.drawRightString(
            width - self.rightMargin, height - 5.8 * mm, _fit(self.fonts.txt(status), self.fonts.bold, 8, self.width)
        )
        self._footer(canvas)
        canvas.restoreState()

    def _on_body(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        f = self.fonts
        c = self.content
        width, height = self.pagesize
        y = height - 15 * mm
        canvas.setFont(f.bold, 8)
        canvas.setFillColor(INK)
        org = c.defs.team.organisation.strip()
        left_room = self.width * 0.62
        title = _fit(f.txt(c.title), f.bold, 8, left_room)
        canvas.drawString(self.leftMargin, y, title)
        if org:
            used = pdfmetrics.stringWidth(title, f.bold, 8)
            canvas.setFont(f.regular, 8)
            canvas.setFillColor(MUTED)
            canvas.drawString(self.leftMargin + used, y, _fit(f.txt(f" \u00b7 {org}"), f.regular, 8, left_room - used))
        status = "signed" if c.signed else "DRAFT \u2014 not signed"
        canvas.setFont(f.regular, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(
            width - self.rightMargin,
            y,
            _fit(f.txt(f"Revision {c.revision.label} \u00b7 {status}"), f.regular, 8, self.width * 0.36),
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(self.leftMargin, y - 3.5 * mm, width - self.rightMargin, y - 3.5 * mm)
        self._footer(canvas)
        canvas.restoreState()

    def _on_page_end(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """The DRAFT watermark, over the page (translucent, so tables do not hide it)."""
        if self.content.signed:
            return
        canvas.saveState()
        width, height = self.pagesize
        canvas.setFillColor(WATERMARK)
        size = min(width, height) * 0.27
        canvas.setFont(self.fonts.bold, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(math.degrees(math.atan2(height, width)) * 0.8)
        canvas.drawCentredString(0, -size * 0.35, "DRAFT")
        canvas.restoreState()


def _fit(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut with an ellipsis to fit `room` points (a header line never overflows).
    Measures only as much of the text as can fit, so a name of 100,000 characters costs no
    more than a short one (cutting one character at a time and measuring the rest again took
    minutes)."""
    n = fitting_prefix(text, font, size, room)
    if n == len(text):
        return text
    ellipsis = "\u2026"
    k = fitting_prefix(text[:n], font, size, room - pdfmetrics.stringWidth(ellipsis, font, size))
    return text[:k].rstrip() + ellipsis
