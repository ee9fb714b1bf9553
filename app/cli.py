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

Errors print one line per problem on standard error and exit non-zero.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMANDS = ("new", "definitions", "sign", "revision", "import-leads", "score", "check", "export", "compare", "verify")
BAD_ROWS_LISTED = 200  # bad rows printed one per line; --json lists them all


class CliError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="accord", description="Accord workshop files from the command line.")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="create a workshop file")
    new.add_argument("file", type=Path)
    source = new.add_mutually_exclusive_group()
    source.add_argument("--from-definitions", type=Path, metavar="JSON", help="start from a definitions JSON document")
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

    score = sub.add_parser(
        "score",
        help="score every historical lead",
        description="Write one row per imported lead: id, fit, engagement, score and "
        "handoff (1 when it goes to sales at the revision's threshold).",
    )
    score.add_argument("file", type=Path)
    score.add_argument("--revision", metavar="LABEL", help="the revision (default: the latest)")
    score.add_argument("-o", "--output", type=Path, metavar="CSV", help="CSV file to write (default: standard output)")

    check = sub.add_parser(
        "check",
        help="check the threshold against the historical leads",
        description="Print the threshold check: leads passed, opportunity rate against "
        "the target, coverage, lift, leads per week against capacity, the "
        "recommended threshold, the score bands and the rule diagnostics.",
    )
    check.add_argument("file", type=Path)
    check.add_argument("--revision", metavar="LABEL", help="the revision (default: the latest)")
    check.add_argument("--threshold", type=float, metavar="T", help="check at T instead of the revision's threshold")
    check.add_argument("--json", action="store_true", help="print a JSON object")

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

    verify = sub.add_parser(
        "verify",
        help="check that signed revisions still match their signatures",
        description="Hash every signed revision's stored definitions again; exit 1 if any "
        "no longer matches the hash that was signed.",
    )
    verify.add_argument("file", type=Path)
    return parser


def _read_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is fine), or one line saying why not."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot be read as UTF-8 text ({exc})") from None


def _read_definitions(path: Path):  # type: ignore[no-untyped-def]
    from models.definitions_json import parse_definitions

    return parse_definitions(_read_text(path), path.name)


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
    except BrokenPipeError:  # e.g. `accord score FILE | head`: the reader has what it wanted
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (CliError, WorkshopFileError, RevisionLocked, ValueError, OSError) as exc:
        print(f"accord: {_one_line(str(exc))}", file=sys.stderr)
    except KeyboardInterrupt:
        print("accord: interrupted; nothing was changed", file=sys.stderr)
        return 130
    return 1


def _one_line(text: str) -> str:
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def _dispatch(args: argparse.Namespace) -> int:
    from models.definitions import new_definitions
    from models.definitions_json import dumps
    from models.document import Document

    if args.command == "new":
        if args.demo:
            from models.demo import DEMO_LABEL, write_demo_workshop

            write_demo_workshop(args.file, force=args.force, label=args.label or DEMO_LABEL)
            print(f"created {args.file} (the X Education demo, with its 9,237 historical leads)")
            return 0
        if args.from_definitions:
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
                print(
                    f"{args.signer} signed; every signer has signed: revision {document.revision.label} "
                    f"is locked (SHA-256 {document.revision.content_hash})"
                )
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
    if args.command == "import-leads":
        return _import_leads(args)
    if args.command in ("score", "check"):
        return _score_or_check(args)
    if args.command == "export":
        return _export(args)
    if args.command == "compare":
        return _compare(args)
    if args.command == "verify":
        return _verify(args)
    raise CliError(f"unknown command {args.command}")  # pragma: no cover - argparse prevents it


# --------------------------------------------------------------------------- import-leads
def _pair(text: str, option: str) -> tuple[str, str]:
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise CliError(f"{option} expects COLUMN=VALUE, got {text!r}")
    return left.strip(), right.strip()


