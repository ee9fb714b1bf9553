"""What an export is made of: a frozen report of the open workshop, taken on the thread that
edits it (no Qt).

    content = ExportContent.build(document, check)   on the GUI thread (or the CLI's)
    write_pdf(content, "definitions.pdf")            export/pdf.py, on any thread
    write_workbook(content, "scoring.xlsx")          export/workbook.py
    write_json(content, "definitions.json")          export/json_export.py

The exporters read only this object: a copy of the definitions, the revision (label, status,
signers, content hash), the threshold check's figures, tables, curves and histogram
(`models.check_report.CheckReport`), the first leads for the workbook's Lead Scorer sheet
(`LeadSample`), the data's provenance and the changes since the previous revision. None of it
is shared with the live workshop, so an edit made while a file is being written cannot
reach the file half-way: each file is consistent with the moment its content was taken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models.check_report import CheckReport, LeadSample
from models.definitions import Definitions, now_utc
from models.definitions_json import RevisionBlock
from models.leads.types import Cancelled
from models.scoring import rule_fields

if TYPE_CHECKING:
    from models.check import ThresholdCheck
    from models.document import Document
    from models.leads.info import LeadsInfo

PAPERS = ("a4", "letter")
DEFAULT_MAX_LEADS = 10_000  # leads written to the workbook's Lead Scorer sheet


class ExportCancelled(Cancelled):
    """The user cancelled an export; no file was written (a Cancelled, as every long task's)."""


@dataclass(frozen=True)
class ExportContent:
    defs: Definitions  # a private copy
    revision: RevisionBlock
    file_name: str
    check: CheckReport | None = None
    leads: LeadSample | None = None  # the leads written to the workbook's Lead Scorer sheet
    leads_info: LeadsInfo | None = None
    generated_at: dt.datetime = field(default_factory=now_utc)
    # Changes since the previous revision, when there is one: (section, item, what changed).
    changes: tuple[tuple[str, str, str], ...] | None = None
    previous_label: str | None = None

    @property
    def signed(self) -> bool:
        return self.revision.status == "signed"

    @property
    def title(self) -> str:
        team = self.defs.team
        return team.workshop_name or "Sales and marketing alignment"

    @classmethod
    def snapshot(
        cls,
        defs: Definitions,
        revision: RevisionBlock,
        file_name: str,
        check: ThresholdCheck | None = None,
        *,
        max_leads: int = DEFAULT_MAX_LEADS,
        leads_info: LeadsInfo | None = None,
        changes: tuple[tuple[str, str, str], ...] | None = None,
        previous_label: str | None = None,
    ) -> ExportContent:
        """Copy `defs` and take the report of `check` (brought up to `defs` first) and its first
        `max_leads` leads, now."""
        report = sample = None
        if check is not None:
            check.update(defs)
            report = CheckReport.of(check)
            sample = LeadSample.of(check.frame, rule_fields(defs), max_leads)
        return cls(
            defs=defs.copy_deep(),
            revision=revision.model_copy(deep=True),
            file_name=file_name,
            check=report,
            leads=sample,
            leads_info=leads_info,
            changes=changes,
            previous_label=previous_label,
        )

    @classmethod
    def build(
        cls, document: Document, check: ThresholdCheck | None, max_leads: int = DEFAULT_MAX_LEADS
    ) -> ExportContent:
        """The open revision as it is now, with `check` (its threshold check, or None to export
        without one)."""
        from models.compare import SECTION_NAMES, compare

        changes: tuple[tuple[str, str, str], ...] | None = None
        previous_label = None
        revisions = document.file.revisions()
        ids = [r.id for r in revisions]
        position = ids.index(document.revision.id) if document.revision.id in ids else 0
        if position > 0:  # the revision before this one: what changed since
            previous = revisions[position - 1]
            found = compare(document.file.load_definitions(previous.id), document.defs)
            previous_label = previous.label
            changes = tuple((SECTION_NAMES.get(c.section, c.section), c.item, c.detail()) for c in found)
        return cls.snapshot(
            document.defs,
            document.revision_block(),
            document.path.name,
            check,
            max_leads=max_leads,
            leads_info=document.leads_info(),
            changes=changes,
            previous_label=previous_label,
        )


Progress = Callable[[float, str], None]


def report(progress: Any, fraction: float, message: str) -> None:
    """Report to a models.leads.types.Progress, raising ExportCancelled on Cancel."""
    if progress is None:
        return
    if progress.cancelled():
        raise ExportCancelled()
    progress.report(fraction, message)
