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

This module puts the steps in order, with progress and Cancel; opening the workbook and
choosing the sheet are in `xlsx_workbook`, finding the header and the totals row in
`xlsx_table`, cells to text in `xlsx_cells`.
"""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pyarrow as pa
from python_calamine import SheetVisibleEnum

from models.leads.file_hash import sha256_of
from models.leads.types import LeadFileError, NullProgress, Progress, RawTable, SourceInfo, check
from models.leads.xlsx_cells import Cell, cell_texts
from models.leads.xlsx_table import HEADER_SCAN_ROWS, find_header, is_totals, unique_names
from models.leads.xlsx_workbook import (
    calamine_errors,
    check_file,
    find_sheet,
    first_with_data,
    is_empty,
    load_sheet,
    open_workbook,
    quoted,
    worksheets,
)

CHUNK_ROWS = 5000  # rows converted between two progress checks
LOADED = 0.6  # fraction of the work done once calamine has parsed the sheet


# ---------------------------------------------------------------------------------------------
# public API


def xlsx_sheets(path: Path) -> list[tuple[str, bool]]:
    """The workbook's worksheets as (name, hidden), in workbook order."""
    path = Path(path)
    with open_workbook(path) as wb:
        return [(m.name, m.visible != SheetVisibleEnum.Visible) for m in worksheets(path, wb)]


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
    size = check_file(path)
    notices: list[str] = []

    with open_workbook(path) as wb:
        sheets = worksheets(path, wb)
        hidden = [m.name for m in sheets if m.visible != SheetVisibleEnum.Visible]
        if sheet is not None:
            chosen = find_sheet(name, [m.name for m in sheets], sheet)
            ws = load_sheet(path, wb, chosen)
            if is_empty(ws):
                raise LeadFileError(f"{name}: the sheet \u201c{chosen}\u201d is empty.")
        else:
            chosen, ws = first_with_data(path, wb, sheets, include_hidden)
            if len(sheets) > 1:
                notice = f"read the sheet \u201c{chosen}\u201d"
                skipped = [h for h in hidden if h != chosen and not include_hidden]
                if skipped:
                    notice += f"; ignored the hidden sheet{'s' if len(skipped) > 1 else ''} " + quoted(skipped)
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
        with calamine_errors(name, f"the sheet \u201c{chosen}\u201d is damaged and cannot be read"):
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
        hi = find_header(rows)
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
        if is_totals(last, [rows[i] for i in data_index[:-1]]):
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
            texts[j].extend(cell_texts(column))
        check(progress, LOADED + (1.0 - LOADED) * min(start + CHUNK_ROWS, total) / total, message)
    del rows

    names, arrays = [], []
    header_texts = cell_texts(header)
    for j in range(width):
        array = pa.array(texts[j], type=pa.string())
        if header_texts[j] is None and array.null_count == len(array):
            continue  # no header, no data: a spacer column (or none at all)
        names.append((col0 + j + 1, (header_texts[j] or "").strip()))
        arrays.append(array)
    unique = unique_names(names, notices)

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
