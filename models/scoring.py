"""Scoring one lead: the reference semantics, with an explanation of every point.

For a lead given as a mapping of field name to value:

* A value is *missing* when it is None, NaN, or text that is blank after trimming.
* Text compares after trimming, case-insensitively, as `models.text_match.fold` defines it.
  `equals`/`not_equals` compare as numbers when both sides read as numbers ("10" equals "10.0").
* A yes/no value (a bool: the lead's column is a yes/no column) compares as an answer: it
  equals every spelling of its answer (true/yes/y/1 ... or false/no/n/0 ...), and nothing else.
* A rule's field finds the lead's value trimmed and case-insensitively (`resolve_field`).
* A missing value matches only `is_empty`, `not_equals` and `not_one_of`.
* `between` (inclusive), `at_least`, `at_most` read the value as a number; a value that is
  not a number does not match.
* `count` (behaviour rules): points per occurrence × the field's number, capped at `cap` in
  absolute value; a missing count gives 0 points.
* Decay (optional, any rule): points × 0.5^(age / half-life), age in days from the lead's
  `decay_date_field` to the as-of date (never negative). When that date is missing or not a
  date, the age is unknown and the points are not decayed.
* fit = the sum over fit rules, engagement = the sum over behaviour rules, score = the sum
  over all rules; each is rounded to 6 decimal places (so that the order in which points are
  added never decides a tie at the threshold). Hand-off: score ≥ threshold, and fit ≥ minimum fit
  when one is set.

The vectorised engine (`models.rule_arrays`, summed by `models.engine`) must agree with this
module lead by lead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from models.definitions import Definitions, Operator, RuleKind, ScoreBand, ScoringRule
from models.definitions_json import rule_problems
from models.text_match import answer, answer_text, fold, resolve_field

ROUND_DIGITS = 6  # scores are rounded to this many decimal places, here and everywhere


@dataclass(frozen=True)
class RuleOutcome:
    rule: ScoringRule
    fired: bool
    points: float
    reason: str


@dataclass(frozen=True)
class LeadScore:
    fit: float
    engagement: float
    outcomes: tuple[RuleOutcome, ...]
    handoff: bool
    band: ScoreBand | None
    score: float  # the unrounded sum of every rule's points, rounded once

    @property
    def fired(self) -> tuple[RuleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.fired)


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return fold(answer_text(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fold(str(value))


def shown(value: Any) -> str:
    """A lead's value as a reason shows it: yes/no answers as Yes / No."""
    return answer_text(value) if isinstance(value, bool) else str(value)


def field_value(lead: Mapping[str, Any], name: str) -> Any:
    """The lead's value of the field `name`: its key spelled so, else the one key that is the
    same trimmed and ignoring case; None when there is none (or several)."""
    if name in lead:
        return lead[name]
    key = resolve_field(name, lead.keys())
    return None if key is None else lead[key]


