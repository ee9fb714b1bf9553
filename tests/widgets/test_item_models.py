"""The item models of the Threshold check tables and of the Revisions dialog, through
pytest-qt's model tester (Qt's own and the Python port): empty, filled from a real workshop,
and refilled with other rows. A few cells are checked as the room reads them, with the
figures counted straight from the X Education file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QColor
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.check import ThresholdCheck
from models.definitions import RuleKind, ScoreBand
from models.definitions_json import content_hash
from models.document import Document
from tests.paths import X_EDUCATION
from widgets.revisions_dialog import ChangesModel, HistoryModel, RevisionsDialog
from widgets.session import WorkshopSession
from widgets.threshold_tables import BandsModel, DiagnosticsModel, SegmentsModel

# Qt's QAbstractItemModelTester and pytest-qt's Python port differ: the port is stricter about
# the type of each role's data (Qt's takes a colour name for a colour). Every model gets both.
TESTERS = pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "python-tester"])
Lead = dict[str, str]


@pytest.fixture(scope="module")
def x_education() -> list[Lead]:
    """The demo's lead file, one dict per row, as a spreadsheet user would read it."""
    with X_EDUCATION.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def demo_check(demo_leads_path: Path) -> ThresholdCheck:
    """The threshold check of the demo workshop: its model on its 9,237 X Education leads."""
    document = Document.open(demo_leads_path)
    try:
        check = document.build_check()
    finally:
        document.close()
    assert check is not None
    return check


def converted(leads: list[Lead]) -> int:
    return sum(lead["Converted"] == "1" for lead in leads)


def cells(model: QAbstractItemModel) -> list[list[str]]:
    """Every cell's text, row by row, as the table shows it."""
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def headers(model: QAbstractItemModel) -> list[str]:
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


# --------------------------------------------------------------------------- threshold check
@TESTERS
def test_bands_model(
    demo_check: ThresholdCheck, x_education: list[Lead], qtmodeltester: ModelTester, force_py: bool
) -> None:
    model = BandsModel()
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == 0
    assert headers(model) == ["Band", "Scores", "Leads", "Share of leads", "Opportunities", "Opportunity rate"]

    model.set_rows(demo_check.bands())
    rows = cells(model)
    # The demo's bands start at 0 (Cold), 20 (Warm) and 40 (Hot), highest first; the leads that
    # score below 0 get a row of their own. Every lead of the file is in exactly one row.
    assert [row[:2] for row in rows] == [
        ["Hot", "40 and above"],
        ["Warm", "20 to under 40"],
        ["Cold", "0 to under 20"],
        ["Below every band", "below 0"],
    ]
    assert sum(int(row[2].replace(",", "")) for row in rows) == len(x_education) == 9237

    # One band from far below any score: all 9,237 leads are in it, 3,559 of them converted
    # (38.5%), and its swatch has the band's colour.
    everyone = demo_check.defs.copy_deep()
    everyone.bands = [ScoreBand(name="Everyone", min_score=-1000, colour="#3d9a5b")]
    model.set_rows(ThresholdCheck(demo_check.frame, everyone).bands())
    assert converted(x_education) == 3559
    assert cells(model) == [["Everyone", "\u22121,000 and above", "9,237", "100.0%", "3,559", "38.5%"]]
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) == QColor("#3d9a5b")


@TESTERS
def test_rule_diagnostics_model(
    demo_check: ThresholdCheck, x_education: list[Lead], qtmodeltester: ModelTester, force_py: bool
) -> None:
    model = DiagnosticsModel()
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == 0
    assert headers(model)[:4] == ["Rule", "Kind", "Points", "Leads it fires for"]

    model.set_rows(demo_check.rule_diagnostics())
    rows = {row[0]: row for row in cells(model)}
    assert len(rows) == model.rowCount() == 14  # one row per rule of the demo model
    # Occupation "Working Professional": 705 leads, 646 converted (91.6%); the other 8,532
    # leads: 2,913 converted (34.1%); 91.6% / 34.1% = 2.68 times the rate.
    working = [lead for lead in x_education if lead["What is your current occupation"] == "Working Professional"]
    assert (len(working), converted(working)) == (705, 646)
    assert rows["Working professional"][:7] == ["Working professional", "fit", "+25", "705", "91.6%", "34.1%", "2.68×"]

    # Only the behaviour rules: other rows.
    behaviour = demo_check.defs.copy_deep()
    behaviour.rules = [rule for rule in behaviour.rules if rule.kind == RuleKind.BEHAVIOUR]
    model.set_rows(ThresholdCheck(demo_check.frame, behaviour).rule_diagnostics())
    rows = {row[0]: row for row in cells(model)}
    assert len(rows) == model.rowCount() == 7
    assert {row[1] for row in rows.values()} == {"behaviour"}
    # Ten minutes (600 s) or more on the website: 2,951 leads, 2,010 converted (68.1%); the
    # other 6,286 leads: 1,549 converted (24.6%); 68.1% / 24.6% = 2.76 times.
    long_visits = [lead for lead in x_education if float(lead["Total Time Spent on Website"]) >= 600]
    assert (len(long_visits), converted(long_visits)) == (2951, 2010)
    assert rows["Ten minutes or more on the website"][2:7] == ["+15", "2,951", "68.1%", "24.6%", "2.76×"]
    assert rows["Website visits"][2] == "+2 each"  # a count rule's points are per visit


