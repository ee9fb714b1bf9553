"""The tables of the workshop file, as SQLModel classes: what a `.accord` file holds.

Layout (schema version `SCHEMA_VERSION` of `models.store.migration`, also in
`PRAGMA user_version`):

  meta              key/value: format, schema version, app version, creation time
  revision          label, status (draft/signed), creation and signing time, content hash
  signature         who signed which revision, when, with what statement and content hash
  team_targets, scoring_settings          one row per revision
  participant, funnel_stage, glossary_term, scoring_rule, score_band, shared_kpi,
  decision          ordered rows per revision (`position`)
  timebox           minutes per step per revision
  lead_dataset      (schema 2) one imported lead data set per revision: the typed lead table
                    as Parquet bytes (zstd) in a BLOB, with its mapping, quality summary,
                    notices, row and rejected counts and import time, as JSON and columns
  lead_source       (schema 2) provenance: the files each data set was read from (name,
                    size, SHA-256, format and what was detected), in order

Leads are not stored one SQL row per lead: 1M leads as Parquet take ~0.4 s to write and
~0.1 s to read back, against 14-138 s as rows (measured, see issue 3).

The definitions' tables are their pydantic models (`models.definitions`) with the keys of a
revision added, so a field added there is a column here. Changing a table changes the file
format: it needs a new schema version and a migration (`models.store.migration`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary
from sqlmodel import Field, SQLModel

from models.definitions import (
    COLLECTIONS,
    Decision,
    FunnelStage,
    GlossaryTerm,
    Participant,
    ScoreBand,
    ScoringRule,
    ScoringSettings,
    SharedKpi,
    TeamTargets,
)


class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Revision(SQLModel, table=True):
    __tablename__ = "revision"
    id: int | None = Field(default=None, primary_key=True)
    label: str
    status: str = "draft"  # draft | signed
    created_at: dt.datetime
    signed_at: dt.datetime | None = None
    content_hash: str | None = None
    based_on: int | None = None


class Signature(SQLModel, table=True):
    __tablename__ = "signature"
    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="revision.id", index=True)
    signer: str
    role: str = ""
    signed_at: dt.datetime
    statement: str = ""
    content_hash: str


class TeamTargetsRow(TeamTargets, table=True):
    __tablename__ = "team_targets"
    revision_id: int = Field(foreign_key="revision.id", primary_key=True)


class ScoringSettingsRow(ScoringSettings, table=True):
    __tablename__ = "scoring_settings"
    revision_id: int = Field(foreign_key="revision.id", primary_key=True)


class _RowKeys(SQLModel):
    row_id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="revision.id", index=True)
    position: int = 0


class ParticipantRow(Participant, _RowKeys, table=True):
    __tablename__ = "participant"


class FunnelStageRow(FunnelStage, _RowKeys, table=True):
    __tablename__ = "funnel_stage"


class GlossaryTermRow(GlossaryTerm, _RowKeys, table=True):
    __tablename__ = "glossary_term"


class ScoringRuleRow(ScoringRule, _RowKeys, table=True):
    __tablename__ = "scoring_rule"
    values: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ScoreBandRow(ScoreBand, _RowKeys, table=True):
    __tablename__ = "score_band"


class SharedKpiRow(SharedKpi, _RowKeys, table=True):
    __tablename__ = "shared_kpi"


class DecisionRow(Decision, _RowKeys, table=True):
    __tablename__ = "decision"


class Timebox(SQLModel, table=True):
    __tablename__ = "timebox"
    revision_id: int = Field(foreign_key="revision.id", primary_key=True)
    step: str = Field(primary_key=True)
    minutes: int


class LeadDataset(SQLModel, table=True):
    """One lead data set per revision (schema 2). The Parquet is read only by `load_leads`."""

    __tablename__ = "lead_dataset"
    revision_id: int = Field(foreign_key="revision.id", primary_key=True)
    parquet: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    quality: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    notices: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rejected: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    rejected_count: int = 0
    rows: int = 0
    imported_at: dt.datetime


class LeadSource(SQLModel, table=True):
    __tablename__ = "lead_source"
    id: int | None = Field(default=None, primary_key=True)
    revision_id: int = Field(foreign_key="revision.id", index=True)
    position: int = 0
    name: str
    size: int
    sha256: str
    format: str
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


LEAD_TABLES: tuple[type[SQLModel], ...] = (LeadDataset, LeadSource)
REJECTED_KEPT = 1000  # rejected rows kept in the file per data set (the count is always exact)

# The table of each collection of the definitions, by the collection's name.
ROW_TABLES: dict[str, type[_RowKeys]] = {
    "participants": ParticipantRow,
    "stages": FunnelStageRow,
    "terms": GlossaryTermRow,
    "rules": ScoringRuleRow,
    "bands": ScoreBandRow,
    "kpis": SharedKpiRow,
    "decisions": DecisionRow,
}
assert set(ROW_TABLES) == set(COLLECTIONS)

# Every table of the file (schema SCHEMA_VERSION), `meta` and `revision` first.
TABLES: tuple[type[SQLModel], ...] = (
    Meta,
    Revision,
    Signature,
    TeamTargetsRow,
    ScoringSettingsRow,
    *ROW_TABLES.values(),
    Timebox,
    *LEAD_TABLES,
)
