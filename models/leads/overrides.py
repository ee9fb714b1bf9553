"""Changing a lead file's column mapping: the rules the import dialog and `accord import-leads`
share, so that a choice means the same in both.

A `Mapping` gives every column of the file one meaning:

* a role: the ID, the outcome, revenue, the created date, the owner or the e-mail (`ROLES`,
  the Mapping's fields of those names);
* ignored (listed in `ignored`): left out of the lead data;
* otherwise an attribute, of the type `types` records for it or, when none is recorded, of
  the type the import infers from its values (`attribute_type`).

The rules, each a function changing the mapping in place:

* `assign_roles`: a column given a role takes it from the column that had it. A column has
  one role, unless several are given to it together (an e-mail column can be the ID too).
  The column that lost a role stays in the data as an attribute: it is not ignored, and its
  type is the one recorded for it, else the inferred one, as for any column never given a
  role. A column given a role is no longer ignored, and no longer has an attribute type.
* `make_attribute` and `ignore_column`: a column back to an attribute (of a type, or of its
  inferred one), or left out.
* `set_success`: what counts as success. A value named as a success is never also a failure.
  With "the lead has a row in the outcomes file" no column is the outcome: the one that was
  stays as an attribute.
* `join_outcomes`: the outcomes file joined on a column of the leads file, which becomes the
  ID (as well as any role it has) when no column is the ID yet: it identifies a lead in both
  files.

Why a column that lost its role is typed like any other rather than as text or as a category:
it is an ordinary column again, and what suits it depends on what it holds: a former ID of
unique codes is text, a former outcome of 0/1 is yes/no, a former created date is a date;
text would keep a yes/no or a date out of the rules and segments, and a category of
thousands of IDs is noise.
"""

from __future__ import annotations

import dataclasses

from models.leads.types import ColumnType, Mapping, OutcomesJoin, RawTable, SuccessKind, SuccessRule
from models.text_match import fold

# The roles, as Mapping fields: a column holding one of them is read as that standard column.
ROLES: tuple[str, ...] = ("id", "outcome", "revenue", "created", "owner", "email")


def roles_of(mapping: Mapping, column: str) -> list[str]:
    """The roles `column` has, in the order of ROLES (empty for an attribute or an ignored
    column)."""
    return [role for role in ROLES if getattr(mapping, role) == column]


def assign_roles(mapping: Mapping, roles: dict[str, str]) -> None:
    """Give each column the roles `roles` (role → column) names for it, together.

    Each role is taken from the column that had it, which stays in the data as an attribute
    (unless it has another role still). A named column loses every role not named for it
    here, leaves `ignored` and has no attribute type."""
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ValueError(f"not a role: {', '.join(unknown)} (the roles: {', '.join(ROLES)})")
    named = set(roles.values())
    for role in ROLES:
        if role not in roles and getattr(mapping, role) in named:
            setattr(mapping, role, None)  # a column has one role, unless given several together
    for role, column in roles.items():
        setattr(mapping, role, column)
    for column in named:
        mapping.types.pop(column, None)
        if column in mapping.ignored:
            mapping.ignored.remove(column)


def make_attribute(mapping: Mapping, column: str, column_type: ColumnType | None = None) -> None:
    """Make `column` an attribute: no role, not ignored; of `column_type`, or (None) of the type
    recorded for it, else the inferred one."""
    for role in roles_of(mapping, column):
        setattr(mapping, role, None)
    if column in mapping.ignored:
        mapping.ignored.remove(column)
    if column_type is not None:
        mapping.types[column] = column_type


def ignore_column(mapping: Mapping, column: str) -> None:
    """Leave `column` out of the lead data: no role, no type."""
    for role in roles_of(mapping, column):
        setattr(mapping, role, None)
    mapping.types.pop(column, None)
    if column not in mapping.ignored:
        mapping.ignored.append(column)


def set_success(mapping: Mapping, rule: SuccessRule) -> None:
    """What counts as success (a copy of `rule` is kept).

    A value among the successes is dropped from the failures (compared trimmed and ignoring
    case, as the import compares values). With MATCHED, success is a row in the outcomes
    file: the outcome column, if one was chosen, stays in the data as an attribute."""
    rule = dataclasses.replace(rule, values=list(rule.values), failures=list(rule.failures), stages=list(rule.stages))
    if rule.kind == SuccessKind.VALUES:
        successes = {_folded(v) for v in rule.values}
        rule.failures = [f for f in rule.failures if _folded(f) not in successes]
    if rule.kind == SuccessKind.MATCHED:
        mapping.outcome = None
    mapping.success = rule


def join_outcomes(mapping: Mapping, join: OutcomesJoin) -> None:
    """Join the outcomes file on `join`. With no ID column chosen, the lead file's join
    column becomes the ID, keeping any role it has (e.g. the e-mail)."""
    mapping.join = join
    if mapping.id is None:
        column = join.lead_column
        assign_roles(mapping, dict.fromkeys(["id", *roles_of(mapping, column)], column))


def attribute_type(mapping: Mapping, raw: RawTable, column: str) -> ColumnType:
    """The type `column` of `raw` has as an attribute: the one recorded, else the one the import
    infers from its values (for a column that has a role or is ignored: the type it would
    have if it lost them)."""
    from models.leads.mapping import infer_type  # pyarrow.compute: only once a file is read

    recorded = mapping.types.get(column)
    return recorded if recorded is not None else infer_type(raw.table.column(column), mapping.placeholders, column)


def _folded(value: str) -> str:
    return fold(value)
