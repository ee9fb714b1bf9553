"""The primitives every section of the PDF definitions document is built with (reportlab
platypus, no Qt): numbered section and subsection titles (bookmarks), paragraphs, data
tables, tables of labelled values, notes, and progress.

    b = Builder(content, fonts, doc.width, doc.height, progress)
    b.section("Vocabulary", "The words both teams use ...")
    b.add(b.table(("Term", "Definition"), rows, (0.3, 0.7)))
    b.story                                  the flowables, in order

The sections themselves are functions of a `Builder` (export/pdf_cover.py ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from export.content import ExportContent, report
from export.pdf_document import Heading
from export.pdf_fonts import Fonts
from export.pdf_paragraphs import Cell, Para, cell_value, pieces
from export.pdf_style import ACCENT_HEX, HEADER_BG, INK, RULE, ZEBRA, Styles
from export.pdf_tables import SplitTable, Swatch, fit_columns
from export.pdf_text import Text
from models.leads.types import Progress

SWATCHED_NAME = 300  # characters of a band name printed beside its colour


class Builder:
    """Builds the story (the flowables) of the document from the export content."""

    def __init__(
        self, content: ExportContent, fonts: Fonts, width: float, height: float, progress: Progress | None
    ) -> None:
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

    def add(self, *flowables: Flowable) -> None:
        """Flowables at the end of the story, a long paragraph in pieces (export/pdf_paragraphs.py)."""
        for flowable in flowables:
            if isinstance(flowable, Para):
                self.story.extend(pieces(flowable))
            else:
                self.story.append(flowable)

    def p(self, markup: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Para(markup, style or self.st.body)

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

    def cell(self, value: object, style: ParagraphStyle | None = None) -> Flowable:
        """A table cell: a flowable as it is, anything else as text."""
        if isinstance(value, Flowable):
            return value
        return Para(self.t(value), style or self.st.cell)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float],
        right: Iterable[int] = (),
        extra: Sequence[tuple[Any, ...]] = (),
    ) -> Table:
        """A data table: a header row repeated on every page it spans, text wrapped in its
        cells, thin rules, light zebra rows. `widths` are fractions of the text width;
        `right` the columns aligned right (numbers). Cells may be text, markup Paragraphs or
        flowables."""
        right = set(right)
        data: list[list[Cell]] = [
            [Para(self.t(h), self.st.head_right if k in right else self.st.head) for k, h in enumerate(header)]
        ]
        for row in rows:
            styles = [self.st.cell_right if k in right else self.st.cell for k in range(len(row))]
            data.append([cell_value(self.cell(v, s)) for v, s in zip(row, styles, strict=True)])
        col_widths = fit_columns(data, [self.width * w / sum(widths) for w in widths], padding=9.0)
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
        table = SplitTable(
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

    def pairs(self, rows: Sequence[tuple[str, str | Flowable]], label_width: float = 0.3) -> Table:
        """A two-column table of labelled values (no header): markup, or flowables."""
        data = [
            [
                cell_value(Para(self.t(label), self.st.label)),
                cell_value(value if isinstance(value, Flowable) else Para(value, self.st.value)),
            ]
            for label, value in rows
        ]
        table = SplitTable(
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
        """A note in place of what a (sub)section has nothing of: "No fit rules."."""
        self.add(self.p(self.t(text), self.st.note))

    def step(self, fraction: float, message: str) -> None:
        report(self.progress, fraction, message)

    def band_name(self, name: str, colour: str) -> Flowable:
        """A score band's name beside a swatch of its colour (a table cell); a name of more than
        a few lines alone, as a paragraph that can split across pages (a table in a cell cannot)."""
        label = Para(f"<b>{self.t(name)}</b>", self.st.cell)
        if len(name) > SWATCHED_NAME:
            return label
        inner = Table(
            [[Swatch(colour), label]],
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
