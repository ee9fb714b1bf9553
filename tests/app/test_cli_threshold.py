"""`accord check --threshold T`: only a finite number within the threshold's range is taken;
anything else is a usage error like argparse's own (usage, one error line, exit 2), never a
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.definitions import MAX_POINTS
from tests.app.cli_helpers import Accord


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("inf", "not a finite number: 'inf'"),
        ("-inf", "not a finite number: '-inf'"),
        ("nan", "not a finite number: 'nan'"),
        ("1e400", "not a finite number: '1e400'"),  # read as infinity
        ("1e7", "must be between -1,000,000 and 1,000,000 (this is 1e+07)"),
        ("twenty", "not a number: 'twenty'"),
    ],
)
def test_a_threshold_that_is_no_finite_number_in_range_is_a_usage_error(
    workshop_path: Path, accord: Accord, value: str, said: str
) -> None:
    result = accord("check", workshop_path, f"--threshold={value}")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == f"accord check: error: argument --threshold: {said}"
    assert result.stdout == ""


def test_the_ends_of_the_range_are_checked(demo_leads_path: Path, accord: Accord) -> None:
    for value in (MAX_POINTS, -MAX_POINTS):
        result = accord("check", demo_leads_path, "--threshold", str(value), "--json")
        assert result.returncode == 0, result.stderr
        assert f'"threshold": {float(value)}' in result.stdout
