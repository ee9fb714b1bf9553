"""Opening a workshop file for a command: to change it (refused while a window holds it), or
one revision of it to read; and the revision a label names."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.errors import CliError
from models.document import Document
from models.store import WorkshopFile

if TYPE_CHECKING:
    from models.check import ThresholdCheck


def open_to_change(path: Path) -> Document:
    """The workshop's latest revision, the file locked for this command; refused, with who
    holds it, while the file is open in a window, and with the reason when its lock cannot
    be taken (a read-only folder, a full disk)."""
    document = Document.open(path)
    if document.file.in_use_by:
        document.close()
        raise CliError(f"{path.name} is in use by {document.file.in_use_by}; close it there first")
    if document.file.read_only_reason:
        reason = document.file.read_only_reason
        document.close()
        raise CliError(f"{reason.rstrip('.')}; nothing was changed")
    return document


def open_revision(path: Path, label: str | None) -> Document:
    """The revision `label` (None: the latest) of the workshop, read-only."""
    file = WorkshopFile.open(path, read_only=True)
    try:
        return Document(file) if label is None else Document(file, revision_id(file, label))
    except BaseException:
        file.close()
        raise


def revision_id(file: WorkshopFile, label: str) -> int:
    """The id of the revision labelled `label`, or one line listing the labels there are."""
    revisions = file.revisions()
    for rev in revisions:
        if rev.label == label:
            return rev.id
    raise CliError(f"{file.path.name} has no revision {label!r} (revisions: {', '.join(r.label for r in revisions)})")


def threshold_check(document: Document) -> ThresholdCheck:
    """The revision's threshold check on its historical leads; without leads, one line
    saying to import them first."""
    if document.leads_info() is None:
        name = document.path.name
        raise CliError(
            f"revision {document.revision.label} of {name} has no historical leads yet; "
            f"import them first: accord import-leads {name} LEADS.csv"
        )
    check = document.build_check()
    assert check is not None  # there are leads to check against
    return check
