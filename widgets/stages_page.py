"""Funnel stages step: the ordered stages with definition, entry and exit criteria, owner,
follow-up SLA, examples and the room's "agreed" mark."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from models.definitions import Team
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import Column
from widgets.session import WorkshopSession

TEAM_CHOICES = tuple((t.value, t.value) for t in Team)

STAGE_COLUMNS = [
    Column("name", "Stage", placeholder="e.g. Marketing Qualified Lead"),
    Column("owner", "Owner", kind="choice", choices=TEAM_CHOICES),
    Column(
        "sla_hours",
        "Follow-up SLA",
        kind="optional_number",
        suffix=" h",
        minimum=0,
        maximum=10_000,
        placeholder="hours; empty if none",
        help="Hours within which the owning team follows up.",
    ),
    Column("agreed", "Agreed", kind="bool", placeholder="The room agreed this stage"),
    Column(
        "definition",
        "Definition",
        kind="multiline",
        in_table=False,
        placeholder="What the stage means, in one or two sentences.",
    ),
    Column(
        "entry_criteria",
        "Entry criteria",
        kind="multiline",
        in_table=False,
        placeholder="What must be true for a lead to enter this stage.",
    ),
    Column(
        "exit_criteria", "Exit criteria", kind="multiline", in_table=False, placeholder="What moves a lead on, or out."
    ),
    Column("examples", "Examples", kind="multiline", in_table=False, placeholder="Real leads that belong here."),
]


class StagesPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.editor = CollectionEditor(session, "stages", STAGE_COLUMNS, "stage", self._new_stage)
        self.summary = QLabel()
        self.summary.setObjectName("pageSummary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.summary)
        session.edited.connect(self._update_summary)
        session.revisionChanged.connect(self._update_summary)
        self._update_summary()

    def _new_stage(self) -> dict[str, Any]:
        names = {s.name for s in self.session.defs.stages}
        n = 1
        while f"New stage {n}" in names:
            n += 1
        return {"name": f"New stage {n}"}

    def _update_summary(self, *_: Any) -> None:
        stages = self.session.defs.stages
        agreed = sum(1 for s in stages if s.agreed)
        self.summary.setText(
            f"{len(stages)} stages, {agreed} agreed. Drag a row, or press Ctrl+Up / Ctrl+Down, to reorder."
        )
