"""`accord export`: a revision's definitions document (PDF), scoring workbook (XLSX, formulas
that give the app's scores) and definitions JSON (with the threshold-check figures when the
revision has leads). Each writer is imported only when its file is asked for."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.errors import CliError
from app.cli.outputs import refuse_overwriting
from app.cli.terminal import say
from app.cli.workshop import open_revision
from export.content import ExportContent
from models.store import disk_full


def export(args: argparse.Namespace) -> int:
    outputs = [(kind, getattr(args, kind)) for kind in ("pdf", "xlsx", "json") if getattr(args, kind)]
    if not outputs:
        raise CliError("say what to write: --pdf OUT, --xlsx OUT and/or --json OUT")
    if args.max_leads < 0:
        raise CliError("--max-leads cannot be negative")
    refuse_overwriting([(f"--{kind}", out) for kind, out in outputs], [("the workshop", args.file)])
    document = open_revision(args.file, args.revision)
    try:
        content = ExportContent.build(document, document.build_check(), max_leads=args.max_leads)
    finally:
        document.close()
    for kind, out in outputs:
        try:
            _write(kind, content, out, args.paper)
        except OSError as exc:  # the workbook's sheets fill temporary files before the file itself
            full = disk_full(out, exc)
            if full is None or full is exc:
                raise
            raise full from exc
        say(f"wrote {out} (revision {content.revision.label}, {content.revision.status})")
    return 0


def _write(kind: str, content: ExportContent, out: Path, paper: str) -> None:
    if kind == "pdf":
        from export.pdf import write_pdf

        write_pdf(content, out, paper=paper)
    elif kind == "xlsx":
        from export.workbook import write_workbook

        write_workbook(content, out)
    else:
        from export.json_export import write_json

        write_json(content, out)
