"""Every lead scored at once, and the threshold swept at every value at once (numpy, no Qt).

    LeadFrame  the imported leads prepared for scoring: each column as codes into its
               distinct values (text, categories, yes/no), numbers, or day numbers (dates)
    Scorer     the revision's rules compiled against a LeadFrame: fit, engagement and score
               of every lead; `update(defs)` re-scores only the rules that changed
               (old contribution out, new one in)
    Sweep      passed, opportunities and revenue for every whole-number threshold from one
               `bincount` over (score, outcome) and cumulative sums: moving the threshold is
               an array lookup

The semantics are those of `models.scoring` (the reference for one lead), and they agree
lead by lead: a rule on a text column is evaluated by the reference on each distinct value
once and looked up by code; numeric comparisons are vectorised directly. Scores are rounded
to 6 decimal places (in the reference too), so the order of additions never decides a tie
at the threshold. Everything the threshold check shows is in `models.check`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from models.definitions import Definitions, Operator, RuleKind, ScoringRule
from models.definitions_json import rule_problems
from models.scoring import ROUND_DIGITS, as_date, as_number, rule_matches

if TYPE_CHECKING:
    import pyarrow as pa

    from models.leads.types import LeadData, Progress

EPOCH = dt.date(1970, 1, 1)
MAX_AGE_TABLE = 200_000  # decay factors are looked up per whole day of age up to this many days
_EPOCH_ORDINAL = EPOCH.toordinal()
MISSING = None


def day_number(day: dt.date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


def from_day_number(days: float) -> dt.date:
    return dt.date.fromordinal(int(days) + _EPOCH_ORDINAL)


# --------------------------------------------------------------------------- columns
@dataclass
class Column:
    """One lead attribute, ready for vectorised rules.

    kind "codes": `codes[i]` indexes `labels` (the distinct values as the reference sees
    them); the code `len(labels)` means missing. kind "number": `values` float64, NaN for
    missing. kind "date": `values` are day numbers since 1970-01-01 (float64, NaN missing).
    Numbers and dates get codes too, on first need (`coded()`), for operators that are
    evaluated per distinct value."""

    name: str
    kind: str
    codes: np.ndarray | None = None
    labels: list[Any] | None = None
    values: np.ndarray | None = None
    whole_counts: bool | None = field(default=None, repr=False)  # every value a whole number (cached)
    _coded: tuple[np.ndarray, list[Any]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.codes) if self.codes is not None else len(self.values)  # type: ignore[arg-type]

    def coded(self) -> tuple[np.ndarray, list[Any]]:
        """(codes, labels) for any kind; missing is the code len(labels)."""
        if self.kind == "codes":
            return self.codes, self.labels  # type: ignore[return-value]
        if self._coded is None:
            values = self.values
            assert values is not None
            missing = np.isnan(values)
            present, inverse = np.unique(values[~missing], return_inverse=True)
            codes = np.full(len(values), len(present), dtype=np.int32)
            codes[~missing] = inverse.reshape(-1)
            if self.kind == "date":
                labels: list[Any] = [from_day_number(v) for v in present]
            else:
                labels = [float(v) for v in present]
            self._coded = (codes, labels)
        return self._coded

    def value(self, i: int) -> Any:
        """Lead i's value as the reference scoring sees it."""
        if self.kind == "codes":
            code = int(self.codes[i])  # type: ignore[index]
            return self.labels[code] if code < len(self.labels) else None  # type: ignore[arg-type]
        v = float(self.values[i])  # type: ignore[index]
        if math.isnan(v):
            return None
        return from_day_number(v) if self.kind == "date" else v

    def missing_mask(self) -> np.ndarray:
        if self.kind == "codes":
            return self.codes == len(self.labels)  # type: ignore[arg-type,operator]
        return np.isnan(self.values)  # type: ignore[arg-type]

    @classmethod
    def from_labels(cls, name: str, codes: np.ndarray, labels: list[Any]) -> Column:
        """Codes in the smallest unsigned type that holds them and the missing code (at 10M
        leads a uint8 column is 10 MB instead of 40; look-ups are as fast, measured)."""
        size = len(labels) + 1
        dtype = np.uint8 if size <= 1 << 8 else np.uint16 if size <= 1 << 16 else np.int32
        return cls(name, "codes", codes=np.ascontiguousarray(codes, dtype=dtype), labels=list(labels))

    @classmethod
    def from_numbers(cls, name: str, values: np.ndarray) -> Column:
        return cls(name, "number", values=np.ascontiguousarray(values, dtype=np.float64))

    @classmethod
    def from_days(cls, name: str, days: np.ndarray) -> Column:
        return cls(name, "date", values=np.ascontiguousarray(days, dtype=np.float64))


