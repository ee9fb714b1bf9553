"""Running the command line in the test's own process: `accord(*args)` calls `app.main.main`
as `python -m app.main` would and gives back the exit code and what it printed, as
`subprocess.run` did, without starting (and importing everything in) a new interpreter per
call. test_cli_smoke.py still runs the real process a few times."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str


class Accord(Protocol):
    def __call__(self, *args: str | Path) -> CliResult: ...


def run_accord(capsys: pytest.CaptureFixture[str], *args: str | Path) -> CliResult:
    """One command line, run in this process; what it printed is taken from `capsys`."""
    from app.main import main

    capsys.readouterr()  # only this command's output
    code: str | int | None
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's --help, --version and usage errors
        code = exc.code
    out, err = capsys.readouterr()
    if isinstance(code, int):
        return CliResult(code, out, err)
    # As the interpreter does: sys.exit(None) exits 0, sys.exit("message") prints it and exits 1.
    return CliResult(0 if code is None else 1, out, err if code is None else f"{err}{code}\n")
