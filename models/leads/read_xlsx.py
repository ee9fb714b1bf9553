"""Read one sheet of an Excel workbook (XLSX; by content, so also XLS/XLSB/ODS) into a `RawTable`.

python-calamine parses the sheet (about ten times faster than openpyxl); this module then
finds the table in it:

* the sheet: the one named, or else the first visible sheet with data (hidden sheets are
  ignored unless `include_hidden`);
* the header row: the one given (1-based sheet row), or else the first row whose filled cells
  are mostly distinct text, directly followed by rows with a similar number of filled cells,
  so title lines ("Leads report", "Generated 2026-10-01", a blank row) above it are skipped;
* the rows below it, blank rows left out, and a totals row at the bottom dropped with a notice.

Every column becomes a string column (null for an empty cell): dates and times as ISO text,
numbers as their shortest text (1.0 -> "1"), text as is, booleans as "TRUE"/"FALSE".
Whatever goes wrong with the file becomes a `LeadFileError` naming it.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
    ZipError,
)

from models.leads.file_hash import sha256_of
from models.leads.types import LeadFileError, NullProgress, Progress, RawTable, SourceInfo, check

Cell = Any  # what calamine gives: str ("" = empty), float, int, bool, date, datetime, time, timedelta

HEADER_SCAN_ROWS = 50  # the header is looked for among the first rows of the sheet's data
LOOKAHEAD_ROWS = 10  # rows compared with a header candidate
CHUNK_ROWS = 5000  # rows converted between two progress checks
LOADED = 0.6  # fraction of the work done once calamine has parsed the sheet

_TOTAL_LABEL = re.compile(r"^(grand\s+)?(totals?|sum)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# public API


def xlsx_sheets(path: Path) -> list[tuple[str, bool]]:
    """The workbook's worksheets as (name, hidden), in workbook order."""
    path = Path(path)
    with _workbook(path) as wb:
        return [(m.name, m.visible != SheetVisibleEnum.Visible) for m in _worksheets(path, wb)]


def read_xlsx(
    path: Path,
    sheet: str | None = None,
    header_row: int | None = None,
    include_hidden: bool = False,
    progress: Progress = NullProgress(),
) -> RawTable:
    """Read a sheet of the workbook at `path` as text columns (see the module's docstring).

    `sheet`: the sheet's name (hidden or not); default the first visible sheet with data, or
    the first sheet with data at all with `include_hidden`. `header_row`: the 1-based sheet row
    of the header; default detected. Raises `LeadFileError`, or `Cancelled` when `progress`
    says so."""
    return _read(Path(path), sheet, header_row, include_hidden, progress, limit=None)


def preview_xlsx(path: Path, rows: int = 50, sheet: str | None = None, header_row: int | None = None) -> RawTable:
    """The same as `read_xlsx`, only the first `rows` data rows (a totals row is recognised only
    when the preview reaches the end of the sheet). The sheet itself is still parsed whole:
    calamine has no lazy reading, so this saves the conversion, not the parse."""
    return _read(Path(path), sheet, header_row, False, NullProgress(), limit=max(rows, 0))


# ---------------------------------------------------------------------------------------------
# the work


def _read(
    path: Path, sheet: str | None, header_row: int | None, include_hidden: bool, progress: Progress, limit: int | None
) -> RawTable:
    # The sheet becomes millions of small Python objects, which would set off the cyclic
    # garbage collector again and again (a third of the time on 100k rows) for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_sheet(path, sheet, header_row, include_hidden, progress, limit)
    finally:
        if enabled:
            gc.enable()


