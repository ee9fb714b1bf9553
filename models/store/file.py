"""An open workshop file: `WorkshopFile` creates, opens and closes one, saves a revision's
definitions, lead data set, signatures and signing, and reads them back.

Every save is one transaction, so a crash leaves the previous state (SQLite's rollback
journal; see `connection` for why it is the journal it is). A file is created under a
temporary name and renamed into place, so it is never seen half-written. Opening checks the
file before anything is written (`check`), takes the write lock or else opens read-only,
saying why (`lock`), and brings an older schema up to date (`migration`). Every save first
checks that the file is still the one opened and as this writer left it (`guard`). Reads
use a short session of their own and give back plain records, never rows tied to a
session; a value the file holds that cannot be read is a `WorkshopDamaged` naming the file.
"""

from __future__ import annotations

import copy
import datetime as dt
import errno
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError as SAOperationalError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel, col, delete, select

from models.definitions import Definitions, now_utc
from models.store import definitions_rows, lead_rows
from models.store.atomic import TargetRefused, written_in_place_of
from models.store.check import APPLICATION_ID, check_workshop_file
from models.store.connection import open_engine
from models.store.errors import WorkshopDamaged, WorkshopFileError, WorkshopInUse
from models.store.guard import WriteGuard
from models.store.info import RevisionInfo, SignatureInfo
from models.store.lock import FileLock, held_by
from models.store.migration import LEADS_SCHEMA_VERSION, SCHEMA_VERSION, migrate
from models.store.tables import ROW_TABLES, Meta, Revision, ScoringSettingsRow, Signature, TeamTargetsRow
from models.version import app_version

_DISK_FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)

if TYPE_CHECKING:
    from models.leads.info import LeadsInfo
    from models.leads.types import LeadData, Mapping


