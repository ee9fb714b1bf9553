"""Applying a mapping: a RawTable (text) becomes LeadData (typed leads + quality summary).

Everything is vectorised (pyarrow.compute, numpy); Python loops run over columns, over the
distinct values of category-like columns, and over the rejected cells only. The columns are
cleaned side by side on a small thread pool; with `encode=True` (an import) the Parquet for the
workshop file is made while the quality summary is computed.

    apply_mapping(raw, mapping, outcomes=None, progress=NullProgress()) → LeadData

Rows with a bad cell (a non-number in a number column, an impossible date, an outcome that is
neither success nor failure...) are left out of the table and listed in `LeadData.rejected`
together with the reader's bad rows; the caller asks whether to import the valid rows.

This module puts the work in order and on threads; cleaning a column by its type is in
`clean_columns`, what counts as success in `outcome`, the rows left out and the quality
summary in `quality`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.leads.clean_columns import ColumnCleaner
from models.leads.mapping import infer_type
from models.leads.outcome import Outcome, read_outcome
from models.leads.quality import lead_data
from models.leads.serialize import table_to_parquet
from models.leads.types import (
    CREATED,
    EMAIL,
    ID,
    OUTCOME,
    OWNER,
    REVENUE,
    ColumnType,
    LeadData,
    LeadFileError,
    Mapping,
    NullProgress,
    Progress,
    RawTable,
    check,
)
from models.leads.values import count_duplicates

# The columns are cleaned on a few threads: pyarrow and numpy release the GIL.
_WORKERS = max(1, min(4, os.cpu_count() or 1))

# A cleaned column (None: not read), the notices and the merged spellings its task reported.
ColumnResult = tuple[pa.Array | None, list[str], dict[str, list[list[str]]]]


def apply_mapping(
    raw: RawTable,
    mapping: Mapping,
    outcomes: RawTable | None = None,
    progress: Progress = NullProgress(),
    *,
    encode: bool = False,
) -> LeadData:
    """Type, clean and check `raw` according to `mapping` (see the module docstring).

    `encode`: also compute the table's Parquet for the workshop file (`LeadData.parquet`),
    side by side with the quality summary (an import is stored right after).

    Raises LeadFileError when the mapping names a column the file does not have, and
    Cancelled (having changed nothing) when the user cancels."""
    columns = ColumnCleaner(raw, mapping, outcomes)
    roles = {
        "the ID": mapping.id,
        "the outcome": mapping.outcome,
        "the created date": mapping.created,
        "the owner": mapping.owner,
        "the e-mail": mapping.email,
    }
    for role, name in roles.items():
        columns.require(name, role)
    revenue_in_outcomes = bool(
        mapping.revenue
        and mapping.revenue not in raw.columns
        and outcomes is not None
        and mapping.revenue in outcomes.columns
    )
    if mapping.revenue and not revenue_in_outcomes:
        columns.require(mapping.revenue, "revenue")
    used = {
        c for c in (mapping.id, mapping.outcome, mapping.revenue, mapping.created, mapping.owner, mapping.email) if c
    }
    ignored = set(mapping.ignored)
    attributes = [c for c in raw.columns if c not in used and c not in ignored]
    types = {c: mapping.types.get(c) or infer_type(raw.table.column(c), mapping.placeholders, c) for c in attributes}
    number_columns = [(raw, c) for c in attributes if types[c] == ColumnType.NUMBER]
    if mapping.revenue:
        revenue_table = outcomes if revenue_in_outcomes and outcomes is not None else raw
        number_columns.append((revenue_table, mapping.revenue))

    results, outcome = _clean_columns(columns, attributes, types, number_columns, revenue_in_outcomes, progress)
    table = _table(columns, attributes, results)
    check(progress, 1.0, "Checking the rows")

    bad = columns.rejections.mask
    if bad.any():
        table = table.filter(pa.array(~bad))
    # The Parquet for the workshop file (when asked) and the two exact duplicate counts,
    # side by side, while this thread lists the bad rows.
    pool = ThreadPoolExecutor(max_workers=2)
    try:
        parquet = pool.submit(table_to_parquet, table) if encode else None
        # Compared trimmed (and e-mails case-insensitively); stored as in the file.
        duplicate_ids = pool.submit(
            lambda: count_duplicates(pc.utf8_trim_whitespace(table.column(ID))) if mapping.id else 0
        )
        duplicate_emails = pool.submit(
            lambda: (
                count_duplicates(pc.utf8_lower(pc.utf8_trim_whitespace(table.column(EMAIL)))) if mapping.email else 0
            )
        )
        return lead_data(columns, table, bad, outcome.unmatched, parquet, duplicate_ids, duplicate_emails)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _clean_columns(
    columns: ColumnCleaner,
    attributes: list[str],
    types: dict[str, ColumnType],
    number_columns: list[tuple[RawTable, str]],
    revenue_in_outcomes: bool,
    progress: Progress,
) -> tuple[dict[int, ColumnResult], Outcome]:
    """Every column cleaned, by its place in the output (0 ID, 1 outcome, 2 revenue, 3 created,
    4 owner, 5 e-mail, 6... the attributes), and the outcome."""
    raw, mapping = columns.raw, columns.mapping
    steps = 6 + len(attributes)
    done = 0

    def step(message: str) -> None:
        nonlocal done
        check(progress, done / steps, message)
        done += 1

    def convert(name: str) -> pa.Array:
        kind = types[name]
        if kind == ColumnType.NUMBER:
            return columns.number(name)
        if kind == ColumnType.DATE:
            return columns.date(name)
        if kind == ColumnType.YESNO:
            return columns.yes_no(name)
        if kind == ColumnType.CATEGORY:
            return columns.category(name).dictionary()
        return columns.text(name)

    def owner() -> pa.Array:
        assert mapping.owner is not None
        return pc.cast(columns.category(mapping.owner).dictionary(), pa.string())

    # Every column but the outcome on the pool (the standard ones first: they are the
    # longest); meanwhile, on this thread, the decimal comma is decided (the number columns
    # wait for it) and then the outcome is read (its errors come first, as before).
    # The keys are the columns' places in the output (0 ID, 1 outcome, 2 revenue, ...).
    tasks: list[tuple[int, str, Callable[[], pa.Array | None]]] = []
    if mapping.id:
        id_column = mapping.id
        tasks.append((0, "Read the IDs", lambda: columns.text(id_column)))
    if mapping.revenue and not revenue_in_outcomes:
        revenue_column = mapping.revenue
        tasks.append((2, "Read revenue", lambda: columns.number(revenue_column)))
    if mapping.created:
        created_column = mapping.created
        tasks.append((3, "Read the created dates", lambda: columns.date(created_column)))
    if mapping.owner:
        tasks.append((4, "Read the owners", owner))
    if mapping.email:
        email_column = mapping.email
        tasks.append((5, "Read the e-mails", lambda: columns.text(email_column)))
    for position, name in enumerate(attributes):
        tasks.append((6 + position, f"Read \u201c{name}\u201d", partial(convert, name)))
    numeric = {2} | {6 + position for position, name in enumerate(attributes) if types[name] == ColumnType.NUMBER}
    results: dict[int, ColumnResult] = {}
    with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
        futures: dict[Future[ColumnResult], tuple[int, str]] = {}
        try:
            for key, message, work in tasks:
                if key not in numeric:
                    futures[pool.submit(columns.in_task, key, work)] = (key, message)
            columns.decimal_comma = columns.decide_decimal_comma(number_columns)
            for key, message, work in tasks:
                if key in numeric:
                    futures[pool.submit(columns.in_task, key, work)] = (key, message)
            step("Reading the outcome")
            outcome, notices, merged_here = columns.in_task(1, partial(read_outcome, columns))
            results[1] = (outcome.success, notices, merged_here)
            if revenue_in_outcomes:
                revenue = outcome.revenue
                if revenue is None:  # the outcome does not come from the join: no lookup made
                    raise LeadFileError(
                        f"{raw.source.name}: revenue \u201c{mapping.revenue}\u201d is "
                        "only in the outcomes file, which is not joined"
                    )
                results[2] = (revenue, [], {})
            for _ in range(6 - len(tasks) + len(attributes) - 1):  # the standard columns not mapped
                step("Reading the columns")
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    key, message = futures[future]
                    results[key] = future.result()
                    step(message)
        except BaseException:
            for future in futures:
                future.cancel()
            raise
    return results, outcome


def _table(columns: ColumnCleaner, attributes: list[str], results: dict[int, ColumnResult]) -> pa.Table:
    """The cleaned columns as one table: the standard ones first (an ID made of the line
    numbers when none is mapped), then the attributes (renamed when one has a standard name);
    their notices and merged spellings in column order, whichever thread finished first."""
    raw, mapping = columns.raw, columns.mapping
    out: list[tuple[str, pa.Array]] = []
    if not mapping.id:
        out.append((ID, pa.array(np.asarray(raw.line_numbers, dtype=np.int64)).cast(pa.string())))
    merged: dict[str, list[list[str]]] = {}
    for key in sorted(results):
        column, notices, merged_here = results[key]
        columns.notices.extend(notices)
        merged.update(merged_here)
        if key < 6:
            out.append(([ID, OUTCOME, REVENUE, CREATED, OWNER, EMAIL][key], column))
    out.sort(key=lambda item: [ID, OUTCOME, REVENUE, CREATED, OWNER, EMAIL].index(item[0]))
    standard = {name for name, _ in out}
    for position, name in enumerate(attributes):
        label = name
        while label in standard:
            label = f"{label} (attribute)"
        standard.add(label)
        out.append((label, results[6 + position][0]))
    columns.merged = merged  # in column order, whichever thread finished first
    return pa.table(dict(out))
