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
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from export.content import PAPERS, ExportContent, report
from export.pdf_charts import ChartStyle, histogram_chart, rates_chart, volume_chart
from models.check import fmt_pct
from models.definitions import DecisionKind, Operator, RuleKind, ScoringRule, TermStatus
from models.scoring import describe_rule, fmt_points
from models.store import written_in_place_of

if TYPE_CHECKING:
    from models.check import BandRow, Figures
    from models.check_report import CheckReport

PAGE_SIZES = {"a4": A4, "letter": LETTER}

# Where DejaVu Sans may be installed; the first folder holding DejaVuSans.ttf wins.
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/dejavu",
    "/opt/homebrew/share/fonts",
    "/Library/Fonts",
    os.path.expanduser("~/Library/Fonts"),
    os.path.expanduser("~/.local/share/fonts"),
    os.path.join(os.environ.get("WINDIR", "C:\\Windows"), "Fonts"),
)

# Colours: the app's ink and accents (widgets/threshold_*.py).
INK = colors.HexColor("#1f2a3a")
ACCENT_HEX = "#1f5fa8"
ACCENT = colors.HexColor(ACCENT_HEX)
MUTED = colors.HexColor("#5b6778")
RULE = colors.HexColor("#d5dbe3")
HEADER_BG = colors.HexColor("#e8edf3")
ZEBRA = colors.HexColor("#f6f8fa")
GOOD, BAD, WARN, GREY = "#1b7f3b", "#c0392b", "#b26a00", "#6b7686"
WATERMARK = colors.Color(0.753, 0.224, 0.169, alpha=0.11)

STEP_TITLES = {
    "team": "Team and targets",
    "stages": "Funnel stages",
    "vocabulary": "Vocabulary",
    "scoring": "Scoring model",
    "leads": "Historical leads",
    "threshold": "Threshold check",
    "kpis": "Shared KPIs and SLA",
    "signoff": "Decisions and sign-off",
    "export": "Export",
}

# Section titles, in order (the outline and the contents list exactly these, numbered).
TEAM, STAGES, VOCABULARY, SCORING, CHECK, KPIS, DECISIONS, CHANGES, PROVENANCE = (
    "Team and targets",
    "Funnel stages",
    "Vocabulary",
    "Scoring model",
    "Threshold check",
    "Shared KPIs and SLA",
    "Decisions and parking lot",
    "Changes since the previous revision",
    "Data provenance",
)


# --------------------------------------------------------------------------- fonts
@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    mono: str
    unicode: bool  # False: the PDF standard fonts, which print only Windows-1252

    def txt(self, text: str) -> str:
        """`text` as this font can print it."""
        return text if self.unicode else plain(text)


# The PDF standard fonts print Windows-1252 only: the characters the app's wording uses
# outside it, spelled in ASCII.
_ASCII = str.maketrans(
    {
        "\u2265": ">=",
        "\u2264": "<=",
        "\u2212": "-",
        "\u2192": "->",
        "\u2190": "<-",
        "\u2082": "2",
        "\u25b8": ">",
        "\u25a0": "#",
        "\u2713": "yes",
        "\u2717": "no",
        "\u2009": " ",
        "\u202f": " ",
        "\u2248": "~",
        "\u2260": "!=",
    }
)


def plain(text: str) -> str:
    text = text.translate(_ASCII)
    return text.encode("cp1252", errors="replace").decode("cp1252")


_FONTS: dict[tuple[str, ...], Fonts] = {}
_FONTS_LOCK = threading.Lock()  # a preview and an export may be written at the same time


def find_fonts(dirs: Sequence[str] | None = None) -> Fonts:
    """DejaVu Sans (regular, bold, oblique, mono) registered with reportlab, from the first
    of `dirs` that has it; the standard Helvetica family when none has."""
    dirs = tuple(FONT_DIRS if dirs is None else dirs)
    with _FONTS_LOCK:
        if dirs not in _FONTS:
            _FONTS[dirs] = _register_fonts(dirs)
        return _FONTS[dirs]


def _register_fonts(dirs: tuple[str, ...]) -> Fonts:
    fonts = Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Courier", unicode=False)
    names = {
        "AccordSans": "DejaVuSans.ttf",
        "AccordSans-Bold": "DejaVuSans-Bold.ttf",
        "AccordSans-Italic": "DejaVuSans-Oblique.ttf",
        "AccordSans-BoldItalic": "DejaVuSans-BoldOblique.ttf",
        "AccordMono": "DejaVuSansMono.ttf",
    }
    for folder in dirs:
        base = Path(folder)
        if not (base / "DejaVuSans.ttf").is_file() or not (base / "DejaVuSans-Bold.ttf").is_file():
            continue
        try:
            for name, file in names.items():
                if name in pdfmetrics.getRegisteredFontNames():
                    continue
                path = base / file
                if not path.is_file():  # a variant missing: fall back to the regular face
                    path = base / ("DejaVuSans-Bold.ttf" if "Bold" in name else "DejaVuSans.ttf")
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(
                "AccordSans",
                normal="AccordSans",
                bold="AccordSans-Bold",
                italic="AccordSans-Italic",
                boldItalic="AccordSans-BoldItalic",
            )
        except Exception:  # noqa: BLE001 - an unreadable font file: try the next folder
            continue
        fonts = Fonts("AccordSans", "AccordSans-Bold", "AccordSans-Italic", "AccordMono", unicode=True)
        break
    return fonts


# --------------------------------------------------------------------------- styles
class Styles:
    def __init__(self, fonts: Fonts) -> None:
        f = fonts
        s = ParagraphStyle
        self.body = s(
            "body",
            fontName=f.regular,
            fontSize=9.5,
            leading=13.5,
            textColor=INK,
            spaceAfter=6,
            allowWidows=0,
            allowOrphans=0,
        )
        self.lead = s(
            "lead", parent=self.body, fontSize=10.5, leading=15, textColor=colors.HexColor("#3c4858"), spaceAfter=12
        )
        self.note = s("note", parent=self.body, fontSize=8, leading=11, textColor=MUTED, spaceBefore=2, spaceAfter=8)
        self.h1 = s("h1", fontName=f.bold, fontSize=19, leading=24, textColor=INK, spaceAfter=4, keepWithNext=1)
        self.h2 = s(
            "h2", fontName=f.bold, fontSize=12, leading=16, textColor=INK, spaceBefore=14, spaceAfter=6, keepWithNext=1
        )
        self.h3 = s(
            "h3", fontName=f.bold, fontSize=9.5, leading=13, textColor=INK, spaceBefore=8, spaceAfter=2, keepWithNext=1
        )
        self.cell = s("cell", fontName=f.regular, fontSize=8, leading=10.4, textColor=INK)
        self.cell_right = s("cellR", parent=self.cell, alignment=TA_RIGHT)
        self.cell_mono = s("cellM", parent=self.cell, fontName=f.mono, fontSize=7.6)
        self.head = s(
            "head", parent=self.cell, fontName=f.bold, fontSize=7.6, leading=9.6, textColor=colors.HexColor("#2b3646")
        )
        self.head_right = s("headR", parent=self.head, alignment=TA_RIGHT)
        self.label = s("label", parent=self.cell, fontName=f.bold, fontSize=8, textColor=MUTED)
        self.value = s("value", parent=self.cell, fontSize=8.6, leading=11.4)
        self.kicker = s("kicker", fontName=f.bold, fontSize=9, leading=12, textColor=ACCENT)
        self.org = s("org", fontName=f.regular, fontSize=15, leading=20, textColor=MUTED, spaceBefore=6)
        self.title = s("title", fontName=f.bold, fontSize=28, leading=34, textColor=INK, spaceBefore=4, spaceAfter=14)
        self.hash = s("hash", fontName=f.mono, fontSize=9, leading=12, textColor=INK)
        self.toc0 = s(
            "toc0",
            fontName=f.bold,
            fontSize=10.5,
            leading=14,
            textColor=INK,
            leftIndent=18,
            firstLineIndent=-18,
            spaceBefore=7,
        )
        self.toc1 = s(
            "toc1",
            fontName=f.regular,
            fontSize=9,
            leading=12,
            textColor=colors.HexColor("#3c4858"),
            leftIndent=42,
            firstLineIndent=-24,
            spaceBefore=1,
        )


