"""The Excel scoring workbook: the agreed scoring model as live formulas (openpyxl, no Qt).

    write_workbook(content, "scoring.xlsx")

Sheets:
    README         how to use the workbook; revision, status and content hash
    Definitions    the funnel stages and the glossary
    Scoring Model  one row per rule; points, value(s), minimum, maximum, cap and half-life
                   are input cells every score reads
    Settings       threshold, minimum fit, as-of date, target and baseline rates, capacity,
                   history weeks, as named cells (Threshold, MinimumFit, AsOfDate ...)
    Lead Scorer    the imported leads (an Excel table), one formula column per rule, then
                   Fit, Engagement, Score and the hand-off; empty formula rows to paste into
    Calibration    the threshold table of the app's threshold check and a line chart
    Sign-off       signers, roles, times, content hash and status

The formulas give the scores of `models.scoring` (the reference) lead by lead, using only
functions Excel (2013 and later) and LibreOffice both evaluate. Per lead and attribute the
Lead Scorer keeps hidden helper columns, computed once per row (see "formula pieces"): the
value as text the way the reference compares it (stripped at the ends only, lower case, ""
when missing), as a number when the reference reads one (a number cell, or text float()
reads once thousands commas are removed), and as a date (for decay). Every rule's column
compares those with its operands, which the Scoring Model turns into the same text / number
form once per rule, and reads its points, operands and completeness through defined names
(Rule1_Points, Rule1_Complete ...). Imported text is always written as text, never as a
formula, whatever it starts with.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from export.content import ExportContent, report
from models.definitions import Operator, ScoringRule
from models.scoring import describe_rule, rule_fields
from models.store import written_in_place_of

__all__ = ["write_workbook", "SHEETS", "BLANK_ROWS", "SETTINGS_NAMES", "excel_text", "excel_text_value"]

SHEETS = ("README", "Definitions", "Scoring Model", "Settings", "Lead Scorer", "Calibration", "Sign-off")
BLANK_ROWS = 200  # empty formula rows below the leads, to paste new leads into
MAX_CELL_TEXT = 32_767  # Excel's limit on the characters of one cell
LEAD_HEADER_ROW = 4  # the Lead Scorer's table header; leads start on the row below
RULE_HEADER_ROW = 4  # the Scoring Model's header; rules start on the row below
MIN_VALUE_SLOTS = 5  # "one of" value cells per rule, at least (spare ones to add values)
HANDOFF_YES, HANDOFF_NO = "Sales", "Nurture"

# The named cells of the Settings sheet, in order.
SETTINGS_NAMES = (
    "Threshold",
    "MinimumFit",
    "AsOfDate",
    "WorkshopDate",
    "AsOfDateUsed",
    "TargetRate",
    "BaselineRate",
    "Reps",
    "LeadsPerRepPerWeek",
    "Capacity",
    "HistoryWeeks",
)

# --------------------------------------------------------------------------- look
NAVY, BLUE, TEAL, AMBER, GREY = "1F3A5F", "2F6FA8", "2E7D6B", "B26B00", "6B7785"
_thin = Side(style="thin", color="C9D1DB")
_BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _font(name: str = "Calibri", size: float = 11, **kw: Any) -> Font:
    return Font(name=name, size=size, **kw)


def _fill(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


STYLES: dict[str, dict[str, Any]] = {
    "title": dict(font=_font(size=18, bold=True, color=NAVY)),
    "subtitle": dict(font=_font(italic=True, color=GREY), alignment=Alignment(vertical="top")),
    "section": dict(font=_font(size=13, bold=True, color=NAVY)),
    "label": dict(font=_font(bold=True, color="333333"), alignment=_WRAP_TOP),
    "text": dict(alignment=_WRAP_TOP),
    "plain": dict(alignment=Alignment(vertical="top")),
    "nowrap_label": dict(font=_font(bold=True, color="333333")),
    "note": dict(font=_font(size=9, color=GREY)),
    "when": dict(number_format='yyyy-mm-dd hh:mm "UTC"', alignment=Alignment(horizontal="left", vertical="top")),
    "small": dict(font=_font(size=9, color=GREY), alignment=_WRAP_TOP),
    "mono": dict(font=_font(name="Consolas", size=10), alignment=Alignment(vertical="top")),
    "header": dict(font=_font(bold=True, color="FFFFFF"), fill=_fill(NAVY), alignment=_CENTER, border=_BORDER),
    "header_in": dict(font=_font(bold=True, color="FFFFFF"), fill=_fill(BLUE), alignment=_CENTER, border=_BORDER),
    "header_out": dict(font=_font(bold=True, color="FFFFFF"), fill=_fill(TEAL), alignment=_CENTER, border=_BORDER),
    "header_rule": dict(font=_font(bold=True, color="FFFFFF"), fill=_fill(AMBER), alignment=_CENTER, border=_BORDER),
    "header_helper": dict(font=_font(bold=True, color="FFFFFF"), fill=_fill(GREY), alignment=_CENTER, border=_BORDER),
    "cell": dict(alignment=_WRAP_TOP, border=_BORDER),
    "input": dict(fill=_fill("FFF6D5"), border=_BORDER, alignment=Alignment(vertical="top")),
    "input_text": dict(fill=_fill("FFF6D5"), border=_BORDER, alignment=Alignment(vertical="top"), number_format="@"),
    "input_percent": dict(fill=_fill("FFF6D5"), border=_BORDER, number_format="0.0%"),
    "input_date": dict(fill=_fill("FFF6D5"), border=_BORDER, number_format="yyyy-mm-dd"),
    "structural": dict(fill=_fill("EEF1F5"), border=_BORDER, alignment=Alignment(vertical="top"), number_format="@"),
    "formula": dict(fill=_fill("F4F6F8"), border=_BORDER),
    "formula_date": dict(fill=_fill("F4F6F8"), border=_BORDER, number_format="yyyy-mm-dd"),
    "kind": dict(font=_font(size=9, italic=True, color=GREY), alignment=Alignment(horizontal="center")),
    "kind_label": dict(font=_font(size=9, italic=True, color=GREY), alignment=Alignment(horizontal="right")),
    "date": dict(number_format="yyyy-mm-dd"),
    "datetime": dict(number_format='yyyy-mm-dd hh:mm "UTC"', alignment=_WRAP_TOP, border=_BORDER),
    "text_cell": dict(number_format="@"),
    "int": dict(number_format="#,##0", border=_BORDER),
    "percent": dict(number_format="0.0%", border=_BORDER),
    "decimal": dict(number_format="#,##0.0", border=_BORDER),
}


# --------------------------------------------------------------------------- text, safely
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


def _q(text: str) -> str:
    """A string literal inside a formula (characters XML cannot carry as CHAR(n))."""
    parts = []
    for piece in re.split("([\x00-\x08\x0b-\x1f])", text):
        if len(piece) == 1 and piece < "\x20":
            parts.append(f"CHAR({ord(piece)})")
        elif piece:
            parts.append('"' + piece.replace('"', '""').replace("\ufffe", "").replace("\uffff", "") + '"')
    return "&".join(parts) or '""'


# --------------------------------------------------------------------------- sheet writer
class _Sheet:
    """A write-only sheet written row by row, with styled cells."""

    def __init__(self, wb: Workbook, title: str, tab: str | None = None) -> None:
        self.ws = wb.create_sheet(title)
        self.title = title
        self.ref = quote_sheetname(title) + "!"
        self.row = 0
        self._widths: dict[int, float] = {}
        if tab:
            self.ws.sheet_properties.tabColor = tab

    def widths(self, widths: dict[int, float]) -> None:
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


def _table(
    sheet: _Sheet,
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


def _unique(names: Iterable[str]) -> list[str]:
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


# --------------------------------------------------------------------------- formula pieces
# The Lead Scorer's hidden helper columns, per attribute a rule reads (x: the lead's cell):
#   trim    TRIM of x with tabs and line breaks as spaces: its first and last characters are
#           the first and last of x that are not white space
#   text    x stripped at both ends (inner spaces kept), lower case; "" when blank. A number
#           cell as Excel writes it (10 → "10"); a date cell as YYYY-MM-DD (the reference's
#           text of a date)
#   plain   text without thousands commas
#   number  x as a number when the reference reads one: a number cell, or text float() reads
#           (digits, a leading sign, one decimal point, an exponent), else ""
#   date    the activity date: a date cell, or text starting YYYY-MM-DD, else ""
def _trim(x: str) -> str:
    return f'TRIM(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({x},CHAR(9)," "),CHAR(10)," "),CHAR(13)," "))'


def _stripped(x: str, w: str) -> str:
    first_pos = f"FIND(LEFT({w},1),{x})"
    last = f"RIGHT({w},1)"
    last_pos = f'FIND(CHAR(1),SUBSTITUTE({x},{last},CHAR(1),LEN({x})-LEN(SUBSTITUTE({x},{last},""))))'
    return f'IF({w}="","",LOWER(MID({x},{first_pos},{last_pos}-{first_pos}+1)))'


def _text(x: str, w: str, date_column: bool = False) -> str:
    if date_column:
        return f'IF(ISNUMBER({x}),YEAR({x})&"-"&TEXT(MONTH({x}),"00")&"-"&TEXT(DAY({x}),"00"),{_stripped(x, w)})'
    return f"IF(ISNUMBER({x}),LOWER({x}),{_stripped(x, w)})"


def _parse_number(s: str) -> str:
    """The number float() reads from text `s` (no commas, stripped, lower case), else "".
    Every character must be a digit, the decimal point, an "e", a sign at the start or a
    sign right after the "e"; NUMBERVALUE then reads it as float() does, in every locale."""
    chars = ",".join(f'"{c}"' for c in "0123456789.e")
    allowed = (
        f'SUMPRODUCT(LEN({s})-LEN(SUBSTITUTE({s},{{{chars}}},"")))'
        f'+LEN({s})-LEN(SUBSTITUTE(SUBSTITUTE({s},"e-","e"),"e+","e"))'
        f'+ISNUMBER(FIND(LEFT({s},1),"+-"))'
    )
    value = f'_xlfn.NUMBERVALUE({s},".",",")'
    return f'IF(AND(ISNUMBER({value}),{allowed}=LEN({s})),{value},"")'


def _iso_date(k: str) -> str:
    """The date of text `k` starting YYYY-MM-DD (date.fromisoformat(text[:10])), else ""."""
    t = f"LEFT({k},10)"
    y, m, d = f"VALUE(LEFT({t},4))", f"VALUE(MID({t},6,2))", f"VALUE(RIGHT({t},2))"
    digits = f"LEFT({t},4)&MID({t},6,2)&RIGHT({t},2)"
    shape = (
        f'AND(LEN({t})=10,MID({t},5,1)="-",MID({t},8,1)="-",'
        f'SUMPRODUCT(--ISNUMBER(FIND(MID({digits},{{1,2,3,4,5,6,7,8}},1),"0123456789")))=8)'
    )
    valid = f"AND({y}>=1900,{m}>=1,{m}<=12,{d}>=1,DAY(DATE({y},{m},{d}))={d})"
    return f'IF({shape},IF({valid},DATE({y},{m},{d}),""),"")'


# What each operator reads from its field: the text, the number.
_NEEDS_TEXT = {
    Operator.EQUALS,
    Operator.NOT_EQUALS,
    Operator.ONE_OF,
    Operator.NOT_ONE_OF,
    Operator.CONTAINS,
    Operator.IS_EMPTY,
    Operator.IS_NOT_EMPTY,
}
_NEEDS_NUMBER = {
    Operator.EQUALS,
    Operator.NOT_EQUALS,
    Operator.ONE_OF,
    Operator.NOT_ONE_OF,
    Operator.BETWEEN,
    Operator.AT_LEAST,
    Operator.AT_MOST,
    Operator.COUNT,
}
_VALUE_OPS = {Operator.EQUALS, Operator.NOT_EQUALS, Operator.CONTAINS}
_VALUES_OPS = {Operator.ONE_OF, Operator.NOT_ONE_OF}


# --------------------------------------------------------------------------- layout
@dataclass
class _Field:
    name: str  # as the rules name it (stripped)
    kind: str  # "codes" (text), "number" or "date"
    column: int  # the input column on the Lead Scorer
    helpers: dict[str, int] = field(default_factory=dict)  # helper kind → column


@dataclass
class _RuleRow:
    rule: ScoringRule
    index: int  # 1-based
    row: int  # on the Scoring Model

    @property
    def name(self) -> str:
        """Prefix of the rule's defined names: Rule1_Points, Rule1_Complete ..."""
        return f"Rule{self.index}_"


