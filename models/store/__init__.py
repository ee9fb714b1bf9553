"""The workshop file: one `.accord` SQLite database, written through SQLModel.

Layout (schema version `SCHEMA_VERSION`, also in `PRAGMA user_version`; Accord files carry
`PRAGMA application_id = APPLICATION_ID` so that any other SQLite file is refused):

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

Older schemas are migrated forward in place when a file is opened writable, after a
backup copy `<stem>.schema<N>-backup.accord` is written next to it; a read-only open of
an older file changes nothing and simply sees no leads.

Every save is one transaction, so a crash leaves the previous state (SQLite's rollback
journal; `journal_mode=DELETE` keeps the workshop a single file to e-mail). A file is
created under a temporary name and renamed into place, so it is never seen half-written.
Opening checks the file before anything is written: not SQLite, not Accord, corrupt, or a
newer schema each give a `WorkshopFileError` with one clear sentence, and change nothing.
A second writer is kept out by an OS lock on a sidecar `.lock` file; it opens read-only.
"""

from __future__ import annotations

__all__ = [
    "ADDED_COLUMNS",
    "APPLICATION_ID",
    "LEADS_SCHEMA_VERSION",
    "LEAD_TABLES",
    "REJECTED_KEPT",
    "ROW_TABLES",
    "SCHEMA_VERSION",
    "SQLITE_MAGIC",
    "DecisionRow",
    "FunnelStageRow",
    "GlossaryTermRow",
    "LeadDataset",
    "LeadSource",
    "LeadsInfo",
    "Meta",
    "ParticipantRow",
    "Revision",
    "RevisionInfo",
    "ScoreBandRow",
    "ScoringRuleRow",
    "ScoringSettingsRow",
    "SharedKpiRow",
    "Signature",
    "SignatureInfo",
    "TeamTargetsRow",
    "Timebox",
    "WorkshopFile",
    "WorkshopFileError",
    "backup_path",
    "check_workshop_file",
    "written_in_place_of",
]

import copy
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlmodel import Session, SQLModel, delete, select

from models.definitions import COLLECTIONS, Definitions, ScoringSettings, TeamTargets, now_utc
from models.leads.info import LeadsInfo
from models.store.atomic import written_in_place_of
from models.store.check import APPLICATION_ID, SQLITE_MAGIC, check_workshop_file
from models.store.connection import open_engine
from models.store.errors import WorkshopFileError
from models.store.info import RevisionInfo, SignatureInfo
from models.store.lock import FileLock
from models.store.migration import ADDED_COLUMNS, LEADS_SCHEMA_VERSION, SCHEMA_VERSION, backup_path, migrate
from models.store.tables import (
    LEAD_TABLES,
    REJECTED_KEPT,
    ROW_TABLES,
    DecisionRow,
    FunnelStageRow,
    GlossaryTermRow,
    LeadDataset,
    LeadSource,
    Meta,
    ParticipantRow,
    Revision,
    ScoreBandRow,
    ScoringRuleRow,
    ScoringSettingsRow,
    SharedKpiRow,
    Signature,
    TeamTargetsRow,
    Timebox,
)
from models.version import app_version

if TYPE_CHECKING:
    from models.leads.types import LeadData, Mapping


