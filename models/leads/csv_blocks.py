"""Parsing the data of a CSV file: cut into chunks at line starts, each chunk parsed by
pyarrow on a pool of threads, its invalid rows kept with pyarrow's record number.

How (measured on a 1,000,000-row, 20-column file on this machine, 2 cores): the data is cut
at line starts into ~16 MB chunks (never inside a quoted value: the quote count before a cut
must be even) and each chunk is parsed by `pyarrow.csv.read_csv` with `use_threads=False`,
in 1 MB blocks (one 16 MB block was ~25% slower: cache, and more memory touched), on a pool
of threads, one per core. That parses as fast as a bare multi-threaded `read_csv` of the
whole file, keeps pyarrow's record number of each invalid row (it gives none with
`use_threads=True`), and lets progress and Cancel act between chunks. The streaming reader
(`open_csv`) was 1.7-2x slower than the bare read here.

A chunk holding bytes that cannot be read as text is parsed from a copy with those bytes
escaped (`damage`); a chunk with a line longer than 1 MB gets a block twice that line, grown
further while a row does not fit (see MAX_VALUE_BYTES).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from models.leads import sniff
from models.leads.csv_lines import QUOTE, LineBreaks, Lines
from models.leads.damage import ESCAPED, damaged_cells, escape
from models.leads.sniff import Buffer
from models.leads.types import LeadFileError

BLOCK_BYTES = 1024 * 1024  # pyarrow's block within a chunk (its record numbers run on across blocks)

# How long a value and a row may be. pyarrow needs a whole row within one block, so a chunk's
# block starts at twice its longest line and grows (x4, the chunk parsed again) while a row
# does not fit, up to MAX_ROW_BYTES. A multi-megabyte notes field imports; past these limits
# the reader names the file, line, column and the limit (`TooLong`).
MAX_VALUE_BYTES = 16 * 1024 * 1024
MAX_ROW_BYTES = 64 * 1024 * 1024

# An invalid row as pyarrow reports it: (its record number in the chunk, 1-based, when known;
# the fields expected; the fields found; its text).
Invalid = tuple[int | None, int, int, str]


class NotUtf8(Exception):
    """The data is not UTF-8 after all (past the sample the encoding was judged on)."""


class TooLong(Exception):
    """A value or a row of `chunk` is longer than the limits (MAX_VALUE_BYTES, MAX_ROW_BYTES):
    the reader finds which, and says so."""

    def __init__(self, chunk: Chunk) -> None:
        super().__init__()
        self.chunk = chunk


@dataclass
class Chunk:
    """A piece of the data parsed by one pyarrow call, and what the parse gave."""

    start: int  # byte range in the data
    end: int
    first_line: int  # index of its first line in the data region's line list
    lines: int  # non-blank lines in it
    longest_line: int = 0  # bytes
    # The bytes in it that cannot be read as text (see `damage`): positions in the data, and
    # their kinds (ESCAPED: already escaped); None when there are none.
    damage: tuple[np.ndarray, np.ndarray] | None = None
    table: pa.Table | None = None
    invalid: list[Invalid] = field(default_factory=list)

    @property
    def one_line_records(self) -> bool:
        """Every record in it is one line: its records (valid or not) are its non-blank lines."""
        return self.lines == (self.table.num_rows if self.table is not None else 0) + len(self.invalid)

    def invalid_at(self, lines: Lines) -> list[int]:
        """Where its invalid rows are among the data's non-blank lines (records of one line)."""
        before = int(lines.nonblank_before[self.first_line])
        return [before + (number - 1 if number is not None else 0) for number, _, _, _ in self.invalid]


def cut_chunks(data: Buffer, breaks: LineBreaks, lines: Lines, chunk_bytes: int) -> list[Chunk]:
    """Cut the data at line starts outside quoted values, every ~`chunk_bytes`."""
    starts, nonblank_before = lines.starts, lines.nonblank_before
    data_start, data_end = breaks.start, breaks.end
    cuts = [0]  # line indices
    view = np.frombuffer(data, dtype=np.uint8) if len(data) else np.zeros(0, np.uint8)
    if len(starts):
        target = data_start + chunk_bytes
        while target < data_end:
            k = int(np.searchsorted(starts, target))
            if k < len(starts) and breaks.quotes[-1]:
                # Inside a quoted value: on to the next line start with an even count, the
                # quotes counted line by line (an unbalanced quote must not cost a pass each).
                quotes = breaks.quotes_before(data, int(starts[k]))
                tries = 0
                while k < len(starts) and quotes % 2:
                    following = int(starts[k + 1]) if k + 1 < len(starts) else data_end
                    quotes += int(np.count_nonzero(view[int(starts[k]) : following] == QUOTE))
                    k += 1
                    tries += 1
                    if tries > 2000:
                        k = len(starts)
            if k >= len(starts):
                break
            cuts.append(k)
            target = int(starts[k]) + chunk_bytes
    del view
    chunks: list[Chunk] = []
    bounds = cuts + [len(starts)]
    for a, b in zip(bounds, bounds[1:], strict=False):
        if b <= a:
            continue
        byte_end = int(starts[b]) if b < len(starts) else data_end
        longest = int(np.max(np.diff(np.append(starts[a:b], byte_end))))
        chunks.append(
            Chunk(
                start=int(starts[a]),
                end=byte_end,
                first_line=a,
                lines=int(nonblank_before[b] - nonblank_before[a]),
                longest_line=longest,
            )
        )
    return chunks


