"""Reading CSV exports into a RawTable: delimiters, encodings, quoting, line ends, report
footers, bad rows with their physical lines, files that are not CSV, cancel, the real data.

Every file is written here byte by byte; the expected values are worked out by hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from models.leads import read_csv as read_csv_module
from models.leads import sniff
from models.leads.read import file_kind, preview_file, read_file
from models.leads.read_csv import NotCsvError, preview_csv, read_csv
from models.leads.types import BadRow, Cancelled, LeadFileError, RawTable
from tests.paths import OLIST_MQL, X_EDUCATION


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def values(raw: RawTable) -> list[list[str | None]]:
    return [list(row.values()) for row in raw.table.to_pylist()]


def lines(raw: RawTable) -> list[int]:
    return [int(n) for n in raw.line_numbers]


# ─── delimiters ─────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    d = delimiter
    text = f"Name{d}Email{d}Score\nAnn{d}ann@example.com{d}5\nBob{d}{d}7\n"
    raw = read_csv(write(tmp_path, "leads.csv", text.encode()))
    assert raw.columns == ["Name", "Email", "Score"]
    assert values(raw) == [["Ann", "ann@example.com", "5"], ["Bob", None, "7"]]
    assert lines(raw) == [2, 3]
    assert raw.source.detail["delimiter"] == d
    assert raw.bad_rows == [] and raw.notices == []


def test_semicolon_file_with_commas_in_values(tmp_path: Path) -> None:
    text = "Firma;Umsatz;Ort\nMüller GmbH;1.250.000,50;Köln\nSchmidt AG;980,00;Bonn\n"
    raw = read_csv(write(tmp_path, "de.csv", text.encode()))
    assert raw.source.detail["delimiter"] == ";"
    assert values(raw) == [["Müller GmbH", "1.250.000,50", "Köln"], ["Schmidt AG", "980,00", "Bonn"]]


# ─── encodings ──────────────────────────────────────────────────────────────────────────

TEXT = "Name,City,Budget\nMüller,Café Zürich,€500\nNoël,Saint-Étienne,€80\n"
EXPECTED = [["Müller", "Café Zürich", "€500"], ["Noël", "Saint-Étienne", "€80"]]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    raw = read_csv(write(tmp_path, "enc.csv", data))
    assert raw.columns == ["Name", "City", "Budget"]  # no BOM left in the first name
    assert values(raw) == EXPECTED
    assert lines(raw) == [2, 3]
    assert raw.source.detail["encoding"] == encoding


def test_windows_1252_bytes_by_hand(tmp_path: Path) -> None:
    # "Müller" with ü = 0xFC, "café" with é = 0xE9, "€" = 0x80; not valid UTF-8.
    data = b"Name;Note;Price\r\nM\xfcller;caf\xe9;\x8010\r\n"
    raw = read_csv(write(tmp_path, "win.csv", data))
    assert values(raw) == [["Müller", "café", "€10"]]
    assert raw.source.detail["encoding"] == "cp1252"
    assert any("Windows-1252" in n for n in raw.notices)


def test_utf16_tab_separated_excel_unicode_text(tmp_path: Path) -> None:
    text = "Lead\tSource\r\nA-1\tGoogle\r\nA-2\tgoogle\r\n"
    raw = read_csv(write(tmp_path, "unicode.txt", b"\xff\xfe" + text.encode("utf-16-le")))
    assert raw.source.detail["delimiter"] == "\t"
    assert values(raw) == [["A-1", "Google"], ["A-2", "google"]]


def test_not_utf8_after_the_sample_falls_back_to_windows_1252(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sniff, "ENCODING_SAMPLE_BYTES", 16)
    data = b"id,name\n1,Ann\n2,Bea\n3,Z\xfcrich\n"
    raw = read_csv(write(tmp_path, "late.csv", data))
    assert values(raw) == [["1", "Ann"], ["2", "Bea"], ["3", "Zürich"]]
    assert raw.source.detail["encoding"] == "cp1252"
    assert any("not valid UTF-8" in n for n in raw.notices)


# ─── quoting, line ends, blank lines ───────────────────────────────────────────────────

QUOTED = (
    "id,note,city\n"  # line 1
    '1,"Hello, world",Berlin\n'  # 2
    '2,"He said ""hi""",Paris\n'  # 3
    '3,"line one\nline two",Rome\n'  # 4-5
    "4,plain,Oslo\n"  # 6
    '5,"a,b",x,extra\n'  # 7: 4 fields
    '6,"x\n\ny",Lima\n'  # 8-10 (a blank line inside the quotes)
    "7,last,Kyiv\n"  # 11
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_quoted_commas_quotes_and_line_breaks(tmp_path: Path, newline: str) -> None:
    raw = read_csv(write(tmp_path, "q.csv", QUOTED.replace("\n", newline).encode()))
    assert values(raw) == [
        ["1", "Hello, world", "Berlin"],
        ["2", 'He said "hi"', "Paris"],
        ["3", f"line one{newline}line two", "Rome"],
        ["4", "plain", "Oslo"],
        ["6", f"x{newline}{newline}y", "Lima"],
        ["7", "last", "Kyiv"],
    ]
    assert lines(raw) == [2, 3, 4, 6, 8, 11]
    assert raw.bad_rows == [
        BadRow(file="q.csv", line=7, column=None, value='5,"a,b",x,extra', reason="expected 3 fields, found 4")
    ]
    assert raw.source.detail["quoted_newlines"] is True


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_crlf_and_lf_with_blank_lines(tmp_path: Path, newline: str) -> None:
    text = newline.join(["a,b", "1,2", "", "3,4", "", "", "5,6", ""])
    raw = read_csv(write(tmp_path, "nl.csv", text.encode()))
    assert values(raw) == [["1", "2"], ["3", "4"], ["5", "6"]]  # no "\r" left on the last value
    assert lines(raw) == [2, 4, 7]


