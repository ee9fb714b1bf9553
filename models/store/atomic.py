"""Writing a file so that it is never seen half-written: the bytes go to a temporary file
beside the target, which is renamed onto it only once complete (a rename within a folder
replaces the target in one step), and deleted if writing fails.

The workshop file is created this way, the backup before a migration is copied this way,
and the exporters and the app write their files this way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_in_place_of(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write; renamed onto `target` when the block ends
    without error, deleted otherwise, so `target` is never seen half-written."""
    fd, tmp_name = tempfile.mkstemp(prefix=".accord-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it owner-only; the file gets the usual mode
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def copy_durably(source: Path, target: Path) -> None:
    """Copy `source` to `target` the same way, its bytes flushed to the disk before it takes
    the target's name: a power cut cannot leave a backup that has the name but not the bytes."""
    with written_in_place_of(target) as tmp:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
