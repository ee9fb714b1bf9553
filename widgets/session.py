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
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.definitions import Definitions
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
    revisionChanged()   after revisionSwitched or signed: what pages that show the revision
                        and whether it can be edited refresh on
    refused(message)    an edit could not be made (locked revision, invalid value)
    goToStep(key)       a page sends the room to another step
    """

    edited = Signal(object)
    leadsReplaced = Signal()
    revisionSwitched = Signal()
    signed = Signal(bool)
    revisionChanged = Signal()
    refused = Signal(str)
    goToStep = Signal(str)

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        self.check = CheckKeeper(self)
        document.subscribe(self._on_document)
        self.check.reload()

    # -- reading -----------------------------------------------------------------
    @property
    def defs(self) -> Definitions:
        return self.document.defs

    @property
    def read_only(self) -> bool:
        return self.document.read_only

    # -- editing -----------------------------------------------------------------
    def do(self, edit: Edit) -> bool:
        """Apply, save and record an edit. Returns False (and emits `refused`) if refused."""
        try:
            self.document.apply(edit)
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
        except (RevisionLocked, EditError, ValueError) as exc:
            self.refused.emit(str(exc))

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

    # -- sign-off and revisions ---------------------------------------------------
    def sign(self, signer: str, statement: str = "") -> bool:
        try:
            return self.document.sign(signer, statement)
        except (RevisionLocked, ValueError) as exc:
            self.refused.emit(str(exc))
            return False

    def start_next_revision(self, label: str) -> bool:
        try:
            self.document.start_next_revision(label)
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
