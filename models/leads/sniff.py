"""What a lead file really is, from its first (and last) bytes: the real format (CSV text,
an XLSX workbook, an old XLS/OLE file, other binary data), the text encoding, the delimiter,
and a report footer (Salesforce's "Grand Totals", "Confidential Information ..." lines) at
the end, so that the data can stop before it.

Everything here works on bytes already read; nothing here parses a whole file."""

from __future__ import annotations

import codecs
import csv
import io
import mmap
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_BYTES = 64 * 1024  # enough lines to judge the delimiter
ENCODING_SAMPLE_BYTES = 1024 * 1024  # how much must decode as UTF-8 for the file to be UTF-8
FOOTER_TAIL_BYTES = 64 * 1024  # a report footer lives in the last few lines
FOOTER_MAX_LINES = 40

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")  # in order of preference on a tie

# A file's bytes, read whole or mapped: both sliceable (to bytes), with `find`, and buffers.
Buffer = bytes | mmap.mmap

# ─── format ─────────────────────────────────────────────────────────────────────────────

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "zip", "a ZIP archive"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "xls",
        "an old Excel 97\u20132003 workbook (.xls) or a password-protected Office file",
    ),
    (b"\x89PNG\r\n\x1a\n", "binary", "a PNG image"),
    (b"%PDF", "binary", "a PDF document"),
    (b"GIF8", "binary", "a GIF image"),
    (b"\xff\xd8\xff", "binary", "a JPEG image"),
    (b"\x1f\x8b", "binary", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "binary", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "binary", "a RAR archive"),
    (b"SQLite format 3\x00", "binary", "an SQLite database"),
    (b"PAR1", "binary", "a Parquet file"),
)


@dataclass(frozen=True)
class Kind:
    """The real format of a file: "csv" (text), "xlsx", "xls", "zip", "binary" or "empty";
    `what` says it in words for a message ("a PNG image")."""

    kind: str
    what: str


def sniff_kind(head: bytes) -> Kind:
    """The format from the first bytes alone (a ZIP is only "zip" here; see `file_kind`)."""
    if not head:
        return Kind("empty", "an empty file")
    for magic, kind, what in _MAGIC:
        if head.startswith(magic):
            return Kind(kind, what)
    encoding, bom = sniff_encoding(head)
    if encoding.startswith("utf-16"):
        body = head[bom:]
        if not body.strip(b"\x00 \t\r\n"):
            return Kind("empty", "an empty file")
        return Kind("csv", "a text file")
    body = head[bom:]
    if not body.strip(b" \t\r\n\x0b\x0c"):
        return Kind("empty", "an empty file")
    # A few NULs or other control bytes in text are damage the reader reports row by row; many
    # are not text at all.
    nuls = body.count(b"\x00")
    controls = nuls + sum(body.count(bytes([c])) for c in range(1, 32) if c not in (9, 10, 11, 12, 13, 26))
    if controls > max(8, len(body) // 100):
        return Kind("binary", "binary data (it contains NUL bytes)" if nuls else "binary data")
    return Kind("csv", "a text file")


def file_kind(path: Path) -> Kind:
    """The real format of the file at `path`, looking inside a ZIP for an Excel workbook."""
    with open(path, "rb") as fh:
        head = fh.read(SAMPLE_BYTES)
    kind = sniff_kind(head)
    if kind.kind != "zip":
        return kind
    damaged = Kind("binary", "a damaged ZIP archive")
    # A damaged archive fails in any of zipfile's ways (BadZipFile, NotImplementedError for a
    # garbled version field, zlib.error, EOFError, ValueError, ...): each means the same here.
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except Exception:  # noqa: BLE001 - see above
        return damaged
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return Kind("xlsx", "an Excel workbook")
    if any(n.startswith("word/") for n in names):
        return Kind("zip", "a Word document")
    if "mimetype" in names and "content.xml" in names:
        try:
            with zipfile.ZipFile(path) as zf:
                mimetype = zf.read("mimetype")[:100]
        except Exception:  # noqa: BLE001 - as above
            return damaged
        if b"spreadsheet" in mimetype:
            return Kind("ods", "an OpenDocument spreadsheet")
        return Kind("zip", "an OpenDocument file")
    return Kind("zip", "a ZIP archive")


# ─── encoding ───────────────────────────────────────────────────────────────────────────

ENCODING_NAMES: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1252": "Windows-1252",
}


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """(codec, BOM length): "utf-8-sig", "utf-16-le", "utf-16-be" from a BOM; UTF-16 without
    a BOM from its NUL pattern; "utf-8" when the sample decodes as UTF-8, else "cp1252"."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    sample = head[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even):
            return "utf-16-le", 0
        if even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd):
            return "utf-16-be", 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head[:ENCODING_SAMPLE_BYTES], final=False)  # a cut character is fine
    except UnicodeDecodeError:
        return "cp1252", 0
    return "utf-8", 0


def _lenient_cp1252(error: UnicodeError) -> tuple[str, int]:
    """The five bytes Windows-1252 leaves undefined (0x81, 0x8D, ...) read as Latin-1."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(b) for b in bad), error.end


codecs.register_error("accord-cp1252", _lenient_cp1252)


def decode(data: bytes, encoding: str) -> str:
    """Text of `data` (no BOM) in `encoding`; never fails on Windows-1252 input."""
    if encoding == "cp1252":
        return data.decode("cp1252", errors="accord-cp1252")
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    return data.decode(encoding, errors="replace")


