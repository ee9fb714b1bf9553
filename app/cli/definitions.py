"""`accord definitions export|import`: the latest revision's definitions as a JSON document,
written out, or replaced by one (the draft only: a signed revision refuses it)."""

from __future__ import annotations

import argparse
import sys

from app.cli.errors import read_text
from app.cli.outputs import refuse_overwriting
from app.cli.terminal import json_shown, say
from app.cli.workshop import open_to_change
from models.definitions_json import dumps, parse_definitions
from models.document import Document
from models.store import written_in_place_of


def export_definitions(args: argparse.Namespace) -> int:
    if args.output:
        refuse_overwriting([("-o", args.output)], [("the workshop", args.file)])
    document = Document.open(args.file, read_only=True)
    try:
        text = dumps(document.defs, document.revision_block())
    finally:
        document.close()
    if args.output:
        with written_in_place_of(args.output) as tmp:
            tmp.write_text(text, encoding="utf-8")
        say(f"wrote {args.output}")
    else:
        sys.stdout.write(json_shown(text))
    return 0


def import_definitions(args: argparse.Namespace) -> int:
    defs = parse_definitions(read_text(args.json), args.json.name)
    document = open_to_change(args.file)
    try:
        document.replace_definitions(defs, f"Import {args.json.name}")
        say(f"imported {args.json.name} into revision {document.revision.label} of {args.file.name}")
    finally:
        document.close()
    return 0
