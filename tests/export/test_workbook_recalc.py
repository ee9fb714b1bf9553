"""The scoring workbook recalculated by a real spreadsheet program (LibreOffice, headless):
every lead's fit, engagement, score and hand-off as the workbook's formulas compute them must
equal the app's (the ThresholdCheck's scorer), for the demo workshop and for a hand-made
model that uses every operator, decay, caps, negative points and missing values.

LibreOffice writes every sheet to its own CSV with every formula evaluated (TESTING.md).
Without LibreOffice these tests skip, except under CI (the CI environment variable set),
where they fail: CI installs LibreOffice, so they never silently skip there."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from export.content import ExportContent
from export.workbook import HANDOFF_NO, HANDOFF_YES, SHEETS, write_workbook
from models.check import ThresholdCheck
from models.definitions import (
    Definitions,
    Operator,
    RuleKind,
    ScoringRule,
    ScoringSettings,
    TeamTargets,
)
from models.definitions_json import RevisionBlock
from models.lead_frame import Column, ColumnKind, LeadFrame
from models.rule_arrays import as_of_date, contribution

pytestmark = pytest.mark.spreadsheet

CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
TIMEOUT = 600  # seconds for one conversion (the demo workbook takes about 10 s)
ERRORS = ("Err:", "#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!")
AS_OF = dt.date(2026, 11, 24)
FIT, BEH = RuleKind.FIT, RuleKind.BEHAVIOUR


# --------------------------------------------------------------------------- LibreOffice
def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(
                "LibreOffice (soffice) is not installed, and CI must recalculate the workbook: "
                "install libreoffice-calc-nogui"
            )
        pytest.skip(
            "LibreOffice (soffice) is not installed: the workbook cannot be recalculated here "
            "(apt-get install libreoffice-calc-nogui; under CI this test fails instead)"
        )
    return exe


def test_a_missing_libreoffice_fails_under_ci_and_skips_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        soffice()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        soffice()


def recalculate(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `xlsx` as LibreOffice computes it: sheet name → rows of cell texts."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "lo-profile"  # a private profile: parallel runs do not share one
    cmd = [
        soffice(),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        CSV_FILTER,
        "--outdir",
        str(out),
        str(xlsx),
    ]
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    sheets = {}
    for name in SHEETS:
        path = out / f"{xlsx.stem}-{name}.csv"
        assert path.exists(), f"LibreOffice wrote no {path.name} ({done.returncode}): {done.stdout} {done.stderr}"
        with open(path, newline="", encoding="utf-8") as fh:
            sheets[name] = list(csv.reader(fh))
    print(f"LibreOffice recalculated {xlsx.name} in {elapsed:.1f} s")
    return sheets


def assert_no_errors(sheets: dict[str, list[list[str]]]) -> None:
    bad = [
        (name, r + 1, c + 1, v)
        for name, rows in sheets.items()
        for r, row in enumerate(rows)
        for c, v in enumerate(row)
        if v.startswith(ERRORS)
    ]
    assert not bad, f"cells LibreOffice could not evaluate: {bad[:10]}"


def lead_rows(sheets: dict[str, list[list[str]]]) -> tuple[list[str], list[list[str]]]:
    rows = sheets["Lead Scorer"]
    header = rows[3]
    assert header[:2] == ["ID", "Outcome"]
    return header, rows[4:]


def assert_scores_match(sheets: dict[str, list[list[str]]], check: ThresholdCheck) -> int:
    """Every lead's fit, engagement, score and hand-off from the recalculated workbook equal
    the app's; the empty rows below show nothing. Returns the number of leads compared."""
    header, rows = lead_rows(sheets)
    fit, eng, score, hand = (header.index(n) for n in ("Fit", "Engagement", "Score", "Hand-off"))
    scorer = check.scorer
    handoff = scorer.handoff(check.defs.scoring.threshold, check.defs.scoring.minimum_fit)
    n = check.frame.n
    assert len(rows) >= n
    mismatches = []
    for i in range(n):
        row = rows[i]
        got = (float(row[fit]), float(row[eng]), float(row[score]), row[hand])
        want = (
            float(scorer.fit[i]),
            float(scorer.engagement[i]),
            float(scorer.score[i]),
            HANDOFF_YES if handoff[i] else HANDOFF_NO,
        )
        if got != want:
            mismatches.append((i, row[0], got, want))
    assert not mismatches, f"{len(mismatches)} leads differ (lead, id, workbook, app): {mismatches[:10]}"
    for row in rows[n:]:
        assert row[fit] == row[eng] == row[score] == row[hand] == "", row[: hand + 1]
    return n


