"""The look of the PDF definitions document: its colours (the app's ink and accents) and
the paragraph styles of every kind of text, from the cover's title to a table cell (no Qt).

    st = Styles(find_fonts())
    Paragraph(markup, st.body)
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from export.pdf_fonts import Fonts
from models import palette

# Colours: the app's palette (models/palette.py), the same on screen and in the workbook.
INK = colors.HexColor(palette.INK)
ACCENT_HEX = palette.ACCENT
ACCENT = colors.HexColor(ACCENT_HEX)
MUTED = colors.HexColor(palette.INK_SOFT)
RULE = colors.HexColor(palette.LINE)
HEADER_BG = colors.HexColor(palette.HEADER)
ZEBRA = colors.HexColor(palette.ZEBRA)
GOOD, BAD, WARN, GREY = palette.GOOD, palette.BAD, palette.WARN, palette.MUTED
_bad = colors.HexColor(palette.BAD)
WATERMARK = colors.Color(_bad.red, _bad.green, _bad.blue, alpha=0.11)


class Styles:
    """The paragraph styles of the document, in `fonts`."""

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
            "lead",
            parent=self.body,
            fontSize=10.5,
            leading=15,
            textColor=MUTED,
            spaceAfter=12,
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
            "head", parent=self.cell, fontName=f.bold, fontSize=7.6, leading=9.6, textColor=colors.HexColor(palette.INK)
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
            textColor=MUTED,
            leftIndent=42,
            firstLineIndent=-24,
            spaceBefore=1,
        )