def _arrow_column(name: str, chunked: pa.ChunkedArray) -> Column:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = chunked.type
    if pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_decimal(t):
        values = pc.cast(chunked, pa.float64()).to_numpy(zero_copy_only=False)
        return Column.from_numbers(name, np.where(np.isnan(values), np.nan, values))
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        days = chunked.cast(pa.timestamp("s")).to_numpy(zero_copy_only=False).astype("datetime64[D]")
        out = days.astype("int64").astype(np.float64)
        out[np.isnat(days)] = np.nan
        return Column.from_days(name, out)
    if pa.types.is_boolean(t):
        arr = chunked.to_numpy(zero_copy_only=False)
        codes = np.full(len(arr), 2, dtype=np.int32)
        valid = pc.is_valid(chunked).to_numpy(zero_copy_only=False)
        codes[valid] = np.where(arr[valid].astype(bool), 1, 0)
        return Column.from_labels(name, codes, ["No", "Yes"])
    if not pa.types.is_dictionary(t):
        chunked = pc.dictionary_encode(pc.cast(chunked, pa.string()) if not pa.types.is_string(t) else chunked)
    chunked = chunked.unify_dictionaries()
    if chunked.num_chunks == 0:
        return Column.from_labels(name, np.zeros(0, np.int32), [])
    dictionary = chunked.chunk(0).dictionary
    labels = dictionary.to_pylist()
    missing = len(labels)
    parts = [pc.fill_null(c.indices, missing).to_numpy(zero_copy_only=False) for c in chunked.chunks]
    codes = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    return Column.from_labels(name, codes, labels)


