"""The Calibration sheet of the scoring workbook (no Qt): the app's threshold check of the
historical leads at export, as values (edits in the workbook do not change them): a summary,
the hand-offs the Lead Scorer gives now (live), the table of leads passed, opportunity rate,
coverage and leads per week at every threshold (the current and recommended thresholds
highlighted), and a native line chart of it.
"""

from __future__ import annotations

import math

from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import ChartLines, TextAxis
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname

from export.content import ExportContent
from export.xlsx_layout import HANDOFF_YES, Layout
from export.xlsx_sheet import BLUE, Sheet, add_table, formula_rule, solid, write_title
from models import palette
from models.palette import xlsx


def write_calibration(wb: Workbook, content: ExportContent, layout: Layout) -> None:
    s = Sheet(wb, "Calibration", BLUE)
    s.print_setup(landscape=True)
    s.widths({1: 13, 2: 12, 3: 14, 4: 12, 5: 12, 6: 14, 7: 12, 8: 14, 9: 3})
    s.ws.sheet_view.showGridLines = False
    check = content.check
    if check is None:
        write_title(
            s,
            "Calibration",
            "No historical leads in this revision: import leads in Accord to check the threshold against them.",
        )
        return
    from models.check_text import fmt_pct

    fig = check.figures
    rec = check.recommendation
    curves = check.curves
    weeks = check.weeks
    write_title(
        s,
        "Calibration",
        f"The threshold check of Accord on {check.leads:,} historical leads at export (values, not "
        "formulas: edits in this workbook do not change them).",
        subtitle_height=30,
    )
    s.blank()
    summary = [
        (
            "Historical leads",
            f"{fig.leads:,}, of which {fig.all_opportunities:,} became opportunities ({fmt_pct(fig.overall_rate, 1)})",
        ),
        ("Weeks of history", f"{weeks:.1f}" if weeks else "unknown"),
        (
            "Current threshold",
            f"{fig.threshold:g} points: {fig.passed:,} leads passed, rate "
            f"{fmt_pct(fig.rate, 1)}, coverage {fmt_pct(fig.coverage, 1)}"
            + (f", {fig.weekly_volume:,.1f} per week" if fig.weekly_volume is not None else ""),
        ),
        ("Target and capacity", f"rate \u2265 {fmt_pct(fig.target_rate, 1)}, at most {fig.capacity:,} leads a week"),
        (
            "Recommended threshold",
            (f"{rec.threshold} points: " if rec.threshold is not None else "none: ") + rec.reason,
        ),
    ]
    for label, text in summary:
        s.append([s.cell(label, "nowrap_label"), None, s.cell(text, "plain")])
    s.append(
        [
            s.cell("Hand-offs on Lead Scorer now", "nowrap_label"),
            None,
            s.cell(
                f"=COUNTIF({quote_sheetname('Lead Scorer')}!${get_column_letter(layout.out_fit + 3)}:"
                f'${get_column_letter(layout.out_fit + 3)},"{HANDOFF_YES}")&" of "&'
                f"COUNTIF({quote_sheetname('Lead Scorer')}!${get_column_letter(layout.out_fit + 2)}:"
                f'${get_column_letter(layout.out_fit + 2)},">-1E+300")&" leads at Threshold "&Threshold'
                '&" (live)"',
                "plain",
                formula=True,
            ),
        ]
    )
    s.blank()
    names = [
        "Threshold",
        "Leads passed",
        "Opportunities",
        "Rate",
        "Coverage",
        "Leads per week",
        "Target rate",
        "Capacity",
    ]
    header = s.append([s.cell(n, "header") for n in names], height=30)
    s.ws.print_title_rows = f"{header}:{header}"
    thresholds, rate, coverage, weekly = curves.threshold, curves.rate, curves.coverage, curves.weekly
    passed, opps = curves.passed, curves.opportunities

    def num(v: float) -> float | None:
        return None if v is None or not math.isfinite(float(v)) else float(v)

    for k in range(len(thresholds)):
        t = float(thresholds[k])
        s.append(
            [
                s.cell(int(t) if t.is_integer() else t, "int"),
                s.cell(int(passed[k]), "int"),
                s.cell(int(opps[k]), "int"),
                s.cell(num(rate[k]), "percent"),
                s.cell(num(coverage[k]), "percent"),
                s.cell(num(weekly[k]), "decimal"),
                s.cell(fig.target_rate, "percent"),
                s.cell(fig.capacity, "int"),
            ]
        )
    first, last = header + 1, s.row
    add_table(s, "ThresholdTable", 1, header, names, last)
    s.ws.conditional_formatting.add(
        f"A{first}:H{last}",
        formula_rule(formula=[f"$A{first}=Threshold"], fill=solid(xlsx(palette.HIGHLIGHT_FILL)), font=Font(bold=True)),
    )
    if rec.threshold is not None:
        s.ws.conditional_formatting.add(
            f"A{first}:A{last}",
            formula_rule(
                formula=[f"$A{first}={rec.threshold}"],
                fill=solid(xlsx(palette.GOOD_FILL)),
                font=Font(bold=True, color=xlsx(palette.GOOD)),
            ),
        )
    _calibration_chart(s, header, first, last, weekly_known=bool(weeks))


