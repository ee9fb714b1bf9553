"""The Scoring Model sheet of the scoring workbook (no Qt): one row per rule, whose points,
value(s), minimum, maximum, cap and half-life are input cells every score on the Lead Scorer
reads through defined names (Rule1_Points ...). The field, operator and decay date column are
the exported ones the formulas were made for: a row's Status says when they were changed here,
and when a rule misses what its operator needs (it scores 0). Hidden helper columns hold each
operand as the formulas compare it, and whether the rule is complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from export.content import ExportContent
from export.xlsx_formulas import literal, operand_number, operand_text, rule_complete
from export.xlsx_layout import (
    RULE_HEADER_ROW,
    SM_CAP,
    SM_DECAY_FIELD,
    SM_FIELD,
    SM_HALF_LIFE,
    SM_KIND,
    SM_LABEL,
    SM_MAX,
    SM_MIN,
    SM_NUM,
    SM_OP,
    SM_POINTS,
    SM_STATUS,
    SM_VALUE,
    SM_VALUES,
    VALUE_OPS,
    VALUES_OPS,
    Layout,
    RuleRow,
    sm_cols,
)
from export.xlsx_sheet import AMBER, Sheet, cell_is_rule, define_name, formula_rule, solid, write_title
from models import palette
from models.definitions import Operator
from models.palette import xlsx
from models.scoring import describe_rule


@dataclass
class ScoringModelRefs:
    sheet: Sheet
    cols: dict[str, int]


def write_scoring_model(wb: Workbook, content: ExportContent, layout: Layout) -> ScoringModelRefs:
    slots = layout.slots
    cols = sm_cols(slots)
    s = Sheet(wb, "Scoring Model", AMBER)
    s.print_setup(landscape=True, title_rows=f"{RULE_HEADER_ROW}:{RULE_HEADER_ROW}", pages_wide=2)
    s.ws.print_title_cols = "A:B"
    widths = {
        SM_NUM: 5,
        SM_LABEL: 30,
        SM_KIND: 11,
        SM_FIELD: 26,
        SM_OP: 13,
        SM_VALUE: 22,
        SM_MIN: 10,
        SM_MAX: 10,
        SM_POINTS: 9,
        SM_CAP: 8,
        SM_HALF_LIFE: 11,
        SM_DECAY_FIELD: 18,
        SM_STATUS: 24,
        cols["words"]: 60,
    }
    widths.update({SM_VALUES + k: 18 for k in range(slots)})
    s.widths(widths)
    first_helper = cols["ok"]
    last_helper = cols["vns"] + slots - 1
    s.ws.column_dimensions.group(
        get_column_letter(first_helper), get_column_letter(last_helper), hidden=True, outline_level=1
    )
    s.ws.freeze_panes = s.addr(SM_LABEL + 1, RULE_HEADER_ROW + 1, absolute=False)
    write_title(
        s,
        "Scoring Model",
        "Yellow cells are live: change points, value(s), minimum, maximum, cap or half-life and every "
        "score on Lead Scorer follows. Grey cells (field, operator, decay date column) decide which "
        "cells a rule's formula reads: change them in Accord and export again.",
        subtitle_height=30,
    )
    s.blank()
    headers = {
        SM_NUM: "#",
        SM_LABEL: "Label",
        SM_KIND: "Kind",
        SM_FIELD: "Field",
        SM_OP: "Operator",
        SM_VALUE: "Value",
        SM_MIN: "Minimum",
        SM_MAX: "Maximum",
        SM_POINTS: "Points",
        SM_CAP: "Cap",
        SM_HALF_LIFE: "Decay half-life (days)",
        SM_DECAY_FIELD: "Decay date column",
        SM_STATUS: "Status",
        cols["words"]: "Rule as exported",
        cols["ok"]: "(helper) complete",
        cols["vk"]: "(helper) value text",
        cols["vn"]: "(helper) value number",
    }
    for k in range(slots):
        headers[SM_VALUES + k] = f"One of: value {k + 1}"
        headers[cols["vks"] + k] = f"(helper) value {k + 1} text"
        headers[cols["vns"] + k] = f"(helper) value {k + 1} number"
    row_values: list[Any] = [None] * last_helper
    for col, text in headers.items():
        style = "header_helper" if col >= first_helper else "header_rule" if col == SM_POINTS else "header"
        row_values[col - 1] = s.cell(text, style)
    s.append(row_values, height=32)
    for rr in layout.rules:
        s.append(_rule_row(s, rr, cols, slots))
        _rule_names(wb, s, rr, cols, slots)
    last = RULE_HEADER_ROW + max(len(layout.rules), 1)
    if not layout.rules:
        s.append([s.cell("(no rules defined)", "text")])
    # Validation of the input cells
    first = RULE_HEADER_ROW + 1
    letter = get_column_letter

    def dv(kind: Literal["list", "decimal"], col: int, **kw: Any) -> None:
        v = DataValidation(type=kind, allow_blank=True, showErrorMessage=True, **kw)
        v.add(f"{letter(col)}{first}:{letter(col)}{last}")
        s.ws.data_validations.append(v)

    dv("list", SM_KIND, formula1='"fit,behaviour"', errorTitle="Kind", error="Kind is fit or behaviour.")
    dv(
        "list",
        SM_OP,
        formula1=literal(",".join(op.value for op in Operator)),
        errorTitle="Operator",
        error="Choose an operator from the list.",
    )
    for col, name in ((SM_MIN, "Minimum"), (SM_MAX, "Maximum"), (SM_POINTS, "Points")):
        dv(
            "decimal",
            col,
            operator="between",
            formula1="-1E+300",
            formula2="1E+300",
            errorTitle=name,
            error=f"{name} is a number.",
        )
    dv(
        "decimal",
        SM_CAP,
        operator="greaterThanOrEqual",
        formula1="0",
        errorTitle="Cap",
        error="The cap is a number of points, 0 or more (blank: no cap).",
    )
    dv(
        "decimal",
        SM_HALF_LIFE,
        operator="greaterThan",
        formula1="0",
        errorTitle="Half-life",
        error="The half-life is a number of days above 0 (blank: no decay).",
    )
    status = f"{letter(SM_STATUS)}{first}:{letter(SM_STATUS)}{last}"
    s.ws.conditional_formatting.add(
        status,
        cell_is_rule(
            operator="equal",
            formula=['"Live"'],
            font=Font(color=xlsx(palette.GOOD), bold=True),
            fill=solid(xlsx(palette.GOOD_FILL)),
        ),
    )
    s.ws.conditional_formatting.add(
        status,
        formula_rule(
            formula=[f'LEFT({letter(SM_STATUS)}{first},10)="Incomplete"'],
            font=Font(color=xlsx(palette.BAD), bold=True),
            fill=solid(xlsx(palette.BAD_FILL)),
        ),
    )
    s.ws.conditional_formatting.add(
        status,
        formula_rule(
            formula=[f'LEFT({letter(SM_STATUS)}{first},7)="Changed"'],
            font=Font(color=xlsx(palette.WARN), bold=True),
            fill=solid(xlsx(palette.WARN_FILL)),
        ),
    )
    s.blank()
    notes = [
        "Operators: equals, not_equals, one_of, not_one_of (values in the \u201cOne of\u201d cells), contains, "
        "between, at_least, at_most (minimum / maximum), is_empty, is_not_empty, count (behaviour rules: the "
        "count \u00d7 points, at most the cap either way).",
        "Decay (optional): points \u00d7 0.5^(age \u00f7 half-life), age in days from the decay date column to "
        "AsOfDate on Settings. It needs both a half-life and a decay date column.",
        "A rule missing what its operator needs (a value, a minimum, ...) scores 0: its Status says so.",
    ]
    for note in notes:
        s.append([None, s.cell(note, "note")])
    return ScoringModelRefs(s, cols)


def _rule_row(s: Sheet, rr: RuleRow, cols: dict[str, int], slots: int) -> list[Any]:
    rule, r = rr.rule, rr.row

    def a(col: int) -> str:
        return s.addr(col, r, absolute=False)

    out: list[Any] = [None] * (cols["vns"] + slots - 1)

    def put(col: int, value: Any, style: str, formula: bool = False) -> None:
        out[col - 1] = s.cell(value, style, formula=formula)

    put(SM_NUM, rr.index, "cell")
    put(SM_LABEL, rule.label or describe_rule(rule), "input_text")
    put(SM_KIND, rule.kind.value, "input_text")
    put(SM_FIELD, rule.field, "structural")
    put(SM_OP, rule.operator.value, "structural")
    put(SM_VALUE, rule.value, "input_text")
    put(SM_MIN, rule.minimum, "input")
    put(SM_MAX, rule.maximum, "input")
    put(SM_POINTS, rule.points, "input")
    put(SM_CAP, rule.cap, "input")
    put(SM_HALF_LIFE, rule.decay_half_life_days, "input")
    put(SM_DECAY_FIELD, rule.decay_date_field, "structural")
    for k in range(slots):
        value = rule.values[k] if k < len(rule.values) else None
        put(SM_VALUES + k, value, "input_text")
    put(cols["words"], describe_rule(rule), "small")
    # Helpers: operands as the formulas compare them, and whether the rule is complete.
    put(cols["vk"], "=" + operand_text(a(SM_VALUE)), "formula", True)
    put(cols["vn"], "=" + operand_number(a(SM_VALUE), a(cols["vk"])), "formula", True)
    for k in range(slots):
        put(cols["vks"] + k, "=" + operand_text(a(SM_VALUES + k)), "formula", True)
        put(cols["vns"] + k, "=" + operand_number(a(SM_VALUES + k), a(cols["vks"] + k)), "formula", True)
    put(cols["ok"], "=" + rule_complete(rule, s, r, cols, slots), "formula", True)
    ok = a(cols["ok"])
    # The cells the formulas were made for, as exported (TRIM as Excel trims, case kept).
    same = ",".join(
        f"EXACT(TRIM({a(col)}),{literal(re.sub(' +', ' ', text.strip(' ')))})"
        for col, text in ((SM_FIELD, rule.field), (SM_OP, rule.operator.value), (SM_DECAY_FIELD, rule.decay_date_field))
    )
    put(
        SM_STATUS,
        f'=IF(NOT({ok}),"Incomplete: scores 0",IF(AND({same}),"Live",'
        f'"Changed field/operator: export again from Accord"))',
        "formula",
        True,
    )
    return out


def _rule_names(wb: Workbook, s: Sheet, rr: RuleRow, cols: dict[str, int], slots: int) -> None:
    """The defined names a rule's Lead Scorer formula reads: Rule1_Points, Rule1_Complete ..."""
    op, r = rr.rule.operator, rr.row
    names = {"Complete": cols["ok"], "Points": SM_POINTS}
    if op in VALUE_OPS:
        names |= {"ValueText": cols["vk"], "ValueNumber": cols["vn"]}
    if op in (Operator.BETWEEN, Operator.AT_LEAST):
        names["Minimum"] = SM_MIN
    if op in (Operator.BETWEEN, Operator.AT_MOST):
        names["Maximum"] = SM_MAX
    if op == Operator.COUNT:
        names["Cap"] = SM_CAP
    if rr.rule.decay_date_field.strip():
        names["HalfLife"] = SM_HALF_LIFE
    for suffix, col in names.items():
        define_name(wb, rr.name + suffix, s, col, r)
    if op in VALUES_OPS:
        for suffix, col in (("ValueTexts", cols["vks"]), ("ValueNumbers", cols["vns"])):
            wb.defined_names[rr.name + suffix] = DefinedName(
                rr.name + suffix, attr_text=f"{s.ref}{s.addr(col, r)}:{s.addr(col + slots - 1, r)}"
            )
