"""Lists typed into one text field, separated by commas (or lines): a rule's values, the
import dialog's success values and the values that mean "missing".

A value that holds a comma or a double quote is written in double quotes, with a quote inside
it doubled, as a spreadsheet writes CSV: `"Acme, Inc.", Beta` is two values, and what the
field shows reads back as the same list.
"""

from __future__ import annotations

import csv

_NEEDS_QUOTES = (",", '"', "\n", "\r")


def split_list(text: str) -> list[str]:
    """'Select, N/A, -' → ['Select', 'N/A', '-']; '"Acme, Inc.", Beta' → ['Acme, Inc.', 'Beta']
    (each value trimmed, empty ones dropped; lines separate values too)."""
    out: list[str] = []
    for line in text.splitlines():
        for value in next(csv.reader([line], skipinitialspace=True), []):
            if value.strip():
                out.append(value.strip())
    return out


def join_list(values: list[str]) -> str:
    """The values as one line that `split_list` reads back as the same list."""
    return ", ".join(_quoted(v) for v in values if v.strip())


def _quoted(value: str) -> str:
    if any(c in value for c in _NEEDS_QUOTES) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value