# --------------------------------------------------------------------------- (a) the demo workshop
def test_demo_workbook_recalculates_to_the_apps_scores(demo_leads_path: Path, tmp_path: Path) -> None:
    from models.document import Document

    doc = Document.open(demo_leads_path)
    try:
        check = doc.build_check()
        content = ExportContent.build(doc, check)
    finally:
        doc.close()
    assert check is not None and content.leads is not None and content.leads.n == 9237
    operators = {r.operator for r in content.defs.rules}
    assert operators >= {
        Operator.EQUALS,
        Operator.ONE_OF,
        Operator.IS_EMPTY,
        Operator.COUNT,
        Operator.AT_LEAST,
        Operator.BETWEEN,
    }
    path = tmp_path / "demo.xlsx"
    write_workbook(content, path)
    sheets = recalculate(path, tmp_path / "recalculated")
    assert_no_errors(sheets)
    assert assert_scores_match(sheets, check) == 9237
    # The named settings evaluate (Capacity is a formula: 3 reps × 40 leads).
    settings = {row[0]: row[1] for row in sheets["Settings"] if len(row) > 1}
    assert float(settings["Sales capacity (leads per week)"]) == 120
    assert float(settings["Hand-off threshold (points)"]) == 40
    # Every rule of the model is live and complete.
    model = sheets["Scoring Model"]
    statuses = [row[12] for row in model[4 : 4 + len(content.defs.rules)]]
    assert statuses == ["Live"] * len(content.defs.rules)


# --------------------------------------------------------------------------- (b) every operator
LEADS_CSV = """\
Lead ID,Converted,Company,Country,Source,Size,Employees,Visits,Unsubscribes,Notes,Last activity,Signup text,Webinar
L01,yes,Acme,India,Google,10,50,3,0,discount 50%* applied,2026-11-24,2026-11-24,yes
L02,no,Beta,  india ,google,10.0,5,12,1,what?,2026-11-10,2026-11-10T09:30:00,
L03,yes,Gamma,INDIA,Organic Search,"1,000",500,,3,a~b,2026-10-01,bad date,yes
L04,no,Delta,France,Referral,ten,1000,2.5,,,2026-12-24,2027-01-01,no
L05,no,,Germany,Olark Chat,010,,7,-2,plain note,,2026-02-30,yes
L06,yes,Zeta,,Facebook,+5,100,0,,=1+1,2025-11-24,2025-11-24,
L07,no,Eta,Spain,Reference,.5e1,99.5,4,1,50% off,2026-11-23,,yes
L08,yes,Theta,India,Welingak Website,N/A,0,1,0,-2,2026-11-01,2026-11-01,no
L09,no,Iota,Italy,,1e3,-3,10,4,@cmd,2024-02-29,2024-02-29,yes
L10,yes,Kappa,india,Google,50,250,6,0,Contains ~ tilde and ? mark,2026-11-17,2026-11-17,no
L11,no,Lambda,Brazil,blog,-7,7,15,2,double  space,2026-06-01,2026-06-01 12:00,yes
L12,yes,Mu,Chile,Google,5.,10,9,0,Discount 50%* again,2026-11-20,2026-11-20,
L13,no,Nu,India,Google,50%,20,1,0,note,2026-11-21,2026-11-21,yes
L14,yes,Xi,Peru,Facebook,1/2,30,2,0,note,2026-11-22,2026-11-22,no
L15,no,Omicron,Peru,blog,$5,40,3,1,note,2026-11-19,2026-11-19,yes
L16,no,Pi,Peru,blog,12:30,60,4,0,note,2026-11-18,2026-11-18,yes
L17,yes,Rho,Peru,blog,TRUE,70,5,0,note,2026-11-16,2026-11-16,no
L18,no,Sigma,Peru,Google,1-2,80,6,0,note,2026-11-15,2026-11-15,yes
L19,no,Tau,Peru,Google,1e400,90,7,0,note,2026-11-14,2026-11-14,yes
"""
# Size holds text that spreadsheet VALUE() reads as a number but Python's float() does not
# (a percentage, dates, a currency amount, a time, TRUE, an overflow): none of it is a number.