@dataclass
class _Layout:
    fields: list[_Field]
    rules: list[_RuleRow]
    slots: int  # value cells per rule on the Scoring Model
    n_leads: int
    total_leads: int
    blank_rows: int
    first_row: int = LEAD_HEADER_ROW + 1
    input_last: int = 0
    out_fit: int = 0
    first_rule: int = 0
    in_use: int = 0  # helper: whether the row holds a lead
    helpers: list[tuple[int, str]] = field(default_factory=list)  # (column, header)
    last_col: int = 0

    @property
    def last_row(self) -> int:
        return self.first_row + self.n_leads + self.blank_rows - 1

    def rule_col(self, rr: _RuleRow) -> int:
        return self.first_rule + rr.index - 1


# Scoring Model columns
(
    SM_NUM,
    SM_LABEL,
    SM_KIND,
    SM_FIELD,
    SM_OP,
    SM_VALUE,
    SM_MIN,
    SM_MAX,
    SM_POINTS,
    SM_CAP,
    SM_HALF_LIFE,
    SM_DECAY_FIELD,
    SM_STATUS,
    SM_VALUES,
) = range(1, 15)


def _sm_cols(slots: int) -> dict[str, int]:
    words = SM_VALUES + slots
    return {
        "words": words,
        "ok": words + 1,
        "vk": words + 2,
        "vn": words + 3,
        "vks": words + 4,
        "vns": words + 4 + slots,
    }


def _plan(content: ExportContent, max_leads: int | None, blank_rows: int) -> _Layout:
    defs = content.defs
    sample = content.leads
    total = sample.total if sample is not None else 0
    n = min(sample.n if sample is not None else 0, max(int(max_leads), 0) if max_leads is not None else total)
    decay_fields = {r.decay_date_field.strip() for r in defs.rules if r.decay_date_field.strip()}
    fields = []
    for k, name in enumerate(rule_fields(defs)):
        col = sample.columns.get(name) if sample is not None else None
        kind = col.kind if col is not None else ("date" if name in decay_fields else "codes")
        fields.append(_Field(name, kind, 3 + k))
    by_name = {f.name: f for f in fields}
    slots = max([MIN_VALUE_SLOTS] + [len(r.values) + 3 for r in defs.rules if r.operator in _VALUES_OPS])
    rules = [_RuleRow(rule, k + 1, RULE_HEADER_ROW + 1 + k) for k, rule in enumerate(defs.rules)]
    layout = _Layout(fields, rules, slots, n, total, max(int(blank_rows), 1))
    layout.input_last = 2 + len(fields)
    layout.out_fit = layout.input_last + 1
    layout.first_rule = layout.out_fit + 4
    col = layout.first_rule + len(rules)
    layout.in_use, col = col, col + 1
    layout.helpers.append((layout.in_use, "Row in use"))
    # Which helpers each field needs (only those some rule reads).
    needs: dict[str, set[str]] = {f.name: set() for f in fields}
    for rr in rules:
        rule = rr.rule
        f = by_name.get(rule.field.strip())
        if f is not None:
            if rule.operator in _NEEDS_TEXT:
                needs[f.name].add("text")
            if rule.operator in _NEEDS_NUMBER and f.kind != "date":  # dates are never numbers
                needs[f.name].add("number")
                if f.kind == "codes":
                    needs[f.name] |= {"text", "plain"}
        d = by_name.get(rule.decay_date_field.strip())
        if d is not None and d.kind != "number":  # numbers are never dates
            needs[d.name] |= {"text", "date"}
    for f in fields:
        for what in ("trim", "text", "plain", "number", "date"):
            if what in needs[f.name] or (what == "trim" and "text" in needs[f.name]):
                f.helpers[what] = col
                layout.helpers.append((col, f"{f.name} \u00b7 {what}"))
                col += 1
    layout.last_col = col - 1
    return layout


