"""The column mapping of `accord import-leads`: a mapping given as JSON (`--mapping`), and the
options naming columns (`--id`, `--outcome`, `--join-on`, `--success`, ...) applied to the
mapping guessed from the file (or given)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.errors import CliError, read_text
from models.leads.importer import Adjust
from models.leads.overrides import assign_roles, join_outcomes, set_success
from models.leads.serialize import mapping_from_json
from models.leads.types import LeadFileError, Mapping, OutcomesJoin, RawTable, SuccessKind, SuccessRule

# The options naming a role's column (each a role of models.leads.overrides.ROLES), in the
# order their columns are checked against the file.
ROLE_OPTIONS = ("id", "outcome", "created", "revenue", "owner", "email")


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
    """The --id, --outcome, ... options applied to the guessed (or given) mapping, by the rules
    the import dialog follows too (models.leads.overrides)."""
    named = {role: getattr(args, role) for role in ROLE_OPTIONS if getattr(args, role) is not None}

    def adjust(mapping: Mapping, raw: RawTable, outcomes: RawTable | None) -> Mapping:
        columns = raw.columns
        for column in named.values():
            if column not in columns:
                raise LeadFileError(f"{raw.source.name} has no column {column!r} (its columns: {', '.join(columns)})")
        assign_roles(mapping, named)
        if args.date_order:
            mapping.date_order = args.date_order
        if outcomes is not None:
            join_outcomes(mapping, _join(args, raw, outcomes))
            if args.outcome is None:  # success = the lead has a matching outcome row
                set_success(mapping, SuccessRule(kind=SuccessKind.MATCHED, values=[], failures=[]))
        if args.success:
            set_success(mapping, SuccessRule(kind=SuccessKind.VALUES, values=list(args.success)))
        return mapping

    return adjust


def _join(args: argparse.Namespace, raw: RawTable, outcomes: RawTable) -> OutcomesJoin:
    """The join of --join-on (and --outcomes-where), its columns checked against both files."""
    lead_col, outcome_col = pair(args.join_on, "--join-on") if "=" in args.join_on else (args.join_on, args.join_on)
    if lead_col not in raw.columns:
        raise LeadFileError(
            f"{raw.source.name} has no column {lead_col!r} to join on (its columns: {', '.join(raw.columns)})"
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
                f"{outcomes.source.name} has no column {where_col!r} (its columns: {', '.join(outcomes.columns)})"
            )
    return OutcomesJoin(lead_col, outcome_col, where_col, where_value)
