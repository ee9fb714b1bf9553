"""Tables of the PDF definitions document that lay out well (reportlab platypus, no Qt): a
table that splits across pages between rows, with its header row repeated, and never leaves
one row alone at the foot or head of a page; column widths that cut no word; and the small
colour swatch a score band's cell shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Table

from export.pdf_paragraphs import Cell
from export.pdf_style import GREY


class Swatch(Flowable):
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


class SplitTable(Table):
    """A table that splits between rows, and inside a row only when that row (with the
    header) is taller than a whole page: a row is never cut just to fill the end of a page."""

    page_height: float = 0.0

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.splitInRow = 0
        parts = super().split(availWidth, availHeight)
        header = self.repeatRows if isinstance(self.repeatRows, int) else max(self.repeatRows) + 1
        # The stubs know neither the row heights split() has just measured nor a part's rows.
        heights: list[float] = self._rowHeights  # type: ignore[attr-defined]
        rows = len(heights) - header
        if len(parts) == 2 and rows >= 4:
            # No single row left alone at the foot of a page, or at the head of the next one.
            first = len(parts[0]._cellvalues) - header  # type: ignore[attr-defined]  # noqa: SLF001 - reportlab keeps a split's rows only there
            second = len(parts[1]._cellvalues) - header  # type: ignore[attr-defined]  # noqa: SLF001
            if first <= 1 and availHeight < self.page_height / 2:
                return []
            if second == 1:
                parts = super().split(availWidth, availHeight - heights[header + first - 1] - 0.5) or parts
        if not parts and self.page_height:
            if rows > 0 and sum(heights[: header + 1]) > self.page_height:
                self.splitInRow = 1
                parts = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, SplitTable):
                part.page_height = self.page_height
        return parts


def _longest_word(cell: Cell) -> float:
    """The width of the longest word of a cell's paragraphs (a long one's pieces, a list):
    narrower, the word would be cut."""
    if isinstance(cell, list):
        return max((_longest_word(part) for part in cell), default=0.0)
    if not isinstance(cell, Paragraph):
        return 0.0
    best = 0.0
    for frag in cell.frags:
        for word in str(getattr(frag, "text", "")).split():
            best = max(best, pdfmetrics.stringWidth(word, frag.fontName, frag.fontSize))
    return best


def fit_columns(data: Sequence[Sequence[Cell]], widths: list[float], padding: float) -> list[float]:
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