# --------------------------------------------------------------------------- the workbook
def write_workbook(
    content: ExportContent,
    path: Path | str,
    max_leads: int | None = None,
    progress: Any = None,
    blank_rows: int = BLANK_ROWS,
) -> None:
    """Write the scoring workbook to `path`, with the leads of `content.leads` (at most
    `max_leads` of them) on the Lead Scorer sheet. The file appears only when whole; on
    ExportCancelled or an error nothing is left behind."""
    path = Path(path)
    report(progress, 0.0, "Writing the scoring workbook\u2026")
    layout = _plan(content, max_leads, blank_rows)
    wb = Workbook(write_only=True)
    try:
        wb.calculation.fullCalcOnLoad = True
        _readme(wb, content, layout)
        _definitions(wb, content)
        sm = _scoring_model(wb, content, layout)
        _settings(wb, content)
        report(progress, 0.05, "Writing the leads\u2026")
        _lead_scorer(wb, content, layout, sm, progress)
        report(progress, 0.9, "Writing the calibration table\u2026")
        _calibration(wb, content, layout)
        _signoff(wb, content)
        wb.properties.title = f"{content.title} \u2014 scoring workbook"
        wb.properties.subject = f"Revision {content.revision.label} ({content.revision.status})"
        wb.properties.creator = "Accord"
        report(progress, 0.93, f"Saving {path.name}\u2026")
        with written_in_place_of(path) as tmp:
            wb.save(tmp)
            report(progress, 0.99, f"Saving {path.name}\u2026")
            os.chmod(tmp, 0o666 & ~_umask())  # as any new file: the temporary file was private
    except BaseException:
        _discard(wb)
        raise
    if progress is not None:
        progress.report(1.0, f"Wrote {path.name}")


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook that will not be saved and delete the temporary file each
    of its sheets streams into (openpyxl would otherwise keep them until the program ends)."""
    for ws in wb._sheets:  # noqa: SLF001 - openpyxl lists write-only sheets nowhere else
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        try:
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                if isinstance(writer.out, str) and os.path.exists(writer.out):
                    writer.cleanup()
        except Exception:  # noqa: BLE001 - best effort: the export already failed
            pass


def _umask() -> int:
    """The process's umask, read without changing it where the system tells (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _name(wb: Workbook, name: str, sheet: _Sheet, col: int, row: int) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet.ref}{sheet.addr(col, row)}")


def _fmt_dt(text: str | None) -> dt.datetime | str:
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


def _title(sheet: _Sheet, title: str, subtitle: str = "", subtitle_height: float | None = None) -> None:
    sheet.append([sheet.cell(title, "title")], height=28)
    if subtitle:
        sheet.append([sheet.cell(subtitle, "subtitle")], height=subtitle_height)


# --------------------------------------------------------------------------- README
def _readme(wb: Workbook, content: ExportContent, layout: _Layout) -> None:
    s = _Sheet(wb, "README", NAVY)
    s.print_setup()
    s.widths({1: 26, 2: 100})
    s.ws.sheet_view.showGridLines = False
    rev = content.revision
    team = content.defs.team
    _title(
        s,
        f"{content.title} \u2014 scoring workbook",
        f"{team.organisation or 'Lead scoring'} \u00b7 exported by Accord from {content.file_name}",
    )
    s.blank()
    status = "SIGNED" if rev.status == "signed" else "DRAFT \u2014 not signed yet"
    info = [
        ("Revision", rev.label or "\u2014"),
        ("Status", status),
        ("Content hash (SHA-256)", rev.content_hash or "\u2014"),
        ("Generated", _fmt_dt(content.generated_at.isoformat())),
    ]
    if content.leads_info is not None:
        li = content.leads_info
        sources = ", ".join(src.name for src in li.sources) or "\u2014"
        info.append(
            (
                "Historical leads",
                f"{li.rows:,} leads from {sources}, imported {li.imported_at.strftime('%Y-%m-%d %H:%M')} UTC",
            )
        )
    if layout.total_leads:
        shown = f"{layout.n_leads:,} of {layout.total_leads:,} leads"
        if layout.n_leads < layout.total_leads:
            shown += f" (the first {layout.n_leads:,}, in the data's order; the Calibration sheet uses all)"
        info.append(("In the Lead Scorer", shown))
    for label, value in info:
        style = "mono" if label.startswith("Content hash") else "when" if isinstance(value, dt.datetime) else "text"
        s.append([s.cell(label, "label"), s.cell(value, style)])
    s.blank()
    s.append([s.cell("How to use it", "section")])
    steps = [
        (
            "1. Score new leads",
            "On Lead Scorer, paste leads into the blue columns (ID, Outcome and the "
            "attribute columns, in that order) starting at the first empty row below the data. Fit, "
            "Engagement, Score and Hand-off appear at once; empty rows show nothing. "
            f"{layout.blank_rows} empty rows are ready; for more, copy the last row down.",
        ),
        (
            "2. Change the points",
            "On Scoring Model, change a rule's points, value, one-of values, minimum, "
            "maximum, cap or decay half-life (yellow cells): every score on Lead Scorer follows. The kind "
            "(fit or behaviour) moves the rule between Fit and Engagement.",
        ),
        (
            "3. Change the threshold",
            "On Settings, change Threshold or MinimumFit (the second gate, blank for "
            "none) and the hand-off column follows. AsOfDate is the day decay ages are counted to.",
        ),
        (
            "What stays fixed",
            "A rule's field, operator and decay date column decide which cells its formula "
            "reads; change those in Accord and export again (Scoring Model's Status column says when a row was "
            "changed here). The Calibration table is the app's threshold check of the historical leads at "
            "export: it does not follow edits made in this workbook.",
        ),
    ]
    for label, text in steps:
        s.append([s.cell(label, "label"), s.cell(text, "text")])
    s.blank()
    s.append([s.cell("The sheets", "section")])
    sheets = [
        ("Definitions", "The funnel stages (definitions, entry and exit criteria, owner, SLA) and the glossary."),
        ("Scoring Model", "One row per rule: kind, field, operator, operands, points, cap and decay."),
        (
            "Settings",
            "Threshold, minimum fit, as-of date, target and baseline rates, sales capacity and the "
            "weeks of history, as named cells (Threshold, MinimumFit, AsOfDate, TargetRate, BaselineRate, "
            "Capacity, HistoryWeeks) the formulas use.",
        ),
        (
            "Lead Scorer",
            "The leads with one column of points per rule, then fit, engagement, score and "
            "hand-off (Sales when score \u2265 Threshold and fit \u2265 MinimumFit, if set; else Nurture). "
            "Hidden helper columns at the right (the + above them) hold each attribute as the rules read it.",
        ),
        (
            "Calibration",
            "Leads passed, opportunity rate, coverage and leads per week at every threshold, with a "
            "chart; the row of the current threshold is highlighted.",
        ),
        ("Sign-off", "Who signs the definitions, when they signed, and the content hash they signed."),
    ]
    for label, text in sheets:
        s.append([s.cell(label, "label"), s.cell(text, "text")])
    s.blank()
    s.append([s.cell("How rules score", "section")])
    semantics = [
        (
            "Text",
            "Compared after trimming the ends, ignoring case. Equals and one-of compare as numbers "
            "when both sides are numbers (\u201c10\u201d equals \u201c10.0\u201d).",
        ),
        (
            "Missing values",
            "An empty or blank cell matches only \u201cis empty\u201d, \u201cdoes not equal\u201d "
            "and \u201cis not one of\u201d.",
        ),
        (
            "Numbers",
            "Between (inclusive), at least and at most read the value as a number; text that is not a "
            "number does not match.",
        ),
        ("Count", "Points per occurrence \u00d7 the count, at most the cap (either sign); no count gives 0."),
        (
            "Decay",
            "Points \u00d7 0.5^(age \u00f7 half-life), the age in days from the decay date column to "
            "AsOfDate (never negative); a lead without that date is not decayed.",
        ),
        (
            "Scores",
            "Fit = the fit rules' points, Engagement = the behaviour rules', Score = both; each rounded "
            "to 6 decimal places, as Accord does. A rule with a missing operand scores 0.",
        ),
    ]
    for label, text in semantics:
        s.append([s.cell(label, "label"), s.cell(text, "text")])


