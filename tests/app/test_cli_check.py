"""`accord score` and `accord check` on the demo workshop `accord new --demo` writes: the
X Education leads with the demo's agreed model."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord

JSON_KEYS = {
    "threshold",
    "passed",
    "opportunities",
    "rate",
    "target_rate",
    "coverage",
    "lift",
    "weekly_volume",
    "capacity",
    "recommended_threshold",
    "recommendation_reason",
    "bands",
    "rules",
}


@pytest.fixture
def demo(demo_leads_path: Path) -> Path:
    return demo_leads_path


def read_scores(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_new_demo_writes_the_workshop_with_its_leads(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "demo.accord"
    result = accord("new", path, "--demo")
    assert result.returncode == 0, result.stderr
    assert "9,237 historical leads" in result.stdout
    check = accord("check", path, "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["leads"] == 9237


def test_score_writes_one_row_per_lead_worked_out_by_hand(demo: Path, tmp_path: Path, accord: Accord) -> None:
    out = tmp_path / "scores.csv"
    result = accord("score", demo, "-o", out)
    assert result.returncode == 0, result.stderr
    assert "wrote 9,237 scored leads" in result.stderr
    rows = read_scores(out.read_text(encoding="utf-8"))
    assert list(rows[0]) == ["id", "fit", "engagement", "score", "handoff"]
    assert len(rows) == 9237
    by_id = {r["id"]: r for r in rows}
    # The first leads of the file, scored by hand with the demo model:
    # API / Olark Chat / Unemployed, no visits, no time, "Page Visited on Website": nothing fires.
    assert by_id["7927b2df-8bba-4d29-b9a2-b6e0beafe620"] == {
        "id": "7927b2df-8bba-4d29-b9a2-b6e0beafe620",
        "fit": "0",
        "engagement": "0",
        "score": "0",
        "handoff": "0",
    }
    # Unemployed (fit 0); 5 visits x 2 = 10 (cap 10), 674 s >= 600 -> 15, 2.5 pages in [2, 6] -> 5.
    assert by_id["2a272436-5132-4136-86fa-dcc88c88f482"] == {
        "id": "2a272436-5132-4136-86fa-dcc88c88f482",
        "fit": "0",
        "engagement": "30",
        "score": "30",
        "handoff": "0",
    }
    # Student -10; 2 visits -> 4, 1532 s -> 15, 2 pages -> 5, e-book downloaded -> 3.
    assert by_id["8cc8c611-a219-4f35-ad23-fdfd2656bd8a"] == {
        "id": "8cc8c611-a219-4f35-ad23-fdfd2656bd8a",
        "fit": "-10",
        "engagement": "27",
        "score": "17",
        "handoff": "0",
    }
    # Every row: score = fit + engagement, hand-off exactly when score >= 40 (no minimum fit).
    for r in rows:
        assert float(r["score"]) == float(r["fit"]) + float(r["engagement"])
        assert r["handoff"] == ("1" if float(r["score"]) >= 40 else "0")
    assert sum(r["handoff"] == "1" for r in rows) == 1549


def test_score_to_standard_output(demo: Path, accord: Accord) -> None:
    result = accord("score", demo)
    assert result.returncode == 0, result.stderr
    rows = read_scores(result.stdout)
    assert len(rows) == 9237 and rows[0]["id"] == "7927b2df-8bba-4d29-b9a2-b6e0beafe620"


def test_check_prints_the_figures_against_the_targets(demo: Path, accord: Accord) -> None:
    result = accord("check", demo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Threshold check of revision 2026-Q4 at 40 points, on 9,237 historical leads" in out
    assert "passed to sales:   1,549 leads" in out
    assert "opportunity rate:  88.6% (target 60%: meets it)" in out  # 1,372 / 1,549
    assert "leads per week:    59.6 (capacity 120: meets it; 26.0 weeks of history)" in out
    assert "recommended:       28" in out
    bands = out.split("Score bands:\n")[1].splitlines()
    assert [line.split()[0] for line in bands] == ["Hot", "Warm", "Cold", "Below"]
    assert bands[0].split() == ["Hot", "1,549", "leads", "88.6%", "opportunity", "rate"]


def test_check_json_has_the_documented_object(demo: Path, accord: Accord) -> None:
    result = accord("check", demo, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert JSON_KEYS <= set(data)
    assert (data["threshold"], data["passed"], data["opportunities"]) == (40, 1549, 1372)
    assert data["rate"] == pytest.approx(1372 / 1549)
    assert data["coverage"] == pytest.approx(1372 / 3559)
    assert data["weekly_volume"] == pytest.approx(1549 / 26)
    assert (data["capacity"], data["target_rate"]) == (120, 0.6)
    assert isinstance(data["recommended_threshold"], int) and data["recommendation_reason"]
    assert [b["name"] for b in data["bands"]] == ["Hot", "Warm", "Cold", "Below every band"]
    assert sum(b["leads"] for b in data["bands"]) == 9237
    assert len(data["rules"]) == 14 and {"matched", "lift", "suggested_points"} <= set(data["rules"][0])


def test_check_at_another_threshold(demo: Path, accord: Accord) -> None:
    result = accord("check", demo, "--threshold", "10", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["threshold"] == 10 and data["passed"] > 1549
    assert data["rate"] < 0.6  # below the target at a low threshold
    text = accord("check", demo, "--threshold", "10").stdout
    assert "misses it" in text


def test_check_a_named_revision(demo: Path, accord: Accord) -> None:
    assert accord("revision", "new", demo, "--label", "2027-Q1").returncode == 0
    for label in ("2026-Q4", "2027-Q1"):
        result = accord("check", demo, "--revision", label)
        assert result.returncode == 0, result.stderr
        assert f"revision {label} at 40 points" in result.stdout
    missing = accord("check", demo, "--revision", "1999-Q1")
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        "accord: demo-leads.accord has no revision '1999-Q1' (revisions: 2026-Q4, 2027-Q1)"
    )


@pytest.mark.parametrize("command", ["score", "check"])
def test_without_leads_it_says_to_import_them_first(tmp_path: Path, command: str, accord: Accord) -> None:
    path = tmp_path / "empty.accord"
    assert accord("new", path).returncode == 0
    result = accord(command, path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        "accord: revision Draft 1 of empty.accord has no historical leads yet; "
        "import them first: accord import-leads empty.accord LEADS.csv"
    )
