"""The threshold check in words: the number formats and the sentences that the Threshold
check step, the sign-off checklist, the PDF and the command line all print (no Qt), so that
each says the same figure the same way.

    fmt_pct(0.886)    "89%"          fmt_pct(0.886, 1) "88.6%"    fmt_pct(None) "—"
    number(42.5)      "42.5"         number(1234)   "1,234"       number(-3) "−3"
    per_week(59.6)    "60"           per_week(5.25) "5.3"
    money(3.8e6, "EUR")              "EUR 3,800,000"   money_short(...)  "EUR 3.8 m"
    handed_over(figures)             "At 40 points, 1,549 of the 9,237 historical leads (17%)
                                      would have gone to sales"
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.check import BandRow, Figures, Recommendation

DASH = "\u2014"
MINUS = "\u2212"
WEEKS_UNKNOWN = (
    "Leads per week are unknown: the leads have no creation dates and the weeks the history covers were not entered."
)


def fmt_pct(value: float | None, digits: int = 0) -> str:
    """A fraction as a percentage ("—" when undefined)."""
    return DASH if value is None else f"{value * 100:.{digits}f}%"


def number(value: float, digits: int = 1) -> str:
    """A whole number with thousands separators, others with `digits` decimals; a true minus."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{digits}f}"
    return text.replace("-", MINUS)


def per_week(value: float) -> str:
    """Leads per week: whole from 10 up, one decimal below (where a lead more matters)."""
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}".rstrip("0").rstrip(".")


def money(value: float, currency: str) -> str:
    """An amount in full, for documents: "EUR 3,800,000"."""
    return f"{currency} {value:,.0f}".strip()


def money_short(value: float, currency: str) -> str:
    """An amount to read from the back of a room: "EUR 3.8 m"."""
    for limit, suffix in ((1e9, " bn"), (1e6, " m"), (1e3, " k")):
        if abs(value) >= limit:
            return f"{currency} {value / limit:,.1f}{suffix}".strip()
    return money(value, currency)


def share(part: int, whole: int, digits: int = 0) -> str:
    """`part` as a percentage of `whole` ("—" of nothing)."""
    return fmt_pct(part / whole, digits) if whole else DASH


def handed_over(f: Figures) -> str:
    """How many of the historical leads the threshold hands over."""
    return (
        f"At {number(f.threshold)} points, {f.passed:,} of the {f.leads:,} historical leads "
        f"({share(f.passed, f.leads)}) would have gone to sales"
    )


def rate_against_target(f: Figures, digits: int = 0) -> str:
    """ "89% opportunity rate (target 60%)"."""
    return f"{fmt_pct(f.rate, digits)} opportunity rate (target {fmt_pct(f.target_rate)})"


def volume_against_capacity(f: Figures) -> str:
    """ "60 leads a week (capacity 120)" ("leads per week unknown" without weeks)."""
    if f.weekly_volume is None:
        return "leads per week unknown"
    return f"{f.weekly_volume:,.0f} leads a week (capacity {f.capacity:,})"


def weeks_source(entered: bool) -> str:
    """Where the weeks of history come from."""
    return "as entered in the workshop" if entered else "the span of the leads' creation dates"


def recommendation_title(rec: Recommendation) -> str:
    """ "Recommended: 28 points" or "No recommended threshold."."""
    return "No recommended threshold." if rec.threshold is None else f"Recommended: {rec.threshold} points"


def band_scores(row: BandRow) -> str:
    """The scores a band row covers: "40 and above", "20 to under 40", "below 0"."""
    if row.min_score is None and row.max_score is None:
        return "every score"
    if row.min_score is None:
        return f"below {number(row.max_score or 0)}"
    if row.max_score is None:
        return f"{number(row.min_score)} and above"
    return f"{number(row.min_score)} to under {number(row.max_score)}"