def every_operator_rules() -> list[ScoringRule]:
    r = ScoringRule
    return [
        # equals: text, trimmed and case-insensitive (operand with spaces and capitals)
        r(kind=FIT, label="Country India", field="Country", operator=Operator.EQUALS, value="  iNDia ", points=10),
        # equals: numeric text on both sides (10, 10.0, 010 and 5. are numbers; "ten" is not)
        r(kind=FIT, label="Size ten", field="Size", operator=Operator.EQUALS, value="10.00", points=7),
        # equals on a number column with a numeric-text operand
        r(kind=FIT, label="Hundred staff", field="Employees", operator=Operator.EQUALS, value=" 100.0 ", points=2.5),
        # equals on a date column (text of the date)
        r(
            kind=BEH,
            label="Active on the 24th",
            field="Last activity",
            operator=Operator.EQUALS,
            value="2026-11-24",
            points=1,
        ),
        # not_equals: missing values match
        r(kind=FIT, label="Not India", field="Country", operator=Operator.NOT_EQUALS, value="India", points=-3),
        # one_of with case and space differences, and a blank value that is ignored
        r(
            kind=FIT,
            label="Search sources",
            field="Source",
            operator=Operator.ONE_OF,
            values=[" GOOGLE ", "organic search", "", "REFERENCE"],
            points=5,
        ),
        # one_of with numbers written differently ("1,000" is 1000, "1e3" too, "+5" is 5)
        r(
            kind=FIT,
            label="Listed sizes",
            field="Size",
            operator=Operator.ONE_OF,
            values=["1000", "5", "0.5"],
            points=2,
        ),
        # not_one_of: missing values match
        r(
            kind=FIT,
            label="Not chat or Google",
            field="Source",
            operator=Operator.NOT_ONE_OF,
            values=["Google", "olark chat"],
            points=-4,
        ),
        # contains with the wildcard characters of COUNTIF/SEARCH in the value
        r(kind=BEH, label="50%* offer", field="Notes", operator=Operator.CONTAINS, value="50%*", points=6),
        r(kind=BEH, label="Question", field="Notes", operator=Operator.CONTAINS, value="?", points=1),
        r(kind=BEH, label="Tilde", field="Notes", operator=Operator.CONTAINS, value=" ~", points=1.5),
        # contains on a number column (the number's text)
        r(
            kind=FIT,
            label="A 5 in the staff count",
            field="Employees",
            operator=Operator.CONTAINS,
            value="5",
            points=0.25,
        ),
        # between (inclusive), on a number column and on numeric text
        r(kind=FIT, label="Mid-size", field="Employees", operator=Operator.BETWEEN, minimum=10, maximum=100, points=8),
        r(kind=FIT, label="Size 5 to 50", field="Size", operator=Operator.BETWEEN, minimum=5, maximum=50, points=1),
        # at_least / at_most
        r(kind=FIT, label="Large", field="Employees", operator=Operator.AT_LEAST, minimum=500, points=12),
        r(kind=FIT, label="Tiny", field="Employees", operator=Operator.AT_MOST, maximum=5, points=-6),
        # is_empty / is_not_empty
        r(kind=BEH, label="No notes", field="Notes", operator=Operator.IS_EMPTY, points=-2),
        r(kind=FIT, label="Company known", field="Company", operator=Operator.IS_NOT_EMPTY, points=1),
        # a column the data does not have: missing for every lead
        r(kind=FIT, label="No such column", field="Budget", operator=Operator.IS_EMPTY, points=0.5),
        # count with a cap, positive and negative points (a fractional count too)
        r(kind=BEH, label="Visits", field="Visits", operator=Operator.COUNT, points=3, cap=20),
        r(kind=BEH, label="Unsubscribes", field="Unsubscribes", operator=Operator.COUNT, points=-5, cap=12),
        # text a spreadsheet would read as a number (50%, 12:30, 1/2, 1-2 ...) is not a number here
        r(kind=FIT, label="Size 0 to 1", field="Size", operator=Operator.BETWEEN, minimum=0, maximum=1, points=1.25),
        r(kind=FIT, label="Huge size", field="Size", operator=Operator.AT_LEAST, minimum=40000, points=3),
        # count without a cap, on numeric text
        r(kind=BEH, label="Size count", field="Size", operator=Operator.COUNT, points=0.1),
        # decay from a date column (future dates are not decayed; missing dates neither)
        r(
            kind=BEH,
            label="Webinar, fading",
            field="Webinar",
            operator=Operator.EQUALS,
            value="Yes",
            points=20,
            decay_half_life_days=14,
            decay_date_field="Last activity",
        ),
        # decay from a text column holding dates (bad and impossible dates are unknown: not decayed)
        r(
            kind=BEH,
            label="Signed up, fading",
            field="Signup text",
            operator=Operator.IS_NOT_EMPTY,
            points=9,
            decay_half_life_days=30,
            decay_date_field="Signup text",
        ),
        # decayed count with a cap
        r(
            kind=BEH,
            label="Visits, fading",
            field="Visits",
            operator=Operator.COUNT,
            points=1.5,
            cap=10,
            decay_half_life_days=7,
            decay_date_field="Last activity",
        ),
        # inner spaces are kept: "double  space" does not equal "double space"
        r(kind=BEH, label="Single space", field="Notes", operator=Operator.EQUALS, value="double space", points=40),
        r(kind=BEH, label="Double space", field="Notes", operator=Operator.EQUALS, value=" DOUBLE  SPACE", points=0.75),
        # incomplete rules score 0
        r(kind=FIT, label="No value", field="Country", operator=Operator.EQUALS, value="  ", points=100),
        r(
            kind=FIT,
            label="Min above max",
            field="Employees",
            operator=Operator.BETWEEN,
            minimum=10,
            maximum=5,
            points=100,
        ),
        r(kind=FIT, label="Count as fit", field="Visits", operator=Operator.COUNT, points=100),
    ]


