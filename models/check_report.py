"""The threshold check frozen at one moment: what an export or another thread may read while
the room goes on editing (numpy, no Qt).

`ThresholdCheck` is live: an edit on the GUI thread re-scores its arrays in place. A PDF or
workbook written on a worker thread must never see that happen half-way, so the GUI thread
takes a `CheckReport` (every figure, table, curve and histogram the exports print, computed
and copied at once) and, for the workbook's Lead Scorer sheet, a `LeadSample` (the first
leads' ids, outcomes and the columns the rules read, sliced and copied). Both are immutable:
their arrays are private copies marked read-only.

    report = CheckReport.of(check)                 at the revision's threshold
    report = CheckReport.of(check, threshold=35)   at another one (accord check --threshold)
    sample = LeadSample.of(check.frame, rule_fields(defs), max_leads=10_000)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from models.check import (
    SUGGESTION_METHOD,
    BandRow,
    Figures,
    Recommendation,
    RuleDiagnostic,
    ThresholdCheck,
)
from models.lead_frame import Column, ColumnKind, LeadFrame


def _frozen(array: np.ndarray) -> np.ndarray:
    """A private, read-only copy."""
    out = np.array(array, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True)
class Curves:
    """Every whole threshold from the lowest score to one past the highest, and at each: the
    leads passed, the opportunities among them, the opportunity rate, the coverage and the
    leads per week (NaN where undefined: no lead passed, no opportunity at all, weeks unknown)."""

    threshold: np.ndarray
    passed: np.ndarray
    opportunities: np.ndarray
    rate: np.ndarray
    coverage: np.ndarray
    weekly: np.ndarray


@dataclass(frozen=True)
class Histogram:
    """Leads per one-point score bin [lo + k, lo + k + 1), split by outcome."""

    lo: int
    won: np.ndarray
    lost: np.ndarray


@dataclass(frozen=True)
class CheckReport:
    """Everything the exports and `accord check` print of one threshold check."""

    threshold: float
    figures: Figures
    recommendation: Recommendation
    # The figures at the recommended threshold, when there is one and it is not `threshold`.
    recommended_figures: Figures | None
    bands: tuple[BandRow, ...]
    diagnostics: tuple[RuleDiagnostic, ...]
    curves: Curves
    histogram: Histogram
    weeks: float | None
    weeks_entered: bool  # the weeks were entered in the workshop (else: the span of the dates)
    capacity: int
    target_rate: float
    leads: int
    has_rules: bool
    suggestion_method: str = SUGGESTION_METHOD

    @classmethod
    def of(cls, check: ThresholdCheck, threshold: float | None = None) -> CheckReport:
        """The check as it is now, at `threshold` (default: the revision's own). Run it on the
        thread that edits the check (the GUI thread), then hand the report to any other."""
        defs = check.defs
        t = defs.scoring.threshold if threshold is None else float(threshold)
        figures = check.figures(t)
        rec = check.recommendation()
        other = check.figures(rec.threshold) if rec.threshold is not None and rec.threshold != t else None
        c = check.curves()
        sw = check.sweep
        return cls(
            threshold=t,
            figures=figures,
            recommendation=rec,
            recommended_figures=other,
            bands=tuple(check.bands()),
            diagnostics=tuple(check.rule_diagnostics()),
            curves=Curves(
                threshold=_frozen(c["threshold"]),
                passed=_frozen(c["passed"]),
                opportunities=_frozen(sw.opportunities),
                rate=_frozen(c["rate"]),
                coverage=_frozen(c["coverage"]),
                weekly=_frozen(c["weekly"]),
            ),
            histogram=Histogram(sw.lo, _frozen(sw.histogram_won), _frozen(sw.histogram_lost)),
            weeks=check.weeks,
            weeks_entered=bool(defs.scoring.history_weeks),
            capacity=check.capacity,
            target_rate=defs.team.target_rate,
            leads=check.frame.n,
            has_rules=bool(defs.rules),
        )

    def as_json(self) -> dict[str, Any]:
        """The figures, recommendation, bands and rule diagnostics as `accord check --json` and
        the definitions JSON print them."""
        return {
            **self.figures.as_json(),
            "recommended_threshold": self.recommendation.threshold,
            "recommendation_reason": self.recommendation.reason,
            "bands": [asdict(b) for b in self.bands],
            "rules": [asdict(r) for r in self.diagnostics],
            "suggestion_method": self.suggestion_method,
        }


def _sliced(column: Column, n: int) -> Column:
    """The first `n` leads of a column, as a column of its own (private, read-only arrays)."""
    if column.kind == ColumnKind.CODES:
        codes, labels = _frozen(column.codes[:n]), list(column.labels or [])
        return Column(column.name, column.kind, codes=codes, labels=labels, yes_no=column.yes_no)
    return Column(column.name, column.kind, values=_frozen(column.values[:n]))


@dataclass(frozen=True)
class LeadSample:
    """The first `len(ids)` leads of a data set of `total`, with their outcome and the columns
    the rules read (a rule field the data lacks is absent from `columns`)."""

    total: int
    ids: tuple[str, ...]
    outcome: np.ndarray
    columns: Mapping[str, Column]

    @property
    def n(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, frame: LeadFrame, fields: Iterable[str], max_leads: int) -> LeadSample:
        n = min(frame.n, max(int(max_leads), 0))
        columns: dict[str, Column] = {}
        for name in fields:
            column = frame.column(name)
            if column is not None:
                columns[name] = _sliced(column, n)
        ids = tuple(frame.lead_id(i) for i in range(n))
        return cls(frame.n, ids, _frozen(frame.outcome[:n]), MappingProxyType(columns))
