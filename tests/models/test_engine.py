"""The vectorised scorer (models.engine, with models.rule_arrays and models.lead_frame) against
scores worked out by hand, lead by lead.

Every expected number below is written out in the test; where it needs arithmetic, the
arithmetic is in a comment. The reference (models.scoring.score_lead) is checked against the
same hand numbers, so the two cannot agree on a wrong answer."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pytest

from models.definitions import (
    Definitions,
    Operator,
    RuleKind,
    ScoringRule,
    ScoringSettings,
    TeamTargets,
)
from models.engine import Scorer
from models.lead_frame import Column, ColumnKind, LeadFrame, day_number
from models.scoring import rule_fields, score_lead

if TYPE_CHECKING:
    from models.leads.types import LeadData

NAN = float("nan")
AS_OF = dt.date(2026, 11, 24)
FIT, BEH = RuleKind.FIT, RuleKind.BEHAVIOUR


# --------------------------------------------------------------------------- builders
def text_column(name: str, values: list[Any]) -> Column:
    """A coded column as the importer makes one: distinct labels in first-seen order, None
    is the missing code len(labels)."""
    labels: list[Any] = []
    for v in values:
        if v is not None and v not in labels:
            labels.append(v)
    codes = np.array([len(labels) if v is None else labels.index(v) for v in values], dtype=np.int32)
    return Column.from_labels(name, codes, labels)


def number_column(name: str, values: list[float]) -> Column:
    return Column.from_numbers(name, np.array(values, dtype=np.float64))


def days_column(name: str, ages: list[float | None], as_of: dt.date = AS_OF) -> Column:
    """A date column given as ages in days before `as_of` (None: missing; negative: future)."""
    base = day_number(as_of)
    return Column.from_days(name, np.array([NAN if a is None else base - a for a in ages], dtype=np.float64))


def make_frame(*columns: Column, outcome: list[bool] | None = None) -> LeadFrame:
    n = len(columns[0])
    return LeadFrame(
        n, np.array(outcome if outcome is not None else [False] * n, dtype=bool), columns={c.name: c for c in columns}
    )


def rule(
    operator: Operator, field: str = "F", points: float = 10, kind: RuleKind = FIT, **operands: Any
) -> ScoringRule:
    return ScoringRule(
        kind=kind, label=f"{field} {operator.value}", field=field, operator=operator, points=points, **operands
    )


def defs_of(*rules: ScoringRule, **settings: Any) -> Definitions:
    settings.setdefault("as_of_date", AS_OF)
    return Definitions(rules=list(rules), scoring=ScoringSettings(**settings))


def reference_scores(frame: LeadFrame, defs: Definitions) -> list[float]:
    fields = rule_fields(defs)
    return [score_lead(defs, frame.lead(i, fields)).score for i in range(frame.n)]


def assert_scores(frame: LeadFrame, defs: Definitions, expected: list[float]) -> Scorer:
    """The engine and the reference both give the hand-worked scores."""
    scorer = Scorer(frame, defs)
    assert scorer.score.tolist() == expected
    assert reference_scores(frame, defs) == expected
    return scorer


def assert_same_as_fresh(scorer: Scorer, defs: Definitions) -> None:
    fresh = Scorer(scorer.frame, defs)
    assert scorer.fit.tolist() == fresh.fit.tolist()
    assert scorer.engagement.tolist() == fresh.engagement.tolist()
    assert scorer.score.tolist() == fresh.score.tolist()


# --------------------------------------------------------------------------- operators on text
TEXT_VALUES: list[Any] = [
    "Google",  # 0
    "  GOOGLE ",  # 1  same as 0 once trimmed and case-folded
    "Organic Search",  # 2
    "Bing",  # 3
    "10",  # 4
    "10.0",  # 5  numerically equal to 4
    "  ",  # 6  blank: missing
    None,  # 7  missing
    "7.5",  # 8
    "abc 12",  # 9  not a number
]

TEXT_TABLE: list[tuple[str, ScoringRule, list[float]]] = [
    ("equals, case and spaces", rule(Operator.EQUALS, value="google"), [10, 10, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("equals, operand trimmed", rule(Operator.EQUALS, value=" GOOGLE"), [10, 10, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("equals 10.0 as a number", rule(Operator.EQUALS, value="10.0"), [0, 0, 0, 0, 10, 10, 0, 0, 0, 0]),
    ("equals 10 as a number", rule(Operator.EQUALS, value="10"), [0, 0, 0, 0, 10, 10, 0, 0, 0, 0]),
    ("equals 7.50", rule(Operator.EQUALS, value="7.50"), [0, 0, 0, 0, 0, 0, 0, 0, 10, 0]),
    ("not_equals: missing matches", rule(Operator.NOT_EQUALS, value=" Google"), [0, 0, 10, 10, 10, 10, 10, 10, 10, 10]),
    ("not_equals number", rule(Operator.NOT_EQUALS, value="10"), [10, 10, 10, 10, 0, 0, 10, 10, 10, 10]),
    (
        "one_of, blank operand ignored",
        rule(Operator.ONE_OF, values=["bing", "ORGANIC SEARCH ", ""]),
        [0, 0, 10, 10, 0, 0, 0, 0, 0, 0],
    ),
    ("one_of numbers", rule(Operator.ONE_OF, values=["10", "7.5"]), [0, 0, 0, 0, 10, 10, 0, 0, 10, 0]),
    (
        "not_one_of: missing matches",
        rule(Operator.NOT_ONE_OF, values=["google", "BING"]),
        [0, 0, 10, 0, 10, 10, 10, 10, 10, 10],
    ),
    ("contains, case-insensitive", rule(Operator.CONTAINS, value="OO"), [10, 10, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("contains, operand trimmed", rule(Operator.CONTAINS, value=" g "), [10, 10, 10, 10, 0, 0, 0, 0, 0, 0]),
    ("contains a digit", rule(Operator.CONTAINS, value="1"), [0, 0, 0, 0, 10, 10, 0, 0, 0, 10]),
    ("between inclusive both ends", rule(Operator.BETWEEN, minimum=7.5, maximum=10), [0, 0, 0, 0, 10, 10, 0, 0, 10, 0]),
    ("between above 7.5", rule(Operator.BETWEEN, minimum=7.6, maximum=10), [0, 0, 0, 0, 10, 10, 0, 0, 0, 0]),
    ("between below 10", rule(Operator.BETWEEN, minimum=7.5, maximum=9.9), [0, 0, 0, 0, 0, 0, 0, 0, 10, 0]),
    ("at_least inclusive", rule(Operator.AT_LEAST, minimum=10), [0, 0, 0, 0, 10, 10, 0, 0, 0, 0]),
    ("at_least 7.6", rule(Operator.AT_LEAST, minimum=7.6), [0, 0, 0, 0, 10, 10, 0, 0, 0, 0]),
    ("at_most inclusive", rule(Operator.AT_MOST, maximum=7.5), [0, 0, 0, 0, 0, 0, 0, 0, 10, 0]),
    ("at_most 100", rule(Operator.AT_MOST, maximum=100), [0, 0, 0, 0, 10, 10, 0, 0, 10, 0]),
    ("is_empty: blank and None", rule(Operator.IS_EMPTY), [0, 0, 0, 0, 0, 0, 10, 10, 0, 0]),
    ("is_not_empty", rule(Operator.IS_NOT_EMPTY), [10, 10, 10, 10, 10, 10, 0, 0, 10, 10]),
]


@pytest.mark.parametrize("rule_, expected", [(r, e) for _, r, e in TEXT_TABLE], ids=[i for i, _, _ in TEXT_TABLE])
def test_every_operator_on_a_text_column(rule_: ScoringRule, expected: list[float]) -> None:
    frame = make_frame(text_column("F", TEXT_VALUES))
    assert_scores(frame, defs_of(rule_), expected)


# --------------------------------------------------------------------------- operators on numbers
NUMBER_VALUES = [
    0,  # 0
    2,  # 1
    2.5,  # 2
    6,  # 3
    10,  # 4
    NAN,  # 5  missing
    -3,  # 6
    600,  # 7
    599.5,  # 8
    6.0000001,  # 9  just above 6
]

NUMBER_TABLE: list[tuple[str, ScoringRule, list[float]]] = [
    ("equals 10.0", rule(Operator.EQUALS, value="10.0"), [0, 0, 0, 0, 10, 0, 0, 0, 0, 0]),
    ("equals padded 10", rule(Operator.EQUALS, value=" 10 "), [0, 0, 0, 0, 10, 0, 0, 0, 0, 0]),
    ("equals 2.50", rule(Operator.EQUALS, value="2.50"), [0, 0, 10, 0, 0, 0, 0, 0, 0, 0]),
    ("equals text never", rule(Operator.EQUALS, value="abc"), [0] * 10),
    ("not_equals: NaN matches", rule(Operator.NOT_EQUALS, value="10"), [10, 10, 10, 10, 0, 10, 10, 10, 10, 10]),
    ("one_of numbers", rule(Operator.ONE_OF, values=["2", "6"]), [0, 10, 0, 10, 0, 0, 0, 0, 0, 0]),
    ("one_of mixed text", rule(Operator.ONE_OF, values=["2", "abc"]), [0, 10, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("not_one_of: NaN matches", rule(Operator.NOT_ONE_OF, values=["2", "6"]), [10, 0, 10, 0, 10, 10, 10, 10, 10, 10]),
    ("not_one_of text", rule(Operator.NOT_ONE_OF, values=["abc"]), [10] * 10),
    ("contains 5", rule(Operator.CONTAINS, value="5"), [0, 0, 10, 0, 0, 0, 0, 0, 10, 0]),
    ("contains 10", rule(Operator.CONTAINS, value="10"), [0, 0, 0, 0, 10, 0, 0, 0, 0, 0]),
    ("between inclusive both ends", rule(Operator.BETWEEN, minimum=2, maximum=6), [0, 10, 10, 10, 0, 0, 0, 0, 0, 0]),
    ("at_least inclusive", rule(Operator.AT_LEAST, minimum=600), [0, 0, 0, 0, 0, 0, 0, 10, 0, 0]),
    ("at_most inclusive", rule(Operator.AT_MOST, maximum=0), [10, 0, 0, 0, 0, 0, 10, 0, 0, 0]),
    ("is_empty", rule(Operator.IS_EMPTY), [0, 0, 0, 0, 0, 10, 0, 0, 0, 0]),
    ("is_not_empty", rule(Operator.IS_NOT_EMPTY), [10, 10, 10, 10, 10, 0, 10, 10, 10, 10]),
]


@pytest.mark.parametrize("rule_, expected", [(r, e) for _, r, e in NUMBER_TABLE], ids=[i for i, _, _ in NUMBER_TABLE])
def test_every_operator_on_a_number_column(rule_: ScoringRule, expected: list[float]) -> None:
    frame = make_frame(number_column("F", NUMBER_VALUES))
    assert_scores(frame, defs_of(rule_), expected)


def test_negative_points_on_a_matching_rule() -> None:
    frame = make_frame(text_column("Occupation", ["Student", " student", "Working Professional", None]))
    assert_scores(frame, defs_of(rule(Operator.EQUALS, "Occupation", -20, value="STUDENT")), [-20, -20, 0, 0])


# --------------------------------------------------------------------------- count
VISITS = [0, 2, 2.5, 6, 10, NAN, -3]


def test_count_times_points_capped_in_absolute_value() -> None:
    """2 points a visit, at most 10: 0→0, 2→4, 2.5→5, 6→12→10, 10→20→10, missing→0, −3→−6."""
    frame = make_frame(number_column("Visits", VISITS))
    assert_scores(frame, defs_of(rule(Operator.COUNT, "Visits", 2, BEH, cap=10)), [0, 4, 5, 10, 10, 0, -6])


def test_count_with_negative_points_is_capped_at_minus_the_cap() -> None:
    """−3 a visit, at most 10 either way: 2→−6, 2.5→−7.5, 6→−18→−10, 10→−30→−10, −3→+9."""
    frame = make_frame(number_column("Visits", VISITS))
    assert_scores(frame, defs_of(rule(Operator.COUNT, "Visits", -3, BEH, cap=10)), [0, -6, -7.5, -10, -10, 0, 9])


def test_count_without_a_cap() -> None:
    frame = make_frame(number_column("Visits", VISITS))
    assert_scores(frame, defs_of(rule(Operator.COUNT, "Visits", 2, BEH)), [0, 4, 5, 12, 20, 0, -6])


def test_count_on_a_text_column_reads_numbers_and_missing_is_zero() -> None:
    """ "3"→3, " 4 "→4, "x" (not a number)→0, None→0, "1,000"→1000, blank→0."""
    frame = make_frame(text_column("Visits", ["3", " 4 ", "x", None, "1,000", "  "]))
    assert_scores(frame, defs_of(rule(Operator.COUNT, "Visits", 1, BEH)), [3, 4, 0, 0, 1000, 0])


def test_count_on_a_column_the_data_lacks_gives_nothing() -> None:
    frame = make_frame(number_column("Visits", [1, 2]))
    assert_scores(frame, defs_of(rule(Operator.COUNT, "Downloads", 5, BEH)), [0, 0])


# --------------------------------------------------------------------------- decay
def test_decay_halves_points_every_half_life_from_a_date_column() -> None:
    """8 points, half-life 10 days, as of 2026-11-24. Ages 0, 10, 20, 5 days, a future date
    (3 days ahead: age 0) and an unknown date (not decayed):
    8, 8×0.5 = 4, 8×0.25 = 2, 8×0.5^0.5 = 5.656854249… → 5.656854, 8, 8."""
    frame = make_frame(number_column("F", [1] * 6), days_column("Last seen", [0, 10, 20, 5, -3, None]))
    r = rule(Operator.IS_NOT_EMPTY, "F", 8, BEH, decay_half_life_days=10, decay_date_field="Last seen")
    scorer = assert_scores(frame, defs_of(r), [8, 4, 2, 5.656854, 8, 8])
    assert scorer.engagement.tolist() == [8, 4, 2, 5.656854, 8, 8]
    assert scorer.fit.tolist() == [0] * 6


def test_decay_reads_iso_text_dates_and_ignores_what_is_not_a_date() -> None:
    """As of 2026-11-24, half-life 10: 2026-11-14 is 10 days → 4; 2026-11-04T09:30 is 20 days
    → 2; "24/11/2026" is not ISO (unknown) → 8; missing → 8; " 2026-11-24 " (trimmed) → 8;
    2026-12-01 is in the future → age 0 → 8."""
    dates = text_column(
        "Last seen", ["2026-11-14", "2026-11-04T09:30:00", "24/11/2026", None, " 2026-11-24 ", "2026-12-01"]
    )
    frame = make_frame(number_column("F", [1] * 6), dates)
    r = rule(Operator.IS_NOT_EMPTY, "F", 8, BEH, decay_half_life_days=10, decay_date_field="Last seen")
    assert_scores(frame, defs_of(r), [4, 2, 8, 8, 8, 8])


def test_decay_on_a_number_column_or_a_missing_column_never_decays() -> None:
    frame = make_frame(number_column("F", [1, 1]), number_column("When", [20000, 20001]))
    on_numbers = rule(Operator.IS_NOT_EMPTY, "F", 8, BEH, decay_half_life_days=10, decay_date_field="When")
    on_nothing = rule(Operator.IS_NOT_EMPTY, "F", 8, BEH, decay_half_life_days=10, decay_date_field="Nope")
    assert_scores(frame, defs_of(on_numbers), [8, 8])
    assert_scores(frame, defs_of(on_nothing), [8, 8])


def test_decay_of_a_count_rule_applies_after_the_cap() -> None:
    """3 visits × 4 = 12, capped at 10, 10 days old with a half-life of 10: 10 × 0.5 = 5.
    1 visit × 4 = 4, 20 days old: 4 × 0.25 = 1."""
    frame = make_frame(number_column("Visits", [3, 1]), days_column("Last seen", [10, 20]))
    r = rule(Operator.COUNT, "Visits", 4, BEH, cap=10, decay_half_life_days=10, decay_date_field="Last seen")
    assert_scores(frame, defs_of(r), [5, 1])


def test_as_of_date_is_the_scoring_setting_else_the_workshop_date() -> None:
    """Dates at 2026-11-24 minus (0, 10, 20) days, 8 points, half-life 10.
    As of the workshop date 2026-11-24: 8, 4, 2.
    As of the scoring setting 2026-12-04 (10 days later, wins over the workshop date):
    ages 10, 20, 30 → 4, 2, 1."""
    frame = make_frame(number_column("F", [1, 1, 1]), days_column("Last seen", [0, 10, 20]))
    r = rule(Operator.IS_NOT_EMPTY, "F", 8, BEH, decay_half_life_days=10, decay_date_field="Last seen")
    workshop = Definitions(rules=[r], team=TeamTargets(date=AS_OF), scoring=ScoringSettings(as_of_date=None))
    assert_scores(frame, workshop, [8, 4, 2])
    setting = Definitions(
        rules=[r], team=TeamTargets(date=AS_OF), scoring=ScoringSettings(as_of_date=dt.date(2026, 12, 4))
    )
    assert_scores(frame, setting, [4, 2, 1])


# --------------------------------------------------------------------------- incomplete and absent
INCOMPLETE = [
    ("no value", rule(Operator.EQUALS, value="  ")),
    ("no values", rule(Operator.ONE_OF, values=["", " "])),
    ("no field", rule(Operator.IS_NOT_EMPTY, field=" ")),
    ("min above max", rule(Operator.BETWEEN, minimum=5, maximum=1)),
    ("no minimum", rule(Operator.AT_LEAST)),
    ("no maximum", rule(Operator.AT_MOST)),
    ("count as fit", rule(Operator.COUNT, kind=FIT)),
    ("cap on equals", rule(Operator.EQUALS, value="Google", cap=5)),
    ("half-life without date", rule(Operator.IS_NOT_EMPTY, decay_half_life_days=10)),
    ("date without half-life", rule(Operator.IS_NOT_EMPTY, decay_date_field="F")),
]


@pytest.mark.parametrize("rule_", [r for _, r in INCOMPLETE], ids=[i for i, _ in INCOMPLETE])
def test_an_incomplete_rule_gives_no_points(rule_: ScoringRule) -> None:
    frame = make_frame(text_column("F", ["Google", None, "2"]))
    assert_scores(frame, defs_of(rule_), [0, 0, 0])


def test_a_rule_on_a_column_the_data_lacks_sees_every_lead_as_missing() -> None:
    frame = make_frame(text_column("F", ["a", "b"]))
    assert_scores(frame, defs_of(rule(Operator.EQUALS, "Budget", value="x")), [0, 0])
    assert_scores(frame, defs_of(rule(Operator.AT_LEAST, "Budget", minimum=0)), [0, 0])
    assert_scores(frame, defs_of(rule(Operator.IS_NOT_EMPTY, "Budget")), [0, 0])
    assert_scores(frame, defs_of(rule(Operator.IS_EMPTY, "Budget")), [10, 10])
    assert_scores(frame, defs_of(rule(Operator.NOT_EQUALS, "Budget", value="x")), [10, 10])
    assert_scores(frame, defs_of(rule(Operator.NOT_ONE_OF, "Budget", values=["x"])), [10, 10])


# --------------------------------------------------------------------------- fit, engagement, gate
def _split_frame() -> LeadFrame:
    return make_frame(
        text_column("Occupation", ["Working Professional", "Student", None, "working professional"]),
        number_column("Visits", [1, 8, 3, NAN]),
        number_column("Time", [700, 100, 600, 599]),
    )


SPLIT_RULES = [
    rule(Operator.EQUALS, "Occupation", 25, FIT, value="Working Professional"),
    rule(Operator.EQUALS, "Occupation", -10, FIT, value="Student"),
    rule(Operator.IS_EMPTY, "Occupation", -5, FIT),
    rule(Operator.COUNT, "Visits", 2, BEH, cap=10),
    rule(Operator.AT_LEAST, "Time", 15, BEH, minimum=600),
]


def test_fit_and_engagement_are_split_by_rule_kind() -> None:
    """fit: 25, −10, −5, 25; engagement: 2+15 = 17, 16→10 + 0 = 10, 6+15 = 21, 0+0 = 0;
    scores 42, 0, 16, 25."""
    scorer = assert_scores(_split_frame(), defs_of(*SPLIT_RULES), [42, 0, 16, 25])
    assert scorer.fit.tolist() == [25, -10, -5, 25]
    assert scorer.engagement.tolist() == [17, 10, 21, 0]


def test_handoff_needs_the_threshold_and_the_minimum_fit() -> None:
    """Scores 42, 0, 16, 25 with fit 25, −10, −5, 25."""
    scorer = Scorer(_split_frame(), defs_of(*SPLIT_RULES))
    assert scorer.handoff(16, None).tolist() == [True, False, True, True]  # 16 exactly passes
    assert scorer.handoff(16, 0).tolist() == [True, False, False, True]  # fit −5 < 0
    assert scorer.handoff(16, 25).tolist() == [True, False, False, True]  # fit 25 ≥ 25
    assert scorer.handoff(16, 26).tolist() == [False, False, False, False]
    assert scorer.handoff(43, None).tolist() == [False] * 4
    defs = defs_of(*SPLIT_RULES, threshold=16, minimum_fit=0)
    assert [score_lead(defs, _split_frame().lead(i)).handoff for i in range(4)] == [True, False, False, True]


def test_non_whole_scores_are_rounded_to_six_decimals() -> None:
    """0.1 + 0.2 is 0.30000000000000004 in floating point: the score is 0.3 exactly, so a
    threshold of 0.3 passes it. An engagement from decay: 1 × 0.5^(1/7) = 0.905723664… →
    0.905724."""
    frame = make_frame(text_column("F", ["x", "y"]), days_column("Seen", [1, 1]))
    rules = [
        rule(Operator.IS_NOT_EMPTY, "F", 0.1),
        rule(Operator.IS_NOT_EMPTY, "F", 0.2),
        rule(Operator.EQUALS, "F", 1, BEH, value="y", decay_half_life_days=7, decay_date_field="Seen"),
    ]
    scorer = assert_scores(frame, defs_of(*rules), [0.3, 1.205724])
    assert scorer.fit.tolist() == [0.3, 0.3]
    assert scorer.engagement.tolist() == [0, 0.905724]
    assert scorer.handoff(0.3, None).tolist() == [True, True]
    assert scorer.handoff(1.205724, 0.3).tolist() == [False, True]


# --------------------------------------------------------------------------- incremental updates
def _update_frame() -> LeadFrame:
    return make_frame(
        text_column("Segment", ["A", "B", "a", None, "C", "B"]),
        text_column("Source", ["Google", "Reference", "Bing", "Google", None, "reference"]),
        number_column("Visits", [3, 0, 7, NAN, 1, 12]),
        days_column("Seen", [0, 7, 14, None, 28, 3]),
    )


def _base_rules() -> list[ScoringRule]:
    return [
        ScoringRule(uid="seg", kind=FIT, field="Segment", operator=Operator.EQUALS, value="A", points=10),
        ScoringRule(uid="src", kind=FIT, field="Source", operator=Operator.ONE_OF, values=["Reference"], points=5),
        ScoringRule(uid="vis", kind=BEH, field="Visits", operator=Operator.COUNT, points=2, cap=10),
        ScoringRule(
            uid="fresh",
            kind=BEH,
            field="Segment",
            operator=Operator.IS_NOT_EMPTY,
            points=8,
            decay_half_life_days=7,
            decay_date_field="Seen",
        ),
        ScoringRule(uid="neg", kind=FIT, field="Source", operator=Operator.IS_EMPTY, points=-20),
    ]


def test_incremental_updates_equal_a_fresh_score_after_every_kind_of_edit() -> None:
    frame = _update_frame()
    rules = _base_rules()
    scorer = Scorer(frame, defs_of(*rules))
    # By hand: seg (A, a) +10 → 10, 0, 10, 0, 0, 0; src (Reference ×2) +5 → 0, 5, 0, 0, 0, 5;
    # neg (Source missing) −20 → lead 4; vis 2 each, cap 10 → 6, 0, 10, 0, 2, 10;
    # fresh: 8 × 0.5^(age/7) for a present Segment, ages 0, 7, 14, −, 28, 3 →
    #        8, 4, 2, 0 (Segment missing), 0.5, 8 × 0.5^(3/7) = 5.943977… → 5.943977
    assert scorer.fit.tolist() == [10, 5, 10, 0, -20, 5]
    assert scorer.engagement.tolist() == [14, 4, 12, 0, 2.5, 15.943977]
    assert scorer.score.tolist() == [24, 9, 22, 0, -17.5, 20.943977]
    assert scorer.update(defs_of(*rules)) is False  # nothing changed

    def edit(uid: str, **changes: Any) -> None:
        for k, r in enumerate(rules):
            if r.uid == uid:
                rules[k] = r.model_copy(update=changes)

    # points: seg 10 → 15
    edit("seg", points=15)
    assert scorer.update(defs_of(*rules)) is True
    assert_same_as_fresh(scorer, defs_of(*rules))
    assert scorer.fit.tolist() == [15, 5, 15, 0, -20, 5]
    # operator: src one_of → not_one_of (missing now matches too)
    edit("src", operator=Operator.NOT_ONE_OF)
    scorer.update(defs_of(*rules))
    assert_same_as_fresh(scorer, defs_of(*rules))
    # src not_one_of Reference: 5, 0, 5, 5, 5 (missing), 0
    assert scorer.fit.tolist() == [20, 0, 20, 5, -15, 0]
    # field: neg reads Segment instead of Source (lead 3 has no Segment)
    edit("neg", field="Segment")
    scorer.update(defs_of(*rules))
    assert_same_as_fresh(scorer, defs_of(*rules))
    assert scorer.fit.tolist() == [20, 0, 20, -15, 5, 0]
    # kind: seg becomes a behaviour rule
    edit("seg", kind=BEH)
    scorer.update(defs_of(*rules))
    assert_same_as_fresh(scorer, defs_of(*rules))
    assert scorer.fit.tolist() == [5, 0, 5, -15, 5, 0]
    # remove a (decayed) rule
    rules = [r for r in rules if r.uid != "fresh"]
    scorer.update(defs_of(*rules))
    assert_same_as_fresh(scorer, defs_of(*rules))
    assert scorer.engagement.tolist() == [21, 0, 25, 0, 2, 10]
    # add a rule
    rules.append(ScoringRule(uid="new", kind=BEH, field="Source", operator=Operator.CONTAINS, value="oo", points=3))
    scorer.update(defs_of(*rules))
    assert_same_as_fresh(scorer, defs_of(*rules))
    assert scorer.engagement.tolist() == [24, 0, 25, 3, 2, 10]
    assert scorer.score.tolist() == [29, 0, 30, -12, 7, 10]


def test_many_changed_rules_at_once_rescore_from_scratch() -> None:
    assert Scorer.REBUILD_AFTER == 6
    frame = _update_frame()
    rules = [
        ScoringRule(uid=f"r{k}", kind=FIT, field="Segment", operator=Operator.IS_NOT_EMPTY, points=k)
        for k in range(1, 9)
    ]
    scorer = Scorer(frame, defs_of(*rules))
    # 1 + 2 + … + 8 = 36 for each lead with a Segment
    assert scorer.score.tolist() == [36, 36, 36, 0, 36, 36]
    changed = [r.model_copy(update={"points": r.points * 2}) for r in rules[:7]] + rules[7:]
    assert scorer.update(defs_of(*changed)) is True  # 7 changes > 6: rebuilt
    assert_same_as_fresh(scorer, defs_of(*changed))
    # 2 × (1 + … + 7) + 8 = 64
    assert scorer.score.tolist() == [64, 64, 64, 0, 64, 64]
    # exactly REBUILD_AFTER changes (4 removed, 2 changed) go incrementally, same result
    fewer = [r.model_copy(update={"points": 1}) for r in changed[:2]] + changed[6:]
    scorer.update(defs_of(*fewer))
    assert_same_as_fresh(scorer, defs_of(*fewer))
    # 1 + 1 + 14 + 8 = 24
    assert scorer.score.tolist() == [24, 24, 24, 0, 24, 24]


def test_update_that_moves_the_as_of_date_rescores_decayed_rules() -> None:
    frame = _update_frame()
    rules = _base_rules()
    scorer = Scorer(frame, defs_of(*rules))
    later = defs_of(*rules, as_of_date=AS_OF + dt.timedelta(days=7))
    assert scorer.update(later) is True
    assert_same_as_fresh(scorer, later)
    # fresh is now 7 days older: 4, 2, 1, 0, 0.25, 8 × 0.5^(10/7) = 2.971988…
    assert scorer.engagement.tolist() == [10, 2, 11, 0, 2.25, 12.971989]


def test_removing_a_decayed_rule_leaves_whole_scores_exact() -> None:
    """A whole rule (+10) and a decayed one on the same fit score: 15 × 0.5^(1/10) =
    13.995494873…; a fresh score of the whole rule alone is exactly 10, which passes a
    threshold of 10. Updating by subtraction leaves 10 + 13.9954… − 13.9954… and must not
    leave 9.999999999999998 behind (the scores are whole again, so they are not rounded)."""
    frame = make_frame(text_column("F", ["x", "y"]), days_column("Seen", [1, 1]))
    whole = ScoringRule(uid="w", kind=FIT, field="F", operator=Operator.IS_NOT_EMPTY, points=10)
    decayed = ScoringRule(
        uid="d",
        kind=FIT,
        field="F",
        operator=Operator.IS_NOT_EMPTY,
        points=15,
        decay_half_life_days=10,
        decay_date_field="Seen",
    )
    scorer = Scorer(frame, defs_of(whole, decayed))
    assert scorer.score.tolist() == [23.995495, 23.995495]
    scorer.update(defs_of(whole))
    assert (scorer.score.tolist(), scorer.handoff(10, None).tolist()) == ([10, 10], [True, True])
    assert_same_as_fresh(scorer, defs_of(whole))


def test_update_that_moves_the_as_of_date_and_drops_the_decay_at_once() -> None:
    """The decayed rule's old points must be taken out as they were put in (as of the old
    date): +10 whole, and 8 points halving weekly on ages 0 and 7 days → 18 and 14. Then,
    in one update, the as-of date moves 30 days and the decayed rule is removed: 10, 10."""
    frame = make_frame(text_column("F", ["x", "y"]), days_column("Seen", [0, 7]))
    whole = ScoringRule(uid="w", kind=BEH, field="F", operator=Operator.IS_NOT_EMPTY, points=10)
    decayed = ScoringRule(
        uid="d",
        kind=BEH,
        field="F",
        operator=Operator.IS_NOT_EMPTY,
        points=8,
        decay_half_life_days=7,
        decay_date_field="Seen",
    )
    scorer = Scorer(frame, defs_of(whole, decayed))
    assert scorer.score.tolist() == [18, 14]
    later = defs_of(whole, as_of_date=AS_OF + dt.timedelta(days=30))
    scorer.update(later)
    assert scorer.score.tolist() == [10, 10]
    assert_same_as_fresh(scorer, later)


# --------------------------------------------------------------------------- columns
def test_a_column_holds_the_arrays_of_its_kind_and_codes_any_kind_on_demand() -> None:
    text = text_column("T", ["b", None, "a", "b"])
    number = number_column("N", [2.5, NAN, 1.0, 2.5])
    days = days_column("D", [0, None, 1, 0])  # as of, missing, the day before, as of
    before = AS_OF - dt.timedelta(days=1)
    assert (text.kind, number.kind, days.kind) == (ColumnKind.CODES, ColumnKind.NUMBER, ColumnKind.DATE)
    assert text.codes.tolist() == [0, 2, 1, 0] and text.labels == ["b", "a"]
    assert text.coded()[0] is text.codes
    codes, labels = number.coded()  # the distinct values in order; missing is len(labels)
    assert codes.tolist() == [1, 2, 0, 1] and labels == [1.0, 2.5]
    codes, labels = days.coded()
    assert codes.tolist() == [1, 2, 0, 1] and labels == [before, AS_OF]
    assert [text.value(i) for i in range(4)] == ["b", None, "a", "b"]
    assert [number.value(i) for i in range(4)] == [2.5, None, 1.0, 2.5]
    assert [days.value(i) for i in range(4)] == [AS_OF, None, before, AS_OF]
    for col in (text, number, days):
        assert len(col) == 4 and col.missing_mask().tolist() == [False, True, False, False]
    # An array the kind does not have is a mistake, reported with the column's name.
    with pytest.raises(AssertionError, match="'N' is a number column: it has no codes"):
        _ = number.codes
    with pytest.raises(AssertionError, match="'T' is a codes column: it has no values"):
        _ = text.values
    with pytest.raises(ValueError, match="a number column takes values"):
        Column("X", ColumnKind.NUMBER, codes=np.zeros(1, np.uint8), labels=[])
    with pytest.raises(ValueError, match="a codes column takes codes and labels"):
        Column("X", ColumnKind.CODES, codes=np.zeros(1, np.uint8), values=np.zeros(1))


# --------------------------------------------------------------------------- from_lead_data
def _lead_data() -> LeadData:
    from models.leads.types import ColumnType, LeadData, Mapping, QualitySummary, SourceInfo

    utc = dt.UTC
    created = [
        dt.datetime(2026, 11, 1, 9, tzinfo=utc),
        dt.datetime(2026, 11, 8, 17, tzinfo=utc),
        None,
        dt.datetime(2026, 11, 21, tzinfo=utc),
    ]
    table = pa.table(
        {
            "id": pa.array(["a-0", "a-1", "a-2", "a-3"], pa.string()),
            "outcome": pa.array([True, False, False, True], pa.bool_()),
            "revenue": pa.array([100.0, None, 50.0, 0.0], pa.float64()),
            "created": pa.array(created, pa.timestamp("us", tz="UTC")),
            "Visits": pa.array([3.0, None, 7.0, 0.0], pa.float64()),
            "Lead Source": pa.array(["Google", "Reference", None, "google"]).dictionary_encode(),
            "Do Not Email": pa.array(["Yes", "No", "No", "No"]).dictionary_encode(),
            "Active": pa.array([True, None, False, True], pa.bool_()),
            "Notes": pa.array(["hot lead", None, "", "call back"], pa.string()),
        }
    )
    mapping = Mapping(
        id="Prospect ID",
        outcome="Converted",
        revenue="Amount",
        created="Created On",
        types={
            "Visits": ColumnType.NUMBER,
            "Lead Source": ColumnType.CATEGORY,
            "Do Not Email": ColumnType.YESNO,
            "Active": ColumnType.YESNO,
            "Notes": ColumnType.TEXT,
        },
    )
    quality = QualitySummary(
        rows=4,
        positives=2,
        missing={},
        duplicate_ids=0,
        duplicate_emails=0,
        first_date=dt.date(2026, 11, 1),
        last_date=dt.date(2026, 11, 21),
        merged_spellings={},
        placeholders_replaced=0,
    )
    return LeadData(
        table=table, mapping=mapping, quality=quality, sources=[SourceInfo("leads.csv", 1, "00" * 32, "csv")]
    )


def test_lead_frame_from_lead_data_scores_every_column_type_and_the_file_s_own_names() -> None:
    """As of 2026-11-22.
    lead  id   src        visits  DNE  active  notes      amount  created
    0     a-0  Google     3       Yes  True    hot lead   100     11-01 (21 days)
    1     a-1  Reference  -       No   -       -          -       11-08 (14 days)
    2     a-2  -          7       No   False   ""         50      -
    3     a-3  google     0       No   True    call back  0       11-21 (1 day)
    fit: id (alias "Prospect ID") = a-1 +5; source one_of google +10; DNE yes −10; Active yes +3
        → 10−10+3 = 3, 5, 0, 10+3 = 13
    engagement: visits ×2 cap 10 → 6, 0, 10, 0; notes empty +1 → 0, 1, 1, 0;
        amount (alias of revenue) ≥ 50 +4 → 4, 0, 4, 0;
        id present +8 halving weekly since "Created On" (alias of created) →
        8×0.5^3 = 1, 8×0.5^2 = 2, 8 (date unknown), 8×0.5^(1/7) = 7.245789…
        → 11, 3, 23, 7.245789
    """
    frame = LeadFrame.from_lead_data(_lead_data())
    rules = [
        rule(Operator.EQUALS, "Prospect ID", 5, value="A-1"),
        rule(Operator.ONE_OF, "Lead Source", 10, values=["GOOGLE"]),
        rule(Operator.EQUALS, "Do Not Email", -10, value="yes"),
        rule(Operator.EQUALS, "Active", 3, value="Yes"),
        rule(Operator.COUNT, "Visits", 2, BEH, cap=10),
        rule(Operator.IS_EMPTY, "Notes", 1, BEH),
        rule(Operator.AT_LEAST, "Amount", 4, BEH, minimum=50),
        rule(Operator.IS_NOT_EMPTY, "Prospect ID", 8, BEH, decay_half_life_days=7, decay_date_field="Created On"),
    ]
    defs = defs_of(*rules, as_of_date=dt.date(2026, 11, 22))
    scorer = assert_scores(frame, defs, [14, 8, 23, 20.245789])
    assert scorer.fit.tolist() == [3, 5, 0, 13]
    assert scorer.engagement.tolist() == [11, 3, 23, 7.245789]
    assert frame.outcome.tolist() == [True, False, False, True]
    assert frame.revenue is not None
    assert frame.revenue.tolist() == [100, 0, 50, 0]  # a missing amount counts as 0 captured
    assert frame.ids() == ["a-0", "a-1", "a-2", "a-3"]
    assert frame.lead_id(2) == "a-2"
    assert frame.has("Prospect ID") and frame.has("id") and not frame.has("Lead Id")
    assert frame.aliases == {"Prospect ID": "id", "Converted": "outcome", "Amount": "revenue", "Created On": "created"}
    # 2026-11-01 … 2026-11-21 inclusive is 21 days: 3 weeks
    assert frame.weeks_from_dates == 3.0


def test_weeks_from_dates_span_first_to_last_inclusive() -> None:
    def weeks(days: list[float] | None) -> float | None:
        return LeadFrame(
            0 if days is None else len(days),
            np.zeros(0 if days is None else len(days), bool),
            created_days=None if days is None else np.array(days, float),
        ).weeks_from_dates

    assert weeks([100, 113, NAN, 106]) == 2.0  # 113 − 100 + 1 = 14 days
    assert weeks([100]) == pytest.approx(1 / 7)  # one day
    assert weeks([NAN, NAN]) is None
    assert weeks(None) is None
    assert weeks([0, 9]) == pytest.approx(10 / 7)


def test_a_long_run_of_random_edits_keeps_scores_and_sweep_equal_to_fresh_ones() -> None:
    """Incremental updates (per-point arrays, tracked score range, trimmed sweep) against a
    fresh Scorer and sweep after every one of 150 random edits. (It found that a count rule
    of kind fit, which does not score, must not be moved by the per-point shortcut.)"""
    import random

    from models.definitions import Definitions, Operator, RuleKind, ScoringRule, ScoringSettings
    from models.engine import Scorer
    from models.lead_frame import Column, LeadFrame
    from models.threshold_sweep import sweep

    rng = np.random.default_rng(7)
    n = 3000
    labels = ["a", "b", "c", "d", "e"]
    frame = LeadFrame(
        n,
        rng.random(n) < 0.3,
        revenue=rng.random(n) * 1000,
        columns={
            "cat": Column.from_labels("cat", rng.integers(0, len(labels) + 1, n), labels),
            "num": Column.from_numbers("num", np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 20, n))),
        },
    )
    rules = [
        ScoringRule(uid="r0", kind=RuleKind.FIT, field="cat", operator=Operator.EQUALS, value="a", points=10),
        ScoringRule(uid="r1", kind=RuleKind.FIT, field="cat", operator=Operator.ONE_OF, values=["b", "c"], points=-5),
        ScoringRule(uid="r2", kind=RuleKind.BEHAVIOUR, field="num", operator=Operator.COUNT, points=2, cap=15),
        ScoringRule(uid="r3", kind=RuleKind.BEHAVIOUR, field="num", operator=Operator.AT_LEAST, minimum=10, points=7),
        ScoringRule(uid="r4", kind=RuleKind.BEHAVIOUR, field="num", operator=Operator.COUNT, points=0.5),
    ]
    defs = Definitions(rules=rules, scoring=ScoringSettings(threshold=10))
    scorer = Scorer(frame, defs)
    sweep(scorer, None)
    pick = random.Random(11)
    for step in range(150):
        d = defs.model_copy(deep=True)
        rule = pick.choice(d.rules)
        roll = pick.random()
        if roll < 0.6:
            rule.points = pick.choice([-30, -7.5, -1, 0, 1, 3, 12.25, 40, 100])
        elif roll < 0.75:
            rule.kind = RuleKind.FIT if rule.kind == RuleKind.BEHAVIOUR else RuleKind.BEHAVIOUR
        elif roll < 0.85 and rule.operator == Operator.COUNT and rule.cap is not None:
            rule.cap = pick.choice([5, 15, 50])
        else:
            rule.label = f"renamed {step}"
        defs = d
        scorer.update(defs)
        fresh = Scorer(frame, defs)
        assert np.array_equal(scorer.score, fresh.score), step
        got, want = sweep(scorer, None), sweep(fresh, None)
        assert got.lo == want.lo and np.array_equal(got.passed, want.passed), step
        assert np.array_equal(got.opportunities, want.opportunities), step
        assert np.array_equal(got.histogram_won, want.histogram_won), step
        assert np.allclose(got.revenue, want.revenue), step  # type: ignore[arg-type]
        gated, gated_fresh = sweep(scorer, 5.0), sweep(fresh, 5.0)  # with a minimum fit
        assert gated.lo == gated_fresh.lo and np.array_equal(gated.passed, gated_fresh.passed), step
