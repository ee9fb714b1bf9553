"""Opening an Excel workbook and choosing its sheet, with every way that can fail said in
plain words: a file that is missing, empty, a folder or not a workbook at all; a password;
a damaged archive or sheet (calamine's errors and Rust panics alike become a `LeadFileError`
naming the file); a sheet that is not there, or hidden, or empty."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetMetadata,
    SheetTypeEnum,
    SheetVisibleEnum,
    ZipError,
)

from models.leads.types import LeadFileError
from models.leads.xlsx_span import MAX_SHEET_CELLS, sheet_span


def check_file(path: Path) -> int:
    """The file's size; a `LeadFileError` when it is missing, a folder or empty."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LeadFileError(f"{path.name}: the file does not exist.") from None
    except OSError as error:
        raise LeadFileError(f"{path.name}: the file cannot be opened ({error.strerror or error}).") from None
    if not path.is_file():
        raise LeadFileError(f"{path.name}: this is a folder, not a file.")
    if size == 0:
        raise LeadFileError(f"{path.name}: the file is empty.")
    return size


_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")  # zip (xlsx, ods), OLE (xls)


def _check_signature(path: Path) -> None:
    """A workbook is a zip archive (or an old OLE file); say what else it is, in plain words."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        raise LeadFileError(f"{path.name}: the file does not exist.") from None
    except OSError as error:
        raise LeadFileError(f"{path.name}: the file cannot be opened ({error.strerror or error}).") from None
    if not head:
        raise LeadFileError(f"{path.name}: the file is empty.")
    if head.startswith(_SIGNATURES):
        return
    text = head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head
    raise LeadFileError(
        f"{path.name}: this is not an Excel workbook" + ("; it looks like a text file." if text else ".")
    )


@contextmanager
def calamine_errors(name: str, what: str) -> Iterator[None]:
    """Turn whatever calamine raises (a Rust panic included) into a `LeadFileError`."""
    try:
        yield
    except LeadFileError:
        raise
    except PasswordError:
        raise LeadFileError(
            f"{name}: the workbook is password-protected; save it without a password and try again."
        ) from None
    except Exception as error:
        raise LeadFileError(f"{name}: {what}.") from error
    except BaseException as error:  # pyo3's PanicException derives from BaseException
        if type(error).__name__ != "PanicException":
            raise
        raise LeadFileError(f"{name}: {what}.") from error


@contextmanager
def open_workbook(path: Path) -> Iterator[CalamineWorkbook]:
    """The workbook at `path`, open for the block (closed after it, whatever happens)."""
    name = path.name
    _check_signature(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise LeadFileError(
            f"{name}: the workbook is password-protected; save it without a password and try again."
        ) from None
    except ZipError as error:
        raise LeadFileError(
            f"{name}: the file is not a valid Excel workbook; it may be damaged or only partly copied."
        ) from error
    except CalamineError as error:
        raise LeadFileError(f"{name}: this is not an Excel workbook.") from error
    except OSError as error:
        raise LeadFileError(f"{name}: the file cannot be opened ({error.strerror or error}).") from error
    except BaseException as error:
        if isinstance(error, Exception) or type(error).__name__ == "PanicException":
            raise LeadFileError(f"{name}: the workbook is damaged and cannot be read.") from error
        raise
    try:
        yield wb
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001 - already closed, or closing a broken file: nothing to keep
            pass


def worksheets(path: Path, wb: CalamineWorkbook) -> list[SheetMetadata]:
    """The workbook's worksheets (no chart or macro sheets), in workbook order."""
    with calamine_errors(path.name, "the workbook is damaged and cannot be read"):
        sheets = [m for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    if not sheets:
        raise LeadFileError(f"{path.name}: the workbook has no worksheets.")
    return sheets


def find_sheet(name: str, names: list[str], wanted: str) -> str:
    """The sheet `wanted` among `names`: as written, or else the one equal to it ignoring case
    and surrounding space. `name`: the file's, for the message."""
    if wanted in names:
        return wanted
    folded = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise LeadFileError(f"{name}: there is no sheet \u201c{wanted}\u201d; the sheets are {quoted(names)}.")


def load_sheet(path: Path, wb: CalamineWorkbook, sheet: str) -> CalamineSheet:
    """The sheet parsed by calamine (the whole of it: calamine has no lazy reading), unless
    it spans more cells than calamine's grid can safely hold (see `xlsx_span`)."""
    span = sheet_span(path, sheet)
    if span is not None and span[1] > MAX_SHEET_CELLS:
        corner = span[0].split(":")[-1]
        raise LeadFileError(
            f"{path.name}: the sheet \u201c{sheet}\u201d spans {span[0]}, {span[1]:,} cells, more than the "
            f"{MAX_SHEET_CELLS:,} a sheet may span; a cell far from the table (as far as {corner}) makes it so. "
            "Clear the cells beyond the table, save, and import again."
        )
    with calamine_errors(path.name, f"the sheet \u201c{sheet}\u201d is damaged and cannot be read"):
        return wb.get_sheet_by_name(sheet)


def is_empty(ws: CalamineSheet) -> bool:
    """The sheet has no data."""
    if ws.start is None or ws.height == 0 or ws.width == 0:
        return True
    # a sheet whose only cells hold "" (cleared cells, error values) has no data either
    if ws.height * ws.width <= 64:
        return all(v == "" for row in ws.to_python() for v in row)
    return False


def first_with_data(
    path: Path, wb: CalamineWorkbook, sheets: list[SheetMetadata], include_hidden: bool
) -> tuple[str, CalamineSheet]:
    """The first sheet with data and its name: a visible one (any with `include_hidden`)."""
    candidates = [m.name for m in sheets if include_hidden or m.visible == SheetVisibleEnum.Visible]
    for sheet in candidates:
        ws = load_sheet(path, wb, sheet)
        if not is_empty(ws):
            return sheet, ws
    hidden_with_data = [
        m.name for m in sheets if m.name not in candidates and not is_empty(load_sheet(path, wb, m.name))
    ]
    if hidden_with_data:
        raise LeadFileError(
            f"{path.name}: no visible sheet has data; only the hidden "
            f"sheet{'s' if len(hidden_with_data) > 1 else ''} {quoted(hidden_with_data)} "
            "— choose one to read it."
        )
    raise LeadFileError(f"{path.name}: the workbook has no sheet with data.")


def quoted(names: list[str]) -> str:
    """Names for a message: “Leads”, “Deals”."""
    return ", ".join(f"\u201c{n}\u201d" for n in names)
