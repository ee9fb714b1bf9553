"""File chores of the app: a fresh copy of the demo workshop, and Save As."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from models.demo import write_demo_workshop
from models.document import Document
from models.store import written_in_place_of

DEMO_PREFIX = "accord-demo-"
DEMO_NAME = "X Education demo.accord"


def fresh_demo_copy(folder: Path | None = None) -> Path:
    """Write a new demo workshop (never the bundled definitions themselves) and return it."""
    folder = folder or Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    path = folder / DEMO_NAME
    write_demo(path, force=True)
    return path


def write_demo(path: Path, force: bool = False) -> None:
    write_demo_workshop(path, force=force)


def is_demo_copy(path: Path) -> bool:
    return Path(path).parent.name.startswith(DEMO_PREFIX) and Path(path).name == DEMO_NAME


def save_copy(document: Document, dest: Path) -> None:
    """Copy the open workshop to `dest` as a consistent snapshot (SQLite's backup API),
    written under a temporary name and renamed into place."""
    dest = Path(dest)
    if dest.resolve() == document.path.resolve():
        return
    with written_in_place_of(dest) as tmp:
        source = sqlite3.connect(f"{document.path.resolve().as_uri()}?mode=ro", uri=True)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
