"""Damaged lead files: a flipped byte, a NUL, a byte lost from UTF-16 text, a file in two
encodings, values and rows longer than the limits, a header whose quote never closes.

Each is read as far as it can be, the damage listed as bad rows naming the file, line and
column and every other lead read, or refused whole with a message naming the file. The
files are the real exports changed byte by byte here, or written by hand; the expected lines
and values are worked out from where the change was made."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.leads import csv_blocks
from models.leads.encoding_choice import HANDFUL
from models.leads.importer import import_leads
from models.leads.read import read_file
from models.leads.types import BadRow, LeadFileError, Mapping
from tests.paths import X_EDUCATION

X_ROWS = 9237


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def x_education_lines() -> list[bytes]:
    """The X Education export's lines (ASCII, LF line ends), line 1 the header."""
    lines = X_EDUCATION.read_bytes().split(b"\n")
    return lines[:-1] if lines[-1] == b"" else lines


def with_umlauts() -> list[bytes]:
    """X Education in UTF-8 with a non-ASCII city: every "Mumbai" spelled "Mumbaï"."""
    return [line.replace(b"Mumbai", "Mumbaï".encode()) for line in x_education_lines()]


# ─── UTF-8 or Windows-1252 ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("line", [40, 7000])  # in the first megabyte, and well past it
def test_a_flipped_bit_in_a_utf8_file_is_one_bad_row(tmp_path: Path, line: int) -> None:
    lines = with_umlauts()
    cities = sum(row.count("Mumbaï".encode()) for row in lines)
    at = next(n for n in range(line, len(lines) + 1) if "Mumbaï".encode() in lines[n - 1])
    # One bit flipped: "ï" is C3 AF; C3 ^ 0x20 = E3 starts a 3-byte character the next bytes
    # do not finish, so both are invalid.
    lines[at - 1] = lines[at - 1].replace(b"Mumba\xc3\xaf", b"Mumba\xe3\xaf", 1)
    raw = read_file(write(tmp_path, "leads.csv", b"\n".join(lines) + b"\n"))
    assert raw.source.detail["encoding"] == "utf-8"
    assert raw.bad_rows == [
        BadRow(
            "leads.csv", at, "City", "Mumba\ufffd\ufffd", "not valid UTF-8 text: byte 0xE3 at character 6 (and 1 more)"
        )
    ]
    assert raw.table.num_rows == X_ROWS - 1
    # Every other value reads as written: no "MumbaÃ¯" anywhere.
    assert raw.table.column("City").to_pylist().count("Mumbaï") == cities - 1
    assert int(raw.line_numbers[-1]) == X_ROWS + 1
    assert any("not valid UTF-8" in n and f"line {at}" in n for n in raw.notices)


def test_a_file_read_again_in_another_encoding_says_each_thing_once(tmp_path: Path) -> None:
    # Past the first megabyte a byte that is not UTF-8: the file is read a second time.
    rows = "".join(f"{i},Lead {i},no\n" for i in range(2, 80_000))
    data = ("id,name,won\n" + rows + "80000,Z\u00fcrich,yes\nGrand Totals,,\n").encode("cp1252")
    raw = read_file(write(tmp_path, "late.csv", data))
    assert raw.source.detail["encoding"] == "cp1252"
    assert raw.notices == [
        "late.csv is not valid UTF-8 throughout; read as Windows-1252.",
        "late.csv: skipped the report footer: \u2018Grand Totals,,\u2019 (line 80001).",
    ]