def every_operator_defs(minimum_fit: float | None = 5) -> Definitions:
    return Definitions(
        team=TeamTargets(workshop_name="Every operator", date=AS_OF, reps=2, leads_per_rep_per_week=10),
        rules=every_operator_rules(),
        scoring=ScoringSettings(threshold=25, minimum_fit=minimum_fit, as_of_date=AS_OF, history_weeks=4),
    )


def import_csv(tmp_path: Path, text: str, types: dict[str, str]) -> Any:
    from models.leads.importer import import_leads
    from models.leads.types import ColumnType, Mapping, RawTable

    path = tmp_path / "leads.csv"
    path.write_text(text, encoding="utf-8")

    def adjust(mapping: Mapping, raw: RawTable, outcomes: RawTable | None) -> Mapping:
        mapping.id, mapping.outcome = "Lead ID", "Converted"
        mapping.types = {name: ColumnType(kind) for name, kind in types.items()}
        return mapping

    return import_leads(path, adjust=adjust)


EVERY_TYPES = {
    "Company": "text",
    "Country": "category",
    "Source": "category",
    "Size": "category",
    "Employees": "number",
    "Visits": "number",
    "Unsubscribes": "number",
    "Notes": "text",
    "Last activity": "date",
    "Signup text": "category",
    "Webinar": "yes/no",
}


