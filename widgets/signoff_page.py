"""Decisions and sign-off step: the readiness checklist, the signers and their signatures,
the decisions log and parking lot, and the lock.

A signature records the content hash of the definitions as they were signed. An edit after
that makes it "an earlier draft": that signer signs again. When every signer holds a
signature of the current definitions the revision is locked, and this page says so plainly,
with the full SHA-256 a printed copy can be checked against.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.document import SignatureStatus
from models.palette import INK_SOFT
from models.readiness import PENDING, ReadinessItem, readiness
from widgets.check_keeper import CheckState
from widgets.decisions_panel import DecisionsPanel, local_time_text
from widgets.rows_model import RowsTableModel
from widgets.session import WorkshopSession
from widgets.style import mark_primary
from widgets.table_fit import fit_to_contents
from widgets.value_filter import AMBER, GREEN, RED

SHORT_HASH = 12
MONO = "font-family: 'DejaVu Sans Mono', monospace;"
GREY = INK_SOFT


def state_text(status: SignatureStatus) -> str:
    if status.signature is None:
        return "not signed"
    if status.current:
        return f"signed {local_time_text(status.signature.signed_at)}"
    return "signed an earlier draft \u2014 sign again"


def grouped_hash(digest: str, size: int = 8) -> str:
    """A hash in groups of eight, easier to read aloud and compare with a printed copy."""
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))


# --------------------------------------------------------------------------- signers
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
            colour = GREY if status.signature is None else (GREEN if status.current else RED)
            return QBrush(QColor(colour))
        if role == Qt.ItemDataRole.ToolTipRole and status.signature is not None:
            return f"Signed definitions with content hash {status.signature.content_hash[:SHORT_HASH]}"
        return None


# --------------------------------------------------------------------------- readiness
class FitScrollArea(QScrollArea):
    """A scroll area that asks for the height its content needs at its width, so it takes
    no more room than that, and scrolls only when the page has less to give."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = self.viewport().width() if self.viewport().width() > 0 else content.sizeHint().width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        if height < 0:
            height = content.sizeHint().height()
        return QSize(hint.width(), height + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometry()  # a new width changes the height the wrapped text needs


class ReadinessChecklist(QWidget):
    """Each check as a big ✓ or ✗ with its name and, on the same line, what is still open
    (one line per check where it fits: the Sign button must stay in view on a projector)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.items: list[ReadinessItem] = []
        self.rows: list[tuple[QLabel, QLabel]] = []  # (mark, check and detail)

    def show_items(self, items: list[ReadinessItem]) -> None:
        self.items = list(items)
        if len(self.rows) != len(items):
            for row in self.rows:
                for label in row:
                    self.grid.removeWidget(label)
                    label.deleteLater()
            self.rows = []
            for i in range(len(items)):
                mark, text = QLabel(), QLabel()
                for label in (mark, text):
                    label.setTextFormat(Qt.TextFormat.RichText)
                    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                text.setWordWrap(True)
                self.grid.addWidget(mark, i, 0)
                self.grid.addWidget(text, i, 1)
                self.rows.append((mark, text))
        for (mark, text), item in zip(self.rows, items, strict=True):
            symbol, colour = ("\u2713", GREEN) if item.done else ("\u2717", RED)
            mark.setText(f'<span style="font-size: x-large; font-weight: 700; color: {colour}">{symbol}</span>')
            mark.setAccessibleName("done" if item.done else "not done")
            mark.setToolTip("Done" if item.done else "Not done yet")
            text.setText(
                f'<span style="font-size: large; font-weight: 600">{html.escape(item.label)}</span>'
                f'<span style="color: {GREY}">&nbsp;&nbsp;\u2014 {html.escape(item.detail)}</span>'
            )
            text.setAccessibleName(f"{item.label}: {item.detail}")


# --------------------------------------------------------------------------- signing
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
            f'<span style="color: {GREY}">\u2026 (SHA-256 of the definitions as they are now)</span>'
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


# --------------------------------------------------------------------------- the page
class SignoffPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._splitter_placed = False
        self._build_banner()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._build_readiness())
        left_layout.addWidget(self._build_signatures())
        left_layout.addStretch(1)

        # Decisions and parking lot: the same panel as the dock.
        self.decisions = DecisionsPanel(session, current_step=lambda: "signoff")
        decisions_box = QGroupBox("Decisions and parking lot")
        decisions_layout = QVBoxLayout(decisions_box)
        decisions_layout.addWidget(self.decisions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(decisions_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_sign_button())
        session.edited.connect(self.refresh)
        session.revisionChanged.connect(self.refresh)
        session.check.changed.connect(self.refresh)  # built, rebuilt, or no leads any more
        session.check.stopped.connect(self.refresh)
        self.refresh()
        self._select_row(next((r for r, s in enumerate(self.signers.statuses) if not s.current), 0))

    # -- building ----------------------------------------------------------------------
    def _build_banner(self) -> None:
        """The lock (or read-only) banner across the top."""
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        self.lock_title = QLabel()
        self.lock_title.setTextFormat(Qt.TextFormat.RichText)
        self.lock_reason = QLabel()
        self.lock_reason.setWordWrap(True)
        self.lock_reason.setTextFormat(Qt.TextFormat.PlainText)
        self.lock_hash = QLabel()
        self.lock_hash.setTextFormat(Qt.TextFormat.RichText)
        self.lock_hash.setWordWrap(True)
        self.lock_hash.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        banner_layout = QVBoxLayout(self.banner)
        banner_layout.setContentsMargins(4, 2, 4, 2)  # the #banner style pads it already
        for label in (self.lock_title, self.lock_reason, self.lock_hash):
            banner_layout.addWidget(label)

    def _build_readiness(self) -> QWidget:
        self.readiness_summary = QLabel()
        self.readiness_summary.setWordWrap(True)
        self.checklist = ReadinessChecklist()
        # The checklist scrolls, if it must, inside its box: the signatures below it (and the
        # Sign button) stay in view even in presentation type on a small projector.
        checklist_holder = QWidget()
        holder_layout = QVBoxLayout(checklist_holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.readiness_summary)
        holder_layout.addWidget(self.checklist)
        holder_layout.addStretch(1)
        checklist_scroll = FitScrollArea()
        checklist_scroll.setWidget(checklist_holder)
        checklist_scroll.setWidgetResizable(True)
        checklist_scroll.setFrameShape(QFrame.Shape.NoFrame)
        checklist_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        checklist_scroll.viewport().setAutoFillBackground(False)
        checklist_holder.setAutoFillBackground(False)
        readiness_box = QGroupBox("Ready to sign?")
        readiness_layout = QVBoxLayout(readiness_box)
        readiness_layout.addWidget(checklist_scroll)
        return readiness_box

    def _build_signatures(self) -> QWidget:
        self.revision_line = QLabel()
        self.revision_line.setWordWrap(True)
        self.revision_line.setTextFormat(Qt.TextFormat.RichText)
        self.signers = SignersModel(self.session)
        self.table = QTableView()
        self.table.setObjectName("signers_table")
        self.table.setModel(self.signers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        # Names and roles keep their width; the state and the statement share the rest and
        # wrap (in presentation type "signed an earlier draft — sign again" needs two lines).
        fit_to_contents(self.table, stretch=range(SignersModel.STATE_COLUMN, self.signers.columnCount()))
        self.table.setWordWrap(True)
        # As tall as its rows, so that the Sign button sits right under the signers.
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.table.doubleClicked.connect(lambda _index: self.open_sign_dialog())
        self.sign_button = QPushButton("Sign\u2026")
        self.sign_button.setObjectName("signButton")
        mark_primary(self.sign_button)
        self.sign_button.setToolTip("Sign the definitions as they are now, as the selected signer")
        self.sign_button.clicked.connect(self.open_sign_dialog)
        self.sign_hint = QLabel()
        self.sign_hint.setObjectName("hint")
        self.sign_hint.setWordWrap(True)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.sign_button)
        sign_row.addWidget(self.sign_hint, 1)
        signatures_box = QGroupBox("Signatures")
        signatures_layout = QVBoxLayout(signatures_box)
        signatures_layout.addWidget(self.revision_line)
        signatures_layout.addWidget(self.table)
        signatures_layout.addLayout(sign_row)
        return signatures_box

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitter_placed:
            QTimer.singleShot(0, self, self._place_splitter)

    def _place_splitter(self) -> None:
        """Once laid out: three fifths for the checklist and signatures, the rest for decisions."""
        total = sum(self.splitter.sizes())
        if self._splitter_placed or total <= 0:
            return
        self._splitter_placed = True
        self.splitter.setSizes([total * 3 // 5, total - total * 3 // 5])

    # -- signing -----------------------------------------------------------------------
    def selected_signer(self) -> SignatureStatus | None:
        index = self.table.currentIndex()
        return self.signers.status_at(index.row()) if index.isValid() else None

    def readiness(self) -> list[ReadinessItem]:
        """The checklist, with the session's threshold check (never built here)."""
        doc, keeper = self.session.document, self.session.check
        pending = PENDING
        if keeper.state == CheckState.STOPPED:
            pending = "the leads were not scored: score them on the Threshold check step"
        return readiness(doc.defs, has_leads=doc.leads_info() is not None, check=keeper.check, pending=pending)

    def open_checks(self) -> list[str]:
        return [item.label for item in self.readiness() if not item.done]

    def make_sign_dialog(self, signer: str) -> SignDialog | None:
        """The dialog for `signer` (not shown); None if they cannot sign now."""
        row = self.signers.row_of(signer)
        status = self.signers.status_at(row)
        if status is None or self.session.read_only:
            return None
        return SignDialog(self.session, status, self.sign, self.open_checks(), self)

    def open_sign_dialog(self) -> None:
        status = self.selected_signer()
        dialog = self.make_sign_dialog(status.signer) if status is not None else None
        if dialog is None:
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def sign(self, signer: str, statement: str) -> bool:
        """Record `signer`'s signature of the definitions as they are now. Returns True if the
        signature was recorded (the revision may now be locked: see `session.read_only`);
        False if it was refused, and `session.refused` said why."""
        refusals: list[str] = []

        def note(message: str) -> None:
            refusals.append(message)

        self.session.refused.connect(note)
        try:
            self.session.sign(signer, statement)
        finally:
            self.session.refused.disconnect(note)
        return not refusals

    # -- showing -----------------------------------------------------------------------
    def refresh(self, *_: Any) -> None:
        doc = self.session.document
        selected = self.selected_signer()
        self.signers.refresh()
        if selected is not None:
            self._select_row(self.signers.row_of(selected.signer))

        items = self.readiness()
        self.checklist.show_items(items)
        done = sum(1 for i in items if i.done)
        if doc.locked:
            summary = f"When it was signed, {done} of {len(items)} checks were done."
        elif done == len(items):
            summary = f"All {len(items)} checks done: ready to sign."
        else:
            summary = f"{done} of {len(items)} checks done; settle the open points, or sign and note them."
        self.readiness_summary.setText(summary)

        label = html.escape(doc.revision.label)
        if doc.locked:
            self.revision_line.setText(f"Revision \u201c{label}\u201d is <b>signed and locked</b>.")
        else:
            self.revision_line.setText(
                f"Draft \u201c{label}\u201d \u00b7 content hash now "
                f'<span style="{MONO} font-weight: 700">{doc.content_hash()[:SHORT_HASH]}</span>'
            )
        self.revision_line.setToolTip(
            "" if doc.locked else "Any edit changes the content hash; a signature counts only for the hash it signed."
        )
        self._update_banner()
        self._update_sign_button()

    def _update_banner(self) -> None:
        doc = self.session.document
        why = doc.why_read_only()
        self.banner.setVisible(bool(why))
        self.lock_reason.setText(why)
        if doc.locked and doc.revision.content_hash:
            when = f" on {local_time_text(doc.revision.signed_at)}" if doc.revision.signed_at else ""
            self.lock_title.setText(
                f'<span style="font-size: x-large; font-weight: 700; color: {GREEN}">'
                f"\u2713 Signed by everyone{when} and locked</span>"
            )
            digest = doc.revision.content_hash
            self.lock_hash.setText(
                f'Content hash (SHA-256): <span style="{MONO} font-weight: 700">{grouped_hash(digest)}</span>'
            )
            self.lock_hash.setToolTip(digest)
        else:
            self.lock_title.setText(
                f'<span style="font-size: large; font-weight: 700; color: {AMBER}">Read-only</span>'
            )
            self.lock_hash.setText("")
        self.lock_hash.setVisible(doc.locked)

    def _select_row(self, row: int) -> None:
        if 0 <= row < self.signers.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.signers.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    def _update_sign_button(self) -> None:
        status = self.selected_signer()
        doc = self.session.document
        self.sign_button.setEnabled(status is not None and not self.session.read_only)
        if doc.locked:
            hint = "Everyone has signed; this revision is locked."
        elif self.session.read_only:
            hint = "This file is open read-only, so nobody can sign here."
        elif not self.signers.rowCount():
            hint = "Nobody signs yet: mark the signers on Team and targets."
        elif status is None:
            hint = "Select a signer, then Sign\u2026"
        else:
            missing = sum(1 for s in self.signers.statuses if not s.current)
            hint = f"{missing} of {self.signers.rowCount()} signatures still needed; the last one locks the revision."
        self.sign_hint.setText(hint)
        # Once locked there is nothing left to sign, and the banner says so.
        self.sign_button.setHidden(doc.locked)
        self.sign_hint.setHidden(doc.locked)