# --------------------------------------------------------------------------- Definitions
def _definitions(wb: Workbook, content: ExportContent) -> None:
    defs = content.defs
    s = _Sheet(wb, "Definitions", BLUE)
    s.print_setup(landscape=True)
    s.widths({1: 24, 2: 44, 3: 36, 4: 36, 5: 13, 6: 10, 7: 36, 8: 10})
    s.ws.sheet_view.showGridLines = False
    _title(s, "Definitions", "The funnel stages and the words both teams agreed to use.")
    s.blank()
    s.append([s.cell("Funnel stages", "section")])
    names = ["Stage", "Definition", "Entry criteria", "Exit criteria", "Owner", "SLA (hours)", "Examples", "Agreed"]
    header = s.append([s.cell(n, "header") for n in names])
    for stage in defs.stages:
        s.append(
            [
                s.cell(stage.name, "label"),
                s.cell(stage.definition, "cell"),
                s.cell(stage.entry_criteria, "cell"),
                s.cell(stage.exit_criteria, "cell"),
                s.cell(stage.owner.value, "cell"),
                s.cell(stage.sla_hours if stage.sla_hours is not None else "", "cell"),
                s.cell(stage.examples, "cell"),
                s.cell("Yes" if stage.agreed else "No", "cell"),
            ]
        )
    if not defs.stages:
        s.append([s.cell("(no stages defined)", "cell")] + [s.cell("", "cell") for _ in names[1:]])
    _table(s, "FunnelStages", 1, header, _unique(names), s.row)
    s.blank(2)
    s.append([s.cell("Glossary", "section")])
    names = ["Term", "Definition", "Notes", "Status"]
    header = s.append([s.cell(n, "header") for n in names])
    for term in defs.terms:
        s.append(
            [
                s.cell(term.term, "label"),
                s.cell(term.definition, "cell"),
                s.cell(term.notes, "cell"),
                s.cell(term.status.value, "cell"),
            ]
        )
    if not defs.terms:
        s.append([s.cell("(no terms defined)", "cell")] + [s.cell("", "cell") for _ in names[1:]])
    _table(s, "Glossary", 1, header, _unique(names), s.row)


# --------------------------------------------------------------------------- Scoring Model
@dataclass
class _ScoringModelRefs:
    sheet: _Sheet
    cols: dict[str, int]


def _scoring_model(wb: Workbook, content: ExportContent, layout: _Layout) -> _ScoringModelRefs:
    slots = layout.slots
    cols = _sm_cols(slots)
    s = _Sheet(wb, "Scoring Model", AMBER)
    s.print_setup(landscape=True, title_rows=f"{RULE_HEADER_ROW}:{RULE_HEADER_ROW}", pages_wide=2)
    s.ws.print_title_cols = "A:B"
    widths = {
        SM_NUM: 5,
        SM_LABEL: 30,
        SM_KIND: 11,
        SM_FIELD: 26,
        SM_OP: 13,
        SM_VALUE: 22,
        SM_MIN: 10,
        SM_MAX: 10,
        SM_POINTS: 9,
        SM_CAP: 8,
        SM_HALF_LIFE: 11,
        SM_DECAY_FIELD: 18,
        SM_STATUS: 24,
        cols["words"]: 60,
    }
    widths.update({SM_VALUES + k: 18 for k in range(slots)})
    s.widths(widths)
    first_helper = cols["ok"]
    last_helper = cols["vns"] + slots - 1
    s.ws.column_dimensions.group(
        get_column_letter(first_helper), get_column_letter(last_helper), hidden=True, outline_level=1
    )
    s.ws.freeze_panes = s.addr(SM_LABEL + 1, RULE_HEADER_ROW + 1, absolute=False)
    _title(
        s,
        "Scoring Model",
        "Yellow cells are live: change points, value(s), minimum, maximum, cap or half-life and every "
        "score on Lead Scorer follows. Grey cells (field, operator, decay date column) decide which "
        "cells a rule's formula reads: change them in Accord and export again.",
        subtitle_height=30,
    )
    s.blank()
    headers = {
        SM_NUM: "#",
        SM_LABEL: "Label",
        SM_KIND: "Kind",
        SM_FIELD: "Field",
        SM_OP: "Operator",
        SM_VALUE: "Value",
        SM_MIN: "Minimum",
        SM_MAX: "Maximum",
        SM_POINTS: "Points",
        SM_CAP: "Cap",
        SM_HALF_LIFE: "Decay half-life (days)",
        SM_DECAY_FIELD: "Decay date column",
        SM_STATUS: "Status",
        cols["words"]: "Rule as exported",
        cols["ok"]: "(helper) complete",
        cols["vk"]: "(helper) value text",
        cols["vn"]: "(helper) value number",
    }
    for k in range(slots):
        headers[SM_VALUES + k] = f"One of: value {k + 1}"
        headers[cols["vks"] + k] = f"(helper) value {k + 1} text"
        headers[cols["vns"] + k] = f"(helper) value {k + 1} number"
    row_values: list[Any] = [None] * last_helper
    for col, text in headers.items():
        style = "header_helper" if col >= first_helper else "header_rule" if col == SM_POINTS else "header"
        row_values[col - 1] = s.cell(text, style)
    s.append(row_values, height=32)
    for rr in layout.rules:
        s.append(_rule_row(s, rr, cols, slots))
        _rule_names(wb, s, rr, cols, slots)
    last = RULE_HEADER_ROW + max(len(layout.rules), 1)
    if not layout.rules:
        s.append([s.cell("(no rules defined)", "text")])
    # Validation of the input cells
    first = RULE_HEADER_ROW + 1
    letter = get_column_letter

    def dv(kind: str, col: int, **kw: Any) -> None:
        v = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, **kw)
        v.add(f"{letter(col)}{first}:{letter(col)}{last}")
        s.ws.data_validations.append(v)

    dv("list", SM_KIND, formula1='"fit,behaviour"', errorTitle="Kind", error="Kind is fit or behaviour.")
    dv(
        "list",
        SM_OP,
        formula1=_q(",".join(op.value for op in Operator)),
        errorTitle="Operator",
        error="Choose an operator from the list.",
    )
    for col, name in ((SM_MIN, "Minimum"), (SM_MAX, "Maximum"), (SM_POINTS, "Points")):
        dv(
            "decimal",
            col,
            operator="between",
            formula1="-1E+300",
            formula2="1E+300",
            errorTitle=name,
            error=f"{name} is a number.",
        )
    dv(
        "decimal",
        SM_CAP,
        operator="greaterThanOrEqual",
        formula1="0",
        errorTitle="Cap",
        error="The cap is a number of points, 0 or more (blank: no cap).",
    )
    dv(
        "decimal",
        SM_HALF_LIFE,
        operator="greaterThan",
        formula1="0",
        errorTitle="Half-life",
        error="The half-life is a number of days above 0 (blank: no decay).",
    )
    status = f"{letter(SM_STATUS)}{first}:{letter(SM_STATUS)}{last}"
    s.ws.conditional_formatting.add(
        status,
        CellIsRule(operator="equal", formula=['"Live"'], font=Font(color="1B6E3A", bold=True), fill=_fill("E3F4E8")),
    )
    s.ws.conditional_formatting.add(
        status,
        FormulaRule(
            formula=[f'LEFT({letter(SM_STATUS)}{first},10)="Incomplete"'],
            font=Font(color="A12622", bold=True),
            fill=_fill("FBE4E2"),
        ),
    )
    s.ws.conditional_formatting.add(
        status,
        FormulaRule(
            formula=[f'LEFT({letter(SM_STATUS)}{first},7)="Changed"'],
            font=Font(color="8A5A00", bold=True),
            fill=_fill("FFF0D0"),
        ),
    )
    s.blank()
    notes = [
        "Operators: equals, not_equals, one_of, not_one_of (values in the \u201cOne of\u201d cells), contains, "
        "between, at_least, at_most (minimum / maximum), is_empty, is_not_empty, count (behaviour rules: the "
        "count \u00d7 points, at most the cap either way).",
        "Decay (optional): points \u00d7 0.5^(age \u00f7 half-life), age in days from the decay date column to "
        "AsOfDate on Settings. It needs both a half-life and a decay date column.",
        "A rule missing what its operator needs (a value, a minimum, ...) scores 0: its Status says so.",
    ]
    for note in notes:
        s.append([None, s.cell(note, "note")])
    return _ScoringModelRefs(s, cols)


