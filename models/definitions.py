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

Every value has limits (`Limit`, and the constants above it): numbers within a range, texts
and lists of at most so many characters or items. A value validated as input (an edit, a new
item, an imported JSON document) beyond a limit is refused with one message; definitions read
back as they were stored (`Definitions.model_validate`, which the workshop file and copies
use, or anything validated `as_stored`) keep it, and `check_definitions` flags it: a workshop
saved before the limits still opens, and says what to change. The limits sit in this module, with
the fields they bound, which is why it is longer than most.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Annotated, Any, Final, Self, get_args, get_origin

from pydantic import ConfigDict, GetCoreSchemaHandler, GetJsonSchemaHandler, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema
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


# --------------------------------------------------------------------------- limits
# Generous for any real company, tight enough that no value can overflow a sum, a layout or
# a file: scores stay far inside a float's exact integers, texts inside a page of print.
SHORT_TEXT: Final = 200  # characters of a name, label, column, operand, role, owner...
LONG_TEXT: Final = 20_000  # characters of a definition, criteria, examples, notes, a decision
MAX_ITEMS: Final = 1_000  # items of each collection (stages, terms, rules...)
MAX_VALUES: Final = 1_000  # values of a one_of / not_one_of rule
MAX_POINTS: Final = 1_000_000  # points, caps, thresholds, minimum fit and band scores, ±
MAX_OPERAND: Final = 1e15  # minimum and maximum of a rule (compared with the leads' numbers), ±
MAX_MONEY: Final = 1e15  # the revenue goal
MAX_PEOPLE: Final = 100_000  # sales reps; new leads a rep follows up per week
MAX_SLA_HOURS: Final = 10_000  # a follow-up SLA (over a year)
MAX_DAYS: Final = 100_000  # a decay half-life (over 270 years)
MAX_WEEKS: Final = 10_000  # weeks of history
MAX_MINUTES: Final = 1_440  # a step's timebox (a day)
MAX_TIMEBOXES: Final = 100  # entries of the timeboxes (one per step)

# Set while definitions are read back as they were stored (`as_stored`): a value beyond its
# limit is then kept, not refused. A ContextVar rather than pydantic's validation context,
# which SQLModel does not pass on to nested models.
_STORED: ContextVar[bool] = ContextVar("definitions_as_stored", default=False)


@contextmanager
def as_stored() -> Iterator[None]:
    """Validation inside reads values as they were stored (a workshop file, a copy, an undo
    restoring what was there): a value beyond its limit is kept, for `check_definitions` to
    flag, instead of refused."""
    token = _STORED.set(True)
    try:
        yield
    finally:
        _STORED.reset(token)


def _number(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,g}"


@dataclass(frozen=True)
class Limit:
    """The limit of a value, as `Annotated` metadata: a number within [low, high] (low
    excluded when `above`), or a text of at most `length` characters, or a list (a mapping)
    of at most `length` `noun`. It validates (except `as_stored`) and documents itself in the
    JSON Schema (minimum, maximum, maxLength, maxItems, maxProperties)."""

    low: float | None = None
    high: float | None = None
    above: bool = False
    length: int | None = None
    noun: str = "items"
    pattern: str | None = None  # a text must match it whole
    shape: str = ""  # the pattern in words, for the message

    def problem(self, value: Any) -> str | None:
        """What is wrong with `value`, in the words every report uses; None if it is within."""
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            if self.low is None or self.high is None:
                return None
            if (self.low < value if self.above else self.low <= value) and value <= self.high:
                return None
            lower = f"more than {_number(self.low)} and at most" if self.above else f"between {_number(self.low)} and"
            return f"must be {lower} {_number(self.high)} (this is {value:,g})"
        if self.length is not None and isinstance(value, str | list | dict) and len(value) > self.length:
            unit = "characters" if isinstance(value, str) else self.noun
            return f"at most {self.length:,} {unit} (this has {len(value):,})"
        if self.pattern is not None and isinstance(value, str) and not re.fullmatch(self.pattern, value):
            return f"must be {self.shape} (this is \u201c{value[:40]}\u201d)"
        if isinstance(value, str) and not value.isascii():
            try:  # a lone surrogate ("\ud800" in JSON) can be neither stored nor hashed
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"not valid text: character {exc.start + 1:,} is half of a UTF-16 surrogate pair"
        return None

    def _validate(self, value: Any) -> Any:
        if _STORED.get():
            return value
        message = self.problem(value)
        if message is not None:
            raise PydanticCustomError("limit", message)
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        if self.low is not None:
            out["exclusiveMinimum" if self.above else "minimum"] = self.low
        if self.high is not None:
            out["maximum"] = self.high
        if self.pattern is not None:
            out["pattern"] = f"^{self.pattern}$"
        if self.length is not None:
            kind = out.get("type")
            key = {"string": "maxLength", "array": "maxItems", "object": "maxProperties"}.get(str(kind))
            if key is not None:
                out[key] = self.length
        return out


