"""Excel cells as text, the way a CSV export would have written them: dates and times as ISO
text, numbers as their shortest text (1.0 -> "1"), text as is, booleans as "TRUE"/"FALSE",
None for an empty cell. This runs on every cell of a workbook, so the common columns take a
fast path."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

# What calamine gives for a cell ("" for an empty one).
Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta


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


def cell_texts(cells: Sequence[Cell]) -> list[str | None]:
    """Cells as text; None for an empty cell. The common columns (all text, all numbers, all
    dates) take a fast path: this runs on every cell of the file."""
    kinds = set(map(type, cells))
    # `kinds` says what the cells are, which mypy cannot follow: the fast paths see them as Any
    # rather than narrowing each cell (a check per cell, on every cell of the file).
    values: Sequence[Any] = cells
    if kinds <= {str}:
        return [v or None for v in values]
    if kinds <= {str, float}:  # inlined _number
        return [
            (v or None) if v.__class__ is str else ((r[:-2] if (r := repr(v)).endswith(".0") else r) if v else "0")
            for v in values
        ]
    if kinds <= {str, dt.date, dt.datetime}:
        return [(v or None) if v.__class__ is str else v.isoformat() for v in values]
    convert = _CONVERT
    return [convert.get(type(v), str)(v) for v in cells]
