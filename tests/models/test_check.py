"""The threshold check (models.check) on small frames worked out by hand, and on the real
X Education leads against an independent row-by-row computation written here."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pytest

from models.check import ThresholdCheck
from models.definitions import (
    Definitions,
    Operator,
    RuleKind,
    ScoreBand,
    ScoringRule,
    ScoringSettings,
    TeamTargets,
)
from models.lead_frame import Column, LeadFrame, day_number
from tests.paths import X_EDUCATION

NAN = float("nan")
AS_OF = dt.date(2026, 11, 24)
FIT, BEH = RuleKind.FIT, RuleKind.BEHAVIOUR
approx = pytest.approx


def text_column(name: str, values: list[Any]) -> Column:
    labels: list[Any] = []
    for v in values:
        if v is not None and v not in labels:
            labels.append(v)
    codes = np.array([len(labels) if v is None else labels.index(v) for v in values], dtype=np.int32)
    return Column.from_labels(name, codes, labels)


def number_column(name: str, values: list[float]) -> Column:
    return Column.from_numbers(name, np.array(values, dtype=np.float64))


# --------------------------------------------------------------------------- the ten leads
#  lead  Segment  Eng  fit  score  won  revenue  created (day)
#  0     A        40   10   50     yes  1000      0
#  1     A        35   10   45     yes  2000      3
#  2     B        40    0   40     no      0      6
#  3     A        30   10   40     yes   500      9
#  4     B        35    0   35     yes   700     12
#  5     A        20   10   30     no      0     15
#  6     B        30    0   30     no      0     18
#  7     A        10   10   20     yes   300     21
#  8     B        10    0   10     no      0     24
#  9     -         0    0    0     no      0     27
# 5 opportunities of 10 (overall rate 0.5); creation days 0 … 27 span 28 days = 4 weeks.
SEGMENT = ["A", "A", "B", "A", "B", "A", "B", "A", "B", None]
ENG: list[float] = [40, 35, 40, 30, 35, 20, 30, 10, 10, 0]
WON = [True, True, False, True, True, False, False, True, False, False]
REVENUE = [1000, 2000, 0, 500, 700, 0, 0, 300, 0, 0]
CREATED = [20000 + 3 * k for k in range(10)]

# Whole thresholds 0 … 51 (lowest score … highest + 1), by hand from the table above:
#   t        passed  opportunities
#   0        10      5
#   1–10      9      5     (lead 9 out)
#   11–20     8      5     (lead 8 out)
#   21–30     7      4     (lead 7 out)
#   31–35     5      4     (leads 5, 6 out)
#   36–40     4      3     (lead 4 out)
#   41–45     2      2     (leads 2, 3 out)
#   46–50     1      1     (lead 1 out)
#   51        0      0
RANGES = [
    (0, 0, 10, 5),
    (1, 10, 9, 5),
    (11, 20, 8, 5),
    (21, 30, 7, 4),
    (31, 35, 5, 4),
    (36, 40, 4, 3),
    (41, 45, 2, 2),
    (46, 50, 1, 1),
    (51, 51, 0, 0),
]
PASSED = [p for lo, hi, p, _ in RANGES for _ in range(lo, hi + 1)]
OPPS = [o for lo, hi, _, o in RANGES for _ in range(lo, hi + 1)]

RULES = [
    ScoringRule(
        uid="seg", kind=FIT, label="Segment A", field="Segment", operator=Operator.EQUALS, value="a", points=10
    ),
    ScoringRule(uid="eng", kind=BEH, label="Engagement", field="Eng", operator=Operator.COUNT, points=1),
]


def ten_leads(*, dates: bool = True, won: list[bool] | None = None) -> LeadFrame:
    return LeadFrame(
        10,
        np.array(won if won is not None else WON),
        revenue=np.array(REVENUE, float),
        created_days=np.array(CREATED, float) if dates else None,
        columns={"Segment": text_column("Segment", SEGMENT), "Eng": number_column("Eng", ENG)},
    )


def definitions(
    *,
    threshold: float = 40,
    target: float = 0.6,
    reps: int = 1,
    per_rep: int = 2,
    baseline: float = 0.05,
    weeks: float | None = None,
    minimum_fit: float | None = None,
    bands: list[ScoreBand] | None = None,
    rules: list[ScoringRule] | None = None,
) -> Definitions:
    return Definitions(
        rules=list(RULES if rules is None else rules),
        bands=bands or [],
        team=TeamTargets(baseline_rate=baseline, target_rate=target, reps=reps, leads_per_rep_per_week=per_rep),
        scoring=ScoringSettings(threshold=threshold, minimum_fit=minimum_fit, as_of_date=AS_OF, history_weeks=weeks),
    )


def ten_check(**kwargs: Any) -> ThresholdCheck:
    dates = kwargs.pop("dates", True)
    won = kwargs.pop("won", None)
    return ThresholdCheck(ten_leads(dates=dates, won=won), definitions(**kwargs))


def test_the_ten_leads_score_as_tabled() -> None:
    check = ten_check()
    assert check.scorer.score.tolist() == [50, 45, 40, 40, 35, 30, 30, 20, 10, 0]
    assert check.scorer.fit.tolist() == [10, 10, 0, 10, 0, 10, 0, 10, 0, 0]


# --------------------------------------------------------------------------- figures
def test_figures_at_the_threshold_with_weeks_from_creation_dates() -> None:
    """At 40: leads 0–3 pass (two exactly at 40), 3 became opportunities.
    rate 3/4 = 0.75; coverage 3/5 = 0.6; lift 0.75/0.5 = 1.5; advantage 0.75/0.05 = 15;
    weeks (27 − 0 + 1)/7 = 4; weekly 4/4 = 1; capacity 1 × 2 = 2; utilisation 0.5;
    revenue 1000 + 2000 + 0 + 500 = 3500."""
    fig = ten_check().figures()
    assert (fig.threshold, fig.passed, fig.opportunities) == (40.0, 4, 3)
    assert fig.rate == 0.75
    assert fig.coverage == 0.6
    assert fig.lift == 1.5
    assert fig.advantage == approx(15)
    assert fig.weeks == 4.0
    assert fig.weekly_volume == 1.0
    assert fig.capacity == 2
    assert fig.utilisation == 0.5
    assert fig.revenue == 3500.0
    assert (fig.leads, fig.all_opportunities, fig.overall_rate) == (10, 5, 0.5)
    assert (fig.target_rate, fig.baseline_rate) == (0.6, 0.05)
    assert fig.rate_ok and fig.volume_ok


def test_entered_history_weeks_win_over_the_creation_dates() -> None:
    """History of 2 weeks: 4 passed → 2 a week, utilisation 2/2 = 1 (still within capacity)."""
    fig = ten_check(weeks=2).figures(40)
    assert (fig.weeks, fig.weekly_volume, fig.utilisation) == (2.0, 2.0, 1.0)
    assert fig.volume_ok


def test_without_weeks_the_volume_is_unknown() -> None:
    fig = ten_check(dates=False).figures(40)
    assert (fig.weeks, fig.weekly_volume, fig.utilisation) == (None, None, None)
    assert not fig.volume_ok


@pytest.mark.parametrize(
    "threshold, passed, opps, revenue",
    [
        (50, 1, 1, 1000),  # the top score itself passes
        (45, 2, 2, 3000),  # tie at 45
        (30, 7, 4, 4200),  # two leads exactly at 30: 1000+2000+0+500+700+0+0
        (0, 10, 5, 4500),  # the lowest score
        (-5, 10, 5, 4500),  # below every score
        (39.5, 4, 3, 3500),  # fractional: same as 40
        (40.5, 2, 2, 3000),  # fractional: 50 and 45 only
        (20.000001, 7, 4, 4200),  # lead 7 (20) is out
    ],
)
def test_figures_at_other_thresholds(threshold: float, passed: int, opps: int, revenue: float) -> None:
    fig = ten_check().figures(threshold)
    assert (fig.passed, fig.opportunities, fig.revenue) == (passed, opps, revenue)
    assert fig.rate == approx(opps / passed)
    assert fig.weekly_volume == approx(passed / 4)


@pytest.mark.parametrize("threshold", [51, 50.5, 1000])
def test_a_threshold_above_every_score_passes_nobody(threshold: float) -> None:
    fig = ten_check().figures(threshold)
    assert (fig.passed, fig.opportunities, fig.revenue) == (0, 0, 0.0)
    assert (fig.rate, fig.lift, fig.advantage) == (None, None, None)
    assert fig.coverage == 0.0
    assert (fig.weekly_volume, fig.utilisation) == (0.0, 0.0)
    assert not fig.rate_ok


def test_fractional_scores_at_fractional_thresholds() -> None:
    """0.25 points a visit, visits 41, 42, 43, 44 → 10.25, 10.5, 10.75, 11; won: leads 1, 3."""
    frame = LeadFrame(
        4, np.array([False, True, False, True]), columns={"Visits": number_column("Visits", [41, 42, 43, 44])}
    )
    rule = ScoringRule(kind=BEH, field="Visits", operator=Operator.COUNT, points=0.25)
    check = ThresholdCheck(frame, definitions(rules=[rule]))
    assert check.scorer.score.tolist() == [10.25, 10.5, 10.75, 11]
    counts = {
        t: (check.figures(t).passed, check.figures(t).opportunities) for t in (10, 10.25, 10.5, 10.6, 10.75, 11, 11.01)
    }
    assert counts == {10: (4, 2), 10.25: (4, 2), 10.5: (3, 2), 10.6: (2, 1), 10.75: (2, 1), 11: (1, 1), 11.01: (0, 0)}


def test_the_minimum_fit_gate_in_the_figures() -> None:
    """Minimum fit 10 keeps only Segment A (leads 0, 1, 3, 5, 7).
    At 40: leads 0, 1, 3 (lead 2 scores 40 but has fit 0) → 3 passed, 3 won, revenue 3500.
    At 0: all five A leads, 4 won (0, 1, 3, 7), revenue 1000 + 2000 + 500 + 0 + 300 = 3800."""
    check = ten_check(minimum_fit=10)
    fig = check.figures(40)
    assert (fig.passed, fig.opportunities, fig.rate, fig.revenue) == (3, 3, 1.0, 3500.0)
    assert fig.coverage == 0.6
    fig0 = check.figures(0)
    assert (fig0.passed, fig0.opportunities, fig0.revenue) == (5, 4, 3800.0)
    assert check.figures(39.5).passed == 3
    assert check.figures(-100).passed == 5
    # Lowering the gate after the first sweep: the figures follow.
    check.update(definitions(minimum_fit=0))
    assert check.figures(40).passed == 4


def test_after_removing_a_decayed_rule_the_figures_equal_a_fresh_check() -> None:
    """Two leads, both won, each +10 (whole) and +15 × 0.5^(1/10) = 13.995495 (decayed one
    day on a 10-day half-life): 23.995495 each. Removing the decayed rule in the workshop
    leaves 10 each, so both pass a threshold of 10, as in a check built afresh."""
    as_of = dt.date(2026, 11, 24)
    seen = Column.from_days("Seen", np.array([day_number(as_of) - 1] * 2, dtype=float))  # one day old
    frame = LeadFrame(2, np.array([True, True]), columns={"F": text_column("F", ["x", "y"]), "Seen": seen})
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
    check = ThresholdCheck(frame, definitions(rules=[whole, decayed], threshold=10))
    assert check.figures(10).passed == 2
    check.update(definitions(rules=[whole], threshold=10))
    fresh = ThresholdCheck(frame, definitions(rules=[whole], threshold=10))
    assert fresh.figures(10).passed == 2
    assert check.figures(10).passed == 2


def test_no_opportunity_at_all() -> None:
    check = ten_check(won=[False] * 10)
    fig = check.figures(40)
    assert (fig.passed, fig.opportunities, fig.rate) == (4, 0, 0.0)
    assert (fig.coverage, fig.lift, fig.overall_rate) == (None, None, 0.0)
    assert fig.advantage == 0.0
    assert np.isnan(check.curves()["coverage"]).all()
    rec = check.recommendation()
    assert rec.threshold is None
    assert rec.reason == (
        "No lead in the history became an opportunity, so no threshold can reach the target rate of 60%."
    )


def test_zero_leads() -> None:
    frame = LeadFrame(
        0, np.zeros(0, bool), columns={"Segment": text_column("Segment", []), "Eng": number_column("Eng", [])}
    )
    check = ThresholdCheck(frame, definitions(bands=[ScoreBand(name="Hot", min_score=40)]))
    fig = check.figures(40)
    assert (fig.passed, fig.opportunities, fig.leads, fig.all_opportunities) == (0, 0, 0, 0)
    assert (fig.rate, fig.coverage, fig.lift, fig.overall_rate, fig.weekly_volume, fig.revenue) == (
        None,
        None,
        None,
        None,
        None,
        None,
    )
    rec = check.recommendation()
    assert (rec.threshold, rec.reason) == (None, "There are no leads to check the threshold against.")
    rows = check.bands()
    assert [(r.name, r.leads, r.opportunities, r.rate, r.share) for r in rows] == [("Hot", 0, 0, None, 0.0)]
    assert [d.matched for d in check.rule_diagnostics()] == [0, 0]


# --------------------------------------------------------------------------- curves
def test_curves_give_every_whole_threshold() -> None:
    curves = ten_check().curves()
    assert curves["threshold"].tolist() == list(range(0, 52))
    assert curves["passed"].tolist() == PASSED
    rate = curves["rate"]
    assert np.isnan(rate[51])
    assert rate[:51].tolist() == approx([o / p for o, p in zip(OPPS[:51], PASSED[:51], strict=True)])
    assert curves["coverage"].tolist() == approx([o / 5 for o in OPPS])
    assert curves["weekly"].tolist() == approx([p / 4 for p in PASSED])
    # a few by hand: at 11, 5 of 8 (0.625); at 31, 4 of 5 (0.8); at 41, 2 of 2
    assert (rate[11], rate[31], rate[41]) == (0.625, 0.8, 1.0)


def test_the_sweep_and_the_figures_agree_at_every_whole_threshold() -> None:
    check = ten_check()
    assert [check.figures(t).passed for t in range(0, 52)] == PASSED
    assert [check.figures(t).opportunities for t in range(0, 52)] == OPPS


# --------------------------------------------------------------------------- recommendation
def test_recommendation_is_the_lowest_threshold_meeting_rate_and_capacity() -> None:
    """Target 60%, capacity 2 a week, 4 weeks: the rate first reaches 60% at 11 (5 of 8,
    62.5%), with 8/4 = 2 a week ≤ 2."""
    rec = ten_check(target=0.6).recommendation()
    assert rec.threshold == 11
    assert rec.reason == (
        "the lowest threshold that meets the target rate (62% \u2265 60%) within sales "
        "capacity (2 \u2264 2 leads a week)."
    )


def test_recommendation_climbs_until_the_volume_fits_too() -> None:
    """Capacity 1 a week: 11–30 send 2 or 1.75 a week; 31–35 send 5/4 = 1.25; at 36, 4/4 = 1
    with a rate of 75%."""
    rec = ten_check(target=0.6, per_rep=1).recommendation()
    assert rec.threshold == 36
    assert rec.reason == (
        "the lowest threshold that meets the target rate (75% \u2265 60%) within sales "
        "capacity (1 \u2264 1 leads a week)."
    )


def test_recommendation_with_a_higher_target_rate() -> None:
    """Target 70%: first reached at 31 (80%), 1.25 a week ≤ 2."""
    assert ten_check(target=0.7).recommendation().threshold == 31


def test_recommendation_when_the_rate_is_never_reached() -> None:
    """Scores 10, 20, 30, 30, won: the first and third. Rates: at 10 2 of 4 = 50%;
    11–20 1 of 3; 21–30 1 of 2 = 50%. Best 50%, first at 10, 10 points short of 60%."""
    frame = LeadFrame(
        4,
        np.array([True, False, True, False]),
        created_days=np.array([0, 6, 13, 13], float),
        columns={"Eng": number_column("Eng", [10, 20, 30, 30])},
    )
    check = ThresholdCheck(frame, definitions(rules=[RULES[1]], target=0.6))
    rec = check.recommendation()
    assert rec.threshold is None
    assert rec.reason == (
        "No threshold reaches the target rate of 60%: the best is 50% at 10 points (4 leads passed), 10 points short."
    )


def test_recommendation_when_the_rate_is_reached_only_above_capacity() -> None:
    """Target 90%: only 41–50 reach it (100%). With 0.25 weeks of history, 41–45 send
    2/0.25 = 8 a week and 46–50 send 1/0.25 = 4 a week; capacity 2. The fewest is 4 (at 50),
    4 − 2 = 2 over."""
    rec = ten_check(target=0.9, weeks=0.25).recommendation()
    assert rec.threshold is None
    assert rec.reason == (
        "Every threshold that reaches the target rate of 90% sends more leads than sales can "
        "follow up: the fewest is 4 per week (at 50 points), 2 over the capacity of 2."
    )


def test_recommendation_without_weeks_checks_the_rate_only() -> None:
    rec = ten_check(target=0.6, dates=False).recommendation()
    assert rec.threshold == 11
    assert rec.reason == (
        "the lowest threshold that meets the target rate (62% \u2265 60%). Leads per week "
        "are unknown: enter the weeks the history covers to check capacity too."
    )


def test_recommendation_when_nobody_passes_the_minimum_fit() -> None:
    rec = ten_check(minimum_fit=11).recommendation()
    assert rec.threshold is None
    assert rec.reason == "No lead passes the minimum fit score, so no threshold can be recommended."


def test_recommendation_respects_the_minimum_fit() -> None:
    """Minimum fit 10 (Segment A only: scores 50, 45, 40, 30, 20, won 50, 45, 40, 20):
    target 90% first at 31 (3 of 3), 3/4 = 0.75 a week ≤ 2. Without the gate it is 41."""
    assert ten_check(target=0.9, minimum_fit=10).recommendation().threshold == 31
    assert ten_check(target=0.9).recommendation().threshold == 41


# --------------------------------------------------------------------------- bands
def test_band_table_highest_band_first() -> None:
    """Hot ≥ 40: leads 0–3, 3 won; Warm 20–40: leads 4–7, 2 won (4, 7); Cold 0–20: 8, 9, none."""
    bands = [
        ScoreBand(name="Cold", min_score=0, colour="#000001"),
        ScoreBand(name="Hot", min_score=40, colour="#000003"),
        ScoreBand(name="Warm", min_score=20, colour="#000002"),
    ]
    rows = ten_check(bands=bands).bands()
    assert [(r.name, r.min_score, r.max_score, r.leads, r.opportunities, r.rate, r.share, r.colour) for r in rows] == [
        ("Hot", 40, None, 4, 3, 0.75, 0.4, "#000003"),
        ("Warm", 20, 40, 4, 2, 0.5, 0.4, "#000002"),
        ("Cold", 0, 20, 2, 0, 0.0, 0.2, "#000001"),
    ]


def test_band_table_has_a_row_below_every_band() -> None:
    rows = ten_check(bands=[ScoreBand(name="Warm", min_score=20), ScoreBand(name="Hot", min_score=40)]).bands()
    assert [(r.name, r.min_score, r.max_score, r.leads, r.opportunities, r.rate) for r in rows] == [
        ("Hot", 40, None, 4, 3, 0.75),
        ("Warm", 20, 40, 4, 2, 0.5),
        ("Below every band", None, 20, 2, 0, 0.0),
    ]


def test_band_edges_are_inclusive_and_unnamed_bands_are_named_by_their_edge() -> None:
    """A band at 45: 50 and 45 (both won); below: 8 leads, 3 won (3, 4, 7)."""
    rows = ten_check(bands=[ScoreBand(name="", min_score=45)]).bands()
    assert [(r.name, r.leads, r.opportunities, r.rate) for r in rows] == [
        ("\u2265 45", 2, 2, 1.0),
        ("Below every band", 8, 3, 0.375),
    ]


def test_without_bands_one_row_of_all_leads() -> None:
    rows = ten_check().bands()
    assert [(r.name, r.min_score, r.max_score, r.leads, r.opportunities, r.rate, r.share) for r in rows] == [
        ("All leads", None, None, 10, 5, 0.5, 1.0)
    ]


# --------------------------------------------------------------------------- rule diagnostics
def hundred_leads() -> LeadFrame:
    """100 leads; won: 0–29 and 40–54 (45).
    Webinar  Yes 0–39, No 40–99
    Visits   4 for 0–29, 6 for 30–49, 0 for 50–89, missing 90–99
    Tier     Gold 0–29 (exactly 30), Silver 30–58 (29), missing after
    Region   South 0–59, North 60–99
    Careers  Yes 95–99, missing otherwise"""
    won = [k < 30 or 40 <= k < 55 for k in range(100)]
    return LeadFrame(
        100,
        np.array(won),
        columns={
            "Webinar": text_column("Webinar", ["Yes" if k < 40 else "No" for k in range(100)]),
            "Visits": number_column("Visits", [4] * 30 + [6] * 20 + [0] * 40 + [NAN] * 10),
            "Tier": text_column("Tier", ["Gold" if k < 30 else "Silver" if k < 59 else None for k in range(100)]),
            "Region": text_column("Region", ["South" if k < 60 else "North" for k in range(100)]),
            "Careers": text_column("Careers", [None] * 95 + ["Yes"] * 5),
        },
    )


DIAGNOSED = [
    ScoringRule(
        uid="web",
        kind=BEH,
        label="Attended a webinar",
        field="Webinar",
        operator=Operator.EQUALS,
        value="yes",
        points=20,
    ),
    ScoringRule(uid="noweb", kind=BEH, label="", field="Webinar", operator=Operator.NOT_EQUALS, value="Yes", points=-5),
    ScoringRule(uid="vis", kind=BEH, label="Visits", field="Visits", operator=Operator.COUNT, points=2, cap=10),
    ScoringRule(uid="gold", kind=FIT, label="Gold", field="Tier", operator=Operator.EQUALS, value="Gold", points=5),
    ScoringRule(
        uid="silver", kind=FIT, label="Silver", field="Tier", operator=Operator.EQUALS, value="Silver", points=5
    ),
    ScoringRule(
        uid="north", kind=FIT, label="North", field="Region", operator=Operator.EQUALS, value="North", points=5
    ),
    ScoringRule(
        uid="careers",
        kind=BEH,
        label="Careers page",
        field="Careers",
        operator=Operator.EQUALS,
        value="Yes",
        points=-20,
    ),
    ScoringRule(
        uid="all", kind=BEH, label="Any webinar answer", field="Webinar", operator=Operator.IS_NOT_EMPTY, points=1
    ),
    ScoringRule(uid="budget", kind=FIT, label="Budget", field="Budget", operator=Operator.EQUALS, value="x", points=5),
    ScoringRule(uid="half", kind=FIT, label="Half-made", field="Tier", operator=Operator.EQUALS, value=" ", points=5),
]


def test_rule_diagnostics_by_hand() -> None:
    """web: 40 matched, 30 won (0.75); the other 60, 15 won (0.25); lift 3;
        10·log2(3) = 15.85 → nearest 5: 15.
    noweb: the mirror image: lift 1/3 → −15.85 → −15.
    vis (count): fires for 0–49 (missing and 0 do not fire): 40 won (0.8); the other 50, 5 won
        (0.1); lift 8 → 10·log2(8) = 30 points, per occurrence ÷ median count 4 = 7.5.
    gold: exactly 30 matched (enough), all won (1.0); other 70, 15 won; lift 1/(15/70) = 4.667;
        10·log2(4.667) = 22.2 → 20.
    silver: 29 matched: too few.
    north: 40 matched, none won: no opportunities on one side; lift 0/(45/60) = 0.
    careers: 5 matched: too few. all: 100 matched, nobody left: nearly all, no lift.
    budget: no such column, matches nobody. half: incomplete (blank value)."""
    check = ThresholdCheck(hundred_leads(), definitions(rules=DIAGNOSED))
    d = {r.uid: r for r in check.rule_diagnostics()}
    assert [r.uid for r in check.rule_diagnostics()] == [r.uid for r in DIAGNOSED]

    web = d["web"]
    assert (web.matched, web.matched_rate, web.other_rate, web.note) == (40, 0.75, 0.25, "")
    assert web.lift == approx(3)
    assert web.suggested_points == 15.0
    assert (web.label, web.kind, web.points) == ("Attended a webinar", "behaviour", 20)

    noweb = d["noweb"]
    assert (noweb.matched, noweb.matched_rate, noweb.other_rate) == (60, 0.25, 0.75)
    assert noweb.lift == approx(1 / 3)
    assert noweb.suggested_points == -15.0
    assert noweb.label == noweb.rule  # no label: the rule in words

    vis = d["vis"]
    assert (vis.matched, vis.matched_rate, vis.other_rate) == (50, 0.8, 0.1)
    assert vis.lift == approx(8)
    assert vis.suggested_points == 7.5

    gold = d["gold"]
    assert (gold.matched, gold.matched_rate, gold.note) == (30, 1.0, "")
    assert gold.other_rate == approx(15 / 70)
    assert gold.lift == approx(70 / 15)
    assert gold.suggested_points == 20.0

    silver = d["silver"]
    assert (silver.matched, silver.suggested_points, silver.note) == (29, None, "fires for too few leads to judge")
    # silver: 30–58, won 40–54 = 15 of 29
    assert silver.matched_rate == approx(15 / 29)

    north = d["north"]
    assert (north.matched, north.matched_rate, north.other_rate, north.lift, north.suggested_points) == (
        40,
        0.0,
        0.75,
        0.0,
        None,
    )
    assert north.note == "no opportunities on one side: lift cannot be judged"

    careers = d["careers"]
    assert (careers.matched, careers.matched_rate, careers.suggested_points) == (5, 0.0, None)
    assert careers.note == "fires for too few leads to judge"

    every = d["all"]
    assert (every.matched, every.matched_rate, every.other_rate, every.lift, every.suggested_points) == (
        100,
        0.45,
        None,
        None,
        None,
    )
    assert every.note == "fires for nearly all leads to judge"

    budget = d["budget"]
    assert (budget.matched, budget.suggested_points) == (0, None)
    assert budget.note == "the leads have no column \u201cBudget\u201d"

    half = d["half"]
    assert (half.matched, half.matched_rate, half.lift, half.suggested_points, half.note) == (
        0,
        None,
        None,
        None,
        "incomplete rule",
    )


# --------------------------------------------------------------------------- segments, experiment
def test_segments_rate_and_volume_per_value() -> None:
    """At 40 (weeks 4): A = leads 0, 1, 3, 5, 7: 4 won; passed 0, 1, 3, all won, 0.75 a week.
    B = 2, 4, 6, 8: 1 won (4); passed 2 (lost), 0.25 a week. Missing = 9: nothing."""
    rows = ten_check().segments("Segment")
    assert [
        (r.value, r.leads, r.opportunities, r.rate, r.passed, r.passed_opportunities, r.passed_rate, r.weekly_volume)
        for r in rows
    ] == [
        ("A", 5, 4, 0.8, 3, 3, 1.0, 0.75),
        ("B", 4, 1, 0.25, 1, 0, 0.0, 0.25),
        ("(missing)", 1, 0, 0.0, 0, 0, None, 0.0),
    ]


def test_segments_at_another_threshold_and_with_the_gate() -> None:
    """At 30: A passes 0, 1, 3, 5 (3 won); B passes 2, 4, 6 (1 won).
    With minimum fit 10 at 40: B passes nobody."""
    rows = {r.value: r for r in ten_check().segments("Segment", threshold=30)}
    assert (rows["A"].passed, rows["A"].passed_opportunities, rows["A"].weekly_volume) == (4, 3, 1.0)
    assert (rows["B"].passed, rows["B"].passed_opportunities) == (3, 1)
    assert rows["B"].passed_rate == approx(1 / 3)
    gated = {r.value: r for r in ten_check(minimum_fit=10).segments("Segment")}
    assert (gated["A"].passed, gated["B"].passed) == (3, 0)
    with pytest.raises(KeyError):
        ten_check().segments("Nope")


def test_experiment_sends_a_segment_too() -> None:
    """At 40, sent now: 0, 1, 2, 3 (3 won). Also send B (2, 4, 6, 8): adds 4, 6, 8 (lead 2 is
    already sent), 1 won (4). Added 3/4 = 0.75 a week; with it 7/4 = 1.75 a week; blended rate
    (3 + 1)/(4 + 3) = 4/7; now 3/4."""
    exp = ten_check().experiment("Segment", ["b"])
    assert (exp.column, exp.values, exp.added, exp.added_opportunities) == ("Segment", ("b",), 3, 1)
    assert (exp.added_weekly, exp.weekly_volume, exp.rate_now, exp.capacity) == (0.75, 1.75, 0.75, 2)
    assert exp.rate == approx(4 / 7)


def test_experiment_with_the_missing_segment_and_without_weeks() -> None:
    """A and missing: adds 5, 7 (A, not passed) and 9: 3 leads, 1 won (7); rate 4/7."""
    exp = ten_check(dates=False).experiment("Segment", ["(missing)", " a "])
    assert (exp.added, exp.added_opportunities, exp.added_weekly, exp.weekly_volume) == (3, 1, None, None)
    assert exp.rate == approx(4 / 7)


# --------------------------------------------------------------------------- explain, as_json
def test_explain_lists_the_rules_that_fired() -> None:
    check = ten_check()
    lead0 = check.explain(0)
    assert (lead0.fit, lead0.engagement, lead0.score, lead0.handoff) == (10, 40, 50, True)
    assert [(o.rule.uid, o.points) for o in lead0.fired] == [("seg", 10), ("eng", 40)]
    lead2 = check.explain(2)
    assert [(o.rule.uid, o.points) for o in lead2.fired] == [("eng", 40)]
    assert (lead2.score, lead2.handoff) == (40, True)
    lead9 = check.explain(9)
    assert (lead9.fired, lead9.score, lead9.handoff) == ((), 0, False)


def test_as_json_has_the_figures_the_recommendation_and_the_tables() -> None:
    check = ten_check(bands=[ScoreBand(name="Hot", min_score=40)])
    data = check.as_json()
    for key in (
        "threshold",
        "passed",
        "opportunities",
        "rate",
        "target_rate",
        "coverage",
        "lift",
        "weekly_volume",
        "capacity",
        "recommended_threshold",
        "recommendation_reason",
        "bands",
        "rules",
    ):
        assert key in data, key
    assert (data["threshold"], data["passed"], data["opportunities"], data["rate"], data["target_rate"]) == (
        40.0,
        4,
        3,
        0.75,
        0.6,
    )
    assert (data["coverage"], data["lift"], data["weekly_volume"], data["capacity"]) == (0.6, 1.5, 1.0, 2)
    assert data["recommended_threshold"] == 11
    assert data["recommendation_reason"].startswith("the lowest threshold that meets the target rate")
    assert [(b["name"], b["leads"]) for b in data["bands"]] == [("Hot", 4), ("Below every band", 6)]
    assert [(r["uid"], r["matched"]) for r in data["rules"]] == [("seg", 5), ("eng", 9)]
    assert check.as_json(45)["passed"] == 2
    json.dumps(data)  # plain Python values only


# --------------------------------------------------------------------------- the real X Education leads
MISSING = {"", "select"}


def _value(row: dict[str, str], column: str) -> str | None:
    text = row[column].strip()
    return None if text.casefold() in MISSING else text


def _text(row: dict[str, str], column: str) -> str | None:
    value = _value(row, column)
    return None if value is None else value.casefold()


def _number(row: dict[str, str], column: str) -> float | None:
    value = _value(row, column)
    return None if value is None else float(value)


def my_rule_points(row: dict[str, str]) -> list[tuple[bool, float]]:
    """(fired, points) for each of the demo's 14 rules, in their order, straight from the CSV row."""
    occupation = _text(row, "What is your current occupation")
    activity = _text(row, "Last Activity")
    visits = _number(row, "TotalVisits")
    seconds = _number(row, "Total Time Spent on Website")
    pages = _number(row, "Page Views Per Visit")

    def flag(fired: bool, points: float) -> tuple[bool, float]:
        return fired, points if fired else 0.0

    return [
        flag(occupation == "working professional", 25),
        flag(occupation == "student", -10),
        flag(occupation is None, -5),
        flag(_text(row, "Lead Origin") == "lead add form", 20),
        flag(_text(row, "Lead Source") in ("reference", "welingak website"), 15),
        flag(_text(row, "Lead Profile") == "student of someschool", -15),
        flag(_text(row, "Do Not Email") == "yes", -10),
        (bool(visits), max(-10.0, min(10.0, 2 * visits)) if visits else 0.0),
        flag(seconds is not None and seconds >= 600, 15),
        flag(pages is not None and 2 <= pages <= 6, 5),
        flag(activity == "sms sent", 15),
        flag(activity == "had a phone conversation", 20),
        flag(activity in ("olark chat conversation", "email bounced"), -10),
        flag(_text(row, "A free copy of Mastering The Interview") == "yes", 3),
    ]


