"""Keeping a second writer out of a workshop file.

A writer holds an OS lock on the workshop file itself for as long as it has the file open,
so every path to the file (a symlink, a hard link, another spelling of its folder) leads to
the same lock, and nothing beside the file can be deleted or renamed to break it. The OS
drops the lock when the process dies, so a crash never leaves the file locked.

Which lock, and why not `flock` on the database: on Linux it is an open-file-description
lock (`F_OFD_SETLK`) on one byte far beyond the end of any workshop (`LOCK_OFFSET`).
SQLite locks the same file with POSIX `fcntl` locks on bytes at 1 GiB, for the length of
each transaction; a byte-range lock on another byte never conflicts with those, on a local
disk or on an NFS or SMB share alike, where `flock` is emulated by a lock on the whole file
that would block SQLite's own (and on BSD and macOS `flock` and `fcntl` locks can meet even on
a local disk). An OFD lock belongs to the descriptor that took it, not to the process, so a
second open in the same process is kept out too, and closing some other descriptor of the
file (SQLite closing a connection, a backup being copied) does not drop it, as it would a
POSIX lock. On Windows the same far byte is locked with `msvcrt.locking` (per handle, and
SQLite's bytes are others). Where neither exists (macOS, BSD: Python offers no OFD locks
there) the lock falls back to `flock` on the sidecar beside the file's real path, which
symlinks share and hard links do not.

The holder writes who it is into the sidecar `<file>.lock` beside the file's real path
(user, host, process, since when) so that the window that opens read-only can say who has
it. On Linux and Windows the sidecar only informs: the holder removes it when it closes,
while it still holds the lock, so no second holder's sidecar is ever removed.

A lock that cannot be taken for another reason than a holder (a read-only folder, a full
disk, a file the user may not write) is refused with a sentence saying why, and the file
opens read-only.
"""

from __future__ import annotations

import datetime as dt
import errno
import getpass
import json
import os
import socket
import struct
import sys
import threading
from pathlib import Path

LOCK_OFFSET = 1 << 62  # the locked byte: beyond any file, and far from SQLite's at 1 GiB
_NO_ROOM = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)  # a full disk, a quota, a file size limit

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    _KIND = "windows"
else:
    import fcntl

    _KIND = "ofd" if hasattr(fcntl, "F_OFD_SETLK") else "sidecar"  # flock on the sidecar: macOS, BSD

_HELD: dict[tuple[int, int], FileLock] = {}  # the files this process holds, by identity
_HELD_GUARD = threading.Lock()


