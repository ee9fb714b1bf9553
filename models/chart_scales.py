"""Round numbers for the threshold-check charts, shared by the app's charts and the PDF's:
histogram bins of a round width, a round ceiling for an axis, a round span of scores."""

from __future__ import annotations

import math

import numpy as np

NICE_WIDTHS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def rebin(lo: int, won: np.ndarray, lost: np.ndarray, max_bars: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-point bins [lo + k, lo + k + 1) merged into bins of a round width (1, 2, 5, 10 ...
    points, edges at multiples of the width) so that at most about `max_bars` are drawn:
    (edges, won, lost) with len(edges) == len(won) + 1."""
    n = len(won)
    width = next((w for w in NICE_WIDTHS if n / w <= max_bars), math.ceil(n / max_bars) if n else 1)
    start = math.floor(lo / width) * width
    offset = lo - start
    total = offset + n
    bins = max(math.ceil(total / width), 1)
    w_out = np.zeros(bins * width, dtype=np.int64)
    l_out = np.zeros(bins * width, dtype=np.int64)
    w_out[offset : offset + n] = won
    l_out[offset : offset + n] = lost
    w_out = w_out.reshape(bins, width).sum(axis=1)
    l_out = l_out.reshape(bins, width).sum(axis=1)
    edges = start + width * np.arange(bins + 1, dtype=float)
    return edges, w_out, l_out


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ value."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power: float = 10 ** math.floor(math.log10(value))  # (an int power of 10 types as Any)
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= value * (1 - 1e-12):
            return step * power
    return 10 * power


def nice_span(lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi] widened to round numbers (multiples of 5, 10, 50 ... points)."""
    unit: float = 10 ** math.floor(math.log10(max(hi - lo, 1.0))) / 2
    return math.floor(lo / unit) * unit, math.ceil(hi / unit) * unit
