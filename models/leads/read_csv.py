"""Reading a CSV export into a `RawTable`: every column as text, bad rows listed with their
physical line, the report footer skipped, and all of it fast enough for a million rows.

The steps, in order: what the file is and its encoding (`sniff`; UTF-8 or Windows-1252 is
judged on every byte by `encoding_choice` as soon as the first megabyte or the parse finds a
byte that is not UTF-8), the bytes to parse (mapped, or UTF-16 made UTF-8 line by line by
`utf16`), the header record and the delimiter, the report footer; then every line break and
every byte that cannot be text (`csv_lines`), the data cut into chunks parsed side by side by
pyarrow (`csv_blocks`, which also holds the limits of a value and a row), the physical line of
every row (`csv_lines`), the bad rows, among them the rows holding a byte that cannot be read
as text (`damage`). The file's SHA-256 is computed meanwhile on a thread of its own
(`file_hash`).
"""

from __future__ import annotations

import csv
import io
import mmap
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from models.leads import csv_blocks, sniff
from models.leads.csv_blocks import (
    Chunk,
    NotUtf8,
    TooLong,
    cut_chunks,
    damaged_cells_of,
    read_chunks,
)
from models.leads.csv_lines import (
    find_too_long,
    fit_lines,
    last_record_end,
    lines_of,
    multi_line_records,
    one_line_records,
    record_end,
    scan_line_breaks,
)
from models.leads.damage import CONTROL, ESCAPED, INVALID_UTF8, describe, shown
from models.leads.encoding_choice import choose
from models.leads.file_hash import Hasher
from models.leads.sniff import Buffer
from models.leads.types import (
    BadRow,
    Cancelled,
    LeadFileError,
    NullProgress,
    Progress,
    RawTable,
    SourceInfo,
    check,
)
from models.leads.utf16 import to_utf8

# The sizes measured best on a 1,000,000-row, 20-column file, 2 cores (see `csv_lines` and
# `csv_blocks`); set here, where the reader hands them down, so that a test can make them small.
CHUNK_BYTES = 16 * 1024 * 1024  # the data parsed by one pyarrow call
SCAN_BYTES = 16 * 1024 * 1024  # the data scanned for line breaks by one thread
PREVIEW_BYTES = 256 * 1024
PREVIEW_MAX_BYTES = 16 * 1024 * 1024
VALUE_CHARS = 200
# A header is a line of column names: one running on past this is a quote left open, not a
# header. The columns are as many as a spreadsheet can have (Excel's 16,384).
MAX_HEADER_BYTES = 1024 * 1024
MAX_COLUMNS = 16_384


