"""Where everything goes in the scoring workbook (no Qt): the plan of the Lead Scorer's
columns and of the Scoring Model's, made once from the definitions and the leads before any
sheet is written, since the sheets' formulas point into each other.

Lead Scorer, left to right: ID, Outcome and one input column per attribute a rule reads; Fit,
Engagement, Score and Hand-off; one column of points per rule; then hidden helpers: whether
the row holds a lead, and per attribute only the forms of it some rule reads (its trimmed
text, compared text, text without commas, number, date; see export/xlsx_formulas.py).
Scoring Model: one row per rule, its inputs, its "one of" value cells, then hidden helpers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from export.content import ExportContent
from models.definitions import Operator, ScoringRule
from models.lead_frame import ColumnKind
from models.scoring import rule_fields

LEAD_HEADER_ROW = 4  # the Lead Scorer's table header; leads start on the row below
RULE_HEADER_ROW = 4  # the Scoring Model's header; rules start on the row below
MIN_VALUE_SLOTS = 5  # "one of" value cells per rule, at least (spare ones to add values)
HANDOFF_YES, HANDOFF_NO = "Sales", "Nurture"

# What each operator reads from its field: the text, the number.
_NEEDS_TEXT = {
    Operator.EQUALS,
    Operator.NOT_EQUALS,
    Operator.ONE_OF,
    Operator.NOT_ONE_OF,
    Operator.CONTAINS,
    Operator.IS_EMPTY,
    Operator.IS_NOT_EMPTY,
}
_NEEDS_NUMBER = {
    Operator.EQUALS,
    Operator.NOT_EQUALS,
    Operator.ONE_OF,
    Operator.NOT_ONE_OF,
    Operator.BETWEEN,
    Operator.AT_LEAST,
    Operator.AT_MOST,
    Operator.COUNT,
}
# The operators compared with one value, and with a list of them (the "One of" cells).
VALUE_OPS = {Operator.EQUALS, Operator.NOT_EQUALS, Operator.CONTAINS}
VALUES_OPS = {Operator.ONE_OF, Operator.NOT_ONE_OF}


@dataclass
class LeadField:
    name: str  # as the rules name it (stripped)
    kind: ColumnKind  # how the data holds the column: CODES (text), NUMBER or DATE
    column: int  # the input column on the Lead Scorer
    helpers: dict[str, int] = field(default_factory=dict)  # helper kind → column


@dataclass
class RuleRow:
    rule: ScoringRule
    index: int  # 1-based
    row: int  # on the Scoring Model

    @property
    def name(self) -> str:
        """Prefix of the rule's defined names: Rule1_Points, Rule1_Complete ..."""
        return f"Rule{self.index}_"


@dataclass
class Layout:
    fields: list[LeadField]
    rules: list[RuleRow]
    slots: int  # value cells per rule on the Scoring Model
    n_leads: int
    total_leads: int
    blank_rows: int
    first_row: int = LEAD_HEADER_ROW + 1
    input_last: int = 0
    out_fit: int = 0
    first_rule: int = 0
    in_use: int = 0  # helper: whether the row holds a lead
    helpers: list[tuple[int, str]] = field(default_factory=list)  # (column, header)
    last_col: int = 0

    @property
    def last_row(self) -> int:
        return self.first_row + self.n_leads + self.blank_rows - 1

    def rule_col(self, rr: RuleRow) -> int:
        return self.first_rule + rr.index - 1


# Scoring Model columns
(
    SM_NUM,
    SM_LABEL,
    SM_KIND,
    SM_FIELD,
    SM_OP,
    SM_VALUE,
    SM_MIN,
    SM_MAX,
    SM_POINTS,
    SM_CAP,
    SM_HALF_LIFE,
    SM_DECAY_FIELD,
    SM_STATUS,
    SM_VALUES,
) = range(1, 15)


def sm_cols(slots: int) -> dict[str, int]:
    words = SM_VALUES + slots
    return {
        "words": words,
        "ok": words + 1,
        "vk": words + 2,
        "vn": words + 3,
        "vks": words + 4,
        "vns": words + 4 + slots,
    }


def plan(content: ExportContent, max_leads: int | None, blank_rows: int) -> Layout:
    defs = content.defs
    sample = content.leads
    total = sample.total if sample is not None else 0
    n = min(sample.n if sample is not None else 0, max(int(max_leads), 0) if max_leads is not None else total)
    decay_fields = {r.decay_date_field.strip() for r in defs.rules if r.decay_date_field.strip()}
    fields = []
    for k, name in enumerate(rule_fields(defs)):
        col = sample.columns.get(name) if sample is not None else None
        kind = col.kind if col is not None else (ColumnKind.DATE if name in decay_fields else ColumnKind.CODES)
        fields.append(LeadField(name, kind, 3 + k))
    by_name = {f.name: f for f in fields}
    slots = max([MIN_VALUE_SLOTS] + [len(r.values) + 3 for r in defs.rules if r.operator in VALUES_OPS])
    rules = [RuleRow(rule, k + 1, RULE_HEADER_ROW + 1 + k) for k, rule in enumerate(defs.rules)]
    layout = Layout(fields, rules, slots, n, total, max(int(blank_rows), 1))
    layout.input_last = 2 + len(fields)
    layout.out_fit = layout.input_last + 1
    layout.first_rule = layout.out_fit + 4
    next_col = layout.first_rule + len(rules)
    layout.in_use, next_col = next_col, next_col + 1
    layout.helpers.append((layout.in_use, "Row in use"))
    # Which helpers each field needs (only those some rule reads).
    needs: dict[str, set[str]] = {f.name: set() for f in fields}
    for rr in rules:
        rule = rr.rule
        f = by_name.get(rule.field.strip())
        if f is not None:
            if rule.operator in _NEEDS_TEXT:
                needs[f.name].add("text")
            if rule.operator in _NEEDS_NUMBER and f.kind != ColumnKind.DATE:  # dates are never numbers
                needs[f.name].add("number")
                if f.kind == ColumnKind.CODES:
                    needs[f.name] |= {"text", "plain"}
        d = by_name.get(rule.decay_date_field.strip())
        if d is not None and d.kind != ColumnKind.NUMBER:  # numbers are never dates
            needs[d.name] |= {"text", "date"}
    for f in fields:
        for what in ("trim", "text", "plain", "number", "date"):
            if what in needs[f.name] or (what == "trim" and "text" in needs[f.name]):
                f.helpers[what] = next_col
                layout.helpers.append((next_col, f"{f.name} \u00b7 {what}"))
                next_col += 1
    layout.last_col = next_col - 1
    return layout