def _rule_row(s: _Sheet, rr: _RuleRow, cols: dict[str, int], slots: int) -> list[Any]:
    rule, r = rr.rule, rr.row
    a = lambda col: s.addr(col, r, absolute=False)  # noqa: E731
    out: list[Any] = [None] * (cols["vns"] + slots - 1)

    def put(col: int, value: Any, style: str, formula: bool = False) -> None:
        out[col - 1] = s.cell(value, style, formula=formula)

    put(SM_NUM, rr.index, "cell")
    put(SM_LABEL, rule.label or describe_rule(rule), "input_text")
    put(SM_KIND, rule.kind.value, "input_text")
    put(SM_FIELD, rule.field, "structural")
    put(SM_OP, rule.operator.value, "structural")
    put(SM_VALUE, rule.value, "input_text")
    put(SM_MIN, rule.minimum, "input")
    put(SM_MAX, rule.maximum, "input")
    put(SM_POINTS, rule.points, "input")
    put(SM_CAP, rule.cap, "input")
    put(SM_HALF_LIFE, rule.decay_half_life_days, "input")
    put(SM_DECAY_FIELD, rule.decay_date_field, "structural")
    for k in range(slots):
        value = rule.values[k] if k < len(rule.values) else None
        put(SM_VALUES + k, value, "input_text")
    put(cols["words"], describe_rule(rule), "small")
    # Helpers: operands as the formulas compare them, and whether the rule is complete.
    put(cols["vk"], "=" + _operand_text(a(SM_VALUE)), "formula", True)
    put(cols["vn"], "=" + _operand_number(a(SM_VALUE), a(cols["vk"])), "formula", True)
    for k in range(slots):
        put(cols["vks"] + k, "=" + _operand_text(a(SM_VALUES + k)), "formula", True)
        put(cols["vns"] + k, "=" + _operand_number(a(SM_VALUES + k), a(cols["vks"] + k)), "formula", True)
    put(cols["ok"], "=" + _complete(rule, s, r, cols, slots), "formula", True)
    ok = a(cols["ok"])
    # The cells the formulas were made for, as exported (TRIM as Excel trims, case kept).
    same = ",".join(
        f"EXACT(TRIM({a(col)}),{_q(re.sub(' +', ' ', text.strip(' ')))})"
        for col, text in ((SM_FIELD, rule.field), (SM_OP, rule.operator.value), (SM_DECAY_FIELD, rule.decay_date_field))
    )
    put(
        SM_STATUS,
        f'=IF(NOT({ok}),"Incomplete: scores 0",IF(AND({same}),"Live",'
        f'"Changed field/operator: export again from Accord"))',
        "formula",
        True,
    )
    return out


def _operand_text(x: str) -> str:
    """An operand as the reference compares it: str(value).strip().casefold()."""
    return _text(x, _trim(x))


def _operand_number(x: str, text: str) -> str:
    """An operand's number (as_number), from its cell and its text helper."""
    plain = f'SUBSTITUTE({text},",","")'
    return f"IF(ISNUMBER({x}),{x},{_parse_number(plain)})"


def _rule_names(wb: Workbook, s: _Sheet, rr: _RuleRow, cols: dict[str, int], slots: int) -> None:
    """The defined names a rule's Lead Scorer formula reads: Rule1_Points, Rule1_Complete ..."""
    op, r = rr.rule.operator, rr.row
    names = {"Complete": cols["ok"], "Points": SM_POINTS}
    if op in _VALUE_OPS:
        names |= {"ValueText": cols["vk"], "ValueNumber": cols["vn"]}
    if op in (Operator.BETWEEN, Operator.AT_LEAST):
        names["Minimum"] = SM_MIN
    if op in (Operator.BETWEEN, Operator.AT_MOST):
        names["Maximum"] = SM_MAX
    if op == Operator.COUNT:
        names["Cap"] = SM_CAP
    if rr.rule.decay_date_field.strip():
        names["HalfLife"] = SM_HALF_LIFE
    for suffix, col in names.items():
        _name(wb, rr.name + suffix, s, col, r)
    if op in _VALUES_OPS:
        for suffix, col in (("ValueTexts", cols["vks"]), ("ValueNumbers", cols["vns"])):
            wb.defined_names[rr.name + suffix] = DefinedName(
                rr.name + suffix, attr_text=f"{s.ref}{s.addr(col, r)}:{s.addr(col + slots - 1, r)}"
            )


def _complete(rule: ScoringRule, s: _Sheet, r: int, cols: dict[str, int], slots: int) -> str:
    """Whether the rule can be scored, as models.definitions_json.rule_problems decides, from
    the live cells (the operator is the exported one, which the formulas use)."""
    a = lambda col: s.addr(col, r, absolute=False)  # noqa: E731
    op = rule.operator
    parts = [f"LEN(TRIM({a(SM_FIELD)}))>0"]
    if op in _VALUE_OPS:
        parts.append(f'{a(cols["vk"])}<>""')
    if op in _VALUES_OPS:
        vks = f"{a(cols['vks'])}:{a(cols['vks'] + slots - 1)}"
        parts.append(f'SUMPRODUCT(--({vks}<>""))>0')
    if op in (Operator.BETWEEN, Operator.AT_LEAST):
        parts.append(f"ISNUMBER({a(SM_MIN)})")
    if op in (Operator.BETWEEN, Operator.AT_MOST):
        parts.append(f"ISNUMBER({a(SM_MAX)})")
    if op == Operator.BETWEEN:
        parts.append(f"{a(SM_MIN)}<={a(SM_MAX)}")
    if op == Operator.COUNT:
        parts.append(f'LOWER(TRIM({a(SM_KIND)}))="behaviour"')
    else:
        parts.append(f"NOT(ISNUMBER({a(SM_CAP)}))")
    hl = a(SM_HALF_LIFE)
    parts.append(f"ISNUMBER({hl})=(LEN(TRIM({a(SM_DECAY_FIELD)}))>0)")
    parts.append(f"OR(NOT(ISNUMBER({hl})),{hl}>0)")
    parts.append(f"ISNUMBER({a(SM_POINTS)})+ISBLANK({a(SM_POINTS)})>0")
    return f"AND({','.join(parts)})"


