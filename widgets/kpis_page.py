"""Shared KPIs and SLA step: the dashboard both teams agree to watch (each KPI with its
definition, formula, owner, target and cadence) beside the follow-up SLAs agreed on the
funnel stages, so the room sees the whole service-level agreement in one place.

Actual KPI values are not computed in this version; the page says so rather than show
numbers it does not have.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.edits import Batch, ReplaceAll
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import Column
from widgets.forms import FieldForm
from widgets.rows_model import RowsTableModel
from widgets.session import WorkshopSession
from widgets.table_fit import fit_to_contents

CADENCES = ("Weekly", "Monthly", "Quarterly")

KPI_COLUMNS = [
    Column("name", "KPI", placeholder="e.g. MQLs by segment"),
    Column("owner", "Owner", placeholder="Who reports it, e.g. Marketing"),
    Column("target", "Target", placeholder="Value with its unit, e.g. \u2264 24 hours"),
    Column(
        "cadence",
        "Cadence",
        kind="choice",
        choices=tuple((c, c) for c in CADENCES),
        help="How often both teams review it: pick one, or type another (e.g. Every two weeks).",
    ),
    Column("definition", "Definition", kind="multiline", in_table=False, placeholder="What it measures."),
    Column(
        "formula",
        "Formula",
        kind="multiline",
        in_table=False,
        placeholder="How it is computed, e.g. opportunities from MQLs / MQLs",
    ),
]

VALUES_NOTE = (
    "Actual values are not computed yet: a later version of Accord computes them from the imported historical leads."
)


class KpiForm(FieldForm):
    """The KPI fields; the cadence is a choice the room can also type past (e.g. "Every two
    weeks"), so it is an editable combo box holding the text itself."""

    def _make_editor(self, column: Column) -> QWidget:
        if column.field != "cadence":
            return super()._make_editor(column)
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for value, label in column.choices:
            combo.addItem(label, value)
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        combo.activated.connect(lambda *_: self._commit(column))
        line = combo.lineEdit()
        assert line is not None  # an editable combo box has its line edit
        line.setPlaceholderText("Weekly, Monthly, Quarterly\u2026")
        line.editingFinished.connect(lambda: self._commit(column))
        return combo

    def _show(self, column: Column, editor: QWidget, value: Any) -> None:
        if column.field == "cadence" and isinstance(editor, QComboBox):
            text = value or ""
            editor.setCurrentIndex(editor.findText(text))
            if editor.currentText() != text:
                editor.setEditText(text)
            return
        super()._show(column, editor, value)

    def value_of(self, column: Column) -> Any:
        editor = self.editors[column.field]
        if column.field == "cadence" and isinstance(editor, QComboBox):
            return editor.currentText().strip()
        return super().value_of(column)


def sla_text(hours: float) -> str:
    return f"{hours:,g} h"


class SlaModel(RowsTableModel[Any]):
    """The funnel stages that have a follow-up SLA, read-only: stage, owner, SLA, agreed."""

    HEADERS = ("Stage", "Owner", "Follow-up SLA", "Agreed")
    ROW_NUMBERS = True

    def __init__(self, session: WorkshopSession) -> None:
        super().__init__()
        self.session = session
        session.edited.connect(self._on_edited)
        session.revisionChanged.connect(self._reset)

    def rows(self) -> list[Any]:
        # Read from the definitions each time rather than kept: always the current stages.
        return [s for s in self.session.defs.stages if s.sla_hours is not None]

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _on_edited(self, edit: Any) -> None:
        # Any change to a stage may add or drop a row (an SLA set or cleared): the list is short.
        if isinstance(edit, (ReplaceAll, Batch)) or getattr(edit, "section", None) == "stages":
            self._reset()

    def cell(self, stage: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (stage.name, stage.owner.value, sla_text(stage.sla_hours), "Yes" if stage.agreed else "Not yet")[
                column
            ]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2:
                return f"{stage.owner.value} follows up within {stage.sla_hours:g} hours"
            if column == 0 and stage.definition:
                return stage.definition
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _WholeTable(QTableView):
    """A short table that asks for the height of all its rows, so it shows them all."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(rows))
        return QSize(hint.width(), height + 2 * self.frameWidth())

    def minimumSizeHint(self) -> QSize:
        # Never squeezed below its rows: the KPI table above it gives way instead.
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class KpisPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.form = KpiForm(session, "kpis", KPI_COLUMNS)
        self.editor = CollectionEditor(session, "kpis", KPI_COLUMNS, "KPI", self._new_kpi, form=self.form)
        # The list, the note and the SLAs need the width more than the form's few fields do.
        self.editor.splitter.setSizes([6200, 3800])
        # KPI names and targets are both phrases: they share the width (and wrap) alike.
        self.editor.table.horizontalHeader().setSectionResizeMode(
            self.editor.model.column_of("target"), QHeaderView.ResizeMode.Stretch
        )

        self.values_note = QLabel(VALUES_NOTE)
        self.values_note.setObjectName("hint")
        self.values_note.setWordWrap(True)

        self.sla_model = SlaModel(session)
        self.sla_table = _WholeTable()
        self.sla_table.setObjectName("sla_table")
        self.sla_table.setModel(self.sla_model)
        self.sla_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sla_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.sla_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.sla_table.setAlternatingRowColors(True)
        self.sla_table.verticalHeader().hide()
        self.sla_table.horizontalHeader().setHighlightSections(False)
        fit_to_contents(self.sla_table, stretch=(0,))
        self.sla_summary = QLabel()
        self.sla_summary.setObjectName("pageSummary")
        self.sla_summary.setWordWrap(True)
        sla_box = QGroupBox("Follow-up SLAs, from step 2: Funnel stages")
        sla_layout = QVBoxLayout(sla_box)
        sla_layout.setContentsMargins(4, 4, 4, 4)
        sla_layout.addWidget(self.sla_table)
        sla_layout.addWidget(self.sla_summary)

        # Under the KPI table, beside the form: the table stretches, the SLAs show every stage.
        self.editor.left_layout.addWidget(self.values_note)
        self.editor.left_layout.addWidget(sla_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)

        session.edited.connect(self._update_sla_summary)
        session.revisionChanged.connect(self._update_sla_summary)
        self._update_sla_summary()

    def _new_kpi(self) -> dict[str, Any]:
        names = {k.name for k in self.session.defs.kpis}
        n = 1
        while f"New KPI {n}" in names:
            n += 1
        return {"name": f"New KPI {n}", "cadence": CADENCES[0]}

    def _update_sla_summary(self, *_: Any) -> None:
        stages = self.session.defs.stages
        without = [s.name for s in stages if s.sla_hours is None]
        if not stages:
            text = "No funnel stages yet."
        elif not without:
            text = "Every stage has a follow-up SLA."
        elif len(without) == len(stages):
            text = "No stage has a follow-up SLA yet: set them on the Funnel stages step."
        else:
            text = "No follow-up SLA: " + ", ".join(without) + "."
        self.sla_summary.setText(text)
        self.sla_table.setVisible(len(without) < len(stages))
        self.sla_table.updateGeometry()
