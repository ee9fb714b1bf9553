"""Bytes of a CSV file that cannot be read as text, from where the reader finds them to the
bad rows that name them.

A CSV export is text, but a copied, cut or mended file can hold bytes that are not: a NUL or
another control character, a byte that is not valid UTF-8 in a UTF-8 file (one flipped bit),
a stray byte or an unpaired surrogate in a UTF-16 file. Such a byte is never read as if it
were text, and it never changes where a row starts or ends: before the parse each one is
replaced by an *escape*, ESC (0x1A) then a letter saying what it is and its value in hex,
which holds no delimiter, quote or line break:

    ESC U xx    a byte that is not valid UTF-8 (in a file read as UTF-8)
    ESC C xx    a control byte, which cannot be in text (NUL, 0x01-0x08, 0x0E-0x1F)
    ESC W xx    a stray byte in UTF-16 text (its line had an odd number of bytes)
    ESC S xxxx  an unpaired UTF-16 surrogate

ESC is itself a control byte that cannot be in text, so an ESC of the file is escaped too:
after the escaping every ESC starts an escape. The rows the escapes land in are left out of
the table and listed as bad rows with their line, column and the byte (`damaged_cells`,
`describe`). TAB, LF, VT, FF and CR are text (VT and FF do occur in exported notes).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

ESC = 0x1A
ESC_CHAR = "\x1a"
INVALID_UTF8, CONTROL, STRAY_BYTE = ord("U"), ord("C"), ord("W")
ESCAPED = 0  # a kind for a position already escaped (UTF-16 text is escaped as it is decoded)

# The bytes that cannot be in text.
NOT_TEXT = np.zeros(256, dtype=bool)
NOT_TEXT[0x00:0x09] = True
NOT_TEXT[0x0E:0x20] = True

_ESCAPE = re.compile("\x1a(?:([UCW])([0-9A-F]{2})|S([0-9A-F]{4}))")
REPLACEMENT = "\ufffd"


def escape_one(kind: int, value: int) -> bytes:
    """The escape of one byte (`kind` INVALID_UTF8, CONTROL or STRAY_BYTE)."""
    return b"\x1a%c%02X" % (kind, value)


def escape_surrogate(unit: int) -> bytes:
    return b"\x1aS%04X" % unit


def escape(data: bytes, positions: np.ndarray, kinds: np.ndarray) -> bytes:
    """`data` with the byte at each of `positions` (sorted, in `data`) replaced by its escape
    of the same place in `kinds` (ESCAPED: left as it is)."""
    pieces: list[bytes] = []
    previous = 0
    for position, kind in zip(positions.tolist(), kinds.tolist(), strict=True):
        if kind == ESCAPED:
            continue
        pieces.append(data[previous:position])
        pieces.append(escape_one(kind, data[position]))
        previous = position + 1
    if not pieces:
        return data
    pieces.append(data[previous:])
    return b"".join(pieces)


def shown(text: str) -> str:
    """The text as a user sees it: each escape as U+FFFD, any control character left (a
    header, or text never escaped) too."""
    text = _ESCAPE.sub(REPLACEMENT, text)
    if any(c < " " and c not in "\t\n\x0b\x0c\r" for c in text):
        text = "".join(REPLACEMENT if c < " " and c not in "\t\n\x0b\x0c\r" else c for c in text)
    return text


def describe(text: str) -> tuple[str, str] | None:
    """(the text as shown, the reason naming its first escaped byte), or None when the text
    has no escape."""
    found = _ESCAPE.search(text)
    if found is None:
        return None
    at = len(_ESCAPE.sub(REPLACEMENT, text[: found.start()])) + 1  # 1-based, escapes one character each
    kind, value, unit = found.group(1), found.group(2), found.group(3)
    if kind == "U":
        reason = f"not valid UTF-8 text: byte 0x{value} at character {at}"
    elif kind == "C":
        reason = f"not text: control byte 0x{value} at character {at}"
    elif kind == "W":
        reason = f"not valid UTF-16 text: a stray byte 0x{value} at character {at}"
    else:
        reason = f"not valid UTF-16 text: an unpaired surrogate 0x{unit} at character {at}"
    more = len(_ESCAPE.findall(text)) - 1
    if more:
        reason += f" (and {more} more)"
    return _ESCAPE.sub(REPLACEMENT, text), reason


def damaged_cells(table: pa.Table) -> list[tuple[int, str, str, str]]:
    """Every cell of `table` holding an escape, row by row: (row, column, the value as shown,
    the reason)."""
    found: list[tuple[int, str, str, str]] = []
    for name in table.column_names:
        column = table.column(name)
        hit = pc.fill_null(pc.match_substring(column, ESC_CHAR), False)
        rows = np.flatnonzero(np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool))
        if rows.size == 0:
            continue
        for row, value in zip(rows.tolist(), column.take(pa.array(rows)).to_pylist(), strict=True):
            described = describe(value)
            if described is not None:
                found.append((row, name, described[0], described[1]))
    found.sort(key=lambda cell: cell[0])
    return found
