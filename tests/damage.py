"""Workshop files damaged after they were written, each in one way, for the tests of how
the store and the command line report them (one sentence, never a traceback)."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def _parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


_SIGNATURE = (
    "INSERT INTO signature (revision_id, signer, role, signed_at, statement, content_hash) "
    "VALUES (1, 'Priya Raman', '', '2026-07-14 10:00:00.000000', '', 'x')"
)

# Each damage: SQL run on a copy of the demo workshop with its leads (and a signature).
DAMAGES: dict[str, list[str] | Callable[[sqlite3.Connection], object]] = {
    "parquet_garbage": ["UPDATE lead_dataset SET parquet = x'00010203'"],
    "parquet_of_another_table": lambda con: con.execute(
        "UPDATE lead_dataset SET parquet = ?", (_parquet(pa.table({"x": [1, 2]})),)
    ),
    "parquet_with_rows_missing": lambda con: con.execute(
        "UPDATE lead_dataset SET parquet = ?", (_parquet(pa.table({"id": ["a"], "outcome": [True]})),)
    ),
    "parquet_with_a_nested_column": lambda con: con.execute(
        "UPDATE lead_dataset SET parquet = ?, rows = 1",
        (_parquet(pa.table({"id": ["a"], "outcome": [True], "tags": [["x", "y"]]})),),
    ),
    "enum_of_a_participant": ["UPDATE participant SET team = 'BOGUS'"],
    "enum_of_a_rule": ["UPDATE scoring_rule SET kind = 'NEITHER'"],
    "utf8_in_a_stage": ["UPDATE funnel_stage SET name = CAST(x'fffe41' AS TEXT)"],
    "utf8_in_a_label": ["UPDATE revision SET label = CAST(x'c3' AS TEXT)"],
    "utf8_in_a_signer": [f"{_SIGNATURE}", "UPDATE signature SET signer = CAST(x'ff' AS TEXT)"],
    "timestamp_of_a_revision": ["UPDATE revision SET created_at = 'garbage'"],
    "timestamp_of_a_signature": [_SIGNATURE, "UPDATE signature SET signed_at = 'yesterday-ish'"],
    "timestamp_of_the_leads": ["UPDATE lead_dataset SET imported_at = '2026-13-45 99:99'"],
    "json_of_the_leads": ["UPDATE lead_dataset SET mapping = '{not json'"],
    "number_of_a_threshold": ["UPDATE scoring_settings SET threshold = 'high'"],
    "table_signature_dropped": ["DROP TABLE signature"],
    "table_funnel_stage_dropped": ["DROP TABLE funnel_stage"],
    "table_lead_source_dropped": ["DROP TABLE lead_source"],
}


def damage(workshop: Path, how: str) -> Path:
    """`workshop` renamed d.accord and damaged as DAMAGES[how] says."""
    path = workshop.with_name("d.accord")
    workshop.rename(path)
    con = sqlite3.connect(path)
    change = DAMAGES[how]
    if callable(change):
        change(con)
    else:
        for sql in change:
            con.execute(sql)
    con.commit()
    con.close()
    return path
