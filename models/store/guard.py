"""Refusing a write to a workshop file that is no longer as this writer last read or wrote it.

The lock keeps other Accords out, but not everything else: the file can be moved, renamed
or deleted under an open window, replaced by another file (a copy dragged over it, a sync
client), or written by a program that ignores the lock (the `sqlite3` shell, an older
Accord). SQLite would then write into the old file, where nobody will look again, or over
the other program's work, and say nothing. So every write first checks, holding SQLite's
write lock (no other SQLite writer can commit until it is done):

  - that the path still leads to the file this writer has open (same device and inode);
    else `WorkshopGone` (nothing there any more) or `WorkshopReplaced` (another file there);
  - that the file is as this writer left it: SQLite's file change counter (header bytes
    24-27, which every transaction that changes the file increments) and the file's size
    are what they were after its last own write (or when it opened the file); else
    `WorkshopChanged`.

After each of its own writes the writer records them again (`seen`). They are read through
the writer's own descriptor, which it keeps open: closing a descriptor of the file would
drop the POSIX locks SQLite holds on it in this process.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from models.store.errors import WorkshopChanged, WorkshopFileError, WorkshopGone, WorkshopReplaced

_COUNTER_OFFSET = 24  # SQLite's file change counter, 4 bytes big-endian


class WriteGuard:
    """What a writer last saw of its file (`fd`, opened at `path`), checked before each write."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd = fd
        st = os.fstat(fd)
        self._identity = (st.st_dev, st.st_ino)
        self._seen = self._state()

    def check(self) -> None:
        """Raise a `WorkshopMovedOrChanged` saying what happened if the file is not as this
        writer last saw it; nothing has been written then."""
        name = self.path.name
        try:
            st = os.stat(self.path)
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise WorkshopGone(
                    f"{name} was moved, renamed or deleted since it was opened; nothing was saved."
                ) from exc
            raise WorkshopFileError(
                f"{name} could not be checked before saving ({exc.strerror or exc}); nothing was saved."
            ) from exc
        if (st.st_dev, st.st_ino) != self._identity:
            raise WorkshopReplaced(f"{name} was replaced by another file since it was opened; nothing was saved.")
        if self._state() != self._seen:
            raise WorkshopChanged(f"{name} was changed by another program since it was opened; nothing was saved.")

    def seen(self) -> None:
        """The file as it is now is what this writer last wrote (or has read again)."""
        self._seen = self._state()

    def _state(self) -> tuple[int, int]:
        header = _read_at(self._fd, 4, _COUNTER_OFFSET)
        return int.from_bytes(header, "big"), os.fstat(self._fd).st_size


def _read_at(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # pragma: no cover - Windows: the descriptor is this writer's only
    return os.read(fd, size)  # pragma: no cover
