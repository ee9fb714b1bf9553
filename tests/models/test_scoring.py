"""Scoring one lead, against tables worked out by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from models.definitions import (
    Definitions,
    Operator,
    RuleKind,
    ScoreBand,
    ScoringRule,
    ScoringSettings,
    TeamTargets,
    default_bands,
)
from models.demo import SAMPLE_LEAD, demo_definitions
from models.scoring import LeadScore, score_lead

NAN = float("nan")
AS_OF = dt.date(2026, 11, 24)


def _score(rule: ScoringRule, lead: dict[str, Any], **settings: Any) -> LeadScore:
    defs = Definitions(rules=[rule], scoring=ScoringSettings(as_of_date=AS_OF, **settings))
    return score_lead(defs, lead)


def _points(rule: ScoringRule, value: Any) -> float:
    return _score(rule, {rule.field: value}).score


def _fit(operator: Operator, points: float = 10, **operands: Any) -> ScoringRule:
    return ScoringRule(kind=RuleKind.FIT, label="rule", field="F", operator=operator, points=points, **operands)


# --------------------------------------------------------------------------- operators
OPERATOR_TABLE: list[tuple[str, ScoringRule, Any, float]] = [
    # equals: trimmed, case-insensitive; numbers compare as numbers
    ("eq text", _fit(Operator.EQUALS, 5, value="Working Professional"), "Working Professional", 5),
    ("eq case+spaces", _fit(Operator.EQUALS, 5, value="Working Professional"), "  working PROFESSIONAL ", 5),
    ("eq inner space differs", _fit(Operator.EQUALS, 5, value="Working Professional"), "Working  Professional", 0),
    ("eq other", _fit(Operator.EQUALS, 5, value="Working Professional"), "Student", 0),
    ("eq '10' vs '10.0'", _fit(Operator.EQUALS, 5, value="10"), "10.0", 5),
    ("eq '10.0' vs '10'", _fit(Operator.EQUALS, 5, value="10.0"), "10", 5),
    ("eq int", _fit(Operator.EQUALS, 5, value="10"), 10, 5),
    ("eq float", _fit(Operator.EQUALS, 5, value="10"), 10.0, 5),
    ("eq padded number", _fit(Operator.EQUALS, 5, value=" 10 "), " 10.00 ", 5),
    ("eq 11", _fit(Operator.EQUALS, 5, value="10"), "11", 0),
    ("eq missing", _fit(Operator.EQUALS, 5, value="10"), None, 0),
    ("eq blank", _fit(Operator.EQUALS, 5, value="10"), "  ", 0),
    ("eq yes case", _fit(Operator.EQUALS, 5, value="yes"), "YES", 5),
    # not_equals: a missing value matches
    ("ne missing None", _fit(Operator.NOT_EQUALS, 3, value="Student"), None, 3),
    ("ne missing ''", _fit(Operator.NOT_EQUALS, 3, value="Student"), "", 3),
    ("ne missing spaces", _fit(Operator.NOT_EQUALS, 3, value="Student"), "   ", 3),
    ("ne missing NaN", _fit(Operator.NOT_EQUALS, 3, value="Student"), NAN, 3),
    ("ne same other case", _fit(Operator.NOT_EQUALS, 3, value="Student"), " STUDENT ", 0),
    ("ne different", _fit(Operator.NOT_EQUALS, 3, value="Student"), "Unemployed", 3),
    ("ne numeric same", _fit(Operator.NOT_EQUALS, 3, value="10"), "10.0", 0),
    # one_of / not_one_of: each operand trimmed and case-insensitive; blank operands ignored
    ("one_of case", _fit(Operator.ONE_OF, 7, values=["Google", " Organic Search ", ""]), " google", 7),
    ("one_of spaces", _fit(Operator.ONE_OF, 7, values=["Google", " Organic Search ", ""]), "ORGANIC SEARCH  ", 7),
    ("one_of none", _fit(Operator.ONE_OF, 7, values=["Google", " Organic Search ", ""]), "Bing", 0),
    ("one_of missing", _fit(Operator.ONE_OF, 7, values=["Google", " Organic Search ", ""]), None, 0),
    ("one_of blank", _fit(Operator.ONE_OF, 7, values=["Google", " Organic Search ", ""]), "", 0),
    ("one_of numbers", _fit(Operator.ONE_OF, 7, values=["1", "2"]), "2.0", 7),
    ("not_one_of missing", _fit(Operator.NOT_ONE_OF, -4, values=["Google", "Bing"]), None, -4),
    ("not_one_of blank", _fit(Operator.NOT_ONE_OF, -4, values=["Google", "Bing"]), "  ", -4),
    ("not_one_of listed", _fit(Operator.NOT_ONE_OF, -4, values=["Google", "Bing"]), " GOOGLE ", 0),
    ("not_one_of other", _fit(Operator.NOT_ONE_OF, -4, values=["Google", "Bing"]), "Yahoo", -4),
    # contains: trimmed operand, case-insensitive substring
    ("contains", _fit(Operator.CONTAINS, 2, value=" Page "), "Landing Page Submission", 2),
    ("contains inside word", _fit(Operator.CONTAINS, 2, value="page"), "HOMEPAGE", 2),
    ("contains no", _fit(Operator.CONTAINS, 2, value="page"), "Lead Add Form", 0),
    ("contains missing", _fit(Operator.CONTAINS, 2, value="page"), None, 0),
    # between: inclusive, numeric
    ("between low bound", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), "2", 5),
    ("between high bound", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), 6, 5),
    ("between high bound text", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), " 6.0 ", 5),
    ("between inside", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), "2.5", 5),
    ("between below", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), "1.99", 0),
    ("between above", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), 6.01, 0),
    ("between text", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), "four", 0),
    ("between missing", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), None, 0),
    ("between NaN", _fit(Operator.BETWEEN, 5, minimum=2, maximum=6), NAN, 0),
    ("between bool", _fit(Operator.BETWEEN, 5, minimum=0, maximum=6), True, 0),
    # at_least / at_most
    ("at_least equal", _fit(Operator.AT_LEAST, 15, minimum=600), "600", 15),
    ("at_least thousands separator", _fit(Operator.AT_LEAST, 15, minimum=600), "1,140", 15),
    ("at_least below", _fit(Operator.AT_LEAST, 15, minimum=600), 599.9, 0),
    ("at_least text", _fit(Operator.AT_LEAST, 15, minimum=600), "ten minutes", 0),
    ("at_least infinity text", _fit(Operator.AT_LEAST, 15, minimum=600), "inf", 0),
    ("at_least missing", _fit(Operator.AT_LEAST, 15, minimum=600), "", 0),
    ("at_most equal", _fit(Operator.AT_MOST, 1, maximum=3), "3", 1),
    ("at_most negative", _fit(Operator.AT_MOST, 1, maximum=3), "-1", 1),
    ("at_most above", _fit(Operator.AT_MOST, 1, maximum=3), "3.5", 0),
    ("at_most text", _fit(Operator.AT_MOST, 1, maximum=3), "n/a", 0),
    ("at_most missing", _fit(Operator.AT_MOST, 1, maximum=3), None, 0),
    # is_empty / is_not_empty
    ("empty None", _fit(Operator.IS_EMPTY, -5), None, -5),
    ("empty ''", _fit(Operator.IS_EMPTY, -5), "", -5),
    ("empty spaces", _fit(Operator.IS_EMPTY, -5), "  \t ", -5),
    ("empty NaN", _fit(Operator.IS_EMPTY, -5), NAN, -5),
    ("empty '0'", _fit(Operator.IS_EMPTY, -5), "0", 0),
    ("empty 0", _fit(Operator.IS_EMPTY, -5), 0, 0),
    ("empty text", _fit(Operator.IS_EMPTY, -5), "x", 0),
    ("not empty None", _fit(Operator.IS_NOT_EMPTY, 4), None, 0),
    ("not empty ''", _fit(Operator.IS_NOT_EMPTY, 4), "", 0),
    ("not empty spaces", _fit(Operator.IS_NOT_EMPTY, 4), "   ", 0),
    ("not empty NaN", _fit(Operator.IS_NOT_EMPTY, 4), NAN, 0),
    ("not empty 0", _fit(Operator.IS_NOT_EMPTY, 4), 0, 4),
    ("not empty text", _fit(Operator.IS_NOT_EMPTY, 4), "x", 4),
]


@pytest.mark.parametrize(
    ("rule", "value", "expected"), [c[1:] for c in OPERATOR_TABLE], ids=[c[0] for c in OPERATOR_TABLE]
)
def test_operator(rule: ScoringRule, value: Any, expected: float) -> None:
    result = _score(rule, {rule.field: value})
    assert result.score == expected
    assert result.fit == expected and result.engagement == 0
    [outcome] = result.outcomes
    assert outcome.fired is (expected != 0)


def test_absent_field_is_missing() -> None:
    assert _score(_fit(Operator.IS_EMPTY, -5), {}).score == -5
    assert _score(_fit(Operator.NOT_EQUALS, 3, value="x"), {}).score == 3
    assert _score(_fit(Operator.EQUALS, 3, value="x"), {}).score == 0


# --------------------------------------------------------------------------- count
def _count(points: float, cap: float | None = None, **extra: Any) -> ScoringRule:
    return ScoringRule(
        kind=RuleKind.BEHAVIOUR,
        label="visits",
        field="Visits",
        operator=Operator.COUNT,
        points=points,
        cap=cap,
        **extra,
    )


COUNT_TABLE: list[tuple[str, ScoringRule, Any, float]] = [
    ("4 x 2 under cap", _count(2, 10), "4", 8),
    ("5 x 2 at cap", _count(2, 10), 5, 10),
    ("7 x 2 capped", _count(2, 10), "7", 10),
    ("7 x 2 no cap", _count(2), "7", 14),
    ("2.5 x 2", _count(2, 10), "2.5", 5),
    ("2 x -3", _count(-3, 10), "2", -6),
    ("4 x -3 capped", _count(-3, 10), "4", -10),
    ("zero", _count(2, 10), "0", 0),
    ("missing", _count(2, 10), None, 0),
    ("blank", _count(2, 10), " ", 0),
    ("NaN", _count(2, 10), NAN, 0),
    ("text", _count(2, 10), "lots", 0),
    ("thousands", _count(0.01), "1,200", 12),
]


@pytest.mark.parametrize(("rule", "value", "expected"), [c[1:] for c in COUNT_TABLE], ids=[c[0] for c in COUNT_TABLE])
def test_count(rule: ScoringRule, value: Any, expected: float) -> None:
    result = _score(rule, {"Visits": value})
    assert result.engagement == pytest.approx(expected)
    assert result.fit == 0
    assert result.outcomes[0].fired is (expected != 0)


def test_count_reason_mentions_the_cap() -> None:
    [outcome] = _score(_count(2, 10), {"Visits": "7"}).outcomes
    assert outcome.points == 10
    assert "capped at 10" in outcome.reason


# --------------------------------------------------------------------------- decay
def _decaying(points: float = 20, **kw: Any) -> ScoringRule:
    base: dict[str, Any] = dict(
        kind=RuleKind.BEHAVIOUR,
        label="webinar",
        field="Webinar",
        operator=Operator.EQUALS,
        value="Yes",
        points=points,
        decay_half_life_days=10,
        decay_date_field="Last Activity Date",
    )
    base.update(kw)
    return ScoringRule(**base)


DECAY_TABLE: list[tuple[str, Any, float]] = [
    ("age 10 = one half-life", "2026-11-14", 10),
    ("age 20 = two half-lives", "2026-11-04", 5),
    ("age 5", "2026-11-19", 20 * 0.5**0.5),
    ("age 0", "2026-11-24", 20),
    ("future date", "2026-12-01", 20),
    ("timestamp text", "2026-11-14T09:30:00", 10),
    ("date object", dt.date(2026, 11, 14), 10),
    ("datetime object", dt.datetime(2026, 11, 4, 23, 59), 5),
    ("missing date", None, 20),
    ("blank date", "  ", 20),
    ("not a date", "last Tuesday", 20),
]


@pytest.mark.parametrize(("when", "expected"), [c[1:] for c in DECAY_TABLE], ids=[c[0] for c in DECAY_TABLE])
def test_decay(when: Any, expected: float) -> None:
    result = _score(_decaying(), {"Webinar": "yes", "Last Activity Date": when})
    assert result.engagement == pytest.approx(expected)


def test_missing_date_is_said_to_be_undecayed() -> None:
    [outcome] = _score(_decaying(), {"Webinar": "Yes"}).outcomes
    assert outcome.fired and outcome.points == 20
    assert "not decayed" in outcome.reason


def test_decay_applies_after_the_cap_of_a_count_rule() -> None:
    rule = _count(2, 10, decay_half_life_days=10, decay_date_field="Last Activity Date")
    assert _score(rule, {"Visits": "7", "Last Activity Date": "2026-11-14"}).score == pytest.approx(5)
    negative = _count(-4, None, decay_half_life_days=10, decay_date_field="Last Activity Date")
    assert _score(negative, {"Visits": "3", "Last Activity Date": "2026-11-04"}).score == pytest.approx(-3)


def test_decay_is_measured_to_the_workshop_date_when_no_as_of_date() -> None:
    defs = Definitions(
        team=TeamTargets(date=dt.date(2026, 11, 14)), rules=[_decaying()], scoring=ScoringSettings(as_of_date=None)
    )
    assert score_lead(defs, {"Webinar": "Yes", "Last Activity Date": "2026-11-04"}).score == pytest.approx(10)
    defs.scoring.as_of_date = dt.date(2026, 11, 24)  # the as-of date wins over the workshop date
    assert score_lead(defs, {"Webinar": "Yes", "Last Activity Date": "2026-11-04"}).score == pytest.approx(5)


def test_unmatched_rule_is_not_decayed_into_points() -> None:
    assert _score(_decaying(), {"Webinar": "No", "Last Activity Date": "2026-11-14"}).score == 0


# --------------------------------------------------------------------------- totals, gate, bands
def _model(minimum_fit: float | None = None, threshold: float = 30) -> Definitions:
    return Definitions(
        rules=[
            ScoringRule(kind=RuleKind.FIT, field="Job", operator=Operator.EQUALS, value="Director", points=25),
            ScoringRule(kind=RuleKind.FIT, field="Size", operator=Operator.AT_LEAST, minimum=500, points=10),
            ScoringRule(kind=RuleKind.FIT, field="Email", operator=Operator.CONTAINS, value="@gmail.", points=-15),
            ScoringRule(kind=RuleKind.BEHAVIOUR, field="Visits", operator=Operator.COUNT, points=3, cap=12),
            ScoringRule(kind=RuleKind.BEHAVIOUR, field="Pricing", operator=Operator.EQUALS, value="yes", points=20),
        ],
        bands=default_bands(),
        scoring=ScoringSettings(threshold=threshold, minimum_fit=minimum_fit, as_of_date=AS_OF),
    )


def test_fit_and_engagement_are_summed_separately() -> None:
    lead = {"Job": "director", "Size": "1,000", "Email": "a@gmail.com", "Visits": "3", "Pricing": "Yes"}
    result = score_lead(_model(), lead)
    assert result.fit == 20  # 25 + 10 - 15
    assert result.engagement == 29  # 3 x 3 + 20
    assert result.score == 49
    assert [o.points for o in result.outcomes] == [25, 10, -15, 9, 20]
    assert [o.rule.field for o in result.fired] == ["Job", "Size", "Email", "Visits", "Pricing"]


def test_minimum_fit_is_a_second_gate() -> None:
    engaged_misfit = {"Job": "Intern", "Size": "800", "Visits": "10", "Pricing": "yes"}  # fit 10, engagement 32
    fit_lurker = {"Job": "Director", "Size": "20", "Visits": "2"}  # fit 25, engagement 6
    r = score_lead(_model(minimum_fit=None), engaged_misfit)
    assert (r.fit, r.engagement, r.score, r.handoff) == (10, 32, 42, True)
    r = score_lead(_model(minimum_fit=20), engaged_misfit)
    assert (r.score, r.handoff) == (42, False)
    r = score_lead(_model(minimum_fit=20), fit_lurker)
    assert (r.fit, r.score, r.handoff) == (25, 31, True)
    r = score_lead(_model(minimum_fit=25), fit_lurker)  # fit exactly at the minimum passes
    assert r.handoff
    r = score_lead(_model(minimum_fit=25.5), fit_lurker)
    assert not r.handoff


def test_threshold_is_inclusive() -> None:
    lead = {"Job": "Director", "Visits": "2"}  # 25 + 6 = 31
    assert score_lead(_model(threshold=31), lead).handoff
    assert not score_lead(_model(threshold=31.5), lead).handoff


@pytest.mark.parametrize(
    ("lead", "score", "band"),
    [
        ({"Job": "Director", "Email": "x@gmail.com"}, 10, "Cold"),
        ({"Job": "Director", "Email": "x@gmail.com", "Visits": "3"}, 19, "Cold"),
        ({"Pricing": "yes"}, 20, "Warm"),
        ({"Job": "Director", "Visits": "4"}, 37, "Warm"),
        ({"Pricing": "yes", "Job": "Director", "Email": "x@gmail.com", "Visits": "3"}, 39, "Warm"),
        ({"Job": "Director", "Pricing": "yes"}, 45, "Hot"),
        ({"Email": "x@gmail.com"}, -15, None),
        ({}, 0, "Cold"),
    ],
)
def test_band(lead: dict[str, Any], score: float, band: str | None) -> None:
    result = score_lead(_model(), lead)
    assert result.score == score
    assert (result.band.name if result.band else None) == band


def test_band_does_not_depend_on_the_order_of_the_bands() -> None:
    defs = _model()
    defs.bands = [
        ScoreBand(name="Hot", min_score=40),
        ScoreBand(name="Cold", min_score=0),
        ScoreBand(name="Warm", min_score=20),
    ]
    result = score_lead(defs, {"Job": "Director"})
    assert result.band is not None and result.band.name == "Warm"


# --------------------------------------------------------------------------- incomplete rules
INCOMPLETE: list[tuple[str, ScoringRule]] = [
    ("no field", ScoringRule(field=" ", operator=Operator.IS_EMPTY, points=5)),
    ("equals without value", ScoringRule(field="F", operator=Operator.EQUALS, value="  ", points=5)),
    ("one_of without values", ScoringRule(field="F", operator=Operator.ONE_OF, values=["", " "], points=5)),
    ("between without maximum", ScoringRule(field="F", operator=Operator.BETWEEN, minimum=0, points=5)),
    ("between reversed", ScoringRule(field="F", operator=Operator.BETWEEN, minimum=9, maximum=1, points=5)),
    ("at_least without minimum", ScoringRule(field="F", operator=Operator.AT_LEAST, points=5)),
    ("count on a fit rule", ScoringRule(kind=RuleKind.FIT, field="F", operator=Operator.COUNT, points=5)),
    ("cap on a non-count rule", ScoringRule(field="F", operator=Operator.IS_NOT_EMPTY, cap=3, points=5)),
    (
        "half-life without date column",
        ScoringRule(field="F", operator=Operator.IS_NOT_EMPTY, points=5, decay_half_life_days=10),
    ),
    (
        "date column without half-life",
        ScoringRule(field="F", operator=Operator.IS_NOT_EMPTY, points=5, decay_date_field="D"),
    ),
]


@pytest.mark.parametrize("rule", [r for _, r in INCOMPLETE], ids=[i for i, _ in INCOMPLETE])
def test_incomplete_rule_scores_zero(rule: ScoringRule) -> None:
    lead = {"F": "5", " ": None, "D": "2026-11-24"}
    result = _score(rule, lead)
    assert result.score == 0
    [outcome] = result.outcomes
    assert not outcome.fired and outcome.points == 0
    assert outcome.reason.startswith("incomplete: ")


# --------------------------------------------------------------------------- the demo
def test_demo_sample_lead() -> None:
    # Worked out from models/demo.py:
    #   fit: Working professional +25; Student, occupation empty, Lead Add Form, Reference/Welingak,
    #        school profile, opted out: no (Lead Origin is Landing Page Submission, Source Google,
    #        Profile Potential Lead, Do Not Email No)                                     fit = 25
    #   behaviour: visits 4 x 2 = 8 (cap 10); 1140 s >= 600 -> +15; 2.5 pages in [2, 6] -> +5;
    #        Last Activity SMS Sent -> +15; phone conversation / chat or bounced: no;
    #        free e-book Yes -> +3                                                 engagement = 46
    #   score 71 >= threshold 40 (no minimum fit) -> hand-off; band Hot (>= 40).
    result = score_lead(demo_definitions(), SAMPLE_LEAD)
    assert result.fit == 25
    assert result.engagement == 46
    assert result.score == 71
    assert result.handoff is True
    assert result.band is not None and result.band.name == "Hot"
    assert [(o.rule.label, o.points) for o in result.fired] == [
        ("Working professional", 25),
        ("Website visits", 8),
        ("Ten minutes or more on the website", 15),
        ("Reads several pages per visit", 5),
        ("Replied to an SMS", 15),
        ("Downloaded the interview e-book", 3),
    ]
    assert len(result.outcomes) == 14
    assert sum(1 for o in result.outcomes if not o.fired and o.points == 0) == 8
    assert all(not o.reason.startswith("incomplete") for o in result.outcomes)


def test_demo_variants() -> None:
    defs = demo_definitions()
    student = {
        **SAMPLE_LEAD,
        "What is your current occupation": "Student",
        "TotalVisits": "12",
        "Last Activity": "Email Bounced",
        "Do Not Email": "yes",
    }
    # fit: Student -10, opted out -10 = -20; behaviour: visits 24 capped 10, +15, +5, bounced -10, e-book +3 = 23
    result = score_lead(defs, student)
    assert (result.fit, result.engagement, result.score, result.handoff) == (-20, 23, 3, False)
    assert result.band is not None and result.band.name == "Cold"

    blank = {
        "What is your current occupation": float("nan"),
        "Lead Origin": "Lead Add Form",
        "Lead Source": " reference ",
    }
    # fit: occupation empty -5, Lead Add Form +20, Reference +15 = 30; no behaviour
    result = score_lead(defs, blank)
    assert (result.fit, result.engagement, result.score, result.handoff) == (30, 0, 30, False)
    assert result.band is not None and result.band.name == "Warm"


def test_one_of_looks_values_up_as_the_pairwise_comparison_would() -> None:
    """`one of` takes the rule's values apart once (numbers, texts) instead of comparing each
    lead's value with each of them: on values chosen to tell number from text, spaces, case
    and thousands separators apart, it matches exactly where some pairwise comparison does."""
    from models.scoring import _in_values, _same

    values = ["2", " 2.0 ", "1,000", "Acme", "ACME ", "straße", "0", "-0", "  ", "1e3", "x1"]
    leads: list[object] = [
        2,
        2.0,
        "2",
        "02",
        "2.5",
        1000,
        "1000",
        "1,000.0",
        "acme",
        "Straße",
        "STRASSE",
        0,
        -0.0,
        "",
        "x1",
        "X1 ",
        "1e3",
        1e3,
        "nan",
        float("inf"),
    ]
    for k in range(1, len(values) + 1):
        chosen = values[:k]
        for lead in leads:
            pairwise = any(_same(lead, v) for v in chosen if v.strip())
            assert _in_values(lead, chosen) == pairwise, (lead, chosen)
