"""The Lead Scorer sheet of the scoring workbook (no Qt): the leads, in the data's order, as an
Excel table, with one formula column of points per rule, then Fit, Engagement, Score and the
hand-off (coloured), and empty formula rows below to paste new leads into. The formulas of a
row are made once, as templates, and only their row number changes from row to row: writing
ten thousand leads is string joins, not formula building.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from export.content import ExportContent, report
from export.xlsx_formulas import helper_formula, rule_formula
from export.xlsx_layout import HANDOFF_NO, HANDOFF_YES, LEAD_HEADER_ROW, SM_KIND, Layout
from export.xlsx_scoring_model import ScoringModelRefs
from export.xlsx_sheet import TEAL, Sheet, add_table, cell_is_rule, formula_rule, solid, unique_names, write_title
from models import palette
from models.lead_frame import ColumnKind
from models.leads.types import Progress
from models.palette import xlsx
from models.scoring import describe_rule
from models.text_match import answer_text


def write_lead_scorer(
    wb: Workbook, content: ExportContent, layout: Layout, sm: ScoringModelRefs, progress: Progress | None
) -> None:
    s = Sheet(wb, "Lead Scorer", TEAL)
    s.print_setup(landscape=True, title_rows=f"{LEAD_HEADER_ROW}:{LEAD_HEADER_ROW}", pages_wide=0)
    s.ws.print_title_cols = "A:A"
    L = get_column_letter
    fields, rules = layout.fields, layout.rules
    fit_col, eng_col, score_col, hand_col = (layout.out_fit + k for k in range(4))
    widths = {1: 24, 2: 10, fit_col: 9, eng_col: 12, score_col: 9, hand_col: 11}
    widths.update({f.column: 18 for f in fields})
    widths.update({layout.rule_col(rr): 14 for rr in rules})
    widths.update({col: 14 for col, _ in layout.helpers})
    s.widths(widths)
    s.ws.column_dimensions.group(L(layout.helpers[0][0]), L(layout.helpers[-1][0]), hidden=True, outline_level=1)
    s.ws.freeze_panes = f"B{layout.first_row}"
    write_title(
        s,
        "Lead Scorer",
        "Paste leads into the blue columns from the first empty row (the columns in this order); "
        "scores appear at once. Points come from Scoring Model, the threshold from Settings.",
    )
    # Row 3: each rule's kind, which decides whether it counts towards Fit or Engagement.
    kinds: list[Any] = [None] * layout.last_col
    if rules:
        kinds[hand_col - 1] = s.cell("Rule kind \u2192", "kind_label")
    for rr in rules:
        kinds[layout.rule_col(rr) - 1] = s.cell(
            f"=LOWER(TRIM({sm.sheet.ref}{sm.sheet.addr(SM_KIND, rr.row)}))", "kind", formula=True
        )
    s.append(kinds)
    # Row 4: the table header.
    names = ["ID", "Outcome"] + [f.name for f in fields] + ["Fit", "Engagement", "Score", "Hand-off"]
    names += [f"R{rr.index} {rr.rule.label or describe_rule(rr.rule)}" for rr in rules]
    names += [h for _, h in layout.helpers]
    names = unique_names(names)
    header: list[Any] = []
    for k, name in enumerate(names, 1):
        style = (
            "header_in"
            if k <= layout.input_last
            else "header_out"
            if k < layout.first_rule
            else "header_rule"
            if k < layout.in_use
            else "header_helper"
        )
        header.append(s.cell(name, style))
    s.append(header, height=60)

    # The formulas of a row: templates with a placeholder for the row number.
    ROW = "\x00"
    by_name = {f.name: f for f in fields}
    in_use = f"${L(layout.in_use)}{ROW}"
    templates: list[tuple[int, str]] = [(layout.in_use, f"=COUNTA($A{ROW}:${L(layout.input_last)}{ROW})>0")]
    if rules:
        points = f"${L(layout.first_rule)}{ROW}:${L(layout.first_rule + len(rules) - 1)}{ROW}"
        kind_row = (
            f"${L(layout.first_rule)}${LEAD_HEADER_ROW - 1}:"
            f"${L(layout.first_rule + len(rules) - 1)}${LEAD_HEADER_ROW - 1}"
        )
        fit_raw, eng_raw = f'SUMIF({kind_row},"fit",{points})', f'SUMIF({kind_row},"behaviour",{points})'
    else:
        fit_raw = eng_raw = "0"
    templates += [
        (fit_col, f'=IF({in_use},ROUND({fit_raw},6),"")'),
        (eng_col, f'=IF({in_use},ROUND({eng_raw},6),"")'),
        (score_col, f'=IF({in_use},ROUND({fit_raw}+{eng_raw},6),"")'),
        (
            hand_col,
            f"=IF({in_use},IF(AND(${L(score_col)}{ROW}>=Threshold,OR(NOT(ISNUMBER(MinimumFit)),"
            f'${L(fit_col)}{ROW}>=MinimumFit)),"{HANDOFF_YES}","{HANDOFF_NO}"),"")',
        ),
    ]
    for rr in rules:
        f = by_name.get(rr.rule.field.strip())
        d = by_name.get(rr.rule.decay_date_field.strip()) if rr.rule.decay_date_field.strip() else None
        templates.append((layout.rule_col(rr), f'=IF({in_use},{rule_formula(rr, f, d, ROW)},"")'))
    for f in fields:
        for what, col in f.helpers.items():
            templates.append((col, "=" + helper_formula(f, what, ROW)))
    split = [(col, t.split(ROW)) for col, t in templates]

    # The leads, in the data's order, then the empty rows.
    sample = content.leads
    columns = [sample.columns.get(f.name) if sample is not None else None for f in fields]
    ids = sample.ids if sample is not None else ()
    outcome = sample.outcome if sample is not None else np.zeros(0, dtype=bool)  # no sample: no lead rows
    n, total_rows = layout.n_leads, layout.n_leads + layout.blank_rows
    input_styles = [
        "text_cell" if f.kind == ColumnKind.CODES else "date" if f.kind == ColumnKind.DATE else None for f in fields
    ]
    step = max(500, total_rows // 50)
    for i in range(total_rows):
        if i % step == 0:
            report(
                progress,
                0.05 + 0.83 * i / max(total_rows, 1),
                f"Writing lead {i + 1:,} of {n:,}\u2026" if i < n else "Writing the empty rows\u2026",
            )
        values: list[Any] = [None] * layout.last_col
        if i < n:
            values[0] = s.cell(ids[i], "text_cell")
            values[1] = "Yes" if outcome[i] else "No"
            for k, column in enumerate(columns):
                if column is None:
                    continue
                v = column.value(i)
                if v is None:
                    continue
                if isinstance(v, bool):  # a yes/no answer, written as the file's Yes / No
                    v = answer_text(v)
                if isinstance(v, (dt.date, str)):
                    values[fields[k].column - 1] = s.cell(v, input_styles[k])
                elif isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
                    values[fields[k].column - 1] = int(v)
                else:
                    values[fields[k].column - 1] = s.cell(v)
        else:
            values[0] = s.cell(None, "text_cell")
            for k, f in enumerate(fields):
                if input_styles[k]:
                    values[f.column - 1] = s.cell(None, input_styles[k])
        number = str(layout.first_row + i)
        for col, parts in split:
            values[col - 1] = number.join(parts)
        s.append(values)

    last_row = layout.last_row
    add_table(s, "Leads", 1, LEAD_HEADER_ROW, names, last_row, style="TableStyleLight9")
    hand = f"{L(hand_col)}{layout.first_row}:{L(hand_col)}{last_row}"
    s.ws.conditional_formatting.add(
        hand,
        cell_is_rule(
            operator="equal",
            formula=[f'"{HANDOFF_YES}"'],
            font=Font(color=xlsx(palette.PAPER), bold=True),
            fill=solid(xlsx(palette.GOOD)),
        ),
    )
    s.ws.conditional_formatting.add(
        hand,
        cell_is_rule(
            operator="equal",
            formula=[f'"{HANDOFF_NO}"'],
            font=Font(color=xlsx(palette.INK_SOFT)),
            fill=solid(xlsx(palette.HEADER)),
        ),
    )
    first_score = f"{L(score_col)}{layout.first_row}"
    s.ws.conditional_formatting.add(
        f"{L(score_col)}{layout.first_row}:{L(score_col)}{last_row}",
        formula_rule(
            formula=[f"AND(ISNUMBER({first_score}),{first_score}>=Threshold)"],
            font=Font(bold=True, color=xlsx(palette.GOOD)),
        ),
    )
