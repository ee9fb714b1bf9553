"""A workshop damaged after it was written (a table dropped, text that is not UTF-8, a value
that is not one of its choices or not a date, a lead data set that is not the one stored) is
reported as one sentence naming the file and what is wrong, by whichever read meets it, and
never as a traceback (tests/app/test_cli_damaged.py: through the command line)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from models.store import WorkshopDamaged, WorkshopFile, WorkshopFileError
from tests.damage import DAMAGES, damage


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, demo_leads_path: Path) -> Path:
    return damage(demo_leads_path, request.param)


def _reads(f: WorkshopFile) -> list[Callable[[], object]]:
    return [
        f.revisions,
        lambda: f.load_definitions(1),
        lambda: f.signatures(1),
        lambda: f.leads_info(1),
        lambda: f.load_leads(1),
        f.last_mapping,
    ]


@pytest.mark.parametrize("read_only", [True, False], ids=["read_only", "writable"])
def test_every_read_of_a_damaged_file_is_one_sentence(damaged: Path, read_only: bool) -> None:
    errors: list[WorkshopFileError] = []
    try:
        f = WorkshopFile.open(damaged, read_only=read_only)
    except WorkshopFileError as exc:
        errors.append(exc)
    else:
        with f:
            for read in _reads(f):
                try:
                    read()
                except WorkshopFileError as exc:
                    errors.append(exc)
    assert errors, "the damage went unnoticed"
    for error in errors:
        message = str(error)
        assert isinstance(error, WorkshopDamaged), message
        assert message.startswith("d.accord is damaged"), message
        assert "\n" not in message and message.endswith("."), message
        assert "Background on this error" not in message and "[SQL:" not in message, message
