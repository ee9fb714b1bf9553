"""The signers of a revision as a table: who signs, in which role, whether their signature
is of the definitions as they are now, of an earlier draft, or missing, and their statement.

A signature records the content hash of the definitions as they were signed. An edit after
that makes it "an earlier draft": that signer signs again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from models.document import SignatureStatus
from models.palette import INK_SOFT
from widgets.decisions_panel import local_time_text
from widgets.hash_text import SHORT_HASH
from widgets.rows_model import RowsTableModel
from widgets.session import WorkshopSession
from widgets.value_filter import GREEN, RED


def state_text(status: SignatureStatus) -> str:
    if status.signature is None:
        return "not signed"
    if status.current:
        return f"signed {local_time_text(status.signature.signed_at)}"
    return "signed an earlier draft \u2014 sign again"


class SignersModel(RowsTableModel[SignatureStatus]):
    """The signers of the revision (participants marked as signing) and their signatures."""

    HEADERS = ("Signer", "Role", "State", "Statement")
    ROW_NUMBERS = True
    STATE_COLUMN = 2

    def __init__(self, session: WorkshopSession) -> None:
        super().__init__()
        self.session = session
        self.refresh()

    @property
    def statuses(self) -> Sequence[SignatureStatus]:
        return self.rows()

    def refresh(self) -> None:
        self.set_rows(self.session.document.signature_status())

    def status_at(self, row: int) -> SignatureStatus | None:
        return self.statuses[row] if 0 <= row < len(self.statuses) else None

    def row_of(self, signer: str) -> int:
        key = signer.strip().casefold()
        return next((row for row, s in enumerate(self.statuses) if s.signer.strip().casefold() == key), -1)

    def cell(self, status: SignatureStatus, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            sig = status.signature
            return (status.signer, status.role, state_text(status), sig.statement if sig is not None else "")[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE_COLUMN:
            colour = INK_SOFT if status.signature is None else (GREEN if status.current else RED)
            return QBrush(QColor(colour))
        if role == Qt.ItemDataRole.ToolTipRole and status.signature is not None:
            return f"Signed definitions with content hash {status.signature.content_hash[:SHORT_HASH]}"
        return None
