"""`accord compare`: what changed from one revision to another: stages, terms, rules,
threshold, bands, targets and KPIs added, removed and changed (field by field)."""

from __future__ import annotations

import argparse

from app.cli.errors import one_line
from app.cli.terminal import say, say_json
from app.cli.workshop import revision_id
from models.compare import compare as changes_between
from models.compare import summary
from models.store import WorkshopFile


def compare(args: argparse.Namespace) -> int:
    with WorkshopFile.open(args.file, read_only=True) as file:
        old = file.load_definitions(revision_id(file, args.from_label))
        new = file.load_definitions(revision_id(file, args.to_label))
    changes = changes_between(old, new)
    if args.json:
        say_json(
            {
                "from": args.from_label,
                "to": args.to_label,
                "summary": summary(changes),
                "changes": [c.as_json() for c in changes],
            }
        )
        return 0
    say(f"Changes from {args.from_label} to {args.to_label}: {summary(changes)}")
    for change in changes:
        say(f"  {one_line(change.text())}")
    return 0
