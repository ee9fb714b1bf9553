"""The Settings sheet of the scoring workbook (no Qt): threshold, minimum fit, as-of date,
target and baseline rates, capacity and the weeks of history as named cells (Threshold,
MinimumFit, AsOfDate ...) that the Lead Scorer's formulas read, then the team and targets.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from export.content import ExportContent
from export.xlsx_sheet import TEAL, Sheet, define_name, write_title

# The named cells of the Settings sheet, in order.
SETTINGS_NAMES = (
    "Threshold",
    "MinimumFit",
    "AsOfDate",
    "WorkshopDate",
    "AsOfDateUsed",
    "TargetRate",
    "BaselineRate",
    "Reps",
    "LeadsPerRepPerWeek",
    "Capacity",
    "HistoryWeeks",
)


def write_settings(wb: Workbook, content: ExportContent) -> None:
    defs = content.defs
    team, scoring = defs.team, defs.scoring
    s = Sheet(wb, "Settings", TEAL)
    s.print_setup()
    s.widths({1: 30, 2: 18, 3: 90})
    s.ws.sheet_view.showGridLines = False
    write_title(s, "Settings", "Named cells the Lead Scorer formulas use; yellow cells are yours to change.")
    s.blank()
    s.append([s.cell(n, "header") for n in ("Setting", "Value", "What it means")])
    check = content.check
    weeks_used = check.weeks if check is not None else None
    rows: list[tuple[str, str, Any, str, str]] = [
        (
            "Threshold",
            "Hand-off threshold (points)",
            scoring.threshold,
            "input",
            "A lead goes to sales when its score is at least this.",
        ),
        (
            "MinimumFit",
            "Minimum fit score (points)",
            scoring.minimum_fit,
            "input",
            "Optional second gate: the fit score must also be at least this. Blank: no second gate.",
        ),
        (
            "AsOfDate",
            "As-of date for decay",
            scoring.as_of_date,
            "input_date",
            "Decay ages are counted to this day. Blank: the workshop date (or today, without one).",
        ),
        ("WorkshopDate", "Workshop date", team.date, "input_date", "The date of the workshop."),
        (
            "AsOfDateUsed",
            "As-of date used",
            "=IF(ISNUMBER(AsOfDate),AsOfDate,IF(ISNUMBER(WorkshopDate),WorkshopDate,TODAY()))",
            "formula_date",
            "The day decay is measured to (formula).",
        ),
        (
            "TargetRate",
            "Target opportunity rate",
            team.target_rate,
            "input_percent",
            "Share of hand-offs sales expects to become opportunities.",
        ),
        (
            "BaselineRate",
            "Baseline rate (cold calling)",
            team.baseline_rate,
            "input_percent",
            "Opportunity rate without marketing, for comparison.",
        ),
        ("Reps", "Sales reps", team.reps, "input", "Reps following up marketing's leads."),
        (
            "LeadsPerRepPerWeek",
            "Leads per rep per week",
            team.leads_per_rep_per_week,
            "input",
            "New leads one rep can follow up in a week.",
        ),
        (
            "Capacity",
            "Sales capacity (leads per week)",
            "=Reps*LeadsPerRepPerWeek",
            "formula",
            "Reps \u00d7 leads per rep per week (formula).",
        ),
        (
            "HistoryWeeks",
            "Weeks of history",
            scoring.history_weeks,
            "input",
            "Weeks the imported history covers (blank: the span of the leads' creation dates"
            + (f"; the check used {weeks_used:.1f} weeks" if weeks_used else "")
            + ").",
        ),
    ]
    for name, label, value, style, text in rows:
        r = s.append(
            [s.cell(label, "label"), s.cell(value, style, formula=style.startswith("formula")), s.cell(text, "text")]
        )
        define_name(wb, name, s, 2, r)
    s.blank()
    s.append([s.cell("Team and targets", "section")])
    other = [
        ("Workshop", team.workshop_name),
        ("Organisation", team.organisation),
        ("Facilitator", team.facilitator),
        ("Period", team.period),
        ("Currency", team.currency),
        ("Revenue goal", team.revenue_goal if team.revenue_goal is not None else ""),
    ]
    for label, value in other:
        s.append([s.cell(label, "label"), s.cell(value, "int" if isinstance(value, float) else "plain")])
