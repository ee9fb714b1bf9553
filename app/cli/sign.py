"""`accord sign`: a signature collected after the workshop. The last signer's signature locks
the revision; until then the command says who is still to sign."""

from __future__ import annotations

import argparse

from app.cli.terminal import say
from app.cli.workshop import open_to_change


def sign(args: argparse.Namespace) -> int:
    document = open_to_change(args.file)
    try:
        locked = document.sign(args.signer, args.statement)
        waiting = [s.signer for s in document.signature_status() if not s.current]
        if locked:
            say(
                f"{args.signer} signed; every signer has signed: revision {document.revision.label} "
                f"is locked (SHA-256 {document.revision.content_hash})"
            )
        else:
            say(f"{args.signer} signed revision {document.revision.label}; waiting for: {', '.join(waiting)}")
    finally:
        document.close()
    return 0
