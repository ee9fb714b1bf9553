"""The threshold check section of the PDF definitions document (no Qt): the figures at the
agreed threshold (and at the recommended one), the recommended threshold and how it is
chosen, the three charts (export/pdf_charts.py), the leads and opportunity rate per score
band, and which rules really told opportunities apart. It reads only the frozen
`models.check_report.CheckReport` of the export content.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.platypus import CondPageBreak, KeepTogether, Table

from export.pdf_builder import Builder
from export.pdf_charts import ChartStyle, histogram_chart, rates_chart, volume_chart
from export.pdf_style import BAD, GOOD, GREY
from models.check_text import (
    WEEKS_UNKNOWN,
    band_scores,
    fmt_pct,
    handed_over,
    money,
    number,
    recommendation_title,
    weeks_source,
)
from models.scoring import fmt_points

if TYPE_CHECKING:
    from models.check import BandRow, Figures
    from models.check_report import CheckReport

CHECK = "Threshold check"


def threshold_check(b: Builder) -> None:
    check = b.c.check
    b.section(
        CHECK,
        "Whether the leads above the hand-off threshold would have become opportunities at the "
        "rate sales asked for, in a volume sales can follow up, judged on the historical leads "
        "imported into the workshop.",
    )
    if check is None:
        if b.c.leads_info is None:
            b.add(
                b.p(
                    b.t("There is no lead data in this revision, so the threshold was not checked against history."),
                    b.st.body,
                )
            )
        else:
            b.add(b.p(b.t("The threshold check was not included in this export."), b.st.body))
        return
    t = b.t
    threshold = check.threshold
    f = check.figures
    rec = check.recommendation

    b.subsection("Figures at the agreed threshold")
    b.add(
        b.p(
            t(handed_over(f)) + (t(f"; {f.opportunities:,} of them became opportunities.") if f.passed else t(".")),
            b.st.body,
        )
    )
    other = check.recommended_figures
    weeks = check.weeks
    if weeks is None:
        how = WEEKS_UNKNOWN
    else:
        source = weeks_source(check.weeks_entered)
        how = (
            f"Leads per week = leads passed \u00f7 {number(weeks)} weeks of history ({source}). "
            "Coverage = the share of all opportunities in the history that the leads passed include. Lift = "
            "their opportunity rate \u00f7 that of the average lead."
        )
    b.add(KeepTogether([_figures_table(b, f, other), b.p(t(how), b.st.note)]))

    if rec.threshold is None:
        said = b.p(f"<b>{t(recommendation_title(rec))}</b> {t(rec.reason)}", b.st.body)
    else:
        same = " This is the threshold agreed." if rec.threshold == threshold else ""
        said = b.p(
            f"<b>{t(recommendation_title(rec))}</b> {t(chr(0x2014))} {t(rec.reason)}{t(same)}",
            b.st.body,
        )
    b.subsection(
        "Recommended threshold",
        keep=[
            said,
            b.p(
                t(
                    "How it is chosen: the lowest threshold at which the opportunity rate of the leads passed "
                    "reaches the target rate and the leads per week stay within sales capacity."
                ),
                b.st.note,
            ),
        ],
    )

    _charts(b, check, threshold)

    b.subsection(
        "Score bands",
        keep=[
            b.p(
                t(
                    "Leads and opportunity rate per score band (the bands of the scoring model): the rate should "
                    "rise band by band."
                ),
                b.st.body,
            ),
            _bands_table(b, check.bands),
        ],
    )
    _diagnostics(b, check)


def _figures_table(b: Builder, f: Figures, other: Figures | None) -> Table:
    t = b.t

    def status(ok: bool, good: str, bad: str) -> str:
        return t.coloured(good if ok else bad, GOOD if ok else BAD, bold=False)

    def column(x: Figures) -> dict[str, str]:
        share = f" ({x.passed / x.leads:.1%})" if x.leads else ""
        out = {"passed": t(f"{x.passed:,} of {x.leads:,}{share}")}
        if x.weekly_volume is None:
            out["weekly"] = t("unknown")
        else:
            out["weekly"] = f"<b>{t(number(round(x.weekly_volume, 1)))}</b> a week \u00b7 " + status(
                x.volume_ok, "within capacity", "over capacity"
            )
        out["rate"] = (
            t("\u2014 (no lead passes)")
            if x.rate is None
            else f"<b>{t(fmt_pct(x.rate, 1))}</b> \u00b7 " + status(x.rate_ok, "meets the target", "below the target")
        )
        out["opps"] = t(f"{x.opportunities:,}")
        out["coverage"] = t(fmt_pct(x.coverage, 1))
        out["lift"] = t("\u2014" if x.lift is None else f"{x.lift:.2f}\u00d7")
        out["advantage"] = t("\u2014" if x.advantage is None else f"{x.advantage:.1f}\u00d7")
        out["revenue"] = t(
            "\u2014 (the data has no revenue)" if x.revenue is None else money(x.revenue, b.defs.team.currency)
        )
        out["utilisation"] = t("\u2014" if x.utilisation is None else f"{x.utilisation:.0%} of capacity")
        return out

    agreed = column(f)
    recommended = column(other) if other is not None else None
    lines = [
        ("passed", "Leads passed to sales", "of all historical leads"),
        ("weekly", "Leads to sales per week", f"capacity {f.capacity:,} a week"),
        ("utilisation", "Sales capacity used", "at most 100%"),
        ("rate", "Opportunity rate of the leads passed", f"target {fmt_pct(f.target_rate, 1)}"),
        ("opps", "Opportunities among them", f"of {f.all_opportunities:,} in the history"),
        ("coverage", "Coverage of all opportunities", "share of all opportunities sent to sales"),
        ("lift", "Lift over the average lead", f"average rate {fmt_pct(f.overall_rate, 1)}"),
        ("advantage", "Better than cold calling", f"baseline rate {fmt_pct(f.baseline_rate, 1)}"),
        ("revenue", "Revenue of the leads passed", ""),
    ]
    header = ["Figure", f"At the agreed threshold ({number(f.threshold)} points)"]
    widths: tuple[float, ...] = (0.3, 0.4, 0.3)
    if recommended is not None and other is not None:
        header.append(f"At the recommended threshold ({number(other.threshold)} points)")
        widths = (0.25, 0.245, 0.245, 0.26)
    header.append("Target or reference")
    rows = []
    for key, label, ref in lines:
        row: list[Any] = [b.p(f"<b>{t(label)}</b>", b.st.cell), b.p(agreed[key], b.st.cell)]
        if recommended is not None:
            row.append(b.p(recommended[key], b.st.cell))
        row.append(b.p(f'<font color="{GREY}">{t(ref)}</font>', b.st.cell))
        rows.append(row)
    return b.table(header, rows, widths)


def _bands_table(b: Builder, bands: Sequence[BandRow]) -> Table:
    rows = [
        [
            b.band_name(band.name, band.colour),
            band_scores(band),
            f"{band.leads:,}",
            fmt_pct(band.share, 1),
            f"{band.opportunities:,}",
            fmt_pct(band.rate, 1),
        ]
        for band in bands
    ]
    return b.table(
        ("Band", "Scores", "Leads", "Share of leads", "Opportunities", "Opportunity rate"),
        rows,
        (0.22, 0.22, 0.13, 0.14, 0.14, 0.15),
        right=(2, 3, 4, 5),
    )


def _charts(b: Builder, check: CheckReport, threshold: float) -> None:
    style = ChartStyle(b.fonts.regular, b.fonts.bold, b.fonts.txt)
    chart_h = max(min(180.0, (b.height - 60) / 3 - 44), 120.0)
    block = chart_h + 44
    b.add(CondPageBreak(3 * block + 40))
    b.subsection("Charts")
    charts = (
        (
            "Leads by score",
            histogram_chart,
            "Each bar counts the historical leads with that score; its green part became opportunities. The leads "
            "at or right of the threshold line (shaded) go to sales.",
        ),
        (
            "Rate and coverage against the threshold",
            rates_chart,
            "For every possible threshold: the opportunity rate of the leads it passes (blue), to be at or above "
            "the dashed target, and the share of all opportunities they include (orange).",
        ),
        (
            "Leads per week against the threshold",
            volume_chart,
            "For every possible threshold: how many leads a week it would send to sales, to be at or below the "
            "dashed sales capacity.",
        ),
    )
    for k, (title, make, caption) in enumerate(charts, start=1):
        drawing = make(check, style, b.width, chart_h)
        b.add(
            KeepTogether(
                [
                    b.p(f"{b.t(f'Figure {k}.')} {b.t(title)}", b.st.h3),
                    drawing,
                    b.p(b.t(caption), b.st.note),
                ]
            )
        )


def _diagnostics(b: Builder, check: CheckReport) -> None:
    t = b.t
    b.subsection("What predicts opportunities")
    b.add(
        b.p(
            t(
                "Which rules really told opportunities apart in this history. Lift = the opportunity rate of "
                "the leads a rule fires for \u00f7 that of the others (green: agrees with the sign of the "
                "rule's points; red: disagrees, worth a second look)."
            ),
            b.st.body,
        )
    )
    if check.has_rules:
        b.add(b.p(t(check.suggestion_method), b.st.note))
    rows = []
    for r in check.diagnostics:
        lift: Any = "\u2014"
        if r.lift is not None:
            agrees = (r.lift >= 1) == (r.points >= 0)
            lift = b.p(t.coloured(f"{r.lift:.2f}\u00d7", GOOD if agrees else BAD, bold=False), b.st.cell_right)
        if r.suggested_points is not None:
            suggested: Any = fmt_points(r.suggested_points) if r.suggested_points else "0"
        else:
            suggested = b.p(f'<font color="{GREY}">{t(r.note or chr(0x2014))}</font>', b.st.cell_right)
        label = f"<b>{t(r.label)}</b>"
        if r.note and r.suggested_points is not None:
            label += f'<br/><font color="{GREY}" size="7">{t(r.note)}</font>'
        rows.append(
            [
                b.p(label, b.st.cell),
                r.kind,
                fmt_points(r.points),
                f"{r.matched:,}",
                fmt_pct(r.matched_rate, 1),
                fmt_pct(r.other_rate, 1),
                lift,
                suggested,
            ]
        )
    if not rows:
        b.none("There are no scoring rules to judge.")
        return
    b.add(
        b.table(
            (
                "Rule",
                "Kind",
                "Points",
                "Leads it fires for",
                "Their rate",
                "Rate of the others",
                "Lift",
                "Suggested points",
            ),
            rows,
            (0.25, 0.1, 0.08, 0.11, 0.1, 0.11, 0.1, 0.15),
            right=(2, 3, 4, 5, 6, 7),
        )
    )