def test_every_operator_recalculates_to_the_apps_scores(tmp_path: Path) -> None:
    data = import_csv(tmp_path, LEADS_CSV, EVERY_TYPES)
    frame = LeadFrame.from_lead_data(data)
    assert frame.n == 19
    size, last_activity = frame.column("Size"), frame.column("Last activity")
    assert size is not None and last_activity is not None
    assert size.kind == ColumnKind.CODES and last_activity.kind == ColumnKind.DATE
    defs = every_operator_defs()
    check = ThresholdCheck(frame, defs)
    # The model really exercises what it claims: decay, caps, fractions, both hand-off results.
    assert {r.operator for r in defs.rules} == set(Operator)
    assert not check.scorer.whole
    handoff = check.scorer.handoff(defs.scoring.threshold, defs.scoring.minimum_fit)
    assert 0 < handoff.sum() < frame.n
    assert (check.scorer.score >= 25).sum() > handoff.sum()  # the minimum fit gate turns some away
    content = ExportContent.snapshot(
        defs, RevisionBlock(label="test", content_hash=None, signature_matches=None), "every.accord", check
    )
    path = tmp_path / "every.xlsx"
    write_workbook(content, path, blank_rows=20)
    sheets = recalculate(path, tmp_path / "recalculated")
    assert_no_errors(sheets)
    assert assert_scores_match(sheets, check) == 19
    # Each rule's points column equals the app's points for that rule and lead.
    header, rows = lead_rows(sheets)
    for k, rule in enumerate(defs.rules, 1):
        col = next(i for i, name in enumerate(header) if name.startswith(f"R{k} "))
        want = contribution(rule, frame, as_of_date(defs))
        want = np.zeros(frame.n) if want is None else want
        got = np.array([float(rows[i][col]) for i in range(frame.n)])
        assert np.allclose(got, want, rtol=0, atol=1e-9), (rule.label, got.tolist(), want.tolist())
    # The incomplete rules say so on the Scoring Model.
    model = sheets["Scoring Model"]
    status = {row[1]: row[12] for row in model[4 : 4 + len(defs.rules)]}
    assert status["No value"].startswith("Incomplete") and status["Min above max"].startswith("Incomplete")
    assert status["Count as fit"].startswith("Incomplete") and status["Visits"] == "Live"


