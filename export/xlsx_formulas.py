"""The formulas of the scoring workbook (no Qt): text that Excel (2013 and later) and
LibreOffice both evaluate to the scores of `models.scoring`, the reference, lead by lead.

Every lead's attribute is read once per row into hidden helper columns (below: how the
reference compares text, reads a number, reads a date); a rule's column compares those with
its operands, which the Scoring Model turns into the same text / number form once per rule,
and reads its points, operands and completeness through defined names (Rule1_Points,
Rule1_Complete ...). A lead's formulas take its row as text: the Lead Scorer builds them once
with a placeholder row and puts each row's number in.
"""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from export.xlsx_layout import (
    SM_CAP,
    SM_DECAY_FIELD,
    SM_FIELD,
    SM_HALF_LIFE,
    SM_KIND,
    SM_MAX,
    SM_MIN,
    SM_POINTS,
    VALUE_OPS,
    VALUES_OPS,
    LeadField,
    RuleRow,
)
from export.xlsx_sheet import Sheet
from models.definitions import Operator, ScoringRule
from models.lead_frame import ColumnKind


def literal(text: str) -> str:
    """A string literal inside a formula (characters XML cannot carry as CHAR(n))."""
    parts = []
    for piece in re.split("([\x00-\x08\x0b-\x1f])", text):
        if len(piece) == 1 and piece < "\x20":
            parts.append(f"CHAR({ord(piece)})")
        elif piece:
            parts.append('"' + piece.replace('"', '""').replace("\ufffe", "").replace("\uffff", "") + '"')
    return "&".join(parts) or '""'


# The Lead Scorer's hidden helper columns, per attribute a rule reads (x: the lead's cell):
#   trim    TRIM of x with tabs and line breaks as spaces: its first and last characters are
#           the first and last of x that are not white space
#   text    x stripped at both ends (inner spaces kept), lower case; "" when blank. A number
#           cell as Excel writes it (10 → "10"); a date cell as YYYY-MM-DD (the reference's
#           text of a date)
#   plain   text without thousands commas
#   number  x as a number when the reference reads one: a number cell, or text float() reads
#           (digits, a leading sign, one decimal point, an exponent), else ""
#   date    the activity date: a date cell, or text starting YYYY-MM-DD, else ""
def _trim(x: str) -> str:
    return f'TRIM(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({x},CHAR(9)," "),CHAR(10)," "),CHAR(13)," "))'


def _stripped(x: str, w: str) -> str:
    first_pos = f"FIND(LEFT({w},1),{x})"
    last = f"RIGHT({w},1)"
    last_pos = f'FIND(CHAR(1),SUBSTITUTE({x},{last},CHAR(1),LEN({x})-LEN(SUBSTITUTE({x},{last},""))))'
    return f'IF({w}="","",LOWER(MID({x},{first_pos},{last_pos}-{first_pos}+1)))'


def _text(x: str, w: str, date_column: bool = False) -> str:
    if date_column:
        return f'IF(ISNUMBER({x}),YEAR({x})&"-"&TEXT(MONTH({x}),"00")&"-"&TEXT(DAY({x}),"00"),{_stripped(x, w)})'
    return f"IF(ISNUMBER({x}),LOWER({x}),{_stripped(x, w)})"


def _parse_number(s: str) -> str:
    """The number float() reads from text `s` (no commas, stripped, lower case), else "".
    Every character must be a digit, the decimal point, an "e", a sign at the start or a
    sign right after the "e"; NUMBERVALUE then reads it as float() does, in every locale."""
    chars = ",".join(f'"{c}"' for c in "0123456789.e")
    allowed = (
        f'SUMPRODUCT(LEN({s})-LEN(SUBSTITUTE({s},{{{chars}}},"")))'
        f'+LEN({s})-LEN(SUBSTITUTE(SUBSTITUTE({s},"e-","e"),"e+","e"))'
        f'+ISNUMBER(FIND(LEFT({s},1),"+-"))'
    )
    value = f'_xlfn.NUMBERVALUE({s},".",",")'
    return f'IF(AND(ISNUMBER({value}),{allowed}=LEN({s})),{value},"")'


def _iso_date(k: str) -> str:
    """The date of text `k` starting YYYY-MM-DD (date.fromisoformat(text[:10])), else ""."""
    t = f"LEFT({k},10)"
    y, m, d = f"VALUE(LEFT({t},4))", f"VALUE(MID({t},6,2))", f"VALUE(RIGHT({t},2))"
    digits = f"LEFT({t},4)&MID({t},6,2)&RIGHT({t},2)"
    shape = (
        f'AND(LEN({t})=10,MID({t},5,1)="-",MID({t},8,1)="-",'
        f'SUMPRODUCT(--ISNUMBER(FIND(MID({digits},{{1,2,3,4,5,6,7,8}},1),"0123456789")))=8)'
    )
    valid = f"AND({y}>=1900,{m}>=1,{m}<=12,{d}>=1,DAY(DATE({y},{m},{d}))={d})"
    return f'IF({shape},IF({valid},DATE({y},{m},{d}),""),"")'


def operand_text(x: str) -> str:
    """An operand as the reference compares it: str(value).strip().casefold()."""
    return _text(x, _trim(x))


def operand_number(x: str, text: str) -> str:
    """An operand's number (as_number), from its cell and its text helper."""
    plain = f'SUBSTITUTE({text},",","")'
    return f"IF(ISNUMBER({x}),{x},{_parse_number(plain)})"