def test_a_few_utf8_lookalikes_in_a_windows_1252_file_are_named(tmp_path: Path) -> None:
    rows = [f"{i},Müller {i},Köln" for i in range(2, 40)]
    rows[10] = "12,CAFÉ™,Köln"  # É™ is C9 99 in Windows-1252: also the UTF-8 of "ə"
    data = ("id,name,city\n" + "\n".join(rows) + "\n").encode("cp1252")
    raw = read_file(write(tmp_path, "win.csv", data))
    assert raw.source.detail["encoding"] == "cp1252"
    assert raw.table.column("name").to_pylist()[10] == "CAFÉ™"
    assert raw.table.column("name").to_pylist()[0] == "Müller 2"
    assert raw.notices[0] == "win.csv is not UTF-8; read as Windows-1252."
    assert "line 12 holds 1 character that would read as UTF-8 text" in raw.notices[1]


def test_utf8_mixed_with_windows_1252_is_refused_naming_the_lines(tmp_path: Path) -> None:
    utf8 = [f"{i},Zoë {i}".encode() for i in range(2, 2 + 2 * HANDFUL)]  # lines 2-11
    cp1252 = [f"{i},Zoë {i}".encode("cp1252") for i in range(12, 12 + 3 * HANDFUL)]  # lines 12-26
    path = write(tmp_path, "mixed.csv", b"id,name\n" + b"\n".join(utf8 + cp1252) + b"\n")
    with pytest.raises(LeadFileError) as info:
        read_file(path)
    message = str(info.value)
    assert message.startswith("mixed.csv: neither UTF-8 nor Windows-1252 reads this file")
    assert f"{2 * HANDFUL} characters of UTF-8 text would be garbled, more than a handful ({HANDFUL}" in message
    assert "the first on lines 2, 3, 4)" in message
    assert f"{3 * HANDFUL} bytes are not valid (the first on lines 12, 13, 14)" in message


# ─── bytes that cannot be text ──────────────────────────────────────────────────────────


def test_a_nul_in_a_utf8_file_is_one_bad_row(tmp_path: Path) -> None:
    lines = x_education_lines()
    # Line 50 (in the first 64 KB, which once made the whole file "binary data"), in its
    # "Lead Origin" (third) value.
    fields = lines[49].split(b",")
    origin = fields[2].decode()
    fields[2] = fields[2][:3] + b"\x00" + fields[2][3:]
    lines[49] = b",".join(fields)
    raw = read_file(write(tmp_path, "leads.csv", b"\n".join(lines) + b"\n"))
    assert raw.bad_rows == [
        BadRow(
            "leads.csv",
            50,
            "Lead Origin",
            origin[:3] + "\ufffd" + origin[3:],
            "not text: control byte 0x00 at character 4",
        )
    ]
    assert raw.table.num_rows == X_ROWS - 1 and int(raw.line_numbers[48]) == 51


def test_a_nul_in_a_value_across_lines_is_reported_at_its_row(tmp_path: Path) -> None:
    data = (
        b"id,note,won\n"  # 1
        b'1,"first\nsecond",yes\n'  # 2-3
        b'2,"one\nt\x00wo\nthree",no\n'  # 4-6
        b"3,plain,no\n"  # 7
    )
    raw = read_file(write(tmp_path, "notes.csv", data))
    assert raw.table.column("id").to_pylist() == ["1", "3"]
    assert [int(n) for n in raw.line_numbers] == [2, 7]
    assert raw.bad_rows == [
        BadRow("notes.csv", 4, "note", "one\nt\ufffdwo\nthree", "not text: control byte 0x00 at character 6")
    ]


@pytest.mark.parametrize("nul", [b"\x00", b"\x00\x00"], ids=["stray byte", "NUL character"])
def test_a_nul_in_a_utf16_file_is_one_bad_row(tmp_path: Path, nul: bytes) -> None:
    lines = x_education_lines()
    text = (b"\n".join(lines) + b"\n").decode()
    line = 3000
    # Right after the first comma of line 3000: at the start of its "Lead Number" value.
    before = sum(len(row) + 1 for row in lines[: line - 1]) + lines[line - 1].index(b",") + 1
    data = text[:before].encode("utf-16-le") + nul + text[before:].encode("utf-16-le")
    raw = read_file(write(tmp_path, "unicode.csv", b"\xff\xfe" + data))
    number = lines[line - 1].split(b",")[1].decode()
    (bad,) = raw.bad_rows
    assert (bad.file, bad.line, bad.column, bad.value) == ("unicode.csv", line, "Lead Number", "\ufffd" + number)
    assert bad.reason == (
        "not valid UTF-16 text: a stray byte 0x00 at character 1"
        if len(nul) == 1
        else "not text: control byte 0x00 at character 1"
    )
    assert raw.table.num_rows == X_ROWS - 1
    assert int(raw.line_numbers[line - 2]) == line + 1  # the row after it reads, on its own line
    assert raw.table.column("Lead Number").to_pylist()[-1] == lines[-1].split(b",")[1].decode()


