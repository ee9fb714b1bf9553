"""Team and targets step: who runs the workshop and who is in the room (and signs), and what
sales needs from marketing: the shared revenue goal, the opportunity rate without marketing
(cold calling) and the one sales expects from marketing's leads, and weekly capacity.

Rates are stored as fractions (0..1) but the room thinks in percent, so the form shows and
takes percent and converts at the boundary. Two large lines restate the numbers as the room
says them ("8 reps × 60 leads = 480 new leads per week"); they follow the fields as they are
typed, before the edit is committed, so the facilitator can try numbers out loud.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.definitions import Team
from models.palette import HIGHLIGHT, LINE, PAPER
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import Column
from widgets.forms import FieldForm
from widgets.session import WorkshopSession

TEAM_CHOICES = tuple((t.value, t.value) for t in (Team.SALES, Team.MARKETING, Team.OTHER, Team.SHARED))
PERCENT_FIELDS = ("baseline_rate", "target_rate")
PERCENT_DECIMALS = 1

WORKSHOP_COLUMNS = [
    Column("workshop_name", "Workshop", placeholder="e.g. Lead definitions offsite"),
    Column("organisation", "Organisation", placeholder="Company or business unit"),
    Column("date", "Date", kind="date"),
    Column("facilitator", "Facilitator", placeholder="Who runs the workshop"),
    Column("period", "Period", placeholder="e.g. 2027-Q1", help="Period the targets cover."),
]

TARGET_COLUMNS = [
    Column("currency", "Currency", placeholder="ISO code, e.g. USD", help="ISO 4217 code of the revenue figures."),
    Column(
        "revenue_goal",
        "Revenue goal",
        kind="number",
        minimum=0,
        maximum=1e12,
        decimals=0,
        help="Shared revenue goal for the period; 0 means no goal set.",
    ),
    Column(
        "baseline_rate",
        "Baseline opportunity rate",
        kind="number",
        minimum=0,
        maximum=100,
        decimals=PERCENT_DECIMALS,
        suffix=" %",
        help="Share of leads that become opportunities without marketing: cold calling a bought list yields about 1%.",
    ),
    Column(
        "target_rate",
        "Target opportunity rate",
        kind="number",
        minimum=0,
        maximum=100,
        decimals=PERCENT_DECIMALS,
        suffix=" %",
        help="Share of marketing's leads that sales expects to become opportunities; typically 5–30%.",
    ),
    Column("reps", "Sales reps", kind="int", minimum=0, maximum=100_000, help="Reps who follow up marketing's leads."),
    Column(
        "leads_per_rep_per_week",
        "New leads per rep per week",
        kind="int",
        minimum=0,
        maximum=100_000,
        help="New leads one rep can follow up in a week.",
    ),
]

PARTICIPANT_COLUMNS = [
    Column("name", "Name", placeholder="Full name"),
    Column("role", "Role", placeholder="e.g. VP Sales"),
    Column("team", "Team", kind="choice", choices=TEAM_CHOICES),
    Column(
        "signer",
        "Signs",
        kind="bool",
        placeholder="Signs the definitions",
        help="Signers sign the revision on the sign-off step; their signatures lock it.",
    ),
]


class TargetsForm(FieldForm):
    """The targets fields of the team section: rates in percent, the goal in the workshop's
    currency, and 0 as "no goal"."""

    def __init__(
        self, session: WorkshopSession, section: str, columns: list[Column], parent: QWidget | None = None
    ) -> None:
        super().__init__(session, section, columns, parent)
        goal = self.editors["revenue_goal"]
        assert isinstance(goal, QDoubleSpinBox)
        goal.setSpecialValueText("not set")
        # A spin box asks for room for its largest value; a goal is rarely that long.
        goal.setMinimumWidth(self.editors["reps"].sizeHint().width())

    def _show(self, column: Column, editor: QWidget, value: Any) -> None:
        if column.field in PERCENT_FIELDS and value is not None:
            value = value * 100
        super()._show(column, editor, value)

    def value_of(self, column: Column) -> Any:
        value = super().value_of(column)
        if column.field not in PERCENT_FIELDS and column.field != "revenue_goal":
            return value
        stored = getattr(self.target(), column.field)
        shown = stored * 100 if column.field in PERCENT_FIELDS else stored
        # Leaving a field untouched must not round away what was stored with more precision.
        if stored is not None and round(shown, column.decimals) == round(value, column.decimals):
            return stored
        if column.field == "revenue_goal":
            return value or None
        return round(value / 100, 6)

    def update_visibility(self) -> None:
        # The currency goes in the label, not in the field: the figure keeps its width.
        team = self.target()
        currency = team.currency.strip() if team is not None else ""
        self.labels["revenue_goal"].setText(f"Revenue goal ({currency}):" if currency else "Revenue goal:")


def _group(title: str, content: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    inner = content.layout()
    if inner is not None:
        inner.setContentsMargins(0, 0, 0, 0)
    if isinstance(inner, QFormLayout):
        inner.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    layout.addWidget(content, 1)
    return box


def _pct(fraction: float) -> str:
    return f"{round(fraction * 100, 2):g}%"


def capacity_sentence(reps: int, leads_per_rep: int) -> str:
    """'8 reps × 60 leads = 480 new leads per week'."""
    rep_word = "rep" if reps == 1 else "reps"
    lead_word = "lead" if leads_per_rep == 1 else "leads"
    total = reps * leads_per_rep
    return (
        f"{reps:,} {rep_word} \u00d7 {leads_per_rep:,} {lead_word} = "
        f"{total:,} new {'lead' if total == 1 else 'leads'} per week"
    )


def rate_sentence(target: float, baseline: float) -> str:
    """'Target 60% vs baseline 5% = 12× better than cold calling'."""
    head = f"Target {_pct(target)} vs baseline {_pct(baseline)}"
    if baseline <= 0:
        return head + ": enter a baseline rate to compare with cold calling"
    ratio = round(target / baseline, 1)
    if ratio > 1:
        return f"{head} = {ratio:g}\u00d7 better than cold calling"
    if ratio == 1:
        return f"{head}: no better than cold calling"
    return f"{head} = {ratio:g}\u00d7: worse than cold calling"


def _large(text: str) -> str:
    # A relative size in rich text follows the theme's base size, so presentation mode
    # enlarges these lines with everything else.
    return f'<span style="font-size:x-large; font-weight:600">{html.escape(text)}</span>'


class TeamPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

        self.capacity_line = QLabel()
        self.capacity_line.setObjectName("capacityLine")
        self.rate_line = QLabel()
        self.rate_line.setObjectName("rateLine")
        for line in (self.capacity_line, self.rate_line):
            line.setTextFormat(Qt.TextFormat.RichText)
            line.setWordWrap(True)
        hint = QLabel("Cold calling a bought list yields about 1%, the bar to beat; targets are typically 5–30%.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        figures = QFrame()
        figures.setObjectName("teamFigures")
        figures.setStyleSheet(
            f"#teamFigures {{ background: {PAPER}; border: 1px solid {LINE}; "
            f"border-left: 5px solid {HIGHLIGHT}; border-radius: 4px; }}"
        )
        figures_layout = QVBoxLayout(figures)
        figures_layout.setSpacing(2)
        figures_layout.addWidget(self.capacity_line)
        figures_layout.addWidget(self.rate_line)
        figures_layout.addWidget(hint)

        self.workshop_form = FieldForm(session, "team", WORKSHOP_COLUMNS)
        self.targets_form = TargetsForm(session, "team", TARGET_COLUMNS)
        workshop_box = _group("Workshop", self.workshop_form)
        targets_box = _group("Sales targets", self.targets_form)

        self.participants = CollectionEditor(
            session, "participants", PARTICIPANT_COLUMNS, "participant", self._new_participant
        )
        # Four short fields: the form sits under the table, in the page's layout, so that it
        # always gets its full height (also when presentation mode enlarges the type).
        form_scroll = self.participants.splitter.widget(1)
        assert isinstance(form_scroll, QScrollArea)
        participant_form = form_scroll.takeWidget()
        form_scroll.hide()
        table = self.participants.table
        table.verticalHeader().hide()  # people have no meaningful order number
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # name and role share
        self.participants_summary = QLabel()
        self.participants_summary.setObjectName("pageSummary")
        self.participants_summary.setWordWrap(True)
        people_box = _group("Participants", self.participants)
        people_layout = people_box.layout()
        assert isinstance(people_layout, QVBoxLayout)
        people_layout.addWidget(participant_form)
        people_layout.addWidget(self.participants_summary)

        left = QVBoxLayout()
        left.addWidget(workshop_box)
        left.addWidget(targets_box)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 9)
        columns.addWidget(people_box, 11)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(figures)
        content_layout.addLayout(columns, 1)
        # On a small screen in presentation mode the page scrolls rather than squashing fields.
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        for field in ("reps", "leads_per_rep_per_week"):
            spin = self.targets_form.editors[field]
            assert isinstance(spin, QSpinBox)
            spin.valueChanged.connect(self._update_figures)
        for field in PERCENT_FIELDS:
            dspin = self.targets_form.editors[field]
            assert isinstance(dspin, QDoubleSpinBox)
            dspin.valueChanged.connect(self._update_figures)
        session.edited.connect(self._update_summary)
        session.revisionChanged.connect(self._update_summary)
        self._update_figures()
        self._update_summary()

    def _new_participant(self) -> dict[str, Any]:
        return {"name": "New participant"}

    def _update_figures(self, *_: Any) -> None:
        """Restate the figures from the fields as shown, so they follow typing."""
        editors = self.targets_form.editors
        reps, per_rep = editors["reps"], editors["leads_per_rep_per_week"]
        baseline, target = editors["baseline_rate"], editors["target_rate"]
        assert isinstance(reps, QSpinBox) and isinstance(per_rep, QSpinBox)
        assert isinstance(baseline, QDoubleSpinBox) and isinstance(target, QDoubleSpinBox)
        self.capacity_line.setText(_large(capacity_sentence(reps.value(), per_rep.value())))
        self.rate_line.setText(_large(rate_sentence(target.value() / 100, baseline.value() / 100)))

    def _update_summary(self, *_: Any) -> None:
        people = self.session.defs.participants
        signers = self.session.defs.signers()
        head = f"{len(people)} participant{'' if len(people) == 1 else 's'}"
        if not signers:
            self.participants_summary.setText(
                f"{head}; no one signs yet: tick \u201cSigns\u201d for each person who signs the definitions."
            )
            return
        self.participants_summary.setText(f"{head}; signing: {', '.join(p.name for p in signers)}.")
