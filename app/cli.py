"""The command line: scriptable workshop chores without the window.

    accord new FILE [--from-definitions JSON] [--demo] [--force]
    accord definitions export FILE [-o JSON]
    accord definitions import FILE JSON
    accord sign FILE --signer NAME [--statement TEXT]
    accord revision new FILE --label LABEL

Errors print one line per problem on standard error and exit non-zero.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMANDS = ("new", "definitions", "sign", "revision")


class CliError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description="Accord workshop files from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="create a workshop file")
    new.add_argument("file", type=Path)
    source = new.add_mutually_exclusive_group()
    source.add_argument("--from-definitions", type=Path, metavar="JSON",
                        help="start from a definitions JSON document")
    source.add_argument("--demo", action="store_true", help="write the demo workshop")
    new.add_argument("--label", default=None, help="label of the first revision")
    new.add_argument("--force", action="store_true", help="replace an existing file")

    definitions = sub.add_parser("definitions", help="export or import the definitions JSON")
    dsub = definitions.add_subparsers(dest="action", required=True)
    export = dsub.add_parser("export", help="write the latest revision's definitions as JSON")
    export.add_argument("file", type=Path)
    export.add_argument("-o", "--output", type=Path, help="JSON file to write (default: standard output)")
    imp = dsub.add_parser("import", help="replace the draft revision's definitions with a JSON document")
    imp.add_argument("file", type=Path)
    imp.add_argument("json", type=Path)

    sign = sub.add_parser("sign", help="record a signature collected after the workshop")
    sign.add_argument("file", type=Path)
    sign.add_argument("--signer", required=True)
    sign.add_argument("--statement", default="")

    revision = sub.add_parser("revision", help="revisions of a workshop")
    rsub = revision.add_subparsers(dest="action", required=True)
    rnew = rsub.add_parser("new", help="start the next revision as a draft copy of the latest")
    rnew.add_argument("file", type=Path)
    rnew.add_argument("--label", required=True)
    return parser


def _read_definitions(path: Path):  # type: ignore[no-untyped-def]
    from models.definitions_json import parse_definitions

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
    return parse_definitions(text, path.name)


def _open(path: Path):  # type: ignore[no-untyped-def]
    from models.document import Document

    document = Document.open(path)
    if document.file.in_use_by:
        document.close()
        raise CliError(f"{path.name} is in use by {document.file.in_use_by}; close it there first")
    return document


def run(argv: list[str]) -> int:
    from models.definitions_json import DefinitionsError
    from models.document import RevisionLocked
    from models.store import WorkshopFileError

    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except DefinitionsError as exc:
        for issue in exc.issues:
            print(f"accord: {exc.source}: {issue}", file=sys.stderr)
    except (CliError, WorkshopFileError, RevisionLocked, ValueError, OSError) as exc:
        print(f"accord: {exc}", file=sys.stderr)
    return 1


def _dispatch(args: argparse.Namespace) -> int:
    from models.definitions import new_definitions
    from models.definitions_json import dumps
    from models.document import Document

    if args.command == "new":
        if args.demo:
            from models.demo import DEMO_LABEL, demo_definitions

            defs, label = demo_definitions(), DEMO_LABEL
        elif args.from_definitions:
            defs, label = _read_definitions(args.from_definitions), "Draft 1"
        else:
            defs, label = new_definitions(), "Draft 1"
        Document.create(args.file, defs, label=args.label or label, force=args.force).close()
        print(f"created {args.file}")
        return 0

    if args.command == "definitions" and args.action == "export":
        document = Document.open(args.file, read_only=True)
        try:
            text = dumps(document.defs, document.revision_block())
        finally:
            document.close()
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(f"wrote {args.output}")
        else:
            sys.stdout.write(text)
        return 0

    if args.command == "definitions" and args.action == "import":
        defs = _read_definitions(args.json)
        document = _open(args.file)
        try:
            document.replace_definitions(defs, f"Import {args.json.name}")
            print(f"imported {args.json.name} into revision {document.revision.label} of {args.file.name}")
        finally:
            document.close()
        return 0

    if args.command == "sign":
        document = _open(args.file)
        try:
            locked = document.sign(args.signer, args.statement)
            waiting = [s.signer for s in document.signature_status() if not s.current]
            if locked:
                print(f"{args.signer} signed; every signer has signed: revision {document.revision.label} "
                      f"is locked (SHA-256 {document.revision.content_hash})")
            else:
                print(f"{args.signer} signed revision {document.revision.label}; waiting for: {', '.join(waiting)}")
        finally:
            document.close()
        return 0

    if args.command == "revision" and args.action == "new":
        document = _open(args.file)
        try:
            document.start_next_revision(args.label)
            print(f"started revision {args.label} of {args.file.name} as a draft")
        finally:
            document.close()
        return 0
    raise CliError(f"unknown command {args.command}")  # pragma: no cover - argparse prevents it
