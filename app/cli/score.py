"""`accord score`: every historical lead of a revision scored with its model, one CSV row
each (id, fit, engagement, score, and handoff: 1 when it goes to sales at the threshold).

The lead IDs come from the user's lead file: an ID that a spreadsheet would read as a formula
(it begins with =, +, -, @, a tab or a carriage return) is written with a leading
apostrophe, as OWASP recommends against CSV injection; the numbers Accord computes are
written as they are. On a terminal the IDs are shown with their control characters escaped.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence

import numpy as np

from app.cli.outputs import refuse_overwriting
from app.cli.terminal import say, shown
from app.cli.workshop import open_revision, threshold_check
from models.store import written_in_place_of

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def score(args: argparse.Namespace) -> int:
    if args.output is not None:
        refuse_overwriting([("-o", args.output)], [("the workshop", args.file)])
    document = open_revision(args.file, args.revision)
    try:
        check = threshold_check(document)
        label = document.revision.label
        defs = document.defs
        scorer, frame = check.scorer, check.frame
        handoff = scorer.handoff(defs.scoring.threshold, defs.scoring.minimum_fit)
        columns = [number_text(a) for a in (scorer.fit, scorer.engagement, scorer.score)]
        ids = [cell_text(i) for i in frame.ids()]
        if args.output is None and sys.stdout.isatty():
            ids = [shown(i) for i in ids]
        out = io.StringIO()
        out.write(csv_line(["id", "fit", "engagement", "score", "handoff"]))
        for row in zip(ids, *columns, (str(h) for h in handoff.astype(int).tolist()), strict=True):
            out.write(csv_line(row))
        if args.output is None:
            sys.stdout.write(out.getvalue())
        else:
            with written_in_place_of(args.output) as tmp:
                tmp.write_text(out.getvalue(), encoding="utf-8", newline="")
            say(f"wrote {frame.n:,} scored leads of revision {label} to {args.output}", err=True)
        return 0
    finally:
        document.close()


def csv_line(cells: Sequence[str]) -> str:
    """One line of CSV: a cell holding a comma, a quote or a line break of either kind is
    quoted (Python's csv writer quotes only the characters of its own line ending, so an ID
    holding a carriage return would have broken the row)."""
    return ",".join(_quoted(c) if any(x in c for x in ',"\r\n') else c for c in cells) + "\n"


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def cell_text(text: str) -> str:
    """A text cell from a user's file as written to CSV: with a leading apostrophe when a
    spreadsheet would take it for a formula."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def number_text(values: np.ndarray) -> list[str]:
    """Scores as text: whole numbers without a decimal point, others with up to 6 decimals."""
    whole = values == np.floor(values)
    out = np.char.mod("%.6f", values)
    out = np.char.rstrip(np.char.rstrip(out, "0"), ".")
    out[whole] = np.char.mod("%d", values[whole].astype(np.int64))
    text: list[str] = out.tolist()
    return text
