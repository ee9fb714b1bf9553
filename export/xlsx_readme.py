"""The README sheet of the scoring workbook (no Qt): what the workbook is (revision, status,
content hash, the leads it holds), how to use it (score new leads, change the points, change
the threshold, what stays fixed), what each sheet holds, and how rules score.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook

from export.content import ExportContent
from export.xlsx_layout import Layout
from export.xlsx_sheet import NAVY, Sheet, cell_time, write_title


def write_readme(wb: Workbook, content: ExportContent, layout: Layout) -> None:
    s = Sheet(wb, "README", NAVY)
    s.print_setup()
    s.widths({1: 26, 2: 100})
    s.ws.sheet_view.showGridLines = False
    rev = content.revision
    team = content.defs.team
    write_title(
        s,
        f"{content.title} \u2014 scoring workbook",
        f"{team.organisation or 'Lead scoring'} \u00b7 exported by Accord from {content.file_name}",
    )
    s.blank()
    status = "SIGNED" if rev.status == "signed" else "DRAFT \u2014 not signed yet"
    info = [
        ("Revision", rev.label or "\u2014"),
        ("Status", status),
        ("Content hash (SHA-256)", rev.content_hash or "\u2014"),
        ("Generated", cell_time(content.generated_at.isoformat())),
    ]
    if content.leads_info is not None:
        li = content.leads_info
        sources = ", ".join(src.name for src in li.sources) or "\u2014"
        info.append(
            (
                "Historical leads",
                f"{li.rows:,} leads from {sources}, imported {li.imported_at.strftime('%Y-%m-%d %H:%M')} UTC",
            )
        )
    if layout.total_leads:
        shown = f"{layout.n_leads:,} of {layout.total_leads:,} leads"
        if layout.n_leads < layout.total_leads:
            shown += f" (the first {layout.n_leads:,}, in the data's order; the Calibration sheet uses all)"
        info.append(("In the Lead Scorer", shown))
    for label, value in info:
        style = "mono" if label.startswith("Content hash") else "when" if isinstance(value, dt.datetime) else "text"
        s.append([s.cell(label, "label"), s.cell(value, style)])
    s.blank()
    s.append([s.cell("How to use it", "section")])
    steps = [
        (
            "1. Score new leads",
            "On Lead Scorer, paste leads into the blue columns (ID, Outcome and the "
            "attribute columns, in that order) starting at the first empty row below the data. Fit, "
            "Engagement, Score and Hand-off appear at once; empty rows show nothing. "
            f"{layout.blank_rows} empty rows are ready; for more, copy the last row down.",
        ),
        (
            "2. Change the points",
            "On Scoring Model, change a rule's points, value, one-of values, minimum, "
            "maximum, cap or decay half-life (yellow cells): every score on Lead Scorer follows. The kind "
            "(fit or behaviour) moves the rule between Fit and Engagement.",
        ),
        (
            "3. Change the threshold",
            "On Settings, change Threshold or MinimumFit (the second gate, blank for "
            "none) and the hand-off column follows. AsOfDate is the day decay ages are counted to.",
        ),
        (
            "What stays fixed",
            "A rule's field, operator and decay date column decide which cells its formula "
            "reads; change those in Accord and export again (Scoring Model's Status column says when a row was "
            "changed here). The Calibration table is the app's threshold check of the historical leads at "
            "export: it does not follow edits made in this workbook.",
        ),
    ]
    for label, text in steps:
        s.append([s.cell(label, "label"), s.cell(text, "text")])
    s.blank()
    s.append([s.cell("The sheets", "section")])
    sheets = [
        ("Definitions", "The funnel stages (definitions, entry and exit criteria, owner, SLA) and the glossary."),
        ("Scoring Model", "One row per rule: kind, field, operator, operands, points, cap and decay."),
        (
            "Settings",
            "Threshold, minimum fit, as-of date, target and baseline rates, sales capacity and the "
            "weeks of history, as named cells (Threshold, MinimumFit, AsOfDate, TargetRate, BaselineRate, "
            "Capacity, HistoryWeeks) the formulas use.",
        ),
        (
            "Lead Scorer",
            "The leads with one column of points per rule, then fit, engagement, score and "
            "hand-off (Sales when score \u2265 Threshold and fit \u2265 MinimumFit, if set; else Nurture). "
            "Hidden helper columns at the right (the + above them) hold each attribute as the rules read it.",
        ),
        (
            "Calibration",
            "Leads passed, opportunity rate, coverage and leads per week at every threshold, with a "
            "chart; the row of the current threshold is highlighted.",
        ),
        ("Sign-off", "Who signs the definitions, when they signed, and the content hash they signed."),
    ]
    for label, text in sheets:
        s.append([s.cell(label, "label"), s.cell(text, "text")])
    s.blank()
    s.append([s.cell("How rules score", "section")])
    semantics = [
        (
            "Text",
            "Compared after trimming the ends, ignoring case. Equals and one-of compare as numbers "
            "when both sides are numbers (\u201c10\u201d equals \u201c10.0\u201d).",
        ),
        (
            "Missing values",
            "An empty or blank cell matches only \u201cis empty\u201d, \u201cdoes not equal\u201d "
            "and \u201cis not one of\u201d.",
        ),
        (
            "Numbers",
            "Between (inclusive), at least and at most read the value as a number; text that is not a "
            "number does not match.",
        ),
        ("Count", "Points per occurrence \u00d7 the count, at most the cap (either sign); no count gives 0."),
        (
            "Decay",
            "Points \u00d7 0.5^(age \u00f7 half-life), the age in days from the decay date column to "
            "AsOfDate (never negative); a lead without that date is not decayed.",
        ),
        (
            "Scores",
            "Fit = the fit rules' points, Engagement = the behaviour rules', Score = both; each rounded "
            "to 6 decimal places, as Accord does. A rule with a missing operand scores 0.",
        ),
    ]
    for label, text in semantics:
        s.append([s.cell(label, "label"), s.cell(text, "text")])
