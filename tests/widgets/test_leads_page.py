"""The Historical leads step, driven as the facilitator does: choose a file (the file dialog
is replaced), map it in the real dialog (driven directly, never exec()), watch the import's
progress, cancel it, accept or refuse rejected rows, confirm a replacement; and the stored
data set shown with its quality and provenance, also after reopening the file."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.document import Document
from models.leads.types import LeadFileError
from widgets.lead_provenance import file_size_text
from widgets.leads_page import LeadsPage, RejectedRowsDialog
from widgets.session import WorkshopSession
from widgets.tasks import TaskState

HEADER = "Prospect ID,Lead Source,Converted,TotalVisits,Email,City\n"
ROWS = [
    "p-001,Google,1,3,ana@example.com,Mumbai",
    "p-002,google,0,0,ben@example.com,Select",
    "p-003,Direct Traffic,1,5,cy@example.com,Thane",
    "p-004,Olark Chat,0,1,ana@example.com,Mumbai",
    "p-005,Google ,0,2,dev@example.com,Select",
    "p-006,Direct Traffic,1,7,eve@example.com,Pune",
]


def write_leads(folder: Path, name: str = "crm_leads.csv", rows: list[str] | None = None) -> Path:
    path = folder / name
    path.write_text(HEADER + "\n".join(ROWS if rows is None else rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def page(session: WorkshopSession, qtbot: QtBot) -> LeadsPage:
    widget = LeadsPage(session)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def choose_file(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Make the file dialog answer `path`."""

    def choose(path: Path) -> None:
        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(path), "")))

    return choose


class Gate:
    """Holds the import at its start until released or cancelled, so a test can look at
    the progress panel and press Cancel while the import is running."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    from models.leads import importer

    real: Callable[..., Any] = importer.import_leads
    holder = Gate()

    def held(*args: Any, progress: Any, **kwargs: Any) -> Any:
        progress.report(0.05, "Reading crm_leads.csv\u2026")
        holder.started.set()
        while not holder.release.is_set() and not progress.cancelled():
            threading.Event().wait(0.005)
        return real(*args, progress=progress, **kwargs)

    monkeypatch.setattr(importer, "import_leads", held)
    yield holder
    holder.release.set()


def open_mapping(page: LeadsPage, choose_file: Callable[[Path], None], path: Path) -> Any:
    choose_file(path)
    page.start_import()
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.path == path
    return dialog


def finish(qtbot: QtBot, page: LeadsPage) -> None:
    assert page.task is not None
    qtbot.waitUntil(lambda: page.task is not None and not page.task.running, timeout=10_000)
    assert page.task.wait(5)


def import_file(qtbot: QtBot, page: LeadsPage, choose_file: Callable[[Path], None], path: Path) -> None:
    dialog = open_mapping(page, choose_file, path)
    dialog.accept()
    finish(qtbot, page)


def shown(label: QLabel) -> str:
    """A rich-text label's text as the user reads it."""
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def workshop_bytes(path: Path) -> bytes:
    return path.read_bytes()


# --------------------------------------------------------------------------- tests
def test_with_no_data_the_page_says_what_to_import(page: LeadsPage) -> None:
    assert page.stack.currentWidget() is page.empty
    assert page.empty_import.isVisible() and page.empty_import.isEnabled()
    assert page.empty_import.text() == "Import leads\u2026"
    texts = " ".join(label.text() for label in page.empty.findChildren(QLabel))
    assert "CSV or Excel" in texts and "opportunity" in texts