FIT_RULES = 7  # the first seven demo rules are fit rules, the other seven behaviour rules


@pytest.fixture(scope="module")
def x_education() -> dict[str, Any]:
    from models.demo import demo_definitions
    from models.leads.importer import import_leads
    from models.leads.types import Mapping, RawTable

    def adjust(mapping: Mapping, raw: RawTable, outcomes: RawTable | None) -> Mapping:
        mapping.id, mapping.outcome = "Prospect ID", "Converted"
        mapping.types.pop("Prospect ID", None)
        mapping.types.pop("Converted", None)
        return mapping

    data = import_leads(X_EDUCATION, adjust=adjust)
    defs = demo_definitions()
    check = ThresholdCheck(LeadFrame.from_lead_data(data), defs)
    with X_EDUCATION.open(newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    mine = {}
    for row in rows:
        rules = my_rule_points(row)
        fit = sum(p for _, p in rules[:FIT_RULES])
        eng = sum(p for _, p in rules[FIT_RULES:])
        mine[row["Prospect ID"]] = dict(
            fit=fit, eng=eng, score=fit + eng, won=row["Converted"] == "1", rules=rules, row=row
        )
    return dict(defs=defs, check=check, rows=rows, mine=mine)


def test_x_education_the_rules_read_the_columns_this_computation_reads(x_education: dict[str, Any]) -> None:
    """Guard for the independent computation: same rules, in the same order."""
    defs = x_education["defs"]
    assert [(r.kind.value, r.field, r.points) for r in defs.rules] == [
        ("fit", "What is your current occupation", 25),
        ("fit", "What is your current occupation", -10),
        ("fit", "What is your current occupation", -5),
        ("fit", "Lead Origin", 20),
        ("fit", "Lead Source", 15),
        ("fit", "Lead Profile", -15),
        ("fit", "Do Not Email", -10),
        ("behaviour", "TotalVisits", 2),
        ("behaviour", "Total Time Spent on Website", 15),
        ("behaviour", "Page Views Per Visit", 5),
        ("behaviour", "Last Activity", 15),
        ("behaviour", "Last Activity", 20),
        ("behaviour", "Last Activity", -10),
        ("behaviour", "A free copy of Mastering The Interview", 3),
    ]
    assert defs.rules[7].cap == 10 and not any(r.decay_half_life_days for r in defs.rules)
    assert (defs.scoring.threshold, defs.scoring.minimum_fit, defs.scoring.history_weeks) == (40, None, 26)
    assert len(x_education["rows"]) == 9237 == x_education["check"].frame.n


def test_x_education_every_lead_scores_as_computed_row_by_row(x_education: dict[str, Any]) -> None:
    check, mine = x_education["check"], x_education["mine"]
    scorer, frame = check.scorer, check.frame
    ids = frame.ids()
    assert sorted(ids) == sorted(mine)
    got = {
        i: (f, e, s, h)
        for i, f, e, s, h in zip(
            ids,
            scorer.fit.tolist(),
            scorer.engagement.tolist(),
            scorer.score.tolist(),
            scorer.handoff(40, None).tolist(),
            strict=True,
        )
    }
    expected = {i: (m["fit"], m["eng"], m["score"], m["score"] >= 40) for i, m in mine.items()}
    wrong = [(i, got[i], expected[i]) for i in ids if got[i] != expected[i]]
    assert wrong == []
    assert frame.outcome.tolist() == [mine[i]["won"] for i in ids]


def test_x_education_the_reference_agrees_with_the_engine_for_every_lead(x_education: dict[str, Any]) -> None:
    """models.scoring.score_lead on each lead as the engine stores it, and on the raw CSV row
    (text values, with "Select" and blanks given as missing)."""
    from models.scoring import rule_fields, score_lead

    check, mine, defs = x_education["check"], x_education["mine"], x_education["defs"]
    fields = rule_fields(defs)
    ids = check.frame.ids()
    score = check.scorer.score.tolist()
    wrong = []
    for k, lead_id in enumerate(ids):
        ref = score_lead(defs, check.frame.lead(k, fields))
        row = mine[lead_id]["row"]
        raw = score_lead(defs, {f: _value(row, f) for f in fields})
        if not (ref.score == raw.score == score[k] and ref.handoff == raw.handoff == (score[k] >= 40)):
            wrong.append((lead_id, ref.score, raw.score, score[k]))
    assert wrong == []


def test_x_education_sweep_matches_counts_from_the_own_scores(x_education: dict[str, Any]) -> None:
    check, mine = x_education["check"], x_education["mine"]
    scores = [(m["score"], m["won"]) for m in mine.values()]
    lo, hi = int(math.floor(min(s for s, _ in scores))), int(math.floor(max(s for s, _ in scores)))
    sw = check.sweep
    assert (sw.thresholds[0], sw.thresholds[-1]) == (lo, hi + 1)
    for t in range(lo - 2, hi + 3):
        passed = sum(1 for s, _ in scores if s >= t)
        opps = sum(1 for s, w in scores if s >= t and w)
        fig = check.figures(t)
        assert (fig.passed, fig.opportunities) == (passed, opps), t
        if lo <= t <= hi + 1:
            k = t - lo
            assert (int(sw.thresholds[k]), int(sw.passed[k]), int(sw.opportunities[k])) == (t, passed, opps)
        assert fig.weekly_volume == approx(passed / 26)
    # The histogram split by outcome: leads per one-point bin.
    won_bins = [sum(1 for s, w in scores if w and math.floor(s) == lo + b) for b in range(hi - lo + 1)]
    lost_bins = [sum(1 for s, w in scores if not w and math.floor(s) == lo + b) for b in range(hi - lo + 1)]
    assert sw.histogram_won.tolist() == won_bins
    assert sw.histogram_lost.tolist() == lost_bins


def test_x_education_recommendation_bands_and_rule_counts(x_education: dict[str, Any]) -> None:
    check, mine = x_education["check"], x_education["mine"]
    scores = [(m["score"], m["won"]) for m in mine.values()]
    # The lowest whole threshold with rate ≥ 60% and passed/26 ≤ 3 × 40 = 120.
    lo, hi = int(min(s for s, _ in scores)), int(max(s for s, _ in scores))
    expected = None
    for t in range(lo, hi + 2):
        passed = sum(1 for s, _ in scores if s >= t)
        opps = sum(1 for s, w in scores if s >= t and w)
        if passed and opps / passed >= 0.6 and passed / 26 <= 120:
            expected = t
            break
    assert expected is not None
    assert check.recommendation().threshold == expected

    # Bands Cold ≥ 0, Warm ≥ 20, Hot ≥ 40, and below 0.
    def band(s: float) -> str:
        return "Hot" if s >= 40 else "Warm" if s >= 20 else "Cold" if s >= 0 else "Below every band"

    rows = {r.name: (r.leads, r.opportunities) for r in check.bands()}
    for name in ("Hot", "Warm", "Cold", "Below every band"):
        leads = sum(1 for s, _ in scores if band(s) == name)
        opps = sum(1 for s, w in scores if band(s) == name and w)
        assert rows.get(name, (0, 0)) == (leads, opps), name

    # Each rule's matched leads and their opportunities.
    diagnostics = check.rule_diagnostics()
    for k, diag in enumerate(diagnostics):
        fired = [m for m in mine.values() if m["rules"][k][0]]
        assert diag.matched == len(fired), diag.label
        if fired:
            assert diag.matched_rate == approx(sum(m["won"] for m in fired) / len(fired)), diag.label
