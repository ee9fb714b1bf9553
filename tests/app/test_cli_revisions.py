"""`accord compare` and `accord verify`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord


@pytest.fixture
def two_quarters(workshop_path: Path, accord: Accord) -> Path:
    """The demo signed as 2026-Q4, then 2027-Q1 with its threshold at 35 and a term removed."""
    for signer in ("Priya Raman", "Daniel Osei"):
        assert accord("sign", workshop_path, "--signer", signer).returncode == 0
    assert accord("revision", "new", workshop_path, "--label", "2027-Q1").returncode == 0
    con = sqlite3.connect(workshop_path)
    con.execute("UPDATE scoring_settings SET threshold = 35 WHERE revision_id = 2")
    con.execute("DELETE FROM glossary_term WHERE revision_id = 2 AND term = 'Inquiry'")
    con.commit()
    con.close()
    return workshop_path


def test_compare_lists_the_changes(two_quarters: Path, accord: Accord) -> None:
    result = accord("compare", two_quarters, "--from", "2026-Q4", "--to", "2027-Q1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Changes from 2026-Q4 to 2027-Q1: 1 removed, 2 changed",
        # The period named after the revision moved on with it (Start Next Revision).
        "  Team and targets: period \u201c2026-Q4\u201d \u2192 \u201c2027-Q1\u201d",
        "  Glossary term \u201cInquiry\u201d removed",
        "  Scoring settings: threshold 40 \u2192 35",
    ]


def test_compare_json(two_quarters: Path, accord: Accord) -> None:
    result = accord("compare", two_quarters, "--from", "2026-Q4", "--to", "2027-Q1", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["from"], data["to"], data["summary"]) == ("2026-Q4", "2027-Q1", "1 removed, 2 changed")
    threshold = data["changes"][2]
    assert {k: threshold[k] for k in ("section", "kind", "field", "old", "new")} == {
        "section": "scoring",
        "kind": "changed",
        "field": "threshold",
        "old": 40.0,
        "new": 35.0,
    }
    back = accord("compare", two_quarters, "--from", "2027-Q1", "--to", "2026-Q4", "--json")
    assert [c["kind"] for c in json.loads(back.stdout)["changes"]] == ["changed", "added", "changed"]


def test_compare_names_an_unknown_revision(two_quarters: Path, accord: Accord) -> None:
    result = accord("compare", two_quarters, "--from", "2025-Q1", "--to", "2027-Q1")
    assert result.returncode == 1
    assert result.stderr.strip() == ("accord: demo.accord has no revision '2025-Q1' (revisions: 2026-Q4, 2027-Q1)")


def test_verify_passes_then_fails_after_the_file_is_edited(two_quarters: Path, accord: Accord) -> None:
    good = accord("verify", two_quarters)
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("2026-Q4: signed definitions match (SHA-256 ")
    con = sqlite3.connect(two_quarters)  # the signed revision, edited outside Accord
    con.execute("UPDATE funnel_stage SET sla_hours = 1 WHERE revision_id = 1")
    con.commit()
    con.close()
    bad = accord("verify", two_quarters)
    assert bad.returncode == 1
    assert bad.stdout.startswith("2026-Q4: SIGNATURE DOES NOT MATCH: the stored definitions hash to ")
    assert bad.stderr.strip() == "accord: 1 signed revision of demo.accord no longer matches its signatures"


def test_verify_without_signed_revisions(workshop_path: Path, accord: Accord) -> None:
    result = accord("verify", workshop_path)
    assert (result.returncode, result.stdout.strip()) == (0, "demo.accord: no signed revision to verify")
