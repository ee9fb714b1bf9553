"""`accord new`: a workshop file, with the standard starting definitions, the definitions of
a JSON document, or the demo workshop with its historical leads."""

from __future__ import annotations

import argparse

from app.cli.errors import read_text
from models.definitions import new_definitions
from models.definitions_json import parse_definitions
from models.document import Document


def new(args: argparse.Namespace) -> int:
    if args.demo:
        from models.demo import DEMO_LABEL, write_demo_workshop

        write_demo_workshop(args.file, force=args.force, label=args.label or DEMO_LABEL)
        print(f"created {args.file} (the X Education demo, with its 9,237 historical leads)")
        return 0
    if args.from_definitions:
        path = args.from_definitions
        defs = parse_definitions(read_text(path), path.name)
    else:
        defs = new_definitions()
    Document.create(args.file, defs, label=args.label or "Draft 1", force=args.force).close()
    print(f"created {args.file}")
    return 0
