"""File chores of the app: a fresh copy of the demo workshop, and Save As."""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from models.demo import DEMO_NAME, DEMO_PREFIX, write_demo_workshop
from models.document import Document
from models.store import written_in_place_of


def fresh_demo_copy(folder: Path | None = None, cache: Path | None = None) -> Path:
    """A new demo workshop in a folder of its own (never the bundled data themselves).

    Writing it imports the demo's 9,237 leads (about 0.7 s), so the first one written is
    kept in `cache` (the temp folder by default), under a name that changes with the demo's
    definitions, its data and the file format, and later ones are copies of it."""
    folder = folder or Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))
    path = folder / DEMO_NAME
    master = (cache or Path(tempfile.gettempdir())) / f"accord-demo-{demo_key()}.accord"
    if not master.exists():
        with written_in_place_of(master) as tmp:
            write_demo(tmp, force=True)
    shutil.copyfile(master, path)
    return path


def demo_inputs() -> list[Path]:
    """The files the demo workshop is made from: the domain's code (definitions, defaults,
    the import, the file format) and the bundled leads."""
    from models.demo import DEMO_LEADS

    models = Path(__file__).resolve().parent.parent / "models"
    return sorted(models.rglob("*.py")) + [DEMO_LEADS]


def demo_key() -> str:
    """What the demo workshop is made of: a master made from other inputs is never reused."""
    import hashlib

    digest = hashlib.sha256()
    for path in demo_inputs():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def write_demo(path: Path, force: bool = False) -> None:
    write_demo_workshop(path, force=force)


def save_copy(document: Document, dest: Path) -> None:
    """Copy the open workshop to `dest` as a consistent snapshot (SQLite's backup API),
    written under a temporary name and renamed into place.

    The copy is read through the workshop's own open connection, not its path: a workshop
    whose file was moved, renamed or deleted since it was opened can still be saved
    elsewhere (the open file is still there for this process until it closes it)."""
    dest = Path(dest)
    if dest.exists() and document.path.exists() and os.path.samefile(dest, document.path):
        return
    with written_in_place_of(dest) as tmp:
        source = document.file.engine.raw_connection()
        target = sqlite3.connect(tmp)
        try:
            driver = source.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            driver.backup(target)
        finally:
            target.close()
            source.close()
