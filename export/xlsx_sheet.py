"""How the scoring workbook's sheets are written (openpyxl, write-only, no Qt): row by row,
in cells of named styles, with text always stored as text.

    s = Sheet(wb, "Settings", TEAL)
    s.widths({1: 30, 2: 18})
    s.append([s.cell("Threshold", "label"), s.cell(40, "input")])

Text is never a formula, whatever it starts with: imported data may begin with "=", "+", "-"
or "@", and such a cell is written as text and marked so that Excel keeps it text when it is
edited. Characters XML cannot carry are stored as OOXML escapes (`excel_text`). Beside the
sheet: its Excel tables, the workbook's defined names, and the title rows every sheet opens with.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import CellIsRule, FormulaRule, Rule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from models import palette
from models.palette import xlsx

MAX_CELL_TEXT = 32_767  # Excel's limit on the characters of one cell

# Text, safely.
_ESCAPED = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "_x000D_")  # "\r" is stored as _x000D_


def excel_text(text: str) -> str:
    """`text` as stored in a cell: characters XML cannot carry (a carriage return, control
    characters) as OOXML `_xHHHH_` escapes, and a literal `_xHHHH_` protected as `_x005F_xHHHH_`,
    so that Excel and LibreOffice read back exactly `text`. Longer text is cut at Excel's limit."""
    text = text[:MAX_CELL_TEXT]
    if "_x" in text:
        text = _ESCAPED.sub(r"_x005F_\1", text)
    return _CONTROL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def excel_text_value(stored: str) -> str:
    """The text a spreadsheet program shows for a cell stored by `excel_text` (its inverse)."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), stored)


def _header_text(text: str) -> str:
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip() or "(unnamed)"


# The look: tab colours, and the named styles a cell is written in (`Sheet.cell(value, "label")`).
# Tab and header colours by what a sheet or column holds (the palette's, as spreadsheet colours).
NAVY, BLUE, TEAL, AMBER, GREY = (
    xlsx(c) for c in (palette.INK, palette.ACCENT, palette.TEAL, palette.WARN, palette.MUTED)
)
_thin = Side(style="thin", color=xlsx(palette.LINE))
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _font(name: str = "Calibri", size: float = 11, **kw: Any) -> Font:
    return Font(name=name, size=size, **kw)


def solid(colour: str) -> PatternFill:
    """A solid fill of `colour` (RRGGBB)."""
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


STYLES: dict[str, dict[str, Any]] = {
    "title": dict(font=_font(size=18, bold=True, color=NAVY)),
    "subtitle": dict(font=_font(italic=True, color=GREY), alignment=Alignment(vertical="top")),
    "section": dict(font=_font(size=13, bold=True, color=NAVY)),
    "label": dict(font=_font(bold=True, color=xlsx(palette.INK)), alignment=_WRAP_TOP),
    "text": dict(alignment=_WRAP_TOP),
    "plain": dict(alignment=Alignment(vertical="top")),
    "nowrap_label": dict(font=_font(bold=True, color=xlsx(palette.INK))),
    "note": dict(font=_font(size=9, color=GREY)),
    "when": dict(number_format='yyyy-mm-dd hh:mm "UTC"', alignment=Alignment(horizontal="left", vertical="top")),
    "small": dict(font=_font(size=9, color=GREY), alignment=_WRAP_TOP),
    "mono": dict(font=_font(name="Consolas", size=10), alignment=Alignment(vertical="top")),
    "header": dict(
        font=_font(bold=True, color=xlsx(palette.PAPER)), fill=solid(NAVY), alignment=_CENTER, border=_BORDER
    ),
    "header_in": dict(
        font=_font(bold=True, color=xlsx(palette.PAPER)), fill=solid(BLUE), alignment=_CENTER, border=_BORDER
    ),
    "header_out": dict(
        font=_font(bold=True, color=xlsx(palette.PAPER)), fill=solid(TEAL), alignment=_CENTER, border=_BORDER
    ),
    "header_rule": dict(
        font=_font(bold=True, color=xlsx(palette.PAPER)), fill=solid(AMBER), alignment=_CENTER, border=_BORDER
    ),
    "header_helper": dict(
        font=_font(bold=True, color=xlsx(palette.PAPER)), fill=solid(GREY), alignment=_CENTER, border=_BORDER
    ),
    "cell": dict(alignment=_WRAP_TOP, border=_BORDER),
    "input": dict(fill=solid(xlsx(palette.INPUT)), border=_BORDER, alignment=Alignment(vertical="top")),
    "input_text": dict(
        fill=solid(xlsx(palette.INPUT)), border=_BORDER, alignment=Alignment(vertical="top"), number_format="@"
    ),
    "input_percent": dict(fill=solid(xlsx(palette.INPUT)), border=_BORDER, number_format="0.0%"),
    "input_date": dict(fill=solid(xlsx(palette.INPUT)), border=_BORDER, number_format="yyyy-mm-dd"),
    "structural": dict(
        fill=solid(xlsx(palette.HEADER)), border=_BORDER, alignment=Alignment(vertical="top"), number_format="@"
    ),
    "formula": dict(fill=solid(xlsx(palette.ZEBRA)), border=_BORDER),
    "formula_date": dict(fill=solid(xlsx(palette.ZEBRA)), border=_BORDER, number_format="yyyy-mm-dd"),
    "kind": dict(font=_font(size=9, italic=True, color=GREY), alignment=Alignment(horizontal="center")),
    "kind_label": dict(font=_font(size=9, italic=True, color=GREY), alignment=Alignment(horizontal="right")),
    "date": dict(number_format="yyyy-mm-dd"),
    "datetime": dict(number_format='yyyy-mm-dd hh:mm "UTC"', alignment=_WRAP_TOP, border=_BORDER),
    "text_cell": dict(number_format="@"),
    "int": dict(number_format="#,##0", border=_BORDER),
    "percent": dict(number_format="0.0%", border=_BORDER),
    "decimal": dict(number_format="#,##0.0", border=_BORDER),
}


class Sheet:
    """A write-only sheet written row by row, with styled cells."""

    def __init__(self, wb: Workbook, title: str, tab: str | None = None) -> None:
        self.ws = wb.create_sheet(title)
        self.title = title
        self.ref = quote_sheetname(title) + "!"
        self.row = 0
        self._widths: dict[int, float] = {}
        if tab:
            self.ws.sheet_properties.tabColor = tab

    def widths(self, widths: Mapping[int, float]) -> None:
        self._widths.update(widths)
        for col, width in widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = width

    def cell(self, value: Any, style: str | None = None, *, formula: bool = False) -> Any:
        """A cell for `append`: text is always literal text unless `formula`."""
        literal = isinstance(value, str) and not formula
        if literal:
            value = excel_text(value)
        if isinstance(value, float) and not math.isfinite(value):
            value = "\u221e" if value > 0 else "\u2212\u221e" if value < 0 else None
        risky = literal and value.startswith(_FORMULA_START)
        if style is None and not risky:
            return value
        c = WriteOnlyCell(self.ws, value=value)
        if literal:
            c.data_type = "s"  # never a formula, even when it starts with "="
            if risky:
                c.quotePrefix = True  # and Excel keeps it text when the cell is edited
        if style is not None:
            for attr, v in STYLES[style].items():
                setattr(c, attr, v)
        return c

    def append(self, values: Sequence[Any] = (), height: float | None = None) -> int:
        """Write a row; its height fits its wrapped text unless given (a write-only sheet
        writes a row's height with the row, and neither program measures text on opening)."""
        if height is None:
            height = self._fit_height(values)
        if height is not None:
            self.ws.row_dimensions[self.row + 1].height = height
        self.ws.append(list(values))
        self.row += 1
        return self.row

    def _fit_height(self, values: Sequence[Any]) -> float | None:
        lines = 1
        for k, c in enumerate(values):
            if not (
                isinstance(c, Cell)
                and isinstance(c.value, str)
                and c.data_type == "s"
                and c.alignment is not None
                and c.alignment.wrap_text
            ):
                continue
            width = self._widths.get(k + 1, 8.43)
            per_line = max(1.0, width * (1.0 if c.font is not None and c.font.b else 1.12))
            text = excel_text_value(c.value)
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")))
        return None if lines == 1 else min(15.0 * lines + 2, 409.0)  # Excel's tallest row

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.append([])

    def addr(self, col: int, row: int, absolute: bool = True) -> str:
        letter = get_column_letter(col)
        return f"${letter}${row}" if absolute else f"{letter}{row}"

    def print_setup(self, landscape: bool = False, title_rows: str | None = None, pages_wide: int = 1) -> None:
        """A4, `pages_wide` pages across (0: actual size), a footer with the sheet and page."""
        ws = self.ws
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        if pages_wide:
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = pages_wide
            ws.page_setup.fitToHeight = 0
        if title_rows:
            ws.print_title_rows = title_rows
        ws.print_options.gridLines = False
        ws.oddFooter.center.text = "&A \u2014 page &P of &N"
        ws.oddFooter.center.size = 8


def add_table(
    sheet: Sheet,
    name: str,
    first_col: int,
    header_row: int,
    names: list[str],
    last_row: int,
    style: str = "TableStyleMedium2",
    stripes: bool = True,
) -> None:
    ref = f"{get_column_letter(first_col)}{header_row}:{get_column_letter(first_col + len(names) - 1)}{last_row}"
    table = Table(displayName=name, ref=ref)
    table.tableColumns = [TableColumn(id=k + 1, name=n) for k, n in enumerate(names)]
    table.tableStyleInfo = TableStyleInfo(
        name=style, showFirstColumn=False, showLastColumn=False, showRowStripes=stripes, showColumnStripes=False
    )
    table.autoFilter = AutoFilter(ref=ref)
    with warnings.catch_warnings():  # "in write-only mode you must add table columns manually": done above
        warnings.simplefilter("ignore", UserWarning)
        sheet.ws.add_table(table)


def unique_names(names: Iterable[str]) -> list[str]:
    """Table column names: unique regardless of case, as Excel requires."""
    seen: set[str] = set()
    out = []
    for name in names:
        base = _header_text(name)[:250]
        candidate, k = base, 2
        while candidate.casefold() in seen:
            candidate, k = f"{base} ({k})", k + 1
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def define_name(wb: Workbook, name: str, sheet: Sheet, col: int, row: int) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet.ref}{sheet.addr(col, row)}")


def cell_time(text: str | None) -> dt.datetime | str:
    """An ISO time from the revision block as a naive UTC datetime for a cell."""
    if not text:
        return ""
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when


def write_title(sheet: Sheet, title: str, subtitle: str = "", subtitle_height: float | None = None) -> None:
    sheet.append([sheet.cell(title, "title")], height=28)
    if subtitle:
        sheet.append([sheet.cell(subtitle, "subtitle")], height=subtitle_height)


# Conditional formats. openpyxl's factories are unannotated in its stubs: these say what they take.
def cell_is_rule(operator: str, formula: list[str], font: Font | None = None, fill: PatternFill | None = None) -> Rule:
    """Format a cell whose value compares (`operator`: "equal" ...) with `formula`'s."""
    rule: Rule = CellIsRule(operator=operator, formula=formula, font=font, fill=fill)  # type: ignore[no-untyped-call]
    return rule


def formula_rule(formula: list[str], font: Font | None = None, fill: PatternFill | None = None) -> Rule:
    """Format a cell where `formula` (written for the range's first cell) is true."""
    rule: Rule = FormulaRule(formula=formula, font=font, fill=fill)  # type: ignore[no-untyped-call]
    return rule
