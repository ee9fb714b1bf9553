"""Where the records of a CSV file are, in bytes and in physical lines: every line break of
the data, where each record ends, and the line each row starts on, the line a bad row and a
rejected cell are reported at.

How (measured on a 1,000,000-row, 20-column file on this machine, 2 cores):
* One numpy pass finds every line break (and counts quotes), 16 MB pieces side by side on
  one thread per core: ~0.05 s.
* Line numbers come from the line-break positions: when every record is one line (records +
  blank lines == lines), row i's line is the i-th non-blank, non-bad line; otherwise (line
  breaks inside quoted values) a Python `csv` pass records where each record starts.
"""

from __future__ import annotations

import csv
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from models.leads.damage import NOT_TEXT
from models.leads.sniff import Buffer

NL, QUOTE, CR = 10, 34, 13

# The Python `csv` passes here read the values pyarrow read, whose size `csv_blocks` limits
# (to 16 MB a value): Python's own limit, 128 KB a field by default, must not stop them first.
# The limit is the interpreter's (no reader takes one), so it is only ever raised.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


@dataclass
class LineBreaks:
    """Every line break in data[start:end], and the quotes and the bytes that cannot be in
    text (`damage.NOT_TEXT`) found on the way, piece by piece."""

    start: int
    end: int
    newlines: np.ndarray  # int64, the position of every "\n"
    quotes: list[int]  # quotes[k]: the quotes before piece k (of `piece_bytes` each); quotes[-1]: all
    piece_bytes: int
    controls: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # int64 positions

    def quotes_before(self, data: Buffer, position: int) -> int:
        """The quotes in data[start:position]: an even number means `position` is outside any
        quoted value."""
        piece = (position - self.start) // self.piece_bytes
        piece_start = self.start + piece * self.piece_bytes
        view = np.frombuffer(data, dtype=np.uint8)
        return self.quotes[piece] + int(np.count_nonzero(view[piece_start:position] == QUOTE))


@dataclass
class Lines:
    """The physical lines of the data: where each starts, and which are blank (pyarrow skips
    those without a record)."""

    starts: np.ndarray  # int64, the position of each line's first byte
    blank: np.ndarray  # bool, per line
    nonblank_before: np.ndarray  # int64, per line and one past the last: non-blank lines before it


def scan_line_breaks(data: Buffer, start: int, end: int, piece_bytes: int) -> LineBreaks:
    """Every line break in data[start:end] (and the quotes before each piece, and the bytes
    that cannot be in text), the pieces scanned side by side: numpy releases the GIL. The
    control bytes come with the line breaks at no extra pass: both are below 0x20."""
    view = np.frombuffer(data, dtype=np.uint8) if len(data) else np.zeros(0, np.uint8)

    def scan(piece_start: int, view: np.ndarray = view) -> tuple[np.ndarray, int, np.ndarray]:
        piece = view[piece_start : min(end, piece_start + piece_bytes)]
        lows = np.flatnonzero(piece < 0x20)
        low_bytes = piece[lows]
        newlines = lows[low_bytes == NL] + piece_start
        return newlines, int(np.count_nonzero(piece == QUOTE)), lows[NOT_TEXT[low_bytes]] + piece_start

    piece_starts = range(start, end, piece_bytes)
    if len(piece_starts) > 1 and (os.cpu_count() or 1) > 1:
        with ThreadPoolExecutor(
            max_workers=min(os.cpu_count() or 1, len(piece_starts)), thread_name_prefix="read-csv-scan"
        ) as pool:
            scanned = list(pool.map(scan, piece_starts))
    else:
        scanned = [scan(piece_start) for piece_start in piece_starts]
    breaks: list[np.ndarray] = []
    quotes: list[int] = [0]
    controls: list[np.ndarray] = []
    for piece_breaks, piece_quotes, piece_controls in scanned:
        breaks.append(piece_breaks)
        quotes.append(quotes[-1] + piece_quotes)
        controls.append(piece_controls)
    del view, scanned, scan  # no buffer of the mmap left (it is closed after the parse)
    newlines = np.concatenate(breaks) if breaks else np.zeros(0, np.int64)
    found = np.concatenate(controls) if controls else np.zeros(0, np.int64)
    return LineBreaks(
        start, end, newlines.astype(np.int64, copy=False), quotes, piece_bytes, found.astype(np.int64, copy=False)
    )


