"""`accord new`: a workshop file, with the standard starting definitions, the definitions of
a JSON document, or the demo workshop with its historical leads. The file is written whole
under a temporary name before it takes its name, and `--force` never replaces a workshop
another window holds, nor the definitions document it is made from."""

from __future__ import annotations

import argparse

from app.cli.errors import read_text
from app.cli.outputs import refuse_overwriting
from app.cli.terminal import say
from models.definitions import new_definitions
from models.definitions_json import parse_definitions
from models.document import Document


def new(args: argparse.Namespace) -> int:
    if args.demo:
        from models.demo import DEMO_LABEL, demo_definitions, demo_leads

        # The leads go in with the definitions: a file cut short is never left half a demo.
        Document.create(
            args.file, demo_definitions(), label=args.label or DEMO_LABEL, force=args.force, leads=demo_leads()
        ).close()
        say(f"created {args.file} (the X Education demo, with its 9,237 historical leads)")
        return 0
    if args.from_definitions:
        path = args.from_definitions
        refuse_overwriting([("", args.file)], [("the definitions document it is made from", path)])
        defs = parse_definitions(read_text(path), path.name)
    else:
        defs = new_definitions()
    Document.create(args.file, defs, label=args.label or "Draft 1", force=args.force).close()
    say(f"created {args.file}")
    return 0