def test_import_shows_the_data_and_its_provenance(
    page: LeadsPage,
    session: WorkshopSession,
    qtbot: QtBot,
    choose_file: Callable[[Path], None],
    tmp_path: Path,
    workshop_path: Path,
    qtmodeltester: ModelTester,
) -> None:
    path = write_leads(tmp_path)
    dialog = open_mapping(page, choose_file, path)
    dialog.accept()
    finish(qtbot, page)
    assert page.task is not None and page.task.state == TaskState.FINISHED
    assert page.stack.currentWidget() is page.filled
    assert page.figures["rows"].text() == "6"
    assert page.figures["positives"].text() == "3"
    assert page.figures["rate"].text() == "50.0%"
    assert page.figures["dup_emails"].text() == "1"
    assert page.figures["dup_ids"].text() == "0"
    assert "crm_leads.csv" in page.headline.text()
    provenance = page.provenance.text()
    assert "crm_leads.csv" in provenance
    import hashlib

    assert hashlib.sha256(path.read_bytes()).hexdigest()[:12] in provenance
    assert file_size_text(path.stat().st_size) in provenance
    assert "ID: Prospect ID" in provenance and "Outcome: Converted" in provenance
    quality = shown(page.quality_lines)
    assert "2 placeholder values" in quality
    assert "2 spellings merged into 1 value in 1 column (e.g. Lead Source:" in quality
    missing = {
        page.missing_model.index(r, 0).data(): page.missing_model.index(r, 1).data()
        for r in range(page.missing_model.rowCount())
    }
    assert missing["City"] == "2"
    qtmodeltester.check(page.missing_model, force_py=True)
    assert "Imported 6 leads" in page.message.text()
    # Stored in the file: a fresh page on the workshop opened again shows the same.
    reopened = WorkshopSession(Document.open(workshop_path, read_only=True))
    try:
        again = LeadsPage(reopened)
        qtbot.addWidget(again)
        assert again.stack.currentWidget() is again.filled
        assert again.figures["rows"].text() == "6" and again.figures["positives"].text() == "3"
        assert "crm_leads.csv" in again.provenance.text()
    finally:
        reopened.close()


def test_progress_is_shown_while_importing(
    page: LeadsPage, qtbot: QtBot, gate: Gate, choose_file: Callable[[Path], None], tmp_path: Path
) -> None:
    dialog = open_mapping(page, choose_file, write_leads(tmp_path))
    dialog.accept()
    assert gate.started.wait(5)
    panel = page.progress_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.bar.value() == 50, timeout=3000)
    assert panel.isVisible() and panel.cancel_button.isEnabled()
    assert "crm_leads.csv" in panel.message.text()
    gate.release.set()
    finish(qtbot, page)
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=3000)
    assert page.figures["rows"].text() == "6"


def test_cancel_mid_import_leaves_the_workshop_file_unchanged(
    page: LeadsPage,
    session: WorkshopSession,
    qtbot: QtBot,
    gate: Gate,
    workshop_path: Path,
    choose_file: Callable[[Path], None],
    tmp_path: Path,
) -> None:
    before = workshop_bytes(workshop_path)
    dialog = open_mapping(page, choose_file, write_leads(tmp_path))
    dialog.accept()
    assert gate.started.wait(5)
    panel = page.progress_panel
    assert panel is not None and page.task is not None
    with qtbot.waitSignal(page.task.cancelled, timeout=5000):
        panel.cancel_button.click()
    finish(qtbot, page)
    assert page.task.state == TaskState.CANCELLED
    assert "nothing was changed" in page.message.text()
    assert page.stack.currentWidget() is page.empty
    assert session.document.leads_info() is None
    assert workshop_bytes(workshop_path) == before


