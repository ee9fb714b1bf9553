"""A revision's definitions as rows of the workshop file: written, replaced whole, read back.

Each collection of the definitions (participants, stages, terms, rules, bands, KPIs,
decisions) has a table of its own with one row per item, in order (`position`); the team
targets and the scoring settings are one row per revision, the timeboxes one per step.
Every write of a revision's definitions goes through `write_definitions`.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select

from models.definitions import COLLECTIONS, Definitions, ScoringSettings, TeamTargets
from models.store.tables import ROW_TABLES, ScoringSettingsRow, TeamTargetsRow, Timebox

# Every table that holds a revision's definitions (not its signatures or its leads).
DEFINITION_TABLES: tuple[type[SQLModel], ...] = (*ROW_TABLES.values(), TeamTargetsRow, ScoringSettingsRow, Timebox)


def write_definitions(s: Session, revision_id: int, d: Definitions) -> None:
    """Add the rows of `d` to the session as revision `revision_id`'s definitions."""
    s.add(TeamTargetsRow(revision_id=revision_id, **d.team.model_dump()))
    s.add(ScoringSettingsRow(revision_id=revision_id, **d.scoring.model_dump()))
    for step, minutes in d.timeboxes.items():
        s.add(Timebox(revision_id=revision_id, step=step, minutes=minutes))
    for name, table in ROW_TABLES.items():
        for position, item in enumerate(d.collection(name)):
            s.add(table(revision_id=revision_id, position=position, **item.model_dump()))


def replace_definitions(s: Session, revision_id: int, d: Definitions) -> None:
    """Replace revision `revision_id`'s definitions whole: delete its rows, write `d`'s."""
    for table in DEFINITION_TABLES:
        s.exec(delete(table).filter_by(revision_id=revision_id))
    write_definitions(s, revision_id, d)


def read_definitions(s: Session, revision_id: int) -> dict[str, Any] | None:
    """Revision `revision_id`'s definitions as field values, to validate as `Definitions`;
    None if it lacks its team targets or scoring settings."""
    # Read as plain rows: a file of an older schema opened read-only lacks later columns.
    team = _settings_row(s, "team_targets", revision_id, TeamTargets)
    scoring = _settings_row(s, "scoring_settings", revision_id, ScoringSettings)
    if team is None or scoring is None:
        return None
    data: dict[str, Any] = {
        "team": team,
        "scoring": scoring,
        "timeboxes": {
            t.step: t.minutes for t in s.exec(select(Timebox).where(Timebox.revision_id == revision_id)).all()
        },
    }
    for name, table in ROW_TABLES.items():
        rows = s.exec(select(table).where(col(table.revision_id) == revision_id).order_by(col(table.position))).all()
        data[name] = [_fields(r, COLLECTIONS[name]) for r in rows]
    return data


def _settings_row(s: Session, table: str, revision_id: int, model: type[SQLModel]) -> dict[str, Any] | None:
    """A one-row-per-revision table's row as field values, whichever later columns it lacks."""
    result = s.connection().exec_driver_sql(f"SELECT * FROM {table} WHERE revision_id = ?", (revision_id,))
    row = result.mappings().first()
    if row is None:
        return None
    return {name: row[name] for name in model.model_fields if name in row}


def _fields(row: SQLModel, model: type[SQLModel]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in model.model_fields}
