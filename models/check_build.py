"""How a revision's threshold check comes to be and keeps up with the room (numpy, no Qt).

    check = build_check(leads, defs, progress)        prepare the columns, score, sweep
    check = load_check(file, revision_id, defs, ...)  the same from the leads stored in the file
    sync(check, defs)                                 after an edit: re-score what changed

Building is the long part (loading the Parquet, preparing the columns, scoring every rule,
sweeping every threshold); it reports to a `Progress` and stops at the next check once the
user cancels, so the app runs it off the GUI thread and the command line runs it inline.
Keeping up is short: `sync` re-scores only the rules that changed. There is one live check
per open workshop, kept by its owner (the app's check keeper, or a command of the CLI);
exports take a frozen `models.check_report.CheckReport` of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from models.check import ThresholdCheck
from models.definitions import Definitions
from models.lead_frame import LeadFrame
from models.leads.importer import SubProgress
from models.leads.types import NullProgress, Progress, check

if TYPE_CHECKING:
    from models.leads.types import LeadData
    from models.store import WorkshopFile


def build_check(leads: LeadData, defs: Definitions, progress: Progress | None = None) -> ThresholdCheck:
    """The threshold check of `leads` under `defs`, scored and swept (raises Cancelled when
    `progress` is cancelled)."""
    progress = progress or NullProgress()
    check(progress, 0.0, "Preparing the columns\u2026")
    frame = LeadFrame.from_lead_data(leads)
    built = ThresholdCheck(frame, defs, SubProgress(progress, 0.05, 0.95))
    check(progress, 0.95, "Sweeping every threshold\u2026")
    built.sweep  # noqa: B018 - computed here, where the building runs (off the GUI thread in the app)
    return built


def load_check(
    file: WorkshopFile, revision_id: int, defs: Definitions, progress: Progress | None = None
) -> ThresholdCheck | None:
    """The threshold check of the leads stored with revision `revision_id` (None when it has
    none), loaded through `file` and built as `build_check` does."""
    progress = progress or NullProgress()
    info = file.leads_info(revision_id)
    if info is None:
        return None
    check(progress, 0.0, f"Loading {info.rows:,} leads from the workshop\u2026")
    leads = file.load_leads(revision_id)
    if leads is None:
        return None
    return build_check(leads, defs, SubProgress(progress, 0.3, 1.0))


def sync(check: ThresholdCheck, defs: Definitions) -> bool:
    """Bring `check` up to `defs` after edits; True when any lead's score changed (a change of
    threshold, targets or weeks moves no score: the figures are looked up again)."""
    return check.update(defs)
