"""Passed leads, opportunities and revenue at every whole-number threshold at once (numpy,
no Qt).

    Sweep  the figures for every whole threshold from the lowest score to the highest, from
           one `bincount` over (score, outcome) and cumulative sums: moving the threshold
           is an array lookup
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from models.engine import Scorer


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


MAX_BINS = 200_000  # one bin per whole point; beyond this span, the extreme scores are clamped into it


def sweep(scorer: Scorer, minimum_fit: float | None) -> Sweep:
    """The figures at every whole threshold for the scorer's current scores. Leaves the range
    of the scores in `scorer.bounds`, which the scorer's edits move, so that the next sweep
    need not look for the lowest and highest score."""
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
