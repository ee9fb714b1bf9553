"""`accord import-leads` on the real data sets in tests/data and resources/demo and on small
files written here. Expected figures come from the data README: X Education 9,237 leads,
3,559 converted; Olist 8,000 MQLs, 842 closed deals joined on `mql_id`, first contacts June
2017 to May 2018 written DD-MM-YYYY."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from models.leads.types import LeadData
from models.store import LeadsInfo, WorkshopFile
from tests.app.cli_helpers import Accord
from tests.paths import OLIST_DEALS, OLIST_MQL, X_EDUCATION


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _draft_leads(path: Path) -> tuple[LeadsInfo | None, LeadData | None]:
    with WorkshopFile.open(path, read_only=True) as f:
        rev = f.revisions()[-1].id
        return f.leads_info(rev), f.load_leads(rev)


def test_x_education_imports_with_its_documented_figures(workshop_path: Path, accord: Accord) -> None:
    result = accord("import-leads", workshop_path, X_EDUCATION, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows"] == 9237
    assert summary["positives"] == 3559
    assert summary["rejected"] == []
    assert summary["duplicates"] == 0
    assert "weeks" in summary

    info, data = _draft_leads(workshop_path)
    assert info is not None and data is not None
    assert data.table.num_rows == 9237
    assert data.table.column("outcome").to_pylist().count(True) == 3559
    assert [(s.name, s.size, s.format) for s in info.sources] == [
        ("x_education_leads.csv", X_EDUCATION.stat().st_size, "csv")
    ]
    import hashlib

    assert info.sources[0].sha256 == hashlib.sha256(X_EDUCATION.read_bytes()).hexdigest()
    # The README's mess: "Google" and "google" are one source, "Select" is missing.
    sources = set(data.table.column("Lead Source").to_pylist())
    assert "Google" in sources and "google" not in sources
    assert "Select" not in set(data.table.column("Specialization").to_pylist())
    # The mapping is remembered for the next import.
    with WorkshopFile.open(workshop_path, read_only=True) as f:
        remembered = f.last_mapping()
    assert remembered is not None and remembered.outcome == "Converted"


def test_olist_joins_closed_deals_on_mql_id_and_reads_day_first_dates(workshop_path: Path, accord: Accord) -> None:
    result = accord(
        "import-leads", workshop_path, OLIST_MQL, "--outcomes", OLIST_DEALS, "--join-on", "mql_id", "--json"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["rows"] == 8000
    assert summary["positives"] == 842
    assert summary["rejected"] == []
    assert summary["unmatched_outcomes"] == 0
    first, last = dt.date.fromisoformat(summary["first_date"]), dt.date.fromisoformat(summary["last_date"])
    assert (first.year, first.month) == (2017, 6)
    assert (last.year, last.month) == (2018, 5)
    assert summary["weeks"] == ((last - first).days + 1) / 7
    assert 48 < summary["weeks"] < 53

    info, data = _draft_leads(workshop_path)
    assert info is not None and data is not None
    assert [s.name for s in info.sources] == ["olist_marketing_qualified_leads.csv", "olist_closed_deals.csv"]
    # First data row of the file: dac32acd..., 01-02-2018 is 1 February (DD-MM-YYYY), not 2 January.
    ids = data.table.column("id").to_pylist()
    created = data.table.column("created").to_pylist()
    row = ids.index("dac32acd4db4c29c230538b72f8dd87d")
    assert created[row].date() == dt.date(2018, 2, 1)
    assert data.table.column("outcome").to_pylist().count(True) == 842


def test_join_with_a_differently_named_column_and_a_where_filter(
    tmp_path: Path, workshop_path: Path, accord: Accord
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Lead ID,Created,Source\nA1,2024-01-02,Web\nA2,2024-01-09,Fair\nA3,2024-01-16,Web\nA4,2024-01-23,Web\n",
        encoding="utf-8",
    )
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Opportunity,Lead,Stage\nO1,A1,Closed Won\nO2,A2,Closed Lost\nO3,A3,Closed Won\nO4,ZZ,Closed Won\n",
        encoding="utf-8",
    )
    result = accord(
        "import-leads",
        workshop_path,
        leads,
        "--outcomes",
        deals,
        "--join-on",
        "Lead ID=Lead",
        "--outcomes-where",
        "Stage=Closed Won",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["positives"]) == (4, 2)
    assert summary["weeks"] == 22 / 7


def test_options_choose_columns_and_success_values(tmp_path: Path, workshop_path: Path, accord: Accord) -> None:
    leads = tmp_path / "crm.csv"
    leads.write_text(
        "Ref,Result,Opened,Deal size\nr1,Signed,2024-03-01,100\nr2,Dropped,2024-03-02,\n"
        "r3,Signed,2024-03-03,250.5\nr4,Dropped,2024-03-10,0\n",
        encoding="utf-8",
    )
    result = accord(
        "import-leads",
        workshop_path,
        leads,
        "--id",
        "Ref",
        "--outcome",
        "Result",
        "--success",
        "Signed",
        "--created",
        "Opened",
        "--revenue",
        "Deal size",
        "--json",
    )
    summary = json.loads(result.stdout)
    # "Dropped" is neither a success nor a default failure value: two bad rows, nothing imported.
    assert result.returncode == 1
    assert summary["imported"] is False and len(summary["rejected"]) == 2
    assert {(r["line"], r["column"], r["value"]) for r in summary["rejected"]} == {
        (3, "Result", "Dropped"),
        (5, "Result", "Dropped"),
    }
    mapping = json.dumps(
        {
            "id": "Ref",
            "outcome": "Result",
            "created": "Opened",
            "revenue": "Deal size",
            "success": {"kind": "values", "values": ["Signed"], "failures": ["Dropped"]},
        }
    )
    result = accord("import-leads", workshop_path, leads, "--mapping", mapping, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["positives"], summary["weeks"]) == (4, 2, 10 / 7)
    _, data = _draft_leads(workshop_path)
    assert data is not None
    assert data.table.column("id").to_pylist() == ["r1", "r2", "r3", "r4"]
    assert data.table.column("revenue").to_pylist() == [100.0, None, 250.5, 0.0]


def test_a_column_that_loses_its_role_stays_as_an_attribute_of_its_inferred_type(
    tmp_path: Path, workshop_path: Path, accord: Accord
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "Lead ID,Converted,Created,Signed up\nA1,1,2024-01-02,2024-01-05\nA2,0,2024-01-09,2024-01-10\n"
        "A3,1,2024-01-16,2024-01-20\nA4,0,2024-01-23,2024-01-24\n",
        encoding="utf-8",
    )
    deals = tmp_path / "deals.csv"
    deals.write_text("Lead,Stage\nA1,Closed Won\nA3,Closed Won\n", encoding="utf-8")
    # Converted and Created are guessed as the outcome and the created date; the join without
    # --outcome takes the outcome's role away, --created the created date's.
    result = accord(
        "import-leads",
        workshop_path,
        leads,
        "--outcomes",
        deals,
        "--join-on",
        "Lead ID=Lead",
        "--created",
        "Signed up",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["positives"], summary["weeks"]) == (4, 2, 20 / 7)  # 5 to 24 January
    mapping = summary["mapping"]
    assert (mapping["id"], mapping["outcome"], mapping["created"]) == ("Lead ID", None, "Signed up")
    assert mapping["success"]["kind"] == "matched"
    assert mapping["types"] == {} and mapping["ignored"] == []  # no type recorded: inferred
    _, data = _draft_leads(workshop_path)
    assert data is not None
    # Both stay in the data: a 0/1 column named like a flag is yes/no, ISO dates are dates.
    assert data.table.column("Converted").to_pylist() == ["Yes", "No", "Yes", "No"]
    assert data.table.column("Created").to_pylist() == [dt.datetime(2024, 1, d) for d in (2, 9, 16, 23)]


def test_bad_rows_without_accept_import_nothing_and_are_listed(
    tmp_path: Path, workshop_path: Path, accord: Accord
) -> None:
    accord("import-leads", workshop_path, X_EDUCATION)  # an earlier data set, which must survive
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Lead ID,Converted,Created\nL1,yes,2024-01-05\nL2,no,2024-01-09,extra\n"
        "L3,maybe,2024-01-12\nL4,no,2024-02-30\nL5,no,2024-03-01\n",
        encoding="utf-8",
    )
    before = _snapshot(workshop_path.parent)

    result = accord("import-leads", workshop_path, bad)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "accord: bad.csv, line 3: \u201cL2,no,2024-01-09,extra\u201d: expected 3 fields, found 4"
    assert lines[1].startswith("accord: bad.csv, line 4, column \u201cConverted\u201d: \u201cmaybe\u201d: ")
    assert lines[2].startswith("accord: bad.csv, line 5, column \u201cCreated\u201d: \u201c2024-02-30\u201d: ")
    assert "nothing was imported" in lines[-1] and "--accept-bad-rows" in lines[-1]
    assert _snapshot(workshop_path.parent) == before

    result = accord("import-leads", workshop_path, bad, "--json")
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert summary["imported"] is False
    assert [(r["file"], r["line"], r["column"], r["value"]) for r in summary["rejected"]] == [
        ("bad.csv", 3, None, "L2,no,2024-01-09,extra"),
        ("bad.csv", 4, "Converted", "maybe"),
        ("bad.csv", 5, "Created", "2024-02-30"),
    ]
    assert all(r["reason"] for r in summary["rejected"])
    assert _snapshot(workshop_path.parent) == before
    info, _ = _draft_leads(workshop_path)
    assert info is not None and info.rows == 9237

    result = accord("import-leads", workshop_path, bad, "--accept-bad-rows", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["rows"], summary["positives"], len(summary["rejected"])) == (2, 1, 3)
    info, data = _draft_leads(workshop_path)
    assert info is not None and info.rows == 2 and info.rejected_count == 3
    assert data is not None
    assert data.table.column("id").to_pylist() == ["L1", "L5"]


def test_errors_are_one_line_each_and_change_nothing(tmp_path: Path, workshop_path: Path, accord: Accord) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    before = _snapshot(workshop_path.parent)
    cases = [
        (("import-leads", workshop_path, tmp_path / "missing.csv"), "missing.csv"),
        (("import-leads", workshop_path, empty), "empty.csv"),
        (("import-leads", workshop_path, X_EDUCATION, "--id", "No Such Column"), "No Such Column"),
        (("import-leads", workshop_path, OLIST_MQL, "--outcomes", OLIST_DEALS), "--join-on"),
        (("import-leads", workshop_path, OLIST_MQL, "--outcomes", OLIST_DEALS, "--join-on", "nope"), "nope"),
        (("import-leads", workshop_path, X_EDUCATION, "--mapping", "{not json"), "--mapping"),
        (("import-leads", tmp_path / "none.accord", X_EDUCATION), "none.accord"),
    ]
    for args, expected in cases:
        result = accord(*args)
        assert result.returncode != 0, args
        assert result.stderr.count("\n") == 1, result.stderr
        assert result.stderr.startswith("accord: ") and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert _snapshot(workshop_path.parent) == before


def test_a_signed_revision_refuses_the_import(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "old.accord"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / "schema-1.accord", path)
    with WorkshopFile.open(path) as f:  # migrates; revision 1 is signed, 2 the draft
        f.lock_revision(2, "0" * 64, dt.datetime(2026, 7, 14, tzinfo=dt.UTC))
    before = _snapshot(tmp_path)
    result = accord("import-leads", path, X_EDUCATION)
    assert result.returncode == 1
    assert "signed" in result.stderr and result.stderr.count("\n") == 1
    assert _snapshot(tmp_path) == before
