"""Reading a sheet of an XLSX workbook into a RawTable: sheet and header row choice, cell values
as text, totals rows, header names, line numbers, cancel, and files that are not workbooks.

Every workbook is written here with openpyxl; the expected values are worked out by hand."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pytest

from models.leads.read import read_file
from models.leads.read_xlsx import CHUNK_ROWS, LOADED, preview_xlsx, read_xlsx, xlsx_sheets
from models.leads.types import Cancelled, LeadFileError

Rows = list[list[Any]]


def write_xlsx(path: Path, sheets: dict[str, Rows], hidden: tuple[str, ...] = ()) -> Path:
    """A workbook with one sheet per entry (in order), rows written from A1; None = empty cell."""
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    wb.save(path)
    return path


def rows_of(raw: Any) -> list[dict[str, str | None]]:
    return raw.table.to_pylist()


LEADS: Rows = [["Email", "Source"], ["a@x.com", "Google"], ["b@x.com", "Direct"]]


# --- sheets -------------------------------------------------------------------------------------


def test_sheets_are_listed_in_order_with_their_visibility(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Lookup": [["x"]], "Leads": LEADS, "Notes": []}, hidden=("Lookup",))
    assert xlsx_sheets(path) == [("Lookup", True), ("Leads", False), ("Notes", False)]


def test_the_first_visible_sheet_is_read_and_a_hidden_one_before_it_skipped(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "leads.xlsx",
        {"Lookup": [["Code", "Label"], ["G", "Google"]], "Leads": LEADS, "Other": [["Z"], ["z"]]},
        hidden=("Lookup",),
    )
    raw = read_xlsx(path)
    assert raw.source.detail == {"sheet": "Leads", "header_row": 1, "hidden_sheets_ignored": ["Lookup"]}
    assert raw.columns == ["Email", "Source"]
    assert rows_of(raw) == [{"Email": "a@x.com", "Source": "Google"}, {"Email": "b@x.com", "Source": "Direct"}]
    assert "read the sheet \u201cLeads\u201d; ignored the hidden sheet \u201cLookup\u201d" in raw.notices


def test_an_empty_first_sheet_is_passed_over(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Cover": [], "Leads": LEADS})
    assert read_xlsx(path).source.detail["sheet"] == "Leads"


def test_a_sheet_named_explicitly_is_read_even_when_hidden(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "leads.xlsx", {"Lookup": [["Code", "Label"], ["G", "Google"]], "Leads": LEADS}, hidden=("Lookup",)
    )
    raw = read_xlsx(path, sheet="Lookup")
    assert raw.source.detail["sheet"] == "Lookup"
    assert raw.source.detail["hidden_sheets_ignored"] == []
    assert rows_of(raw) == [{"Code": "G", "Label": "Google"}]
    assert read_xlsx(path, sheet="Leads").columns == ["Email", "Source"]


def test_include_hidden_reads_the_first_sheet_with_data(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "leads.xlsx", {"Lookup": [["Code", "Label"], ["G", "Google"]], "Leads": LEADS}, hidden=("Lookup",)
    )
    raw = read_xlsx(path, include_hidden=True)
    assert raw.source.detail["sheet"] == "Lookup"
    assert raw.source.detail["hidden_sheets_ignored"] == []


def test_an_unknown_sheet_is_an_error_listing_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Lookup": [["x"]], "Leads": LEADS}, hidden=("Lookup",))
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path, sheet="Deals")
    assert (
        str(error.value)
        == "leads.xlsx: there is no sheet \u201cDeals\u201d; the sheets are \u201cLookup\u201d, \u201cLeads\u201d."
    )


def test_only_hidden_sheets_with_data_is_an_error_that_names_them(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Lookup": LEADS, "Cover": []}, hidden=("Lookup",))
    with pytest.raises(
        LeadFileError, match=r"^leads\.xlsx: no visible sheet has data; only the hidden sheet \u201cLookup\u201d"
    ):
        read_xlsx(path)


# --- header row -----------------------------------------------------------------------------------


REPORT: Rows = [
    ["Leads report"],
    ["Generated 2026-10-01"],
    [],
    ["Email", "Source", "Score"],
    ["a@x.com", "Google", 10],
    ["b@x.com", "Direct", 20],
    ["c@x.com", "Referral", 30],
]


def test_title_lines_above_the_header_are_skipped(tmp_path: Path) -> None:
    raw = read_xlsx(write_xlsx(tmp_path / "report.xlsx", {"Leads": REPORT}))
    assert raw.columns == ["Email", "Source", "Score"]
    assert raw.source.detail["header_row"] == 4
    assert rows_of(raw)[0] == {"Email": "a@x.com", "Source": "Google", "Score": "10"}
    assert raw.line_numbers.tolist() == [5, 6, 7]
    assert "found the header on row 4; skipped the 2 lines above it" in raw.notices


def test_a_title_over_a_one_column_table_is_not_taken_for_the_header(tmp_path: Path) -> None:
    rows: Rows = [["Leads report"], [], ["Email"], ["a@x.com"], ["b@x.com"], ["c@x.com"]]
    raw = read_xlsx(write_xlsx(tmp_path / "report.xlsx", {"Leads": rows}))
    assert raw.columns == ["Email"]
    assert raw.line_numbers.tolist() == [4, 5, 6]


def test_a_key_value_title_block_is_skipped(tmp_path: Path) -> None:
    rows: Rows = [
        ["Report:", "Leads"],
        ["Owner:", "Ana"],
        [],
        ["ID", "Email", "Source", "Score"],
        [1, "a@x.com", "Google", 10],
        [2, "b@x.com", "Direct", 20],
    ]
    raw = read_xlsx(write_xlsx(tmp_path / "report.xlsx", {"Leads": rows}))
    assert raw.columns == ["ID", "Email", "Source", "Score"]
    assert raw.source.detail["header_row"] == 4


def test_header_row_given_overrides_the_detection(tmp_path: Path) -> None:
    rows: Rows = [
        ["Region", "Quarter"],
        ["Email", "Source"],
        ["a@x.com", "Google"],
        ["b@x.com", "Direct"],
        ["c@x.com", "Email"],
    ]
    path = write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows})
    assert read_xlsx(path).columns == ["Region", "Quarter"]  # what detection alone takes
    raw = read_xlsx(path, header_row=2)
    assert raw.columns == ["Email", "Source"]
    assert raw.source.detail["header_row"] == 2
    assert raw.line_numbers.tolist() == [3, 4, 5]
    assert raw.notices == []


def test_header_row_given_on_an_empty_row_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "report.xlsx", {"Leads": REPORT})
    with pytest.raises(LeadFileError, match=r"^report\.xlsx: row 3 of the sheet \u201cLeads\u201d is empty"):
        read_xlsx(path, header_row=3)
    with pytest.raises(LeadFileError, match=r"^report\.xlsx: row 99 "):
        read_xlsx(path, header_row=99)


# --- cell values ----------------------------------------------------------------------------------


def test_real_excel_dates_become_iso_text(tmp_path: Path) -> None:
    rows: Rows = [
        ["Created", "Day", "Midnight", "Time"],
        [dt.datetime(2026, 3, 5, 14, 30), dt.date(2026, 3, 5), dt.datetime(2026, 3, 5), dt.time(9, 15)],
        [dt.datetime(2025, 12, 31, 23, 59, 58), dt.date(2024, 2, 29), None, None],
    ]
    raw = read_xlsx(write_xlsx(tmp_path / "dates.xlsx", {"Leads": rows}))
    assert rows_of(raw) == [
        {"Created": "2026-03-05T14:30:00", "Day": "2026-03-05", "Midnight": "2026-03-05", "Time": "09:15:00"},
        {"Created": "2025-12-31T23:59:58", "Day": "2024-02-29", "Midnight": None, "Time": None},
    ]


def test_numbers_stored_as_text_stay_as_they_are(tmp_path: Path) -> None:
    rows: Rows = [
        ["Zip", "Amount", "Phone", "Code"],
        ["01099", "1.250.000,50", "+49 30 123", "1e3"],
        ["007", "1,5", "0049301", "1.0"],
    ]
    raw = read_xlsx(write_xlsx(tmp_path / "text.xlsx", {"Leads": rows}))
    assert rows_of(raw) == [
        {"Zip": "01099", "Amount": "1.250.000,50", "Phone": "+49 30 123", "Code": "1e3"},
        {"Zip": "007", "Amount": "1,5", "Phone": "0049301", "Code": "1.0"},
    ]


def test_numbers_and_booleans_become_their_shortest_text(tmp_path: Path) -> None:
    rows: Rows = [
        ["Int", "Float", "Mixed", "Flag"],
        [1, 1.0, 0.125, True],
        [-3, 1508.49, "n/a", False],
        [123456789012, 0.1, 2.5, None],
        [0, 1e20, None, True],
    ]
    raw = read_xlsx(write_xlsx(tmp_path / "numbers.xlsx", {"Leads": rows}))
    assert rows_of(raw) == [
        {"Int": "1", "Float": "1", "Mixed": "0.125", "Flag": "TRUE"},
        {"Int": "-3", "Float": "1508.49", "Mixed": "n/a", "Flag": "FALSE"},
        {"Int": "123456789012", "Float": "0.1", "Mixed": "2.5", "Flag": None},
        {"Int": "0", "Float": "1e+20", "Mixed": None, "Flag": "TRUE"},
    ]
    assert all(field.type == pa.string() for field in raw.table.schema)


# --- totals rows ----------------------------------------------------------------------------------


@pytest.mark.parametrize("label", ["Total", "Grand Total", "Totals", "Sum", "TOTAL:", "Grand totals (3 leads)"])
def test_a_totals_row_at_the_bottom_is_skipped_with_a_notice(tmp_path: Path, label: str) -> None:
    rows: Rows = [
        ["Name", "Email", "Revenue"],
        ["Ana", "a@x.com", 100],
        ["Ben", "b@x.com", 200],
        ["Cy", "c@x.com", 300],
        [label, None, 600],
    ]
    raw = read_xlsx(write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows}))
    assert raw.table.num_rows == 3
    assert raw.table.column("Revenue").to_pylist() == ["100", "200", "300"]
    assert raw.line_numbers.tolist() == [2, 3, 4]
    assert "skipped the totals row (row 5)" in raw.notices


def test_a_row_of_sums_without_a_label_after_a_blank_row_is_skipped(tmp_path: Path) -> None:
    rows: Rows = [
        ["Email", "Visits", "Revenue"],
        ["a@x.com", 1, 100.5],
        ["b@x.com", 2, 200.25],
        ["c@x.com", 3, 300],
        [],
        [None, 6, 600.75],
    ]
    raw = read_xlsx(write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows}))
    assert raw.table.column("Email").to_pylist() == ["a@x.com", "b@x.com", "c@x.com"]
    assert "skipped the totals row (row 6)" in raw.notices


def test_a_last_row_that_only_looks_like_a_total_is_kept(tmp_path: Path) -> None:
    rows: Rows = [
        ["Company", "Email", "Revenue"],
        ["Acme", "a@x.com", 100],
        ["Bolt", "b@x.com", 200],
        ["Total", "t@total.com", 300],
    ]  # a lead from the company "Total"
    raw = read_xlsx(write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows}))
    assert raw.table.num_rows == 3
    numbers: Rows = [["Email", "Revenue"], ["a@x.com", 100], ["b@x.com", 200], [None, 250]]  # not the sum (300)
    raw = read_xlsx(write_xlsx(tmp_path / "numbers.xlsx", {"Leads": numbers}))
    assert raw.table.column("Revenue").to_pylist() == ["100", "200", "250"]
    assert not any("totals" in n for n in raw.notices)


# --- header names, layout, line numbers -----------------------------------------------------------


def test_duplicate_and_empty_headers_are_made_unique_with_a_notice(tmp_path: Path) -> None:
    rows: Rows = [["Email", "email", None, "Source", "Email"], ["a@x.com", "b@x.com", "x", "Google", "c@x.com"]]
    raw = read_xlsx(write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows}))
    assert raw.columns == ["Email", "email (2)", "Column 3", "Source", "Email (3)"]
    assert rows_of(raw) == [
        {"Email": "a@x.com", "email (2)": "b@x.com", "Column 3": "x", "Source": "Google", "Email (3)": "c@x.com"}
    ]
    assert "named the column without a header \u201cColumn 3\u201d" in raw.notices
    assert (
        "renamed the repeated headers \u201cemail\u201d to \u201cemail (2)\u201d, "
        "\u201cEmail\u201d to \u201cEmail (3)\u201d"
    ) in raw.notices


def test_line_numbers_are_sheet_rows_and_empty_rows_and_columns_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "offset.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.worksheets[0]
    ws.title = "Leads"
    ws["B2"] = "Lead report"
    ws["C4"], ws["E4"] = "Email", "Source"  # column D: a spacer, no header, no data
    ws["C5"], ws["E5"] = "a@x.com", "Google"
    ws["C7"], ws["E7"] = "b@x.com", "Direct"  # row 6 empty
    ws["C8"] = "c@x.com"
    ws["G20"].number_format = "0.00"  # a formatted but empty cell far away
    wb.save(path)
    raw = read_xlsx(path)
    assert raw.columns == ["Email", "Source"]
    assert rows_of(raw) == [
        {"Email": "a@x.com", "Source": "Google"},
        {"Email": "b@x.com", "Source": "Direct"},
        {"Email": "c@x.com", "Source": None},
    ]
    assert raw.line_numbers.tolist() == [5, 7, 8]
    assert raw.line_numbers.dtype == "int64"
    assert raw.source.detail["header_row"] == 4


def test_source_info_describes_the_file(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Leads": LEADS})
    data = path.read_bytes()
    source = read_xlsx(path).source
    assert (source.name, source.size, source.format) == ("leads.xlsx", len(data), "xlsx")
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_a_workbook_with_another_extension_is_read_by_its_content(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Leads": LEADS}).rename(tmp_path / "leads.csv")
    assert read_xlsx(path).table.num_rows == 2


# --- preview ----------------------------------------------------------------------------------------


def test_preview_gives_only_the_first_rows(tmp_path: Path) -> None:
    rows: Rows = [["Report"], [], ["Email", "Score"]] + [[f"{i}@x.com", i] for i in range(200)] + [["Total", 19900]]
    path = write_xlsx(tmp_path / "leads.xlsx", {"Leads": rows})
    preview = preview_xlsx(path, rows=10)
    assert preview.table.num_rows == 10
    assert preview.columns == ["Email", "Score"]
    assert preview.line_numbers.tolist() == list(range(4, 14))
    assert preview.table.column("Score").to_pylist()[-1] == "9"
    assert not any("totals" in n for n in preview.notices)
    full = read_xlsx(path)
    assert full.table.num_rows == 200
    assert "skipped the totals row (row 204)" in full.notices
    small = preview_xlsx(write_xlsx(tmp_path / "small.xlsx", {"Leads": rows[:6] + [["Total", 3]]}))
    assert small.table.column("Score").to_pylist() == ["0", "1", "2"]  # reaches the end: the total is seen
    assert preview_xlsx(path, rows=3, header_row=3).line_numbers.tolist() == [4, 5, 6]


# --- cancel -------------------------------------------------------------------------------------------


class CancelAfter:
    """A Progress that says "cancelled" once a report at or past `fraction` has been made."""

    def __init__(self, fraction: float) -> None:
        self.fraction = fraction
        self.reports: list[tuple[float, str]] = []

    def report(self, fraction: float, message: str = "") -> None:
        self.reports.append((fraction, message))

    def cancelled(self) -> bool:
        return any(f > self.fraction for f, _ in self.reports)


def test_cancel_while_reading_raises_cancelled(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Leads")
    ws.append(["Email", "Score"])
    for i in range(CHUNK_ROWS * 2 + 1):
        ws.append([f"{i}@x.com", i])
    wb.save(path)

    progress = CancelAfter(LOADED)  # cancelled after the first chunk of rows is converted
    with pytest.raises(Cancelled):
        read_xlsx(path, progress=progress)
    assert progress.reports[0] == (0.0, "Reading big.xlsx")
    assert progress.reports[-1][0] == pytest.approx(LOADED + (1 - LOADED) * CHUNK_ROWS / (CHUNK_ROWS * 2 + 1))

    with pytest.raises(Cancelled):
        read_xlsx(path, progress=CancelAfter(-1.0))  # cancelled at the start

    done = CancelAfter(2.0)  # never cancels
    assert read_xlsx(path, progress=done).table.num_rows == CHUNK_ROWS * 2 + 1
    fractions = [f for f, _ in done.reports]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


# --- files that cannot be read ------------------------------------------------------------------------


def test_an_empty_workbook_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == "empty.xlsx: the workbook has no sheet with data."


def test_an_empty_sheet_named_explicitly_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "leads.xlsx", {"Leads": LEADS, "Notes": []})
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path, sheet="Notes")
    assert str(error.value) == "leads.xlsx: the sheet \u201cNotes\u201d is empty."


def test_a_header_without_rows_is_an_error(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "header.xlsx", {"Leads": [["Email", "Source"]]})
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == "header.xlsx: the sheet \u201cLeads\u201d has a header (row 1) but no rows below it."
    with pytest.raises(LeadFileError):
        preview_xlsx(path)


def test_a_text_file_named_xlsx_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    path.write_text("Email,Source\na@x.com,Google\n", encoding="utf-8")
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == "leads.xlsx: this is not an Excel workbook; it looks like a text file."
    with pytest.raises(LeadFileError, match=r"^leads\.xlsx: "):
        xlsx_sheets(path)


def test_a_truncated_workbook_is_an_error(tmp_path: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", {"Leads": LEADS}).read_bytes()
    path = tmp_path / "broken.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == (
        "broken.xlsx: the file is not a valid Excel workbook; it may be damaged or only partly copied."
    )


def test_a_workbook_with_a_damaged_sheet_is_an_error(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "whole.xlsx", {"Leads": LEADS})
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as damaged:
        for name in original.namelist():
            data = original.read(name)
            damaged.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == "damaged.xlsx: the sheet \u201cLeads\u201d is damaged and cannot be read."


def test_a_cell_far_from_the_table_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    def with_a_stray_cell(cell: str) -> Path:
        path = write_xlsx(tmp_path / "far.xlsx", {"Leads": LEADS})
        wb = openpyxl.load_workbook(path)
        wb["Leads"][cell] = "oops"
        wb.save(path)
        return path

    # One value typed in the sheet's last cell makes it 1,048,576 rows by 16,384 columns; the
    # grid calamine would allocate for it (549 GB) ended the process, not just the import.
    with pytest.raises(LeadFileError) as error:
        read_xlsx(with_a_stray_cell("XFD1048576"))
    assert str(error.value) == (
        "far.xlsx: the sheet \u201cLeads\u201d spans A1:XFD1048576, 17,179,869,184 cells, more than the "
        "30,000,000 a sheet may span; a cell far from the table (as far as XFD1048576) makes it so. "
        "Clear the cells beyond the table, save, and import again."
    )
    # One nearer by is read, however wide it makes the sheet.
    raw = read_xlsx(with_a_stray_cell("AZ40"))
    assert raw.columns == ["Email", "Source", "Column 52"]
    assert raw.table.column("Column 52").to_pylist()[-1] == "oops"


def test_a_zip_directory_python_cannot_open_is_an_error(tmp_path: Path) -> None:
    # Found by fuzzing: a garbled "version needed" field makes zipfile raise
    # NotImplementedError, which the check of the file's kind let through.
    data = bytearray(write_xlsx(tmp_path / "whole.xlsx", {"Leads": LEADS}).read_bytes())
    directory = data.find(b"PK\x01\x02")
    data[directory + 6] = 88  # version 8.8
    path = tmp_path / "leads.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(LeadFileError, match="^leads.xlsx: "):
        read_file(path)


def test_a_zip_that_is_not_a_workbook_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == "archive.xlsx: this is not an Excel workbook."


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty."),
        (bytes(range(256)) * 4, "this is not an Excel workbook."),
    ],
)
def test_empty_and_binary_files_are_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "leads.xlsx"
    path.write_bytes(content)
    with pytest.raises(LeadFileError) as error:
        read_xlsx(path)
    assert str(error.value) == f"leads.xlsx: {message}"


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LeadFileError) as error:
        read_xlsx(tmp_path / "gone.xlsx")
    assert str(error.value) == "gone.xlsx: the file does not exist."