def test_no_newline_at_end_and_leading_blank_lines(tmp_path: Path) -> None:
    raw = read_csv(write(tmp_path, "x.csv", b"\n\nid,v\n1,a\n2,b"))
    assert raw.source.detail["header_line"] == 3
    assert values(raw) == [["1", "a"], ["2", "b"]]
    assert lines(raw) == [4, 5]


# ─── bad rows ───────────────────────────────────────────────────────────────────────────


def test_wrong_field_counts_are_reported_with_their_physical_line_and_skipped(tmp_path: Path) -> None:
    text = (
        "a,b,c\n"  # 1
        "1,2,3\n"  # 2
        "4,5\n"  # 3: too few
        "\n"  # 4: blank
        "6,7,8,9\n"  # 5: too many
        "10,11,12\n"  # 6
        "   \n"  # 7: spaces only, skipped like a blank line
        "13,14,15\n"  # 8
    )
    raw = read_csv(write(tmp_path, "bad.csv", text.encode()))
    assert values(raw) == [["1", "2", "3"], ["10", "11", "12"], ["13", "14", "15"]]
    assert lines(raw) == [2, 6, 8]
    assert raw.bad_rows == [
        BadRow("bad.csv", 3, None, "4,5", "expected 3 fields, found 2"),
        BadRow("bad.csv", 5, None, "6,7,8,9", "expected 3 fields, found 4"),
    ]
    assert str(raw.bad_rows[0]) == "bad.csv, line 3: \u201c4,5\u201d: expected 3 fields, found 2"


def test_long_bad_row_value_is_truncated(tmp_path: Path) -> None:
    long_row = "x," * 300 + "x"
    raw = read_csv(write(tmp_path, "long.csv", f"a,b\n1,2\n{long_row}\n".encode()))
    (bad,) = raw.bad_rows
    assert bad.line == 3 and bad.reason == "expected 2 fields, found 301"
    assert bad.value is not None and len(bad.value) == 200 and bad.value.endswith("\u2026")


