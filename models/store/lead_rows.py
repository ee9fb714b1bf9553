"""A revision's lead data set as rows of the workshop file: stored, copied to a new revision,
and read back, its description apart from its table.

The lead table is one Parquet BLOB (`LeadDataset.parquet`); its mapping, quality summary,
notices and rejected rows are JSON beside it and its source files are rows of
`lead_source`, so a step can show provenance and quality without loading the leads. The
conversions are `models.leads.serialize`'s, imported only inside the functions that need
them: it imports pyarrow, which opening a workshop without touching its leads should not load.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func
from sqlmodel import Session, col, delete, select

from models.definitions import now_utc
from models.leads.info import LeadsInfo
from models.store.errors import WorkshopDamaged
from models.store.tables import REJECTED_KEPT, LeadDataset, LeadSource

if TYPE_CHECKING:
    import pyarrow as pa

    from models.leads.types import LeadData


def replace_leads(s: Session, revision_id: int, data: LeadData, parquet: bytes, mapping: dict[str, Any]) -> None:
    """Make `data` revision `revision_id`'s lead data set, replacing any earlier one; its table
    is `parquet` and its mapping `mapping`, both encoded by the caller beforehand."""
    from models.leads import serialize

    s.exec(delete(LeadSource).where(col(LeadSource.revision_id) == revision_id))
    s.exec(delete(LeadDataset).where(col(LeadDataset.revision_id) == revision_id))
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


def copy_leads(s: Session, from_revision: int, to_revision: int) -> None:
    """Give revision `to_revision` a copy of `from_revision`'s lead data set, copied inside
    SQLite: the Parquet is never loaded."""
    s.flush()
    con = s.connection()
    con.exec_driver_sql(
        "INSERT INTO lead_dataset (revision_id, parquet, mapping, quality, notices, rejected, "
        "rejected_count, rows, imported_at) SELECT ?, parquet, mapping, quality, notices, rejected, "
        "rejected_count, rows, imported_at FROM lead_dataset WHERE revision_id = ?",
        (to_revision, from_revision),
    )
    con.exec_driver_sql(
        "INSERT INTO lead_source (revision_id, position, name, size, sha256, format, detail) "
        "SELECT ?, position, name, size, sha256, format, detail FROM lead_source "
        "WHERE revision_id = ? ORDER BY position",
        (to_revision, from_revision),
    )


def read_leads_info(s: Session, revision_id: int, file_name: str) -> LeadsInfo | None:
    """Everything about revision `revision_id`'s lead data set but its table (of which only
    the size is read); None if it has none. `file_name` names the file in errors."""
    from models.leads import serialize

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
    # select() is typed for up to four columns; these eight come back as one untyped row.
    row = s.exec(select(*cols).where(LeadDataset.revision_id == revision_id)).first()  # type: ignore[call-overload]
    if row is None:
        return None
    sources = s.exec(
        select(LeadSource).where(LeadSource.revision_id == revision_id).order_by(col(LeadSource.position))
    ).all()
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
                serialize.source_from_row(src.name, src.size, src.sha256, src.format, src.detail) for src in sources
            ],
            notices=list(notices),
            rejected=[serialize.bad_row_from_json(b) for b in rejected],
            parquet_bytes=size,
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise WorkshopDamaged(
            f"{file_name} is damaged: the leads of revision {revision_id} have an unreadable description ({exc})."
        ) from exc


def read_lead_data(engine: Engine, info: LeadsInfo, file_name: str) -> LeadData | None:
    """The lead data set `info` describes, its table read by pyarrow straight from the bytes
    SQLite returns (no further copy); None if it is gone. `file_name` names the file in errors."""
    from models.leads import serialize

    raw = engine.raw_connection()
    try:
        row = (
            raw.cursor()
            .execute("SELECT parquet FROM lead_dataset WHERE revision_id = ?", (info.revision_id,))
            .fetchone()
        )
    finally:
        raw.close()
    if row is None:  # pragma: no cover - removed between the two reads (single writer)
        return None
    try:
        table = serialize.parquet_to_table(row[0])
    except Exception as exc:  # noqa: BLE001 - any pyarrow error means a damaged data set
        raise WorkshopDamaged(
            f"{file_name} is damaged: the leads of revision {info.revision_id} cannot be read ({_first_line(exc)})."
        ) from exc
    problem = _table_problem(table, info)
    if problem is not None:
        raise WorkshopDamaged(f"{file_name} is damaged: the leads of revision {info.revision_id} {problem}.")
    return serialize.lead_data(table, info)


def _table_problem(table: pa.Table, info: LeadsInfo) -> str | None:
    """What is wrong with a lead table read back, as the end of a sentence; None if it is
    what the import writes: as many rows as were stored, a true/false outcome, and columns
    of numbers, dates, true/false or text only."""
    import pyarrow as pa

    from models.leads.types import OUTCOME, REVENUE

    names = table.column_names
    if OUTCOME not in names or not pa.types.is_boolean(table.schema.field(OUTCOME).type):
        return "have no true/false outcome column"
    if table.num_rows != info.rows:
        return f"hold {table.num_rows:,} row{'s' if table.num_rows != 1 else ''} where {info.rows:,} were stored"
    for field in table.schema:
        t = field.type
        if pa.types.is_dictionary(t):
            t = t.value_type
        plain = (
            pa.types.is_integer(t)
            or pa.types.is_floating(t)
            or pa.types.is_decimal(t)
            or pa.types.is_boolean(t)
            or pa.types.is_string(t)
            or pa.types.is_large_string(t)
            or pa.types.is_date(t)
            or pa.types.is_timestamp(t)
            or pa.types.is_null(t)
        )
        numeric = pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t)
        if not plain or (field.name == REVENUE and not numeric):
            return f"hold a column {field.name!r} of an unreadable kind ({field.type})"
    return None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _as_utc(value: dt.datetime) -> dt.datetime:
    """An import time as read back: SQLite keeps it without its zone, and it was stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