def test_edits_in_the_workbook_change_every_score(tmp_path: Path) -> None:
    """Points, values, minimum, cap, kind and the threshold are live: after editing them in the
    workbook (as a user would, here with openpyxl), the recalculated scores are the app's scores
    under the same edits."""
    import openpyxl

    data = import_csv(tmp_path, LEADS_CSV, EVERY_TYPES)
    frame = LeadFrame.from_lead_data(data)
    defs = every_operator_defs()
    content = ExportContent.snapshot(
        defs,
        RevisionBlock(label="test", content_hash=None, signature_matches=None),
        "every.accord",
        ThresholdCheck(frame, defs),
    )
    path = tmp_path / "every.xlsx"
    write_workbook(content, path, blank_rows=5)

    edited = defs.copy_deep()
    by_label = {r.label: r for r in edited.rules}
    by_label["Search sources"].points = 50
    by_label["Search sources"].values = ["Facebook", "blog "]
    by_label["Large"].minimum = 250
    by_label["Visits"].cap = 7
    by_label["Size ten"].value = "1000"
    by_label["Tiny"].kind = BEH
    by_label["Webinar, fading"].decay_half_life_days = 3
    edited.scoring.threshold = 30
    edited.scoring.minimum_fit = None

    wb = openpyxl.load_workbook(path)
    model = wb["Scoring Model"]
    rows = {model.cell(r, 2).value: r for r in range(5, 5 + len(defs.rules))}
    model.cell(rows["Search sources"], 9).value = 50
    value: str | int | None  # the cells below get text, numbers and blanks
    for k, value in enumerate(["Facebook", "blog ", None, None]):
        model.cell(rows["Search sources"], 14 + k).value = value
    model.cell(rows["Large"], 7).value = 250
    model.cell(rows["Visits"], 10).value = 7
    model.cell(rows["Size ten"], 6).value = "1000"
    model.cell(rows["Tiny"], 3).value = "behaviour"
    model.cell(rows["Webinar, fading"], 11).value = 3
    model.cell(rows["Company known"], 5).value = "is_empty"  # an operator needs a new export: flagged
    for name, value in (("Threshold", 30), ("MinimumFit", None)):
        sheet, coord = next(iter(wb.defined_names[name].destinations))
        wb[sheet][coord.replace("$", "")].value = value
    wb.save(path)

    sheets = recalculate(path, tmp_path / "recalculated")
    assert_no_errors(sheets)
    check = ThresholdCheck(frame, edited)
    assert assert_scores_match(sheets, check) == 19
    assert not np.array_equal(check.scorer.score, ThresholdCheck(frame, defs).scorer.score)
    status = {row[1]: row[12] for row in sheets["Scoring Model"][4 : 4 + len(defs.rules)]}
    assert status["Company known"] == "Changed field/operator: export again from Accord"
    assert status["Search sources"] == status["Visits"] == "Live"


# --------------------------------------------------------------------------- (c) formula injection
PAYLOADS = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", '=HYPERLINK("http://example.com","x")', "x"]


def injection_content() -> tuple[ExportContent, ThresholdCheck]:
    """Leads whose text cells start like formulas, rules that read them, and their check."""
    n = len(PAYLOADS)
    labels = list(dict.fromkeys(PAYLOADS))
    company = Column.from_labels("Company", np.arange(n), labels)
    notes = Column.from_labels("Notes", np.array([k % 3 for k in range(n)]), ["@SUM(1)", "-=+", "plain"])
    frame = LeadFrame(n, np.array([k % 2 == 0 for k in range(n)]), columns={"Company": company, "Notes": notes})
    r = ScoringRule
    rules = [
        r(kind=FIT, label="Is x", field="Company", operator=Operator.EQUALS, value="x", points=10),
        r(kind=FIT, label="Minus two", field="Company", operator=Operator.EQUALS, value="-2.0", points=5),
        r(kind=FIT, label="Has =", field="Company", operator=Operator.CONTAINS, value="=", points=1),
        r(kind=FIT, label="Sum", field="Company", operator=Operator.CONTAINS, value="sum(", points=2),
        r(kind=BEH, label="Listed", field="Company", operator=Operator.ONE_OF, values=["@CMD", " +sum(a1)"], points=3),
        r(kind=BEH, label="Notes", field="Notes", operator=Operator.NOT_EQUALS, value="-=+", points=4),
    ]
    defs = Definitions(rules=rules, scoring=ScoringSettings(threshold=5, as_of_date=AS_OF))
    check = ThresholdCheck(frame, defs)
    return ExportContent.snapshot(
        defs, RevisionBlock(label="injection", content_hash=None, signature_matches=None), "x.accord", check
    ), check


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    content, check = injection_content()
    path = tmp_path / "injection.xlsx"
    write_workbook(content, path, blank_rows=3)
    sheets = recalculate(path, tmp_path / "recalculated")
    assert_no_errors(sheets)
    assert assert_scores_match(sheets, check) == len(PAYLOADS)
    header, rows = lead_rows(sheets)
    company, notes = header.index("Company"), header.index("Notes")
    assert [row[company] for row in rows[: len(PAYLOADS)]] == PAYLOADS
    assert [row[notes] for row in rows[: len(PAYLOADS)]] == [
        ["@SUM(1)", "-=+", "plain"][k % 3] for k in range(len(PAYLOADS))
    ]