def rule_complete(rule: ScoringRule, s: Sheet, r: int, cols: dict[str, int], slots: int) -> str:
    """Whether the rule can be scored, as models.definitions_json.rule_problems decides, from
    the live cells (the operator is the exported one, which the formulas use)."""

    def a(col: int) -> str:
        return s.addr(col, r, absolute=False)

    op = rule.operator
    parts = [f"LEN(TRIM({a(SM_FIELD)}))>0"]
    if op in VALUE_OPS:
        parts.append(f'{a(cols["vk"])}<>""')
    if op in VALUES_OPS:
        vks = f"{a(cols['vks'])}:{a(cols['vks'] + slots - 1)}"
        parts.append(f'SUMPRODUCT(--({vks}<>""))>0')
    if op in (Operator.BETWEEN, Operator.AT_LEAST):
        parts.append(f"ISNUMBER({a(SM_MIN)})")
    if op in (Operator.BETWEEN, Operator.AT_MOST):
        parts.append(f"ISNUMBER({a(SM_MAX)})")
    if op == Operator.BETWEEN:
        parts.append(f"{a(SM_MIN)}<={a(SM_MAX)}")
    if op == Operator.COUNT:
        parts.append(f'LOWER(TRIM({a(SM_KIND)}))="behaviour"')
    else:
        parts.append(f"NOT(ISNUMBER({a(SM_CAP)}))")
    hl = a(SM_HALF_LIFE)
    parts.append(f"ISNUMBER({hl})=(LEN(TRIM({a(SM_DECAY_FIELD)}))>0)")
    parts.append(f"OR(NOT(ISNUMBER({hl})),{hl}>0)")
    parts.append(f"ISNUMBER({a(SM_POINTS)})+ISBLANK({a(SM_POINTS)})>0")
    return f"AND({','.join(parts)})"


def rule_formula(rr: RuleRow, f: LeadField | None, decay: LeadField | None, row: str) -> str:
    """The points of one rule for the lead on `row`, from its field's helpers and the rule's
    named cells on the Scoring Model (Rule1_Points ...)."""
    rule, n = rr.rule, rr.name
    op = rule.operator
    L = get_column_letter
    helpers = f.helpers if f is not None else {}
    text = f"${L(helpers['text'])}{row}" if "text" in helpers else '""'
    num = f"${L(helpers['number'])}{row}" if "number" in helpers else '""'
    factor = ""
    if decay is not None and "date" in decay.helpers:
        d = f"${L(decay.helpers['date'])}{row}"
        factor = f"*IF(ISNUMBER({d}),POWER(0.5,MAX(AsOfDateUsed-{d},0)/{n}HalfLife),1)"
    ok, points = f"{n}Complete", f"{n}Points"
    if op == Operator.COUNT:
        cap = f"{n}Cap"
        counted = f"IF(ISNUMBER({cap}),MEDIAN(-{cap},{num}*{points},{cap}),{num}*{points})"
        return f"IF(AND({ok},ISNUMBER({num})),{counted}{factor},0)"
    vt, vn = f"{n}ValueText", f"{n}ValueNumber"
    same = f"IF(AND(ISNUMBER({num}),ISNUMBER({vn})),{num}={vn},{text}={vt})"
    any_of = f"IF(ISNUMBER({num}),SUMPRODUCT(--({n}ValueNumbers={num})),SUMPRODUCT(--({n}ValueTexts={text})))>0"
    match = {
        Operator.EQUALS: f'AND({text}<>"",{same})',
        Operator.NOT_EQUALS: f'OR({text}="",NOT({same}))',
        Operator.ONE_OF: f'AND({text}<>"",{any_of})',
        Operator.NOT_ONE_OF: f'OR({text}="",NOT({any_of}))',
        Operator.CONTAINS: f'AND({text}<>"",ISNUMBER(FIND({vt},{text})))',
        Operator.BETWEEN: f"AND(ISNUMBER({num}),{num}>={n}Minimum,{num}<={n}Maximum)",
        Operator.AT_LEAST: f"AND(ISNUMBER({num}),{num}>={n}Minimum)",
        Operator.AT_MOST: f"AND(ISNUMBER({num}),{num}<={n}Maximum)",
        Operator.IS_EMPTY: f'{text}=""',
        Operator.IS_NOT_EMPTY: f'{text}<>""',
    }[op]
    return f"IF(AND({ok},{match}),{points}{factor},0)"


def helper_formula(f: LeadField, what: str, row: str) -> str:
    """The hidden helper `what` (trim, text, plain, number or date: see above) of field `f` for
    the lead on `row`."""
    L = get_column_letter
    x = f"${L(f.column)}{row}"
    h = {k: f"${L(c)}{row}" for k, c in f.helpers.items()}
    if what == "trim":
        return _trim(x)
    if what == "text":
        return _text(x, h["trim"], date_column=f.kind == ColumnKind.DATE)
    if what == "plain":
        return f'SUBSTITUTE({h["text"]},",","")'
    if what == "number":
        if f.kind == ColumnKind.NUMBER:  # a number column: its numbers (type numbers as numbers)
            return f'IF(ISNUMBER({x}),{x},"")'
        return f"IF(ISNUMBER({x}),{x},{_parse_number(h['plain'])})"
    if what == "date":
        if f.kind == ColumnKind.DATE:
            return f"IF(ISNUMBER({x}),INT({x}),{_iso_date(h['text'])})"
        return _iso_date(h["text"])
    raise ValueError(what)