# --------------------------------------------------------------------------- text
class Text:
    """Markup from plain text, printable in the document's font."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts

    def __call__(self, text: Any) -> str:
        """Plain text as paragraph markup: escaped, line breaks kept."""
        value = "" if text is None else str(text)
        return escape(self.fonts.txt(value)).replace("\r\n", "\n").replace("\n", "<br/>")

    def coloured(self, text: str, colour: str, bold: bool = True) -> str:
        inner = f"<b>{self(text)}</b>" if bold else self(text)
        return f'<font color="{colour}">{inner}</font>'


def _when(value: str | dt.datetime | None) -> str:
    """A moment as the document shows it: 24 November 2026, 18:15 UTC."""
    if value is None or value == "":
        return "\u2014"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{value.day} {value:%B %Y, %H:%M} UTC"


def _day(value: dt.date | dt.datetime | str | None) -> str:
    if value is None or value == "":
        return "\u2014"
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{value.day} {value:%B %Y}"


def _num(value: float, digits: int = 1) -> str:
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{digits}f}"
    return text.replace("-", "\u2212")


def _size(n: int) -> str:
    for limit, unit in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "kB")):
        if n >= limit:
            return f"{n / limit:,.1f} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


def _money(value: float, currency: str) -> str:
    return f"{currency} {value:,.0f}".strip()


def _hours(hours: float | None) -> str:
    if hours is None:
        return "\u2014"
    text = f"{hours:g} h"
    if hours >= 48 and hours % 24 == 0:
        text += f" ({hours / 24:g} days)"
    return text


def _plural(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


# --------------------------------------------------------------------------- flowables
class Heading(Paragraph):
    """A section (level 0) or subsection (level 1) title: a bookmark in the outline and a
    line in the contents."""

    def __init__(self, markup: str, style: ParagraphStyle, level: int, title: str, key: str) -> None:
        super().__init__(markup, style)
        self.level = level
        self.outline_title = title
        self.key = key


class _PageCounter(Flowable):
    """An invisible 'indexing' flowable: multiBuild repeats the layout until the page count
    printed in the footers ("page n of N") is the count the layout really has."""

    def __init__(self, doc: _Document) -> None:
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


class _Swatch(Flowable):
    """A small filled square (a score band's colour)."""

    def __init__(self, colour: str, size: float = 8) -> None:
        super().__init__()
        self.colour = colour
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        try:
            fill = colors.HexColor(self.colour)
        except (ValueError, TypeError):
            fill = colors.HexColor(GREY)
        self.canv.setFillColor(fill)
        self.canv.setStrokeColor(fill)
        self.canv.rect(0, 0, self.size, self.size, stroke=0, fill=1)


class _Table(Table):
    """A table that splits between rows, and inside a row only when that row (with the
    header) is taller than a whole page: a row is never cut just to fill the end of a page."""

    page_height: float = 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.splitInRow = 0
        parts = super().split(availWidth, availHeight)
        header = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        heights = self._rowHeights
        rows = len(heights) - header
        if len(parts) == 2 and rows >= 4:
            # No single row left alone at the foot of a page, or at the head of the next one.
            first = len(parts[0]._cellvalues) - header  # noqa: SLF001 - reportlab keeps a split's rows only there
            second = len(parts[1]._cellvalues) - header  # noqa: SLF001
            if first <= 1 and availHeight < self.page_height / 2:
                return []
            if second == 1:
                parts = super().split(availWidth, availHeight - heights[header + first - 1] - 0.5) or parts
        if not parts and self.page_height:
            if rows > 0 and sum(heights[: header + 1]) > self.page_height:
                self.splitInRow = 1
                parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, _Table):
                part.page_height = self.page_height
        return parts


