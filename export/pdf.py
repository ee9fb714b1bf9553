"""The PDF definitions document: what the room agreed, in a form an executive signs and
anyone who was not in the room can read (reportlab platypus, no Qt).

    write_pdf(content, "definitions.pdf", paper="a4")      or paper="letter"

    cover            organisation, workshop, revision, date; DRAFT on every page of an
                     unsigned revision, or the signers, their signing times and the
                     revision's content hash (SHA-256)
    contents         with page numbers
    sections         team and targets · funnel stages · vocabulary · scoring model ·
                     threshold check (three vector charts, figures, recommendation, bands,
                     rule diagnostics) · shared KPIs and SLA · decisions and parking lot ·
                     changes since the previous revision (when known) · data provenance

Every page carries the workshop and revision in its header and "page n of N" in its footer;
each section and subsection is a bookmark in the PDF outline; text is real text in an
embedded TrueType font (DejaVu Sans when the system has it, so ≥, −, ×, “ ” and names like
Zürich or São Paulo print; Helvetica otherwise, with those characters spelled in ASCII);
tables split across pages with their header row repeated.

The document is laid out in memory and written under a temporary name that is renamed onto
`path` only when it is whole; on Cancel (ExportCancelled) or an error no file is left.

The modules, from the page to the words:

    pdf_fonts        DejaVu Sans or Helvetica, registered once (find_fonts, FONT_DIRS)
    pdf_style        colours and paragraph styles
    pdf_text         plain text as markup; moments, days, numbers, money as printed
    pdf_document     the page template: header, footer, page n of N, outline, watermark
    pdf_tables       tables that split across pages; columns that cut no word
    pdf_builder      the primitives a section is built with (Builder)
    pdf_cover · pdf_definitions · pdf_scoring · pdf_check · pdf_provenance
                     the cover, contents and sections; pdf_charts draws the check's charts
"""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.platypus import Flowable

from export.content import PAPERS, ExportContent, report
from export.pdf_builder import Builder
from export.pdf_check import threshold_check
from export.pdf_cover import contents, cover
from export.pdf_definitions import changes, decisions, kpis, stages, team, vocabulary
from export.pdf_document import PAGE_SIZES, DocumentTemplate, PageCounter
from export.pdf_fonts import FONT_DIRS, find_fonts
from export.pdf_provenance import provenance
from export.pdf_scoring import scoring
from models.leads.types import Progress
from models.store import written_in_place_of

__all__ = ["write_pdf", "render_pdf", "find_fonts", "FONT_DIRS"]


def _story(b: Builder, doc: DocumentTemplate) -> list[Flowable]:
    """The whole document, section by section: the outline and the contents number the
    sections in this order."""
    b.add(PageCounter(doc))
    b.step(0.02, "Writing the cover\u2026")
    cover(b)
    contents(b)
    b.step(0.05, "Writing the definitions\u2026")
    team(b)
    stages(b)
    vocabulary(b)
    scoring(b)
    b.step(0.1, "Drawing the threshold check\u2026")
    threshold_check(b)
    b.step(0.16, "Writing the KPIs, decisions and provenance\u2026")
    kpis(b)
    decisions(b)
    if b.c.changes is not None:
        changes(b)
    provenance(b)
    return b.story


def render_pdf(content: ExportContent, paper: str = "a4", progress: Progress | None = None) -> bytes:
    """The document as PDF bytes (laid out in memory)."""
    key = (paper or "").strip().lower()
    if key not in PAGE_SIZES:
        raise ValueError(f"unknown paper {paper!r}: choose one of {', '.join(PAPERS)}")
    fonts = find_fonts()
    buffer = io.BytesIO()
    doc = DocumentTemplate(buffer, content, fonts, PAGE_SIZES[key], progress)
    story = _story(Builder(content, fonts, doc.width, doc.height, progress), doc)
    doc.flowables_per_pass = max(len(story), 1)
    report(progress, 0.2, "Laying out the pages\u2026")
    doc.multiBuild(story, maxPasses=6)
    return buffer.getvalue()


def write_pdf(content: ExportContent, path: Path | str, paper: str = "a4", progress: Progress | None = None) -> None:
    """Write the definitions document to `path` (paper "a4" or "letter"). The file appears
    only when whole; on ExportCancelled or an error nothing is left behind."""
    report(progress, 0.0, "Writing the definitions document\u2026")
    data = render_pdf(content, paper, progress)
    path = Path(path)
    report(progress, 0.96, f"Saving {path.name}\u2026")
    with written_in_place_of(path) as tmp:
        tmp.write_bytes(data)
    if progress is not None:
        progress.report(1.0, f"Wrote {path.name}")
