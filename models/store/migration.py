"""Schema versions of the workshop file, and bringing a file of an older one up to date.

Older schemas are migrated forward in place when a file is opened writable, after a
backup copy `<stem>.schema<N>-backup.accord` is written next to it; a read-only open of
an older file changes nothing and simply sees no leads.

  1   definitions, revisions and signatures
  2   lead data sets: the tables `lead_dataset` and `lead_source` (`LEAD_TABLES`)
  3   `scoring_settings.history_weeks` (`ADDED_COLUMNS`)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlmodel import SQLModel

from models.definitions import now_utc
from models.store.atomic import copy_durably
from models.store.errors import WorkshopFileError
from models.store.tables import LEAD_TABLES

SCHEMA_VERSION = 3
LEADS_SCHEMA_VERSION = 2  # the first schema that stores lead data sets
# Columns added by later schemas: (schema that added it, table, column, SQL type).
ADDED_COLUMNS: tuple[tuple[int, str, str, str], ...] = ((3, "scoring_settings", "history_weeks", "FLOAT"),)


def _ddl(tables: tuple[type[SQLModel], ...]) -> list[str]:
    """CREATE statements for `tables`, exactly as `create_all` would write them."""
    dialect = sqlite_dialect.dialect()
    out: list[str] = []
    for model in tables:
        # SQLAlchemy gives every table class its `__table__`; SQLModel's types do not declare it.
        table = model.__table__  # type: ignore[attr-defined]
        out.append(str(CreateTable(table).compile(dialect=dialect)).strip())
        out.extend(str(CreateIndex(index).compile(dialect=dialect)).strip() for index in table.indexes)
    return out


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a schema-`version` file is kept before migrating it (a free name)."""
    candidate = path.with_name(f"{path.stem}.schema{version}-backup.accord")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.schema{version}-backup-{n}.accord")
        n += 1
    return candidate


def migrate(path: Path, version: int) -> None:
    """Bring a schema-`version` file to SCHEMA_VERSION in place, in one transaction, after
    writing a backup copy next to it. The caller holds the file's lock."""
    try:
        copy_durably(path, backup_path(path, version))
    except OSError as exc:
        raise WorkshopFileError(
            f"{path.name} uses an older file format and must be upgraded, but "
            f"the backup copy could not be written ({exc.strerror or exc}); "
            "nothing was changed."
        ) from exc
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("BEGIN IMMEDIATE")
        try:
            if con.execute("PRAGMA user_version").fetchone()[0] == version:
                if version < LEADS_SCHEMA_VERSION:
                    for statement in _ddl(LEAD_TABLES):
                        con.execute(statement)
                for added_in, table, column, sql_type in ADDED_COLUMNS:
                    if version < added_in:
                        con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
                con.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
                )
                con.execute(
                    f"INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_from_schema_{version}_at', ?)",
                    (now_utc().isoformat(),),
                )
                con.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    except sqlite3.Error as exc:
        raise WorkshopFileError(
            f"{path.name} could not be upgraded to the current file format ({exc}); it was left as it was."
        ) from exc
    finally:
        con.close()