class NotCsvError(LeadFileError):
    """The file is not CSV text. `kind` is its real format ("xlsx", "xls", "binary", ...);
    an "xlsx" can be read as a workbook instead (see `models.leads.read`)."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


# ─── public ─────────────────────────────────────────────────────────────────────────────


def read_csv(path: Path, progress: Progress = NullProgress()) -> RawTable:
    """The whole file as a RawTable (see module doc); raises LeadFileError (NotCsvError when
    it is not text at all) naming the file, or Cancelled."""
    path = Path(path)
    return _Reader(path, progress, preview_rows=None).run()


def preview_csv(path: Path, rows: int = 50) -> RawTable:
    """The first `rows` rows, reading only the beginning of the file (SourceInfo.sha256 is
    empty: the file was not read whole)."""
    path = Path(path)
    budget = PREVIEW_BYTES
    while True:
        table = _Reader(path, NullProgress(), preview_rows=rows, preview_bytes=budget).run()
        if table.table.num_rows >= rows or table.source.detail.get("complete") or budget >= PREVIEW_MAX_BYTES:
            return table
        budget *= 4


def unique_names(raw: list[str]) -> tuple[list[str], list[str]]:
    """Header names made unique: an empty one becomes "Column N" (its 1-based position), a
    repeated one "Email (2)", "Email (3)"... Returns the names and the renamings done."""
    names: list[str] = []
    renamed: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(raw, start=1):
        name = name.strip()
        original = name
        if not name:
            name = f"Column {position}"
        if name in seen:
            base, n = name, 2
            while f"{base} ({n})" in seen:
                n += 1
            name = f"{base} ({n})"
        if name != original:
            renamed.append(
                f"\u201c{original}\u201d \u2192 \u201c{name}\u201d"
                if original
                else f"empty header \u2192 \u201c{name}\u201d"
            )
        seen.add(name)
        names.append(name)
    return names, renamed


# ─── the reader ─────────────────────────────────────────────────────────────────────────


class _Reader:
    def __init__(
        self, path: Path, progress: Progress, preview_rows: int | None, preview_bytes: int = PREVIEW_BYTES
    ) -> None:
        self.path = path
        self.name = path.name
        self.progress = progress
        self.preview_rows = preview_rows
        self.preview_bytes = preview_bytes
        self.message = f"Reading {self.name}"
        self.notices: list[str] = []
        self.encoding_notices: list[str] = []  # first among the notices
        self.invalid_utf8 = np.zeros(0, np.int64)  # bytes to report, in a UTF-8 file (see `_choose`)
        self.escaped = False  # the data is UTF-16 text made UTF-8, its damage escaped already

    # The steps, in order ---------------------------------------------------------------

    def run(self) -> RawTable:
        check(self.progress, 0.0, self.message)
        try:
            size = self.path.stat().st_size
        except OSError as error:
            raise LeadFileError(f"{self.name}: cannot be opened ({error.strerror or error}).") from error
        self.size = size
        if size == 0:
            raise LeadFileError(f"{self.name}: the file is empty.")
        with open(self.path, "rb") as fh:
            head = fh.read(sniff.ENCODING_SAMPLE_BYTES)
        self._check_kind(head)
        encoding, bom = sniff.sniff_encoding(head)
        self.encoding = encoding

        hasher: Hasher | None = None
        if self.preview_rows is None:
            hasher = Hasher(self.path)
            hasher.start()
        data: Buffer = b""
        try:
            data, start, end, complete = self._open(head, bom)
            if encoding == "cp1252":  # the first megabyte is not UTF-8: judge every byte
                self._choose(data, start, end, late=False)
            try:
                result = self._parse(data, start, end, complete)
            except NotUtf8:
                if self.invalid_utf8.size:  # chosen already, its invalid bytes escaped
                    raise LeadFileError(f"{self.name}: cannot be read as UTF-8 text.") from None
                self._choose(data, start, end, late=True)
                result = self._parse(data, start, end, complete)
        except BaseException:
            if hasher is not None:
                hasher.stop()
            raise
        finally:
            if isinstance(data, mmap.mmap):
                try:
                    data.close()
                except BufferError:  # still shared with a buffer; the collector closes it
                    pass
        sha = hasher.result() if hasher is not None else ""
        table, lines, bad, detail = result
        self.notices[:0] = self.encoding_notices
        detail = {"encoding": self.encoding, **detail}
        if self.preview_rows is not None:
            detail["complete"] = complete
        source = SourceInfo(name=self.name, size=size, sha256=sha, format="csv", detail=detail)
        check(self.progress, 1.0, self.message)
        return RawTable(source=source, table=table, line_numbers=lines, bad_rows=bad, notices=self.notices)

    def _check_kind(self, head: bytes) -> None:
        kind = sniff.file_kind(self.path) if head.startswith(b"PK\x03\x04") else sniff.sniff_kind(head)
        if kind.kind == "csv":
            return
        if kind.kind == "empty":
            raise LeadFileError(f"{self.name}: the file is empty.")
        if kind.kind == "xlsx":
            raise NotCsvError(f"{self.name} is really an Excel workbook, not CSV text.", "xlsx")
        if kind.kind == "xls":
            raise NotCsvError(
                f"{self.name}: this is {kind.what}, not CSV text; save it from Excel as .xlsx or CSV and import that.",
                "xls",
            )
        raise NotCsvError(f"{self.name}: this is {kind.what}, not a CSV file.", kind.kind)

    def _choose(self, data: Buffer, start: int, end: int, late: bool) -> None:
        """UTF-8 or Windows-1252, judged on every byte (`encoding_choice`); `late`: the first
        megabyte was UTF-8."""
        choice = choose(self.name, data, start, end, bom=self.encoding == "utf-8-sig")
        if choice.encoding == "cp1252":
            self.encoding = "cp1252"
            self.encoding_notices.append(
                f"{self.name} is not valid UTF-8 throughout; read as Windows-1252."
                if late
                else f"{self.name} is not UTF-8; read as Windows-1252."
            )
        else:
            self.encoding = "utf-8-sig" if self.encoding == "utf-8-sig" else "utf-8"
            self.invalid_utf8 = choice.invalid
        if choice.notice:
            self.encoding_notices.append(choice.notice)

    def _open(self, head: bytes, bom: int) -> tuple[Buffer, int, int, bool]:
        """The bytes to parse (UTF-8 or Windows-1252, LF or CRLF line ends) and their range."""
        preview = self.preview_rows is not None
        utf16 = self.encoding.startswith("utf-16")
        if preview:
            with open(self.path, "rb") as fh:
                data: Buffer = fh.read(self.preview_bytes)
            complete = len(data) >= self.size
        else:
            complete = True
            if utf16:
                data = self.path.read_bytes()
            else:
                with open(self.path, "rb") as fh:
                    data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        start = bom
        if utf16:
            data, _ = to_utf8(self.name, bytes(data[bom:]), self.encoding)
            self.escaped = True
            start = 0
        sample = bytes(data[start : start + sniff.SAMPLE_BYTES])
        if b"\n" not in sample and b"\r" in sample:  # old Mac line ends: make them LF
            data = bytes(data).replace(b"\r", b"\n")
        end = len(data)
        if not complete:
            end = last_record_end(data, start)
        return data, start, end, complete

    def _parse(
        self, data: Buffer, start: int, end: int, complete: bool
    ) -> tuple[pa.Table, np.ndarray, list[BadRow], dict[str, Any]]:
        self.notices = []  # a second parse (another encoding) says it all again
        byte_encoding = "utf-8" if self.encoding.startswith("utf-16") else self.encoding

        # Leading blank lines, then the header record.
        pos, header_line = start, 1
        while pos < end:
            stop = data.find(b"\n", pos, end)
            stop = end if stop < 0 else stop + 1
            if bytes(data[pos:stop]).strip():
                break
            pos, header_line = stop, header_line + 1
        if pos >= end:
            raise LeadFileError(f"{self.name}: the file is empty.")
        sample = sniff.decode(bytes(data[pos : min(end, pos + sniff.SAMPLE_BYTES)]), byte_encoding)
        dialect = sniff.sniff_delimiter(sample, complete=complete and pos + sniff.SAMPLE_BYTES >= end)
        delimiter = dialect.delimiter
        header_end = record_end(data, pos, end, limit=MAX_HEADER_BYTES)
        if header_end < 0:
            raise LeadFileError(
                f"{self.name}: the header starting on line {header_line} runs on for more than "
                f"{MAX_HEADER_BYTES // (1024 * 1024)} MB, which no header does: a quote in it may not be closed."
            )
        raw_names = self._header(bytes(data[pos:header_end]), byte_encoding, delimiter, header_line)
        names, renamed = unique_names(raw_names)
        if renamed and not self.notices_has("renamed"):
            self.notices.append(
                f"{self.name}: renamed columns with an empty or repeated header: " + ", ".join(renamed) + "."
            )
        first_data_line = header_line + bytes(data[pos:header_end]).count(b"\n")
        if header_end == end or first_data_line == header_line:
            first_data_line = header_line + 1

        # The report footer.
        data_start, data_end = header_end, end
        footer = None
        if complete and data_start < end:
            footer = sniff.find_footer(data, data_start, end, byte_encoding, delimiter, len(names))
            if footer is not None:
                data_end = footer.offset

        # Every line break of the data (numbered lines and safe cuts both come from them).
        breaks = scan_line_breaks(data, data_start, data_end, SCAN_BYTES)
        check(self.progress, 0.08, self.message)

        footer_lines: list[int] | None = None
        if footer is not None:
            footer_top = first_data_line + len(breaks.newlines)
            footer_lines = [footer_top + footer.first, footer_top + footer.last]
            where = (
                f"line {footer_lines[0]}"
                if footer_lines[0] == footer_lines[1]
                else f"lines {footer_lines[0]}\u2013{footer_lines[1]}"
            )
            self.notices.append(
                f"{self.name}: skipped the report footer: \u2018{_shorten(footer.texts[0], 80)}\u2019 ({where})."
            )

        # The data cut at line starts into chunks, parsed side by side, the bytes that cannot
        # be read as text escaped in the chunks that have them (see `damage`).
        lines = lines_of(data, breaks)
        chunks = cut_chunks(data, breaks, lines, CHUNK_BYTES)
        self._mark_damage(chunks, breaks.controls, data_start, data_end)
        try:
            read_chunks(
                self.name,
                data,
                chunks,
                names,
                delimiter,
                byte_encoding,
                lambda done, total: check(self.progress, 0.1 + 0.88 * done / total, self.message),
            )
        except TooLong as error:
            raise self._too_long(data, error.chunk, byte_encoding, delimiter, names, first_data_line) from None

        tables = [c.table for c in chunks if c.table is not None]
        schema = pa.schema([(n, pa.string()) for n in names])
        table = pa.concat_tables(tables) if tables else schema.empty_table()
        invalid = [row for c in chunks for row in c.invalid]
        records = table.num_rows + len(invalid)

        # Line numbers.
        if all(c.one_line_records for c in chunks):
            invalid_at = [index for c in chunks for index in c.invalid_at(lines)]
            line_numbers, bad_lines = one_line_records(lines, first_data_line, invalid_at)
            multiline = False
        else:
            text = sniff.decode(bytes(data[data_start:data_end]), byte_encoding)
            line_numbers, bad_lines = multi_line_records(text, delimiter, len(names), first_data_line, len(invalid))
            multiline = True
        line_numbers = fit_lines(line_numbers, table.num_rows)

        bad: list[BadRow] = []
        for (_, expected, actual, text_), line in zip(invalid, bad_lines, strict=True):
            if not text_.strip(' \t\r\n"' + delimiter):
                continue  # a line of spaces or empty quotes: as blank as a blank line
            reason = f"expected {expected} fields, found {actual}"
            described = describe(text_)
            if described is not None:
                text_, reason = described[0], f"{reason}; {described[1]}"
            bad.append(BadRow(self.name, line, None, _shorten(text_, VALUE_CHARS), reason))

        # Rows holding a byte that cannot be read as text: left out, each such cell a bad row.
        damaged = damaged_cells_of(chunks)
        if damaged:
            keep = np.ones(table.num_rows, dtype=bool)
            for row, column, value, reason in damaged:
                keep[row] = False
                line = int(line_numbers[row])
                bad.append(BadRow(self.name, line if line >= 0 else None, column, _shorten(value, VALUE_CHARS), reason))
            table = table.filter(pa.array(keep))
            line_numbers = line_numbers[keep]
            bad.sort(key=lambda b: (b.line is None, b.line or 0))

        if self.preview_rows is not None and table.num_rows > self.preview_rows:
            table = table.slice(0, self.preview_rows)
            line_numbers = line_numbers[: self.preview_rows]
            last = int(line_numbers[-1]) if len(line_numbers) else 0
            bad = [b for b in bad if b.line is not None and b.line < last]
        elif records == 0 or (table.num_rows == 0 and not bad):
            if complete:
                raise LeadFileError(f"{self.name}: the file has a header but no data rows.")

        detail: dict[str, Any] = {
            "delimiter": delimiter,
            "header_line": header_line,
            "footer_lines": footer_lines,
            "quoted_newlines": multiline or dialect.quoted_newlines,
        }
        return table, line_numbers, bad, detail

    def _header(self, raw: bytes, encoding: str, delimiter: str, line: int) -> list[str]:
        """The header's names; bytes that are not text are shown as U+FFFD, with a notice."""
        text = sniff.decode(raw, encoding)
        names = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        if len(names) > MAX_COLUMNS:
            raise LeadFileError(
                f"{self.name}: the header (line {line}) has {len(names):,} columns, more than the "
                f"{MAX_COLUMNS:,} a spreadsheet can have; is this the right file, and its delimiter "
                f"\u201c{delimiter}\u201d?"
            )
        visible = [shown(n) for n in names]
        strict = encoding != "cp1252" and raw.decode("utf-8", errors="ignore") != text
        if visible != names or strict:
            self.notices.append(
                f"{self.name}: the header (line {line}) holds bytes that are not text; shown as \ufffd."
            )
        return visible

    def _mark_damage(self, chunks: list[Chunk], controls: np.ndarray, start: int, end: int) -> None:
        """Give each chunk the bytes in it that cannot be read as text: the control bytes (in
        UTF-16 text, its escapes), and the invalid bytes of a UTF-8 file with a few."""
        invalid = self.invalid_utf8[(self.invalid_utf8 >= start) & (self.invalid_utf8 < end)]
        if controls.size == 0 and invalid.size == 0:
            return
        positions = np.concatenate([controls, invalid])
        kinds = np.concatenate(
            [np.full(controls.size, ESCAPED if self.escaped else CONTROL), np.full(invalid.size, INVALID_UTF8)]
        )
        order = np.argsort(positions, kind="stable")
        positions, kinds = positions[order], kinds[order]
        for c in chunks:
            lo, hi = np.searchsorted(positions, [c.start, c.end])
            if hi > lo:
                c.damage = (positions[lo:hi], kinds[lo:hi])

    def _too_long(
        self, data: Buffer, chunk: Chunk, encoding: str, delimiter: str, names: list[str], first_line: int
    ) -> LeadFileError:
        """The message for a value or row past the limits, naming its line (and column)."""
        text = sniff.decode(bytes(data[chunk.start : chunk.end]), encoding)
        line, column, size = find_too_long(
            text, delimiter, names, first_line + chunk.first_line, csv_blocks.MAX_VALUE_BYTES, csv_blocks.MAX_ROW_BYTES
        )
        if column is not None:
            return LeadFileError(
                f"{self.name}, line {line}, column \u201c{column}\u201d: a value of {_mb(size)} is longer "
                f"than the {_mb(csv_blocks.MAX_VALUE_BYTES)} a value may have."
            )
        row = f"a row of {_mb(size)}" if size else "a row"
        return LeadFileError(
            f"{self.name}, line {line}: {row} is longer than the {_mb(csv_blocks.MAX_ROW_BYTES)} a row "
            "may have (a quote in it may not be closed)."
        )

    def notices_has(self, word: str) -> bool:
        return any(word in n for n in self.notices)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.1f} MB"


def _shorten(text: str, limit: int) -> str:
    text = text.rstrip("\r\n")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


__all__ = ["read_csv", "preview_csv", "unique_names", "NotCsvError", "Cancelled"]
