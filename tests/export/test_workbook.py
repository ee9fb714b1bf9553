"""The Excel scoring workbook read back with openpyxl: its sheets, named settings, the scoring
model as input cells, the Lead Scorer (leads, formulas, table, frozen header, conditional
formatting), the calibration table, the sign-off, text that looks like a formula, and
cancelling. (The formulas are evaluated by LibreOffice in test_workbook_recalc.py.)"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest

from export.content import ExportCancelled, ExportContent
from export.workbook import BLANK_ROWS, SETTINGS_NAMES, SHEETS, excel_text, excel_text_value, write_workbook
from models.check import ThresholdCheck
from models.definitions import (
    Definitions,
    GlossaryTerm,
    Operator,
    RuleKind,
    ScoringRule,
    ScoringSettings,
    TeamTargets,
    new_definitions,
)
from models.definitions_json import RevisionBlock
from models.document import Document
from models.lead_frame import Column, LeadFrame, day_number

AS_OF = dt.date(2026, 11, 24)
FIT, BEH = RuleKind.FIT, RuleKind.BEHAVIOUR
PAYLOADS = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"]
# Functions both Excel (2013 and later) and LibreOffice evaluate; nothing else may appear.
ALLOWED_FUNCTIONS = {
    "IF",
    "AND",
    "OR",
    "NOT",
    "ISNUMBER",
    "ISBLANK",
    "LEN",
    "TRIM",
    "LOWER",
    "VALUE",
    "FIND",
    "SUMPRODUCT",
    "SUBSTITUTE",
    "MID",
    "LEFT",
    "RIGHT",
    "CHAR",
    "ROUND",
    "POWER",
    "MAX",
    "MEDIAN",
    "SUMIF",
    "COUNTA",
    "COUNTIF",
    "YEAR",
    "MONTH",
    "DAY",
    "TEXT",
    "DATE",
    "INT",
    "TODAY",
    "EXACT",
    "_xlfn.NUMBERVALUE",
}


# --------------------------------------------------------------------------- builders
def text_column(name: str, values: list[Any]) -> Column:
    labels: list[Any] = []
    for v in values:
        if v is not None and v not in labels:
            labels.append(v)
    codes = np.array([len(labels) if v is None else labels.index(v) for v in values], dtype=np.int32)
    return Column.from_labels(name, codes, labels)


def small_frame() -> LeadFrame:
    """Six leads with text, number and date columns (text cells that look like formulas
    among them)."""
    company = text_column("Company", PAYLOADS)
    notes = text_column("Notes", ["ok", None, "=cmd|' /C calc'!A0", "  ", "50%* off", "plain"])
    visits = Column.from_numbers("Visits", np.array([3, np.nan, 12, 0, 2.5, 7], dtype=np.float64))
    base = day_number(AS_OF)
    seen = Column.from_days(
        "Last seen", np.array([base, base - 14, np.nan, base - 400, base + 3, base - 1], dtype=np.float64)
    )
    return LeadFrame(
        6,
        np.array([True, False, True, False, True, False]),
        columns={c.name: c for c in (company, notes, visits, seen)},
        ids=lambda i: f"L-{i + 1}",
    )


def small_content(**scoring: Any) -> ExportContent:
    """The six leads of `small_frame` and a rule for every operator."""
    r = ScoringRule
    rules = [
        r(kind=FIT, label="Is x", field="Company", operator=Operator.EQUALS, value="x", points=10),
        r(kind=FIT, label="Not minus two", field="Company", operator=Operator.NOT_EQUALS, value="-2", points=2),
        r(kind=FIT, label="Listed", field="Company", operator=Operator.ONE_OF, values=["@CMD", "=1+1"], points=3),
        r(kind=FIT, label="Unlisted", field="Notes", operator=Operator.NOT_ONE_OF, values=["ok"], points=-1),
        r(kind=BEH, label="Offer", field="Notes", operator=Operator.CONTAINS, value="50%*", points=4),
        r(kind=BEH, label="Some visits", field="Visits", operator=Operator.BETWEEN, minimum=1, maximum=10, points=5),
        r(kind=BEH, label="Many visits", field="Visits", operator=Operator.AT_LEAST, minimum=10, points=6),
        r(kind=BEH, label="Few visits", field="Visits", operator=Operator.AT_MOST, maximum=1, points=-2),
        r(kind=BEH, label="No notes", field="Notes", operator=Operator.IS_EMPTY, points=-3),
        r(kind=FIT, label="Has company", field="Company", operator=Operator.IS_NOT_EMPTY, points=1),
        r(
            kind=BEH,
            label="Visit count",
            field="Visits",
            operator=Operator.COUNT,
            points=2,
            cap=15,
            decay_half_life_days=14,
            decay_date_field="Last seen",
        ),
    ]
    settings: dict[str, Any] = dict(threshold=8, minimum_fit=2, as_of_date=AS_OF, history_weeks=2)
    settings.update(scoring)
    defs = Definitions(
        team=TeamTargets(
            workshop_name="Small",
            organisation="Test Co",
            date=AS_OF,
            reps=2,
            leads_per_rep_per_week=5,
            target_rate=0.4,
            baseline_rate=0.02,
        ),
        rules=rules,
        scoring=ScoringSettings(**settings),
        terms=[GlossaryTerm(term="=TERM()", definition="@risky definition")],
    )
    return ExportContent.snapshot(
        defs,
        RevisionBlock(label="R1", content_hash="ab" * 32, signature_matches=None),
        "small.accord",
        ThresholdCheck(small_frame(), defs),
    )


def write_and_load(content: ExportContent, path: Path, **kw: Any) -> openpyxl.Workbook:
    write_workbook(content, path, **kw)
    return openpyxl.load_workbook(path)


def named(wb: openpyxl.Workbook, name: str) -> Any:
    sheet, coord = next(iter(wb.defined_names[name].destinations))
    return wb[sheet][coord.replace("$", "")]


def header_of(ws: Any) -> list[str]:
    return [c.value for c in ws[4]]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[ExportContent, Path, openpyxl.Workbook]:
    content = small_content()
    path = tmp_path_factory.mktemp("small") / "small.xlsx"
    return content, path, write_and_load(content, path, blank_rows=10)


# --------------------------------------------------------------------------- sheets and settings
def test_every_sheet_exists_in_order(small: Any) -> None:
    _, _, wb = small
    assert wb.sheetnames == list(SHEETS)


def test_settings_are_named_cells(small: Any) -> None:
    content, _, wb = small
    assert named(wb, "Threshold").value == 8
    assert named(wb, "MinimumFit").value == 2
    assert named(wb, "AsOfDate").value.date() == AS_OF
    assert named(wb, "WorkshopDate").value.date() == AS_OF
    assert named(wb, "AsOfDateUsed").value.startswith("=IF(ISNUMBER(AsOfDate)")
    assert named(wb, "TargetRate").value == 0.4 and named(wb, "TargetRate").number_format == "0.0%"
    assert named(wb, "BaselineRate").value == 0.02
    assert named(wb, "Reps").value == 2 and named(wb, "LeadsPerRepPerWeek").value == 5
    assert named(wb, "Capacity").value == "=Reps*LeadsPerRepPerWeek"
    assert named(wb, "HistoryWeeks").value == 2
    for name in SETTINGS_NAMES:
        assert next(iter(wb.defined_names[name].destinations))[0] == "Settings"


def test_optional_settings_are_blank(tmp_path: Path) -> None:
    wb = write_and_load(
        small_content(minimum_fit=None, as_of_date=None, history_weeks=None), tmp_path / "blank.xlsx", blank_rows=1
    )
    assert named(wb, "MinimumFit").value is None
    assert named(wb, "AsOfDate").value is None
    assert named(wb, "HistoryWeeks").value is None


# --------------------------------------------------------------------------- scoring model
def test_scoring_model_lists_every_rule_with_its_inputs(small: Any) -> None:
    content, _, wb = small
    ws = wb["Scoring Model"]
    header = [c.value for c in ws[4]]
    assert header[:13] == [
        "#",
        "Label",
        "Kind",
        "Field",
        "Operator",
        "Value",
        "Minimum",
        "Maximum",
        "Points",
        "Cap",
        "Decay half-life (days)",
        "Decay date column",
        "Status",
    ]
    assert header[13] == "One of: value 1"
    for k, rule in enumerate(content.defs.rules):
        row = [c.value for c in ws[5 + k]]
        assert row[:12] == [
            k + 1,
            rule.label,
            rule.kind.value,
            rule.field,
            rule.operator.value,
            excel_text(rule.value) if rule.value else None,
            rule.minimum,
            rule.maximum,
            rule.points,
            rule.cap,
            rule.decay_half_life_days,
            rule.decay_date_field or None,
        ]
        values = [v for v in row[13 : 13 + 5] if v is not None]
        assert values == rule.values
        assert str(row[12]).startswith("=IF(NOT(")  # the status formula
        for name in ("Complete", "Points"):
            sheet, coord = next(iter(wb.defined_names[f"Rule{k + 1}_{name}"].destinations))
            assert sheet == "Scoring Model" and coord.endswith(f"${5 + k}")
    assert ws.data_validations.dataValidation, "kind, operator and numbers are validated"
    # Operand cells are text cells, so "10.50" typed there stays "10.50".
    assert ws.cell(5, 6).number_format == "@"


# --------------------------------------------------------------------------- lead scorer
def test_lead_scorer_holds_the_leads_and_a_formula_per_rule(small: Any) -> None:
    content, _, wb = small
    ws = wb["Lead Scorer"]
    header = header_of(ws)
    rules = content.defs.rules
    assert header[:6] == ["ID", "Outcome", "Company", "Notes", "Visits", "Last seen"]
    assert header[6:10] == ["Fit", "Engagement", "Score", "Hand-off"]
    assert header[10 : 10 + len(rules)] == [f"R{k + 1} {r.label}" for k, r in enumerate(rules)]
    frame = small_frame()
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == frame.n + 10
    visits_column, seen_column = frame.column("Visits"), frame.column("Last seen")
    assert visits_column is not None and seen_column is not None
    for i in range(frame.n):
        row = rows[i]
        assert row[0] == f"L-{i + 1}"
        assert row[1] == ("Yes" if frame.outcome[i] else "No")
        visits, seen = visits_column.value(i), seen_column.value(i)
        assert row[4] == visits  # numbers as numbers (missing: an empty cell)
        assert (row[5].date() if row[5] is not None else None) == seen  # dates as dates
        for k in range(len(rules)):
            formula = row[10 + k]
            assert isinstance(formula, str) and formula.startswith("=IF(")
            assert f"Rule{k + 1}_Points" in formula and f"Rule{k + 1}_Complete" in formula
        assert row[6].startswith("=IF(") and "ROUND(" in row[6] and ",6)" in row[6]
        assert "Threshold" in row[9] and "MinimumFit" in row[9]
    # Empty rows below the leads carry the formulas too (blank until a lead is pasted).
    for row in rows[frame.n :]:
        assert row[0] is None and all(isinstance(v, str) and v.startswith("=") for v in row[6 : 10 + len(rules)])
    # Text attribute cells are text; the date column is formatted as a date.
    assert ws.cell(5, 6).number_format == "yyyy-mm-dd"
    assert ws.cell(5 + frame.n, 3).number_format == "@"


def test_lead_scorer_is_a_table_with_frozen_header_and_status_colours(small: Any) -> None:
    content, _, wb = small
    ws = wb["Lead Scorer"]
    assert ws.freeze_panes == "B5"
    assert "Leads" in ws.tables
    table = ws.tables["Leads"]
    last = 4 + content.leads.n + 10
    assert table.ref.startswith("A4:") and table.ref.endswith(str(last))
    names = [c.name for c in table.tableColumns]
    header = header_of(ws)
    assert names == header[: len(names)] and len(names) == len([h for h in header if h is not None])
    assert len({n.casefold() for n in names}) == len(names)
    hand = f"J5:J{last}"
    rules = [rule for rng in ws.conditional_formatting for rule in rng.rules if str(rng.sqref) == hand]
    assert {tuple(r.formula) for r in rules} == {('"Sales"',), ('"Nurture"',)}
    assert ws.print_title_rows == "$4:$4"


def test_max_leads_limits_the_rows(tmp_path: Path) -> None:
    content = small_content()
    wb = write_and_load(content, tmp_path / "limited.xlsx", max_leads=4, blank_rows=3)
    rows = list(wb["Lead Scorer"].iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == ["L-1", "L-2", "L-3", "L-4", None, None, None]
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    assert "4 of 6 leads" in readme


def test_formulas_use_only_portable_functions(small: Any) -> None:
    _, _, wb = small
    used: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert len(c.value) < 8192, (ws.title, c.coordinate)
                    text = re.sub(r'"[^"]*"', '""', c.value)  # not inside string literals
                    used |= set(re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)\(", text))
    assert used <= ALLOWED_FUNCTIONS, used - ALLOWED_FUNCTIONS
    assert "SUMPRODUCT" in used and "_xlfn.NUMBERVALUE" in used


# --------------------------------------------------------------------------- calibration and sign-off
def test_calibration_table_matches_the_check(small: Any) -> None:
    content, path, wb = small
    ws = wb["Calibration"]
    table = ws.tables["ThresholdTable"]
    first, last = (int(x) for x in re.findall(r"\d+", table.ref))
    assert [c.value for c in ws[first]][:6] == [
        "Threshold",
        "Leads passed",
        "Opportunities",
        "Rate",
        "Coverage",
        "Leads per week",
    ]
    curves = ThresholdCheck(small_frame(), content.defs).curves()  # computed again, from the leads
    sweep = ThresholdCheck(small_frame(), content.defs).sweep
    rows = list(ws.iter_rows(min_row=first + 1, max_row=last, max_col=6, values_only=True))
    assert len(rows) == len(curves["threshold"])
    for k, row in enumerate(rows):
        assert row[0] == curves["threshold"][k] and row[1] == curves["passed"][k]
        assert row[2] == sweep.opportunities[k]
        for got, want in ((row[3], curves["rate"][k]), (row[4], curves["coverage"][k]), (row[5], curves["weekly"][k])):
            assert (got is None) if np.isnan(want) else got == pytest.approx(want, rel=1e-15)
    assert ws.cell(first + 1, 4).number_format == "0.0%"
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/")]
        assert len(charts) == 1
        chart = z.read(charts[0]).decode()
    assert chart.count("<lineChart>") == 2 and chart.count("<valAx>") == 2  # rate left, volume right
    for title in (
        "Opportunity rate and weekly volume by threshold",
        "Threshold (points)",
        "Opportunity rate (%)",
        "Leads per week",
    ):
        assert title in chart


def test_signoff_lists_the_signers(workshop_path: Path, tmp_path: Path) -> None:
    doc = Document.open(workshop_path)
    try:
        doc.sign("Priya Raman", "We agree.", when=dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.UTC))
        content = ExportContent.build(doc, doc.build_check())
    finally:
        doc.close()
    assert content.check is None  # no leads in this workshop: the workbook is written all the same
    wb = write_and_load(content, tmp_path / "signoff.xlsx", blank_rows=5)
    ws = wb["Sign-off"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in cells for v in row if v is not None]
    assert content.revision.content_hash in flat and "Draft" in flat
    rows = {row[0]: row for row in cells if row and row[0] in ("Priya Raman", "Daniel Osei")}
    assert rows["Priya Raman"][1] == "VP Sales"
    assert rows["Priya Raman"][3] == dt.datetime(2026, 11, 24, 15, 30)
    assert rows["Priya Raman"][5] == content.revision.signatures[0].content_hash
    assert rows["Priya Raman"][6] == "valid"
    assert rows["Daniel Osei"][1] == "VP Marketing" and rows["Daniel Osei"][6] == "not signed"
    readme = " ".join(str(v) for row in wb["README"].iter_rows(values_only=True) for v in row if v)
    assert content.revision.content_hash is not None
    assert content.revision.content_hash in readme and "DRAFT" in readme
    # Without leads: the formula rows to paste into, and a Calibration sheet that says why it is empty.
    scorer = list(wb["Lead Scorer"].iter_rows(min_row=5, values_only=True))
    assert len(scorer) == 5 and all(r[0] is None for r in scorer)
    assert "No historical leads" in str(wb["Calibration"]["A2"].value)


# --------------------------------------------------------------------------- text that looks like a formula
def test_text_that_looks_like_a_formula_is_written_as_text(small: Any) -> None:
    content, path, wb = small
    ws = wb["Lead Scorer"]
    for i, payload in enumerate(PAYLOADS):
        c = ws.cell(5 + i, 3)
        assert c.data_type == "s" and c.quotePrefix, (payload, c.value)
        assert excel_text_value(c.value) == payload  # "\r" is stored as the OOXML escape _x000D_
    c = ws.cell(7, 4)
    assert c.data_type == "s" and c.value == "=cmd|' /C calc'!A0"
    glossary = [c for row in wb["Definitions"].iter_rows() for c in row if c.value in ("=TERM()", "@risky definition")]
    assert len(glossary) == 2 and all(c.data_type == "s" for c in glossary)
    # In the file itself: inline strings, no <f> element.
    with zipfile.ZipFile(path) as z:
        names = {n for n in z.namelist() if n.startswith("xl/worksheets/sheet")}
        sheet = z.read("xl/worksheets/sheet5.xml").decode()
    assert len(names) == len(SHEETS)
    stored = {
        int(row): (attrs, body)
        for row, attrs, body in re.findall(r'<c r="C(\d+)"([^>]*)>(.*?)</c>', sheet)
        if 5 <= int(row) < 5 + len(PAYLOADS)
    }
    for i, payload in enumerate(PAYLOADS):
        attrs, body = stored[5 + i]
        assert 't="inlineStr"' in attrs and "<f>" not in body, (payload, attrs, body)
        assert f">{excel_text(payload)}</t>" in body


def test_excel_text_escapes_what_xml_cannot_carry() -> None:
    for text in ["plain", "\rx", "a\x01b", "_x000D_ literal", "tab\tand\nnewline", "\ufffe"]:
        assert excel_text_value(excel_text(text)) == text
    assert excel_text("_x0041_") == "_x005F_x0041_"
    assert len(excel_text("x" * 40_000)) == 32_767


# --------------------------------------------------------------------------- writing safely
class CancelAfter:
    def __init__(self, reports: int) -> None:
        self.left = reports
        self.messages: list[str] = []

    def report(self, fraction: float, message: str = "") -> None:
        self.messages.append(message)
        self.left -= 1

    def cancelled(self) -> bool:
        return self.left <= 0


@pytest.mark.parametrize("reports", [1, 3, 5])
def test_cancelling_leaves_no_file(tmp_path: Path, reports: int) -> None:
    path = tmp_path / "scoring.xlsx"
    with pytest.raises(ExportCancelled):
        write_workbook(small_content(), path, progress=CancelAfter(reports))
    assert list(tmp_path.iterdir()) == []


def test_cancelling_keeps_the_earlier_file(tmp_path: Path) -> None:
    path = tmp_path / "scoring.xlsx"
    path.write_bytes(b"the earlier export")
    with pytest.raises(ExportCancelled):
        write_workbook(small_content(), path, progress=CancelAfter(4))
    assert path.read_bytes() == b"the earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["scoring.xlsx"]


def test_progress_reaches_the_end(tmp_path: Path) -> None:
    progress = CancelAfter(10_000)
    write_workbook(small_content(), tmp_path / "scoring.xlsx", progress=progress)
    assert progress.messages[-1] == "Wrote scoring.xlsx"
    assert (tmp_path / "scoring.xlsx").stat().st_mode & 0o044  # readable like any file, not private


def test_default_blank_rows(tmp_path: Path) -> None:
    wb = write_and_load(small_content(), tmp_path / "default.xlsx")
    assert wb["Lead Scorer"].max_row == 4 + 6 + BLANK_ROWS


def test_a_workshop_with_nothing_defined_yet(tmp_path: Path) -> None:
    defs = new_definitions()
    defs.stages, defs.terms, defs.participants, defs.rules = [], [], [], []
    content = ExportContent(
        defs=defs,
        revision=RevisionBlock(label="empty", content_hash=None, signature_matches=None),
        file_name="empty.accord",
    )
    wb = write_and_load(content, tmp_path / "empty.xlsx", blank_rows=2)
    assert wb.sheetnames == list(SHEETS)
    ws = wb["Lead Scorer"]
    assert header_of(ws) == ["ID", "Outcome", "Fit", "Engagement", "Score", "Hand-off", "Row in use"]
    assert ws.cell(5, 3).value == '=IF($G5,ROUND(0,6),"")'
    assert wb["Scoring Model"].cell(5, 1).value == "(no rules defined)"


def test_odd_characters_in_names_and_labels(tmp_path: Path) -> None:
    """Control characters, quotes and a leading "=" in a field name or label are written as
    they are (as text, or as CHAR() in the formulas that compare with them)."""
    content = small_content()
    odd = 'Odd\r"name"\x01'
    content.defs.rules.append(ScoringRule(kind=FIT, label="=odd", field=odd, operator=Operator.IS_EMPTY, points=1))
    wb = write_and_load(content, tmp_path / "odd.xlsx", blank_rows=1)
    model = wb["Scoring Model"]
    row = 5 + len(content.defs.rules) - 1
    assert model.cell(row, 2).value == "=odd" and model.cell(row, 2).data_type == "s"
    field, formula = model.cell(row, 4).value, model.cell(row, 13).value
    assert isinstance(field, str) and isinstance(formula, str)
    assert excel_text_value(field) == odd
    assert 'EXACT(TRIM(D16),"Odd"&CHAR(13)&"""name"""&CHAR(1))' in formula


# --------------------------------------------------------------------------- the demo workshop
def test_demo_workbook(demo_leads_path: Path, tmp_path: Path) -> None:
    doc = Document.open(demo_leads_path)
    try:
        check = doc.build_check()
        content = ExportContent.build(doc, check)
    finally:
        doc.close()
    wb = write_and_load(content, tmp_path / "demo.xlsx", max_leads=50, blank_rows=5)
    ws = wb["Lead Scorer"]
    header = header_of(ws)
    assert header[:3] == ["ID", "Outcome", "What is your current occupation"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert len(rows) == 55
    assert check is not None
    frame = check.frame
    assert [r[0] for r in rows[:50]] == frame.ids()[:50]
    visits = header.index("TotalVisits")
    visits_column = frame.column("TotalVisits")
    assert visits_column is not None
    assert rows[1][visits] == visits_column.value(1) and isinstance(rows[1][visits], int)
    model = wb["Scoring Model"]
    assert [model.cell(5 + k, 2).value for k in range(len(content.defs.rules))] == [r.label for r in content.defs.rules]
    assert named(wb, "Threshold").value == 40 and named(wb, "TargetRate").value == 0.6
    assert named(wb, "HistoryWeeks").value == 26
    defs = wb["Definitions"]
    texts = [c.value for row in defs.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Marketing Qualified Lead" in texts and "Enrolment" in texts
    assert {"FunnelStages", "Glossary"} <= set(defs.tables)
