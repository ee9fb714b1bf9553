"""What a stored lead data set is, without its table: the record the workshop file gives back
so that a step can show provenance, quality and mapping without loading the leads.

It lives with the leads rather than with the store: `serialize` builds `LeadData` from it and
the store fills it in, so both depend on it and neither on the other. The lead types are
imported for type checking only: they import pyarrow, which opening a workshop without
touching its leads should not load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from models.leads.types import BadRow, Mapping, QualitySummary, SourceInfo


@dataclass(frozen=True)
class LeadsInfo:
    """What a stored lead data set is, without its table: provenance, quality, mapping."""

    revision_id: int
    rows: int
    rejected_count: int
    imported_at: dt.datetime
    mapping: Mapping
    quality: QualitySummary
    sources: list[SourceInfo]
    notices: list[str]
    rejected: list[BadRow]  # the first `models.store.REJECTED_KEPT`; `rejected_count` is exact
    parquet_bytes: int
