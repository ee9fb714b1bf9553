"""The definitions a workshop agrees on, as one typed, versioned document.

A revision of a workshop is a `Definitions` document: team and targets, participants, funnel
stages, glossary terms, scoring rules and bands, the scoring settings (threshold, minimum fit),
shared KPIs, decisions and parking-lot items, and per-step timeboxes.

The same classes serve three purposes:
  * the in-memory document the editors change (through `models.edits`);
  * the base of the SQLModel tables in the workshop file (`models.store`);
  * the definitions JSON (`models.definitions_json`) and its JSON Schema, generated from
    these classes and kept in `resources/definitions.schema.json`.
Field descriptions below are the documentation of that JSON format.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from typing import Any, Final

from pydantic import ConfigDict, field_validator
from sqlmodel import Field, SQLModel

from models.palette import COLD, HOT, WARM

FORMAT_NAME: Final = "accord-definitions"
FORMAT_VERSION: Final = 1


def now_utc() -> dt.datetime:
    """Now, in UTC, to the second: every time stored in a workshop file is UTC."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_uid() -> str:
    """A short random identifier that keeps an item's identity across edits and revisions."""
    return uuid.uuid4().hex[:12]


class Team(str, Enum):
    SALES = "Sales"
    MARKETING = "Marketing"
    SHARED = "Shared"
    OTHER = "Other"


class TermStatus(str, Enum):
    PROPOSED = "proposed"
    AGREED = "agreed"
    DISPUTED = "disputed"


class RuleKind(str, Enum):
    FIT = "fit"
    BEHAVIOUR = "behaviour"


