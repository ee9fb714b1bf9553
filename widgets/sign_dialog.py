"""The dialog in which one signer signs the definitions as they are now.

It shows the content hash being signed and what the readiness checklist still has open; the
Sign button waits for the signer's confirmation. A signature counts only for the hash it
signed, so if the definitions change while the dialog is open it shows the new hash and asks
again rather than sign something the signer did not see.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.document import SignatureStatus
from models.palette import INK_SOFT
from widgets.hash_text import MONO, SHORT_HASH
from widgets.session import WorkshopSession


class SignDialog(QDialog):
    """Confirms one signer's signature of the definitions as they are now.

    Shows the content hash being signed; the Sign button stays disabled until the signer
    confirms. `confirm()` calls `sign(signer, statement)` and closes the dialog only if the
    signature was recorded; otherwise it says why and stays open.
    """

    def __init__(
        self,
        session: WorkshopSession,
        status: SignatureStatus,
        sign: Callable[[str, str], bool],
        open_checks: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.status = status
        self._sign = sign
        self.digest = session.document.content_hash()
        self.setWindowTitle(f"Sign as {status.signer}")
        self.setMinimumWidth(560)

        who = QLabel(
            f'<span style="font-size: x-large; font-weight: 600">{html.escape(status.signer)}</span>'
            + (f", {html.escape(status.role)}" if status.role else "")
        )
        who.setTextFormat(Qt.TextFormat.RichText)
        what = QLabel(
            f"You sign revision \u201c{html.escape(session.document.revision.label)}\u201d as it is now. "
            "When every signer has signed these same definitions, the revision is locked."
        )
        what.setWordWrap(True)
        what.setTextFormat(Qt.TextFormat.RichText)  # the label is escaped HTML
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(what)
        if status.signature is not None and not status.current:
            again = QLabel(
                "Your earlier signature was of a previous draft and no longer counts; "
                "signing now signs the current definitions."
            )
            again.setWordWrap(True)
            layout.addWidget(again)
        if open_checks:
            warning = QLabel("Not yet done on the checklist: " + "; ".join(open_checks) + ". You can still sign.")
            warning.setObjectName("banner")
            warning.setWordWrap(True)
            warning.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(warning)

        self.hash_label = QLabel()
        self.hash_label.setTextFormat(Qt.TextFormat.RichText)
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statement_edit = QLineEdit()
        self.statement_edit.setPlaceholderText("Optional, e.g. \u201cAgreed; revisit hot lead in Q1\u201d")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Content hash:", self.hash_label)
        form.addRow("Statement:", self.statement_edit)
        layout.addLayout(form)
        # "&&": a check box reads "&" as a keyboard shortcut marker.
        self.confirm_box = QCheckBox(
            f"I, {status.signer.replace('&', '&&')}, agree to these definitions and sign them."
        )
        layout.addWidget(self.confirm_box)
        self.error = QLabel()
        self.error.setObjectName("notice")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.sign_button = self.buttons.addButton("Sign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button.setEnabled(False)
        self.confirm_box.toggled.connect(self.sign_button.setEnabled)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        session.refused.connect(self._show_error)
        self._show_hash()

    def short_hash(self) -> str:
        return self.digest[:SHORT_HASH]

    def _show_hash(self) -> None:
        self.hash_label.setText(
            f'<span style="{MONO} font-weight: 700">{self.short_hash()}</span>'
            f'<span style="color: {INK_SOFT}">\u2026 (SHA-256 of the definitions as they are now)</span>'
        )

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def confirm(self) -> bool:
        """Sign, if confirmed and the definitions are still those shown. True if signed."""
        if not self.confirm_box.isChecked():
            return False
        now = self.session.document.content_hash()
        if now != self.digest:
            # Someone changed the definitions while the dialog was open: sign only what was shown.
            self.digest = now
            self._show_hash()
            self.confirm_box.setChecked(False)
            self._show_error(
                "The definitions changed while this was open. Check the new content hash, then confirm again."
            )
            return False
        self.error.hide()
        if not self._sign(self.status.signer, self.statement_edit.text()):
            if self.error.isHidden():
                self._show_error("The signature was not recorded.")
            return False
        self.accept()
        return True