# --------------------------------------------------------------------------- the file
class WorkshopFile:
    """An open workshop file. Use `create` or `open`; call `close` when done."""

    def __init__(
        self, path: Path, engine: Engine, read_only: bool, lock: FileLock | None, in_use_by: str | None = None
    ) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.in_use_by = in_use_by
        self._lock = lock
        self.schema_version = SCHEMA_VERSION  # as on disk: older when opened read-only

    # -- life cycle --------------------------------------------------------------
    @classmethod
    def create(
        cls, path: Path | str, definitions: Definitions, label: str = "Draft 1", force: bool = False
    ) -> WorkshopFile:
        """Write a new workshop with one draft revision, atomically, then open it."""
        path = Path(path)
        if path.exists() and not force:
            raise WorkshopFileError(f"{path.name} already exists (use --force to replace it).")
        if path.is_dir():
            raise WorkshopFileError(f"{path.name} is a folder.")
        if not path.parent.exists():
            raise WorkshopFileError(f"{path.name}: the folder {path.parent} does not exist.")
        with written_in_place_of(path) as tmp:
            engine = open_engine(tmp, read_only=False)
            with engine.begin() as con:
                con.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
                con.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
            SQLModel.metadata.create_all(engine)
            now = now_utc()
            with Session(engine) as s:
                for key, value in (
                    ("format", "accord-workshop"),
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("app_version", app_version()),
                    ("created_at", now.isoformat()),
                ):
                    s.add(Meta(key=key, value=value))
                rev = Revision(label=label, created_at=now)
                s.add(rev)
                s.flush()
                assert rev.id is not None
                _write_definitions(s, rev.id, definitions)
                s.commit()
            engine.dispose()
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> WorkshopFile:
        """Open an existing workshop. If another window holds it, open it read-only and
        say who holds it in `in_use_by`."""
        path = Path(path)
        version = check_workshop_file(path)
        lock: FileLock | None = None
        in_use_by = None
        if not read_only:
            lock = FileLock(path)
            if not lock.acquire():
                in_use_by = lock.holder()
                lock = None
                read_only = True
            elif not os.access(path, os.W_OK):
                lock.release()
                lock = None
                read_only = True
        if not read_only and version < SCHEMA_VERSION:
            assert lock is not None
            try:
                migrate(path, version)
            except BaseException:
                lock.release()
                raise
            version = SCHEMA_VERSION
        opened = cls(path, open_engine(path, read_only), read_only, lock, in_use_by)
        opened.schema_version = version
        return opened

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> WorkshopFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed as a whole at the end, rolled back on any error."""
        if self.read_only:
            raise WorkshopFileError(f"{self.path.name} is open read-only.")
        with Session(self.engine) as s:
            try:
                yield s
                s.commit()
            except (sqlite3.OperationalError, SAOperationalError) as exc:  # disk full, etc.
                s.rollback()  # SQLAlchemy wraps the sqlite3 error: report the original
                raise WorkshopFileError(
                    f"{self.path.name} could not be saved: {getattr(exc, 'orig', None) or exc}."
                ) from exc
            except BaseException:
                s.rollback()
                raise

    def save_definitions(self, revision_id: int, definitions: Definitions) -> None:
        """Replace a draft revision's definitions, in one transaction."""
        with self.transaction() as s:
            rev = s.get(Revision, revision_id)
            if rev is None:
                raise WorkshopFileError(f"revision {revision_id} does not exist")
            if rev.status == "signed":
                raise WorkshopFileError(f"revision {rev.label} is signed and read-only")
            for table in (*ROW_TABLES.values(), TeamTargetsRow, ScoringSettingsRow, Timebox):
                s.exec(delete(table).where(table.revision_id == revision_id))  # type: ignore[attr-defined]
            _write_definitions(s, revision_id, definitions)

    def save_field(self, revision_id: int, definitions: Definitions, section: str, uid: str | None, field: str) -> None:
        """Save one changed field of a draft revision (the common edit: a few ms instead of
        rewriting the revision); anything else is saved whole by `save_definitions`."""
        table: Any = ROW_TABLES.get(section) or {"team": TeamTargetsRow, "scoring": ScoringSettingsRow}.get(section)
        if table is None:
            self.save_definitions(revision_id, definitions)
            return
        if section in ROW_TABLES:
            item = next((i for i in definitions.collection(section) if i.uid == uid), None)
        else:
            item = getattr(definitions, section)
        if item is None:
            raise WorkshopFileError(f"no {section} item {uid!r} to save")
        with self.transaction() as s:
            rev = s.get(Revision, revision_id)
            if rev is None:
                raise WorkshopFileError(f"revision {revision_id} does not exist")
            if rev.status == "signed":
                raise WorkshopFileError(f"revision {rev.label} is signed and read-only")
            if section in ROW_TABLES:
                row = s.exec(select(table).where(table.revision_id == revision_id, table.uid == uid)).first()
            else:
                row = s.get(table, revision_id)
            if row is None:  # not where it should be: write the revision whole
                for t in (*ROW_TABLES.values(), TeamTargetsRow, ScoringSettingsRow, Timebox):
                    s.exec(delete(t).where(t.revision_id == revision_id))  # type: ignore[attr-defined]
                _write_definitions(s, revision_id, definitions)
                return
            setattr(row, field, copy.deepcopy(getattr(item, field)))
            s.add(row)

    def add_revision(
        self, label: str, definitions: Definitions, based_on: int | None = None, copy_leads_from: int | None = None
    ) -> int:
        """Add a draft revision; with `copy_leads_from`, it starts with a copy of that
        revision's lead data set (copied inside SQLite, the Parquet never loaded)."""
        with self.transaction() as s:
            rev = Revision(label=label, created_at=now_utc(), based_on=based_on)
            s.add(rev)
            s.flush()
            assert rev.id is not None
            _write_definitions(s, rev.id, definitions)
            if copy_leads_from is not None:
                s.flush()
                con = s.connection()
                con.exec_driver_sql(
                    "INSERT INTO lead_dataset (revision_id, parquet, mapping, quality, notices, rejected, "
                    "rejected_count, rows, imported_at) SELECT ?, parquet, mapping, quality, notices, rejected, "
                    "rejected_count, rows, imported_at FROM lead_dataset WHERE revision_id = ?",
                    (rev.id, copy_leads_from),
                )
                con.exec_driver_sql(
                    "INSERT INTO lead_source (revision_id, position, name, size, sha256, format, detail) "
                    "SELECT ?, position, name, size, sha256, format, detail FROM lead_source "
                    "WHERE revision_id = ? ORDER BY position",
                    (rev.id, copy_leads_from),
                )
            return rev.id

    def save_leads(self, revision_id: int, data: LeadData) -> None:
        """Store `data` as the lead data set of a draft revision, replacing any earlier one,
        in one transaction; also remembers its mapping for the next import."""
        from models.leads import serialize

        if self.read_only:
            raise WorkshopFileError(f"{self.path.name} is open read-only.")
        parquet = serialize.encode(data)  # before the write lock is taken; kept if done already
        mapping = data.mapping.to_json()
        with self.transaction() as s:
            rev = s.get(Revision, revision_id)
            if rev is None:
                raise WorkshopFileError(f"revision {revision_id} does not exist")
            if rev.status == "signed":
                raise WorkshopFileError(f"revision {rev.label} is signed and read-only")
            s.exec(delete(LeadSource).where(LeadSource.revision_id == revision_id))  # type: ignore[arg-type]
            s.exec(delete(LeadDataset).where(LeadDataset.revision_id == revision_id))  # type: ignore[arg-type]
            s.add(
                LeadDataset(
                    revision_id=revision_id,
                    parquet=parquet,
                    mapping=mapping,
                    quality=serialize.quality_to_json(data.quality),
                    notices=list(data.notices),
                    rejected=[serialize.bad_row_to_json(b) for b in data.rejected[:REJECTED_KEPT]],
                    rejected_count=len(data.rejected),
                    rows=data.table.num_rows,
                    imported_at=data.imported_at or now_utc(),
                )
            )
            for position, source in enumerate(data.sources):
                s.add(
                    LeadSource(
                        revision_id=revision_id,
                        position=position,
                        name=source.name,
                        size=source.size,
                        sha256=source.sha256,
                        format=source.format,
                        detail=serialize.jsonable(source.detail),
                    )
                )
            s.merge(Meta(key="last_mapping", value=json.dumps(mapping, ensure_ascii=False)))

    def add_signature(self, revision_id: int, signature: SignatureInfo) -> None:
        with self.transaction() as s:
            s.exec(delete(Signature).where(Signature.revision_id == revision_id, Signature.signer == signature.signer))
            s.add(Signature(revision_id=revision_id, **signature.__dict__))

    def lock_revision(self, revision_id: int, content_hash: str, signed_at: dt.datetime) -> None:
        with self.transaction() as s:
            rev = s.get(Revision, revision_id)
            assert rev is not None
            rev.status = "signed"
            rev.content_hash = content_hash
            rev.signed_at = signed_at
            s.add(rev)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as s:
            s.merge(Meta(key=key, value=value))

    # -- reading -----------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(Meta, key)
            return row.value if row else None

    def revisions(self) -> list[RevisionInfo]:
        with Session(self.engine) as s:
            rows = s.exec(select(Revision).order_by(Revision.id)).all()
            return [
                RevisionInfo(r.id, r.label, r.status, r.created_at, r.signed_at, r.content_hash)
                for r in rows
                if r.id is not None
            ]

    def revision(self, revision_id: int) -> RevisionInfo:
        for info in self.revisions():
            if info.id == revision_id:
                return info
        raise WorkshopFileError(f"revision {revision_id} does not exist")

    def signatures(self, revision_id: int) -> list[SignatureInfo]:
        with Session(self.engine) as s:
            rows = s.exec(
                select(Signature)
                .where(Signature.revision_id == revision_id)
                .order_by(Signature.signed_at, Signature.id)
            ).all()
            return [SignatureInfo(r.signer, r.role, r.signed_at, r.statement, r.content_hash) for r in rows]

    def _has_leads_tables(self) -> bool:
        return self.schema_version >= LEADS_SCHEMA_VERSION

    def load_leads(self, revision_id: int) -> LeadData | None:
        """The revision's lead data set, or None if it has none. The Parquet is read by
        pyarrow straight from the bytes SQLite returns (no further copy)."""
        from models.leads import serialize

        info = self.leads_info(revision_id)
        if info is None:
            return None
        raw = self.engine.raw_connection()
        try:
            row = (
                raw.cursor()
                .execute("SELECT parquet FROM lead_dataset WHERE revision_id = ?", (revision_id,))
                .fetchone()
            )
        finally:
            raw.close()
        if row is None:  # pragma: no cover - removed between the two reads (single writer)
            return None
        try:
            table = serialize.parquet_to_table(row[0])
        except Exception as exc:  # noqa: BLE001 - any pyarrow error means a damaged data set
            raise WorkshopFileError(
                f"{self.path.name} is damaged: the leads of revision {revision_id} cannot be read ({exc})."
            ) from exc
        return serialize.lead_data(table, info)

    def leads_info(self, revision_id: int) -> LeadsInfo | None:
        """Provenance, quality summary and mapping of the revision's lead data set, without
        loading its table; None if it has none (always None for a schema-1 file)."""
        from sqlalchemy import func

        from models.leads import serialize

        if not self._has_leads_tables():
            return None
        with Session(self.engine) as s:
            cols = (
                LeadDataset.rows,
                LeadDataset.rejected_count,
                LeadDataset.imported_at,
                LeadDataset.mapping,
                LeadDataset.quality,
                LeadDataset.notices,
                LeadDataset.rejected,
                func.length(LeadDataset.parquet),
            )
            row = s.exec(select(*cols).where(LeadDataset.revision_id == revision_id)).first()  # type: ignore[call-overload]
            if row is None:
                return None
            sources = s.exec(
                select(LeadSource).where(LeadSource.revision_id == revision_id).order_by(LeadSource.position)
            ).all()  # type: ignore[arg-type]
            rows, rejected_count, imported_at, mapping, quality, notices, rejected, size = row
            try:
                return LeadsInfo(
                    revision_id=revision_id,
                    rows=rows,
                    rejected_count=rejected_count,
                    imported_at=_as_utc(imported_at),
                    mapping=serialize.mapping_from_json(mapping),
                    quality=serialize.quality_from_json(quality),
                    sources=[
                        serialize.source_from_row(src.name, src.size, src.sha256, src.format, src.detail)
                        for src in sources
                    ],
                    notices=list(notices),
                    rejected=[serialize.bad_row_from_json(b) for b in rejected],
                    parquet_bytes=size,
                )
            except (TypeError, ValueError, KeyError) as exc:
                raise WorkshopFileError(
                    f"{self.path.name} is damaged: the leads of revision {revision_id} "
                    f"have an unreadable description ({exc})."
                ) from exc

    def last_mapping(self) -> Mapping | None:
        """The mapping of the last import into this workshop, to start the next one from."""
        from models.leads import serialize

        text = self.meta("last_mapping")
        if not text:
            return None
        try:
            return serialize.mapping_from_json(json.loads(text))
        except (TypeError, ValueError, KeyError):
            return None  # an unreadable hint is no reason to fail: guess afresh

    def load_definitions(self, revision_id: int) -> Definitions:
        with Session(self.engine) as s:
            # Read as plain rows: a file of an older schema opened read-only lacks later columns.
            team = _settings_row(s, "team_targets", revision_id, TeamTargets)
            scoring = _settings_row(s, "scoring_settings", revision_id, ScoringSettings)
            if team is None or scoring is None:
                raise WorkshopFileError(f"{self.path.name} is damaged: revision {revision_id} is incomplete.")
            data: dict[str, Any] = {
                "team": team,
                "scoring": scoring,
                "timeboxes": {
                    t.step: t.minutes for t in s.exec(select(Timebox).where(Timebox.revision_id == revision_id)).all()
                },
            }
            for name, table in ROW_TABLES.items():
                rows = s.exec(
                    select(table)
                    .where(table.revision_id == revision_id)  # type: ignore[attr-defined]
                    .order_by(table.position)
                ).all()  # type: ignore[attr-defined]
                data[name] = [_fields(r, COLLECTIONS[name]) for r in rows]
        try:
            return Definitions.model_validate(data)
        except ValueError as exc:
            raise WorkshopFileError(
                f"{self.path.name} is damaged: revision {revision_id} holds invalid definitions ({exc})."
            ) from exc


def _as_utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _settings_row(s: Session, table: str, revision_id: int, model: type[SQLModel]) -> dict[str, Any] | None:
    """A one-row-per-revision table's row as field values, whichever later columns it lacks."""
    result = s.connection().exec_driver_sql(f"SELECT * FROM {table} WHERE revision_id = ?", (revision_id,))
    row = result.mappings().first()
    if row is None:
        return None
    return {name: row[name] for name in model.model_fields if name in row}


def _fields(row: SQLModel, model: type[SQLModel]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in model.model_fields}


def _write_definitions(s: Session, revision_id: int, d: Definitions) -> None:
    s.add(TeamTargetsRow(revision_id=revision_id, **d.team.model_dump()))
    s.add(ScoringSettingsRow(revision_id=revision_id, **d.scoring.model_dump()))
    for step, minutes in d.timeboxes.items():
        s.add(Timebox(revision_id=revision_id, step=step, minutes=minutes))
    for name, table in ROW_TABLES.items():
        for position, item in enumerate(d.collection(name)):
            s.add(table(revision_id=revision_id, position=position, **item.model_dump()))
