"""UTF-16 text (Excel's "Unicode Text", some CRM exports) as the UTF-8 bytes the CSV reader
parses, with every damaged place escaped (see `damage`) rather than read as text.

UTF-16 reads two bytes at a time, so one byte too many or too few (a NUL inserted, a byte
lost in a copy) shifts every following character: "\\n" is read as U+0A00, and the rest of
the file becomes one line of CJK-looking characters, one value swallowing thousands of
leads. Here the line breaks are found at either alignment (a LF or CR unit at an odd
offset marks the shift), so each line is decoded on its own alignment and the damage stays
in the line where it happened: a line with an odd number of bytes gets its stray byte
dropped and escaped (ESC W), found as the byte whose removal leaves the most plain
characters (printable ASCII or Latin-1, which CSV structure is made of), so that its
delimiters and quotes read right and it becomes a bad row of its own. Unpaired surrogates
(ESC S) and control characters (ESC C) are escaped too.

A LF or CR unit at the wrong alignment can also occur by chance (a character U+0Axx or
U+0Dxx right before one whose low byte is 0): the two lines it splits into are then bad
rows. That takes Gurmukhi or Malayalam text followed by such a character.
"""

from __future__ import annotations

import numpy as np

from models.leads.damage import CONTROL, NOT_TEXT, STRAY_BYTE, escape, escape_one, escape_surrogate
from models.leads.types import LeadFileError

DAMAGED_SHARE = 0.5  # more damaged lines than this share (and more than a few): not UTF-16 at all


def to_utf8(name: str, raw: bytes, encoding: str) -> tuple[bytes, int]:
    """`raw` (no BOM) as UTF-8, damage escaped, and the number of damaged lines."""
    little = encoding == "utf-16-le"
    view = np.frombuffer(raw, dtype=np.uint8)
    low, high = (view[:-1], view[1:]) if little else (view[1:], view[:-1])
    breaks = np.flatnonzero(((low == 10) | (low == 13)) & (high == 0))  # LF and CR units, any alignment
    del view, low, high
    if len(raw) % 2 == 0 and not np.any(breaks % 2):
        return _decode(raw, encoding), 0
    pieces: list[bytes] = []
    damaged = 0
    line_start = 0  # the first byte of the current line
    run_start = 0  # the first byte not yet decoded (lines since are whole and aligned)
    for position in [*breaks.tolist(), len(raw)]:
        if (position - line_start) % 2:  # this line has an odd number of bytes
            if run_start < line_start:
                pieces.append(_decode(raw[run_start:line_start], encoding))
            pieces.append(_mend(raw[line_start:position], encoding))
            damaged += 1
            run_start = position
        line_start = position + 2
    if run_start < len(raw):
        pieces.append(_decode(raw[run_start:], encoding))
    lines = len(breaks) + 1
    if damaged > 10 and damaged > DAMAGED_SHARE * lines:
        raise LeadFileError(
            f"{name}: this does not read as UTF-16 text ({damaged:,} of its {lines:,} lines have an odd "
            "number of bytes); save it again as UTF-8 or UTF-16 and import it again."
        )
    return b"".join(pieces), damaged


def _mend(line: bytes, encoding: str) -> bytes:
    """A line with an odd number of bytes, its stray byte escaped: the byte whose removal
    leaves the most plain characters before and after it."""
    view = np.frombuffer(line, dtype=np.uint8)
    units = (len(line) - 1) // 2
    little = encoding == "utf-16-le"
    # plain[k]: the unit at offset 2k (read before the stray byte) is plain; shifted[k]: the
    # unit at offset 2k+1 (read after it) is.
    plain = _plain(view[0 : 2 * units : 2], view[1 : 2 * units : 2], little)
    shifted = _plain(view[1 : 2 * units + 1 : 2], view[2 : 2 * units + 1 : 2], little)
    # Dropping byte 2m keeps units 0..m-1 unshifted and m.. shifted.
    before = np.concatenate([[0], np.cumsum(plain)])
    after = np.concatenate([np.cumsum(shifted[::-1])[::-1], [0]])
    m = int(np.argmax(before + after))
    stray = 2 * m
    return _decode(line[:stray], encoding) + escape_one(STRAY_BYTE, line[stray]) + _decode(line[stray + 1 :], encoding)


def _plain(first: np.ndarray, second: np.ndarray, little: bool) -> np.ndarray:
    """Whether each unit (its two bytes in file order) is a plain character: printable ASCII,
    a tab, or Latin-1 letters and signs."""
    lo, hi = (first, second) if little else (second, first)
    plain: np.ndarray = (hi == 0) & (((lo >= 0x20) & (lo < 0x7F)) | (lo == 9) | (lo >= 0xA0))
    return plain


def _decode(raw: bytes, encoding: str) -> bytes:
    """Whole UTF-16 units as UTF-8, control characters and unpaired surrogates escaped."""
    data = raw.decode(encoding, errors="surrogatepass").encode("utf-8", errors="surrogatepass")
    view = np.frombuffer(data, dtype=np.uint8)
    lows = np.flatnonzero(view < 0x20)
    controls = lows[NOT_TEXT[view[lows]]]
    # A surrogate passed through is 0xED 0xA0-0xBF 0x80-0xBF, which valid UTF-8 never holds.
    eds = np.flatnonzero(view[:-2] == 0xED) if len(view) > 2 else np.zeros(0, np.int64)
    surrogates = eds[view[eds + 1] >= 0xA0]
    del view
    if controls.size == 0 and surrogates.size == 0:
        return data
    if surrogates.size == 0:
        return escape(data, controls, np.full(controls.size, CONTROL))
    pieces: list[bytes] = []
    previous = 0
    for position in surrogates.tolist():
        pieces.append(escape(data[previous:position], *_controls_in(controls, previous, position)))
        unit = ((data[position] & 0x0F) << 12) | ((data[position + 1] & 0x3F) << 6) | (data[position + 2] & 0x3F)
        pieces.append(escape_surrogate(unit))
        previous = position + 3
    pieces.append(escape(data[previous:], *_controls_in(controls, previous, len(data))))
    return b"".join(pieces)


def _controls_in(controls: np.ndarray, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    inside = controls[(controls >= start) & (controls < end)] - start
    return inside, np.full(inside.size, CONTROL)