@pytest.mark.parametrize("quoted", [False, True])
def test_many_chunks_keep_lines_right(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quoted: bool) -> None:
    """Cut into ~100-byte chunks, with bad rows, blank lines and (quoted=True) quoted line
    breaks near every cut: the line of every row is where the writer put it."""
    monkeypatch.setattr(read_csv_module, "CHUNK_BYTES", 100)
    monkeypatch.setattr(read_csv_module, "SCAN_BYTES", 64)
    out = ["id,text,n\n"]
    line = 2
    good: list[tuple[str, int]] = []
    bad: list[int] = []
    for i in range(300):
        if i % 17 == 5:
            out.append(f"{i},only two\n")
            bad.append(line)
            line += 1
        elif i % 23 == 7:
            out.append("\n")
            line += 1
        elif quoted and i % 7 == 3:
            out.append(f'{i},"multi\nline, ""{i}""",{i}\n')
            good.append((str(i), line))
            line += 2
        else:
            out.append(f'{i},"t{i}",{i}\n')
            good.append((str(i), line))
            line += 1
    raw = read_csv(write(tmp_path, "chunks.csv", "".join(out).encode()))
    assert raw.table.column("id").to_pylist() == [g[0] for g in good]
    assert lines(raw) == [g[1] for g in good]
    assert [b.line for b in raw.bad_rows] == bad
    if quoted:
        assert raw.table.column("text").to_pylist()[3 - 0] == 'multi\nline, "3"'


# ─── header names ───────────────────────────────────────────────────────────────────────


def test_empty_and_duplicate_header_names_are_made_unique(tmp_path: Path) -> None:
    raw = read_csv(write(tmp_path, "h.csv", b"Email,,Email, Name ,Email\na,b,c,d,e\n"))
    assert raw.columns == ["Email", "Column 2", "Email (2)", "Name", "Email (3)"]
    assert values(raw) == [["a", "b", "c", "d", "e"]]
    assert any("Column 2" in n and "Email (2)" in n for n in raw.notices)


# ─── report footers ─────────────────────────────────────────────────────────────────────

