"""The threshold check: would the leads above the threshold have become opportunities at the
rate sales asked for, in a volume sales can follow up? (numpy, no Qt)

    check = ThresholdCheck(frame, defs)     scores every lead and sweeps every threshold
    check.update(defs)                      after an edit: only changed rules are re-scored
    check.figures(t)                        the figures at threshold t (a lookup)
    check.recommendation()                  the lowest threshold meeting rate and capacity
    check.bands(), check.rule_diagnostics(), check.segments(col), check.experiment(col, values)

For N leads with outcome o, revenue r and creation day d, at threshold t: passed(t) = leads
with score ≥ t (and fit ≥ the minimum fit, if set); opportunities(t) = those with o = 1;
rate = opportunities / passed; coverage = opportunities / all opportunities; lift = rate /
overall rate; advantage = rate / baseline rate ("N× better than cold calling"); weekly volume
= passed / weeks (the weeks the history covers: entered in the scoring settings, or the span
of the creation dates); utilisation = weekly volume / capacity; revenue captured = Σ r of
the passed leads.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from models.check_text import fmt_pct, per_week
from models.definitions import Definitions, Operator
from models.engine import Scorer
from models.lead_frame import ColumnKind, LeadFrame
from models.palette import LOST
from models.rule_arrays import count_values, fired_mask, rule_is_complete
from models.scoring import describe_rule, shown
from models.text_match import fold
from models.threshold_sweep import Sweep, sweep

if TYPE_CHECKING:
    from models.leads.types import Progress

SUGGESTION_METHOD = (
    "Suggested points: 10 points for each doubling of the opportunity rate, i.e. "
    "10 × log\u2082(rate of the leads the rule fires for ÷ rate of the others), "
    "rounded to the nearest 5; for count rules, per occurrence: divided by the median "
    "count of the leads it fires for, rounded to the nearest half point. Needs at "
    "least 30 leads on each side."
)
MIN_SIDE = 30  # leads needed on each side of a rule for a lift worth suggesting points from


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


@dataclass(frozen=True)
class Figures:
    threshold: float
    passed: int
    opportunities: int
    rate: float | None  # None when nobody passes
    coverage: float | None  # None when the history has no opportunity at all
    lift: float | None
    advantage: float | None  # rate / baseline rate
    weekly_volume: float | None  # None when the weeks are unknown
    capacity: int
    utilisation: float | None
    revenue: float | None  # None without a revenue column
    target_rate: float
    baseline_rate: float
    leads: int
    all_opportunities: int
    overall_rate: float | None
    weeks: float | None

    @property
    def rate_ok(self) -> bool:
        return self.rate is not None and self.rate >= self.target_rate

    @property
    def volume_ok(self) -> bool:
        return self.weekly_volume is not None and self.weekly_volume <= self.capacity

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Recommendation:
    threshold: int | None
    reason: str


@dataclass(frozen=True)
class BandRow:
    name: str
    min_score: float | None  # None: below the lowest band
    max_score: float | None  # exclusive; None for the top band
    leads: int
    opportunities: int
    rate: float | None
    share: float  # of all leads
    colour: str


@dataclass(frozen=True)
class RuleDiagnostic:
    uid: str
    label: str
    rule: str  # the rule in words
    kind: str
    points: float
    per_occurrence: bool  # a count rule: its points (and suggested points) are per occurrence
    matched: int
    matched_rate: float | None
    other_rate: float | None
    lift: float | None
    suggested_points: float | None
    note: str


@dataclass(frozen=True)
class SegmentRow:
    value: str
    leads: int
    opportunities: int
    rate: float | None
    passed: int
    passed_opportunities: int
    passed_rate: float | None
    weekly_volume: float | None


@dataclass(frozen=True)
class Experiment:
    column: str
    values: tuple[str, ...]
    added: int  # leads of the segment that are not sent to sales now
    added_opportunities: int
    added_weekly: float | None
    weekly_volume: float | None  # with the segment sent too
    rate: float | None  # blended rate with the segment sent too
    rate_now: float | None
    capacity: int


def _round_half_away(value: float, step: float) -> float:
    """`value` to the nearest multiple of `step`, halves away from zero (12.5 → 15 for 5)."""
    return math.copysign(math.floor(abs(value) / step + 0.5) * step, value) + 0.0


class ThresholdCheck:
    def __init__(self, frame: LeadFrame, defs: Definitions, progress: Progress | None = None) -> None:
        self.frame = frame
        self.scorer = Scorer(frame, defs, progress)
        self.defs = defs
        self._sweep_key: tuple[Any, ...] | None = None
        self._sweep: Sweep | None = None
        self.all_opportunities = int(np.count_nonzero(frame.outcome))

    # -- keeping up with edits -------------------------------------------------------
    def update(self, defs: Definitions) -> bool:
        """Follow the definitions after an edit; True when the scores changed."""
        self.defs = defs
        return self.scorer.update(defs)

    @property
    def sweep(self) -> Sweep:
        key = (self.scorer.version, self.defs.scoring.minimum_fit)
        if self._sweep is None or key != self._sweep_key:
            self._sweep = sweep(self.scorer, self.defs.scoring.minimum_fit)
            self._sweep_key = key
        return self._sweep

    # -- the numbers ---------------------------------------------------------------
    @property
    def weeks(self) -> float | None:
        return self.defs.scoring.history_weeks or self.frame.weeks_from_dates

    @property
    def capacity(self) -> int:
        return self.defs.team.reps * self.defs.team.leads_per_rep_per_week

    def _counts(self, threshold: float) -> tuple[int, int, float | None]:
        sw = self.sweep
        if float(threshold).is_integer() or self.scorer.whole:
            k = sw.index(threshold)  # scores are whole, or t is: ceil(t) is exact
            return int(sw.passed[k]), int(sw.opportunities[k]), None if sw.revenue is None else float(sw.revenue[k])
        passed = self.scorer.handoff(threshold, self.defs.scoring.minimum_fit)
        revenue = None if self.frame.revenue is None else float(self.frame.revenue[passed].sum())
        return int(passed.sum()), int(np.count_nonzero(passed & self.frame.outcome)), revenue

    def figures(self, threshold: float | None = None) -> Figures:
        t = self.defs.scoring.threshold if threshold is None else float(threshold)
        passed, opps, revenue = self._counts(t)
        team = self.defs.team
        n = self.frame.n
        rate = _ratio(opps, passed)
        overall = _ratio(self.all_opportunities, n)
        weeks = self.weeks
        weekly = passed / weeks if weeks else None
        capacity = self.capacity
        return Figures(
            threshold=t,
            passed=passed,
            opportunities=opps,
            rate=rate,
            coverage=_ratio(opps, self.all_opportunities),
            lift=None if rate is None or not overall else rate / overall,
            advantage=None if rate is None or not team.baseline_rate else rate / team.baseline_rate,
            weekly_volume=weekly,
            capacity=capacity,
            utilisation=None if weekly is None or not capacity else weekly / capacity,
            revenue=revenue,
            target_rate=team.target_rate,
            baseline_rate=team.baseline_rate,
            leads=n,
            all_opportunities=self.all_opportunities,
            overall_rate=overall,
            weeks=weeks,
        )

    def curves(self) -> dict[str, np.ndarray]:
        """Rate, coverage and weekly volume against every whole threshold (NaN where undefined)."""
        sw = self.sweep
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(sw.passed > 0, sw.opportunities / np.maximum(sw.passed, 1), np.nan)
            coverage = (
                sw.opportunities / self.all_opportunities if self.all_opportunities else np.full(len(sw.passed), np.nan)
            )
        weeks = self.weeks
        weekly = sw.passed / weeks if weeks else np.full(len(sw.passed), np.nan)
        return {
            "threshold": sw.thresholds.astype(float),
            "rate": rate,
            "coverage": coverage,
            "weekly": weekly,
            "passed": sw.passed,
        }

    def recommendation(self) -> Recommendation:
        """The lowest whole threshold with rate ≥ target and weekly volume ≤ capacity; when
        none exists, which condition fails and by how much."""
        team = self.defs.team
        target = team.target_rate
        if self.frame.n == 0:
            return Recommendation(None, "There are no leads to check the threshold against.")
        if self.all_opportunities == 0:
            return Recommendation(
                None,
                "No lead in the history became an opportunity, so no threshold "
                f"can reach the target rate of {fmt_pct(target)}.",
            )
        c = self.curves()
        sw = self.sweep
        thresholds, rate, weekly = c["threshold"], c["rate"], c["weekly"]
        with np.errstate(invalid="ignore"):
            rate_ok = (sw.passed > 0) & (rate >= target)
        if not rate_ok.any():
            best = int(np.nanargmax(rate)) if np.isfinite(rate).any() else None
            if best is None:
                return Recommendation(None, "No lead passes the minimum fit score, so no threshold can be recommended.")
            return Recommendation(
                None,
                f"No threshold reaches the target rate of {fmt_pct(target)}: the best "
                f"is {fmt_pct(rate[best])} at {thresholds[best]:g} points "
                f"({int(sw.passed[best]):,} leads passed), "
                f"{(target - rate[best]) * 100:.0f} points short.",
            )
        weeks = self.weeks
        if not weeks:
            k = int(np.argmax(rate_ok))
            return Recommendation(
                int(thresholds[k]),
                f"the lowest threshold that meets the target rate ({fmt_pct(rate[k])} "
                f"\u2265 {fmt_pct(target)}). Leads per week are unknown: enter the weeks "
                "the history covers to check capacity too.",
            )
        capacity = self.capacity
        both = rate_ok & (weekly <= capacity)
        if both.any():
            k = int(np.argmax(both))
            return Recommendation(
                int(thresholds[k]),
                f"the lowest threshold that meets the target rate ({fmt_pct(rate[k])} "
                f"\u2265 {fmt_pct(target)}) within sales capacity ({per_week(weekly[k])} "
                f"\u2264 {capacity:,} leads a week).",
            )
        # Rate reachable, capacity not: volume only falls as t rises, so the fewest is at the top.
        k = int(np.flatnonzero(rate_ok)[-1])
        return Recommendation(
            None,
            f"Every threshold that reaches the target rate of {fmt_pct(target)} "
            f"sends more leads than sales can follow up: the fewest is "
            f"{per_week(weekly[k])} per week (at {thresholds[k]:g} points), "
            f"{per_week(weekly[k] - capacity)} over the capacity of {capacity:,}.",
        )

    # -- tables --------------------------------------------------------------------
    def bands(self) -> list[BandRow]:
        """Leads and opportunity rate per score band, highest band first (the classic
        validation table); leads below the lowest band form a row of their own."""
        score, outcome, n = self.scorer.score, self.frame.outcome, self.frame.n
        bands = sorted(self.defs.bands, key=lambda b: b.min_score)
        edges = np.array([b.min_score for b in bands], dtype=np.float64)
        which = np.searchsorted(edges, score, side="right")  # 0: below every band
        leads = np.bincount(which, minlength=len(bands) + 1)
        opps = np.bincount(which, weights=outcome, minlength=len(bands) + 1).astype(np.int64)
        rows: list[BandRow] = []
        for k in range(len(bands), -1, -1):
            if k == 0:
                if leads[0] == 0 and bands:
                    continue
                name, lo, hi, colour = (
                    "Below every band" if bands else "All leads",
                    None,
                    (bands[0].min_score if bands else None),
                    LOST,
                )
            else:
                band = bands[k - 1]
                name, lo, colour = band.name or f"≥ {band.min_score:g}", band.min_score, band.colour
                hi = bands[k].min_score if k < len(bands) else None
            rows.append(
                BandRow(
                    name,
                    lo,
                    hi,
                    int(leads[k]),
                    int(opps[k]),
                    _ratio(int(opps[k]), int(leads[k])),
                    float(leads[k] / n) if n else 0.0,
                    colour,
                )
            )
        return rows

    def rule_diagnostics(self) -> list[RuleDiagnostic]:
        """Per rule: leads it fires for, their opportunity rate, lift against the leads it
        does not fire for, and suggested points (see SUGGESTION_METHOD)."""
        outcome = self.frame.outcome
        n = self.frame.n
        out: list[RuleDiagnostic] = []
        for rule in self.defs.rules:
            base: dict[str, Any] = dict(
                uid=rule.uid,
                label=rule.label or describe_rule(rule),
                rule=describe_rule(rule),
                kind=rule.kind.value,
                points=rule.points,
                per_occurrence=rule.operator == Operator.COUNT,
            )
            if not rule_is_complete(rule):
                out.append(
                    RuleDiagnostic(
                        **base,
                        matched=0,
                        matched_rate=None,
                        other_rate=None,
                        lift=None,
                        suggested_points=None,
                        note="incomplete rule",
                    )
                )
                continue
            if rule.field and not self.frame.has(rule.field):
                note = f"the leads have no column \u201c{rule.field}\u201d"
            else:
                note = ""
            mask = fired_mask(rule, self.frame)
            m = int(mask.sum())
            mo = int(np.count_nonzero(mask & outcome))
            rest, ro = n - m, self.all_opportunities - mo
            mrate, orate = _ratio(mo, m), _ratio(ro, rest)
            lift = None if mrate is None or not orate else mrate / orate
            suggested = None
            if m < MIN_SIDE or rest < MIN_SIDE:
                note = note or (f"fires for {'too few' if m < MIN_SIDE else 'nearly all'} leads to judge")
            elif mo == 0 or ro == 0:
                note = note or "no opportunities on one side: lift cannot be judged"
            else:
                assert lift is not None
                value = 10 * math.log2(lift)
                if rule.operator == Operator.COUNT:
                    counts = count_values(rule, self.frame)[mask]
                    median = float(np.median(np.abs(counts))) if len(counts) else 0.0
                    value = value / median if median else 0.0
                    suggested = _round_half_away(value, 0.5)  # per occurrence: halves
                else:
                    suggested = _round_half_away(value, 5)
            out.append(
                RuleDiagnostic(
                    **base,
                    matched=m,
                    matched_rate=mrate,
                    other_rate=orate,
                    lift=lift,
                    suggested_points=suggested,
                    note=note,
                )
            )
        return out

    def segment_columns(self) -> list[str]:
        """Columns that make sensible segments: text-like ones with 2–60 distinct values."""
        out = []
        for name in self.frame.names:
            if name in ("id", "outcome", "email"):
                continue
            col = self.frame.column(name)
            if col is not None and col.kind == ColumnKind.CODES and 2 <= len(col.labels) <= 60:
                out.append(name)
        return out

    def segments(self, column: str, threshold: float | None = None) -> list[SegmentRow]:
        """Rate and volume per value of `column`, largest segment first (missing last)."""
        col = self.frame.column(column)
        if col is None:
            raise KeyError(column)
        codes, labels = col.coded()
        size = len(labels) + 1
        t = self.defs.scoring.threshold if threshold is None else threshold
        passed = self.scorer.handoff(t, self.defs.scoring.minimum_fit)
        outcome = self.frame.outcome
        leads = np.bincount(codes, minlength=size)
        opps = np.bincount(codes, weights=outcome, minlength=size)
        pas = np.bincount(codes, weights=passed, minlength=size)
        pas_opps = np.bincount(codes, weights=passed & outcome, minlength=size)
        weeks = self.weeks
        rows = []
        for k in sorted(range(size), key=lambda k: (k == size - 1, -leads[k])):
            if leads[k] == 0:
                continue
            label = "(missing)" if k == size - 1 else shown(labels[k])
            rows.append(
                SegmentRow(
                    label,
                    int(leads[k]),
                    int(opps[k]),
                    _ratio(opps[k], leads[k]),
                    int(pas[k]),
                    int(pas_opps[k]),
                    _ratio(pas_opps[k], pas[k]),
                    float(pas[k] / weeks) if weeks else None,
                )
            )
        return rows

    def experiment(
        self, column: str, values: list[str] | tuple[str, ...], threshold: float | None = None
    ) -> Experiment:
        """Send the leads of a segment (column ∈ values) to sales too, whatever their score:
        how many more per week, and the blended opportunity rate."""
        col = self.frame.column(column)
        if col is None:
            raise KeyError(column)
        codes, labels = col.coded()
        wanted = {fold(str(v)) for v in values}
        lut = np.array([fold(shown(v)) in wanted for v in labels] + ["(missing)" in wanted], dtype=bool)
        segment = lut[codes]
        t = self.defs.scoring.threshold if threshold is None else threshold
        passed = self.scorer.handoff(t, self.defs.scoring.minimum_fit)
        added = segment & ~passed
        outcome = self.frame.outcome
        n_pass, o_pass = int(passed.sum()), int(np.count_nonzero(passed & outcome))
        n_add, o_add = int(added.sum()), int(np.count_nonzero(added & outcome))
        weeks = self.weeks
        return Experiment(
            column,
            tuple(values),
            n_add,
            o_add,
            n_add / weeks if weeks else None,
            (n_pass + n_add) / weeks if weeks else None,
            _ratio(o_pass + o_add, n_pass + n_add),
            _ratio(o_pass, n_pass),
            self.capacity,
        )

    # -- one lead ------------------------------------------------------------------
    def explain(self, i: int) -> Any:
        """Lead i's score with the rules that fired and their points (models.scoring)."""
        from models.scoring import rule_fields, score_lead

        return score_lead(self.defs, self.frame.lead(i, rule_fields(self.defs)))

    # -- for the command line and exports ------------------------------------------
    def as_json(self, threshold: float | None = None) -> dict[str, Any]:
        fig = self.figures(threshold)
        rec = self.recommendation()
        return {
            **fig.as_json(),
            "recommended_threshold": rec.threshold,
            "recommendation_reason": rec.reason,
            "bands": [asdict(b) for b in self.bands()],
            "rules": [asdict(r) for r in self.rule_diagnostics()],
            "suggestion_method": SUGGESTION_METHOD,
        }
