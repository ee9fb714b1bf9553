"""Where a command writes a file: never over the workshop it reads, nor over another file it
reads, whichever path names them (a symlink, a hard link, another spelling of the folder).

The file itself is written by `models.store.written_in_place_of`: under a temporary name,
renamed into place when complete, through a symlink to its target, and never over a
folder, a device, a named pipe or a workshop another window holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from app.cli.errors import CliError


def refuse_overwriting(outputs: Iterable[tuple[str, Path]], reads: Iterable[tuple[str, Path]]) -> None:
    """Refuse, in one line, an output (option, path) that is one of the files the command
    reads (what it is, path), or that another output names too."""
    reads = list(reads)
    seen: list[tuple[str, Path]] = []
    for option, out in outputs:
        for what, source in reads:
            if same_file(out, source):
                named = f"{option} {out}" if option else str(out)
                raise CliError(f"{named} is {what} itself; nothing was written (choose another file)")
        for other_option, other in seen:
            if same_file(out, other) or out == other:
                raise CliError(f"{other_option} and {option} name the same file {out}; nothing was written")
        seen.append((option, out))


def same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` are one file (also through symlinks and hard links)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them is not there: not the same file
        return False
