"""File ▸ Revisions: the history, the comparison and the re-check, through the real dialog;
an earlier revision opened from it is read-only; a tampered file says so in the window."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from models.document import Document
from models.edits import set_field
from widgets.revisions_dialog import RevisionsDialog
from widgets.session import WorkshopSession


def _two_quarters(path: Path) -> None:
    doc = Document.open(path)
    try:
        for person in doc.defs.signers():
            doc.sign(person.name)
        doc.start_next_revision("2027-Q1")
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 35.0))
    finally:
        doc.close()


def _cells(model: Any) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_history_compare_and_recheck(demo_leads_path: Path, qtbot: QtBot, qapp: Any) -> None:
    _two_quarters(demo_leads_path)
    session = WorkshopSession(Document.open(demo_leads_path))
    try:
        dialog = RevisionsDialog(session)
        qtbot.addWidget(dialog)
        dialog.show()
        rows = _cells(dialog.history_model)
        assert [r[0] for r in rows] == ["2026-Q4", "2027-Q1  (open)"]
        assert [r[1] for r in rows] == ["signed", "draft"]
        assert rows[0][2] == "Priya Raman (VP Sales), Daniel Osei (VP Marketing)"
        assert rows[0][6] == "matches" and rows[1][6] == "\u2014 (draft)"
        assert len(rows[0][5]) == 12  # the start of the hash; the whole in the tooltip

        dialog.tabs.setCurrentIndex(1)
        assert (dialog.from_combo.currentText(), dialog.to_combo.currentText()) == ("2026-Q4", "2027-Q1")
        assert dialog.compare_summary.text() == "From 2026-Q4 to 2027-Q1: 2 changed."
        assert _cells(dialog.changes_model) == [
            ["Team and targets", "", "period", "\u201c2026-Q4\u201d", "\u201c2027-Q1\u201d"],
            ["Scoring settings", "", "threshold", "40", "35"],
        ]
        dialog.from_combo.setCurrentText("2027-Q1")
        assert dialog.compare_summary.text() == "From 2027-Q1 to 2027-Q1: no changes."

        dialog.tabs.setCurrentIndex(2)
        qtbot.mouseClick(dialog.recheck_button, Qt.MouseButton.LeftButton)
        table = dialog.recheck_table.text()
        assert "2026-Q4 model (threshold 40)" in table and "2027-Q1 model (threshold 35)" in table
        assert "1,549 of 9,237 leads passed" in table  # the old model on its own leads
        # Both revisions hold the same leads here: said first, and the old model gives the same again.
        text = dialog.recheck_text.text()
        assert text.startswith("Both revisions hold the same leads: import this quarter's leads into 2027-Q1")
        assert (
            "The 2026-Q4 model at its threshold of 40 points gives 89% on the 2027-Q1 leads, instead of 89% "
            "on the 2026-Q4 leads"
        ) in text

        # Opening the signed revision from the history: read-only.
        dialog.tabs.setCurrentIndex(0)
        dialog.history_view.selectRow(0)
        opened: list[int] = []
        dialog.openRevision.connect(opened.append)
        dialog.openRevision.connect(session.open_revision)
        qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
        assert opened == [1]
        assert session.document.revision.label == "2026-Q4" and session.read_only
        assert _cells(dialog.history_model)[0][0] == "2026-Q4  (open)"
        assert not dialog.open_button.isEnabled()  # the open one is selected
    finally:
        session.close()


def test_the_window_says_when_a_signature_does_not_match(workshop_path: Path, qtbot: QtBot) -> None:
    from app.mainwindow import MainWindow

    doc = Document.open(workshop_path)
    for person in doc.defs.signers():
        doc.sign(person.name)
    doc.close()
    con = sqlite3.connect(workshop_path)
    con.execute("UPDATE team_targets SET target_rate = 0.2 WHERE revision_id = 1")
    con.commit()
    con.close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(workshop_path)
    assert window.windowTitle() == "demo.accord \u2014 2026-Q4 (signature does not match) \u2014 Accord"
    assert window.banner.isVisible() and window.banner.text().startswith("Signature does not match:")
    window.go_to_step("signoff")
    assert window.banner.isVisible()  # even on the sign-off step
    window.files.show_revisions()
    dialog = window.files.revisions_dialog
    assert dialog is not None
    assert _cells(dialog.history_model)[0][6] == "signature does not match"
    dialog.close()


def test_opening_a_file_whose_earlier_signed_revision_was_edited_says_so(workshop_path: Path, qtbot: QtBot) -> None:
    from app.mainwindow import MainWindow

    _two_quarters(workshop_path)  # 2026-Q4 signed, 2027-Q1 a draft on top
    con = sqlite3.connect(workshop_path)
    con.execute("UPDATE glossary_term SET definition = 'changed' WHERE revision_id = 1")
    con.commit()
    con.close()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_path(workshop_path)
    assert window.windowTitle() == "demo.accord \u2014 2027-Q1 (draft) \u2014 Accord"  # the draft is fine
    assert window.notice.isVisible()
    assert window.notice.text().startswith(
        "Signature does not match: the definitions of revision 2026-Q4 were changed outside Accord"
    )
