"""Fuzzing the import with damaged CRM exports.

A few hundred mutants, seeded so that each is the same on every run: the real exports (the
first rows of X Education and of both Olist files, now and then a whole file) and small
files written here (a UTF-16 "Unicode Text" export, a Windows-1252 one, a semicolon export
with a decimal comma, quoted line breaks and a Salesforce footer, an XLSX workbook), each
damaged one to three ways: bits flipped, bytes overwritten, cut short, NULs, quotes and
delimiters inserted, line ends mixed, byte order marks added or dropped, a field of up to
3 MB, random bytes, lines dropped or repeated; a workbook's zip entries removed, cut or
garbled, its central directory damaged, its sheet's XML bent (a far cell, error cells,
hidden sheets, NULs in shared strings).

Every mutant must import through `import_leads`, the path a user takes, or raise a
`LeadFileError` whose message names the file: no other exception, and no hang. Each import
runs under a watchdog (`WATCHDOG_SECONDS`), which turns a hang into a failure naming the
mutant; should the import hold the interpreter itself, faulthandler ends the run with every
thread's traceback rather than leave the suite stuck. A failing mutant is rebuilt from its
id alone (`mutant(i)`).
"""

from __future__ import annotations

import csv
import faulthandler
import functools
import io
import random
import re
import threading
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from models.leads.importer import import_leads
from models.leads.types import LeadData, LeadFileError
from tests.paths import OLIST_DEALS, OLIST_MQL, X_EDUCATION

# Hundreds of imports of damaged files: `make test-slow` runs them (and CI does).
pytestmark = pytest.mark.slow

SEED = 20_261_206
MUTANTS = 300
WATCHDOG_SECONDS = 60.0

Mutation = Callable[[random.Random, bytes], bytes]


# ─── the files mutated ──────────────────────────────────────────────────────────────────


def _head(path: Path, lines: int) -> bytes:
    return b"".join(path.read_bytes().splitlines(keepends=True)[:lines])


def _workbook(csv_bytes: bytes) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Leads"
    for record in csv.reader(io.StringIO(csv_bytes.decode())):
        ws.append([float(v) if v.replace(".", "", 1).isdigit() else v for v in record])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _semicolon_export() -> bytes:
    rows = "".join(
        f"L{i};{'Won' if i % 4 == 0 else 'Lost'};{i}.250,50;{1 + i % 28:02d}.03.2024;"
        f'"Call {i}; ""ok""\r\nthen mail"\r\n'
        for i in range(80)
    )
    footer = "Grand Totals;;;;\r\nConfidential Information - Do Not Distribute\r\n"
    return ("\ufeffLead ID;Status;Umsatz;Created;Notes\r\n" + rows + footer).encode()


@functools.cache
def base(key: str) -> tuple[str, bytes]:
    """A file to mutate: (its name, its bytes)."""
    x_head = _head(X_EDUCATION, 150)
    umlauts = x_head.replace(b"Mumbai", "Mumbaï".encode())
    if key == "x":
        return "x_education.csv", x_head
    if key == "x-utf8":
        return "x_education_utf8.csv", umlauts
    if key == "x-utf16":
        text = umlauts.decode().replace("\n", "\r\n")
        return "x_education_unicode.txt", b"\xff\xfe" + text.encode("utf-16-le")
    if key == "x-cp1252":
        return "x_education_windows.csv", umlauts.decode().encode("cp1252")
    if key == "olist-mql":  # imported with its outcomes file (`PARTNERS`)
        return "olist_mql.csv", _head(OLIST_MQL, 200)
    if key == "olist-deals":  # the outcomes file of the MQLs
        return "olist_deals.csv", _head(OLIST_DEALS, 120)
    if key == "semicolon":
        return "crm_export.csv", _semicolon_export()
    if key == "xlsx":
        return "x_education.xlsx", _workbook(_head(X_EDUCATION, 60))
    if key == "x-whole":
        return "x_education_whole.csv", X_EDUCATION.read_bytes()
    if key == "olist-whole":
        return "olist_mql_whole.csv", OLIST_MQL.read_bytes()
    raise KeyError(key)


SMALL = ["x", "x-utf8", "x-utf16", "x-cp1252", "olist-mql", "olist-deals", "semicolon", "xlsx"]
WHOLE = ["x-whole", "olist-whole"]
# The Olist MQLs have no outcome column: they are imported with the closed deals as outcomes,
# the one mutated and the other whole, as the import dialog joins them.
PARTNERS = {"olist-mql": "outcomes", "olist-whole": "outcomes", "olist-deals": "leads"}


# ─── text mutations ─────────────────────────────────────────────────────────────────────


def _insert(rng: random.Random, data: bytes, piece: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at:]


def flip_bits(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def overwrite_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_nuls(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 4)):
        data = _insert(rng, data, b"\x00" * rng.choice([1, 1, 2, 3]))
    return data