SALESFORCE = (
    '"Lead ID","Company","Lead Status"\n'  # 1
    '"00Q1","Acme","Open"\n'  # 2
    '"00Q2","Globex, Inc.","Working"\n'  # 3
    '"00Q3","Initech","Closed - Converted"\n'  # 4
    "\n"  # 5
    '"Grand Totals (3 records)"\n'  # 6
    '"Confidential Information - Do Not Distribute"\n'  # 7
    '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\n'  # 8
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_salesforce_footer_is_skipped_with_a_notice(tmp_path: Path, newline: str) -> None:
    raw = read_csv(write(tmp_path, "report.csv", SALESFORCE.replace("\n", newline).encode()))
    assert raw.columns == ["Lead ID", "Company", "Lead Status"]
    assert values(raw) == [
        ["00Q1", "Acme", "Open"],
        ["00Q2", "Globex, Inc.", "Working"],
        ["00Q3", "Initech", "Closed - Converted"],
    ]
    assert lines(raw) == [2, 3, 4]
    assert raw.bad_rows == []
    assert raw.notices == [
        "report.csv: skipped the report footer: \u2018Grand Totals (3 records)\u2019 (lines 6\u20138)."
    ]
    assert raw.source.detail["footer_lines"] == [6, 8]


def test_footer_with_generated_by_and_empty_quoted_lines(tmp_path: Path) -> None:
    text = (
        "Owner,Lead,Amount\n"
        "Ann,L1,10\n"
        "Bob,L2,20\n"
        "Total,,30\n"  # 4
        '""\n'  # 5
        '"Acme Corp"\n'  # 6: the company, one value
        '"Generated By:  Ann Smith  1/2/2026 10:00 AM"\n'  # 7
        "\n"
    )
    raw = read_csv(write(tmp_path, "r.csv", text.encode()))
    assert values(raw) == [["Ann", "L1", "10"], ["Bob", "L2", "20"]]
    assert raw.source.detail["footer_lines"] == [4, 7]
    assert raw.bad_rows == []


def test_one_value_last_line_without_footer_words_is_a_bad_row(tmp_path: Path) -> None:
    raw = read_csv(write(tmp_path, "t.csv", b"a,b,c\n1,2,3\nstray\n"))
    assert raw.notices == []
    assert raw.bad_rows == [BadRow("t.csv", 3, None, "stray", "expected 3 fields, found 1")]


def test_totally_is_not_total(tmp_path: Path) -> None:
    raw = read_csv(write(tmp_path, "t.csv", b"Company,n\nAcme,1\nTotally Fit GmbH,2\n"))
    assert values(raw) == [["Acme", "1"], ["Totally Fit GmbH", "2"]]
    assert raw.source.detail["footer_lines"] is None


def test_a_lone_cr_near_the_end_is_a_line_break_not_an_error(tmp_path: Path) -> None:
    # Found by fuzzing: the footer check read the last lines with Python's csv, which stops
    # with an error on a CR inside a line (a file whose line ends were mixed).
    raw = read_csv(write(tmp_path, "cr.csv", b"id,name,won\n1,a,yes\n2,b,no\n3,d\re,no\n"))
    assert values(raw) == [["1", "a", "yes"], ["2", "b", "no"]]
    # Lines counted as an editor counts them, the lone CR ending one.
    assert [(b.line, b.value) for b in raw.bad_rows] == [(4, "3,d"), (5, "e,no")]


# ─── files that are not CSV ─────────────────────────────────────────────────────────────

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\n\r\n  \n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"Name,Email,Score\n", "header but no data rows"),
        (b"Name,Email,Score\r\n\r\n\r\n", "header but no data rows"),
        (PNG, "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"id,name\n\x00\x00\x00\x01\x02\x03" * 50, "binary data"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97"),
    ],
)
def test_unreadable_files_give_one_clear_message(tmp_path: Path, data: bytes, words: str) -> None:
    path = write(tmp_path, "leads.csv", data)
    with pytest.raises(LeadFileError) as info:
        read_csv(path)
    message = str(info.value)
    assert message.startswith("leads.csv")
    assert words in message
    assert "\n" not in message
    if words != "Excel 97":  # an old XLS goes to the workbook reader
        with pytest.raises(LeadFileError, match="leads.csv"):
            read_file(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LeadFileError, match="nothere.csv"):
        read_csv(tmp_path / "nothere.csv")


def write_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "Leads"
    ws.append(["Lead ID", "Source", "Converted"])
    ws.append(["L1", "Google", "Yes"])
    ws.append(["L2", "Referral", "No"])
    wb.save(path)
    return path


def test_xlsx_named_csv_is_read_as_a_workbook_with_a_notice(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "export.csv")
    assert file_kind(path) == "xlsx"
    with pytest.raises(NotCsvError) as info:
        read_csv(path)
    assert info.value.kind == "xlsx" and str(info.value).startswith("export.csv")
    raw = read_file(path)
    assert raw.source.format == "xlsx"
    assert raw.columns == ["Lead ID", "Source", "Converted"]
    assert values(raw) == [["L1", "Google", "Yes"], ["L2", "Referral", "No"]]
    assert raw.notices[0] == "export.csv is really an Excel workbook; read as such."
    preview = preview_file(path, rows=1)
    assert preview.table.num_rows == 1
    assert preview.notices[0] == "export.csv is really an Excel workbook; read as such."


