"""One scoring rule evaluated over every lead at once (numpy, no Qt).

    contribution             the points a rule gives each lead
    fired_mask               the leads a rule fires for (points or not)
    rule_gives_whole_points  whether a rule's points are whole for every lead, decided
                             without scoring (then sums are exact and need no rounding)

The semantics are those of `models.scoring` (the reference for one lead), and they agree
lead by lead: a rule on a text column is evaluated by the reference on each distinct value
once and looked up by code; numeric comparisons are vectorised directly; decay factors are
computed as the reference computes them, once per whole day of age, and looked up.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from models.definitions import Definitions, Operator, ScoringRule
from models.definitions_json import rule_problems
from models.lead_frame import Column, ColumnKind, LeadFrame, day_number
from models.scoring import as_date, as_number, rule_matches

MAX_AGE_TABLE = 200_000  # decay factors are looked up per whole day of age up to this many days


def as_of_date(defs: Definitions) -> dt.date:
    return defs.scoring.as_of_date or defs.team.date or dt.date.today()


def rule_is_complete(rule: ScoringRule) -> bool:
    return not rule_problems(rule)


def _match_by_labels(rule: ScoringRule, col: Column) -> np.ndarray:
    codes, labels = col.coded()
    lut = np.fromiter((rule_matches(rule, v) for v in labels), dtype=bool, count=len(labels))
    lut = np.append(lut, rule_matches(rule, None))
    matched: np.ndarray = lut[codes]  # (numpy types indexing by an array as Any)
    return matched


def match_mask(rule: ScoringRule, frame: LeadFrame) -> np.ndarray:
    """Which leads a (non-count) rule matches."""
    col = frame.column(rule.field)
    op = rule.operator
    if col is None:  # a field the data does not have: missing for every lead
        return np.full(frame.n, rule_matches(rule, None), dtype=bool)
    if col.kind == ColumnKind.CODES:
        return _match_by_labels(rule, col)
    values = col.values
    if op == Operator.IS_EMPTY:
        return np.isnan(values)
    if op == Operator.IS_NOT_EMPTY:
        return ~np.isnan(values)
    if col.kind == ColumnKind.NUMBER:
        with np.errstate(invalid="ignore"):
            if op == Operator.AT_LEAST:
                return values >= rule.minimum if rule.minimum is not None else np.zeros(frame.n, bool)
            if op == Operator.AT_MOST:
                return values <= rule.maximum if rule.maximum is not None else np.zeros(frame.n, bool)
            if op == Operator.BETWEEN:
                if rule.minimum is None or rule.maximum is None:
                    return np.zeros(frame.n, bool)
                return (values >= rule.minimum) & (values <= rule.maximum)
        operands = (
            [rule.value]
            if op in (Operator.EQUALS, Operator.NOT_EQUALS)
            else [v for v in rule.values if v.strip()]
            if op in (Operator.ONE_OF, Operator.NOT_ONE_OF)
            else None
        )
        if operands is not None:
            numbers = [as_number(v) for v in operands]
            if all(x is not None for x in numbers):
                hit = np.isin(values, np.array(numbers, dtype=np.float64)) if numbers else np.zeros(frame.n, bool)
                if op in (Operator.NOT_EQUALS, Operator.NOT_ONE_OF):
                    return ~hit  # NaN (missing) is never "in": so it matches, as it should
                return hit
    return _match_by_labels(rule, col)  # dates, contains, text operands on numbers


def count_values(rule: ScoringRule, frame: LeadFrame) -> np.ndarray:
    """The count a behaviour rule multiplies, per lead (0 where missing or not a number)."""
    col = frame.column(rule.field)
    if col is None:
        return np.zeros(frame.n)
    if col.kind == ColumnKind.NUMBER:
        return np.nan_to_num(col.values, nan=0.0)
    codes, labels = col.coded()
    text = col.kind == ColumnKind.CODES  # (once: looking up an Enum member costs ~100 ns on Python 3.11)
    lut = np.array([(as_number(v) or 0.0) if text else 0.0 for v in labels] + [0.0])
    counts: np.ndarray = lut[codes]
    return counts


def decay_factors(rule: ScoringRule, frame: LeadFrame, as_of: dt.date) -> np.ndarray | None:
    """0.5^(age/half-life) per lead, 1 where the activity date is unknown; None without decay."""
    if not rule.decay_half_life_days or not rule.decay_date_field:
        return None
    col = frame.column(rule.decay_date_field)
    if col is None or col.kind == ColumnKind.NUMBER:
        return None  # no dates: never decayed
    days: npt.NDArray[np.float64]
    if col.kind == ColumnKind.DATE:
        days = col.values
    else:
        parsed = [as_date(v) for v in col.labels]
        lut = np.array([day_number(d) if d is not None else np.nan for d in parsed] + [np.nan])
        days = lut[col.codes]
    age = day_number(as_of) - days  # whole days; NaN where the date is unknown
    np.maximum(age, 0.0, out=age)  # (NaN stays NaN)
    if not len(age) or np.isnan(oldest_value := np.fmax.reduce(age)):  # fmax skips NaN, silently
        return None  # no date known: nothing decays
    oldest = int(oldest_value)
    if oldest > MAX_AGE_TABLE:
        factor = np.power(0.5, age / rule.decay_half_life_days)
        return np.where(np.isnan(factor), 1.0, factor)
    # One factor per age in days, computed as the reference computes it, then looked up;
    # an unknown date takes the last slot, 1 (not decayed).
    half_life = rule.decay_half_life_days
    table = np.array([0.5 ** (a / half_life) for a in range(oldest + 1)] + [1.0])
    np.copyto(age, oldest + 1, where=np.isnan(age))
    factors: np.ndarray = table[age.astype(np.int64)]
    return factors


def contribution(rule: ScoringRule, frame: LeadFrame, as_of: dt.date) -> np.ndarray | None:
    """The points `rule` gives each lead (None: zero for every lead)."""
    if not rule_is_complete(rule) or rule.points == 0 or frame.n == 0:
        return None
    if rule.operator == Operator.COUNT:
        points = count_values(rule, frame) * rule.points
        if rule.cap is not None:
            np.clip(points, -rule.cap, rule.cap, out=points)
    else:
        points = np.where(match_mask(rule, frame), float(rule.points), 0.0)
    factor = decay_factors(rule, frame, as_of)
    if factor is not None:
        points *= factor
    return points


def fired_mask(rule: ScoringRule, frame: LeadFrame) -> np.ndarray:
    """The leads a rule fires for (points or not): a match, or a non-zero count."""
    if not rule_is_complete(rule):
        return np.zeros(frame.n, bool)
    if rule.operator == Operator.COUNT:
        fired: np.ndarray = count_values(rule, frame) != 0
        return fired
    return match_mask(rule, frame)


def _counts_whole(rule: ScoringRule, frame: LeadFrame) -> bool:
    """Whether every count a count rule reads is a whole number (cached per column)."""
    col = frame.column(rule.field)
    if col is None or col.kind == ColumnKind.DATE:
        return True  # counts are all 0
    if col.whole_counts is None:
        if col.kind == ColumnKind.NUMBER:
            values = col.values[~np.isnan(col.values)]
            col.whole_counts = bool(np.all(values == np.floor(values)))
        else:
            numbers = [as_number(v) for v in col.labels]
            col.whole_counts = all(x is None or float(x).is_integer() for x in numbers)
    return col.whole_counts


def rule_gives_whole_points(rule: ScoringRule, frame: LeadFrame) -> bool:
    """Whether a rule's points are whole numbers for every lead (then sums are exact and
    need no rounding). Decided from the rule and the data, without scoring."""
    if not rule_is_complete(rule) or rule.points == 0:
        return True
    if rule.decay_half_life_days and rule.decay_date_field:
        return False
    if not float(rule.points).is_integer():
        return False
    if rule.operator == Operator.COUNT:
        return (rule.cap is None or float(rule.cap).is_integer()) and _counts_whole(rule, frame)
    return True
