"""UTF-8 or Windows-1252? An 8-bit file judged on every byte, not on its first megabyte.

The two cannot be told apart by one byte: 0xFC is "ü" in Windows-1252 and invalid in UTF-8.
They can by what each reading would make of the whole file. Reading a UTF-8 file as
Windows-1252 garbles every character of two or more bytes ("Müller" becomes "MÃ¼ller", in
every row that has one: mojibake); reading a Windows-1252 file as UTF-8 fails on every byte
above 0x7F. So `scan_utf8` counts both, vectorised: the valid multi-byte UTF-8 characters
(what Windows-1252 would garble) and the bytes that are not valid UTF-8 (what UTF-8 cannot
read), and `choose` decides:

* no invalid byte: UTF-8;
* at most `HANDFUL` UTF-8 characters: Windows-1252 (a notice names their lines if any);
* more UTF-8 characters than invalid bytes: UTF-8, a file with a few damaged bytes: the rows
  holding them are bad rows, the rest reads as it should;
* else both readings would damage more than a handful of values: refused, naming the first
  lines of each.

A file with a UTF-8 byte order mark says it is UTF-8: it is read as Windows-1252 only when
it has more than a handful of invalid bytes and at most a handful of UTF-8 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from models.leads.sniff import Buffer
from models.leads.types import LeadFileError

# A genuine Windows-1252 export holds a valid UTF-8 sequence only by chance: a capital accented
# letter (Â to ô, 0xC2-0xF4) right before a symbol or punctuation mark of 0x80-0xBF (™, », ©,
# a curly quote). A few such pairs can be real Windows-1252 text; more than this many are UTF-8
# text that Windows-1252 would garble, and are not read so. Five is also few enough for the
# user to look at each line the notice names.
HANDFUL = 5

PIECE_BYTES = 4 * 1024 * 1024  # bytes classified per numpy pass (bounds the memory it takes)
NAMED_LINES = 3  # lines named in a message


@dataclass
class Utf8Scan:
    """What reading the bytes as UTF-8 finds: `chars` valid characters of two to four bytes
    (the first few at `first_chars`), and the position of every byte that is not valid."""

    chars: int
    first_chars: np.ndarray
    invalid: np.ndarray


@dataclass
class Choice:
    """The encoding chosen; with UTF-8 `invalid` holds the bytes to report as bad rows."""

    encoding: str  # "utf-8" or "cp1252"
    invalid: np.ndarray
    notice: str | None = None


def scan_utf8(data: Buffer, start: int, end: int) -> Utf8Scan:
    """Classify every byte of data[start:end] above 0x7F (see the module docstring)."""
    view = np.frombuffer(data, dtype=np.uint8) if len(data) else np.zeros(0, np.uint8)
    chars = 0
    first: list[np.ndarray] = []
    invalid: list[np.ndarray] = []
    for piece_start in range(start, end, PIECE_BYTES):
        piece_end = min(end, piece_start + PIECE_BYTES)
        # Three bytes of context either side decide the bytes of the piece exactly.
        lo, hi = max(start, piece_start - 3), min(end, piece_end + 3)
        positions = np.flatnonzero(view[lo:hi] >= 0x80) + lo
        if positions.size == 0:
            continue
        leads, bad = _classify(positions, view[positions])
        inside = (positions >= piece_start) & (positions < piece_end)
        lead_here = positions[leads & inside]
        chars += int(lead_here.size)
        if sum(a.size for a in first) < NAMED_LINES:
            first.append(lead_here[:NAMED_LINES])
        invalid.append(positions[bad & inside])
    del view
    return Utf8Scan(
        chars,
        np.concatenate(first)[:NAMED_LINES] if first else np.zeros(0, np.int64),
        np.concatenate(invalid) if invalid else np.zeros(0, np.int64),
    )


def _classify(positions: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For sorted positions of bytes ≥ 0x80 and their values: (the lead byte of each valid
    character, every byte that belongs to no valid character)."""
    n = len(positions)

    def follower(k: int) -> tuple[np.ndarray, np.ndarray]:
        """Whether the byte k places on is a continuation byte, and its value."""
        ok = np.zeros(n, dtype=bool)
        value = np.zeros(n, dtype=np.uint8)
        if n > k:
            ok[: n - k] = (positions[k:] == positions[: n - k] + k) & ((values[k:] & 0xC0) == 0x80)
            value[: n - k] = values[k:]
        return ok, value

    c1, v1 = follower(1)
    c2, _ = follower(2)
    c3, _ = follower(3)
    two = (values >= 0xC2) & (values <= 0xDF) & c1
    three = (values >= 0xE0) & (values <= 0xEF) & c1 & c2
    three &= ~((values == 0xE0) & (v1 < 0xA0)) & ~((values == 0xED) & (v1 > 0x9F))  # overlong, surrogate
    four = (values >= 0xF0) & (values <= 0xF4) & c1 & c2 & c3
    four &= ~((values == 0xF0) & (v1 < 0x90)) & ~((values == 0xF4) & (v1 > 0x8F))  # overlong, > U+10FFFF
    leads = two | three | four
    covered = leads.copy()
    covered[1:] |= leads[:-1]  # a lead's continuation bytes are consecutive (checked above)
    covered[2:] |= (three | four)[:-2]
    covered[3:] |= four[:-3]
    return leads, ~covered