# --------------------------------------------------------------------------- Settings
def _settings(wb: Workbook, content: ExportContent) -> None:
    defs = content.defs
    team, scoring = defs.team, defs.scoring
    s = _Sheet(wb, "Settings", TEAL)
    s.print_setup()
    s.widths({1: 30, 2: 18, 3: 90})
    s.ws.sheet_view.showGridLines = False
    _title(s, "Settings", "Named cells the Lead Scorer formulas use; yellow cells are yours to change.")
    s.blank()
    s.append([s.cell(n, "header") for n in ("Setting", "Value", "What it means")])
    check = content.check
    weeks_used = check.weeks if check is not None else None
    rows: list[tuple[str, str, Any, str, str]] = [
        (
            "Threshold",
            "Hand-off threshold (points)",
            scoring.threshold,
            "input",
            "A lead goes to sales when its score is at least this.",
        ),
        (
            "MinimumFit",
            "Minimum fit score (points)",
            scoring.minimum_fit,
            "input",
            "Optional second gate: the fit score must also be at least this. Blank: no second gate.",
        ),
        (
            "AsOfDate",
            "As-of date for decay",
            scoring.as_of_date,
            "input_date",
            "Decay ages are counted to this day. Blank: the workshop date (or today, without one).",
        ),
        ("WorkshopDate", "Workshop date", team.date, "input_date", "The date of the workshop."),
        (
            "AsOfDateUsed",
            "As-of date used",
            "=IF(ISNUMBER(AsOfDate),AsOfDate,IF(ISNUMBER(WorkshopDate),WorkshopDate,TODAY()))",
            "formula_date",
            "The day decay is measured to (formula).",
        ),
        (
            "TargetRate",
            "Target opportunity rate",
            team.target_rate,
            "input_percent",
            "Share of hand-offs sales expects to become opportunities.",
        ),
        (
            "BaselineRate",
            "Baseline rate (cold calling)",
            team.baseline_rate,
            "input_percent",
            "Opportunity rate without marketing, for comparison.",
        ),
        ("Reps", "Sales reps", team.reps, "input", "Reps following up marketing's leads."),
        (
            "LeadsPerRepPerWeek",
            "Leads per rep per week",
            team.leads_per_rep_per_week,
            "input",
            "New leads one rep can follow up in a week.",
        ),
        (
            "Capacity",
            "Sales capacity (leads per week)",
            "=Reps*LeadsPerRepPerWeek",
            "formula",
            "Reps \u00d7 leads per rep per week (formula).",
        ),
        (
            "HistoryWeeks",
            "Weeks of history",
            scoring.history_weeks,
            "input",
            "Weeks the imported history covers (blank: the span of the leads' creation dates"
            + (f"; the check used {weeks_used:.1f} weeks" if weeks_used else "")
            + ").",
        ),
    ]
    for name, label, value, style, text in rows:
        r = s.append(
            [s.cell(label, "label"), s.cell(value, style, formula=style.startswith("formula")), s.cell(text, "text")]
        )
        _name(wb, name, s, 2, r)
    s.blank()
    s.append([s.cell("Team and targets", "section")])
    other = [
        ("Workshop", team.workshop_name),
        ("Organisation", team.organisation),
        ("Facilitator", team.facilitator),
        ("Period", team.period),
        ("Currency", team.currency),
        ("Revenue goal", team.revenue_goal if team.revenue_goal is not None else ""),
    ]
    for label, value in other:
        s.append([s.cell(label, "label"), s.cell(value, "int" if isinstance(value, float) else "plain")])


# --------------------------------------------------------------------------- Lead Scorer
def _rule_formula(rr: _RuleRow, f: _Field | None, decay: _Field | None, row: str) -> str:
    """The points of one rule for the lead on `row`, from its field's helpers and the rule's
    named cells on the Scoring Model (Rule1_Points ...)."""
    rule, n = rr.rule, rr.name
    op = rule.operator
    L = get_column_letter
    helpers = f.helpers if f is not None else {}
    text = f"${L(helpers['text'])}{row}" if "text" in helpers else '""'
    num = f"${L(helpers['number'])}{row}" if "number" in helpers else '""'
    factor = ""
    if decay is not None and "date" in decay.helpers:
        d = f"${L(decay.helpers['date'])}{row}"
        factor = f"*IF(ISNUMBER({d}),POWER(0.5,MAX(AsOfDateUsed-{d},0)/{n}HalfLife),1)"
    ok, points = f"{n}Complete", f"{n}Points"
    if op == Operator.COUNT:
        cap = f"{n}Cap"
        counted = f"IF(ISNUMBER({cap}),MEDIAN(-{cap},{num}*{points},{cap}),{num}*{points})"
        return f"IF(AND({ok},ISNUMBER({num})),{counted}{factor},0)"
    vt, vn = f"{n}ValueText", f"{n}ValueNumber"
    same = f"IF(AND(ISNUMBER({num}),ISNUMBER({vn})),{num}={vn},{text}={vt})"
    any_of = f"IF(ISNUMBER({num}),SUMPRODUCT(--({n}ValueNumbers={num})),SUMPRODUCT(--({n}ValueTexts={text})))>0"
    match = {
        Operator.EQUALS: f'AND({text}<>"",{same})',
        Operator.NOT_EQUALS: f'OR({text}="",NOT({same}))',
        Operator.ONE_OF: f'AND({text}<>"",{any_of})',
        Operator.NOT_ONE_OF: f'OR({text}="",NOT({any_of}))',
        Operator.CONTAINS: f'AND({text}<>"",ISNUMBER(FIND({vt},{text})))',
        Operator.BETWEEN: f"AND(ISNUMBER({num}),{num}>={n}Minimum,{num}<={n}Maximum)",
        Operator.AT_LEAST: f"AND(ISNUMBER({num}),{num}>={n}Minimum)",
        Operator.AT_MOST: f"AND(ISNUMBER({num}),{num}<={n}Maximum)",
        Operator.IS_EMPTY: f'{text}=""',
        Operator.IS_NOT_EMPTY: f'{text}<>""',
    }[op]
    return f"IF(AND({ok},{match}),{points}{factor},0)"


def _helper_formula(f: _Field, what: str, row: str) -> str:
    L = get_column_letter
    x = f"${L(f.column)}{row}"
    h = {k: f"${L(c)}{row}" for k, c in f.helpers.items()}
    if what == "trim":
        return _trim(x)
    if what == "text":
        return _text(x, h["trim"], date_column=f.kind == "date")
    if what == "plain":
        return f'SUBSTITUTE({h["text"]},",","")'
    if what == "number":
        if f.kind == "number":  # a number column: its numbers (type numbers as numbers)
            return f'IF(ISNUMBER({x}),{x},"")'
        return f"IF(ISNUMBER({x}),{x},{_parse_number(h['plain'])})"
    if what == "date":
        if f.kind == "date":
            return f"IF(ISNUMBER({x}),INT({x}),{_iso_date(h['text'])})"
        return _iso_date(h["text"])
    raise ValueError(what)


