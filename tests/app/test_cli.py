"""The command line, run in the test's process: its output and exit code (test_cli_smoke.py runs
the real process)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from models.definitions_json import content_hash, parse_definitions
from tests.app.cli_helpers import Accord


def test_new_then_export_definitions_round_trip(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "w.accord"
    result = accord("new", path, "--demo")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "defs.json"
    result = accord("definitions", "export", path, "-o", out)
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "accord-definitions" and doc["format_version"] == 1
    assert doc["revision"]["label"] == "2026-Q4" and doc["revision"]["status"] == "draft"
    assert [s["name"] for s in doc["definitions"]["stages"]][:2] == ["Inquiry", "Marketing Qualified Lead"]
    # A second workshop made from that JSON holds the same definitions (same content hash).
    copy = tmp_path / "copy.accord"
    assert accord("new", copy, "--from-definitions", out).returncode == 0
    again = accord("definitions", "export", copy)
    assert again.returncode == 0
    first = parse_definitions(out.read_text(encoding="utf-8"))
    second = parse_definitions(again.stdout)
    assert content_hash(first) == content_hash(second)


def test_new_refuses_to_overwrite_without_force(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "w.accord"
    assert accord("new", path).returncode == 0
    before = path.read_bytes()
    result = accord("new", path, "--demo")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert path.read_bytes() == before
    assert accord("new", path, "--demo", "--force").returncode == 0


def test_import_reports_every_error_with_its_json_path_and_changes_nothing(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "w.accord"
    accord("new", path, "--demo")
    before = path.read_bytes()
    exported = json.loads(accord("definitions", "export", path).stdout)
    exported["definitions"]["rules"][0]["operator"] = "roughly"
    exported["definitions"]["stages"][1]["sla_hours"] = "soon"
    exported["definitions"]["team"]["target_rate"] = 3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(exported), encoding="utf-8")
    result = accord("definitions", "import", path, bad)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    paths = sorted(line.split(": ")[2] for line in lines)
    assert paths == [
        "$.definitions.rules[0].operator",
        "$.definitions.stages[1].sla_hours",
        "$.definitions.team.target_rate",
    ]
    assert all(line.startswith("accord: bad.json: ") for line in lines)
    assert path.read_bytes() == before


def test_import_replaces_the_draft(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "w.accord"
    accord("new", path, "--demo")
    doc = json.loads(accord("definitions", "export", path).stdout)
    doc["definitions"]["scoring"]["threshold"] = 55
    doc["definitions"]["stages"] = doc["definitions"]["stages"][:2]
    good = tmp_path / "good.json"
    good.write_text(json.dumps(doc), encoding="utf-8")
    result = accord("definitions", "import", path, good)
    assert result.returncode == 0, result.stderr
    back = json.loads(accord("definitions", "export", path).stdout)
    assert back["definitions"]["scoring"]["threshold"] == 55
    assert len(back["definitions"]["stages"]) == 2


def test_sign_until_locked_then_edits_are_refused(tmp_path: Path, accord: Accord) -> None:
    path = tmp_path / "w.accord"
    accord("new", path, "--demo")
    result = accord("sign", path, "--signer", "Nobody Known")
    assert result.returncode == 1
    assert "not a signer" in result.stderr and "Priya Raman" in result.stderr
    first = accord("sign", path, "--signer", "Priya Raman", "--statement", "Agreed for Q4")
    assert first.returncode == 0 and "waiting for: Daniel Osei" in first.stdout
    second = accord("sign", path, "--signer", "daniel osei")
    assert second.returncode == 0 and "locked" in second.stdout
    exported = json.loads(accord("definitions", "export", path).stdout)
    rev = exported["revision"]
    assert rev["status"] == "signed"
    assert rev["content_hash"] == content_hash(parse_definitions(json.dumps(exported)))
    assert {s["signer"] for s in rev["signatures"]} == {"Priya Raman", "Daniel Osei"}
    assert [s["statement"] for s in rev["signatures"] if s["signer"] == "Priya Raman"] == ["Agreed for Q4"]
    good = tmp_path / "same.json"
    good.write_text(json.dumps(exported), encoding="utf-8")
    refused = accord("definitions", "import", path, good)
    assert refused.returncode == 1
    assert "start the next revision" in refused.stderr
    assert accord("sign", path, "--signer", "Priya Raman").returncode == 1
    # The next revision is a draft again, and the signed one is kept.
    assert accord("revision", "new", path, "--label", "2027-Q1").returncode == 0
    assert accord("definitions", "import", path, good).returncode == 0
    con = sqlite3.connect(path)
    assert con.execute("SELECT label, status FROM revision ORDER BY id").fetchall() == [
        ("2026-Q4", "signed"),
        ("2027-Q1", "draft"),
    ]
    con.close()


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "is empty"),
        (b"stage,definition\nInquiry,hand raised\n", "not an Accord workshop file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not an Accord workshop file"),
    ],
)
def test_bad_workshop_files_give_one_clear_line(tmp_path: Path, content: bytes, expected: str, accord: Accord) -> None:
    path = tmp_path / "broken.accord"
    path.write_bytes(content)
    result = accord("definitions", "export", path)
    assert result.returncode == 1
    assert result.stderr.startswith("accord: broken.accord")
    assert expected in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == content


def test_invalid_json_names_line_and_column(tmp_path: Path, accord: Accord) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"format": "accord-definitions",\n  "definitions": {,}}', encoding="utf-8")
    result = accord("new", tmp_path / "w.accord", "--from-definitions", bad)
    assert result.returncode == 1
    assert "broken.json: $: not valid JSON" in result.stderr and "line 2" in result.stderr
    assert not (tmp_path / "w.accord").exists()


def test_a_json_file_is_refused_by_its_size_before_it_is_read(tmp_path: Path, accord: Accord) -> None:
    from app.cli.errors import MAX_TEXT_BYTES
    from models.definitions_json import MAX_DOCUMENT_BYTES

    assert MAX_TEXT_BYTES == MAX_DOCUMENT_BYTES
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:  # sparse: gigabytes on paper, nothing on the disk
        fh.truncate(4 * 1024**3)
    result = accord("new", tmp_path / "w.accord", "--from-definitions", huge)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "larger than 8,388,608 bytes" in result.stderr