# ─── limits ─────────────────────────────────────────────────────────────────────────────


def test_multi_megabyte_notes_import(tmp_path: Path) -> None:
    long_note = "Called twice; " * 230_000  # 3.2 MB on one line
    across_lines = "".join(f"Meeting {i}: went well, next step agreed.\n" for i in range(60_000))  # 2.6 MB
    data = (
        "id,won,notes\n"  # 1
        f"1,yes,{long_note}\n"  # 2
        f'2,no,"{across_lines}"\n'  # 3-60003
        "3,no,short\n"  # 60004
    ).encode()
    leads = import_leads(write(tmp_path, "notes.csv", data), Mapping(id="id", outcome="won"))
    assert leads.table.column("notes").to_pylist() == [long_note, across_lines, "short"]
    assert leads.rejected == []


def test_a_value_over_the_limit_names_the_file_line_column_and_limit(tmp_path: Path) -> None:
    data = b"id,won,notes\n1,yes,short\n2,no," + b"x" * (17 * 1024 * 1024) + b"\n3,no,short\n"
    with pytest.raises(LeadFileError) as info:
        import_leads(write(tmp_path, "notes.csv", data))
    assert str(info.value) == (
        "notes.csv, line 3, column \u201cnotes\u201d: a value of 17 MB is longer than the 16 MB a value may have."
    )


def test_a_row_over_the_limit_names_its_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csv_blocks, "MAX_ROW_BYTES", 2 * 1024 * 1024)
    rows = "".join(f"{i},no,note {i}\n" for i in range(5, 200_000))  # 3 MB
    data = f'id,won,notes\n1,yes,a\n2,no,b\n3,no,c\n4,no,"unclosed\n{rows}'.encode()
    with pytest.raises(LeadFileError) as info:
        read_file(write(tmp_path, "open_quote.csv", data))
    message = str(info.value)
    assert message.startswith("open_quote.csv, line 5: a row of ")
    assert message.endswith("is longer than the 2 MB a row may have (a quote in it may not be closed).")


def test_a_header_whose_quote_never_closes_is_named(tmp_path: Path) -> None:
    lines = x_education_lines()
    lines[0] = lines[0].replace(b"Lead Origin", b'"Lead Origin', 1)
    with pytest.raises(LeadFileError) as info:
        read_file(write(tmp_path, "leads.csv", b"\n".join(lines) + b"\n"))
    assert str(info.value) == (
        "leads.csv: the header starting on line 1 runs on for more than 1 MB, which no header does: "
        "a quote in it may not be closed."
    )


def test_a_header_of_more_columns_than_a_spreadsheet_has_is_refused(tmp_path: Path) -> None:
    # 20,000 names on one line (a file of one column whose line ends were lost, say): each
    # would be typed and cleaned on its own, for minutes.
    header = ",".join(f"c{i}" for i in range(20_000))
    with pytest.raises(LeadFileError) as info:
        read_file(write(tmp_path, "wide.csv", f"{header}\n1,2,3\n".encode()))
    assert str(info.value) == (
        "wide.csv: the header (line 1) has 20,000 columns, more than the 16,384 a spreadsheet can have; "
        "is this the right file, and its delimiter \u201c,\u201d?"
    )
