"""One import of historical leads, start to finish, without touching the workshop:

    read the lead file (and the outcomes file) ─▶ guess the mapping if none is given
    ─▶ apply it ─▶ LeadData with its sources and import time

The caller (the step's worker thread, or `accord import-leads`) stores the result with
`Document.replace_leads` only when the whole import succeeded, so a failure or a Cancel
leaves the workshop as it was. Progress is split across the steps by their usual share of
the time (reading dominates).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from models.definitions import now_utc
from models.leads.types import (
    Cancelled,
    LeadData,
    Mapping,
    NullProgress,
    Progress,
    RawTable,
    SuccessKind,
    SuccessRule,
    check,
)

__all__ = ["import_leads", "SubProgress", "Cancelled"]

Adjust = Callable[[Mapping, RawTable, "RawTable | None"], Mapping]


class SubProgress:
    """The part [start, end) of a parent Progress."""

    def __init__(self, parent: Progress, start: float, end: float) -> None:
        self.parent, self.start, self.end = parent, start, end

    def report(self, fraction: float, message: str = "") -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        self.parent.report(self.start + (self.end - self.start) * fraction, message)

    def cancelled(self) -> bool:
        return self.parent.cancelled()


def import_leads(
    path: Path | str,
    mapping: Mapping | None = None,
    outcomes_path: Path | str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    progress: Progress | None = None,
    *,
    previous: Mapping | None = None,
    adjust: Adjust | None = None,
) -> LeadData:
    """Read, map and clean a lead file (joined to an outcomes file when given).

    `mapping` None: guessed from the file (starting from `previous`, the workshop's last
    mapping); `adjust` may then change the guess (the command line's --id, --outcome ...).
    Raises LeadFileError for a file that cannot be imported and Cancelled on cancel."""
    from models.leads.clean import apply_mapping
    from models.leads.mapping import guess_join, guess_mapping
    from models.leads.read import read_file

    progress = progress or NullProgress()
    path = Path(path)
    has_outcomes = outcomes_path is not None
    read_end = 0.45 if has_outcomes else 0.6
    check(progress, 0.0, f"Reading {path.name}\u2026")
    raw = read_file(path, sheet=sheet, header_row=header_row, progress=SubProgress(progress, 0.0, read_end))
    outcomes: RawTable | None = None
    if outcomes_path is not None:
        outcomes_path = Path(outcomes_path)
        check(progress, read_end, f"Reading {outcomes_path.name}\u2026")
        outcomes = read_file(outcomes_path, progress=SubProgress(progress, read_end, 0.6))
    check(progress, 0.6, "Mapping columns\u2026")
    if mapping is None:
        mapping = guess_mapping(raw, previous=previous)
        if outcomes is not None and mapping.join is None:
            mapping.join = guess_join(raw, outcomes, mapping.id)
            if mapping.join is not None and mapping.outcome is None:
                mapping.success = SuccessRule(kind=SuccessKind.MATCHED, values=[], failures=[])
    if adjust is not None:
        mapping = adjust(mapping, raw, outcomes)
    if outcomes is None and mapping.join is not None:  # e.g. remembered from an import with outcomes
        mapping.join = None
        if mapping.success.kind == SuccessKind.MATCHED:
            mapping.success = SuccessRule()
    # The Parquet for the workshop file is computed here too, alongside the quality summary:
    # the import is stored right after (the table does not change from here on).
    data = apply_mapping(raw, mapping, outcomes=outcomes, progress=SubProgress(progress, 0.6, 0.99), encode=True)
    check(progress, 0.99, "Checking\u2026")
    # Every bad row, the reader's and the cleaner's, once, in file order.
    rejected = list(data.rejected)
    seen = set(rejected)
    for bad in raw.bad_rows + (outcomes.bad_rows if outcomes is not None else []):
        if bad not in seen:
            seen.add(bad)
            rejected.append(bad)
    if len(rejected) != len(data.rejected):
        order = {s.name: i for i, s in enumerate([raw.source] + ([outcomes.source] if outcomes else []))}
        rejected.sort(key=lambda b: (order.get(b.file, len(order)), b.line if b.line is not None else 0))
        data.rejected = rejected
    sources = [raw.source] + ([outcomes.source] if outcomes is not None else [])
    known = {(s.name, s.sha256) for s in data.sources}
    data.sources = list(data.sources) + [s for s in sources if (s.name, s.sha256) not in known]
    data.imported_at = data.imported_at or now_utc()
    progress.report(1.0, f"Read {data.quality.rows:,} leads")
    return data
