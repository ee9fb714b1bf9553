"""The open workshop as the Qt layer sees it: a Document, one undo stack, its threshold
check, and signals. Every page takes the session and shows it.

Editors never change the definitions themselves: they call `session.do(edit)`. The edit is
applied and saved by the Document first; only if that succeeds is it pushed on the undo
stack (so a refused edit leaves no undo step). Undo and redo replay `edit.inverse()` and
`edit`. Consecutive changes of the same field within a moment merge into one undo step.

The document's typed events become the session's signals; the threshold check keeper
(`session.check`) follows them before any page hears of them, so a page that reads the
check after an edit sees it re-scored.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.compare import Change, summary
from models.definitions import Definitions, now_utc
from models.document import (
    Document,
    DocumentEvent,
    Edited,
    LeadsReplaced,
    RevisionLocked,
    RevisionSwitched,
    Signed,
)
from models.edits import Edit, EditError, SetField, set_field
from models.store import WorkshopChanged, WorkshopFileError

if TYPE_CHECKING:
    from models.leads.types import LeadData
from widgets.check_keeper import CheckKeeper

MERGE_WINDOW_S = 2.0
_SET_FIELD_ID = 1001


class EditCommand(QUndoCommand):
    def __init__(self, session: WorkshopSession, edit: Edit) -> None:
        super().__init__(edit.describe())
        self.session = session
        self.edit = edit
        self._applied = True  # pushed after the document applied it
        self.stamp = time.monotonic()

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.stamp = float("-inf")  # a replayed step is closed: later edits never merge into it
        self.session.replay(self.edit)

    def undo(self) -> None:
        self.stamp = float("-inf")
        self.session.replay(self.edit.inverse())

    def id(self) -> int:
        return _SET_FIELD_ID if isinstance(self.edit, SetField) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditCommand) or not isinstance(self.edit, SetField):
            return False
        if not isinstance(other.edit, SetField) or not self.edit.merges_with(other.edit):
            return False
        if other.stamp - self.stamp > MERGE_WINDOW_S:
            return False
        self.edit = SetField(self.edit.section, self.edit.uid, self.edit.field, self.edit.old, other.edit.new)
        self.stamp = other.stamp
        # Typed back to where it started: no step is left to undo (Qt drops obsolete commands).
        self.setObsolete(self.edit.old == self.edit.new)
        return True


class WorkshopSession(QObject):
    """Signals, in the order a listener may rely on (the check keeper has followed first):

    edited(edit)        an edit of the definitions was applied and saved (also by undo/redo);
                        `edit` is a models.edits edit
    leadsReplaced()     the revision's lead data set was replaced
    revisionSwitched()  another revision is shown (its definitions, leads and lock state)
    signed(locked)      a signature was recorded; `locked` when the revision is now locked
    revisionChanged()   after revisionSwitched or signed, and when saving fails or works
                        again: what pages that show the revision and whether it can be
                        edited refresh on
    refused(message)    an edit could not be made (locked revision, invalid value)
    saveFailed(message) the file could not be written (moved, deleted, replaced, disk
                        full): the edit is undone and the session is read-only until
                        `retry_saving()` finds the file writable again
    savingAgain()       the file can be written again
    reloaded(message)   another program changed the file: the edit was not saved, the file
                        was read again (revisionSwitched has followed), and the message
                        says what changed
    goToStep(key)       a page sends the room to another step
    """

    edited = Signal(object)
    leadsReplaced = Signal()
    revisionSwitched = Signal()
    signed = Signal(bool)
    revisionChanged = Signal()
    refused = Signal(str)
    saveFailed = Signal(str)
    savingAgain = Signal()
    reloaded = Signal(str)
    goToStep = Signal(str)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        # Why the file cannot be written now (None: it can). Set by a failed save; cleared by
        # `retry_saving` once the file is back where it was and writable.
        self.save_failure: str | None = None
        self.check = CheckKeeper(self)
        document.subscribe(self._on_document)
        self.check.reload()

    # -- reading -----------------------------------------------------------------
    @property
    def defs(self) -> Definitions:
        return self.document.defs

    @property
    def read_only(self) -> bool:
        return self.document.read_only or self.save_failure is not None

    def why_read_only(self) -> str:
        """Why nothing can be edited now, in words for the room ("" when it can)."""
        if self.save_failure is not None:
            return (
                f"Not saved: {self.save_failure} The last change was undone, and the workshop is read-only "
                "until the file can be written again; File \u25b8 Save As saves it elsewhere."
            )
        return self.document.why_read_only()

    # -- editing -----------------------------------------------------------------
    def do(self, edit: Edit) -> bool:
        """Apply, save and record an edit. Returns False (and emits `refused`, or `saveFailed`
        when the file could not be written) if it was not made."""
        if self.save_failure is not None:
            self.refused.emit(self.why_read_only())
            return False
        try:
            self.document.apply(edit)
        except WorkshopFileError as exc:
            self._save_failed(exc)
            return False
        except (RevisionLocked, EditError, ValueError) as exc:
            self.refused.emit(str(exc))
            return False
        self.undo_stack.push(EditCommand(self, edit))
        return True

    def set(self, section: str, uid: str | None, field: str, value: Any) -> bool:
        """Set one field, if it really changes."""
        try:
            edit = set_field(self.defs, section, uid, field, value)
        except EditError as exc:
            self.refused.emit(str(exc))
            return False
        if edit.old == edit.new:
            return True
        return self.do(edit)

    def replay(self, edit: Edit) -> None:
        try:
            self.document.apply(edit)
        except WorkshopFileError as exc:
            # The undo stack has moved its index, the file has not: its steps no longer
            # describe what is stored, so they go.
            QTimer.singleShot(0, self.undo_stack.clear)
            self._save_failed(exc)
        except (RevisionLocked, EditError, ValueError) as exc:
            self.refused.emit(str(exc))

    # -- when the file cannot be written ------------------------------------------------
    def _save_failed(self, exc: WorkshopFileError) -> None:
        """A write failed: the document has put the definitions back as stored. Changed by
        another program: read it again and say what changed. Otherwise (moved, deleted,
        replaced, disk full): say so, and refuse edits until the file can be written again
        (the pages refresh to what is stored and stop editing)."""
        if isinstance(exc, WorkshopChanged):
            try:
                changes = self.document.reload()
            except WorkshopFileError as again:
                exc = again
            else:
                self.reloaded.emit(_reloaded_text(exc, changes))
                if self.save_failure is not None:  # it had failed before: it is writable again
                    self._saving_again()
                return
        self.save_failure = str(exc).strip()
        self.saveFailed.emit(self.why_read_only())
        self.revisionChanged.emit()

    def retry_saving(self) -> bool:
        """Whether the file can be written again: it is where it was opened, the same file,
        and a write goes through. If so the session is editable again (`savingAgain`)."""
        if self.save_failure is None:
            return True
        try:
            # A real write: every check of a save runs (the same file, where it was, unchanged
            # by others) and the disk must take it.
            self.document.file.set_meta("checked_writable_at", now_utc().isoformat())
        except WorkshopChanged as exc:
            self._save_failed(exc)  # read again: what it holds now is shown, and saving works
            return self.save_failure is None
        except WorkshopFileError as exc:
            self.save_failure = str(exc).strip()
            return False
        return self._saving_again()

    def _saving_again(self) -> bool:
        self.save_failure = None
        self.savingAgain.emit()
        self.revisionChanged.emit()
        return True

    def _on_document(self, event: DocumentEvent) -> None:
        match event:
            case Edited(edit):
                self.check.follow()
                self.edited.emit(edit)
            case LeadsReplaced(data):
                self.check.reload(data)
                self.leadsReplaced.emit()
            case RevisionSwitched():
                self.undo_stack.clear()  # another revision's edits cannot be undone here
                self.check.reload()
                self.revisionSwitched.emit()
                self.revisionChanged.emit()
            case Signed(locked):
                if locked:
                    self.undo_stack.clear()  # what was signed cannot be undone
                self.signed.emit(locked)
                self.revisionChanged.emit()

    def replace_leads(self, data: LeadData) -> str | None:
        """Store `data` as the revision's lead data set; None when done, else why not (and,
        when the file could not be written, the session is read-only as after a failed edit)."""
        if self.save_failure is not None:
            return self.why_read_only()
        try:
            self.document.replace_leads(data)
        except WorkshopFileError as exc:
            self._save_failed(exc)
            return str(exc)
        except (RevisionLocked, OSError, ValueError) as exc:
            return str(exc)
        return None

    # -- sign-off and revisions ---------------------------------------------------
    def sign(self, signer: str, statement: str = "") -> bool:
        if self.save_failure is not None:
            self.refused.emit(self.why_read_only())
            return False
        try:
            return self.document.sign(signer, statement)
        except WorkshopFileError as exc:
            self._save_failed(exc)
            return False
        except (RevisionLocked, ValueError) as exc:
            self.refused.emit(str(exc))
            return False

    def start_next_revision(self, label: str) -> bool:
        if self.save_failure is not None:
            self.refused.emit(self.why_read_only())
            return False
        try:
            self.document.start_next_revision(label)
        except WorkshopFileError as exc:
            self._save_failed(exc)
            return False
        except (RevisionLocked, ValueError) as exc:
            self.refused.emit(str(exc))
            return False
        return True

    def open_revision(self, revision_id: int) -> None:
        """Show another revision of the file (an earlier one is read-only)."""
        self.document.switch_revision(revision_id)

    def close(self) -> None:
        self.check.cancel()
        self.document.unsubscribe(self._on_document)
        self.document.close()


def _reloaded_text(exc: WorkshopFileError, changes: list[Change]) -> str:
    """What the room reads after the file was read again: why, and what changed."""
    if not changes:
        return f"{exc} It was read again; the definitions are as they were."
    shown = "; ".join(c.text() for c in changes[:3]) + ("; \u2026" if len(changes) > 3 else "")
    return f"{exc} It was read again, and what it holds now is shown: {summary(changes)} ({shown})."
