"""How the workshop file is connected to: one SQLAlchemy engine per open file.

The file is opened by URI, read-only (`mode=ro`) or read-write (`mode=rw`, which never
creates a missing file), with foreign keys enforced. A writable connection keeps SQLite's
rollback journal (`journal_mode=DELETE`), so that every save is one transaction a crash
cannot leave half-done while the workshop stays a single file to e-mail (write-ahead
logging would add `-wal` and `-shm` files beside it), and `synchronous=FULL`, so that a
save is on the disk when it returns.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import create_engine


def open_engine(path: Path, read_only: bool) -> Engine:
    """An engine on the workshop at `path`; each connection it makes gets the settings above."""
    uri = path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rw")

    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=5)
        return con

    engine = create_engine("sqlite://", creator=connect)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_con: sqlite3.Connection, _record: Any) -> None:
        dbapi_con.execute("PRAGMA foreign_keys=ON")
        if not read_only:
            dbapi_con.execute("PRAGMA journal_mode=DELETE")
            dbapi_con.execute("PRAGMA synchronous=FULL")

    return engine