class Operator(str, Enum):
    """Rule operators. Text compares after trimming, case-insensitively; a missing value
    matches only `is_empty` and the negative operators (`not_equals`, `not_one_of`)."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    ONE_OF = "one_of"
    NOT_ONE_OF = "not_one_of"
    CONTAINS = "contains"
    BETWEEN = "between"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    IS_EMPTY = "is_empty"
    IS_NOT_EMPTY = "is_not_empty"
    COUNT = "count"

    @property
    def label(self) -> str:
        return OPERATOR_LABELS[self]


OPERATOR_LABELS: dict[Operator, str] = {
    Operator.EQUALS: "equals",
    Operator.NOT_EQUALS: "does not equal",
    Operator.ONE_OF: "is one of",
    Operator.NOT_ONE_OF: "is not one of",
    Operator.CONTAINS: "contains",
    Operator.BETWEEN: "is between",
    Operator.AT_LEAST: "is at least",
    Operator.AT_MOST: "is at most",
    Operator.IS_EMPTY: "is empty",
    Operator.IS_NOT_EMPTY: "is not empty",
    Operator.COUNT: "count ×",
}

# Which operand each operator reads; the editor shows only these.
OPERATOR_OPERANDS: dict[Operator, tuple[str, ...]] = {
    Operator.EQUALS: ("value",),
    Operator.NOT_EQUALS: ("value",),
    Operator.CONTAINS: ("value",),
    Operator.ONE_OF: ("values",),
    Operator.NOT_ONE_OF: ("values",),
    Operator.BETWEEN: ("minimum", "maximum"),
    Operator.AT_LEAST: ("minimum",),
    Operator.AT_MOST: ("maximum",),
    Operator.IS_EMPTY: (),
    Operator.IS_NOT_EMPTY: (),
    Operator.COUNT: (),
}


class DecisionKind(str, Enum):
    DECISION = "decision"
    PARKING = "parking"


DEFAULT_TIMEBOXES: dict[str, int] = {
    "team": 15,
    "stages": 45,
    "vocabulary": 30,
    "scoring": 45,
    "leads": 10,
    "threshold": 40,
    "kpis": 25,
    "signoff": 15,
    "export": 5,
}


class _Strict(SQLModel):
    # No NaN or infinity anywhere: SQLite stores NaN as NULL and the canonical JSON of a
    # signed revision cannot hold either.
    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=False,  # type: ignore[assignment]
        allow_inf_nan=False,
    )


# --------------------------------------------------------------------------- items
class Item(_Strict):
    """An item of one of the definitions' collections (a stage, a term, a rule...): what
    edits, the file and comparisons address it by."""

    uid: str = Field(default_factory=new_uid, description="Stable identifier.")


class TeamTargets(_Strict):
    """Who is in the room and what sales needs from marketing."""

    workshop_name: str = Field(default="Sales and marketing alignment", description="Name of the workshop.")
    organisation: str = Field(default="", description="Company or business unit the definitions are for.")
    date: dt.date | None = Field(default=None, description="Date of the workshop (ISO 8601).")
    facilitator: str = Field(default="", description="Who runs the workshop.")
    period: str = Field(default="", description="Period the targets cover, e.g. '2027-Q1'.")
    currency: str = Field(default="USD", description="ISO 4217 code of the revenue figures.")
    revenue_goal: float | None = Field(default=None, ge=0, description="Shared revenue goal for the period.")
    baseline_rate: float = Field(
        default=0.01, ge=0, le=1, description="Opportunity rate without marketing (cold calling), a fraction."
    )
    target_rate: float = Field(
        default=0.10, ge=0, le=1, description="Opportunity rate sales expects from marketing's leads, a fraction."
    )
    reps: int = Field(default=5, ge=0, description="Sales reps following up marketing's leads.")
    leads_per_rep_per_week: int = Field(default=50, ge=0, description="New leads one rep can follow up per week.")

    @property
    def capacity_per_week(self) -> int:
        return self.reps * self.leads_per_rep_per_week


class Participant(Item):
    """A person in the room; signers sign the revision."""

    name: str = Field(default="", description="Full name.")
    role: str = Field(default="", description="Job title, e.g. 'VP Sales'.")
    team: Team = Field(default=Team.OTHER, description="Sales, Marketing, Shared or Other.")
    signer: bool = Field(default=False, description="Whether this person signs the definitions.")


class FunnelStage(Item):
    """One stage of the demand funnel, in order."""

    name: str = Field(default="", description="Stage name, e.g. 'Marketing Qualified Lead'.")
    definition: str = Field(default="", description="What the stage means, in one or two sentences.")
    entry_criteria: str = Field(default="", description="What must be true for a lead to enter the stage.")
    exit_criteria: str = Field(default="", description="What moves a lead on (or out).")
    owner: Team = Field(default=Team.MARKETING, description="Team that owns leads in this stage.")
    sla_hours: float | None = Field(default=None, ge=0, description="Follow-up service-level agreement, in hours.")
    examples: str = Field(default="", description="Examples of leads in this stage.")
    agreed: bool = Field(default=False, description="Whether the room agreed this stage.")


class GlossaryTerm(Item):
    """A word both teams use, with the meaning they agreed."""

    term: str = Field(default="", description="The word or phrase.")
    definition: str = Field(default="", description="What it means here.")
    notes: str = Field(default="", description="Nuances, examples, what it does not mean.")
    status: TermStatus = Field(default=TermStatus.PROPOSED, description="proposed, agreed or disputed.")


class ScoringRule(Item):
    """A fit or behaviour rule: `field operator operand → points`, or for `count`,
    `value of field × points` per occurrence, capped at `cap` in absolute value."""

    kind: RuleKind = Field(default=RuleKind.FIT, description="fit (who they are) or behaviour (what they did).")
    label: str = Field(default="", description="Plain-language name, e.g. 'Viewed pricing page'.")
    field: str = Field(default="", description="Lead attribute (column) the rule reads.")
    operator: Operator = Field(default=Operator.EQUALS, description="How the field is tested.")
    value: str = Field(default="", description="Operand of equals, not_equals and contains.")
    values: list[str] = Field(default_factory=list, description="Operands of one_of and not_one_of.")
    minimum: float | None = Field(default=None, description="Lower bound of between and at_least (inclusive).")
    maximum: float | None = Field(default=None, description="Upper bound of between and at_most (inclusive).")
    points: float = Field(
        default=0,
        description="Points when the rule matches; per occurrence for count. Negative points lower the score.",
    )
    cap: float | None = Field(
        default=None, ge=0, description="count only: the rule adds at most this many points (absolute value)."
    )
    decay_half_life_days: float | None = Field(
        default=None, gt=0, description="Optional decay: points × 0.5^(age / half-life)."
    )
    decay_date_field: str = Field(default="", description="Activity-date column the decay age is measured from.")


class ScoreBand(Item):
    """A named score band, e.g. warm ≥ 20, hot ≥ 40."""

    name: str = Field(default="", description="Band name.")
    min_score: float = Field(default=0, description="Lowest score in the band (inclusive).")
    colour: str = Field(default=WARM, description="Colour used in charts and exports, #rrggbb.")


class ScoringSettings(_Strict):
    """Hand-off threshold and the second gate."""

    threshold: float = Field(default=40, description="Leads with score ≥ threshold go to sales.")
    minimum_fit: float | None = Field(default=None, description="Optional second gate: fit score must also be ≥ this.")
    as_of_date: dt.date | None = Field(
        default=None, description="Date decay ages are measured to; the workshop date if empty."
    )
    history_weeks: float | None = Field(
        default=None,
        gt=0,
        description="Weeks the imported history covers, for leads per week; "
        "when empty, the span of the leads' creation dates.",
    )


class SharedKpi(Item):
    """A metric both teams agree to watch."""

    name: str = Field(default="", description="KPI name.")
    definition: str = Field(default="", description="What it measures.")
    formula: str = Field(default="", description="How it is computed.")
    owner: str = Field(default="", description="Who reports it.")
    target: str = Field(default="", description="Target value, with its unit.")
    cadence: str = Field(default="Weekly", description="How often it is reviewed.")


class Decision(Item):
    """A decision taken, or an item parked for later."""

    kind: DecisionKind = Field(default=DecisionKind.DECISION, description="decision or parking (lot).")
    text: str = Field(default="", description="What was decided or parked.")
    owner: str = Field(default="", description="Who follows it up.")
    step: str = Field(default="", description="Workshop step it came up in.")
    created: dt.datetime | None = Field(default=None, description="When it was recorded (ISO 8601).")

    @field_validator("created")
    @classmethod
    def _in_utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        """Times are kept in UTC (a time without an offset is taken as UTC), as the file stores them."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


