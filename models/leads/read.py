"""Reading a lead file by what it really is, not what its name says: CSV text through
`read_csv`, an Excel workbook through `read_xlsx` (also when it is named `.csv`, with a
notice). Anything else gives one LeadFileError naming the file."""

from __future__ import annotations

from pathlib import Path

from models.leads import sniff
from models.leads.read_csv import preview_csv, read_csv
from models.leads.types import LeadFileError, NullProgress, Progress, RawTable

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods")


def file_kind(path: Path) -> str:
    """ "xlsx" when the file is a workbook (XLSX, or an old XLS / ODS, whatever its name), else
    "csv" (reading it as CSV then says clearly when it is not text either)."""
    path = Path(path)
    try:
        kind = sniff.file_kind(path)
    except OSError as error:
        raise LeadFileError(f"{path.name}: cannot be opened ({error.strerror or error}).") from error
    # read_xlsx reads every workbook python-calamine can (XLSX, old XLS, ODS) by content.
    return "xlsx" if kind.kind in ("xlsx", "xls", "ods") else "csv"


def read_file(
    path: Path, sheet: str | None = None, header_row: int | None = None, progress: Progress = NullProgress()
) -> RawTable:
    """The whole file as a RawTable. `sheet` and `header_row` apply to workbooks (None: the
    first visible sheet, the detected header row)."""
    path = Path(path)
    if file_kind(path) == "xlsx":
        from models.leads.read_xlsx import read_xlsx

        table = read_xlsx(path, sheet=sheet, header_row=header_row, progress=progress)
        return _misnamed_workbook(path, table)
    table = read_csv(path, progress=progress)
    return _misnamed_text(path, table)


def preview_file(path: Path, rows: int = 50, sheet: str | None = None, header_row: int | None = None) -> RawTable:
    """The first `rows` rows, reading as little of the file as it can."""
    path = Path(path)
    if file_kind(path) == "xlsx":
        from models.leads.read_xlsx import preview_xlsx

        table = preview_xlsx(path, rows=rows, sheet=sheet, header_row=header_row)
        return _misnamed_workbook(path, table)
    table = preview_csv(path, rows=rows)
    return _misnamed_text(path, table)


def _misnamed_workbook(path: Path, table: RawTable) -> RawTable:
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        notice = f"{path.name} is really an Excel workbook; read as such."
        if notice not in table.notices:
            table.notices.insert(0, notice)
    return table


def _misnamed_text(path: Path, table: RawTable) -> RawTable:
    if path.suffix.lower() in EXCEL_SUFFIXES:
        notice = f"{path.name} is really a CSV text file; read as such."
        if notice not in table.notices:
            table.notices.insert(0, notice)
    return table