def lines_at(data: Buffer, start: int, positions: np.ndarray) -> list[int]:
    """The physical line (1-based, line 1 starting at `start`) of each of a few positions."""
    view = np.frombuffer(data, dtype=np.uint8) if len(data) else np.zeros(0, np.uint8)
    lines: list[int] = []
    counted, line = start, 1
    for position in sorted(int(p) for p in positions):
        line += int(np.count_nonzero(view[counted:position] == 10))
        counted = position
        lines.append(line)
    del view
    return lines


def _where(lines: list[int]) -> str:
    unique = list(dict.fromkeys(lines))
    return ("line " if len(unique) == 1 else "lines ") + ", ".join(str(n) for n in unique)


def choose(name: str, data: Buffer, start: int, end: int, bom: bool) -> Choice:
    """The encoding of data[start:end] (see the module docstring); raises LeadFileError when
    neither reading would do."""
    scan = scan_utf8(data, start, end)
    chars, invalid = scan.chars, scan.invalid
    if invalid.size == 0:
        return Choice("utf-8", invalid)
    few_chars = chars <= HANDFUL
    if few_chars and (not bom or invalid.size > HANDFUL):
        notice = None
        if chars:
            notice = (
                f"{name}: {_where(lines_at(data, start, scan.first_chars))} "
                f"{'holds' if chars == 1 else 'hold'} {chars} character{'s' if chars != 1 else ''} "
                "that would read as UTF-8 text; check them (a Windows-1252 file can have a "
                f"handful, up to {HANDFUL}, by chance)."
            )
        return Choice("cp1252", np.zeros(0, np.int64), notice)
    chars_at = _where(lines_at(data, start, scan.first_chars)) if chars else ""
    invalid_at = _where(lines_at(data, start, invalid[:NAMED_LINES]))
    if invalid.size < chars or (bom and few_chars):
        one = invalid.size == 1
        notice = (
            f"{name} is UTF-8 text with {invalid.size:,} byte{'' if one else 's'} that "
            f"{'is' if one else 'are'} not valid UTF-8 ({'on' if one else 'first on'} {invalid_at}); "
            f"{'the row holding it is listed as a bad row' if one else 'the rows holding them are listed as bad rows'}."
        )
        if not few_chars:
            notice += (
                f" Read as Windows-1252 instead, {chars:,} characters of UTF-8 text would be "
                f"garbled, more than a handful ({HANDFUL}); the first on {chars_at}."
            )
        return Choice("utf-8", invalid, notice)
    raise LeadFileError(
        f"{name}: neither UTF-8 nor Windows-1252 reads this file: as Windows-1252, {chars:,} "
        f"characters of UTF-8 text would be garbled, more than a handful ({HANDFUL}; the first "
        f"on {chars_at}); as UTF-8, {invalid.size:,} bytes are not valid (the first on "
        f"{invalid_at}). Save it as UTF-8 and import it again."
    )