def as_number(value: Any) -> float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        number = float(str(value).strip().replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _same(a: Any, b: str) -> bool:
    if isinstance(a, bool):
        return answer(b) is a
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return na == nb
    return _text(a) == _text(b)


@dataclass(frozen=True)
class _ValueSets:
    """A rule's values as `_same` compares them, taken apart once: the numbers, the texts of
    the values that are not numbers, and every value's text."""

    numbers: frozenset[float]
    other_texts: frozenset[str]
    all_texts: frozenset[str]


@lru_cache(maxsize=256)
def _value_sets(values: tuple[str, ...]) -> _ValueSets:
    present = [v for v in values if v.strip()]
    numbers = {n for v in present if (n := as_number(v)) is not None}
    other = {_text(v) for v in present if as_number(v) is None}
    return _ValueSets(frozenset(numbers), frozenset(other), frozenset(_text(v) for v in present))


def _in_values(value: Any, values: list[str]) -> bool:
    """`any(_same(value, v) for v in values if v.strip())`, in one look-up instead of one
    comparison per value (a rule may list a thousand values, a column hold a million)."""
    if isinstance(value, bool):
        return any(answer(v) is value for v in values)
    sets = _value_sets(tuple(values))
    number = as_number(value)
    if number is not None:  # a number equals a number as a number, anything else as text
        return number in sets.numbers or _text(value) in sets.other_texts
    return _text(value) in sets.all_texts


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if is_missing(value):
        return None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def rule_matches(rule: ScoringRule, value: Any) -> bool:
    """Whether a non-count rule matches the value."""
    op = rule.operator
    missing = is_missing(value)
    if op == Operator.IS_EMPTY:
        return missing
    if op == Operator.IS_NOT_EMPTY:
        return not missing
    if op == Operator.NOT_EQUALS:
        return missing or not _same(value, rule.value)
    if op == Operator.NOT_ONE_OF:
        return missing or not _in_values(value, rule.values)
    if missing:
        return False
    if op == Operator.EQUALS:
        return _same(value, rule.value)
    if op == Operator.ONE_OF:
        return _in_values(value, rule.values)
    if op == Operator.CONTAINS:
        return fold(rule.value) in _text(value)
    number = as_number(value)
    if number is None:
        return False
    if op == Operator.AT_LEAST:
        return rule.minimum is not None and number >= rule.minimum
    if op == Operator.AT_MOST:
        return rule.maximum is not None and number <= rule.maximum
    if op == Operator.BETWEEN:
        return rule.minimum is not None and rule.maximum is not None and rule.minimum <= number <= rule.maximum
    raise ValueError(f"operator {op.value!r} is not a matching operator")


def describe_rule(rule: ScoringRule) -> str:
    """The rule in words: `Lead Source is one of Google, Organic Search → +10`."""
    op = rule.operator
    if op == Operator.COUNT:
        text = f"each {rule.field or '?'} × {fmt_points(rule.points)}"
        if rule.cap is not None:
            text += f" (at most {rule.cap:g})"
    else:
        operand = ""
        if op in (Operator.EQUALS, Operator.NOT_EQUALS, Operator.CONTAINS):
            operand = f" \u201c{rule.value}\u201d"
        elif op in (Operator.ONE_OF, Operator.NOT_ONE_OF):
            operand = " " + ", ".join(v for v in rule.values if v.strip())
        elif op == Operator.BETWEEN:
            operand = f" {_num(rule.minimum)} and {_num(rule.maximum)}"
        elif op == Operator.AT_LEAST:
            operand = f" {_num(rule.minimum)}"
        elif op == Operator.AT_MOST:
            operand = f" {_num(rule.maximum)}"
        text = f"{rule.field or '?'} {op.label}{operand} \u2192 {fmt_points(rule.points)}"
    if rule.decay_half_life_days:
        text += f", halving every {rule.decay_half_life_days:g} days since {rule.decay_date_field}"
    return text


def _num(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


def fmt_points(points: float) -> str:
    text = f"{points:+.1f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def _decay(rule: ScoringRule, lead: Mapping[str, Any], as_of: dt.date | None) -> tuple[float, str]:
    if not rule.decay_half_life_days or not rule.decay_date_field:
        return 1.0, ""
    when = as_date(field_value(lead, rule.decay_date_field))
    if when is None or as_of is None:
        return 1.0, " (activity date unknown: not decayed)"
    age = max((as_of - when).days, 0)
    return 0.5 ** (age / rule.decay_half_life_days), f", decayed over {age} days"


def evaluate_rule(rule: ScoringRule, lead: Mapping[str, Any], as_of: dt.date | None) -> RuleOutcome:
    problems = rule_problems(rule)
    if problems:
        return RuleOutcome(rule, False, 0.0, "incomplete: " + problems[0][1])
    value = field_value(lead, rule.field)
    if rule.operator == Operator.COUNT:
        count = as_number(value)
        if count is None or count == 0:
            return RuleOutcome(rule, False, 0.0, f"{rule.field} is {'missing' if count is None else 0}")
        points = count * rule.points
        reason = f"{count:g} × {fmt_points(rule.points)}"
        if rule.cap is not None and abs(points) > rule.cap:
            points = math.copysign(rule.cap, points)
            reason += f", capped at {rule.cap:g}"
    else:
        if not rule_matches(rule, value):
            said = "missing" if is_missing(value) else f"\u201c{shown(value)}\u201d"
            return RuleOutcome(rule, False, 0.0, f"{rule.field} is {said}")
        points = rule.points
        reason = "missing" if is_missing(value) else f"\u201c{shown(value)}\u201d"
    factor, note = _decay(rule, lead, as_of)
    return RuleOutcome(rule, True, points * factor, reason + note)


def band_for(score: float, bands: list[ScoreBand]) -> ScoreBand | None:
    best = None
    for band in sorted(bands, key=lambda b: b.min_score):
        if score >= band.min_score:
            best = band
    return best


def score_lead(defs: Definitions, lead: Mapping[str, Any]) -> LeadScore:
    as_of = defs.scoring.as_of_date or defs.team.date or dt.date.today()
    outcomes = tuple(evaluate_rule(rule, lead, as_of) for rule in defs.rules)
    fit_raw = sum(o.points for o in outcomes if o.rule.kind == RuleKind.FIT)
    engagement_raw = sum(o.points for o in outcomes if o.rule.kind == RuleKind.BEHAVIOUR)
    fit, engagement = round(fit_raw, ROUND_DIGITS), round(engagement_raw, ROUND_DIGITS)
    total = round(fit_raw + engagement_raw, ROUND_DIGITS)
    minimum_fit = defs.scoring.minimum_fit
    handoff = total >= defs.scoring.threshold and (minimum_fit is None or fit >= minimum_fit)
    return LeadScore(fit, engagement, outcomes, handoff, band_for(total, defs.bands), total)


def rule_fields(defs: Definitions) -> list[str]:
    """The lead fields the rules read, in rule order, without repeats."""
    seen: dict[str, None] = {}
    for rule in defs.rules:
        for name in (rule.field, rule.decay_date_field):
            if name.strip():
                seen.setdefault(name.strip(), None)
    return list(seen)