class LeadFrame:
    """The leads as columns the scorer can use: the outcome (bool), optional revenue and
    creation day, and every attribute, prepared on first use.

    `aliases` maps a file's own column names of the standard columns (e.g. "Prospect ID")
    to the table's names ("id"), so a rule may use either."""

    def __init__(
        self,
        n: int,
        outcome: np.ndarray,
        *,
        revenue: np.ndarray | None = None,
        created_days: np.ndarray | None = None,
        columns: dict[str, Callable[[], Column] | Column] | None = None,
        aliases: dict[str, str] | None = None,
        ids: Callable[[int], str] | None = None,
    ) -> None:
        self.n = int(n)
        self.outcome = np.ascontiguousarray(outcome, dtype=bool)
        self.revenue = None if revenue is None else np.ascontiguousarray(revenue, dtype=np.float64)
        self.created_days = None if created_days is None else np.asarray(created_days, dtype=np.float64)
        self._sources: dict[str, Callable[[], Column] | Column] = dict(columns or {})
        self._columns: dict[str, Column] = {}
        self.aliases = dict(aliases or {})
        self._ids = ids
        self._all_ids: Callable[[], list[str]] | None = None

    # -- building ------------------------------------------------------------------
    @classmethod
    def from_lead_data(cls, data: LeadData) -> LeadFrame:
        from models.leads.types import CREATED, ID, OUTCOME, REVENUE

        table = data.table
        names = table.column_names
        outcome = table.column(OUTCOME).to_numpy(zero_copy_only=False).astype(bool)
        revenue = None
        if REVENUE in names:
            revenue = np.nan_to_num(table.column(REVENUE).to_numpy(zero_copy_only=False).astype(np.float64))
        created = _arrow_column(CREATED, table.column(CREATED)).values if CREATED in names else None

        def lazy(name: str) -> Callable[[], Column]:
            return lambda: _arrow_column(name, table.column(name))

        columns: dict[str, Callable[[], Column] | Column] = {name: lazy(name) for name in names}
        aliases = {}
        mapping = data.mapping
        for std in ("id", "outcome", "revenue", "created", "owner", "email"):
            original = getattr(mapping, std, None)
            if original and std in names and original not in names:
                aliases[original] = std
        id_column = table.column(ID) if ID in names else None
        frame = cls(
            table.num_rows,
            outcome,
            revenue=revenue,
            created_days=created,
            columns=columns,
            aliases=aliases,
            ids=(lambda i: str(id_column[i].as_py())) if id_column is not None else None,
        )
        if id_column is not None:
            frame._all_ids = lambda: [str(v) for v in id_column.to_pylist()]
        return frame

    # -- reading -------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return list(self._sources)

    def has(self, name: str) -> bool:
        name = name.strip()
        return name in self._sources or name in self.aliases

    def column(self, name: str) -> Column | None:
        name = name.strip()
        name = name if name in self._sources else self.aliases.get(name, name)
        if name not in self._sources:
            return None
        col = self._columns.get(name)
        if col is None:
            source = self._sources[name]
            col = source if isinstance(source, Column) else source()
            self._columns[name] = col
        return col

    def lead(self, i: int, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Lead i as a mapping of field name to value, as `models.scoring` takes it."""
        out: dict[str, Any] = {}
        for name in fields if fields is not None else self.names:
            col = self.column(name)
            out[name] = None if col is None else col.value(i)
        return out

    def ids(self) -> list[str]:
        """Every lead's ID, in order."""
        if self._all_ids is not None:
            return self._all_ids()
        return [str(i + 1) for i in range(self.n)]

    def lead_id(self, i: int) -> str:
        return self._ids(i) if self._ids is not None else str(i + 1)

    @property
    def weeks_from_dates(self) -> float | None:
        """Weeks between the first and last creation date (inclusive), as the quality summary."""
        days = self.created_days
        if days is None or not len(days):
            return None
        valid = days[~np.isnan(days)]
        if not len(valid):
            return None
        return max(float(valid.max() - valid.min()) + 1, 1.0) / 7.0


# --------------------------------------------------------------------------- one rule, all leads
def as_of_date(defs: Definitions) -> dt.date:
    return defs.scoring.as_of_date or defs.team.date or dt.date.today()


def rule_is_complete(rule: ScoringRule) -> bool:
    return not rule_problems(rule)


def _match_by_labels(rule: ScoringRule, col: Column) -> np.ndarray:
    codes, labels = col.coded()
    lut = np.fromiter((rule_matches(rule, v) for v in labels), dtype=bool, count=len(labels))
    lut = np.append(lut, rule_matches(rule, None))
    return lut[codes]


def match_mask(rule: ScoringRule, frame: LeadFrame) -> np.ndarray:
    """Which leads a (non-count) rule matches."""
    col = frame.column(rule.field)
    op = rule.operator
    if col is None:  # a field the data does not have: missing for every lead
        return np.full(frame.n, rule_matches(rule, None), dtype=bool)
    if col.kind == "codes":
        return _match_by_labels(rule, col)
    values = col.values
    assert values is not None
    if op == Operator.IS_EMPTY:
        return np.isnan(values)
    if op == Operator.IS_NOT_EMPTY:
        return ~np.isnan(values)
    if col.kind == "number":
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
    if col.kind == "number":
        return np.nan_to_num(col.values, nan=0.0)  # type: ignore[arg-type]
    codes, labels = col.coded()
    lut = np.array([(as_number(v) or 0.0) if col.kind == "codes" else 0.0 for v in labels] + [0.0])
    return lut[codes]


def decay_factors(rule: ScoringRule, frame: LeadFrame, as_of: dt.date) -> np.ndarray | None:
    """0.5^(age/half-life) per lead, 1 where the activity date is unknown; None without decay."""
    if not rule.decay_half_life_days or not rule.decay_date_field:
        return None
    col = frame.column(rule.decay_date_field)
    if col is None or col.kind == "number":
        return None  # no dates: never decayed
    if col.kind == "date":
        days = col.values
    else:
        parsed = [as_date(v) for v in col.labels]  # type: ignore[union-attr]
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
    return table[age.astype(np.int64)]


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
        return count_values(rule, frame) != 0
    return match_mask(rule, frame)


def _counts_whole(rule: ScoringRule, frame: LeadFrame) -> bool:
    """Whether every count a count rule reads is a whole number (cached per column)."""
    col = frame.column(rule.field)
    if col is None or col.kind == "date":
        return True  # counts are all 0
    if col.whole_counts is None:
        if col.kind == "number":
            values = col.values[~np.isnan(col.values)]  # type: ignore[index]
            col.whole_counts = bool(np.all(values == np.floor(values)))
        else:
            numbers = [as_number(v) for v in col.labels]  # type: ignore[union-attr]
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


# --------------------------------------------------------------------------- all rules
def _scoring_shape(rule: ScoringRule) -> dict[str, Any]:
    """What decides which leads a rule gives points to, and how many per point."""
    return rule.model_dump(exclude={"label", "points", "kind"})


def _linear(rule: ScoringRule) -> bool:
    """Whether the rule's points for a lead are (its points) × (something not depending on them)."""
    return rule.operator != Operator.COUNT or rule.cap is None


class Scorer:
    """Fit, engagement and score of every lead under a revision's rules.

    `update(defs)` compares the rules with those last scored (by uid) and moves only the
    difference: score += new contribution − old contribution of each changed rule. A change
    of points alone (the usual edit) moves score by Δpoints × the rule's per-point array,
    kept for the rules edited last. Changing only a label re-scores nothing; many changes at
    once (an imported definitions file) re-score from scratch.

    The arrays are updated in place (copy them to keep a state); `fit` and `engagement` are
    rounded when first read (the sweep needs only `score`, and `fit` only with a minimum fit)."""

    REBUILD_AFTER = 6  # changed rules beyond which a fresh score is cheaper
    UNIT_BYTES_PER_LEAD = 16  # per-point arrays kept for the rules edited last: 16 masks, or 2 arrays of numbers

    def __init__(self, frame: LeadFrame, defs: Definitions, progress: Progress | None = None) -> None:
        self.frame = frame
        self._as_of = as_of_date(defs)
        self._residue = False
        self._units: dict[str, tuple[dict[str, Any], np.ndarray, tuple[float, float]]] = {}
        self._delta: np.ndarray | None = None
        # A range every score lies in (found by the sweep, moved by edits): lets the sweep skip
        # its passes for the lowest and highest score. None: unknown.
        self.bounds: tuple[float, float] | None = None
        self.version = 0
        self.rebuild(defs, progress)

    @property
    def rules(self) -> list[ScoringRule]:
        return list(self._rules.values())

    def rebuild(self, defs: Definitions, progress: Progress | None = None) -> None:
        """Score every lead from scratch (reporting each rule to `progress`, which may cancel)."""
        from models.leads.types import check

        self._as_of = as_of_date(defs)
        self.fit_raw = np.zeros(self.frame.n)
        self.eng_raw = np.zeros(self.frame.n)
        self.score_raw = np.zeros(self.frame.n)  # fit_raw + eng_raw, kept up to date alongside
        self._rounded: np.ndarray | None = None
        self._rules: dict[str, ScoringRule] = {}
        self._whole: dict[str, bool] = {}
        self._units = {}
        self._residue = False
        self.bounds = None
        for k, rule in enumerate(defs.rules):
            if progress is not None:
                check(progress, k / max(len(defs.rules), 1), f"Scoring rule {k + 1} of {len(defs.rules)}\u2026")
            self._add(rule, +1)
            self._rules[rule.uid] = rule.model_copy(deep=True)
        self._finish()

    def _target(self, rule: ScoringRule) -> np.ndarray:
        return self.fit_raw if rule.kind == RuleKind.FIT else self.eng_raw

    def _add(self, rule: ScoringRule, sign: int) -> None:
        whole = rule_gives_whole_points(rule, self.frame)
        if sign > 0:
            self._whole[rule.uid] = whole
        contrib = contribution(rule, self.frame, self._as_of)
        if contrib is None:
            return
        if not whole:
            self._residue = True  # fractions added or taken out: the raw sums may carry float error
        self.bounds = None  # the next sweep finds the lowest and highest score again
        if sign > 0:
            self._target(rule).__iadd__(contrib)
            self.score_raw += contrib
        else:
            self._target(rule).__isub__(contrib)
            self.score_raw -= contrib

    def _unit(self, rule: ScoringRule) -> np.ndarray | None:
        """The rule's points per point of `points`, per lead: a bool mask for a plain match
        rule, else numbers (kept for the rules edited last, within a memory budget)."""
        shape = _scoring_shape(rule)
        kept = self._units.get(rule.uid)
        if kept is not None and kept[0] == shape:
            self._units[rule.uid] = self._units.pop(rule.uid)  # most recently used last
            return kept[1]
        decays = bool(rule.decay_half_life_days and rule.decay_date_field)
        if rule.operator != Operator.COUNT and not decays:
            unit: np.ndarray | None = match_mask(rule, self.frame)
        elif rule.operator == Operator.COUNT and not decays:
            unit = count_values(rule, self.frame)  # the counts themselves (the cap is applied per use)
        else:
            unit = contribution(rule.model_copy(update={"points": 1.0}), self.frame, self._as_of)
        if unit is None:
            return None
        span = (
            (0.0, 1.0)
            if unit.dtype == bool
            else (float(np.min(unit)), float(np.max(unit)))
            if len(unit)
            else (0.0, 0.0)
        )
        self._units[rule.uid] = (shape, unit, span)
        budget = self.UNIT_BYTES_PER_LEAD * max(self.frame.n, 1)
        while len(self._units) > 1 and sum(u.nbytes for _, u, _ in self._units.values()) > budget:
            self._units.pop(next(iter(self._units)))
        return unit

    def _shift(self, target: np.ndarray, unit: np.ndarray, points: float, uid: str) -> None:
        """target += unit × points, and the same on the running total (through a kept buffer:
        a fresh array per edit costs as much again in page faults at 10M leads)."""
        if self._delta is None or len(self._delta) != len(unit):
            self._delta = np.empty(len(unit))
        np.multiply(unit, points, out=self._delta)  # (a masked np.add is slower, measured)
        target += self._delta
        self.score_raw += self._delta
        if self.bounds is not None:  # every score moved by at least, at most, this much
            low, high = self._units[uid][2]
            moves = (low * points, high * points)
            self.bounds = (self.bounds[0] + min(moves), self.bounds[1] + max(moves))

    def _move(self, old: ScoringRule, new: ScoringRule) -> None:
        """Re-score one changed rule."""
        # Whether a rule is complete can depend on its kind (a count rule must be a behaviour
        # rule): the per-point shortcut needs both versions to score.
        same_shape = _scoring_shape(old) == _scoring_shape(new) and rule_is_complete(new) and rule_is_complete(old)
        if (
            same_shape
            and new.operator == Operator.COUNT
            and new.cap is not None
            and not (new.decay_half_life_days and new.decay_date_field)
        ):
            counts = self._unit(new)  # a capped count: points = clip(count × points, ±cap)
            assert counts is not None
            self._whole[new.uid] = rule_gives_whole_points(new, self.frame)
            if not (self._whole[new.uid] and rule_gives_whole_points(old, self.frame)):
                self._residue = True
            self.bounds = None
            before = np.clip(counts * old.points, -new.cap, new.cap)
            after = np.clip(counts * new.points, -new.cap, new.cap)
            if old.kind == new.kind:
                after -= before
                self._target(new).__iadd__(after)
                self.score_raw += after
            else:
                self._target(old).__isub__(before)
                self._target(new).__iadd__(after)
                self.score_raw += after - before
            return
        if same_shape and _linear(old) and _linear(new):
            unit = self._unit(new)
            self._whole[new.uid] = rule_gives_whole_points(new, self.frame)
            if unit is None:  # matches nobody
                return
            if not (self._whole[new.uid] and rule_gives_whole_points(old, self.frame)):
                self._residue = True
            if old.kind == new.kind:
                self._shift(self._target(new), unit, new.points - old.points, new.uid)
            else:
                self._shift(self._target(old), unit, -old.points, new.uid)
                self._shift(self._target(new), unit, new.points, new.uid)
            return
        self._units.pop(old.uid, None)
        self._add(old, -1)
        self._add(new, +1)

    def update(self, defs: Definitions) -> bool:
        """Bring the scores up to `defs`' rules; True when anything was re-scored."""
        if as_of_date(defs) != self._as_of and any(
            r.decay_half_life_days for r in [*defs.rules, *self._rules.values()]
        ):
            self.rebuild(defs)  # decayed points, old and new, depend on the as-of date
            return True
        self._as_of = as_of_date(defs)
        new = {r.uid: r for r in defs.rules}
        removed = [uid for uid in self._rules if uid not in new]
        changed = [r for r in defs.rules if self._rules.get(r.uid) != r]
        relabelled = [
            r
            for r in changed
            if r.uid in self._rules
            and self._rules[r.uid].model_dump(exclude={"label"}) == r.model_dump(exclude={"label"})
        ]
        for rule in relabelled:  # a new name scores nothing differently
            self._rules[rule.uid] = rule.model_copy(deep=True)
        changed = [r for r in changed if r not in relabelled]
        if not removed and not changed:
            return False
        if len(removed) + len(changed) > self.REBUILD_AFTER:
            self.rebuild(defs)
            return True
        for uid in removed:
            self._add(self._rules.pop(uid), -1)
            self._whole.pop(uid, None)
            self._units.pop(uid, None)
        for rule in changed:
            old = self._rules.get(rule.uid)
            if old is None:
                self._add(rule, +1)
            else:
                self._move(old, rule)
            self._rules[rule.uid] = rule.model_copy(deep=True)
        self._finish()
        return True

    def _finish(self) -> None:
        self.whole = all(self._whole.values())
        if self.whole and self._residue:
            # Fractions were taken out again: what is left is whole up to float error.
            for array in (self.fit_raw, self.eng_raw, self.score_raw):
                np.round(array, out=array)
            self._residue = False
        if self.whole:  # sums of whole numbers are exact in float64
            self.score = self.score_raw
            self._rounded = None
        else:  # others are rounded once, into a buffer kept from one change to the next
            if self._rounded is None:
                self._rounded = np.empty_like(self.score_raw)
            np.round(self.score_raw, ROUND_DIGITS, out=self._rounded)
            self.score = self._rounded
        if self.bounds is not None:  # rounding moves a score by at most half a millionth
            self.bounds = (self.bounds[0] - 1e-6, self.bounds[1] + 1e-6)
        self._fit: np.ndarray | None = None
        self._engagement: np.ndarray | None = None
        self.version += 1

    @property
    def fit(self) -> np.ndarray:
        if self._fit is None:
            self._fit = self.fit_raw.copy() if self.whole else np.round(self.fit_raw, ROUND_DIGITS)
        return self._fit

    @property
    def engagement(self) -> np.ndarray:
        if self._engagement is None:
            self._engagement = self.eng_raw.copy() if self.whole else np.round(self.eng_raw, ROUND_DIGITS)
        return self._engagement

    def sweep_buffer(self) -> np.ndarray:
        """An int64 array of one slot per lead, kept for the sweep (no allocation per edit)."""
        if getattr(self, "_sweep_buffer", None) is None or len(self._sweep_buffer) != self.frame.n:
            self._sweep_buffer = np.empty(self.frame.n, dtype=np.int64)
        return self._sweep_buffer

    def handoff(self, threshold: float, minimum_fit: float | None) -> np.ndarray:
        passed = self.score >= threshold
        if minimum_fit is not None:
            passed &= self.fit >= minimum_fit
        return passed


# --------------------------------------------------------------------------- every threshold
@dataclass
class Sweep:
    """Figures for every whole-number threshold t in `thresholds` (lowest score … highest
    score + 1): `passed[k]` leads have score ≥ thresholds[k] (and fit ≥ the minimum fit),
    `opportunities[k]` of them became opportunities, `revenue[k]` is their revenue.

    Because a lead's score ≥ t exactly when floor(score) ≥ t for whole t, one bincount of
    floor(score) gives every whole threshold exactly. `histogram_*` count all leads per
    one-point score bin [lo + k, lo + k + 1), split by outcome."""

    lo: int
    thresholds: np.ndarray
    passed: np.ndarray
    opportunities: np.ndarray
    revenue: np.ndarray | None
    histogram_won: np.ndarray
    histogram_lost: np.ndarray
    eligible: int  # leads that pass the minimum-fit gate (all leads without one)

    def index(self, threshold: float) -> int:
        """Index of a whole threshold, clamped to the swept range."""
        k = int(math.ceil(threshold)) - self.lo
        return min(max(k, 0), len(self.thresholds) - 1)


MAX_BINS = 200_000


def sweep(scorer: Scorer, minimum_fit: float | None) -> Sweep:
    score = scorer.score
    n = len(score)
    outcome = scorer.frame.outcome
    if n == 0:
        empty = np.zeros(1, np.int64)
        return Sweep(
            0, np.zeros(1, np.int64), empty, empty.copy(), None, np.zeros(0, np.int64), np.zeros(0, np.int64), 0
        )
    index = scorer.sweep_buffer()
    both = None
    if scorer.bounds is not None and scorer.bounds[1] - scorer.bounds[0] < MAX_BINS - 2:
        # The range the edits kept track of: no pass over the scores for their extremes. Bins
        # outside the real range come out empty and are trimmed below; a score outside the
        # range (which would be a bug) makes the counts fail their check, and they are redone.
        lo, hi = math.floor(scorer.bounds[0]), math.floor(scorer.bounds[1])
        np.subtract(score, lo, out=index, casting="unsafe")
        index <<= 1
        index |= outcome
        try:
            both = np.bincount(index, minlength=2 * (hi - lo + 1))
        except ValueError:  # a negative bin
            both = None
        if both is not None and len(both) != 2 * (hi - lo + 1):
            both = None
        if both is not None:
            filled = np.flatnonzero(both.reshape(-1, 2).sum(axis=1))
            first, last = int(filled[0]), int(filled[-1])
            if first or last != hi - lo:  # trim to floor(min score) .. floor(max score)
                both = both.reshape(-1, 2)[first : last + 1].reshape(-1)
                index -= 2 * first
                lo, hi = lo + first, lo + last
    if both is None:
        lo, hi = math.floor(float(score.min())), math.floor(float(score.max()))
        if hi - lo + 1 > MAX_BINS:  # absurd point values: clamp the extremes into the range
            mid = math.floor(float(np.median(score)))
            lo, hi = mid - MAX_BINS // 2, mid + MAX_BINS // 2 - 1
            np.subtract(np.clip(score, lo, hi + 0.5), lo, out=index, casting="unsafe")
        else:
            # score − lo ≥ 0, so the cast's truncation is floor(score) − lo: no float temporary.
            np.subtract(score, lo, out=index, casting="unsafe")
        index <<= 1
        index |= outcome  # bin × 2 + outcome: one bincount splits every bin by outcome
        both = np.bincount(index, minlength=2 * (hi - lo + 1))
    scorer.bounds = (float(lo), float(hi + 1))  # floor(min) ≤ every score < floor(max) + 1
    nbins = hi - lo + 1
    revenue = scorer.frame.revenue
    both = both.reshape(nbins, 2)
    hist_lost, hist_won = both[:, 0].copy(), both[:, 1].copy()
    eligible = n
    if minimum_fit is not None:
        gate = scorer.fit >= minimum_fit
        gated = index[gate]
        both = np.bincount(gated, minlength=2 * nbins).reshape(nbins, 2)
        eligible = int(gate.sum())
        revenue_bins = (
            None
            if revenue is None
            else np.bincount(gated, weights=revenue[gate], minlength=2 * nbins).reshape(nbins, 2).sum(axis=1)
        )
    else:
        revenue_bins = (
            None
            if revenue is None
            else np.bincount(index, weights=revenue, minlength=2 * nbins).reshape(nbins, 2).sum(axis=1)
        )
    per_bin = both.sum(axis=1)
    # passed at threshold lo + k = leads in bins ≥ k; one extra threshold (hi + 1) passes none.
    passed = np.zeros(nbins + 1, np.int64)
    passed[:nbins] = np.cumsum(per_bin[::-1])[::-1]
    opps = np.zeros(nbins + 1, np.int64)
    opps[:nbins] = np.cumsum(both[::-1, 1])[::-1]
    revenue_passed = None
    if revenue_bins is not None:
        revenue_passed = np.zeros(nbins + 1)
        revenue_passed[:nbins] = np.cumsum(revenue_bins[::-1])[::-1]
    return Sweep(lo, np.arange(lo, hi + 2, dtype=np.int64), passed, opps, revenue_passed, hist_won, hist_lost, eligible)
