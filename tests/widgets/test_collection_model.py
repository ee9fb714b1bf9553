"""The table model behind every collection editor: Qt's model checks (with and without rows,
and while the collection changes), what each kind of column shows, and what it accepts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.document import Document
from models.edits import Batch, MoveItem, insert_item, remove_item
from tests.conftest import reopen
from widgets.collection_model import UID_ROLE, CollectionModel, Column, display_text
from widgets.session import WorkshopSession
from widgets.stages_page import STAGE_COLUMNS

RULE_COLUMNS = [
    Column("label", "Rule"),
    Column("kind", "Kind", kind="choice", choices=(("fit", "Fit"), ("behaviour", "Behaviour"))),
    Column("values", "Values", kind="list"),
    Column("points", "Points", kind="number", decimals=1),
    Column("cap", "Cap", kind="optional_number", suffix=" pts"),
    Column("field", "Field", in_table=False),
]


@pytest.fixture
def stages(session: WorkshopSession) -> CollectionModel:
    return CollectionModel(session, "stages", STAGE_COLUMNS)


@pytest.fixture
def empty_session(tmp_path: Path, qapp: object) -> Iterator[WorkshopSession]:
    """A workshop with no stages at all."""
    from models.definitions import new_definitions

    defs = new_definitions("Empty funnel")
    defs.stages = []
    path = tmp_path / "empty.accord"
    Document.create(path, defs).close()
    s = WorkshopSession(Document.open(path))
    yield s
    s.close()


# --------------------------------------------------------------------------- Qt's model checks
def test_model_checks_pass_with_rows(stages: CollectionModel, qtmodeltester: ModelTester) -> None:
    assert stages.rowCount() == 6
    qtmodeltester.check(stages)


def test_model_checks_pass_without_rows(empty_session: WorkshopSession, qtmodeltester: ModelTester) -> None:
    model = CollectionModel(empty_session, "stages", STAGE_COLUMNS)
    assert model.rowCount() == 0
    assert model.columnCount() == 4  # the table shows the columns even with no rows
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) is None
    assert not model.index(0, 0).isValid()


def test_model_checks_pass_while_the_collection_changes(
    session: WorkshopSession, stages: CollectionModel, qtmodeltester: ModelTester
) -> None:
    """The checker stays attached and verifies every signal the model emits meanwhile."""
    qtmodeltester.check(stages)
    assert stages.insert_new(0, name="Awareness") is not None
    assert stages.setData(stages.index(0, 0), "Visitor")
    assert stages.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    session.do(remove_item(session.defs, "stages", session.defs.stages[2].uid))
    session.undo_stack.undo()
    session.undo_stack.undo()
    session.undo_stack.redo()
    session.do(
        Batch(tuple(remove_item(session.defs, "stages", s.uid) for s in reversed(session.defs.stages)), "Remove all")
    )
    assert stages.rowCount() == 0
    session.undo_stack.undo()
    assert stages.rowCount() == 7
    qtmodeltester.check(stages)


def test_model_checks_pass_for_a_model_with_every_kind_of_column(
    session: WorkshopSession, qtmodeltester: ModelTester
) -> None:
    model = CollectionModel(session, "rules", RULE_COLUMNS)
    assert model.columnCount() == 5  # "field" is in the form only
    qtmodeltester.check(model)


def test_model_checks_pass_for_a_signed_revision(
    session: WorkshopSession, stages: CollectionModel, qtmodeltester: ModelTester
) -> None:
    qtmodeltester.check(stages)
    for signer in session.defs.signers():
        session.document.sign(signer.name)
    assert session.read_only
    qtmodeltester.check(stages)


# --------------------------------------------------------------------------- what it shows
def test_headers(stages: CollectionModel) -> None:
    horizontal = [stages.headerData(c, Qt.Orientation.Horizontal) for c in range(stages.columnCount())]
    assert horizontal == ["Stage", "Owner", "Follow-up SLA", "Agreed"]
    assert (
        stages.headerData(2, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        == "Hours within which the owning team follows up."
    )
    assert stages.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert [stages.headerData(r, Qt.Orientation.Vertical) for r in range(3)] == ["1", "2", "3"]
    assert stages.headerData(9, Qt.Orientation.Horizontal) is None


def test_each_cell_shows_the_stage(session: WorkshopSession, stages: CollectionModel) -> None:
    def row(r: int) -> list[object]:
        return [stages.data(stages.index(r, c)) for c in range(stages.columnCount())]

    assert row(0) == ["Inquiry", "Marketing", "\u2014", "Yes"]
    assert row(1) == ["Marketing Qualified Lead", "Marketing", "24 h", "Yes"]
    assert row(3) == ["Sales Qualified Lead", "Sales", "72 h", "No"]
    assert stages.data(stages.index(1, 0), UID_ROLE) == session.defs.stages[1].uid
    assert stages.data(stages.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "Inquiry"
    assert stages.data(stages.index(0, 1), Qt.ItemDataRole.EditRole) == "Marketing"  # the stored value
    assert stages.data(stages.index(0, 3), Qt.ItemDataRole.EditRole) is None  # a check box has no text
    assert stages.uid_at(99) is None and stages.row_of("nope") == -1
    assert stages.column_of("agreed") == 3 and stages.column_of("definition") == -1


def test_every_kind_of_column_is_shown_readably(session: WorkshopSession) -> None:
    model = CollectionModel(session, "rules", RULE_COLUMNS)
    rules = session.defs.rules
    r_one_of = next(i for i, r in enumerate(rules) if r.values)
    r_capped = next(i for i, r in enumerate(rules) if r.cap is not None)
    assert model.data(model.index(r_one_of, 2)) == "Reference, Welingak Website"
    assert model.data(model.index(r_one_of, 2), Qt.ItemDataRole.EditRole) == "Reference, Welingak Website"
    assert model.data(model.index(r_one_of, 1)) == "Fit"  # the label of the stored choice
    assert model.data(model.index(r_capped, 4)) == "10 pts"
    assert model.data(model.index(0, 3)) == "25.0"
    assert model.data(model.index(0, 4)) == "\u2014"

    # A list typed in the table becomes a list; blanks around commas are dropped.
    assert model.setData(model.index(r_one_of, 2), " Reference ,, Partner ,")
    assert session.defs.rules[r_one_of].values == ["Reference", "Partner"]


@pytest.mark.parametrize(
    ("column", "value", "text"),
    [
        (Column("n", "N", kind="number"), 1234.0, "1,234"),
        (Column("n", "N", kind="number"), 2.5, "2.5"),
        (Column("n", "N", kind="number", decimals=2, suffix=" %"), 12.345, "12.35 %"),
        (Column("n", "N", kind="optional_number", suffix=" h"), None, "\u2014"),
        (Column("n", "N", kind="int", suffix=" leads"), 12000, "12,000 leads"),
        (Column("n", "N", kind="multiline"), "two\n  lines", "two lines"),
        (Column("n", "N", kind="list"), ["a", "b"], "a, b"),
        (Column("n", "N", kind="choice", choices=(("x", "Ex"),)), "y", "y"),
    ],
)
def test_display_text(column: Column, value: object, text: str) -> None:
    assert display_text(column, value) == text


# --------------------------------------------------------------------------- what it accepts
def test_editable_columns_and_check_boxes(stages: CollectionModel) -> None:
    name, owner, sla, agreed = (stages.index(0, c) for c in range(4))
    for index in (name, owner, sla):
        assert stages.flags(index) & Qt.ItemFlag.ItemIsEditable
        assert stages.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert stages.flags(agreed) & Qt.ItemFlag.ItemIsUserCheckable
    assert stages.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled  # drop between rows


def test_set_data_saves_an_undoable_edit(
    session: WorkshopSession, stages: CollectionModel, workshop_path: Path, qtbot: QtBot
) -> None:
    index = stages.index(4, 0)
    with qtbot.waitSignal(stages.dataChanged, timeout=1000) as changed:
        assert stages.setData(index, "Pipeline")
    assert changed.args[0].row() == 4 and changed.args[1].row() == 4
    assert reopen(workshop_path).stages[4].name == "Pipeline"
    assert session.undo_stack.undoText() == "Change stage name"
    session.undo_stack.undo()
    assert stages.data(index) == "Opportunity"


def test_set_data_refuses_bad_values_and_records_nothing(
    session: WorkshopSession, stages: CollectionModel, workshop_path: Path
) -> None:
    refused: list[str] = []
    session.refused.connect(refused.append)
    assert not stages.setData(stages.index(0, 1), "Finance")  # not a team
    assert not stages.setData(stages.index(0, 2), "soon")  # not a number of hours
    assert not stages.setData(stages.index(0, 0), "x", Qt.ItemDataRole.DisplayRole)
    assert not stages.setData(QModelIndex(), "x")
    assert len(refused) == 2 and "owner" in refused[0]
    assert session.undo_stack.count() == 0
    assert reopen(workshop_path).stages[0].owner.value == "Marketing"


def test_setting_the_same_value_records_no_step(session: WorkshopSession, stages: CollectionModel) -> None:
    assert stages.setData(stages.index(0, 0), "Inquiry")
    assert session.undo_stack.count() == 0


def test_owner_accepts_the_stored_value(stages: CollectionModel, workshop_path: Path) -> None:
    assert stages.setData(stages.index(0, 1), "Sales")
    assert reopen(workshop_path).stages[0].owner.value == "Sales"
    assert stages.data(stages.index(0, 1)) == "Sales"


def test_edits_of_another_collection_leave_this_model_alone(
    session: WorkshopSession, stages: CollectionModel, qtbot: QtBot
) -> None:
    term = session.defs.terms[0]
    with qtbot.assertNotEmitted(stages.modelReset), qtbot.assertNotEmitted(stages.dataChanged):
        session.set("terms", term.uid, "definition", "Someone who asked.")
        session.do(MoveItem("terms", 0, 1))
        session.set("team", None, "reps", 9)


def test_structural_edits_reset_the_model(session: WorkshopSession, stages: CollectionModel, qtbot: QtBot) -> None:
    with qtbot.waitSignal(stages.modelReset, timeout=1000):
        session.do(insert_item(session.defs, "stages", None, name="Advocate"))
    assert stages.rowCount() == 7
    assert stages.data(stages.index(6, 0)) == "Advocate"
    with qtbot.waitSignal(stages.modelReset, timeout=1000):
        session.undo_stack.undo()
    assert stages.rowCount() == 6


def test_insert_new_returns_the_uid_of_the_new_stage(session: WorkshopSession, stages: CollectionModel) -> None:
    uid = stages.insert_new(2, name="Engaged", sla_hours=12)
    assert uid is not None
    assert stages.row_of(uid) == 2
    assert session.defs.stages[2].sla_hours == 12.0
    assert stages.insert_new(99, name="Nowhere") is None  # refused: no such position
    assert stages.rowCount() == 7


def test_mime_data_names_the_first_dragged_row(stages: CollectionModel) -> None:
    mime = stages.mimeData([stages.index(3, c) for c in range(4)] + [stages.index(4, 0)])
    assert bytes(mime.data("application/x-accord-row").data()) == b"3"
    assert not stages.mimeData([]).hasFormat("application/x-accord-row")
