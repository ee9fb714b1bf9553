"""The argument parser of every command: its options, their help, and what each takes."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import TypeAlias

# What `add_subparsers` returns, each command adding its parser to it. argparse names the
# class only privately; typeshed's name for it is the one to annotate with.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # noqa: SLF001


def build_parser() -> argparse.ArgumentParser:
    """The `accord COMMAND ...` parser; `app.main` parses the window's own options."""
    parser = argparse.ArgumentParser(prog="accord", description="Accord workshop files from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    _new(sub)
    _definitions(sub)
    _sign(sub)
    _revision(sub)
    _import_leads(sub)
    _score(sub)
    _check(sub)
    _export(sub)
    _compare(sub)
    _verify(sub)
    return parser


def _new(sub: Subparsers) -> None:
    """accord new: a workshop file, empty, from a definitions JSON document, or the demo."""
    new = sub.add_parser("new", help="create a workshop file")
    new.add_argument("file", type=Path)
    source = new.add_mutually_exclusive_group()
    source.add_argument("--from-definitions", type=Path, metavar="JSON", help="start from a definitions JSON document")
    source.add_argument("--demo", action="store_true", help="write the demo workshop")
    new.add_argument("--label", default=None, help="label of the first revision")
    new.add_argument("--force", action="store_true", help="replace an existing file")


def _definitions(sub: Subparsers) -> None:
    """accord definitions export|import: the definitions JSON of the latest revision."""
    definitions = sub.add_parser("definitions", help="export or import the definitions JSON")
    dsub = definitions.add_subparsers(dest="action", required=True)
    export = dsub.add_parser("export", help="write the latest revision's definitions as JSON")
    export.add_argument("file", type=Path)
    export.add_argument("-o", "--output", type=Path, help="JSON file to write (default: standard output)")
    imp = dsub.add_parser("import", help="replace the draft revision's definitions with a JSON document")
    imp.add_argument("file", type=Path)
    imp.add_argument("json", type=Path)


def _sign(sub: Subparsers) -> None:
    """accord sign: a signature collected after the workshop."""
    sign = sub.add_parser("sign", help="record a signature collected after the workshop")
    sign.add_argument("file", type=Path)
    sign.add_argument("--signer", required=True)
    sign.add_argument("--statement", default="")


def _revision(sub: Subparsers) -> None:
    """accord revision new: the next revision, a draft copy of the latest."""
    revision = sub.add_parser("revision", help="revisions of a workshop")
    rsub = revision.add_subparsers(dest="action", required=True)
    rnew = rsub.add_parser("new", help="start the next revision as a draft copy of the latest")
    rnew.add_argument("file", type=Path)
    rnew.add_argument("--label", required=True)


def _import_leads(sub: Subparsers) -> None:
    """accord import-leads: a CRM export, its column mapping chosen by options or a mapping JSON."""
    leads = sub.add_parser(
        "import-leads",
        help="import historical leads into the draft revision",
        description="Read a CRM export (CSV or XLSX), map and clean it, and store it as "
        "the draft revision's lead data set (replacing an earlier one). "
        "Without --accept-bad-rows a file with bad rows imports nothing.",
    )
    leads.add_argument("file", type=Path, help="the workshop (.accord)")
    leads.add_argument("leads", type=Path, help="the lead file (CSV or XLSX)")
    leads.add_argument("--sheet", help="XLSX: the sheet to read (default: the first visible one)")
    leads.add_argument("--header-row", type=int, metavar="N", help="XLSX: the header's row (default: detected)")
    leads.add_argument(
        "--outcomes",
        type=Path,
        metavar="FILE",
        help="an outcomes file (opportunities report): a lead with a row there is a success",
    )
    leads.add_argument("--join-on", metavar="COLUMN|LEADCOL=OUTCOMECOL", help="the ID column joining the files")
    leads.add_argument(
        "--outcomes-where",
        metavar="COL=VALUE",
        help="count only outcome rows where COL is VALUE (e.g. Stage=Closed Won)",
    )
    leads.add_argument("--id", metavar="COL", help="the lead ID column")
    leads.add_argument("--outcome", metavar="COL", help="the outcome column")
    leads.add_argument(
        "--success",
        action="append",
        metavar="VALUE",
        help="an outcome value that counts as success (repeatable; default yes/true/1/won...)",
    )
    leads.add_argument("--created", metavar="COL", help="the created-date column")
    leads.add_argument("--revenue", metavar="COL", help="the revenue column")
    leads.add_argument("--owner", metavar="COL", help="the owner/rep column")
    leads.add_argument("--email", metavar="COL", help="the e-mail column")
    leads.add_argument("--date-order", choices=("auto", "DMY", "MDY", "YMD"), help="how dates are written")
    leads.add_argument("--mapping", metavar="JSON", help="a mapping as JSON (a file, or the JSON itself)")
    leads.add_argument("--accept-bad-rows", action="store_true", help="import the valid rows of a file with bad rows")
    leads.add_argument("--json", action="store_true", help="print the summary as a JSON object")


def _score(sub: Subparsers) -> None:
    """accord score: one scored row per historical lead."""
    score = sub.add_parser(
        "score",
        help="score every historical lead",
        description="Write one row per imported lead: id, fit, engagement, score and "
        "handoff (1 when it goes to sales at the revision's threshold).",
    )
    score.add_argument("file", type=Path)
    score.add_argument("--revision", metavar="LABEL", help="the revision (default: the latest)")
    score.add_argument("-o", "--output", type=Path, metavar="CSV", help="CSV file to write (default: standard output)")


def _check(sub: Subparsers) -> None:
    """accord check: the threshold check, as text or JSON."""
    check = sub.add_parser(
        "check",
        help="check the threshold against the historical leads",
        description="Print the threshold check: leads passed, opportunity rate against "
        "the target, coverage, lift, leads per week against capacity, the "
        "recommended threshold, the score bands and the rule diagnostics.",
    )
    check.add_argument("file", type=Path)
    check.add_argument("--revision", metavar="LABEL", help="the revision (default: the latest)")
    check.add_argument(
        "--threshold", type=threshold, metavar="T", help="check at T instead of the revision's threshold"
    )
    check.add_argument("--json", action="store_true", help="print a JSON object")


def threshold(text: str) -> float:
    """A threshold given on the command line: a finite number within the range the scoring
    settings allow (models.definitions), or a usage error naming the option."""
    from models.definitions import ScoringSettings, field_limits

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    limit = field_limits(ScoringSettings, "threshold")[0]
    problem = limit.problem(value) if limit is not None else None
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return value


def _export(sub: Subparsers) -> None:
    """accord export: the PDF, the workbook and the definitions JSON."""
    export = sub.add_parser(
        "export",
        help="export the definitions as PDF, Excel workbook and JSON",
        description="Write the revision's definitions document (PDF), scoring workbook "
        "(XLSX, formulas that give the app's scores) and definitions JSON "
        "(with the threshold-check figures when the revision has leads).",
    )
    export.add_argument("file", type=Path)
    export.add_argument("--revision", metavar="LABEL", help="the revision (default: the latest)")
    export.add_argument("--pdf", type=Path, metavar="OUT", help="the PDF definitions document to write")
    export.add_argument("--xlsx", type=Path, metavar="OUT", help="the Excel scoring workbook to write")
    export.add_argument("--json", type=Path, metavar="OUT", help="the definitions JSON to write")
    export.add_argument("--paper", choices=("a4", "letter"), default="a4", help="the PDF's paper size (default a4)")
    export.add_argument(
        "--max-leads",
        type=int,
        default=10_000,
        metavar="N",
        help="leads written to the workbook's Lead Scorer sheet (default 10,000)",
    )


def _compare(sub: Subparsers) -> None:
    """accord compare: what changed between two revisions."""
    compare = sub.add_parser(
        "compare",
        help="what changed between two revisions",
        description="List stages, terms, rules, threshold, bands, targets and KPIs added, "
        "removed and changed (field by field) from one revision to another.",
    )
    compare.add_argument("file", type=Path)
    compare.add_argument("--from", dest="from_label", required=True, metavar="LABEL")
    compare.add_argument("--to", dest="to_label", required=True, metavar="LABEL")
    compare.add_argument("--json", action="store_true", help="print a JSON object")


def _verify(sub: Subparsers) -> None:
    """accord verify: signed revisions hashed again."""
    verify = sub.add_parser(
        "verify",
        help="check that signed revisions still match their signatures",
        description="Hash every signed revision's stored definitions again; exit 1 if any "
        "no longer matches the hash that was signed.",
    )
    verify.add_argument("file", type=Path)
