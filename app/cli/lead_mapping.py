"""The column mapping of `accord import-leads`: a mapping given as JSON (`--mapping`), and the
options naming columns (`--id`, `--outcome`, `--join-on`, `--success`, ...) applied to the
mapping guessed from the file (or given)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.errors import CliError, read_text
from models.leads.importer import Adjust
from models.leads.serialize import mapping_from_json
from models.leads.types import (
    ColumnType,
    LeadFileError,
    Mapping,
    OutcomesJoin,
    RawTable,
    SuccessKind,
    SuccessRule,
)


def pair(text: str, option: str) -> tuple[str, str]:
    """'Stage=Closed Won' → ('Stage', 'Closed Won'), or one line saying what `option` expects."""
    left, sep, right = text.partition("=")
    if not sep or not left.strip() or not right.strip():
        raise CliError(f"{option} expects COLUMN=VALUE, got {text!r}")
    return left.strip(), right.strip()


def mapping_option(text: str) -> Mapping:
    """The mapping of `--mapping`: a JSON object, or the name of a file holding one."""
    source = "--mapping"
    if not text.lstrip().startswith("{"):
        path = Path(text)
        text = read_text(path)
        source = path.name
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return mapping_from_json(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise CliError(f"{source}: not a valid mapping ({exc})") from None


def overrides(args: argparse.Namespace) -> Adjust:
    """The --id, --outcome, ... options applied to the guessed (or given) mapping."""
    roles: dict[str, str | None] = {
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
                mapping.types[previous] = ColumnType.TEXT  # keep the column, as plain text
        if args.date_order:
            mapping.date_order = args.date_order
        if outcomes is not None:
            lead_col, outcome_col = (
                pair(args.join_on, "--join-on") if "=" in args.join_on else (args.join_on, args.join_on)
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
                where_col, where_value = pair(args.outcomes_where, "--outcomes-where")
                if where_col not in outcomes.columns:
                    raise LeadFileError(
                        f"{outcomes.source.name} has no column {where_col!r} "
                        f"(its columns: {', '.join(outcomes.columns)})"
                    )
            mapping.join = OutcomesJoin(lead_col, outcome_col, where_col, where_value)
            if args.outcome is None:  # success = the lead has a matching outcome row
                if mapping.outcome is not None and mapping.outcome not in mapping.types:
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
