"""Reading a CSV export into a `RawTable`: every column as text, bad rows listed with their
physical line, the report footer skipped, and all of it fast enough for a million rows.

The steps, in order: what the file is and its encoding (`sniff`), the bytes to parse (mapped,
or re-encoded when UTF-16), the header record and the delimiter, the report footer; then every
line break (`csv_lines`), the data cut into chunks parsed side by side by pyarrow
(`csv_blocks`), the physical line of every row (`csv_lines`), the bad rows. The file's SHA-256
is computed meanwhile on a thread of its own (`file_hash`).
"""

from __future__ import annotations

import csv
import io
import mmap
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from models.leads import sniff
from models.leads.csv_blocks import NotUtf8, cut_chunks, read_chunks
from models.leads.csv_lines import (
    fit_lines,
    last_record_end,
    lines_of,
    multi_line_records,
    one_line_records,
    record_end,
    scan_line_breaks,
)
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

# The sizes measured best on a 1,000,000-row, 20-column file, 2 cores (see `csv_lines` and
# `csv_blocks`); set here, where the reader hands them down, so that a test can make them small.
CHUNK_BYTES = 16 * 1024 * 1024  # the data parsed by one pyarrow call
SCAN_BYTES = 16 * 1024 * 1024  # the data scanned for line breaks by one thread
PREVIEW_BYTES = 256 * 1024
PREVIEW_MAX_BYTES = 16 * 1024 * 1024
VALUE_CHARS = 200


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
            try:
                result = self._parse(data, start, end, complete)
            except NotUtf8:
                self.encoding = "cp1252"
                self.notices.append(f"{self.name} is not valid UTF-8 throughout; read as Windows-1252.")
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
        if encoding == "cp1252" and self.encoding == "cp1252":
            self.notices.insert(0, f"{self.name} is not UTF-8; read as Windows-1252.")
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
            raw = bytes(data[bom:])
            if len(raw) % 2:
                raw = raw[:-1]
            data = raw.decode(self.encoding, errors="replace").encode("utf-8")
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
        header_end = record_end(data, pos, end)
        header_text = sniff.decode(bytes(data[pos:header_end]), byte_encoding)
        raw_names = next(csv.reader(io.StringIO(header_text, newline=""), delimiter=delimiter), [])
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

        # The data cut at line starts into chunks, parsed side by side.
        lines = lines_of(data, breaks)
        chunks = cut_chunks(data, breaks, lines, CHUNK_BYTES)
        read_chunks(
            self.name,
            data,
            chunks,
            names,
            delimiter,
            byte_encoding,
            lambda done, total: check(self.progress, 0.1 + 0.88 * done / total, self.message),
        )

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
            bad.append(
                BadRow(
                    file=self.name,
                    line=line,
                    column=None,
                    value=_shorten(text_, VALUE_CHARS),
                    reason=f"expected {expected} fields, found {actual}",
                )
            )

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

    def notices_has(self, word: str) -> bool:
        return any(word in n for n in self.notices)


def _shorten(text: str, limit: int) -> str:
    text = text.rstrip("\r\n")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


__all__ = ["read_csv", "preview_csv", "unique_names", "NotCsvError", "Cancelled"]
