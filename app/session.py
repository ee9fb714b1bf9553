"""The open workshop as the Qt layer sees it: a Document, one undo stack, and signals.

Editors never change the definitions themselves: they call `session.do(edit)`. The edit is
applied and saved by the Document first; only if that succeeds is it pushed on the undo
stack (so a refused edit leaves no undo step). Undo and redo replay `edit.inverse()` and
`edit`. Consecutive changes of the same field within a moment merge into one undo step.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from models.document import Document, RevisionLocked
from models.edits import EditError, SetField, set_field

MERGE_WINDOW_S = 2.0
_SET_FIELD_ID = 1001


class EditCommand(QUndoCommand):
    def __init__(self, session: WorkshopSession, edit: Any) -> None:
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
        if not self.edit.merges_with(other.edit) or other.stamp - self.stamp > MERGE_WINDOW_S:
            return False
        self.edit = SetField(self.edit.section, self.edit.uid, self.edit.field, self.edit.old, other.edit.new)
        self.stamp = other.stamp
        # Typed back to where it started: no step is left to undo (Qt drops obsolete commands).
        self.setObsolete(self.edit.old == self.edit.new)
        return True


class WorkshopSession(QObject):
    """Signals: `edited(edit)` after any change to the definitions (also by undo/redo),
    `revisionChanged()` when the revision or its lock state changes, `refused(message)`
    when an edit cannot be made (locked revision, invalid value), `goToStep(key)` when a
    page sends the room to another step, `checkChanged()` when the threshold check's
    results changed."""

    edited = Signal(object)
    revisionChanged = Signal()
    refused = Signal(str)
    # A page asks the window to show another step (e.g. "import leads first").
    goToStep = Signal(str)
    # The threshold check was (re)built or re-scored: pages that show its results refresh.
    checkChanged = Signal()

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.undo_stack = QUndoStack(self)
        document.subscribe(self._on_document)

    # -- reading -----------------------------------------------------------------
    @property
    def defs(self) -> Any:
        return self.document.defs

    @property
    def read_only(self) -> bool:
        return self.document.read_only

    # -- editing -----------------------------------------------------------------
    def do(self, edit: Any) -> bool:
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

    def replay(self, edit: Any) -> None:
        try:
            self.document.apply(edit)
        except (RevisionLocked, EditError, ValueError) as exc:
            self.refused.emit(str(exc))

    def _on_document(self, what: Any) -> None:
        if what in ("locked", "revision"):
            self.undo_stack.clear()  # what was signed cannot be undone
            self.revisionChanged.emit()
        elif what == "signed":
            self.revisionChanged.emit()
        else:
            self.edited.emit(what)

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
        self.document.unsubscribe(self._on_document)
        self.document.close()
