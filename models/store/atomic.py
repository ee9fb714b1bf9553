"""Writing a file so that it is never seen half-written: the bytes go to a temporary file
beside the target, which is renamed onto it only once complete (a rename within a folder
replaces the target in one step), and deleted if writing fails.

The workshop file is created this way, the backup before a migration is copied this way,
and the exporters and the app write their files this way.

What is replaced is the file the target names: a symlink is followed, and its target is
replaced (the link stays a link). A target that exists and is not a regular file (a
folder, a device such as /dev/null, a named pipe) is refused, as is a workshop another
window holds: renaming over either would replace the node, not write to it, and lose a
window's work. A full disk is said in one sentence, and leaves the target as it was.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from models.store.lock import held_by

_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


class TargetRefused(OSError):
    """A file Accord will not write over (not a regular file, or a workshop another window
    holds); the message says which, in one sentence."""


class DiskFull(OSError):
    """A file could not be written because the disk is full; the target is as it was."""


@contextmanager
def written_in_place_of(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write; renamed onto `target` when the block ends
    without error, deleted otherwise, so `target` is never seen half-written."""
    target = final_target(Path(target))
    refuse_unsafe(target)
    mode = _mode_of(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".accord-", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _said(target, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, mode)  # mkstemp makes it owner-only; the file gets the target's or the usual mode
    try:
        yield tmp
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        full = disk_full(target, exc)
        if full is not None and full is not exc:
            raise full from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def final_target(target: Path) -> Path:
    """The file `target` names, its symlinks followed (a link to a file not there yet names
    the file it would create)."""
    return Path(os.path.realpath(target))


def refuse_unsafe(target: Path) -> None:
    """Refuse, in one sentence, a target that must not be replaced: not a regular file, or
    a workshop another window holds."""
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _said(target, exc) from exc
    if not stat.S_ISREG(st.st_mode):
        raise TargetRefused(f"{target.name} is {_kind(st.st_mode)}, not a regular file; nothing was written to it.")
    holder = held_by(target)
    if holder is not None:
        raise TargetRefused(
            f"{target.name} is a workshop in use by {holder}; nothing was written to it (close it there first)."
        )


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to `target` the same way, its bytes flushed to the disk before it takes
    the target's name: a power cut cannot leave a backup that has the name but not the bytes."""
    with written_in_place_of(target) as tmp:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def disk_full(target: Path, exc: OSError) -> DiskFull | None:
    """`exc`, met writing `target`, as a `DiskFull` in one sentence when it says the disk is
    full (ENOSPC, a quota, or a file size limit); None when it says something else."""
    if isinstance(exc, DiskFull):
        return exc
    if exc.errno not in _DISK_FULL:
        return None
    full = DiskFull(f"{target.name} could not be written because the disk is full; nothing was written.")
    full.errno = exc.errno
    return full


def _said(target: Path, exc: OSError) -> OSError:
    """An error writing `target`, as one sentence."""
    full = disk_full(target, exc)
    if full is not None:
        return full
    said = OSError(f"{target.name} could not be written ({exc.strerror or exc}); nothing was written.")
    said.errno = exc.errno
    return said


def _mode_of(target: Path) -> int:
    """The permissions a new file gets: the target's own when it exists (a private workshop
    stays private), else the usual ones under the umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode) & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process' umask, read without changing it (os.umask would, for every thread)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022
