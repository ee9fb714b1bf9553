"""Refusing, before anything is written, a file that is not an Accord workshop this version reads.

Opening checks the file before anything is written: not SQLite, not Accord, corrupt, or a
newer schema each give a `WorkshopFileError` with one clear sentence, and change nothing.
Accord files carry `PRAGMA application_id = APPLICATION_ID` so that any other SQLite file
is refused. One thing comes before the check: a save that a crash cut short is rolled back
by SQLite, in a file of ours only (see `_roll_back_interrupted_save`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from models.store.errors import WorkshopDamaged, WorkshopFileError
from models.store.migration import LEADS_SCHEMA_VERSION, SCHEMA_VERSION
from models.store.tables import LEAD_TABLES, TABLES

APPLICATION_ID = 0x41434344  # "ACCD"
SQLITE_MAGIC = b"SQLite format 3\x00"


def check_workshop_file(path: Path) -> int:
    """Check, without writing, that `path` is an Accord workshop this version can read.

    Returns its schema version; raises WorkshopFileError with a sentence for the user."""
    name = path.name
    if not path.exists():
        raise WorkshopFileError(f"{name}: no such file ({path}).")
    if path.is_dir():
        raise WorkshopFileError(f"{name} is a folder, not an Accord workshop file.")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise WorkshopFileError(f"{name} cannot be read: {exc.strerror or exc}.") from exc
    if not head:
        raise WorkshopFileError(f"{name} is empty: it is not an Accord workshop file.")
    if head != SQLITE_MAGIC:
        raise WorkshopFileError(f"{name} is not an Accord workshop file (it is not an SQLite database).")
    _roll_back_interrupted_save(path)
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            version: int = con.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise WorkshopFileError(f"{name} is an SQLite database but not an Accord workshop file.")
            if version > SCHEMA_VERSION:
                raise WorkshopFileError(
                    f"{name} was written by a newer version of Accord (file format {version}; "
                    f"this version reads up to {SCHEMA_VERSION}). Update Accord to open it."
                )
            check = con.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise WorkshopDamaged(f"{name} is damaged (SQLite integrity check: {check}).")
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = [t for t in _tables_of(version) if t not in tables]
            if missing:
                raise WorkshopDamaged(f"{name} is damaged: table {missing[0]!r} is missing.")
            if con.execute("SELECT count(*) FROM revision").fetchone()[0] == 0:
                raise WorkshopDamaged(f"{name} is damaged: it holds no revision.")
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise WorkshopDamaged(f"{name} is damaged and cannot be read ({exc}).") from exc
    return version


def _tables_of(version: int) -> list[str]:
    """The tables a file of schema `version` holds, `meta` and `revision` first."""
    lead_tables = {t.__tablename__ for t in LEAD_TABLES}
    names = [str(t.__tablename__) for t in TABLES]
    return [n for n in names if version >= LEADS_SCHEMA_VERSION or n not in lead_tables]


def _roll_back_interrupted_save(path: Path) -> None:
    """A save cut short by a crash leaves a hot rollback journal next to the file, which a
    read-only connection cannot replay ("attempt to write a readonly database"). For an
    Accord file, let SQLite roll it back to the last committed state first."""
    if not path.with_name(path.name + "-journal").exists():
        return
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
        if len(header) < 72 or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
            return  # not ours: leave it alone, the check below reports it
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5)
        try:
            con.execute("PRAGMA schema_version").fetchone()  # any read replays a hot journal
        finally:
            con.close()
    except (OSError, sqlite3.DatabaseError):
        return  # e.g. a read-only folder: the check below reports what it finds