def _range(low: float, high: float, above: bool = False) -> Limit:
    return Limit(low=low, high=high, above=above)


Short = Annotated[str, Limit(length=SHORT_TEXT)]
Colour = Annotated[str, Limit(length=7, pattern="#[0-9a-fA-F]{6}", shape="a colour written #rrggbb, e.g. #d9483b")]
Long = Annotated[str, Limit(length=LONG_TEXT)]
Points = Annotated[float, _range(-MAX_POINTS, MAX_POINTS)]
Operand = Annotated[float, _range(-MAX_OPERAND, MAX_OPERAND)]
Rate = Annotated[float, _range(0, 1)]
People = Annotated[int, _range(0, MAX_PEOPLE)]


def items(noun: str, most: int = MAX_ITEMS) -> Limit:
    return Limit(length=most, noun=noun)


@cache
def field_limits(model: type[SQLModel], name: str) -> tuple[Limit | None, Limit | None]:
    """The limit of a field's value and the limit of each of its items (a list's, a mapping's
    values), as the annotations of `model` state them."""
    field = model.model_fields[name]
    own = next((m for m in field.metadata if isinstance(m, Limit)), None)
    each: Limit | None = None
    pending = [field.annotation]
    while pending:  # through Optional, list[...] and dict[..., ...] down to Annotated
        annotation = pending.pop()
        args = get_args(annotation)
        if get_origin(annotation) is Annotated:
            found = next((m for m in args[1:] if isinstance(m, Limit)), None)
            if own is None and annotation is field.annotation:
                own = found
            else:
                each = each or found
            continue
        if get_origin(annotation) in (list, dict):
            pending.extend(a for a in args[-1:] if get_origin(a) is Annotated)
        else:
            pending.extend(a for a in args if get_origin(a) is Annotated)
    return own, each


def _short_ascii_texts(values: list[Any], limit: Limit) -> bool:
    """Whether `values` are texts all within `limit` and ASCII: the usual case (a rule's
    values), decided without a Python call per value (the rules editor asks on every paint)."""
    try:
        return (
            limit.length is not None and max(map(len, values), default=0) <= limit.length and "".join(values).isascii()
        )
    except TypeError:  # not texts
        return False


def limit_problems(obj: SQLModel) -> list[tuple[str, str]]:
    """Every value of `obj` (an item, the team targets, the scoring settings) beyond its limit,
    as (relative JSON path, message) pairs: what a value read back from a file written before
    the limits may hold."""
    out: list[tuple[str, str]] = []
    for name in type(obj).model_fields:
        own, each = field_limits(type(obj), name)
        value = getattr(obj, name)
        if own is not None and (message := own.problem(value)) is not None:
            out.append((f".{name}", message))
        if each is not None and isinstance(value, list) and not _short_ascii_texts(value, each):
            out += [(f".{name}[{k}]", m) for k, v in enumerate(value) if (m := each.problem(v)) is not None]
        if each is not None and isinstance(value, dict):
            out += [(f".{name}.{k}", m) for k, v in value.items() if (m := each.problem(v)) is not None]
    return out


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

    uid: Short = Field(default_factory=new_uid, description="Stable identifier.")