# --------------------------------------------------------------------------- the document
class _Document(BaseDocTemplate):
    def __init__(
        self, buffer: io.BytesIO, content: ExportContent, fonts: Fonts, pagesize: tuple[float, float], progress: Any
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
    def _page_number(self, canvas: Any) -> None:
        total = self.total_pages if self.total_pages else "?"
        canvas.drawRightString(
            self.pagesize[0] - self.rightMargin, 13 * mm, f"page {canvas.getPageNumber()} of {total}"
        )

    def _footer(self, canvas: Any) -> None:
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
            left = f"{c.file_name} \u00b7 generated {_when(c.generated_at)}"
        canvas.drawString(self.leftMargin, 13 * mm, _fit(f.txt(left), f.regular, 7.5, self.width - 60))
        canvas.setFont(f.bold, 7.5)
        canvas.setFillColor(INK)
        self._page_number(canvas)

    def _on_cover(self, canvas: Any, doc: Any) -> None:
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

    def _on_body(self, canvas: Any, doc: Any) -> None:
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

    def _on_page_end(self, canvas: Any, doc: Any) -> None:
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


def _longest_word(cell: Any) -> float:
    """The width of the longest word of a cell's paragraph: narrower, the word would be cut."""
    if not isinstance(cell, Paragraph):
        return 0.0
    best = 0.0
    for frag in cell.frags:
        for word in str(getattr(frag, "text", "")).split():
            best = max(best, pdfmetrics.stringWidth(word, frag.fontName, frag.fontSize))
    return best


def _fit_columns(data: list[list[Any]], widths: list[float], padding: float) -> list[float]:
    """Column widths close to `widths` (same total) in which no word has to be cut: a column
    too narrow for its longest word takes the room from the columns that have some to spare."""
    total = sum(widths)
    # A word too long for any sensible column (a URL, a hash) is cut anyway: it asks for no more than this.
    most = total * 0.35
    need = [
        min(max((_longest_word(row[k]) for row in data), default=0.0) + padding + 0.5, most) for k in range(len(widths))
    ]
    if sum(need) > total:
        return widths
    out = list(widths)
    for _ in range(4):
        short = sum(max(n - w, 0.0) for n, w in zip(need, out, strict=True))
        if short <= 1e-6:
            break
        spare = [max(w - n, 0.0) for n, w in zip(need, out, strict=True)]
        room = sum(spare)
        if room <= 0:
            break
        take = min(short, room)
        out = [max(w, n) if n > w else w - take * sp / room for w, n, sp in zip(out, need, spare, strict=True)]
    scale = total / sum(out)
    return [w * scale for w in out]


def _fit(text: str, font: str, size: float, room: float) -> str:
    """`text`, cut with an ellipsis to fit `room` points (a header line never overflows)."""
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "\u2026", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# --------------------------------------------------------------------------- the builder
class _Builder:
    """Builds the story (the flowables) of the document from the export content."""

    def __init__(self, content: ExportContent, fonts: Fonts, width: float, height: float, progress: Any) -> None:
        self.c = content
        self.defs = content.defs
        self.fonts = fonts
        self.st = Styles(fonts)
        self.t = Text(fonts)
        self.width = width
        self.height = height
        self.progress = progress
        self.story: list[Flowable] = []
        self.section_no = 0
        self.sub_no = 0

    # -- helpers -------------------------------------------------------------------
    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(markup, style or self.st.body)

    def section(self, title: str, intro: str) -> None:
        """A new page, the section's numbered title (a bookmark), and the one sentence that
        says what the section is."""
        self.section_no += 1
        self.sub_no = 0
        number = str(self.section_no)
        self.add(PageBreak())
        self.add(
            Heading(
                f'<font color="{ACCENT_HEX}">{number}</font>&nbsp;&nbsp;{self.t(title)}',
                self.st.h1,
                0,
                f"{number} {title}",
                f"s{number}",
            )
        )
        rule = HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=2, spaceAfter=10)
        rule.keepWithNext = 1
        self.add(rule)
        self.add(self.p(self.t(intro), self.st.lead))

    def subsection(self, title: str, keep: Sequence[Flowable] = ()) -> None:
        """A numbered subsection title (a bookmark), kept on one page with `keep`, if given."""
        self.sub_no += 1
        number = f"{self.section_no}.{self.sub_no}"
        heading = Heading(
            f'<font color="{ACCENT_HEX}">{number}</font>&nbsp;&nbsp;{self.t(title)}',
            self.st.h2,
            1,
            f"{number} {title}",
            f"s{number}",
        )
        self.add(KeepTogether([heading, *keep]) if keep else heading)

    def cell(self, value: Any, style: ParagraphStyle | None = None) -> Flowable:
        if isinstance(value, Flowable):
            return value
        return Paragraph(self.t(value), style or self.st.cell)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        widths: Sequence[float],
        right: Iterable[int] = (),
        extra: Sequence[tuple[Any, ...]] = (),
    ) -> Table:
        """A data table: a header row repeated on every page it spans, text wrapped in its
        cells, thin rules, light zebra rows. `widths` are fractions of the text width;
        `right` the columns aligned right (numbers). Cells may be text, markup Paragraphs or
        flowables."""
        right = set(right)
        data: list[list[Any]] = [
            [Paragraph(self.t(h), self.st.head_right if k in right else self.st.head) for k, h in enumerate(header)]
        ]
        for row in rows:
            data.append([self.cell(v, self.st.cell_right if k in right else self.st.cell) for k, v in enumerate(row)])
        col_widths = _fit_columns(data, [self.width * w / sum(widths) for w in widths], padding=9.0)
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.35, RULE),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("LEFTPADDING", (0, 0), (-1, -1), 4.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4.5),
            ("TOPPADDING", (0, 0), (-1, -1), 3.6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4.6),
            *extra,
        ]
        table = _Table(
            data,
            colWidths=col_widths,
            repeatRows=1,
            style=TableStyle(style),
            hAlign="LEFT",
            spaceBefore=2,
            spaceAfter=10,
        )
        table.page_height = self.height
        return table

    def pairs(self, rows: Sequence[tuple[str, Any]], label_width: float = 0.3) -> Table:
        """A two-column table of labelled values (no header)."""
        data = [
            [
                Paragraph(self.t(label), self.st.label),
                value if isinstance(value, Flowable) else Paragraph(value, self.st.value),
            ]
            for label, value in rows
        ]
        table = _Table(
            data,
            colWidths=[self.width * label_width, self.width * (1 - label_width)],
            hAlign="LEFT",
            spaceBefore=2,
            spaceAfter=10,
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
                    ("LINEABOVE", (0, 0), (-1, 0), 0.35, RULE),
                    ("LEFTPADDING", (0, 0), (-1, -1), 4.5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4.5),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            ),
        )
        table.page_height = self.height
        return table

    def none(self, text: str) -> None:
        self.add(self.p(self.t(text), self.st.note))

    def step(self, fraction: float, message: str) -> None:
        report(self.progress, fraction, message)

    # -- the whole -----------------------------------------------------------------
    def build(self, doc: _Document) -> list[Flowable]:
        self.add(_PageCounter(doc))
        self.step(0.02, "Writing the cover\u2026")
        self.cover()
        self.contents()
        self.step(0.05, "Writing the definitions\u2026")
        self.team()
        self.stages()
        self.vocabulary()
        self.scoring()
        self.step(0.1, "Drawing the threshold check\u2026")
        self.threshold()
        self.step(0.16, "Writing the KPIs, decisions and provenance\u2026")
        self.kpis()
        self.decisions()
        if self.c.changes is not None:
            self.changes()
        self.provenance()
        return self.story

    # -- cover -----------------------------------------------------------------------
    def cover(self) -> None:
        c, t, st = self.c, self.t, self.st
        team = self.defs.team
        rev = c.revision
        self.add(Spacer(1, self.height * 0.09))
        self.add(self.p("SALES AND MARKETING DEFINITIONS", st.kicker))
        if team.organisation.strip():
            self.add(self.p(t(team.organisation), st.org))
        self.add(self.p(t(c.title), st.title))
        self.add(HRFlowable(width=60, thickness=3, color=ACCENT, hAlign="LEFT", spaceBefore=0, spaceAfter=16))
        if c.signed:
            status = t.coloured(f"Signed and locked{', ' + _when(rev.signed_at) if rev.signed_at else ''}", GOOD)
        else:
            status = t.coloured("Draft \u2014 not yet signed", WARN) + t(
                ": the definitions may still change, and bind both teams once every signer has signed."
            )
        rows: list[tuple[str, Any]] = [
            ("Revision", f"<b>{t(rev.label or '(unlabelled)')}</b>"),
            ("Status", status),
            ("Workshop date", t(_day(team.date))),
        ]
        if team.period.strip():
            rows.append(("Period covered", t(team.period)))
        if team.facilitator.strip():
            rows.append(("Facilitator", t(team.facilitator)))
        rows.append(("Revision created", t(_when(rev.created_at))))
        rows.append(("This copy generated", t(f"{_when(c.generated_at)} from {c.file_name}")))
        self.add(self.pairs(rows, 0.26))

        self.add(self.p("Sign-off", st.h2))
        self.signers_table()
        if rev.content_hash:
            if c.signed:
                self.add(self.p("Content hash (SHA-256 of the signed definitions)", st.h3))
            else:
                self.add(self.p("Content hash of this draft (SHA-256)", st.h3))
            self.add(self.p(t(rev.content_hash), st.hash))
            if not c.signed:
                self.add(self.p(t("It changes with every edit until the revision is signed."), st.note))
            else:
                self.add(
                    self.p(
                        t(
                            "A printed copy matches the workshop file when this hash equals the content "
                            f"hash Accord shows for revision {rev.label}; any change to the definitions "
                            "changes the hash."
                        ),
                        st.note,
                    )
                )
        self.add(NextPageTemplate("body"))

    def signers_table(self) -> None:
        c = self.c
        rev = c.revision
        by_name = {s.signer.strip().casefold(): s for s in rev.signatures}
        rows: list[list[Any]] = []
        seen: set[str] = set()
        for person in self.defs.signers():
            key = person.name.strip().casefold()
            seen.add(key)
            sig = by_name.get(key)
            rows.append(self._signer_row(person.name, person.role or (sig.role if sig else ""), sig))
        for sig in rev.signatures:  # signatures of people no longer marked as signers
            if sig.signer.strip().casefold() not in seen:
                rows.append(self._signer_row(sig.signer, sig.role, sig))
        if not rows:
            self.none("No signers are marked yet: mark them on the Team and targets step.")
            return
        self.add(self.table(("Signer", "Role", "Signed", "Signature"), rows, (0.24, 0.22, 0.26, 0.28)))

    def _signer_row(self, name: str, role: str, sig: Any) -> list[Any]:
        t = self.t
        if sig is None:
            return [
                self.p(f"<b>{t(name)}</b>", self.st.cell),
                role,
                "\u2014",
                self.p(t.coloured("not yet signed", WARN, bold=False), self.st.cell),
            ]
        if sig.valid:
            state = t.coloured("valid", GOOD) + t(": signed these definitions")
        else:
            state = t.coloured("signature does not match", BAD) + t(
                ": it was made for other definitions (an earlier version, or the file was changed)"
            )
        who = f"<b>{t(name)}</b>"
        if sig.statement:
            who += (
                f'<br/><font size="7.2" color="{GREY}">\u201c{t(sig.statement)}\u201d</font>'
                if self.fonts.unicode
                else f'<br/><font size="7.2" color="{GREY}">"{t(sig.statement)}"</font>'
            )
        return [self.p(who, self.st.cell), role, _when(sig.signed_at), self.p(state, self.st.cell)]

    def contents(self) -> None:
        self.add(PageBreak())
        self.add(self.p("Contents", self.st.h1))
        self.add(HRFlowable(width="100%", thickness=0.8, color=RULE, spaceBefore=2, spaceAfter=6))
        toc = TableOfContents(
            levelStyles=[self.st.toc0, self.st.toc1],
            dotsMinLevel=0,
            rightColumnWidth=40,
            tableStyle=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
        )
        self.add(toc)

    # -- sections --------------------------------------------------------------------
    def team(self) -> None:
        t = self.t
        team = self.defs.team
        self.section(
            TEAM,
            "Who took part in the workshop, and what sales asked of marketing: the opportunity "
            "rate it expects from marketing's leads and how many new leads it can follow up each week.",
        )
        self.subsection("Workshop")
        rows: list[tuple[str, Any]] = [
            ("Workshop", t(team.workshop_name)),
            ("Organisation", t(team.organisation or "\u2014")),
            ("Date", t(_day(team.date))),
            ("Facilitator", t(team.facilitator or "\u2014")),
            ("Period the targets cover", t(team.period or "\u2014")),
        ]
        goal = "\u2014" if team.revenue_goal is None else _money(team.revenue_goal, team.currency)
        rows.append(
            (
                "Shared revenue goal",
                t(goal + (f" for {team.period}" if team.period and team.revenue_goal is not None else "")),
            )
        )
        self.add(self.pairs(rows))

        self.subsection("Targets")
        capacity = team.capacity_per_week
        rows = [
            (
                "Baseline opportunity rate",
                t(
                    f"{fmt_pct(team.baseline_rate, 1)} \u2014 what sales achieves "
                    "without marketing (for example by cold calling); marketing's leads "
                    "must beat it"
                ),
            ),
            (
                "Target opportunity rate",
                f"<b>{t(fmt_pct(team.target_rate, 1))}</b>"
                + t(" \u2014 the share of the leads handed to sales that should become opportunities"),
            ),
            (
                "Sales capacity",
                f"<b>{t(_plural(capacity, 'new lead'))} a week</b>"
                + t(
                    f" \u2014 {_plural(team.reps, 'rep')} \u00d7 {team.leads_per_rep_per_week:,} new leads per "
                    "rep per week"
                ),
            ),
            ("Hand-off threshold", t(f"{_num(self.defs.scoring.threshold)} points (see {SCORING})")),
        ]
        self.add(self.pairs(rows))

        self.subsection("Participants")
        people = self.defs.participants
        if not people:
            self.none("No participants were recorded.")
            return
        rows2 = [
            [
                self.p(f"<b>{t(p.name or '(no name)')}</b>", self.st.cell),
                p.role or "\u2014",
                p.team.value,
                "signs" if p.signer else "\u2014",
            ]
            for p in people
        ]
        self.add(self.table(("Name", "Role", "Team", "Sign-off"), rows2, (0.3, 0.36, 0.18, 0.16)))

    def stages(self) -> None:
        t = self.t
        self.section(
            STAGES,
            "The stages a lead moves through from first response to customer, in order: what "
            "each means, what moves a lead in and out of it, which team owns it, and how fast "
            "that team follows up.",
        )
        stages = self.defs.stages
        if not stages:
            self.none("No funnel stages were defined.")
            return
        agreed = sum(s.agreed for s in stages)
        self.add(
            self.p(
                t(
                    f"{agreed} of {len(stages)} stages agreed. The follow-up SLA is the time the owning team "
                    "has to act on a lead entering the stage."
                ),
                self.st.note,
            )
        )
        rows = []
        for k, s in enumerate(stages, start=1):
            definition = t(s.definition or "\u2014")
            if s.examples.strip():
                definition += f'<br/><font color="{GREY}" size="7.2"><i>Example: {t(s.examples)}</i></font>'
            agreed = t.coloured("agreed", GOOD, bold=False) if s.agreed else t.coloured("not yet", WARN, bold=False)
            rows.append(
                [
                    str(k),
                    self.p(f"<b>{t(s.name or '(no name)')}</b>", self.st.cell),
                    self.p(definition, self.st.cell),
                    s.entry_criteria or "\u2014",
                    s.exit_criteria or "\u2014",
                    s.owner.value,
                    _hours(s.sla_hours),
                    self.p(agreed, self.st.cell),
                ]
            )
        self.add(
            self.table(
                ("#", "Stage", "Definition", "Entry criteria", "Exit criteria", "Owner", "Follow-up SLA", "Agreed"),
                rows,
                (0.04, 0.14, 0.23, 0.165, 0.165, 0.105, 0.085, 0.075),
            )
        )

    def vocabulary(self) -> None:
        t = self.t
        self.section(
            VOCABULARY,
            "The words both teams use, with the meaning they agreed, so that a \u201clead\u201d "
            "or a \u201chot lead\u201d means the same thing in sales and in marketing.",
        )
        terms = self.defs.terms
        if not terms:
            self.none("No glossary terms were defined.")
            return
        counts = {s: sum(term.status == s for term in terms) for s in TermStatus}
        disputed = [term.term for term in terms if term.status == TermStatus.DISPUTED]
        line = (
            f"{counts[TermStatus.AGREED]} of {len(terms)} terms agreed, {counts[TermStatus.PROPOSED]} proposed, "
            f"{counts[TermStatus.DISPUTED]} disputed."
        )
        if disputed:
            line += " Still disputed: " + ", ".join(f"\u201c{d}\u201d" for d in disputed) + "."
        self.none(line)
        colour = {TermStatus.AGREED: GOOD, TermStatus.DISPUTED: BAD, TermStatus.PROPOSED: GREY}
        rows = [
            [
                self.p(f"<b>{t(term.term or '(no term)')}</b>", self.st.cell),
                term.definition or "\u2014",
                term.notes or "",
                self.p(t.coloured(term.status.value, colour[term.status], bold=False), self.st.cell),
            ]
            for term in terms
        ]
        self.add(self.table(("Term", "Definition", "Notes", "Status"), rows, (0.2, 0.44, 0.25, 0.11)))

    def scoring(self) -> None:
        t = self.t
        d = self.defs
        s = d.scoring
        self.section(
            SCORING,
            "How a lead's score is computed: fit rules (who the lead is) and behaviour rules (what "
            "the lead did) add or take away points, and a lead whose score reaches the hand-off "
            "threshold goes to sales.",
        )
        self.subsection("Hand-off threshold and score bands")
        rows: list[tuple[str, Any]] = [
            (
                "Hand-off threshold",
                f"<b>{t(_num(s.threshold))} points</b>"
                + t(f": a lead goes to sales when its score is \u2265 {_num(s.threshold)}"),
            ),
            (
                "Minimum fit score",
                t(
                    "none"
                    if s.minimum_fit is None
                    else f"{_num(s.minimum_fit)} points: the fit rules' points must also reach it (a second gate)"
                ),
            ),
        ]
        if any(r.decay_half_life_days for r in d.rules):
            rows.append(
                (
                    "Decay measured to",
                    t(_day(s.as_of_date) if s.as_of_date else f"the workshop date ({_day(d.team.date)})"),
                )
            )
        self.add(self.pairs(rows))
        self.add(
            self.p(
                t(
                    "A lead's score is the sum of the points of every rule it matches. Text compares after "
                    "trimming and ignoring case; a missing value matches only \u201cis empty\u201d and the "
                    "\u201cnot\u201d rules. A count rule adds its points once per occurrence (for example "
                    "per website visit), at most its cap."
                ),
                self.st.note,
            )
        )
        bands = sorted(d.bands, key=lambda b: b.min_score, reverse=True)
        if bands:
            rows3 = []
            for k, band in enumerate(bands):
                upper = bands[k - 1].min_score if k > 0 else None
                scores = (
                    f"{_num(band.min_score)} and above"
                    if upper is None
                    else f"{_num(band.min_score)} to under {_num(upper)}"
                )
                at = (
                    "go to sales"
                    if band.min_score >= s.threshold
                    else ("partly go to sales" if upper is None or upper > s.threshold else "\u2014")
                )
                rows3.append([self._band_name(band.name or f"\u2265 {_num(band.min_score)}", band.colour), scores, at])
            self.add(
                KeepTogether(
                    [
                        self.p(t("Score bands"), self.st.h3),
                        self.table(
                            ("Band", "Scores", f"At the threshold of {_num(s.threshold)} points"),
                            rows3,
                            (0.3, 0.35, 0.35),
                        ),
                        self.p(
                            t("Bands name ranges of the score; a lead scoring below the lowest band is in none."),
                            self.st.note,
                        ),
                    ]
                )
            )
        fit = [r for r in d.rules if r.kind == RuleKind.FIT]
        behaviour = [r for r in d.rules if r.kind == RuleKind.BEHAVIOUR]
        self.subsection("Fit rules")
        if fit:
            self.add(
                self.table(
                    ("Rule", "Condition", "Points", "Decay"),
                    [self._rule_row(r, with_cap=False) for r in fit],
                    (0.3, 0.45, 0.1, 0.15),
                    right=(2,),
                )
            )
        else:
            self.none("No fit rules.")
        self.subsection("Behaviour rules")
        if behaviour:
            self.add(
                self.table(
                    ("Rule", "Condition", "Points", "Cap", "Decay"),
                    [self._rule_row(r, with_cap=True) for r in behaviour],
                    (0.28, 0.38, 0.1, 0.09, 0.15),
                    right=(2, 3),
                )
            )
        else:
            self.none("No behaviour rules.")

    def _band_name(self, name: str, colour: str) -> Flowable:
        inner = Table(
            [[_Swatch(colour), Paragraph(f"<b>{self.t(name)}</b>", self.st.cell)]],
            colWidths=[12, None],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            ),
            hAlign="LEFT",
        )
        return inner

    def _rule_row(self, r: ScoringRule, with_cap: bool) -> list[Any]:
        t = self.t
        label = self.p(f"<b>{t(r.label or describe_rule(r))}</b>", self.st.cell)
        if r.operator == Operator.COUNT:
            condition = f"per occurrence: each {r.field or '?'}"
            points = f"{fmt_points(r.points)} each"
        else:
            condition = describe_rule(r.model_copy(update={"decay_half_life_days": None}))
            arrow = f" \u2192 {fmt_points(r.points)}"
            if condition.endswith(arrow):
                condition = condition[: -len(arrow)]
            points = fmt_points(r.points)
        colour = GOOD if r.points > 0 else (BAD if r.points < 0 else GREY)
        decay = (
            "\u2014"
            if not r.decay_half_life_days
            else f"halves every {r.decay_half_life_days:g} days since {r.decay_date_field or '?'}"
        )
        row: list[Any] = [label, condition, self.p(t.coloured(points, colour), self.st.cell_right)]
        if with_cap:
            row.append("\u2014" if r.cap is None else f"at most {_num(r.cap)}")
        row.append(decay)
        return row

    # -- threshold check --------------------------------------------------------------
    def threshold(self) -> None:
        check = self.c.check
        self.section(
            CHECK,
            "Whether the leads above the hand-off threshold would have become opportunities at the "
            "rate sales asked for, in a volume sales can follow up, judged on the historical leads "
            "imported into the workshop.",
        )
        if check is None:
            if self.c.leads_info is None:
                self.add(
                    self.p(
                        self.t(
                            "There is no lead data in this revision, so the threshold was not checked against history."
                        ),
                        self.st.body,
                    )
                )
            else:
                self.add(self.p(self.t("The threshold check was not included in this export."), self.st.body))
            return
        t = self.t
        threshold = check.threshold
        f = check.figures
        rec = check.recommendation

        self.subsection("Figures at the agreed threshold")
        share = f"{f.passed / f.leads:.0%}" if f.leads else "\u2014"
        self.add(
            self.p(
                t(
                    f"At {_num(threshold)} points, {f.passed:,} of the {f.leads:,} historical leads ({share}) "
                    "would have gone to sales"
                )
                + (t(f"; {f.opportunities:,} of them became opportunities.") if f.passed else t(".")),
                self.st.body,
            )
        )
        other = check.recommended_figures
        weeks = check.weeks
        if weeks is None:
            how = (
                "Leads per week are unknown: the leads have no creation dates and the weeks the history covers "
                "were not entered."
            )
        else:
            source = "as entered in the workshop" if check.weeks_entered else "the span of the leads' creation dates"
            how = (
                f"Leads per week = leads passed \u00f7 {_num(weeks)} weeks of history ({source}). "
                "Coverage = the share of all opportunities in the history that the leads passed include. Lift = "
                "their opportunity rate \u00f7 that of the average lead."
            )
        self.add(KeepTogether([self.figures_table(f, other), self.p(t(how), self.st.note)]))

        if rec.threshold is None:
            said = self.p(f"<b>{t('No recommended threshold.')}</b> {t(rec.reason)}", self.st.body)
        else:
            same = " This is the threshold agreed." if rec.threshold == threshold else ""
            said = self.p(
                f"<b>{t(f'Recommended: {rec.threshold} points')}</b> {t(chr(0x2014))} {t(rec.reason)}{t(same)}",
                self.st.body,
            )
        self.subsection(
            "Recommended threshold",
            keep=[
                said,
                self.p(
                    t(
                        "How it is chosen: the lowest threshold at which the opportunity rate of the leads passed "
                        "reaches the target rate and the leads per week stay within sales capacity."
                    ),
                    self.st.note,
                ),
            ],
        )

        self.charts(check, threshold)

        self.subsection(
            "Score bands",
            keep=[
                self.p(
                    t(
                        "Leads and opportunity rate per score band (the bands of the scoring model): the rate should "
                        "rise band by band."
                    ),
                    self.st.body,
                ),
                self.bands_table(check.bands),
            ],
        )
        self.diagnostics(check)

    def figures_table(self, f: Figures, other: Figures | None) -> Table:
        t = self.t

        def status(ok: bool, good: str, bad: str) -> str:
            return t.coloured(good if ok else bad, GOOD if ok else BAD, bold=False)

        def column(x: Figures) -> dict[str, str]:
            share = f" ({x.passed / x.leads:.1%})" if x.leads else ""
            out = {"passed": t(f"{x.passed:,} of {x.leads:,}{share}")}
            if x.weekly_volume is None:
                out["weekly"] = t("unknown")
            else:
                out["weekly"] = f"<b>{t(_num(round(x.weekly_volume, 1)))}</b> a week \u00b7 " + status(
                    x.volume_ok, "within capacity", "over capacity"
                )
            out["rate"] = (
                t("\u2014 (no lead passes)")
                if x.rate is None
                else f"<b>{t(fmt_pct(x.rate, 1))}</b> \u00b7 "
                + status(x.rate_ok, "meets the target", "below the target")
            )
            out["opps"] = t(f"{x.opportunities:,}")
            out["coverage"] = t(fmt_pct(x.coverage, 1))
            out["lift"] = t("\u2014" if x.lift is None else f"{x.lift:.2f}\u00d7")
            out["advantage"] = t("\u2014" if x.advantage is None else f"{x.advantage:.1f}\u00d7")
            out["revenue"] = t(
                "\u2014 (the data has no revenue)" if x.revenue is None else _money(x.revenue, self.defs.team.currency)
            )
            out["utilisation"] = t("\u2014" if x.utilisation is None else f"{x.utilisation:.0%} of capacity")
            return out

        a = column(f)
        b = column(other) if other is not None else None
        lines = [
            ("passed", "Leads passed to sales", "of all historical leads"),
            ("weekly", "Leads to sales per week", f"capacity {f.capacity:,} a week"),
            ("utilisation", "Sales capacity used", "at most 100%"),
            ("rate", "Opportunity rate of the leads passed", f"target {fmt_pct(f.target_rate, 1)}"),
            ("opps", "Opportunities among them", f"of {f.all_opportunities:,} in the history"),
            ("coverage", "Coverage of all opportunities", "share of all opportunities sent to sales"),
            ("lift", "Lift over the average lead", f"average rate {fmt_pct(f.overall_rate, 1)}"),
            ("advantage", "Better than cold calling", f"baseline rate {fmt_pct(f.baseline_rate, 1)}"),
            ("revenue", "Revenue of the leads passed", ""),
        ]
        header = ["Figure", f"At the agreed threshold ({_num(f.threshold)} points)"]
        widths: tuple[float, ...] = (0.3, 0.4, 0.3)
        if b is not None and other is not None:
            header.append(f"At the recommended threshold ({_num(other.threshold)} points)")
            widths = (0.25, 0.245, 0.245, 0.26)
        header.append("Target or reference")
        rows = []
        for key, label, ref in lines:
            row: list[Any] = [self.p(f"<b>{t(label)}</b>", self.st.cell), self.p(a[key], self.st.cell)]
            if b is not None:
                row.append(self.p(b[key], self.st.cell))
            row.append(self.p(f'<font color="{GREY}">{t(ref)}</font>', self.st.cell))
            rows.append(row)
        return self.table(header, rows, widths)

    def bands_table(self, bands: Sequence[BandRow]) -> Table:
        def scores(row: BandRow) -> str:
            if row.min_score is None and row.max_score is None:
                return "every score"
            if row.min_score is None:
                return f"below {_num(row.max_score or 0)}"
            if row.max_score is None:
                return f"{_num(row.min_score)} and above"
            return f"{_num(row.min_score)} to under {_num(row.max_score)}"

        rows = [
            [
                self._band_name(b.name, b.colour),
                scores(b),
                f"{b.leads:,}",
                fmt_pct(b.share, 1),
                f"{b.opportunities:,}",
                fmt_pct(b.rate, 1),
            ]
            for b in bands
        ]
        return self.table(
            ("Band", "Scores", "Leads", "Share of leads", "Opportunities", "Opportunity rate"),
            rows,
            (0.22, 0.22, 0.13, 0.14, 0.14, 0.15),
            right=(2, 3, 4, 5),
        )

    def charts(self, check: CheckReport, threshold: float) -> None:
        style = ChartStyle(self.fonts.regular, self.fonts.bold, self.fonts.txt)
        chart_h = max(min(180.0, (self.height - 60) / 3 - 44), 120.0)
        block = chart_h + 44
        self.add(CondPageBreak(3 * block + 40))
        self.subsection("Charts")
        charts = (
            (
                "Leads by score",
                histogram_chart,
                "Each bar counts the historical leads with that score; its green part became opportunities. The leads "
                "at or right of the threshold line (shaded) go to sales.",
            ),
            (
                "Rate and coverage against the threshold",
                rates_chart,
                "For every possible threshold: the opportunity rate of the leads it passes (blue), to be at or above "
                "the dashed target, and the share of all opportunities they include (orange).",
            ),
            (
                "Leads per week against the threshold",
                volume_chart,
                "For every possible threshold: how many leads a week it would send to sales, to be at or below the "
                "dashed sales capacity.",
            ),
        )
        for k, (title, make, caption) in enumerate(charts, start=1):
            drawing = make(check, style, self.width, chart_h)
            self.add(
                KeepTogether(
                    [
                        self.p(f"{self.t(f'Figure {k}.')} {self.t(title)}", self.st.h3),
                        drawing,
                        self.p(self.t(caption), self.st.note),
                    ]
                )
            )

    def diagnostics(self, check: CheckReport) -> None:
        t = self.t
        self.subsection("What predicts opportunities")
        self.add(
            self.p(
                t(
                    "Which rules really told opportunities apart in this history. Lift = the opportunity rate of "
                    "the leads a rule fires for \u00f7 that of the others (green: agrees with the sign of the "
                    "rule's points; red: disagrees, worth a second look)."
                ),
                self.st.body,
            )
        )
        if check.has_rules:
            self.add(self.p(t(check.suggestion_method), self.st.note))
        rows = []
        for r in check.diagnostics:
            lift: Any = "\u2014"
            if r.lift is not None:
                agrees = (r.lift >= 1) == (r.points >= 0)
                lift = self.p(
                    t.coloured(f"{r.lift:.2f}\u00d7", GOOD if agrees else BAD, bold=False), self.st.cell_right
                )
            if r.suggested_points is not None:
                suggested: Any = fmt_points(r.suggested_points) if r.suggested_points else "0"
            else:
                suggested = self.p(f'<font color="{GREY}">{t(r.note or chr(0x2014))}</font>', self.st.cell_right)
            label = f"<b>{t(r.label)}</b>"
            if r.note and r.suggested_points is not None:
                label += f'<br/><font color="{GREY}" size="7">{t(r.note)}</font>'
            rows.append(
                [
                    self.p(label, self.st.cell),
                    r.kind,
                    fmt_points(r.points),
                    f"{r.matched:,}",
                    fmt_pct(r.matched_rate, 1),
                    fmt_pct(r.other_rate, 1),
                    lift,
                    suggested,
                ]
            )
        if not rows:
            self.none("There are no scoring rules to judge.")
            return
        self.add(
            self.table(
                (
                    "Rule",
                    "Kind",
                    "Points",
                    "Leads it fires for",
                    "Their rate",
                    "Rate of the others",
                    "Lift",
                    "Suggested points",
                ),
                rows,
                (0.25, 0.1, 0.08, 0.11, 0.1, 0.11, 0.1, 0.15),
                right=(2, 3, 4, 5, 6, 7),
            )
        )

    # -- KPIs, decisions, changes, provenance -------------------------------------------------
    def kpis(self) -> None:
        t = self.t
        self.section(
            KPIS,
            "The dashboard both teams agree to watch together, and how quickly each team follows up "
            "the leads in the stages it owns.",
        )
        self.subsection("Shared KPIs")
        kpis = self.defs.kpis
        if kpis:
            rows = [
                [
                    self.p(f"<b>{t(k.name or '(no name)')}</b>", self.st.cell),
                    k.definition or "\u2014",
                    k.formula or "\u2014",
                    k.owner or "\u2014",
                    k.target or "\u2014",
                    k.cadence or "\u2014",
                ]
                for k in kpis
            ]
            self.add(
                self.table(
                    ("KPI", "Definition", "Formula", "Owner", "Target", "Cadence"),
                    rows,
                    (0.17, 0.25, 0.25, 0.11, 0.12, 0.10),
                )
            )
        else:
            self.none("No shared KPIs were defined.")
        self.subsection("Stage SLAs")
        stages = self.defs.stages
        if not stages:
            self.none("No funnel stages were defined.")
            return
        rows2 = []
        for s in stages:
            sla = "no follow-up SLA" if s.sla_hours is None else f"within {_hours(s.sla_hours)} of entering the stage"
            rows2.append([self.p(f"<b>{t(s.name or '(no name)')}</b>", self.st.cell), s.owner.value, sla])
        self.add(self.table(("Stage", "Owning team", "Follow-up SLA"), rows2, (0.36, 0.2, 0.44)))

    def decisions(self) -> None:
        self.section(
            DECISIONS,
            "What the room decided, and the questions it parked to come back to, each with the "
            "person who follows it up.",
        )
        items = self.defs.decisions
        for kind, title, empty in (
            (DecisionKind.DECISION, "Decisions", "No decisions were recorded."),
            (DecisionKind.PARKING, "Parking lot", "Nothing was parked."),
        ):
            self.subsection(title)
            chosen = [d for d in items if d.kind == kind]
            if not chosen:
                self.none(empty)
                continue
            rows = [
                [
                    d.text or "\u2014",
                    d.owner or "\u2014",
                    STEP_TITLES.get(d.step, d.step) or "\u2014",
                    _day(d.created) if d.created else "\u2014",
                ]
                for d in chosen
            ]
            self.add(
                self.table(
                    ("Decision" if kind == DecisionKind.DECISION else "Item", "Owner", "Raised during", "Recorded"),
                    rows,
                    (0.5, 0.17, 0.18, 0.15),
                )
            )

    def changes(self) -> None:
        changes = self.c.changes or []
        prev = self.c.previous_label
        intro = (
            f"What changed in the definitions since revision {prev}, item by item."
            if prev
            else "What changed in the definitions since the previous revision, item by item."
        )
        self.section(CHANGES, intro)
        if not changes:
            self.none("Nothing changed." if not prev else f"Nothing changed since revision {prev}.")
            return
        self.add(self.table(("Section", "Item", "What changed"), [list(c) for c in changes], (0.2, 0.28, 0.52)))

    def provenance(self) -> None:
        t = self.t
        info = self.c.leads_info
        self.section(
            PROVENANCE,
            "Where the historical leads behind the threshold check came from, how they were "
            "read and how clean they were, so that the figures can be traced and reproduced.",
        )
        if info is None:
            self.add(
                self.p(
                    t("No historical leads were imported into this revision, so there is no lead data to trace."),
                    self.st.body,
                )
            )
            return
        q = info.quality
        self.subsection("Data set")
        rows: list[tuple[str, Any]] = [
            ("Leads", f"<b>{t(f'{info.rows:,}')}</b>" + t(" rows imported")),
            ("Rejected rows", t(f"{info.rejected_count:,}" + (" (listed below)" if info.rejected_count else ""))),
            ("Opportunities", t(f"{q.positives:,} ({fmt_pct(q.outcome_rate, 1)} of the leads)")),
            ("Imported at", t(_when(info.imported_at))),
            (
                "Period",
                t(
                    f"{_day(q.first_date)} to {_day(q.last_date)} ({_num(q.weeks, 1)} weeks)"
                    if q.first_date and q.last_date and q.weeks
                    else "the leads have no creation dates"
                ),
            ),
            ("Stored in", t(self.c.file_name)),
        ]
        self.add(self.pairs(rows))

        self.subsection("Files")
        if not info.sources:
            self.none("The source files were not recorded.")
        for src in info.sources:
            detail = _detail(src.detail)
            rows = [
                ("File", f"<b>{t(src.name)}</b>"),
                ("Format", t(src.format.upper() + (f", {detail}" if detail else ""))),
                ("Size", t(_size(src.size))),
                ("SHA-256", self.p(t(src.sha256), self.st.cell_mono)),
            ]
            self.add(KeepTogether(self.pairs(rows, 0.2)))

        self.subsection("Column mapping")
        m = info.mapping
        rows = [("Lead ID", t(_col(m.id))), ("Outcome", t(_outcome(m)))]
        rows += [
            ("Revenue", t(_col(m.revenue))),
            ("Created date", t(_col(m.created))),
            ("Owner", t(_col(m.owner))),
            ("E-mail", t(_col(m.email))),
        ]
        by_type: dict[str, int] = {}
        for kind in m.types.values():
            by_type[kind.value] = by_type.get(kind.value, 0) + 1
        if by_type:
            rows.append(
                (
                    "Other columns",
                    t(
                        f"{_plural(len(m.types), 'attribute')}: "
                        + ", ".join(f"{n} {k}" for k, n in sorted(by_type.items(), key=lambda kv: -kv[1]))
                    ),
                )
            )
        if m.ignored:
            rows.append(("Ignored columns", t(", ".join(m.ignored))))
        placeholders = [p for p in m.placeholders if p]
        rows.append(
            (
                "Read as missing",
                t(
                    ", ".join(f"\u201c{p}\u201d" for p in placeholders) + " and empty cells"
                    if placeholders
                    else "empty cells"
                ),
            )
        )
        self.add(self.pairs(rows, 0.2))

        self.subsection("Data quality")
        rows = [
            ("Duplicate IDs", t(f"{q.duplicate_ids:,} rows repeat an earlier row's ID")),
            ("Duplicate e-mails", t(f"{q.duplicate_emails:,}")),
            ("Placeholders", t(f"{q.placeholders_replaced:,} placeholder values treated as missing")),
        ]
        if q.unmatched_outcomes:
            rows.append(("Unmatched outcomes", t(f"{q.unmatched_outcomes:,} outcome rows match no lead")))
        if q.merged_spellings:
            merged = "; ".join(
                f"{col}: " + ", ".join(" = ".join(f"\u201c{s}\u201d" for s in group) for group in groups)
                for col, groups in q.merged_spellings.items()
            )
            rows.append(("Merged spellings", t(merged)))
        self.add(self.pairs(rows, 0.2))
        missing = sorted(((col, n) for col, n in q.missing.items() if n), key=lambda kv: -kv[1])
        if missing:
            self.add(self.p(t("Missing values per column"), self.st.h3))
            self.add(
                self.table(
                    ("Column", "Missing values", "Share of rows"),
                    [
                        [_column_name(col, m), f"{n:,}", fmt_pct(n / q.rows if q.rows else None, 1)]
                        for col, n in missing
                    ],
                    (0.6, 0.2, 0.2),
                    right=(1, 2),
                )
            )
        else:
            self.none("No column has missing values.")
        if info.notices:
            self.add(self.p(t("Notices from the import"), self.st.h3))
            for notice in info.notices:
                self.add(
                    self.p(
                        "\u2022&nbsp;" + t(notice) if self.fonts.unicode else "-&nbsp;" + t(notice),
                        ParagraphStyle(
                            "bullet",
                            parent=self.st.body,
                            fontSize=8.5,
                            leading=12,
                            leftIndent=10,
                            firstLineIndent=-8,
                            spaceAfter=2,
                        ),
                    )
                )
        if info.rejected_count:
            self.add(self.p(t("Rejected rows"), self.st.h3))
            shown = info.rejected[:50]
            if info.rejected_count > len(shown):
                self.none(f"The first {len(shown)} of {info.rejected_count:,} rejected rows are listed.")
            self.add(
                self.table(
                    ("File", "Line", "Column", "Value", "Reason"),
                    [
                        [r.file, "" if r.line is None else f"{r.line:,}", r.column or "", r.value or "", r.reason]
                        for r in shown
                    ],
                    (0.2, 0.08, 0.18, 0.18, 0.36),
                    right=(1,),
                )
            )


