"""What an export is made of, gathered once from the open workshop (no Qt).

    content = ExportContent.from_document(document)
    write_pdf(content, "definitions.pdf")          export/pdf.py
    write_workbook(content, "scoring.xlsx")         export/workbook.py
    write_json(content, "definitions.json")        export/json_export.py

The exporters read only this object: the definitions, the revision (label, status, signers,
content hash), the threshold check when the revision has leads, and the data's provenance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from models.definitions import Definitions, now_utc
from models.definitions_json import RevisionBlock
from models.leads.types import Cancelled

if TYPE_CHECKING:
    from models.check import ThresholdCheck
    from models.document import Document
    from models.store import LeadsInfo

PAPERS = ("a4", "letter")
DEFAULT_MAX_LEADS = 10_000  # leads written to the workbook's Lead Scorer sheet


class ExportCancelled(Cancelled):
    """The user cancelled an export; no file was written (a Cancelled, as every long task's)."""


@dataclass
class ExportContent:
    defs: Definitions
    revision: RevisionBlock
    file_name: str
    check: ThresholdCheck | None = None
    leads_info: LeadsInfo | None = None
    generated_at: dt.datetime = field(default_factory=now_utc)
    # Changes since the previous revision (the comparison of issue 6), when there is one:
    # a list of (section, item, what changed) lines, or None.
    changes: list[tuple[str, str, str]] | None = None
    previous_label: str | None = None

    @property
    def signed(self) -> bool:
        return self.revision.status == "signed"

    @property
    def title(self) -> str:
        team = self.defs.team
        return team.workshop_name or "Sales and marketing alignment"

    @classmethod
    def from_document(cls, document: Document, with_check: bool = True) -> ExportContent:
        from models.compare import SECTION_NAMES, compare

        check = document.threshold_check() if with_check else None
        content = cls(
            defs=document.defs.model_copy(deep=True),
            revision=document.revision_block(),
            file_name=document.path.name,
            check=check,
            leads_info=document.leads_info(),
        )
        revisions = document.file.revisions()
        ids = [r.id for r in revisions]
        position = ids.index(document.revision.id) if document.revision.id in ids else 0
        if position > 0:  # the revision before this one: what changed since
            previous = revisions[position - 1]
            changes = compare(document.file.load_definitions(previous.id), document.defs)
            content.previous_label = previous.label
            content.changes = [(SECTION_NAMES.get(c.section, c.section), c.item, c.detail()) for c in changes]
        return content


Progress = Callable[[float, str], None]


def report(progress: Any, fraction: float, message: str) -> None:
    """Report to a models.leads.types.Progress, raising ExportCancelled on Cancel."""
    if progress is None:
        return
    if progress.cancelled():
        raise ExportCancelled()
    progress.report(fraction, message)
