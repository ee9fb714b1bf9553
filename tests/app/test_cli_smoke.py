"""The command line as a user runs it: a separate process, its output and exit code. The other
CLI tests call it in the test's process (tests/app/cli_helpers.py); these few check what only a
real process shows: the entry points start, the output reaches the pipes whole, and an error
is one line on standard error with a non-zero exit code, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from models.version import app_version
from tests.paths import REPO, X_EDUCATION


def accord(
    *args: str | Path, command: tuple[str, ...] = (sys.executable, "-m", "app.main")
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command, *map(str, args)], capture_output=True, text=True, timeout=300, cwd=REPO, check=False
    )


def test_version() -> None:
    result = accord("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"accord {app_version()}\n", "")


def test_the_installed_accord_command_creates_a_workshop(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("accord")
    if not script.exists():
        pytest.skip("the accord command is not installed here (pip install -e . installs it)")
    path = tmp_path / "w.accord"
    result = accord("new", path, command=(str(script),))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"created {path}\n", "")
    assert path.exists()


def test_import_leads_json(workshop_path: Path) -> None:
    result = accord("import-leads", workshop_path, X_EDUCATION, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["imported"], summary["rows"], summary["positives"], summary["rejected"]) == (True, 9237, 3559, [])


def test_check_json(demo_leads_path: Path) -> None:
    result = accord("check", demo_leads_path, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["leads"], data["threshold"], data["passed"], data["opportunities"]) == (9237, 40, 1549, 1372)


def test_an_error_is_one_line_and_exit_code_1(tmp_path: Path) -> None:
    path = tmp_path / "broken.accord"
    path.write_bytes(b"stage,definition\nInquiry,hand raised\n")
    result = accord("definitions", "export", path)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith("accord: broken.accord") and "not an Accord workshop file" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
