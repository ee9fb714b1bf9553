"""The Export step, as the facilitator uses it: a preview of the PDF's pages, the files
listed with what they contain, an export in the background with progress and Cancel, and
the files opened in the system's default application."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from models.document import Document
from widgets.export_page import ExportPage, safe_name
from widgets.session import WorkshopSession
from widgets.tasks import TaskState


@pytest.fixture
def leads_session(demo_leads_path: Path, qapp: Any) -> Any:
    s = WorkshopSession(Document.open(demo_leads_path))
    yield s
    s.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"  # (the workshop file itself is in tmp_path)
    folder.mkdir()
    return folder


def make_page(session: WorkshopSession, qtbot: QtBot, folder: Path) -> ExportPage:
    page = ExportPage(session)
    qtbot.addWidget(page)
    page.folder.setText(str(folder))
    page.resize(1500, 950)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_the_files_are_listed_with_what_they_contain(leads_session: WorkshopSession, qtbot: QtBot, out: Path) -> None:
    page = make_page(leads_session, qtbot, out)
    assert page.pdf_row.name.text() == "Lead definitions offsite 2026-Q4.pdf"
    assert page.xlsx_row.name.text() == "Lead definitions offsite 2026-Q4.xlsx"
    assert "Lead Scorer: 9,237 of the 9,237 imported leads" in page.xlsx_row.contents.text()
    assert "the 14 rules as editable cells" in page.xlsx_row.contents.text()
    assert "threshold check" in page.json_row.contents.text()
    page.max_leads.setValue(5000)
    assert "Lead Scorer: 5,000 of the 9,237 imported leads" in page.xlsx_row.contents.text()
    assert safe_name('A/B: "Q1" <draft>') == "A B Q1 draft"


def test_the_preview_shows_every_page_of_the_pdf(leads_session: WorkshopSession, qtbot: QtBot, out: Path) -> None:
    page = make_page(leads_session, qtbot, out)
    qtbot.waitUntil(lambda: page.pages.count() > 0, timeout=60_000)
    assert page.pages.count() >= 8
    first = page.pages.item(0)
    assert first.text() == "page 1" and not first.icon().isNull()
    assert f"The document has {page.pages.count()} pages." in page.preview_note.text()
    assert "a draft: the PDF carries a DRAFT watermark" in page.preview_note.text()


def test_export_writes_the_three_files_and_opens_them(
    leads_session: WorkshopSession, qtbot: QtBot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    page = make_page(leads_session, qtbot, out)
    page.max_leads.setValue(500)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert not page.export_button.isEnabled() and page.progress.isVisible()
    qtbot.waitUntil(lambda: page.task is None, timeout=120_000)
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "Lead definitions offsite 2026-Q4.json",
        "Lead definitions offsite 2026-Q4.pdf",
        "Lead definitions offsite 2026-Q4.xlsx",
    ]
    assert page.status.text() == f"Exported 3 files to {out}:"
    assert (out / names[1]).read_bytes().startswith(b"%PDF")
    doc = json.loads((out / names[0]).read_text(encoding="utf-8"))
    assert doc["threshold_check"]["passed"] == 1549
    from openpyxl import load_workbook

    workbook = load_workbook(out / names[2], read_only=True)
    assert "Lead Scorer" in workbook.sheetnames
    workbook.close()
    qtbot.mouseClick(page.findChild(type(page.export_button), "open_pdf"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.findChild(type(page.export_button), "showFolder"), Qt.MouseButton.LeftButton)
    assert opened == [str(out / names[1]), str(out)]


def test_only_the_chosen_files_are_written(leads_session: WorkshopSession, qtbot: QtBot, out: Path) -> None:
    page = make_page(leads_session, qtbot, out)
    page.pdf_row.enabled.setChecked(False)
    page.xlsx_row.enabled.setChecked(False)
    page.json_figures.setChecked(False)
    page.json_row.name.setText("defs")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)
    assert [p.name for p in out.iterdir()] == ["defs.json"]
    assert "threshold_check" not in json.loads((out / "defs.json").read_text(encoding="utf-8"))
    page.json_row.enabled.setChecked(False)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == "Tick at least one file to export."


def test_cancel_leaves_no_half_written_file(
    leads_session: WorkshopSession, qtbot: QtBot, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import export.pdf

    gate = threading.Event()
    real = export.pdf.write_pdf

    def slow(content: Any, path: Any, paper: str = "a4", progress: Any = None) -> None:
        gate.wait(10)
        real(content, path, paper=paper, progress=progress)

    monkeypatch.setattr(export.pdf, "write_pdf", slow)
    page = make_page(leads_session, qtbot, out)
    page.preview_timer.stop()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    task = page.task
    assert task is not None
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: task.state == TaskState.CANCELLED, timeout=30_000)
    assert page.status.text().startswith("Cancelled.")
    assert list(out.iterdir()) == []  # no file, and no temporary one
    assert page.export_button.isEnabled() and not page.progress.isVisible()


def test_a_missing_folder_is_said_plainly(leads_session: WorkshopSession, qtbot: QtBot, tmp_path: Path) -> None:
    page = make_page(leads_session, qtbot, tmp_path / "nowhere")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == f"The folder {tmp_path / 'nowhere'} does not exist: choose another one."
    assert page.task is None
