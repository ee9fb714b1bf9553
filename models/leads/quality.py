"""The end of a cleaning: the rows left out (the reader's and the cleaner's, in file order),
the notices, and the quality summary the Leads step shows (rows, outcome rate, missing values,
duplicate IDs and e-mails, the date range, merged spellings, placeholders replaced, outcome
rows matching no lead), put together with the table into `LeadData`."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Future

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.leads.clean_columns import ColumnCleaner
from models.leads.types import CREATED, OUTCOME, LeadData, QualitySummary


def lead_data(
    columns: ColumnCleaner,
    table: pa.Table,
    bad: np.ndarray,
    unmatched: int,
    parquet: Future[bytes] | None,
    duplicate_ids: Future[int],
    duplicate_emails: Future[int],
) -> LeadData:
    """The cleaned `table` (its bad rows, `bad`, already left out) with everything found on
    the way; `unmatched`: outcome rows matching no lead; the futures: the table's Parquet
    (when asked) and the duplicate counts, computed meanwhile."""
    raw, mapping, outcomes = columns.raw, columns.mapping, columns.outcomes
    rejected = list(raw.bad_rows)
    if outcomes is not None:
        rejected += list(outcomes.bad_rows)
    rejected += columns.rejections.bad_rows()
    order = {raw.source.name: 0}
    rejected.sort(key=lambda b: (order.get(b.file, 1), b.line if b.line is not None else 0))
    if rejected:
        columns.notices.append(
            f"{len(rejected)} bad row{'s' if len(rejected) != 1 else ''} "
            f"({int(bad.sum())} of them in the table) left out."
        )
    if columns.replaced:
        columns.notices.append(
            f"{columns.replaced} placeholder value{'s' if columns.replaced != 1 else ''} "
            f"({', '.join(mapping.placeholders[:6])}...) treated as missing."
        )
    first = last = None
    if CREATED in table.column_names and table.num_rows:
        bounds = pc.min_max(table.column(CREATED)).as_py()
        first = bounds["min"].date() if bounds["min"] is not None else None
        last = bounds["max"].date() if bounds["max"] is not None else None
    quality = QualitySummary(
        rows=table.num_rows,
        positives=int(pc.sum(table.column(OUTCOME)).as_py() or 0),
        missing={name: table.column(name).null_count for name in table.column_names},
        duplicate_ids=duplicate_ids.result(),
        duplicate_emails=duplicate_emails.result(),
        first_date=first,
        last_date=last,
        merged_spellings=columns.merged,
        placeholders_replaced=columns.replaced,
        unmatched_outcomes=unmatched,
    )
    sources = [raw.source] + ([outcomes.source] if outcomes is not None else [])
    notices = list(raw.notices) + (list(outcomes.notices) if outcomes is not None else [])
    return LeadData(
        table=table,
        mapping=mapping,
        quality=quality,
        sources=sources,
        rejected=rejected,
        notices=notices + columns.notices,
        imported_at=dt.datetime.now(dt.UTC),
        parquet=parquet.result() if parquet is not None else None,
    )