def _mapping_option(text: str):  # type: ignore[no-untyped-def]
    import json

    from models.leads.serialize import mapping_from_json

    source = "--mapping"
    if not text.lstrip().startswith("{"):
        path = Path(text)
        text = _read_text(path)
        source = path.name
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return mapping_from_json(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise CliError(f"{source}: not a valid mapping ({exc})") from None


def _overrides(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The --id, --outcome, ... options applied to the guessed (or given) mapping."""
    from models.leads.types import LeadFileError, Mapping, OutcomesJoin, RawTable, SuccessKind, SuccessRule

    roles = {
        "id": args.id,
        "outcome": args.outcome,
        "created": args.created,
        "revenue": args.revenue,
        "owner": args.owner,
        "email": args.email,
    }

    def adjust(mapping: Mapping, raw: RawTable, outcomes: RawTable | None) -> Mapping:
        columns = raw.columns
        for role, column in roles.items():
            if column is None:
                continue
            if column not in columns:
                raise LeadFileError(f"{raw.source.name} has no column {column!r} (its columns: {', '.join(columns)})")
            previous = getattr(mapping, role)
            for other in roles:  # a column has one role
                if other != role and getattr(mapping, other) == column and roles[other] is None:
                    setattr(mapping, other, None)
            setattr(mapping, role, column)
            mapping.types.pop(column, None)
            if column in mapping.ignored:
                mapping.ignored.remove(column)
            if previous and previous != column and previous not in mapping.types:
                from models.leads.types import ColumnType

                mapping.types[previous] = ColumnType.TEXT  # keep the column, as plain text
        if args.date_order:
            mapping.date_order = args.date_order
        if outcomes is not None:
            lead_col, outcome_col = (
                _pair(args.join_on, "--join-on") if "=" in args.join_on else (args.join_on, args.join_on)
            )
            if lead_col not in columns:
                raise LeadFileError(
                    f"{raw.source.name} has no column {lead_col!r} to join on (its columns: {', '.join(columns)})"
                )
            if outcome_col not in outcomes.columns:
                raise LeadFileError(
                    f"{outcomes.source.name} has no column {outcome_col!r} to join on "
                    f"(its columns: {', '.join(outcomes.columns)})"
                )
            where_col = where_value = None
            if args.outcomes_where:
                where_col, where_value = _pair(args.outcomes_where, "--outcomes-where")
                if where_col not in outcomes.columns:
                    raise LeadFileError(
                        f"{outcomes.source.name} has no column {where_col!r} "
                        f"(its columns: {', '.join(outcomes.columns)})"
                    )
            mapping.join = OutcomesJoin(lead_col, outcome_col, where_col, where_value)
            if args.outcome is None:  # success = the lead has a matching outcome row
                if mapping.outcome is not None and mapping.outcome not in mapping.types:
                    from models.leads.types import ColumnType

                    mapping.types[mapping.outcome] = ColumnType.CATEGORY
                mapping.outcome = None
                mapping.success = SuccessRule(kind=SuccessKind.MATCHED, values=[], failures=[])
            if mapping.id is None and args.id is None:
                mapping.id = lead_col
                mapping.types.pop(lead_col, None)
        if args.success:
            rule = SuccessRule(kind=SuccessKind.VALUES, values=list(args.success))
            rule.failures = [f for f in rule.failures if f.casefold() not in {v.casefold() for v in args.success}]
            mapping.success = rule
        return mapping

    return adjust


def _summary(data, imported: bool, target: str) -> dict:  # type: ignore[no-untyped-def]
    from models.leads.serialize import bad_row_to_json

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


def _bad_row_line(bad) -> str:  # type: ignore[no-untyped-def]
    return "accord: " + str(bad).replace("\r", "\\r").replace("\n", "\\n")


def _import_leads(args: argparse.Namespace) -> int:
    import json

    from models.leads.importer import import_leads

    if (args.outcomes is None) != (args.join_on is None):
        raise CliError("--outcomes and --join-on go together: the outcomes file and the ID column joining it")
    if args.outcomes_where and args.outcomes is None:
        raise CliError("--outcomes-where needs --outcomes")
    mapping = _mapping_option(args.mapping) if args.mapping else None
    document = _open(args.file)
    try:
        if document.read_only:
            raise CliError(document.why_read_only())
        previous = document.file.last_mapping()
        data = import_leads(
            args.leads,
            mapping=mapping,
            outcomes_path=args.outcomes,
            sheet=args.sheet,
            header_row=args.header_row,
            previous=previous,
            adjust=_overrides(args),
        )
        bad = data.rejected
        if bad and not args.accept_bad_rows:
            for row in bad[:BAD_ROWS_LISTED]:
                print(_bad_row_line(row), file=sys.stderr)
            more = f", the first {BAD_ROWS_LISTED} listed" if len(bad) > BAD_ROWS_LISTED else ""
            rows = len({(b.file, b.line) for b in bad})
            print(
                f"accord: {len(bad):,} problem(s) in {rows:,} row(s){more}; nothing was imported. Fix the "
                f"file, or import the {data.quality.rows:,} valid rows with --accept-bad-rows",
                file=sys.stderr,
            )
            if args.json:
                print(json.dumps(_summary(data, False, args.file.name), ensure_ascii=False, indent=2))
            return 1
        replaced = document.leads_info()
        document.replace_leads(data)
        label = document.revision.label
    finally:
        document.close()
    if args.json:
        print(json.dumps(_summary(data, True, args.file.name), ensure_ascii=False, indent=2))
        return 0
    q = data.quality
    span = f"{q.weeks:.1f} weeks ({q.first_date} to {q.last_date})" if q.weeks is not None else "no dates"
    print(
        f"imported {q.rows:,} leads from {args.leads.name} into revision {label} of {args.file.name}"
        + (
            f", replacing {replaced.rows:,} leads imported {replaced.imported_at:%Y-%m-%d %H:%M} UTC"
            if replaced
            else ""
        )
    )
    print(
        f"  successes: {q.positives:,} ({q.outcome_rate:.1%}); rejected rows: {len(data.rejected):,}; "
        f"duplicate IDs: {q.duplicate_ids:,}; duplicate e-mails: {q.duplicate_emails:,}; span: {span}"
    )
    if q.unmatched_outcomes:
        print(f"  outcome rows with no matching lead: {q.unmatched_outcomes:,}")
    for notice in data.notices:
        print(f"  note: {notice}")
    return 0


# --------------------------------------------------------------------------- score and check
def _open_revision(path: Path, label: str | None):  # type: ignore[no-untyped-def]
    from models.document import Document
    from models.store import WorkshopFile

    file = WorkshopFile.open(path, read_only=True)
    try:
        revisions = file.revisions()
        if label is None:
            return Document(file)
        for rev in revisions:
            if rev.label == label:
                return Document(file, rev.id)
        raise CliError(f"{path.name} has no revision {label!r} (revisions: {', '.join(r.label for r in revisions)})")
    except BaseException:
        file.close()
        raise


def _number_text(values) -> list[str]:  # type: ignore[no-untyped-def]
    """Scores as text: whole numbers without a decimal point, others with up to 6 decimals."""
    import numpy as np

    whole = values == np.floor(values)
    out = np.char.mod("%.6f", values)
    out = np.char.rstrip(np.char.rstrip(out, "0"), ".")
    out[whole] = np.char.mod("%d", values[whole].astype(np.int64))
    return out.tolist()


def _score_or_check(args: argparse.Namespace) -> int:
    import json

    document = _open_revision(args.file, args.revision)
    try:
        label = document.revision.label
        if document.leads_info() is None:
            raise CliError(
                f"revision {label} of {args.file.name} has no historical leads yet; "
                f"import them first: accord import-leads {args.file.name} LEADS.csv"
            )
        check = document.build_check()
        assert check is not None
        defs = document.defs
        if args.command == "score":
            import csv
            import io

            scorer, frame = check.scorer, check.frame
            handoff = scorer.handoff(defs.scoring.threshold, defs.scoring.minimum_fit)
            columns = [_number_text(a) for a in (scorer.fit, scorer.engagement, scorer.score)]
            out = io.StringIO() if args.output is None else None
            target = out if out is not None else open(args.output, "w", encoding="utf-8", newline="")
            try:
                writer = csv.writer(target, lineterminator="\n")
                writer.writerow(["id", "fit", "engagement", "score", "handoff"])
                ids = frame.ids()
                writer.writerows(zip(ids, *columns, handoff.astype(int).tolist(), strict=True))
            finally:
                if out is None:
                    target.close()
            if out is not None:
                sys.stdout.write(out.getvalue())
            else:
                print(f"wrote {frame.n:,} scored leads of revision {label} to {args.output}", file=sys.stderr)
            return 0
        if args.json:
            print(json.dumps(check.as_json(args.threshold), ensure_ascii=False, indent=2))
            return 0
        print(_check_text(check, args.threshold, label))
        return 0
    finally:
        document.close()


def _check_text(check, threshold, label: str) -> str:  # type: ignore[no-untyped-def]
    from models.check import fmt_pct

    f = check.figures(threshold)
    rec = check.recommendation()
    ok = {True: "meets", False: "misses"}
    lines = [
        f"Threshold check of revision {label} at {f.threshold:g} points, on {f.leads:,} historical leads "
        f"({f.all_opportunities:,} became opportunities, {fmt_pct(f.overall_rate, 1)})"
    ]
    lines.append(f"  passed to sales:   {f.passed:,} leads")
    lines.append(f"  opportunity rate:  {fmt_pct(f.rate, 1)} (target {fmt_pct(f.target_rate)}: {ok[f.rate_ok]} it)")
    lines.append(f"  coverage:          {fmt_pct(f.coverage, 1)} of all opportunities")
    if f.lift is not None:
        lines.append(
            f"  lift:              {f.lift:.2f}\u00d7 the overall rate"
            + (
                f"; {f.advantage:.1f}\u00d7 better than cold calling ({fmt_pct(f.baseline_rate)})"
                if f.advantage is not None
                else ""
            )
        )
    if f.weekly_volume is not None:
        lines.append(
            f"  leads per week:    {f.weekly_volume:,.1f} (capacity {f.capacity:,}: {ok[f.volume_ok]} it; "
            f"{f.weeks:.1f} weeks of history)"
        )
    else:
        lines.append("  leads per week:    unknown (the leads have no creation dates and no period is entered)")
    if f.revenue is not None:
        lines.append(f"  revenue captured:  {f.revenue:,.0f}")
    lines.append(f"  recommended:       {rec.threshold if rec.threshold is not None else 'none'} \u2014 {rec.reason}")
    lines.append("Score bands:")
    for b in check.bands():
        lines.append(f"  {b.name:<18} {b.leads:>9,} leads  {fmt_pct(b.rate, 1):>6} opportunity rate")
    return "\n".join(lines)


# --------------------------------------------------------------------------- export
def _export(args: argparse.Namespace) -> int:
    from export.content import ExportContent

    outputs = [(kind, getattr(args, kind)) for kind in ("pdf", "xlsx", "json") if getattr(args, kind)]
    if not outputs:
        raise CliError("say what to write: --pdf OUT, --xlsx OUT and/or --json OUT")
    if args.max_leads < 0:
        raise CliError("--max-leads cannot be negative")
    document = _open_revision(args.file, args.revision)
    try:
        content = ExportContent.build(document, document.build_check(), max_leads=args.max_leads)
    finally:
        document.close()
    for kind, out in outputs:
        if kind == "pdf":
            from export.pdf import write_pdf

            write_pdf(content, out, paper=args.paper)
        elif kind == "xlsx":
            from export.workbook import write_workbook

            write_workbook(content, out)
        else:
            from export.json_export import write_json

            write_json(content, out)
        print(f"wrote {out} (revision {content.revision.label}, {content.revision.status})")
    return 0


# --------------------------------------------------------------------------- compare, verify
def _revision_id(file, label: str) -> int:  # type: ignore[no-untyped-def]
    revisions = file.revisions()
    for rev in revisions:
        if rev.label == label:
            return rev.id
    raise CliError(f"{file.path.name} has no revision {label!r} (revisions: {', '.join(r.label for r in revisions)})")


def _compare(args: argparse.Namespace) -> int:
    import json

    from models.compare import compare, summary
    from models.store import WorkshopFile

    with WorkshopFile.open(args.file, read_only=True) as file:
        old = file.load_definitions(_revision_id(file, args.from_label))
        new = file.load_definitions(_revision_id(file, args.to_label))
    changes = compare(old, new)
    if args.json:
        print(
            json.dumps(
                {
                    "from": args.from_label,
                    "to": args.to_label,
                    "summary": summary(changes),
                    "changes": [c.as_json() for c in changes],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"Changes from {args.from_label} to {args.to_label}: {summary(changes)}")
    for change in changes:
        print(f"  {change.text()}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from models.document import Document

    document = Document.open(args.file, read_only=True)
    try:
        checks = document.verify()
    finally:
        document.close()
    if not checks:
        print(f"{args.file.name}: no signed revision to verify")
        return 0
    bad = 0
    for c in checks:
        if c.ok:
            print(f"{c.label}: signed definitions match (SHA-256 {c.signed_hash})")
        else:
            bad += 1
            print(
                f"{c.label}: SIGNATURE DOES NOT MATCH: the stored definitions hash to {c.actual_hash}, "
                f"but {c.signed_hash} was signed; they were changed outside Accord after signing"
            )
    if bad:
        verb = "no longer match their signatures" if bad != 1 else "no longer matches its signatures"
        print(f"accord: {bad} signed revision{'s' if bad != 1 else ''} of {args.file.name} {verb}", file=sys.stderr)
        return 1
    return 0