def _col(name: str | None) -> str:
    return f"\u201c{name}\u201d" if name else "not mapped"


def _column_name(col: str, m: Any) -> str:
    standard = {
        "id": m.id,
        "outcome": m.outcome,
        "revenue": m.revenue,
        "created": m.created,
        "owner": m.owner,
        "email": m.email,
    }
    if col in standard:
        mapped = standard[col]
        return f"{mapped} ({col})" if mapped else col
    return col


def _outcome(m: Any) -> str:
    from models.leads.types import SuccessKind

    s = m.success
    col = f"\u201c{m.outcome}\u201d" if m.outcome else "the outcome"
    if m.join is not None:
        j = m.join
        joined = (
            f"from a second file of outcomes, joined on lead column \u201c{j.lead_column}\u201d = "
            f"\u201c{j.outcome_column}\u201d"
        )
        if j.where_column:
            joined += f" where \u201c{j.where_column}\u201d is \u201c{j.where_value or ''}\u201d"
    else:
        joined = ""
    if s.kind == SuccessKind.MATCHED:
        text = "a lead became an opportunity when it has a row in the outcomes file"
    elif s.kind == SuccessKind.HAS_VALUE:
        text = f"{col}: any value counts as an opportunity"
    elif s.kind == SuccessKind.STAGE_AT_LEAST:
        text = f"{col}: \u201c{s.stage}\u201d or a later stage counts as an opportunity"
        if s.stages:
            text += " (stages in order: " + " \u2192 ".join(s.stages) + ")"
    else:
        text = f"{col}: counts as an opportunity when it is one of " + ", ".join(f"\u201c{v}\u201d" for v in s.values)
    return text + (f"; {joined}" if joined else "")


