"""Decisions and sign-off step: the readiness checklist, the signers and their signatures,
the decisions log and parking lot, and the lock.

A signature records the content hash of the definitions as they were signed. An edit after
that makes it "an earlier draft": that signer signs again. When every signer holds a
signature of the current definitions the revision is locked, and this page says so plainly,
with the full SHA-256 a printed copy can be checked against.

The page lays the step out and keeps it current; the checklist (`readiness_checklist`), the
signers table (`signers_model`) and the dialog a signer signs in (`sign_dialog`) are their
own modules.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.document import SignatureStatus
from models.readiness import PENDING, ReadinessItem, readiness
from widgets.check_keeper import CheckState
from widgets.decisions_panel import DecisionsPanel, local_time_text
from widgets.hash_text import MONO, SHORT_HASH, grouped_hash
from widgets.readiness_checklist import FitScrollArea, ReadinessChecklist
from widgets.session import WorkshopSession
from widgets.sign_dialog import SignDialog
from widgets.signers_model import SignersModel
from widgets.style import mark_primary
from widgets.table_fit import fit_to_contents
from widgets.value_filter import AMBER, GREEN


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
        why = self.session.why_read_only()
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
