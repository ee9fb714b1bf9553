"""`accord revision new`: the next revision (next quarter's), a draft copy of the latest."""

from __future__ import annotations

import argparse

from app.cli.terminal import say
from app.cli.workshop import open_to_change


def new_revision(args: argparse.Namespace) -> int:
    document = open_to_change(args.file)
    try:
        document.start_next_revision(args.label)
        say(f"started revision {args.label} of {args.file.name} as a draft")
    finally:
        document.close()
    return 0
