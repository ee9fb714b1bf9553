"""`accord import-leads`: a CRM export read, mapped and cleaned into the draft revision's lead
data set, and what came of it reported: a summary (or a JSON object), or the bad rows one per
line. A file with bad rows imports nothing unless --accept-bad-rows says to keep the rest."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.errors import CliError
from app.cli.lead_mapping import mapping_option, overrides
from app.cli.terminal import say, say_json, shown
from app.cli.workshop import open_to_change
from models.leads.importer import import_leads as read_leads
from models.leads.serialize import bad_row_to_json
from models.leads.types import BadRow, LeadData

BAD_ROWS_LISTED = 200  # bad rows printed one per line; --json lists them all


def import_leads(args: argparse.Namespace) -> int:
    if (args.outcomes is None) != (args.join_on is None):
        raise CliError("--outcomes and --join-on go together: the outcomes file and the ID column joining it")
    if args.outcomes_where and args.outcomes is None:
        raise CliError("--outcomes-where needs --outcomes")
    mapping = mapping_option(args.mapping) if args.mapping else None
    document = open_to_change(args.file)
    try:
        if document.read_only:
            raise CliError(document.why_read_only())
        data = read_leads(
            args.leads,
            mapping=mapping,
            outcomes_path=args.outcomes,
            sheet=args.sheet,
            header_row=args.header_row,
            previous=document.file.last_mapping(),
            adjust=overrides(args),
        )
        bad = data.rejected
        if bad and not args.accept_bad_rows:
            _refuse(data, args)
            return 1
        replaced = document.leads_info()
        document.replace_leads(data)
        label = document.revision.label
    finally:
        document.close()
    if args.json:
        say_json(summary(data, True, args.file.name))
        return 0
    q = data.quality
    span = f"{q.weeks:.1f} weeks ({q.first_date} to {q.last_date})" if q.weeks is not None else "no dates"
    say(
        f"imported {q.rows:,} leads from {args.leads.name} into revision {label} of {args.file.name}"
        + (
            f", replacing {replaced.rows:,} leads imported {replaced.imported_at:%Y-%m-%d %H:%M} UTC"
            if replaced
            else ""
        )
    )
    say(
        f"  successes: {q.positives:,} ({q.outcome_rate:.1%}); rejected rows: {len(data.rejected):,}; "
        f"duplicate IDs: {q.duplicate_ids:,}; duplicate e-mails: {q.duplicate_emails:,}; span: {span}"
    )
    if q.unmatched_outcomes:
        say(f"  outcome rows with no matching lead: {q.unmatched_outcomes:,}")
    for notice in data.notices:
        say(f"  note: {shown(notice)}")
    return 0


def _refuse(data: LeadData, args: argparse.Namespace) -> None:
    """The bad rows, one line each (the first BAD_ROWS_LISTED), and why nothing was imported."""
    bad = data.rejected
    for row in bad[:BAD_ROWS_LISTED]:
        say(bad_row_line(row), err=True)
    more = f", the first {BAD_ROWS_LISTED} listed" if len(bad) > BAD_ROWS_LISTED else ""
    rows = len({(b.file, b.line) for b in bad})
    say(
        f"accord: {len(bad):,} problem(s) in {rows:,} row(s){more}; nothing was imported. Fix the "
        f"file, or import the {data.quality.rows:,} valid rows with --accept-bad-rows",
        err=True,
    )
    if args.json:
        say_json(summary(data, False, args.file.name))


def bad_row_line(bad: BadRow) -> str:
    """A bad row as one line of standard error, even when its value holds a line break, with
    every control character of the file shown as an escape (`\\n`, `\\x1b`)."""
    return "accord: " + shown(str(bad))


def summary(data: LeadData, imported: bool, target: str) -> dict[str, Any]:
    """What `--json` prints: the figures of the import, every bad row, and the mapping used."""
    q = data.quality
    return {
        "imported": imported,
        "workshop": target,
        "rows": q.rows,
        "positives": q.positives,
        "outcome_rate": round(q.outcome_rate, 6),
        "rejected": [bad_row_to_json(b) for b in data.rejected],
        "rejected_count": len(data.rejected),
        "duplicates": q.duplicate_ids,
        "duplicate_emails": q.duplicate_emails,
        "weeks": q.weeks,
        "first_date": q.first_date.isoformat() if q.first_date else None,
        "last_date": q.last_date.isoformat() if q.last_date else None,
        "unmatched_outcomes": q.unmatched_outcomes,
        "missing": q.missing,
        "placeholders_replaced": q.placeholders_replaced,
        "merged_spellings": q.merged_spellings,
        "notices": list(data.notices),
        "sources": [{"name": s.name, "size": s.size, "sha256": s.sha256, "format": s.format} for s in data.sources],
        "mapping": data.mapping.to_json(),
    }
