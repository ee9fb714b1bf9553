"""Keeping a second writer out of a workshop file.

A second writer is kept out by an OS lock on a sidecar `.lock` file; it opens read-only.
The lock is taken on a sidecar rather than on the database because SQLite's own locks last
only as long as a transaction: between saves they would let a second window write too. It
is an OS lock (`flock`, or `msvcrt.locking` on Windows), not the sidecar's existence, so
the OS drops it when the process dies and a crash never leaves the file locked; a sidecar
left behind by a crash is simply taken over. The holder writes who it is into the sidecar
(user, host, process, since when) so the window that opens read-only can say who has it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import TextIO


class FileLock:
    """An exclusive OS lock on `<file>.lock`, released by the OS if the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._fh: TextIO | None = None

    def acquire(self) -> bool:
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
                import msvcrt

                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        fh.seek(0)
        fh.truncate()
        fh.write(
            json.dumps(
                {
                    "user": _user(),
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "since": dt.datetime.now().isoformat(timespec="minutes"),
                }
            )
        )
        fh.flush()
        self._fh = fh
        return True

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "another window"
        if not info:
            return "another window"
        since = str(info.get("since", "")).replace("T", " ")
        return f"{info.get('user', '?')} on {info.get('host', '?')} since {since}"

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            pass
        self._fh.close()  # closing drops the lock
        self._fh = None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "someone"