class TeamTargets(_Strict):
    """Who is in the room and what sales needs from marketing."""

    workshop_name: Short = Field(default="Sales and marketing alignment", description="Name of the workshop.")
    organisation: Short = Field(default="", description="Company or business unit the definitions are for.")
    date: dt.date | None = Field(default=None, description="Date of the workshop (ISO 8601).")
    facilitator: Short = Field(default="", description="Who runs the workshop.")
    period: Short = Field(default="", description="Period the targets cover, e.g. '2027-Q1'.")
    currency: Short = Field(default="USD", description="ISO 4217 code of the revenue figures.")
    revenue_goal: Annotated[float, _range(0, MAX_MONEY)] | None = Field(
        default=None, description="Shared revenue goal for the period."
    )
    baseline_rate: Rate = Field(
        default=0.01, description="Opportunity rate without marketing (cold calling), a fraction."
    )
    target_rate: Rate = Field(
        default=0.10, description="Opportunity rate sales expects from marketing's leads, a fraction."
    )
    reps: People = Field(default=5, description="Sales reps following up marketing's leads.")
    leads_per_rep_per_week: People = Field(default=50, description="New leads one rep can follow up per week.")

    @property
    def capacity_per_week(self) -> int:
        return self.reps * self.leads_per_rep_per_week


class Participant(Item):
    """A person in the room; signers sign the revision."""

    name: Short = Field(default="", description="Full name.")
    role: Short = Field(default="", description="Job title, e.g. 'VP Sales'.")
    team: Team = Field(default=Team.OTHER, description="Sales, Marketing, Shared or Other.")
    signer: bool = Field(default=False, description="Whether this person signs the definitions.")


class FunnelStage(Item):
    """One stage of the demand funnel, in order."""

    name: Short = Field(default="", description="Stage name, e.g. 'Marketing Qualified Lead'.")
    definition: Long = Field(default="", description="What the stage means, in one or two sentences.")
    entry_criteria: Long = Field(default="", description="What must be true for a lead to enter the stage.")
    exit_criteria: Long = Field(default="", description="What moves a lead on (or out).")
    owner: Team = Field(default=Team.MARKETING, description="Team that owns leads in this stage.")
    sla_hours: Annotated[float, _range(0, MAX_SLA_HOURS)] | None = Field(
        default=None, description="Follow-up service-level agreement, in hours."
    )
    examples: Long = Field(default="", description="Examples of leads in this stage.")
    agreed: bool = Field(default=False, description="Whether the room agreed this stage.")


class GlossaryTerm(Item):
    """A word both teams use, with the meaning they agreed."""

    term: Short = Field(default="", description="The word or phrase.")
    definition: Long = Field(default="", description="What it means here.")
    notes: Long = Field(default="", description="Nuances, examples, what it does not mean.")
    status: TermStatus = Field(default=TermStatus.PROPOSED, description="proposed, agreed or disputed.")


class ScoringRule(Item):
    """A fit or behaviour rule: `field operator operand → points`, or for `count`,
    `value of field × points` per occurrence, capped at `cap` in absolute value."""

    kind: RuleKind = Field(default=RuleKind.FIT, description="fit (who they are) or behaviour (what they did).")
    label: Short = Field(default="", description="Plain-language name, e.g. 'Viewed pricing page'.")
    field: Short = Field(default="", description="Lead attribute (column) the rule reads.")
    operator: Operator = Field(default=Operator.EQUALS, description="How the field is tested.")
    value: Short = Field(default="", description="Operand of equals, not_equals and contains.")
    values: Annotated[list[Short], items("values", MAX_VALUES)] = Field(
        default_factory=list, description="Operands of one_of and not_one_of."
    )
    minimum: Operand | None = Field(default=None, description="Lower bound of between and at_least (inclusive).")
    maximum: Operand | None = Field(default=None, description="Upper bound of between and at_most (inclusive).")
    points: Points = Field(
        default=0,
        description="Points when the rule matches; per occurrence for count. Negative points lower the score.",
    )
    cap: Annotated[float, _range(0, MAX_POINTS)] | None = Field(
        default=None, description="count only: the rule adds at most this many points (absolute value)."
    )
    decay_half_life_days: Annotated[float, _range(0, MAX_DAYS, above=True)] | None = Field(
        default=None, description="Optional decay: points × 0.5^(age / half-life)."
    )
    decay_date_field: Short = Field(default="", description="Activity-date column the decay age is measured from.")