def _lead_scorer(wb: Workbook, content: ExportContent, layout: _Layout, sm: _ScoringModelRefs, progress: Any) -> None:
    s = _Sheet(wb, "Lead Scorer", TEAL)
    s.print_setup(landscape=True, title_rows=f"{LEAD_HEADER_ROW}:{LEAD_HEADER_ROW}", pages_wide=0)
    s.ws.print_title_cols = "A:A"
    L = get_column_letter
    fields, rules = layout.fields, layout.rules
    fit_col, eng_col, score_col, hand_col = (layout.out_fit + k for k in range(4))
    widths = {1: 24, 2: 10, fit_col: 9, eng_col: 12, score_col: 9, hand_col: 11}
    widths.update({f.column: 18 for f in fields})
    widths.update({layout.rule_col(rr): 14 for rr in rules})
    widths.update({col: 14 for col, _ in layout.helpers})
    s.widths(widths)
    s.ws.column_dimensions.group(L(layout.helpers[0][0]), L(layout.helpers[-1][0]), hidden=True, outline_level=1)
    s.ws.freeze_panes = f"B{layout.first_row}"
    _title(
        s,
        "Lead Scorer",
        "Paste leads into the blue columns from the first empty row (the columns in this order); "
        "scores appear at once. Points come from Scoring Model, the threshold from Settings.",
    )
    # Row 3: each rule's kind, which decides whether it counts towards Fit or Engagement.
    kinds: list[Any] = [None] * layout.last_col
    if rules:
        kinds[hand_col - 1] = s.cell("Rule kind \u2192", "kind_label")
    for rr in rules:
        kinds[layout.rule_col(rr) - 1] = s.cell(
            f"=LOWER(TRIM({sm.sheet.ref}{sm.sheet.addr(SM_KIND, rr.row)}))", "kind", formula=True
        )
    s.append(kinds)
    # Row 4: the table header.
    names = ["ID", "Outcome"] + [f.name for f in fields] + ["Fit", "Engagement", "Score", "Hand-off"]
    names += [f"R{rr.index} {rr.rule.label or describe_rule(rr.rule)}" for rr in rules]
    names += [h for _, h in layout.helpers]
    names = _unique(names)
    header: list[Any] = []
    for k, name in enumerate(names, 1):
        style = (
            "header_in"
            if k <= layout.input_last
            else "header_out"
            if k < layout.first_rule
            else "header_rule"
            if k < layout.in_use
            else "header_helper"
        )
        header.append(s.cell(name, style))
    s.append(header, height=60)

    # The formulas of a row: templates with a placeholder for the row number.
    ROW = "\x00"
    by_name = {f.name: f for f in fields}
    in_use = f"${L(layout.in_use)}{ROW}"
    templates: list[tuple[int, str]] = [(layout.in_use, f"=COUNTA($A{ROW}:${L(layout.input_last)}{ROW})>0")]
    if rules:
        points = f"${L(layout.first_rule)}{ROW}:${L(layout.first_rule + len(rules) - 1)}{ROW}"
        kind_row = (
            f"${L(layout.first_rule)}${LEAD_HEADER_ROW - 1}:"
            f"${L(layout.first_rule + len(rules) - 1)}${LEAD_HEADER_ROW - 1}"
        )
        fit_raw, eng_raw = f'SUMIF({kind_row},"fit",{points})', f'SUMIF({kind_row},"behaviour",{points})'
    else:
        fit_raw = eng_raw = "0"
    templates += [
        (fit_col, f'=IF({in_use},ROUND({fit_raw},6),"")'),
        (eng_col, f'=IF({in_use},ROUND({eng_raw},6),"")'),
        (score_col, f'=IF({in_use},ROUND({fit_raw}+{eng_raw},6),"")'),
        (
            hand_col,
            f"=IF({in_use},IF(AND(${L(score_col)}{ROW}>=Threshold,OR(NOT(ISNUMBER(MinimumFit)),"
            f'${L(fit_col)}{ROW}>=MinimumFit)),"{HANDOFF_YES}","{HANDOFF_NO}"),"")',
        ),
    ]
    for rr in rules:
        f = by_name.get(rr.rule.field.strip())
        d = by_name.get(rr.rule.decay_date_field.strip()) if rr.rule.decay_date_field.strip() else None
        templates.append((layout.rule_col(rr), f'=IF({in_use},{_rule_formula(rr, f, d, ROW)},"")'))
    for f in fields:
        for what, col in f.helpers.items():
            templates.append((col, "=" + _helper_formula(f, what, ROW)))
    split = [(col, t.split(ROW)) for col, t in templates]

    # The leads, in the data's order, then the empty rows.
    sample = content.leads
    columns = [sample.columns.get(f.name) if sample is not None else None for f in fields]
    ids = sample.ids if sample is not None else ()
    outcome = sample.outcome if sample is not None else None
    n, total_rows = layout.n_leads, layout.n_leads + layout.blank_rows
    input_styles = ["text_cell" if f.kind == "codes" else "date" if f.kind == "date" else None for f in fields]
    step = max(500, total_rows // 50)
    for i in range(total_rows):
        if i % step == 0:
            report(
                progress,
                0.05 + 0.83 * i / max(total_rows, 1),
                f"Writing lead {i + 1:,} of {n:,}\u2026" if i < n else "Writing the empty rows\u2026",
            )
        values: list[Any] = [None] * layout.last_col
        if i < n:
            values[0] = s.cell(ids[i], "text_cell")
            values[1] = "Yes" if outcome[i] else "No"  # type: ignore[index]
            for k, col in enumerate(columns):
                if col is None:
                    continue
                v = col.value(i)
                if v is None:
                    continue
                if isinstance(v, (dt.date, str)):
                    values[fields[k].column - 1] = s.cell(v, input_styles[k])
                elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
                    values[fields[k].column - 1] = int(v)
                else:
                    values[fields[k].column - 1] = s.cell(v)
        else:
            values[0] = s.cell(None, "text_cell")
            for k, f in enumerate(fields):
                if input_styles[k]:
                    values[f.column - 1] = s.cell(None, input_styles[k])
        number = str(layout.first_row + i)
        for col, parts in split:
            values[col - 1] = number.join(parts)
        s.append(values)

    last_row = layout.last_row
    _table(s, "Leads", 1, LEAD_HEADER_ROW, names, last_row, style="TableStyleLight9")
    hand = f"{L(hand_col)}{layout.first_row}:{L(hand_col)}{last_row}"
    s.ws.conditional_formatting.add(
        hand,
        CellIsRule(
            operator="equal", formula=[f'"{HANDOFF_YES}"'], font=Font(color="FFFFFF", bold=True), fill=_fill("2E7D4F")
        ),
    )
    s.ws.conditional_formatting.add(
        hand, CellIsRule(operator="equal", formula=[f'"{HANDOFF_NO}"'], font=Font(color="5A6570"), fill=_fill("E9EDF1"))
    )
    first_score = f"{L(score_col)}{layout.first_row}"
    s.ws.conditional_formatting.add(
        f"{L(score_col)}{layout.first_row}:{L(score_col)}{last_row}",
        FormulaRule(
            formula=[f"AND(ISNUMBER({first_score}),{first_score}>=Threshold)"], font=Font(bold=True, color="1B5E35")
        ),
    )


# --------------------------------------------------------------------------- Calibration
def _calibration(wb: Workbook, content: ExportContent, layout: _Layout) -> None:
    s = _Sheet(wb, "Calibration", BLUE)
    s.print_setup(landscape=True)
    s.widths({1: 13, 2: 12, 3: 14, 4: 12, 5: 12, 6: 14, 7: 12, 8: 14, 9: 3})
    s.ws.sheet_view.showGridLines = False
    check = content.check
    if check is None:
        _title(
            s,
            "Calibration",
            "No historical leads in this revision: import leads in Accord to check the threshold against them.",
        )
        return
    from models.check import fmt_pct

    fig = check.figures
    rec = check.recommendation
    curves = check.curves
    weeks = check.weeks
    _title(
        s,
        "Calibration",
        f"The threshold check of Accord on {check.leads:,} historical leads at export (values, not "
        "formulas: edits in this workbook do not change them).",
        subtitle_height=30,
    )
    s.blank()
    summary = [
        (
            "Historical leads",
            f"{fig.leads:,}, of which {fig.all_opportunities:,} became opportunities ({fmt_pct(fig.overall_rate, 1)})",
        ),
        ("Weeks of history", f"{weeks:.1f}" if weeks else "unknown"),
        (
            "Current threshold",
            f"{fig.threshold:g} points: {fig.passed:,} leads passed, rate "
            f"{fmt_pct(fig.rate, 1)}, coverage {fmt_pct(fig.coverage, 1)}"
            + (f", {fig.weekly_volume:,.1f} per week" if fig.weekly_volume is not None else ""),
        ),
        ("Target and capacity", f"rate \u2265 {fmt_pct(fig.target_rate, 1)}, at most {fig.capacity:,} leads a week"),
        (
            "Recommended threshold",
            (f"{rec.threshold} points: " if rec.threshold is not None else "none: ") + rec.reason,
        ),
    ]
    for label, text in summary:
        s.append([s.cell(label, "nowrap_label"), None, s.cell(text, "plain")])
    s.append(
        [
            s.cell("Hand-offs on Lead Scorer now", "nowrap_label"),
            None,
            s.cell(
                f"=COUNTIF({quote_sheetname('Lead Scorer')}!${get_column_letter(layout.out_fit + 3)}:"
                f'${get_column_letter(layout.out_fit + 3)},"{HANDOFF_YES}")&" of "&'
                f"COUNTIF({quote_sheetname('Lead Scorer')}!${get_column_letter(layout.out_fit + 2)}:"
                f'${get_column_letter(layout.out_fit + 2)},">-1E+300")&" leads at Threshold "&Threshold'
                '&" (live)"',
                "plain",
                formula=True,
            ),
        ]
    )
    s.blank()
    names = [
        "Threshold",
        "Leads passed",
        "Opportunities",
        "Rate",
        "Coverage",
        "Leads per week",
        "Target rate",
        "Capacity",
    ]
    header = s.append([s.cell(n, "header") for n in names], height=30)
    s.ws.print_title_rows = f"{header}:{header}"
    thresholds, rate, coverage, weekly = curves.threshold, curves.rate, curves.coverage, curves.weekly
    passed, opps = curves.passed, curves.opportunities

    def num(v: float) -> float | None:
        return None if v is None or not math.isfinite(float(v)) else float(v)

    for k in range(len(thresholds)):
        t = float(thresholds[k])
        s.append(
            [
                s.cell(int(t) if t.is_integer() else t, "int"),
                s.cell(int(passed[k]), "int"),
                s.cell(int(opps[k]), "int"),
                s.cell(num(rate[k]), "percent"),
                s.cell(num(coverage[k]), "percent"),
                s.cell(num(weekly[k]), "decimal"),
                s.cell(fig.target_rate, "percent"),
                s.cell(fig.capacity, "int"),
            ]
        )
    first, last = header + 1, s.row
    _table(s, "ThresholdTable", 1, header, names, last)
    s.ws.conditional_formatting.add(
        f"A{first}:H{last}", FormulaRule(formula=[f"$A{first}=Threshold"], fill=_fill("FFE9A8"), font=Font(bold=True))
    )
    if rec.threshold is not None:
        s.ws.conditional_formatting.add(
            f"A{first}:A{last}",
            FormulaRule(
                formula=[f"$A{first}={rec.threshold}"], fill=_fill("CDEBD7"), font=Font(bold=True, color="1B6E3A")
            ),
        )
    _calibration_chart(s, header, first, last, weekly_known=bool(weeks))


def _calibration_chart(s: _Sheet, header: int, first: int, last: int, weekly_known: bool) -> None:
    """Rate (left axis) and leads per week (right axis) against the threshold, with the
    target rate and the capacity as dashed lines."""
    ws = s.ws
    rate = LineChart()
    rate.title = "Opportunity rate and weekly volume by threshold"
    rate.style = 2
    rate.height, rate.width = 11, 24
    rate.y_axis.title = "Opportunity rate (%)"
    rate.y_axis.number_format = "0%"
    rate.y_axis.majorGridlines = ChartLines()
    rate.y_axis.scaling.min = 0
    rate.y_axis.scaling.max = 1
    rate.x_axis.title = "Threshold (points)"
    rate.x_axis.number_format = "0"
    rate.x_axis.tickLblSkip = max(1, (last - first + 1) // 12)
    rate.x_axis.tickMarkSkip = rate.x_axis.tickLblSkip
    rate.x_axis.delete = False
    rate.x_axis.axPos = "b"
    rate.y_axis.delete = False
    rate.y_axis.crosses = "min"
    rate.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    rate.add_data(Reference(ws, min_col=7, min_row=header, max_row=last), titles_from_data=True)
    cats = Reference(ws, min_col=1, min_row=first, max_row=last)
    rate.set_categories(cats)
    for k, series in enumerate(rate.series):
        series.smooth = False
        series.marker.symbol = "none"
        series.graphicalProperties.line.solidFill = "2F6FA8"
        series.graphicalProperties.line.width = 28575 if k == 0 else 15875
        if k == 1:
            series.graphicalProperties.line.dashStyle = "dash"
    if weekly_known:
        volume = LineChart()
        volume.add_data(Reference(ws, min_col=6, min_row=header, max_row=last), titles_from_data=True)
        volume.add_data(Reference(ws, min_col=8, min_row=header, max_row=last), titles_from_data=True)
        volume.set_categories(cats)
        volume.y_axis.axId = 200
        volume.y_axis.title = "Leads per week"
        volume.y_axis.number_format = "#,##0"
        volume.y_axis.crosses = "max"
        volume.y_axis.delete = False
        volume.y_axis.axPos = "r"
        volume.y_axis.majorGridlines = None
        volume.y_axis.scaling.min = 0
        for k, series in enumerate(volume.series):
            series.smooth = False
            series.marker.symbol = "none"
            series.graphicalProperties.line.solidFill = "B26B00"
            series.graphicalProperties.line.width = 28575 if k == 0 else 15875
            if k == 1:
                series.graphicalProperties.line.dashStyle = "dash"
        rate += volume
    rate.legend.position = "b"
    ws.add_chart(rate, f"J{header}")


# --------------------------------------------------------------------------- Sign-off
def _signoff(wb: Workbook, content: ExportContent) -> None:
    rev = content.revision
    s = _Sheet(wb, "Sign-off", GREY)
    s.print_setup(landscape=True)
    s.widths({1: 26, 2: 24, 3: 14, 4: 20, 5: 40, 6: 68, 7: 16})
    s.ws.sheet_view.showGridLines = False
    signed = rev.status == "signed"
    _title(
        s,
        "Sign-off",
        "These definitions are signed."
        if signed
        else "DRAFT: these definitions are not signed yet. Only a signed revision is the agreed one.",
    )
    s.blank()
    rows = [
        ("Revision", rev.label or "\u2014"),
        ("Status", "Signed" if signed else "Draft"),
        ("Content hash (SHA-256)", rev.content_hash or "\u2014"),
    ]
    if rev.signed_at:
        rows.append(("Signed (locked)", _fmt_dt(rev.signed_at)))
    for label, value in rows:
        style = "mono" if label.startswith("Content") else "when" if isinstance(value, dt.datetime) else "text"
        s.append([s.cell(label, "label"), s.cell(value, style)])
    s.blank()
    s.append([s.cell("Signers", "section")])
    names = ["Signer", "Role", "Team", "Signed at (UTC)", "Statement", "Content hash signed", "Signature"]
    header = s.append([s.cell(n, "header") for n in names])
    signatures = {sig.signer: sig for sig in rev.signatures}
    people = content.defs.signers()
    listed = set()
    lines = []
    for person in people:
        sig = signatures.get(person.name)
        listed.add(person.name)
        lines.append((person.name, person.role, person.team.value, sig))
    for sig in rev.signatures:
        if sig.signer not in listed:
            lines.append((sig.signer, sig.role, "", sig))
    for name, role, team, sig in lines:
        if sig is None:
            state = "not signed"
            s.append(
                [
                    s.cell(name, "label"),
                    s.cell(role, "cell"),
                    s.cell(team, "cell"),
                    s.cell("", "cell"),
                    s.cell("", "cell"),
                    s.cell("", "cell"),
                    s.cell(state, "cell"),
                ]
            )
        else:
            state = (
                "valid"
                if sig.valid
                else ("signature does not match" if rev.signature_matches is False else "earlier draft")
            )
            s.append(
                [
                    s.cell(name, "label"),
                    s.cell(sig.role or role, "cell"),
                    s.cell(team, "cell"),
                    s.cell(_fmt_dt(sig.signed_at), "datetime"),
                    s.cell(sig.statement, "cell"),
                    s.cell(sig.content_hash, "mono"),
                    s.cell(state, "cell"),
                ]
            )
    if not lines:
        s.append([s.cell("(no signers named)", "cell")] + [s.cell("", "cell") for _ in names[1:]])
    _table(s, "Signers", 1, header, names, s.row)
    s.ws.conditional_formatting.add(
        f"G{header + 1}:G{s.row}",
        CellIsRule(operator="equal", formula=['"valid"'], font=Font(bold=True, color="1B6E3A")),
    )
    s.ws.conditional_formatting.add(
        f"G{header + 1}:G{s.row}",
        CellIsRule(operator="notEqual", formula=['"valid"'], font=Font(bold=True, color="A12622")),
    )