# --------------------------------------------------------------------------- document
# Sections that are ordered lists of items with a `uid`; the rest are single objects.
COLLECTIONS: dict[str, type[Item]] = {
    "participants": Participant,
    "stages": FunnelStage,
    "terms": GlossaryTerm,
    "rules": ScoringRule,
    "bands": ScoreBand,
    "kpis": SharedKpi,
    "decisions": Decision,
}
OBJECTS: dict[str, type[_Strict]] = {"team": TeamTargets, "scoring": ScoringSettings}


class Definitions(_Strict):
    """Everything one revision of a workshop defines."""

    team: TeamTargets = Field(default_factory=TeamTargets)
    participants: list[Participant] = Field(default_factory=list)
    stages: list[FunnelStage] = Field(default_factory=list)
    terms: list[GlossaryTerm] = Field(default_factory=list)
    rules: list[ScoringRule] = Field(default_factory=list)
    bands: list[ScoreBand] = Field(default_factory=list)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    kpis: list[SharedKpi] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    timeboxes: dict[str, int] = Field(
        default_factory=lambda: dict(DEFAULT_TIMEBOXES), description="Minutes planned per step, by step key."
    )

    def collection(self, name: str) -> list[Any]:
        if name not in COLLECTIONS:
            raise KeyError(f"no collection named {name!r}")
        items: list[Any] = getattr(self, name)
        return items

    def copy_deep(self) -> Definitions:
        return Definitions.model_validate(self.model_dump())

    def signers(self) -> list[Participant]:
        return [p for p in self.participants if p.signer and p.name.strip()]


