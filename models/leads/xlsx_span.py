"""How many cells an XLSX sheet spans, read from its `<dimension>` tag before calamine loads it.

calamine holds a sheet as one dense grid from its first to its last cell (32 bytes a cell),
and when that grid cannot be allocated the process aborts: no exception, the application
gone. One stray cell far off the table (XFD10000 typed by mistake beside 10,000 leads) makes
the grid 164 million cells, 5 GB. Excel, LibreOffice and the usual writers record the used
range in the sheet's `<dimension ref="A1:XFD10000"/>`, a few hundred bytes into the sheet's
XML, so it costs almost nothing to read it first (`sheet_span`) and refuse a sheet spanning
more than MAX_SHEET_CELLS with a message naming the far corner.

A sheet whose tag understates its cells (a damaged file, or a writer that puts "A1") is
not caught here: finding its real extent means reading all of its XML, as long again as
calamine's own parse.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path

# About 1 GB in calamine's grid: a million rows of 30 columns.
MAX_SHEET_CELLS = 30_000_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?"')
_HEAD_BYTES = 64 * 1024


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def sheet_span(path: Path, sheet: str) -> tuple[str, int] | None:
    """(the range the sheet's dimension tag gives, its number of cells), or None when the file
    is not an XLSX archive or no tag is found (calamine then says what it finds). When the
    sheet's part cannot be told (a damaged workbook.xml calamine may still read), the widest
    span of all the worksheets counts."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = _sheet_parts(archive, sheet)
            spans = [span for part in parts if (span := _span(archive, part)) is not None]
    except Exception:  # noqa: BLE001 - a damaged archive: calamine reports it in its own words
        return None
    return max(spans, key=lambda span: span[1]) if spans else None


def _span(archive: zipfile.ZipFile, part: str) -> tuple[str, int] | None:
    try:
        with archive.open(part) as member:
            head = member.read(_HEAD_BYTES)
    except Exception:  # noqa: BLE001 - as above
        return None
    found = _DIMENSION.search(head)
    if found is None:
        return None
    first_col, first_row = _column(found.group(1)), int(found.group(2))
    last_col = _column(found.group(3)) if found.group(3) else first_col
    last_row = int(found.group(4)) if found.group(4) else first_row
    cells = (abs(last_row - first_row) + 1) * (abs(last_col - first_col) + 1)
    return found.group(0).split(b'"')[1].decode("ascii"), cells


# Read with patterns, not an XML parser: calamine's parser is lenient (it reads a tag with an
# attribute given twice, say), and so must be what decides before it.
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _attribute(tag: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s(?:\w+:)?" + name + rb'\s*=\s*"([^"]*)"', tag)
    return html.unescape(found.group(1).decode("utf-8", errors="replace")) if found else None


def _sheet_parts(archive: zipfile.ZipFile, sheet: str) -> list[str]:
    """The archive member holding the sheet named `sheet`; all the worksheets when that
    cannot be told."""
    worksheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    try:
        tags = _SHEET.findall(archive.read("xl/workbook.xml"))
        rel_id = next((_attribute(t, b"id") for t in tags if _attribute(t, b"name") == sheet), None)
        rels = _RELATIONSHIP.findall(archive.read("xl/_rels/workbook.xml.rels"))
        target = next((_attribute(r, b"Target") for r in rels if rel_id and _attribute(r, b"Id") == rel_id), None)
    except Exception:  # noqa: BLE001 - as above
        return worksheets
    if not target:
        return worksheets
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return [part] if part in archive.namelist() else worksheets
