"""Killed at any moment, a command leaves the workshop as it was or as it would be, never a mix.

Each command that writes a workshop runs as a real process and is killed (SIGKILL: no
cleanup, no `finally`) after a seeded random delay spread over its whole run; 20 times each
for `import-leads`, `definitions import`, `sign`, `revision new` and `export`. After every kill
the file must open, `accord verify` must pass, and what it holds must be exactly the state
before the command or exactly the state after a run left to finish (the definitions and
revisions as JSON, the signatures, the lead data set's size); an export's files must be
absent or whole, and the workshop untouched. Slow (a hundred interpreters): `make test-slow`
runs it, and CI does.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.paths import REPO, X_EDUCATION

pytestmark = pytest.mark.slow

RUNS = 20
SEED = 20261206


def state(path: Path) -> dict[str, Any]:
    """What a workshop holds, as plain data: every revision's label, status, hash and
    definitions, its signatures, and the size of its lead data set."""
    from models.definitions_json import canonical_json
    from models.store import WorkshopFile

    with WorkshopFile.open(path, read_only=True) as f:
        out = []
        for rev in f.revisions():
            info = f.leads_info(rev.id)
            out.append(
                {
                    "label": rev.label,
                    "status": rev.status,
                    "hash": rev.content_hash,
                    "definitions": canonical_json(f.load_definitions(rev.id)),
                    "signatures": sorted((s.signer, s.content_hash) for s in f.signatures(rev.id)),
                    "leads": None if info is None else info.rows,
                }
            )
        return {"revisions": out}


def verified(path: Path) -> bool:
    from models.document import Document

    document = Document.open(path, read_only=True)
    try:
        return all(check.ok for check in document.verify())
    finally:
        document.close()


def accord(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "app.main", *map(str, args)]


@dataclass
class Case:
    name: str
    prepare: Callable[[Path], list[str]]  # writes what the command needs beside the workshop; its argv
    outputs: Callable[[Path], list[Path]] = lambda folder: []


def _import(folder: Path) -> list[str]:
    # Another data set than the demo's own (its first 6,000 leads), so that old and new differ.
    lines = X_EDUCATION.read_text(encoding="utf-8").splitlines(keepends=True)
    leads = folder / "leads.csv"
    leads.write_text("".join(lines[:6001]), encoding="utf-8")
    return accord("import-leads", folder / "w.accord", leads, "--json")


def _definitions(folder: Path) -> list[str]:
    from models.definitions_json import dumps
    from models.document import Document

    document = Document.open(folder / "w.accord", read_only=True)
    try:
        defs = document.defs.copy_deep()
    finally:
        document.close()
    defs.team.organisation = "Killed Ltd"
    for rule in defs.rules:
        rule.points = rule.points * 2 + 1
    (folder / "defs.json").write_text(dumps(defs), encoding="utf-8")
    return accord("definitions", "import", folder / "w.accord", folder / "defs.json")


def _sign(folder: Path) -> list[str]:
    # The first signer has signed: this is the last signature, which locks the revision.
    subprocess.run(
        accord("sign", folder / "w.accord", "--signer", "Priya Raman"), check=True, cwd=REPO, capture_output=True
    )
    return accord("sign", folder / "w.accord", "--signer", "Daniel Osei", "--statement", "Agreed.")


def _revision(folder: Path) -> list[str]:
    return accord("revision", "new", folder / "w.accord", "--label", "2027-Q1")


def _export(folder: Path) -> list[str]:
    return accord(
        "export",
        folder / "w.accord",
        "--pdf",
        folder / "out.pdf",
        "--xlsx",
        folder / "out.xlsx",
        "--json",
        folder / "out.json",
        "--max-leads",
        "2000",
    )


CASES = [
    Case("import-leads", _import),
    Case("definitions import", _definitions),
    Case("sign", _sign),
    Case("revision new", _revision),
    Case("export", _export, lambda folder: [folder / "out.pdf", folder / "out.xlsx", folder / "out.json"]),
]


def _whole(path: Path) -> bool:
    """An export file that is complete: it parses as what it claims to be."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    if path.suffix == ".json":
        json.loads(data)
        return True
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.testzip() is None


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_kill_at_any_moment_leaves_the_old_or_the_new_state(
    case: Case, demo_leads_path: Path, tmp_path: Path
) -> None:
    # The state a finished run leaves, and how long it takes (the kills spread over it).
    done = tmp_path / "done"
    done.mkdir()
    shutil.copyfile(demo_leads_path, done / "w.accord")
    argv = case.prepare(done)
    before = state(done / "w.accord")
    start = time.monotonic()
    finished = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, timeout=300)
    took = time.monotonic() - start
    assert finished.returncode == 0, finished.stderr
    after = state(done / "w.accord")
    assert after != before or case.name == "export"

    rng = random.Random(f"{SEED}-{case.name}")
    seen = {"old": 0, "new": 0}
    for k in range(RUNS):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        shutil.copyfile(demo_leads_path, folder / "w.accord")
        argv = case.prepare(folder)
        process = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, took * 1.1))
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        workshop = folder / "w.accord"
        now = state(workshop)  # opens, or raises: a workshop that cannot be opened fails here
        assert verified(workshop), f"run {k}: a signed revision no longer verifies"
        if case.name == "export":
            assert now == before, f"run {k}: the export changed the workshop"
            for out in case.outputs(folder):
                assert not out.exists() or _whole(out), f"run {k}: {out.name} is half-written"
            seen["old"] += 1
            continue
        assert now in (before, after), f"run {k}: neither the old nor the new state"
        seen["old" if now == before else "new"] += 1
    # The kills hit both sides of the command's commit (else the delays tested nothing).
    assert seen["old"] > 0 and (seen["new"] > 0 or case.name == "export"), seen