class WorkshopFile:
    """An open workshop file. Use `create` or `open`; call `close` when done.

    Opened writable it holds the file's lock (`lock`) until closed. Opened read-only,
    `in_use_by` says who holds the lock when another window does, and `read_only_reason`
    says in one sentence why it is read-only when it was meant to be writable for any
    other reason (a read-only folder, a full disk)."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        read_only: bool,
        lock: FileLock | None,
        in_use_by: str | None = None,
        read_only_reason: str | None = None,
    ) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.in_use_by = in_use_by
        self.read_only_reason = read_only_reason
        self._lock = lock
        self._guard = WriteGuard(path, lock.fd) if lock is not None and lock.fd is not None else None
        self._writing = threading.Lock()  # one transaction at a time, its check and its record
        self.schema_version = SCHEMA_VERSION  # as on disk: older when opened read-only

    # -- life cycle --------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path | str,
        definitions: Definitions,
        label: str = "Draft 1",
        force: bool = False,
        leads: LeadData | None = None,
    ) -> WorkshopFile:
        """Write a new workshop with one draft revision (and `leads` as its lead data set),
        atomically, then open it. With `force` an existing file is replaced, unless another
        window holds it (`WorkshopInUse`)."""
        path = Path(path)
        name = path.name
        if path.exists() and not force:
            raise WorkshopFileError(f"{name} already exists (use --force to replace it).")
        if path.is_dir():
            raise WorkshopFileError(f"{name} is a folder.")
        if not path.parent.exists():
            raise WorkshopFileError(f"{name}: the folder {path.parent} does not exist.")
        if path.exists():
            holder = held_by(path)
            if holder is not None:
                raise WorkshopInUse(
                    f"{name} is in use by {holder}; close it there first (nothing was replaced).", holder
                )
        parquet = None
        if leads is not None:
            from models.leads import serialize

            parquet = serialize.encode(leads)  # before the file is begun: an import's work, once
        try:
            with written_in_place_of(path) as tmp:
                _write_new(tmp, definitions, label, leads, parquet)
        except TargetRefused as exc:
            raise WorkshopFileError(str(exc)) from exc
        except (sqlite3.Error, SQLAlchemyError, OSError) as exc:
            raise WorkshopFileError(f"{name} could not be created ({_cause(exc)}); nothing was written.") from exc
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> WorkshopFile:
        """Open an existing workshop. If another window holds it, open it read-only and
        say who holds it in `in_use_by`; if its lock cannot be taken for another reason,
        open it read-only and say why in `read_only_reason`."""
        path = Path(path)
        version = check_workshop_file(path)
        if not read_only:
            lock = FileLock(path)
            if lock.acquire():
                try:
                    if version < SCHEMA_VERSION:
                        migrate(path, version)
                    return cls(path, open_engine(path, read_only=False), False, lock)
                except BaseException:
                    lock.release()
                    raise
            opened = cls(path, open_engine(path, read_only=True), True, None, lock.in_use_by, lock.refusal)
        else:
            opened = cls(path, open_engine(path, read_only=True), True, None)
        opened.schema_version = version
        return opened

    def close(self) -> None:
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()  # after the engine: SQLite holds no lock of the file any more
            self._lock = None
            self._guard = None

    def __enter__(self) -> WorkshopFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed as a whole at the end, rolled back on any error.

        It begins by taking SQLite's write lock (`BEGIN IMMEDIATE`) and, holding it, checks
        that the file is still the one opened and as this writer left it (`guard`): a
        `WorkshopMovedOrChanged` otherwise, and nothing is written."""
        if self.read_only:
            raise WorkshopFileError(f"{self.path.name} is open read-only.")
        guard = self._guard
        if guard is None:
            raise WorkshopFileError(f"{self.path.name} was closed; open it again to save.")
        with self._writing, Session(self.engine) as s:
            try:
                guard.check()  # before connecting: SQLite cannot open a file that is gone
                s.connection().exec_driver_sql("BEGIN IMMEDIATE")
                guard.check()  # and again under the write lock, which no other SQLite passes
                yield s
                s.commit()
            except (sqlite3.OperationalError, SAOperationalError) as exc:  # disk full, etc.
                s.rollback()  # SQLAlchemy wraps the sqlite3 error: report the original
                raise WorkshopFileError(f"{self.path.name} could not be saved: {_cause(exc)}.") from exc
            except BaseException:
                s.rollback()
                raise
            guard.seen()

    def mark_read(self) -> None:
        """The file as it is now is what this writer has read: after a `WorkshopChanged`,
        once everything shown has been read from the file again, saving may go on. (A file
        moved or replaced must be opened again.)"""
        if self._guard is not None:
            with self._writing:
                self._guard.seen()

    def save_definitions(self, revision_id: int, definitions: Definitions) -> None:
        """Replace a draft revision's definitions, in one transaction."""
        with self.transaction() as s:
            _draft(s, revision_id)
            definitions_rows.replace_definitions(s, revision_id, definitions)

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
            _draft(s, revision_id)
            if section in ROW_TABLES:
                row = s.exec(select(table).where(table.revision_id == revision_id, table.uid == uid)).first()
            else:
                row = s.get(table, revision_id)
            if row is None:  # not where it should be: write the revision whole
                definitions_rows.replace_definitions(s, revision_id, definitions)
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
            definitions_rows.write_definitions(s, rev.id, definitions)
            if copy_leads_from is not None:
                lead_rows.copy_leads(s, copy_leads_from, rev.id)
            return rev.id

    def save_leads(self, revision_id: int, data: LeadData) -> None:
        """Store `data` as the lead data set of a draft revision, replacing any earlier one,
        in one transaction; also remembers its mapping for the next import."""
        from models.leads import serialize

        if self.read_only:
            raise WorkshopFileError(f"{self.path.name} is open read-only.")
        parquet = serialize.encode(data)  # before the write lock is taken; kept if done already
        with self.transaction() as s:
            _draft(s, revision_id)
            _store_leads(s, revision_id, data, parquet)

    def add_signature(self, revision_id: int, signature: SignatureInfo, lock: bool = False) -> None:
        """Record `signature` of a draft revision (replacing the signer's earlier one) and,
        with `lock`, sign and lock the revision with the signature's hash and time: in one
        transaction, so the revision is never signed by everyone yet still a draft."""
        with self.transaction() as s:
            rev = _draft(s, revision_id)
            s.exec(
                delete(Signature).where(
                    col(Signature.revision_id) == revision_id, col(Signature.signer) == signature.signer
                )
            )
            s.add(Signature(revision_id=revision_id, **signature.__dict__))
            if lock:
                _sign(s, rev, signature.content_hash, signature.signed_at)

    def lock_revision(self, revision_id: int, content_hash: str, signed_at: dt.datetime) -> None:
        with self.transaction() as s:
            rev = s.get(Revision, revision_id)
            if rev is None:
                raise WorkshopFileError(f"revision {revision_id} does not exist")
            _sign(s, rev, content_hash, signed_at)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as s:
            s.merge(Meta(key=key, value=value))

    # -- reading -----------------------------------------------------------------
    @contextmanager
    def _reading(self, what: str) -> Iterator[Session]:
        """A short session to read `what` (e.g. "the revisions"); anything in the file that
        cannot be read as it should (a missing table, text that is not UTF-8, a value that is
        not a date, a number or one of its choices) is a `WorkshopDamaged` naming the file."""
        try:
            with Session(self.engine) as s:
                yield s
        except WorkshopFileError:
            raise
        except (sqlite3.Error, SQLAlchemyError, LookupError, ValueError, TypeError, ArithmeticError) as exc:
            raise _unreadable(self.path.name, what, exc) from exc

    def meta(self, key: str) -> str | None:
        with self._reading("its settings") as s:
            row = s.get(Meta, key)
            return row.value if row else None

    def revisions(self) -> list[RevisionInfo]:
        with self._reading("its revisions") as s:
            rows = s.exec(select(Revision).order_by(col(Revision.id))).all()
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
        with self._reading(f"the signatures of revision {revision_id}") as s:
            rows = s.exec(
                select(Signature)
                .where(Signature.revision_id == revision_id)
                .order_by(col(Signature.signed_at), col(Signature.id))
            ).all()
            return [SignatureInfo(r.signer, r.role, r.signed_at, r.statement, r.content_hash) for r in rows]

    def _has_leads_tables(self) -> bool:
        return self.schema_version >= LEADS_SCHEMA_VERSION

    def load_leads(self, revision_id: int) -> LeadData | None:
        """The revision's lead data set, or None if it has none. The Parquet is read by
        pyarrow straight from the bytes SQLite returns (no further copy)."""
        info = self.leads_info(revision_id)
        if info is None:
            return None
        with self._reading(f"the leads of revision {revision_id}"):
            return lead_rows.read_lead_data(self.engine, info, self.path.name)

    def leads_info(self, revision_id: int) -> LeadsInfo | None:
        """Provenance, quality summary and mapping of the revision's lead data set, without
        loading its table; None if it has none (always None for a schema-1 file)."""
        if not self._has_leads_tables():
            return None
        with self._reading(f"the leads of revision {revision_id}") as s:
            return lead_rows.read_leads_info(s, revision_id, self.path.name)

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
        with self._reading(f"the definitions of revision {revision_id}") as s:
            data = definitions_rows.read_definitions(s, revision_id)
        if data is None:
            raise WorkshopDamaged(f"{self.path.name} is damaged: revision {revision_id} is incomplete.")
        try:
            return Definitions.model_validate(data)
        except ValueError as exc:
            raise WorkshopDamaged(
                f"{self.path.name} is damaged: revision {revision_id} holds invalid definitions ({_first_error(exc)})."
            ) from exc


