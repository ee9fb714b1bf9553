"""A damaged workshop through the command line: the store's one sentence, printed as one line,
and exit code 1, whichever command meets the damage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord
from tests.damage import DAMAGES, damage


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, demo_leads_path: Path) -> Path:
    return damage(demo_leads_path, request.param)


def test_through_the_command_line_it_is_one_line_and_exit_1(damaged: Path, tmp_path: Path, accord: Accord) -> None:
    failed = 0
    for command in (
        ("definitions", "export", damaged),
        ("verify", damaged),
        ("check", damaged),
        ("score", damaged),
        ("export", damaged, "--json", tmp_path / "out.json"),
        ("sign", damaged, "--signer", "Daniel Osei"),
    ):
        result = accord(*command)
        if result.returncode == 0:
            continue
        failed += 1
        assert result.returncode == 1, (command, result.stderr)
        assert result.stderr.startswith("accord: d.accord is damaged"), (command, result.stderr)
        assert result.stderr.count("\n") == 1, (command, result.stderr)
    assert failed