class FileLock:
    """An exclusive OS lock on a workshop file, held from `acquire` until `release` (or the
    death of the process). While held, `fd` is the file open for reading and writing."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.real = Path(os.path.realpath(self.path))
        self.sidecar = self.real.with_name(self.real.name + ".lock")
        self.fd: int | None = None
        self.in_use_by: str | None = None  # after a refused `acquire`: who holds the file
        self.refusal: str | None = None  # after a refused `acquire`: why it cannot be taken
        self._sidecar_fd: int | None = None
        self._identity: tuple[int, int] | None = None

    def acquire(self) -> bool:
        """Take the lock. False when it cannot be had: then `in_use_by` says who holds the
        file, or `refusal` says in one sentence why the lock cannot be taken."""
        if self.fd is not None:
            return True
        name = self.path.name
        if not os.access(self.real.parent, os.W_OK | os.X_OK):
            # SQLite writes its journal beside the file: no save could succeed.
            return self._refuse(f"{name} is open read-only because its folder is read-only.")
        try:
            fd = os.open(self.real, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            return self._refuse(_reason(name, exc))
        try:
            taken = self._lock(fd)
        except OSError as exc:
            self._drop(fd)
            return self._refuse(_reason(name, exc))
        if not taken:
            self._drop(fd)
            self.in_use_by = self.holder()
            return False
        try:
            self._write_sidecar()
        except OSError as exc:
            if exc.errno in _NO_ROOM or exc.errno == errno.EROFS:  # nor would a save fit
                self._drop(fd)
                return self._refuse(_reason(name, exc))
            # Otherwise (a sidecar of another user's, say) only the holder's name goes unsaid.
        self.fd = fd
        st = os.fstat(fd)
        self._identity = (st.st_dev, st.st_ino)
        with _HELD_GUARD:
            _HELD[self._identity] = self
        return True

    def holder(self) -> str:
        """Who holds the file, as its sidecar says: "user on host since ..."."""
        try:
            info = json.loads(self.sidecar.read_text(encoding="utf-8") or "{}")
        except (OSError, ValueError):
            return "another window or program"
        if not isinstance(info, dict) or not info:
            return "another window or program"
        since = str(info.get("since", "")).replace("T", " ")
        return f"{info.get('user', '?')} on {info.get('host', '?')} since {since}"

    def release(self) -> None:
        """Give the lock up (closing the file drops it)."""
        if self.fd is None:
            return
        with _HELD_GUARD:
            if self._identity is not None and _HELD.get(self._identity) is self:
                del _HELD[self._identity]
        if _KIND != "sidecar":  # still held: no second holder can have written it yet
            try:
                self.sidecar.unlink(missing_ok=True)
            except OSError:
                pass
        fd, self.fd = self.fd, None
        self._drop(fd)

    # -- the OS lock -------------------------------------------------------------------
    def _lock(self, fd: int) -> bool:
        """Lock the open file `fd` (or, in the fallback, the sidecar): False if held."""
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
            try:
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except OSError:
                return False
            return True
        if _KIND == "ofd":
            try:
                fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock_struct(fcntl.F_WRLCK))
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EACCES):
                    return False
                raise
            return True
        return self._lock_sidecar()  # pragma: no cover - macOS, BSD

    def _lock_sidecar(self) -> bool:  # pragma: no cover - macOS, BSD
        """The fallback: `flock` on the sidecar, which is then kept, never removed."""
        side = os.open(self.sidecar, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(side, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(side)
            if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK):
                return False
            raise
        self._sidecar_fd = side
        return True

    def _drop(self, fd: int) -> None:
        os.close(fd)
        if self._sidecar_fd is not None:  # pragma: no cover - the macOS and BSD fallback
            os.close(self._sidecar_fd)
            self._sidecar_fd = None

    def _write_sidecar(self) -> None:
        """Who holds the file, for the windows that open it read-only meanwhile."""
        text = json.dumps(
            {
                "user": _user(),
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "since": dt.datetime.now().isoformat(timespec="minutes"),
            }
        ).encode("utf-8")
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        try:
            try:
                fd = os.open(self.sidecar, flags, 0o666)
            except PermissionError:  # left by another user's crashed window: make it ours
                self.sidecar.unlink()
                fd = os.open(self.sidecar, flags, 0o666)
            try:
                if os.write(fd, text) != len(text):
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            finally:
                os.close(fd)
        except OSError:
            try:
                self.sidecar.unlink(missing_ok=True)  # not half an answer
            except OSError:
                pass
            raise

    def _refuse(self, reason: str) -> bool:
        self.refusal = reason
        return False


def held_by(path: Path) -> str | None:
    """Who holds the workshop at `path` (None when nobody does), without taking its lock:
    for a command about to replace the file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    with _HELD_GUARD:
        mine = _HELD.get((st.st_dev, st.st_ino))
    if mine is not None:  # this process: no need to open (and close) the file under SQLite
        return mine.holder()
    lock = FileLock(path)
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return None  # Windows itself refuses to replace a file another program has open
    if _KIND == "ofd":
        try:
            fd = os.open(lock.real, os.O_RDONLY)
        except OSError:
            return None
        try:
            answer = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, _flock_struct(fcntl.F_WRLCK))
        except OSError:
            return None
        finally:
            os.close(fd)
        held = struct.unpack_from(_FLOCK_FORMAT, answer)[0] != fcntl.F_UNLCK
        return lock.holder() if held else None
    return _sidecar_held_by(lock)  # pragma: no cover - macOS, BSD


def _sidecar_held_by(lock: FileLock) -> str | None:  # pragma: no cover - macOS, BSD
    try:
        side = os.open(lock.sidecar, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(side, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.flock(side, fcntl.LOCK_UN)
    except OSError:
        return lock.holder()
    finally:
        os.close(side)
    return None


# struct flock as the C library lays it out on Linux: l_type, l_whence, l_start, l_len, l_pid
# (native alignment; trailing padding added, which the kernel ignores).
_FLOCK_FORMAT = "@hhqqi"


def _flock_struct(kind: int) -> bytes:
    return struct.pack(_FLOCK_FORMAT, kind, os.SEEK_SET, LOCK_OFFSET, 1, 0) + bytes(8)


def _reason(name: str, exc: OSError) -> str:
    """Why the lock of `name` cannot be taken, as the sentence the read-only window shows."""
    if exc.errno in _NO_ROOM:
        why = "the disk is full"
    elif exc.errno == errno.EROFS:
        why = "it is on a read-only disk"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = "you may not write to it"
    elif exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
        why = "its disk does not support locking, which keeps a second writer out"
    else:
        why = f"its lock could not be taken ({exc.strerror or exc})"
    return f"{name} is open read-only because {why}."


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "someone"