def read_chunks(
    name: str,
    data: Buffer,
    chunks: list[Chunk],
    names: list[str],
    delimiter: str,
    encoding: str,
    report: Callable[[int, int], None],
) -> None:
    """Parse every chunk with a record in it, side by side, into its `table` and `invalid`;
    `report(bytes parsed, bytes in all)` between chunks raises `Cancelled` to stop the rest."""
    total = sum(c.end - c.start for c in chunks) or 1
    whole = pa.py_buffer(data) if encoding != "cp1252" else None
    todo = [c for c in chunks if c.lines > 0]
    for c in chunks:
        c.table, c.invalid = None, []
    if not todo:
        return
    workers = max(1, min(os.cpu_count() or 1, len(todo)))
    done_bytes = 0
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read-csv")
    futures: dict[Future[None], Chunk] = {}
    try:
        for c in todo:
            futures[executor.submit(_read_chunk, name, data, whole, c, names, delimiter, encoding)] = c
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for f in finished:
                f.result()
                done_bytes += futures[f].end - futures[f].start
            report(done_bytes, total)
    except BaseException:
        for f in futures:
            f.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _read_chunk(
    name: str, data: Buffer, whole: pa.Buffer | None, chunk: Chunk, names: list[str], delimiter: str, encoding: str
) -> None:
    raw: bytes | None = None
    if chunk.damage is not None and bool(np.any(chunk.damage[1] != ESCAPED)):
        positions, kinds = chunk.damage
        raw = escape(bytes(data[chunk.start : chunk.end]), positions - chunk.start, kinds)
    if whole is not None:
        source = pa.py_buffer(raw) if raw is not None else whole.slice(chunk.start, chunk.end - chunk.start)
    else:
        text = sniff.decode(raw if raw is not None else bytes(data[chunk.start : chunk.end]), encoding)
        source = pa.py_buffer(text.encode("utf-8"))
    if whole is not None and not _valid_utf8(source):
        # Checked first: pyarrow cannot hand a row with an invalid byte to its bad-row handler
        # (it fails decoding its text), and the check costs ~2 ms per 16 MB.
        raise NotUtf8()
    whole_source = source.size + 1
    block = min(whole_source, max(BLOCK_BYTES, 2 * chunk.longest_line))
    while True:
        try:
            chunk.table, chunk.invalid = _parse(source, block, names, delimiter)
            break
        except pa.ArrowInvalid as error:
            message = str(error)
            if "straddl" in message:  # a row longer than the block
                if block >= min(whole_source, MAX_ROW_BYTES):
                    raise TooLong(chunk) from error
                block = min(whole_source, MAX_ROW_BYTES, 4 * block)
                continue
            if "utf8" in message.lower() or "utf-8" in message.lower():
                raise NotUtf8() from error
            raise LeadFileError(f"{name}: cannot be read as CSV ({message.splitlines()[0]}).") from error
    if (chunk.longest_line > MAX_VALUE_BYTES or not chunk.one_line_records) and chunk.table is not None:
        # pyarrow reads the last row of a chunk whole, whatever the block: measure.
        sizes = [pc.fill_null(pc.binary_length(column), 0) for column in chunk.table.columns]
        longest = max((pc.max(size).as_py() or 0 for size in sizes), default=0)
        row = pc.max(functools.reduce(pc.add, sizes)).as_py() if sizes else 0
        if longest > MAX_VALUE_BYTES or (row or 0) > MAX_ROW_BYTES:
            raise TooLong(chunk)


def _valid_utf8(source: pa.Buffer) -> bool:
    """Whether the bytes are UTF-8 (pyarrow's own check, as one string value)."""
    offsets = pa.py_buffer(np.array([0, source.size], dtype=np.int64).tobytes())
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, source]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _parse(source: pa.Buffer, block: int, names: list[str], delimiter: str) -> tuple[pa.Table, list[Invalid]]:
    invalid: list[Invalid] = []

    def handler(row: Any) -> str:  # pyarrow's InvalidRow (pyarrow has no type information)
        invalid.append((row.number, row.expected_columns, row.actual_columns, row.text))
        return "skip"

    table = pacsv.read_csv(
        pa.BufferReader(source),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=block),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            newlines_in_values=True,
            ignore_empty_lines=True,
            invalid_row_handler=handler,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=True,
            null_values=[""],
            quoted_strings_can_be_null=True,
        ),
    )
    return table, invalid


def damaged_cells_of(chunks: list[Chunk]) -> list[tuple[int, str, str, str]]:
    """The cells holding an escaped byte (see `damage`), in the chunks that had any: (row in
    the tables of all chunks put together, column, value as shown, reason)."""
    found: list[tuple[int, str, str, str]] = []
    offset = 0
    for c in chunks:
        if c.table is None:
            continue
        if c.damage is not None:
            found.extend((offset + row, column, value, reason) for row, column, value, reason in damaged_cells(c.table))
        offset += c.table.num_rows
    return found
