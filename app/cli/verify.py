"""`accord verify`: every signed revision's stored definitions hashed again; exit 1 when one
no longer matches the hash that was signed (the file was changed outside Accord)."""

from __future__ import annotations

import argparse

from app.cli.terminal import say
from models.document import Document


def verify(args: argparse.Namespace) -> int:
    document = Document.open(args.file, read_only=True)
    try:
        checks = document.verify()
    finally:
        document.close()
    if not checks:
        say(f"{args.file.name}: no signed revision to verify")
        return 0
    bad = 0
    for c in checks:
        if c.ok:
            say(f"{c.label}: signed definitions match (SHA-256 {c.signed_hash})")
        else:
            bad += 1
            say(
                f"{c.label}: SIGNATURE DOES NOT MATCH: the stored definitions hash to {c.actual_hash}, "
                f"but {c.signed_hash} was signed; they were changed outside Accord after signing"
            )
    if bad:
        verb = "no longer match their signatures" if bad != 1 else "no longer matches its signatures"
        say(f"accord: {bad} signed revision{'s' if bad != 1 else ''} of {args.file.name} {verb}", err=True)
        return 1
    return 0