def lines_of(data: Buffer, breaks: LineBreaks) -> Lines:
    """The lines between the line breaks: their starts, and which are blank."""
    starts = np.concatenate([np.array([breaks.start], np.int64), breaks.newlines + 1])
    starts = starts[starts < breaks.end]
    ends = np.append(breaks.newlines, np.int64(breaks.end))[: len(starts)]
    length = ends - starts
    view = np.frombuffer(data, dtype=np.uint8) if len(data) else np.zeros(1, np.uint8)
    first_byte = view[np.minimum(starts, max(len(view) - 1, 0))] if len(starts) else np.zeros(0, np.uint8)
    del view
    blank = (length == 0) | ((length == 1) & (first_byte == CR))
    nonblank_before = np.concatenate([[0], np.cumsum(~blank)]).astype(np.int64)
    return Lines(starts, blank, nonblank_before)


def record_end(data: Buffer, start: int, end: int, limit: int | None = None) -> int:
    """Where the record beginning at `start` ends (after its line break): the first line
    break with an even number of quotes before it. With `limit`, -1 when the record is longer
    than `limit` bytes (an unbalanced quote would otherwise make it the rest of the file)."""
    pos, quotes = start, 0
    while True:
        stop = data.find(b"\n", pos, end)
        if limit is not None and (stop if stop >= 0 else end) - start > limit:
            return -1
        if stop < 0:
            return end
        quotes += bytes(data[pos:stop]).count(b'"')
        pos = stop + 1
        if quotes % 2 == 0:
            return pos


def last_record_end(data: Buffer, start: int) -> int:
    """The end of the last whole record in a cut-off beginning of a file."""
    ends: list[int] = []
    pos, quotes = start, 0
    while True:
        stop = data.find(b"\n", pos)
        if stop < 0:
            break
        quotes += bytes(data[pos:stop]).count(b'"')
        pos = stop + 1
        if quotes % 2 == 0:
            ends.append(pos)
    return ends[-1] if ends else len(data)


def one_line_records(lines: Lines, first_line: int, invalid_at: list[int]) -> tuple[np.ndarray, list[int | None]]:
    """The physical lines of the rows when every record is one line: (the line of each valid
    row, the line of each invalid one). `invalid_at`: each invalid record's index among the
    non-blank lines; `first_line`: the line of the first line in `lines`."""
    record_lines = np.flatnonzero(~lines.blank).astype(np.int64) + first_line
    bad_lines = [int(record_lines[index]) if 0 <= index < len(record_lines) else None for index in invalid_at]
    keep = np.ones(len(record_lines), dtype=bool)
    if invalid_at:
        keep[np.array(invalid_at, dtype=np.int64)] = False
    return record_lines[keep], bad_lines


def multi_line_records(
    text: str, delimiter: str, columns: int, first_line: int, invalid: int
) -> tuple[np.ndarray, list[int | None]]:
    """The physical lines of the rows when some record spans lines (a line break in a quoted
    value), from a Python `csv` pass over the text: (the line each valid row starts on, the
    line each of the `invalid` invalid ones starts on, None when the passes disagree)."""
    valid_lines, invalid_lines = _record_lines(text, delimiter, columns, first_line)
    bad_lines: list[int | None] = list(invalid_lines) if len(invalid_lines) == invalid else [None] * invalid
    return np.array(valid_lines, dtype=np.int64), bad_lines


def find_too_long(
    text: str, delimiter: str, names: list[str], first_line: int, max_value: int, max_row: int
) -> tuple[int, str | None, int]:
    """The first record of `text` with a value longer than `max_value` bytes, or longer than
    `max_row` bytes itself: (its line, the column of the value or None for the row, its size
    in bytes); (first_line, None, 0) when none is."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    consumed = 0
    for record in reader:
        line = first_line + consumed
        consumed = reader.line_num
        for position, value in enumerate(record):
            # A character is 1 to 4 bytes: encoded only when it might matter.
            size = len(value.encode("utf-8")) if 4 * len(value) > max_value else len(value)
            if size > max_value:
                return line, names[position] if position < len(names) else f"field {position + 1}", size
        total = sum(len(value) for value in record) + len(record)
        if 4 * total > max_row:
            total = sum(len(value.encode("utf-8")) for value in record) + len(record)
        if total > max_row:
            return line, None, total
    return first_line, None, 0


def fit_lines(lines: np.ndarray, rows: int) -> np.ndarray:
    """`lines` for a table of `rows` rows: when the two parsers disagree (malformed quoting),
    cut to length, or filled with -1 (line unknown)."""
    if len(lines) == rows:
        return lines
    fixed = np.full(rows, -1, dtype=np.int64)
    fixed[: min(len(lines), len(fixed))] = lines[: len(fixed)]
    return fixed


def _record_lines(text: str, delimiter: str, columns: int, first_line: int) -> tuple[list[int], list[int]]:
    """The physical line where each record starts: (valid records, invalid records)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    valid: list[int] = []
    invalid: list[int] = []
    consumed = 0
    for record in reader:
        line = first_line + consumed
        consumed = reader.line_num
        if not record:
            continue
        (valid if len(record) == columns else invalid).append(line)
    return valid, invalid