def test_csv_named_xlsx_is_read_as_text_with_a_notice(tmp_path: Path) -> None:
    path = write(tmp_path, "leads.xlsx", b"id,name\n1,Ann\n")
    assert file_kind(path) == "csv"
    raw = read_file(path)
    assert values(raw) == [["1", "Ann"]]
    assert raw.notices == ["leads.xlsx is really a CSV text file; read as such."]


def test_a_real_xlsx_is_read_without_a_notice(tmp_path: Path) -> None:
    raw = read_file(write_workbook(tmp_path / "export.xlsx"))
    assert raw.table.num_rows == 2
    assert not any("really" in n for n in raw.notices)


# ─── provenance, preview, progress and cancel ──────────────────────────────────────────


def test_source_info(tmp_path: Path) -> None:
    data = "Name;Score\r\nAnn;5\r\n".encode("cp1252")
    path = write(tmp_path, "p.csv", data)
    raw = read_csv(path)
    assert raw.source.name == "p.csv"
    assert raw.source.size == len(data)
    assert raw.source.sha256 == hashlib.sha256(data).hexdigest()
    assert raw.source.format == "csv"
    assert raw.source.detail["delimiter"] == ";"
    assert raw.source.detail["header_line"] == 1
    assert raw.source.detail["footer_lines"] is None
    assert raw.line_numbers.dtype.name == "int64"


def test_preview_reads_only_the_first_rows(tmp_path: Path) -> None:
    rows = "".join(f"{i},name {i}\n" for i in range(1, 20001))
    path = write(tmp_path, "big.csv", ("id,name\n" + rows).encode())
    assert path.stat().st_size > read_csv_module.PREVIEW_BYTES
    raw = preview_csv(path, rows=10)
    assert raw.table.num_rows == 10
    assert lines(raw) == list(range(2, 12))
    assert raw.table.column("id").to_pylist() == [str(i) for i in range(1, 11)]
    assert raw.source.detail["complete"] is False
    assert preview_file(path, rows=3).table.num_rows == 3


class Recorder:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[float, str]] = []
        self.cancel_after = cancel_after

    def report(self, fraction: float, message: str = "") -> None:
        self.reports.append((fraction, message))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after


def test_progress_is_reported_from_0_to_1(tmp_path: Path) -> None:
    progress = Recorder()
    read_csv(write(tmp_path, "p.csv", b"a,b\n1,2\n"), progress)
    fractions = [f for f, _ in progress.reports]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(m == "Reading p.csv" for _, m in progress.reports)


def test_cancel_after_the_first_report_raises_cancelled(tmp_path: Path) -> None:
    progress = Recorder(cancel_after=1)
    with pytest.raises(Cancelled):
        read_csv(write(tmp_path, "c.csv", b"a,b\n1,2\n3,4\n"), progress)
    assert len(progress.reports) == 1


def test_cancel_between_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_csv_module, "CHUNK_BYTES", 1000)
    path = write(tmp_path, "c.csv", ("a,b\n" + "1,2\n" * 10000).encode())
    progress = Recorder(cancel_after=3)
    with pytest.raises(Cancelled):
        read_file(path, progress=progress)
    assert len(progress.reports) == 3


# ─── the real data ──────────────────────────────────────────────────────────────────────


def test_x_education_leads() -> None:
    raw = read_file(X_EDUCATION)
    assert raw.table.num_rows == 9237
    assert raw.table.num_columns == 37
    assert raw.columns[0] == "Prospect ID"
    assert "Converted" in raw.columns
    assert raw.table.column("Converted").to_pylist().count("1") == 3559
    assert raw.bad_rows == [] and raw.notices == []
    assert lines(raw)[:2] == [2, 3] and lines(raw)[-1] == 9238


def test_olist_marketing_qualified_leads() -> None:
    raw = read_file(OLIST_MQL)
    assert raw.table.num_rows == 8000
    assert raw.columns == ["mql_id", "first_contact_date", "landing_page_id", "origin"]
    assert raw.table.column("first_contact_date")[0].as_py() == "01-02-2018"
    assert raw.bad_rows == []
