"""Another process that holds a workshop, as a window of another Accord would: `held(path)`
opens the file writable in a child process and keeps it open until the block ends;
`run_limited(...)` runs Python in a child whose files cannot grow beyond a size, as on a
full disk; and `private_device(folder)` makes a device of the test's own to write to."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.paths import REPO

_HOLD = textwrap.dedent("""
    import sys
    from models.store import WorkshopFile
    f = WorkshopFile.open(sys.argv[1])
    print("read_only" if f.read_only else "holding", flush=True)
    sys.stdin.read()
    f.close()
""")


@contextmanager
def held(path: Path) -> Iterator[subprocess.Popen[str]]:
    """`path` opened writable by another process for the length of the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=30)


# A child whose files cannot grow past `limit` bytes: a write beyond fails with EFBIG, as
# one fails with ENOSPC on a full disk. The limit, and SIGXFSZ ignored (it would kill the
# child), carry over into the Python the child becomes.
_LIMITED = textwrap.dedent("""
    import os, resource, signal, sys
    limit = int(sys.argv[1])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
""")


def run_limited(limit: int, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python ARGS...` (e.g. "-m", "app.main", ...) in a child process whose files cannot
    grow beyond `limit` bytes."""
    return subprocess.run(
        [sys.executable, "-c", _LIMITED, str(limit), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )


def private_device(folder: Path) -> Path:
    """A character device (the null device's numbers) of this test's own, in `folder`: a
    test that Accord refuses to write over a device must never risk the system's /dev/null,
    which an Accord that wrongly renamed a file onto it would replace for every program."""
    device = folder / "null-device"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError) as exc:  # making devices takes privileges (or POSIX)
        pytest.skip(f"cannot make a device node here ({exc})")
    return device