# --------------------------------------------------------------------------- defaults
def classic_waterfall() -> list[FunnelStage]:
    """The classic demand waterfall, as a starting point the room renames and reorders."""
    s = FunnelStage
    return [
        s(
            name="Inquiry",
            owner=Team.MARKETING,
            sla_hours=None,
            definition="Anyone who raised a hand: filled a form, called, chatted or was met at an event.",
            entry_criteria="Contact details captured from an inbound response.",
            exit_criteria="Scored and either qualified as an MQL or kept in nurture.",
            examples="Downloaded an e-book; visited the stand at a trade show.",
        ),
        s(
            name="Marketing Qualified Lead",
            owner=Team.MARKETING,
            sla_hours=24,
            definition="An inquiry whose score reached the agreed hand-off threshold.",
            entry_criteria="Score ≥ threshold (and fit ≥ minimum fit, if set).",
            exit_criteria="Sales accepts or rejects it, with a reason, within the SLA.",
            examples="Director at a 500-person software company who attended a webinar and viewed pricing.",
        ),
        s(
            name="Sales Accepted Lead",
            owner=Team.SALES,
            sla_hours=48,
            definition="An MQL that sales agreed to work.",
            entry_criteria="A rep accepted the lead in the CRM.",
            exit_criteria="First conversation held; qualified or returned to nurture.",
            examples="SDR booked a discovery call.",
        ),
        s(
            name="Sales Qualified Lead",
            owner=Team.SALES,
            sla_hours=72,
            definition="A lead with need, budget, authority and timing confirmed in conversation.",
            entry_criteria="Discovery call confirmed the qualification criteria.",
            exit_criteria="An opportunity is created, or the lead is disqualified with a reason.",
            examples="Buyer confirmed a budget for this quarter.",
        ),
        s(
            name="Opportunity",
            owner=Team.SALES,
            sla_hours=None,
            definition="A qualified deal in the pipeline with an amount and a close date.",
            entry_criteria="Opportunity record created with amount and expected close date.",
            exit_criteria="Closed won or closed lost.",
            examples="Proposal sent for 40 seats.",
        ),
        s(
            name="Customer",
            owner=Team.SALES,
            sla_hours=None,
            definition="An opportunity closed won.",
            entry_criteria="Contract signed.",
            exit_criteria="Handed to customer success.",
            examples="Signed annual contract.",
        ),
    ]


def default_terms() -> list[GlossaryTerm]:
    t = GlossaryTerm
    return [
        t(term="Inquiry", definition="A person who responded to marketing and left contact details."),
        t(
            term="Prospect",
            definition="A person or company that fits the ideal customer profile, whether or not they responded.",
        ),
        t(term="Lead", definition="An inquiry or prospect sales could contact."),
        t(term="Warm lead", definition="A lead whose score is in the warm band."),
        t(term="Hot lead", definition="A lead whose score is in the hot band: follow up within the SLA."),
        t(
            term="Account-based marketing",
            definition="Marketing aimed at a named list of target accounts rather than at individual leads.",
        ),
    ]


def default_kpis() -> list[SharedKpi]:
    """The metrics practitioners recommend both teams watch together."""
    k = SharedKpi
    return [
        k(
            name="MQLs by segment",
            definition="Marketing qualified leads delivered, split by segment.",
            formula="count(leads with score ≥ threshold) per segment per week",
            owner="Marketing",
            target="Within sales capacity",
            cadence="Weekly",
        ),
        k(
            name="Follow-up time",
            definition="Time from MQL to the first sales touch.",
            formula="median(first touch − MQL time)",
            owner="Sales",
            target="≤ 24 hours",
            cadence="Weekly",
        ),
        k(
            name="% disqualified and why",
            definition="Share of MQLs sales rejected, by reason.",
            formula="rejected MQLs / MQLs, grouped by reason",
            owner="Sales",
            target="≤ 20%",
            cadence="Weekly",
        ),
        k(
            name="Appointments set",
            definition="First meetings booked from MQLs.",
            formula="count(meetings booked from MQLs)",
            owner="Sales",
            target="",
            cadence="Weekly",
        ),
        k(
            name="Opportunity rate",
            definition="Share of MQLs that become opportunities.",
            formula="opportunities from MQLs / MQLs",
            owner="Shared",
            target="≥ target rate",
            cadence="Monthly",
        ),
        k(
            name="Revenue sourced by channel",
            definition="Closed-won revenue from marketing leads, by channel.",
            formula="sum(won amount) grouped by lead source",
            owner="Marketing",
            target="",
            cadence="Monthly",
        ),
        k(
            name="Duplicate rate",
            definition="Share of leads that duplicate an existing record.",
            formula="duplicate leads / all leads",
            owner="Marketing",
            target="≤ 2%",
            cadence="Monthly",
        ),
    ]


def default_bands() -> list[ScoreBand]:
    return [
        ScoreBand(name="Cold", min_score=0, colour=COLD),
        ScoreBand(name="Warm", min_score=20, colour=WARM),
        ScoreBand(name="Hot", min_score=40, colour=HOT),
    ]


def new_definitions(workshop_name: str = "Sales and marketing alignment", organisation: str = "") -> Definitions:
    """A fresh workshop: the classic waterfall, starter glossary, recommended KPIs, bands."""
    return Definitions(
        team=TeamTargets(workshop_name=workshop_name, organisation=organisation, date=dt.date.today()),
        stages=classic_waterfall(),
        terms=default_terms(),
        bands=default_bands(),
        kpis=default_kpis(),
    )