def test_rejected_rows_are_listed_and_the_valid_rows_imported(
    page: LeadsPage, qtbot: QtBot, choose_file: Callable[[Path], None], tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    rows = ROWS + ["p-007,Google,maybe,2,fay@example.com,Pune", "p-008,Google,1"]
    import_file(qtbot, page, choose_file, write_leads(tmp_path, rows=rows))
    rejected = page.rejected_dialog
    assert isinstance(rejected, RejectedRowsDialog) and rejected.isVisible()
    model = rejected.model
    qtmodeltester.check(model, force_py=True)
    listed = [[model.index(r, c).data() for c in range(5)] for r in range(model.rowCount())]
    assert ["crm_leads.csv", "8", "Converted", "maybe"] == listed[0][:4]
    assert ["crm_leads.csv", "9"] == listed[1][:2]  # too few fields
    assert all(row[4] for row in listed)  # every row says why
    valid = 8 - len(listed)
    assert rejected.import_button.text() == f"Import the {valid} valid rows"
    assert page.stack.currentWidget() is page.empty  # nothing stored yet
    rejected.import_button.click()
    assert page.stack.currentWidget() is page.filled
    assert page.figures["rows"].text() == str(valid)
    assert f"{len(listed)} rows rejected" in shown(page.quality_lines)


def test_refusing_rejected_rows_imports_nothing(
    page: LeadsPage,
    session: WorkshopSession,
    qtbot: QtBot,
    choose_file: Callable[[Path], None],
    tmp_path: Path,
    workshop_path: Path,
) -> None:
    before = workshop_bytes(workshop_path)
    rows = ROWS + ["p-007,Google,maybe,2,fay@example.com,Pune"]
    import_file(qtbot, page, choose_file, write_leads(tmp_path, rows=rows))
    assert page.rejected_dialog is not None
    page.rejected_dialog.cancel_button.click()
    assert session.document.leads_info() is None
    assert workshop_bytes(workshop_path) == before
    assert "nothing was changed" in page.message.text()


def test_importing_again_asks_before_replacing(
    page: LeadsPage, session: WorkshopSession, qtbot: QtBot, choose_file: Callable[[Path], None], tmp_path: Path
) -> None:
    import_file(qtbot, page, choose_file, write_leads(tmp_path))
    assert page.figures["rows"].text() == "6"
    assert page.reimport.isVisible()
    second = write_leads(tmp_path, "next_quarter.csv", rows=ROWS[:4])
    import_file(qtbot, page, choose_file, second)
    box = page.confirm_box
    assert box is not None and box.isVisible()
    assert "6 leads from crm_leads.csv" in box.text() and "4 leads from next_quarter.csv" in box.text()
    box.button(box.StandardButton.Cancel).click()
    assert page.figures["rows"].text() == "6"
    assert "earlier leads were kept" in page.message.text()

    import_file(qtbot, page, choose_file, second)
    assert page.confirm_box is not None
    page.replace_button.click()
    assert page.figures["rows"].text() == "4"
    assert "next_quarter.csv" in page.provenance.text()
    info = session.document.leads_info()
    assert info is not None and info.rows == 4


def test_an_unreadable_file_gives_one_message_naming_it(
    page: LeadsPage,
    session: WorkshopSession,
    qtbot: QtBot,
    choose_file: Callable[[Path], None],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from models.leads import importer

    def broken(path: Path, *args: Any, **kwargs: Any) -> Any:
        raise LeadFileError(f"{Path(path).name}: this is an Excel workbook named .csv, and it is damaged")

    monkeypatch.setattr(importer, "import_leads", broken)
    import_file(qtbot, page, choose_file, write_leads(tmp_path))
    assert page.task is not None and page.task.state == TaskState.FAILED
    assert page.message.isVisible()
    assert page.message.text() == (
        "Nothing was imported. crm_leads.csv: this is an Excel workbook named .csv, and it is damaged"
    )
    assert session.document.leads_info() is None


def test_a_locked_revision_refuses_an_import(
    workshop_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = WorkshopSession(Document.open(workshop_path, read_only=True))
    try:
        page = LeadsPage(session)
        qtbot.addWidget(page)
        page.show()
        assert not page.empty_import.isEnabled()
        assert page.empty_locked.isVisible() and page.empty_locked.text()

        def never(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("no file is asked for on a read-only revision")

        monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(never))
        page.start_import()
        assert page.import_dialog is None
        assert page.message.isVisible() and page.message.text() == session.document.why_read_only()
    finally:
        session.close()