def _write_new(path: Path, definitions: Definitions, label: str, leads: LeadData | None, parquet: bytes | None) -> None:
    """Write a new workshop into the empty file `path`: one draft revision, and its leads."""
    engine = open_engine(path, read_only=False)
    try:
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
            definitions_rows.write_definitions(s, rev.id, definitions)
            if leads is not None and parquet is not None:
                _store_leads(s, rev.id, leads, parquet)
            s.commit()
    finally:
        engine.dispose()
        path.with_name(path.name + "-journal").unlink(missing_ok=True)  # a failed write's, if any


def _store_leads(s: Session, revision_id: int, data: LeadData, parquet: bytes) -> None:
    """Make `data` (its table encoded as `parquet`) the revision's lead data set, and its
    mapping the one the next import starts from."""
    mapping = data.mapping.to_json()
    lead_rows.replace_leads(s, revision_id, data, parquet, mapping)
    s.merge(Meta(key="last_mapping", value=json.dumps(mapping, ensure_ascii=False)))


def _draft(s: Session, revision_id: int) -> Revision:
    """The revision about to be written, which must exist and be a draft: a signed one is
    read-only."""
    rev = s.get(Revision, revision_id)
    if rev is None:
        raise WorkshopFileError(f"revision {revision_id} does not exist")
    if rev.status == "signed":
        raise WorkshopFileError(f"revision {rev.label} is signed and read-only")
    return rev


def _sign(s: Session, rev: Revision, content_hash: str, signed_at: dt.datetime) -> None:
    rev.status = "signed"
    rev.content_hash = content_hash
    rev.signed_at = signed_at
    s.add(rev)


def _cause(exc: BaseException) -> str:
    """What SQLite or the OS said, in words (SQLAlchemy wraps the original error)."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, OSError) and orig.strerror:
        text = orig.strerror
    else:
        text = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    if "database or disk is full" in text or (isinstance(orig, OSError) and orig.errno in _DISK_FULL):
        return "the disk is full"
    return text.rstrip(".")


def _unreadable(name: str, what: str, exc: BaseException) -> WorkshopFileError:
    """A read that failed: the file is damaged, unless SQLite says it is busy or the disk failed."""
    text = _cause(exc)
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.OperationalError) and ("locked" in text or "busy" in text or "I/O" in text):
        return WorkshopFileError(f"{name}: {what} could not be read ({text}).")
    if isinstance(exc, LookupError) and "is not among the defined enum values" in text:
        text = text.split(". ")[0]  # SQLAlchemy lists every choice after this
    return WorkshopDamaged(f"{name} is damaged: {what} cannot be read ({text}).")


def _first_error(exc: ValueError) -> str:
    """A validation error's first problem, on one line: where, and what is wrong."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))
    return str(exc).splitlines()[0]
