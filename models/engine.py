"""Fit, engagement and score of every lead under a revision's rules, kept up to date as
the rules are edited (numpy, no Qt).

    Scorer  the revision's rules compiled against a LeadFrame (`models.lead_frame`): fit,
            engagement and score of every lead; `update(defs)` re-scores only the rules
            that changed (old contribution out, new one in)

Each rule's points per lead come from `models.rule_arrays`, so the scores agree lead by lead
with the reference in `models.scoring`. Scores are rounded to 6 decimal places (in the
reference too), so the order of additions never decides a tie at the threshold. The
threshold swept over these scores is in `models.threshold_sweep`; everything the threshold
check shows is in `models.check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from models.definitions import Definitions, Operator, RuleKind, ScoringRule
from models.rule_arrays import (
    as_of_date,
    contribution,
    count_values,
    match_mask,
    rule_gives_whole_points,
    rule_is_complete,
)
from models.scoring import ROUND_DIGITS

if TYPE_CHECKING:
    from models.lead_frame import LeadFrame
    from models.leads.types import Progress


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
        self._sweep_buffer: np.ndarray | None = None
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
        buffer = self._sweep_buffer
        if buffer is None or len(buffer) != self.frame.n:
            buffer = self._sweep_buffer = np.empty(self.frame.n, dtype=np.int64)
        return buffer

    def handoff(self, threshold: float, minimum_fit: float | None) -> np.ndarray:
        passed = self.score >= threshold
        if minimum_fit is not None:
            passed &= self.fit >= minimum_fit
        return passed