@TESTERS
def test_segments_model(
    demo_check: ThresholdCheck, x_education: list[Lead], qtmodeltester: ModelTester, force_py: bool
) -> None:
    model = SegmentsModel()
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == 0
    assert headers(model)[:3] == ["Value", "Leads", "Opportunity rate"]

    model.set_column("Lead Source")
    model.set_rows(demo_check.segments("Lead Source"))
    assert headers(model)[0] == "Lead Source"
    rows = cells(model)
    by_value = {row[0]: row for row in rows}
    # 534 leads came by reference, 490 of them converted (91.8%); 36 leads have no source,
    # listed last whatever their number.
    reference = [lead for lead in x_education if lead["Lead Source"] == "Reference"]
    assert (len(reference), converted(reference)) == (534, 490)
    assert by_value["Reference"][1:3] == ["534", "91.8%"]
    assert sum(lead["Lead Source"] == "" for lead in x_education) == 36
    assert rows[-1][:2] == ["(missing)", "36"]

    # Another column: other rows, and the first column is named after it.
    model.set_column("Lead Origin")
    model.set_rows(demo_check.segments("Lead Origin"))
    assert headers(model)[0] == "Lead Origin"
    origins = {lead["Lead Origin"] for lead in x_education}
    assert len(origins) == model.rowCount() == 5
    # The course-page form: 718 leads, 664 converted (92.5%).
    form = [lead for lead in x_education if lead["Lead Origin"] == "Lead Add Form"]
    assert (len(form), converted(form)) == (718, 664)
    assert {row[0]: row for row in cells(model)}["Lead Add Form"][1:3] == ["718", "92.5%"]


# --------------------------------------------------------------------------- revisions dialog
def open_dialog(session: WorkshopSession, qtbot: QtBot) -> RevisionsDialog:
    dialog = RevisionsDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def sign_and_start_next(session: WorkshopSession, label: str) -> None:
    """Everyone signs the open revision (it locks), then a new draft is started from it."""
    for person in session.defs.signers():
        session.sign(person.name)
    assert session.read_only
    assert session.start_next_revision(label)


@TESTERS
def test_revision_history_model(
    session: WorkshopSession, qtbot: QtBot, qtmodeltester: ModelTester, force_py: bool
) -> None:
    qtmodeltester.check(HistoryModel(), force_py=force_py)  # as the dialog makes it, before reading the file

    dialog = open_dialog(session, qtbot)
    model = dialog.history_model
    qtmodeltester.check(model, force_py=force_py)
    assert headers(model) == ["Revision", "Status", "Signed by", "Created", "Signed", "Content hash", "Signature check"]
    [draft] = cells(model)
    assert draft[:3] == ["2026-Q4  (open)", "draft", "\u2014"]
    assert draft[4:] == ["\u2014", "\u2014", "\u2014 (draft)"]

    signed_hash = content_hash(session.defs)
    sign_and_start_next(session, "2027-Q1")
    dialog.refresh()
    rows = cells(model)
    assert [row[0] for row in rows] == ["2026-Q4", "2027-Q1  (open)"]
    assert rows[0][1:3] == ["signed", "Priya Raman (VP Sales), Daniel Osei (VP Marketing)"]
    assert rows[0][5:] == [signed_hash[:12], "matches"]
    assert model.index(0, 5).data(Qt.ItemDataRole.ToolTipRole) == signed_hash  # the whole hash
    assert rows[1][1] == "draft"


@TESTERS
def test_revision_changes_model(
    session: WorkshopSession, qtbot: QtBot, qtmodeltester: ModelTester, force_py: bool
) -> None:
    dialog = open_dialog(session, qtbot)
    model = dialog.changes_model
    assert isinstance(model, ChangesModel)
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == 0  # one revision: nothing to compare
    assert headers(model) == ["What", "Item", "Change", "Before", "After"]

    sign_and_start_next(session, "2027-Q1")
    assert session.set("scoring", None, "threshold", 35.0)
    dialog.refresh()
    dialog.tabs.setCurrentIndex(1)
    dialog.from_combo.setCurrentText("2026-Q4")
    dialog.to_combo.setCurrentText("2027-Q1")
    assert cells(model) == [
        ["Team and targets", "", "period", "\u201c2026-Q4\u201d", "\u201c2027-Q1\u201d"],
        ["Scoring settings", "", "threshold", "40", "35"],
    ]

    # One more edit of the draft, the first stage renamed: compared again, a row between them.
    first_stage = session.defs.stages[0]
    assert first_stage.name == "Inquiry"
    assert session.set("stages", first_stage.uid, "name", "Hand raiser")
    dialog.refresh()
    assert cells(model) == [
        ["Team and targets", "", "period", "\u201c2026-Q4\u201d", "\u201c2027-Q1\u201d"],
        ["Funnel stage", "Hand raiser", "name", "\u201cInquiry\u201d", "\u201cHand raiser\u201d"],
        ["Scoring settings", "", "threshold", "40", "35"],
    ]