class ScoreBand(Item):
    """A named score band, e.g. warm ≥ 20, hot ≥ 40."""

    name: Short = Field(default="", description="Band name.")
    min_score: Points = Field(default=0, description="Lowest score in the band (inclusive).")
    colour: Colour = Field(default=WARM, description="Colour used in charts and exports, #rrggbb.")


class ScoringSettings(_Strict):
    """Hand-off threshold and the second gate."""

    threshold: Points = Field(default=40, description="Leads with score ≥ threshold go to sales.")
    minimum_fit: Points | None = Field(default=None, description="Optional second gate: fit score must also be ≥ this.")
    as_of_date: dt.date | None = Field(
        default=None, description="Date decay ages are measured to; the workshop date if empty."
    )
    history_weeks: Annotated[float, _range(0, MAX_WEEKS, above=True)] | None = Field(
        default=None,
        description="Weeks the imported history covers, for leads per week; "
        "when empty, the span of the leads' creation dates.",
    )


class SharedKpi(Item):
    """A metric both teams agree to watch."""

    name: Short = Field(default="", description="KPI name.")
    definition: Long = Field(default="", description="What it measures.")
    formula: Long = Field(default="", description="How it is computed.")
    owner: Short = Field(default="", description="Who reports it.")
    target: Short = Field(default="", description="Target value, with its unit.")
    cadence: Short = Field(default="Weekly", description="How often it is reviewed.")


class Decision(Item):
    """A decision taken, or an item parked for later."""

    kind: DecisionKind = Field(default=DecisionKind.DECISION, description="decision or parking (lot).")
    text: Long = Field(default="", description="What was decided or parked.")
    owner: Short = Field(default="", description="Who follows it up.")
    step: Short = Field(default="", description="Workshop step it came up in.")
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
    participants: Annotated[list[Participant], items("participants")] = Field(default_factory=list)
    stages: Annotated[list[FunnelStage], items("stages")] = Field(default_factory=list)
    terms: Annotated[list[GlossaryTerm], items("terms")] = Field(default_factory=list)
    rules: Annotated[list[ScoringRule], items("rules")] = Field(default_factory=list)
    bands: Annotated[list[ScoreBand], items("bands")] = Field(default_factory=list)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    kpis: Annotated[list[SharedKpi], items("KPIs")] = Field(default_factory=list)
    decisions: Annotated[list[Decision], items("decisions and parked items")] = Field(default_factory=list)
    timeboxes: Annotated[dict[str, Annotated[int, _range(0, MAX_MINUTES)]], items("timeboxes", MAX_TIMEBOXES)] = Field(
        default_factory=lambda: dict(DEFAULT_TIMEBOXES), description="Minutes planned per step, by step key."
    )

    @classmethod
    def model_validate(  # type: ignore[override]  # SQLModel's signature, which differs from BaseModel's
        cls,
        obj: Any,
        *,
        strict: bool | None = None,
        from_attributes: bool | None = None,
        context: dict[str, Any] | None = None,
        update: dict[str, Any] | None = None,
    ) -> Self:
        """Definitions as they were stored (the workshop file reads them so, copies are made
        so): a value beyond its limit is kept, for `check_definitions` to flag. Input is
        validated strictly: an item alone, `Definitions(...)`, an imported document."""
        with as_stored():
            return super().model_validate(
                obj, strict=strict, from_attributes=from_attributes, context=context, update=update
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
