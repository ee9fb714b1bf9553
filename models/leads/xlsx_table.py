"""Finding the table in a sheet: the header row below any title lines, a totals row at the
bottom, and unique column names. Report exports put a title, a date and a blank row above
the header, and a totals row below the data; none of them is a lead."""

from __future__ import annotations

import math
import re
import statistics
from typing import TypeGuard

from models.leads.xlsx_cells import Cell

HEADER_SCAN_ROWS = 50  # the header is looked for among the first rows of the sheet's data
LOOKAHEAD_ROWS = 10  # rows compared with a header candidate

_TOTAL_LABEL = re.compile(r"^(grand\s+)?(totals?|sum)\b", re.IGNORECASE)


def _filled(row: list[Cell]) -> int:
    return len(row) - row.count("")


def find_header(rows: list[list[Cell]]) -> int:
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


def _is_number(v: Cell) -> TypeGuard[int | float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def is_totals(last: list[Cell], above: list[list[Cell]]) -> bool:
    """A totals row: "Total" (Grand Total, Totals, Sum) in its first filled cell and only numbers
    besides; or only numbers, each the sum of the numbers above it in its column."""
    cells = [(j, v) for j, v in enumerate(last) if v != ""]
    if not cells:
        return False
    first = cells[0][1]
    if isinstance(first, str) and _TOTAL_LABEL.match(first.strip()):
        return all(_is_number(v) for _, v in cells[1:])
    totals = [(j, v) for j, v in cells if _is_number(v)]
    if len(totals) != len(cells):  # not only numbers
        return False
    for j, v in totals:
        column = [r[j] for r in above if r[j] != ""]
        numbers = [x for x in column if _is_number(x)]
        if len(numbers) < 2 or len(numbers) < 0.5 * len(column):
            return False
        if not math.isclose(math.fsum(numbers), v, rel_tol=1e-9, abs_tol=1e-6):
            return False
    return True


def unique_names(names: list[tuple[int, str]], notices: list[str]) -> list[str]:
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