# ─── delimiter ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    quoted_newlines: bool  # the sample has a quoted value with a line break in it
    fields: int  # fields in the first record (the header)


def sniff_delimiter(text: str, complete: bool = False) -> Dialect:
    """The delimiter whose field count is most consistent over the sample's records (quotes
    respected), preferring more fields, then comma, semicolon, tab, pipe. `complete`: the
    sample is the whole file (else its last, possibly cut, record is not judged)."""
    best: tuple[tuple[float, int, int], Dialect] | None = None
    for rank, delimiter in enumerate(DELIMITERS):
        records = _records(text, delimiter, complete)
        if not records:
            continue
        header = len(records[0])
        if header < 2:
            continue
        body = records[1:] or records
        consistent = sum(1 for r in body if len(r) == header) / len(body)
        newlines = any("\n" in value or "\r" in value for r in records for value in r)
        key = (round(consistent, 2), header, -rank)
        if best is None or key > best[0]:
            best = (key, Dialect(delimiter, newlines, header))
    if best is None or best[0][0] < 0.5:
        if best is not None and best[0][0] >= 0.2:
            return best[1]
        records = _records(text, ",", complete)
        newlines = any("\n" in value or "\r" in value for r in records for value in r)
        return Dialect(",", newlines, len(records[0]) if records else 1)
    return best[1]


def _records(text: str, delimiter: str, complete: bool, limit: int = 500) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            if record:
                records.append(record)
            if len(records) > limit:
                break
    except csv.Error:
        pass
    if not complete and len(records) > 1 and len(records) <= limit:
        records.pop()  # may be cut in the middle
    return records


# ─── footer ─────────────────────────────────────────────────────────────────────────────

_FOOTER_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^(grand\s+)?totals?\s*(\(.*\))?\s*:?$", re.I),  # the first field alone
    re.compile(r"^grand\s+totals?\b", re.I),
    re.compile(r"^confidential\s+information\b", re.I),
    re.compile(r"^copyright\s*(\(c\)|\u00a9)", re.I),
    re.compile(r"^\u00a9"),
    re.compile(r"^generated\s+by\s*:", re.I),
    re.compile(r"^filtered\s+by\s*:", re.I),
)


@dataclass
class Footer:
    """A report footer: it starts at byte `offset` (the data ends there); `texts` are its
    non-blank lines, the first at `first` and the last at `last` lines after the line at
    `offset` (0-based)."""

    offset: int
    texts: list[str] = field(default_factory=list)
    first: int = 0
    last: int = 0


def _fields(line: str, delimiter: str) -> list[str]:
    """The fields of one line (a CR inside it, from mixed line ends, ends the record rather
    than stopping the reader with an error)."""
    try:
        return next(csv.reader(io.StringIO(line, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return [line]


def _is_footer_text(line: str, delimiter: str) -> bool:
    fields = _fields(line, delimiter)
    first = fields[0].strip() if fields else ""
    whole = line.strip().strip('"').strip()
    return any(p.search(first) or p.search(whole) for p in _FOOTER_PATTERNS)


def _blank(line: str, delimiter: str) -> bool:
    return not line.strip().strip('"' + delimiter + " \t")


def find_footer(data: Buffer, start: int, end: int, encoding: str, delimiter: str, columns: int) -> Footer | None:
    """The report footer at the end of data[start:end] (bytes of an ASCII-compatible
    encoding), or None. From the end upwards, blank lines, footer lines ("Grand Totals",
    "Total", "Confidential Information ...", "Copyright (c) ...", "Generated By: ...") and,
    in a table of 3+ columns, one-value lines (the report name, the company) are footer; at
    least one footer line must be there."""
    tail_start = max(start, end - FOOTER_TAIL_BYTES)
    tail = bytes(data[tail_start:end])
    # Line starts within the tail; the first is not a whole line unless the tail is the data.
    starts = [0]
    i = tail.find(b"\n")
    while i >= 0:
        starts.append(i + 1)
        i = tail.find(b"\n", i + 1)
    if starts[-1] == len(tail):
        starts.pop()
    if tail_start > start:
        starts = starts[1:]
    lines = [(s, tail[s : (starts[k + 1] if k + 1 < len(starts) else len(tail))]) for k, s in enumerate(starts)]
    found = False
    footer_start: int | None = None
    kept: list[tuple[int, str, bool]] = []  # (line index from the end, text, blank)
    for back, (offset, raw) in enumerate(reversed(lines)):
        if back >= FOOTER_MAX_LINES or len(raw) > 2000:
            break
        line = decode(raw, encoding).rstrip("\r\n")
        if _blank(line, delimiter):
            kept.append((back, line, True))
        elif _is_footer_text(line, delimiter):
            found = True
            kept.append((back, line, False))
        elif columns >= 3 and len(_fields(line, delimiter)) == 1:
            kept.append((back, line, False))
        else:
            break
        footer_start = offset
    if not found or footer_start is None:
        return None
    block = list(reversed(kept))  # top to bottom
    texts = [(k, text.strip().strip('"').strip()) for k, (_, text, blank) in enumerate(block) if not blank]
    return Footer(offset=tail_start + footer_start, texts=[t for _, t in texts], first=texts[0][0], last=texts[-1][0])