def insert_quotes(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 3)):
        data = _insert(rng, data, rng.choice([b'"', b'""', b'"""']))
    return data


def insert_delimiters(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 5)):
        data = _insert(rng, data, rng.choice([b",", b";", b"\t", b"|"]))
    return data


def mix_line_ends(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    ends = [b"\n", b"\n", b"\r\n", b"\r", b"", b"\n\n", b"\r\r\n"]
    return b"".join(line + rng.choice(ends) for line in lines[:-1]) + lines[-1]


def byte_order_mark(rng: random.Random, data: bytes) -> bytes:
    if data.startswith(b"\xef\xbb\xbf") and rng.random() < 0.5:
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and rng.random() < 0.5:
        return data[2:]
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb", b"\xff\xfe\x00\x00"]) + data


def huge_field(rng: random.Random, data: bytes) -> bytes:
    size = rng.choice([140_000, 1_100_000, 3_000_000])
    piece = rng.choice([b"x" * size, b'"' + b"line\n" * (size // 5) + b'"', "é".encode() * (size // 2)])
    starts = [m.end() for m in re.finditer(rb"[,;\t]", data[:20_000])] or [0]
    at = rng.choice(starts)
    return data[:at] + piece + data[at:]


def random_bytes(rng: random.Random, data: bytes) -> bytes:
    piece = rng.randbytes(rng.randint(1, 600))
    if rng.random() < 0.5:
        return _insert(rng, data, piece)
    at = rng.randrange(len(data) + 1)
    return data[:at] + piece + data[at + len(piece) :]


def drop_or_repeat_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        choice = rng.random()
        if choice < 0.4 and len(lines) > 1:
            del lines[i]
        elif choice < 0.8:
            lines.insert(i, lines[i])
        else:
            lines[i] = lines[i] * rng.randint(2, 50)
    return b"\n".join(lines)


def noise(rng: random.Random, data: bytes) -> bytes:
    return rng.randbytes(rng.randint(0, 3000))


TEXT: list[Mutation] = [
    flip_bits,
    overwrite_bytes,
    truncate,
    insert_nuls,
    insert_quotes,
    insert_delimiters,
    mix_line_ends,
    byte_order_mark,
    huge_field,
    random_bytes,
    drop_or_repeat_lines,
]


# ─── workbook mutations ─────────────────────────────────────────────────────────────────


def _entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _zipped(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info, content in entries:
            archive.writestr(info, content)
    return out.getvalue()


def damage_entry(rng: random.Random, data: bytes) -> bytes:
    """One zip entry removed, cut, overwritten, given NULs, replaced or bent."""
    try:
        entries = _entries(data)
    except Exception:  # noqa: BLE001 - damaged already: damage its bytes instead
        return flip_bits(rng, data)
    if not entries:
        return data
    k = rng.randrange(len(entries))
    info, content = entries[k]
    choice = rng.random()
    if choice < 0.2:
        del entries[k]
    else:
        if choice < 0.4:
            content = truncate(rng, content)
        elif choice < 0.6:
            content = overwrite_bytes(rng, content)
        elif choice < 0.7:
            content = insert_nuls(rng, content)
        elif choice < 0.8:
            content = rng.randbytes(rng.randint(0, 500))
        elif choice < 0.9:
            content = content.replace(b"<", b"<<", rng.randint(1, 5))
        else:
            content += b"<x>" * 1000
        entries[k] = (info, content)
    return _zipped(entries)


def damage_bytes(rng: random.Random, data: bytes) -> bytes:
    return rng.choice([flip_bits, overwrite_bytes, truncate, random_bytes])(rng, data)


def damage_directory(rng: random.Random, data: bytes) -> bytes:
    """A byte of the zip's central directory overwritten."""
    at = data.rfind(b"PK\x01\x02")
    if at < 0:
        return flip_bits(rng, data)
    out = bytearray(data)
    out[at + rng.randrange(46)] = rng.randrange(256)
    return bytes(out)


def bend_sheet(rng: random.Random, data: bytes) -> bytes:
    """Valid zip, odd content: a cell far off the table (the dimension saying so), error
    cells, inline strings, rows renumbered, hidden sheets, NULs and long shared strings."""
    try:
        entries = _entries(data)
    except Exception:  # noqa: BLE001 - as above
        return flip_bits(rng, data)
    out = []
    for info, content in entries:
        if info.filename.endswith("sheet1.xml"):
            choice = rng.random()
            if choice < 0.3:
                far = rng.choice([b"XFD1048576", b"XFD20", b"AK1048576", b"AAA70000"])
                content = content.replace(b'r="B5"', b'r="' + far + b'"', 1)
                content = re.sub(rb'<dimension ref="A1:[A-Z]+[0-9]+"', b'<dimension ref="A1:' + far + b'"', content)
            elif choice < 0.5:
                content = re.sub(
                    rb"<v>(\d+)</v>", lambda m: b"<v>99999999</v>" if rng.random() < 0.1 else m[0], content
                )
            elif choice < 0.7:
                content = content.replace(b"<c ", b'<c t="inlineStr" ', 3)
            elif choice < 0.85:
                content = content.replace(b't="s"', b't="e"', 20)
            else:
                content = content.replace(b"<row ", b'<row r="1048576" ', 2)
        elif info.filename.endswith("sharedStrings.xml") and rng.random() < 0.5:
            content = content.replace(b"<t>", b"<t>\x00\x01" + b"y" * rng.choice([10, 200_000]), 3)
        elif info.filename.endswith("workbook.xml") and rng.random() < 0.3:
            content = content.replace(b"<sheet ", b'<sheet state="hidden" ')
        out.append((info, content))
    return _zipped(out)


WORKBOOK: list[Mutation] = [damage_entry, damage_entry, damage_bytes, damage_directory, bend_sheet, bend_sheet]


# ─── the mutants ────────────────────────────────────────────────────────────────────────


def _plan(i: int) -> tuple[random.Random, str, list[Mutation]]:
    rng = random.Random(SEED * 1_000_003 + i)
    key = rng.choice(WHOLE) if i % 50 == 49 else rng.choice(SMALL)
    pool = WORKBOOK if key == "xlsx" else TEXT
    mutations = [rng.choice(pool) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    if key != "xlsx" and rng.random() < 0.02:
        mutations = [noise]
    return rng, key, mutations


def mutant(i: int) -> tuple[str, bytes]:
    """Mutant `i`: its file name and bytes, the same on every run."""
    rng, key, mutations = _plan(i)
    name, data = base(key)
    for mutation in mutations:
        data = mutation(rng, data)
    return name, data


def _id(i: int) -> str:
    _, key, mutations = _plan(i)
    return f"{i:03d}-{key}-" + "+".join(m.__name__ for m in mutations)


# ─── the tests ──────────────────────────────────────────────────────────────────────────


def _files(tmp_path: Path, key: str, name: str, data: bytes) -> tuple[Path, Path, Path | None]:
    """(the file written, the leads file, the outcomes file) for a mutant of `key`."""
    path = tmp_path / name
    path.write_bytes(data)
    role = PARTNERS.get(key)
    if role is None:
        return path, path, None
    partner = tmp_path / ("olist_mql_whole.csv" if role == "leads" else "olist_deals_whole.csv")
    partner.write_bytes((OLIST_MQL if role == "leads" else OLIST_DEALS).read_bytes())
    return (path, partner, path) if role == "leads" else (path, path, partner)


def _import_with_watchdog(leads: Path, outcomes: Path | None = None) -> LeadData | BaseException:
    """`import_leads`' result or what it raised; fails the test when it hangs."""
    outcome: list[LeadData | BaseException] = []
    path = leads

    def run() -> None:
        try:
            outcome.append(import_leads(leads, outcomes_path=outcomes))
        except BaseException as error:  # noqa: BLE001 - judged by the test
            outcome.append(error)

    worker = threading.Thread(target=run, name=f"fuzz {path.name}", daemon=True)
    faulthandler.dump_traceback_later(2 * WATCHDOG_SECONDS, exit=True)
    try:
        worker.start()
        worker.join(WATCHDOG_SECONDS)
    finally:
        faulthandler.cancel_dump_traceback_later()
    if worker.is_alive():
        pytest.fail(f"the import of {path.name} did not end within {WATCHDOG_SECONDS:.0f} s")
    return outcome[0]


@pytest.mark.parametrize("key", SMALL + WHOLE)
def test_every_file_fuzzed_imports_unharmed(tmp_path: Path, key: str) -> None:
    name, data = base(key)
    _, leads, outcomes = _files(tmp_path, key, name, data)
    result = _import_with_watchdog(leads, outcomes)
    assert isinstance(result, LeadData), result
    assert result.quality.rows > 0 and result.rejected == []


@pytest.mark.parametrize("i", range(MUTANTS), ids=_id)
def test_a_damaged_export_imports_or_is_refused_by_name(tmp_path: Path, i: int) -> None:
    name, data = mutant(i)
    _, leads, outcomes = _files(tmp_path, _plan(i)[1], name, data)
    names = {leads.name} | ({outcomes.name} if outcomes is not None else set())
    result = _import_with_watchdog(leads, outcomes)
    if isinstance(result, LeadFileError):
        assert any(n in str(result) for n in names), f"the message names no file: {result}"
    elif isinstance(result, BaseException):
        trace = "".join(traceback.format_exception(result))
        pytest.fail(f"{type(result).__name__} instead of an import or a LeadFileError:\n{trace}")
    else:
        assert all(bad.file in names and (bad.line is None or bad.line >= 1) for bad in result.rejected)