def _detail(detail: dict[str, Any]) -> str:
    parts = []
    for key, value in detail.items():
        if value is None or value is False or value == "":
            continue
        name = key.replace("_", " ")
        if value is True:
            parts.append(name)
        elif key == "delimiter":
            shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe", " ": "space"}.get(
                str(value), repr(value)
            )
            parts.append(f"{shown}-separated")
        else:
            parts.append(f"{name} {value}")
    return ", ".join(parts)


# --------------------------------------------------------------------------- entry point
def render_pdf(content: ExportContent, paper: str = "a4", progress: Any = None) -> bytes:
    """The document as PDF bytes (laid out in memory)."""
    key = (paper or "").strip().lower()
    if key not in PAGE_SIZES:
        raise ValueError(f"unknown paper {paper!r}: choose one of {', '.join(PAPERS)}")
    fonts = find_fonts()
    buffer = io.BytesIO()
    doc = _Document(buffer, content, fonts, PAGE_SIZES[key], progress)
    builder = _Builder(content, fonts, doc.width, doc.height, progress)
    story = builder.build(doc)
    doc.flowables_per_pass = max(len(story), 1)
    report(progress, 0.2, "Laying out the pages\u2026")
    doc.multiBuild(story, maxPasses=6)
    return buffer.getvalue()


def write_pdf(content: ExportContent, path: Path | str, paper: str = "a4", progress: Any = None) -> None:
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


__all__ = ["write_pdf", "render_pdf", "find_fonts", "FONT_DIRS"]
