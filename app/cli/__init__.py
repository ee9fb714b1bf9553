"""The command line: scriptable workshop chores without the window.

    accord new FILE [--from-definitions JSON] [--demo] [--force]
    accord definitions export FILE [-o JSON]
    accord definitions import FILE JSON
    accord sign FILE --signer NAME [--statement TEXT]
    accord revision new FILE --label LABEL
    accord import-leads FILE LEADS [--sheet NAME] [--header-row N]
        [--outcomes FILE --join-on COLUMN|LEADCOL=OUTCOMECOL [--outcomes-where COL=VALUE]]
        [--id COL] [--outcome COL] [--success VALUE]... [--created COL] [--revenue COL]
        [--owner COL] [--email COL] [--date-order DMY|MDY|YMD] [--mapping JSON]
        [--accept-bad-rows] [--json]
    accord score FILE [--revision LABEL] [-o CSV]
    accord check FILE [--revision LABEL] [--threshold T] [--json]
    accord export FILE [--revision LABEL] [--pdf OUT] [--xlsx OUT] [--json OUT] [--paper a4|letter]
        [--max-leads N]
    accord compare FILE --from LABEL --to LABEL [--json]
    accord verify FILE

Errors print one line per problem on standard error and exit non-zero. Whatever a command
prints from a user's files is shown with its control characters escaped (`terminal`), and
no command writes over the workshop it reads, a file it reads, or anything but a regular
file (`outputs`, `models.store.atomic`).

`run` parses the arguments, hands them to the command's module and turns the errors a user
can cause into those lines. `app.main` imports this package on every start, the window's
too: it imports only the standard library (and its errors module), and a command's module,
with the domain modules it needs, only when that command runs.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.errors import CliError, error_line

COMMANDS = ("new", "definitions", "sign", "revision", "import-leads", "score", "check", "export", "compare", "verify")


def run(argv: list[str]) -> int:
    """Run one command; its exit code (0 done, 1 failed, 130 interrupted)."""
    from app.cli.parser import build_parser
    from models.definitions_json import DefinitionsError
    from models.document import RevisionLocked
    from models.store import WorkshopFileError

    args = build_parser().parse_args(argv)
    try:
        return dispatch(args)
    except DefinitionsError as exc:
        for issue in exc.issues:
            print(error_line(f"{exc.source}: {issue}"), file=sys.stderr)
    except BrokenPipeError:  # e.g. `accord score FILE | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (CliError, WorkshopFileError, RevisionLocked, ValueError, OSError) as exc:
        print(error_line(str(exc)), file=sys.stderr)
    except KeyboardInterrupt:
        print("accord: interrupted; nothing was changed", file=sys.stderr)
        return 130
    return 1


def dispatch(args: argparse.Namespace) -> int:
    """The parsed command, run by its module."""
    command = args.command
    if command == "new":
        from app.cli.new import new

        return new(args)
    if command == "definitions":
        from app.cli.definitions import export_definitions, import_definitions

        return export_definitions(args) if args.action == "export" else import_definitions(args)
    if command == "sign":
        from app.cli.sign import sign

        return sign(args)
    if command == "revision":
        from app.cli.revision import new_revision

        return new_revision(args)
    if command == "import-leads":
        from app.cli.import_leads import import_leads

        return import_leads(args)
    if command == "score":
        from app.cli.score import score

        return score(args)
    if command == "check":
        from app.cli.check import check

        return check(args)
    if command == "export":
        from app.cli.exports import export

        return export(args)
    if command == "compare":
        from app.cli.compare import compare

        return compare(args)
    if command == "verify":
        from app.cli.verify import verify

        return verify(args)
    raise CliError(f"unknown command {command}")  # pragma: no cover - argparse prevents it