def _read_sheet(
    path: Path, sheet: str | None, header_row: int | None, include_hidden: bool, progress: Progress, limit: int | None
) -> RawTable:
    name = path.name
    message = f"Reading {name}"
    check(progress, 0.0, message)
    if header_row is not None and header_row < 1:
        raise LeadFileError(f"{name}: the header row must be 1 or more, not {header_row}.")
    size = _check_file(path)
    notices: list[str] = []

    with _workbook(path) as wb:
        worksheets = _worksheets(path, wb)
        hidden = [m.name for m in worksheets if m.visible != SheetVisibleEnum.Visible]
        if sheet is not None:
            chosen = _find_sheet(name, [m.name for m in worksheets], sheet)
            ws = _load(path, wb, chosen)
            if _is_empty(ws):
                raise LeadFileError(f"{name}: the sheet \u201c{chosen}\u201d is empty.")
        else:
            chosen, ws = _first_with_data(path, wb, worksheets, include_hidden)
            if len(worksheets) > 1:
                notice = f"read the sheet \u201c{chosen}\u201d"
                skipped = [h for h in hidden if h != chosen and not include_hidden]
                if skipped:
                    notice += f"; ignored the hidden sheet{'s' if len(skipped) > 1 else ''} " + _quoted(skipped)
                notices.append(notice)
        check(progress, LOADED, message)

        row0, col0 = ws.start or (0, 0)  # not None: the sheet is not empty
        height = ws.height
        if limit is None:
            fetch = None
        elif header_row is not None:
            fetch = max(header_row - row0, 0) + 2 * limit + 10
        else:
            fetch = HEADER_SCAN_ROWS + 2 * limit + 10
        with _calamine(name, f"the sheet \u201c{chosen}\u201d is damaged and cannot be read"):
            rows: list[list[Cell]] = ws.to_python(skip_empty_area=True, nrows=fetch) if fetch else ws.to_python()
    reached_end = fetch is None or fetch >= height
    width = len(rows[0]) if rows else 0
    blank_row = [""] * width

    # the header
    if header_row is not None:
        hi = header_row - 1 - row0
        if hi < 0 or hi >= len(rows) or rows[hi] == blank_row:
            raise LeadFileError(
                f"{name}: row {header_row} of the sheet \u201c{chosen}\u201d is empty, so it cannot be the header."
            )
    else:
        hi = _find_header(rows)
        above = sum(1 for r in rows[:hi] if r != blank_row)
        if above:
            notices.append(
                f"found the header on row {row0 + hi + 1}; skipped the "
                f"{'line' if above == 1 else f'{above} lines'} above it"
            )
    header = rows[hi]

    # the data rows: the non-blank rows below the header
    data_index = [i for i in range(hi + 1, len(rows)) if rows[i] != blank_row]
    if limit is not None and len(data_index) > limit:
        data_index = data_index[:limit]
        reached_end = False
    if reached_end and len(data_index) >= 2:
        last = rows[data_index[-1]]
        if _is_totals(last, [rows[i] for i in data_index[:-1]]):
            notices.append(f"skipped the totals row (row {row0 + data_index[-1] + 1})")
            data_index.pop()
    if not data_index:
        raise LeadFileError(
            f"{name}: the sheet \u201c{chosen}\u201d has a header (row {row0 + hi + 1}) but no rows below it."
        )

    # cells to text, a chunk of rows at a time so that Cancel works
    texts: list[list[str | None]] = [[] for _ in range(width)]
    total = len(data_index)
    for start in range(0, total, CHUNK_ROWS):
        chunk = [rows[i] for i in data_index[start : start + CHUNK_ROWS]]
        for j, column in enumerate(zip(*chunk, strict=True)):
            texts[j].extend(_texts(column))
        check(progress, LOADED + (1.0 - LOADED) * min(start + CHUNK_ROWS, total) / total, message)
    del rows

    names, arrays = [], []
    header_texts = _texts(header)
    for j in range(width):
        array = pa.array(texts[j], type=pa.string())
        if header_texts[j] is None and array.null_count == len(array):
            continue  # no header, no data: a spacer column (or none at all)
        names.append((col0 + j + 1, (header_texts[j] or "").strip()))
        arrays.append(array)
    unique = _unique_names(names, notices)

    source = SourceInfo(
        name=name,
        size=size,
        sha256=sha256_of(path),
        format="xlsx",
        detail={
            "sheet": chosen,
            "header_row": row0 + hi + 1,
            "hidden_sheets_ignored": [] if include_hidden else [h for h in hidden if h != chosen],
        },
    )
    line_numbers = np.asarray(data_index, dtype=np.int64) + (row0 + 1)
    check(progress, 1.0, message)
    return RawTable(source=source, table=pa.table(arrays, names=unique), line_numbers=line_numbers, notices=notices)


# ---------------------------------------------------------------------------------------------
# opening the file and choosing the sheet


def _check_file(path: Path) -> int:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LeadFileError(f"{path.name}: the file does not exist.") from None
    except OSError as error:
        raise LeadFileError(f"{path.name}: the file cannot be opened ({error.strerror or error}).") from None
    if not path.is_file():
        raise LeadFileError(f"{path.name}: this is a folder, not a file.")
    if size == 0:
        raise LeadFileError(f"{path.name}: the file is empty.")
    return size


_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip (xlsx, ods), OLE (xls)