def _calibration_chart(s: Sheet, header: int, first: int, last: int, weekly_known: bool) -> None:
    """Rate (left axis) and leads per week (right axis) against the threshold, with the
    target rate and the capacity as dashed lines."""
    ws = s.ws
    rate = LineChart()
    rate.title = "Opportunity rate and weekly volume by threshold"
    rate.style = 2
    rate.height, rate.width = 11, 24
    rate.y_axis.title = "Opportunity rate (%)"
    rate.y_axis.number_format = "0%"
    rate.y_axis.majorGridlines = ChartLines()
    rate.y_axis.scaling.min = 0
    rate.y_axis.scaling.max = 1
    x_axis = rate.x_axis
    assert isinstance(x_axis, TextAxis)  # what a LineChart makes; its stub promises only an axis
    x_axis.title = "Threshold (points)"
    x_axis.number_format = "0"
    x_axis.tickLblSkip = max(1, (last - first + 1) // 12)
    x_axis.tickMarkSkip = x_axis.tickLblSkip
    x_axis.delete = False
    x_axis.axPos = "b"
    rate.y_axis.delete = False
    rate.y_axis.crosses = "min"
    rate.add_data(Reference(ws, min_col=4, min_row=header, max_row=last), titles_from_data=True)
    rate.add_data(Reference(ws, min_col=7, min_row=header, max_row=last), titles_from_data=True)
    cats = Reference(ws, min_col=1, min_row=first, max_row=last)
    rate.set_categories(cats)
    for k, series in enumerate(rate.series):
        series.smooth = False
        series.marker.symbol = "none"
        series.graphicalProperties.line.solidFill = xlsx(palette.ACCENT)
        series.graphicalProperties.line.width = 28575 if k == 0 else 15875
        if k == 1:
            series.graphicalProperties.line.dashStyle = "dash"
    if weekly_known:
        volume = LineChart()
        volume.add_data(Reference(ws, min_col=6, min_row=header, max_row=last), titles_from_data=True)
        volume.add_data(Reference(ws, min_col=8, min_row=header, max_row=last), titles_from_data=True)
        volume.set_categories(cats)
        volume.y_axis.axId = 200
        volume.y_axis.title = "Leads per week"
        volume.y_axis.number_format = "#,##0"
        volume.y_axis.crosses = "max"
        volume.y_axis.delete = False
        volume.y_axis.axPos = "r"
        volume.y_axis.majorGridlines = None
        volume.y_axis.scaling.min = 0
        for k, series in enumerate(volume.series):
            series.smooth = False
            series.marker.symbol = "none"
            series.graphicalProperties.line.solidFill = xlsx(palette.VOLUME)
            series.graphicalProperties.line.width = 28575 if k == 0 else 15875
            if k == 1:
                series.graphicalProperties.line.dashStyle = "dash"
        rate += volume
    assert rate.legend is not None  # a new chart has one
    rate.legend.position = "b"
    ws.add_chart(rate, f"J{header}")
