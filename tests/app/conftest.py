"""Fixtures of the app's tests: `accord`, the command line run in the test's process."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord, CliResult, run_accord


@pytest.fixture
def accord(capsys: pytest.CaptureFixture[str]) -> Accord:
    """`accord(*args)`: the exit code, standard output and standard error of one command line."""

    def run(*args: str | Path) -> CliResult:
        return run_accord(capsys, *args)

    return run