def _check_signature(path: Path) -> None:
    """A workbook is a zip archive (or an old OLE file); say what else it is, in plain words."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        raise LeadFileError(f"{path.name}: the file does not exist.") from None
    except OSError as error:
        raise LeadFileError(f"{path.name}: the file cannot be opened ({error.strerror or error}).") from None
    if not head:
        raise LeadFileError(f"{path.name}: the file is empty.")
    if head.startswith(_SIGNATURES):
        return
    text = head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head
    raise LeadFileError(
        f"{path.name}: this is not an Excel workbook" + ("; it looks like a text file." if text else ".")
    )


@contextmanager
def _calamine(name: str, what: str) -> Iterator[None]:
    """Turn whatever calamine raises (a Rust panic included) into a `LeadFileError`."""
    try:
        yield
    except LeadFileError:
        raise
    except PasswordError:
        raise LeadFileError(
            f"{name}: the workbook is password-protected; save it without a password and try again."
        ) from None
    except Exception as error:
        raise LeadFileError(f"{name}: {what}.") from error
    except BaseException as error:  # pyo3's PanicException derives from BaseException
        if type(error).__name__ != "PanicException":
            raise
        raise LeadFileError(f"{name}: {what}.") from error


@contextmanager
def _workbook(path: Path) -> Iterator[CalamineWorkbook]:
    name = path.name
    _check_signature(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise LeadFileError(
            f"{name}: the workbook is password-protected; save it without a password and try again."
        ) from None
    except ZipError as error:
        raise LeadFileError(
            f"{name}: the file is not a valid Excel workbook; it may be damaged or only partly copied."
        ) from error
    except CalamineError as error:
        raise LeadFileError(f"{name}: this is not an Excel workbook.") from error
    except OSError as error:
        raise LeadFileError(f"{name}: the file cannot be opened ({error.strerror or error}).") from error
    except BaseException as error:
        if isinstance(error, Exception) or type(error).__name__ == "PanicException":
            raise LeadFileError(f"{name}: the workbook is damaged and cannot be read.") from error
        raise
    try:
        yield wb
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001 - already closed, or closing a broken file: nothing to keep
            pass


def _worksheets(path: Path, wb: CalamineWorkbook) -> list[Any]:
    with _calamine(path.name, "the workbook is damaged and cannot be read"):
        sheets = [m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    if not sheets:
        raise LeadFileError(f"{path.name}: the workbook has no worksheets.")
    return sheets


def _find_sheet(name: str, names: list[str], wanted: str) -> str:
    if wanted in names:
        return wanted
    folded = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise LeadFileError(f"{name}: there is no sheet \u201c{wanted}\u201d; the sheets are {_quoted(names)}.")


def _load(path: Path, wb: CalamineWorkbook, sheet: str) -> CalamineSheet:
    with _calamine(path.name, f"the sheet \u201c{sheet}\u201d is damaged and cannot be read"):
        return wb.get_sheet_by_name(sheet)


def _is_empty(ws: CalamineSheet) -> bool:
    if ws.start is None or ws.height == 0 or ws.width == 0:
        return True
    # a sheet whose only cells hold "" (cleared cells, error values) has no data either
    if ws.height * ws.width <= 64:
        return all(v == "" for row in ws.to_python() for v in row)
    return False


def _first_with_data(
    path: Path, wb: CalamineWorkbook, worksheets: list[Any], include_hidden: bool
) -> tuple[str, CalamineSheet]:
    candidates = [m.name for m in worksheets if include_hidden or m.visible == SheetVisibleEnum.Visible]
    for sheet in candidates:
        ws = _load(path, wb, sheet)
        if not _is_empty(ws):
            return sheet, ws
    hidden_with_data = [
        m.name for m in worksheets if m.name not in candidates and not _is_empty(_load(path, wb, m.name))
    ]
    if hidden_with_data:
        raise LeadFileError(
            f"{path.name}: no visible sheet has data; only the hidden "
            f"sheet{'s' if len(hidden_with_data) > 1 else ''} {_quoted(hidden_with_data)} "
            "— choose one to read it."
        )
    raise LeadFileError(f"{path.name}: the workbook has no sheet with data.")


# ---------------------------------------------------------------------------------------------
# finding the table in the sheet


def _filled(row: list[Cell]) -> int:
    return len(row) - row.count("")


def _find_header(rows: list[list[Cell]]) -> int:
    """Index of the header row: the first row whose filled cells are mostly distinct text and
    that is followed by rows with a similar number of filled cells. Strictly, a header is also
    directly followed by a row of data, not by a blank row as a title line usually is (this is
    what tells them apart in a one-column table); failing that, the same without this rule;
    failing that, the first non-blank row."""
    scan = min(len(rows), HEADER_SCAN_ROWS)
    filled = [_filled(r) for r in rows[: scan + LOOKAHEAD_ROWS]]
    nonblank = [i for i in range(scan) if filled[i]]
    if not nonblank:
        return 0
    for strict in (True, False):
        for i in nonblank:
            n = filled[i]
            cells = [v for v in rows[i] if v != ""]
            text = [v.strip().casefold() for v in cells if isinstance(v, str)]
            if len(text) < 0.8 * n or len(set(text)) < 0.8 * n:
                continue
            following = [f for f in filled[i + 1 : i + 1 + LOOKAHEAD_ROWS] if f]
            if not following or n < 0.6 * statistics.median(following):
                continue
            if strict and not filled[i + 1]:
                continue
            return i
    return nonblank[0]


def _is_number(v: Cell) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_totals(last: list[Cell], above: list[list[Cell]]) -> bool:
    """A totals row: "Total" (Grand Total, Totals, Sum) in its first filled cell and only numbers
    besides; or only numbers, each the sum of the numbers above it in its column."""
    cells = [(j, v) for j, v in enumerate(last) if v != ""]
    if not cells:
        return False
    first = cells[0][1]
    if isinstance(first, str) and _TOTAL_LABEL.match(first.strip()):
        return all(_is_number(v) for _, v in cells[1:])
    if not all(_is_number(v) for _, v in cells):
        return False
    for j, v in cells:
        column = [r[j] for r in above if r[j] != ""]
        numbers = [x for x in column if _is_number(x)]
        if len(numbers) < 2 or len(numbers) < 0.5 * len(column):
            return False
        if not math.isclose(math.fsum(numbers), v, rel_tol=1e-9, abs_tol=1e-6):
            return False
    return True


def _unique_names(names: list[tuple[int, str]], notices: list[str]) -> list[str]:
    """Header names made unique (case-insensitively): an empty one becomes "Column N" (N its sheet
    column), a repeated one "Email (2)"."""
    reserved = {n.casefold() for _, n in names if n}
    used: set[str] = set()
    unique: list[str] = []
    unnamed: list[str] = []
    renamed: list[str] = []
    for column, n in names:
        base = n or f"Column {column}"
        candidate = base
        if candidate.casefold() in used or (not n and candidate.casefold() in reserved):
            k = 2
            while (candidate := f"{base} ({k})").casefold() in used | reserved:
                k += 1
        if not n:
            unnamed.append(f"\u201c{candidate}\u201d")
        elif candidate != n:
            renamed.append(f"\u201c{n}\u201d to \u201c{candidate}\u201d")
        used.add(candidate.casefold())
        unique.append(candidate)
    if unnamed:
        notices.append(f"named the column{'s' if len(unnamed) > 1 else ''} without a header " + ", ".join(unnamed))
    if renamed:
        notices.append("renamed the repeated header" + ("s " if len(renamed) > 1 else " ") + ", ".join(renamed))
    return unique


# ---------------------------------------------------------------------------------------------
# cells to text


def _number(v: float) -> str:
    """The shortest text that reads back as the same float, without a trailing ".0":
    1.0 -> "1", 0.125 -> "0.125", 123456789012.0 -> "123456789012", -0.0 -> "0", 1e20 -> "1e+20"
    (Python's repr is positional below 1e16 and from 1e-4 on)."""
    if not v:
        return "0"
    r = repr(v)
    return r[:-2] if r.endswith(".0") else r


def _duration(v: dt.timedelta) -> str:
    seconds = v.total_seconds()
    sign = "-" if seconds < 0 else ""
    whole, fraction = divmod(abs(seconds), 1)
    h, rest = divmod(int(whole), 3600)
    m, s = divmod(rest, 60)
    text = f"{sign}{h}:{m:02d}:{s:02d}"
    return text + f"{fraction:.6f}"[1:].rstrip("0") if fraction else text


_CONVERT: dict[type, Callable[[Any], str | None]] = {
    str: lambda v: v or None,
    float: _number,
    int: str,
    bool: lambda v: "TRUE" if v else "FALSE",
    dt.date: dt.date.isoformat,
    dt.datetime: lambda v: v.isoformat(),
    dt.time: dt.time.isoformat,
    dt.timedelta: _duration,
}


def _texts(cells: Sequence[Cell]) -> list[str | None]:
    """Cells as text; None for an empty cell. The common columns (all text, all numbers, all
    dates) take a fast path: this runs on every cell of the file."""
    kinds = set(map(type, cells))
    if kinds <= {str}:
        return [v or None for v in cells]
    if kinds <= {str, float}:  # inlined _number
        return [
            (v or None) if v.__class__ is str else ((r[:-2] if (r := repr(v)).endswith(".0") else r) if v else "0")
            for v in cells
        ]
    if kinds <= {str, dt.date, dt.datetime}:
        return [(v or None) if v.__class__ is str else v.isoformat() for v in cells]
    convert = _CONVERT
    return [convert.get(type(v), str)(v) for v in cells]


def _quoted(names: list[str]) -> str:
    return ", ".join(f"\u201c{n}\u201d" for n in names)
