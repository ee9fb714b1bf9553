"""`accord check`: a revision's threshold checked against its historical leads: leads passed,
opportunity rate against the target, coverage, lift, leads per week against capacity, the
recommended threshold and the score bands, as text (or the whole check as JSON)."""

from __future__ import annotations

import argparse

from app.cli.terminal import say, say_json
from app.cli.workshop import open_revision, threshold_check
from models.check import ThresholdCheck
from models.check_text import fmt_pct, number


def check(args: argparse.Namespace) -> int:
    document = open_revision(args.file, args.revision)
    try:
        checked = threshold_check(document)
        if args.json:
            say_json(checked.as_json(args.threshold))
        else:
            say(check_text(checked, args.threshold, document.revision.label))
        return 0
    finally:
        document.close()


def check_text(check: ThresholdCheck, threshold: float | None, label: str) -> str:
    """The figures at `threshold` (None: the revision's own), one per line, then the bands."""
    f = check.figures(threshold)
    rec = check.recommendation()
    ok = {True: "meets", False: "misses"}
    lines = [
        f"Threshold check of revision {label} at {number(f.threshold)} points, on {f.leads:,} historical leads "
        f"({f.all_opportunities:,} became opportunities, {fmt_pct(f.overall_rate, 1)})"
    ]
    lines.append(f"  passed to sales:   {f.passed:,} leads")
    lines.append(f"  opportunity rate:  {fmt_pct(f.rate, 1)} (target {fmt_pct(f.target_rate)}: {ok[f.rate_ok]} it)")
    lines.append(f"  coverage:          {fmt_pct(f.coverage, 1)} of all opportunities")
    if f.lift is not None:
        lines.append(
            f"  lift:              {f.lift:.2f}\u00d7 the overall rate"
            + (
                f"; {f.advantage:.1f}\u00d7 better than cold calling ({fmt_pct(f.baseline_rate)})"
                if f.advantage is not None
                else ""
            )
        )
    if f.weekly_volume is not None:
        lines.append(
            f"  leads per week:    {f.weekly_volume:,.1f} (capacity {f.capacity:,}: {ok[f.volume_ok]} it; "
            f"{f.weeks:.1f} weeks of history)"
        )
    else:
        lines.append("  leads per week:    unknown (the leads have no creation dates and no period is entered)")
    if f.revenue is not None:
        lines.append(f"  revenue captured:  {f.revenue:,.0f}")
    lines.append(f"  recommended:       {rec.threshold if rec.threshold is not None else 'none'} \u2014 {rec.reason}")
    lines.append("Score bands:")
    for b in check.bands():
        lines.append(f"  {b.name:<18} {b.leads:>9,} leads  {fmt_pct(b.rate, 1):>6} opportunity rate")
    return "\n".join(lines)
