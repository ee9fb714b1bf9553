"""Revisions of a workshop: the history, a comparison of any two, and the re-check of one
quarter's model on the other quarter's leads.

    History    every revision: label, status, signers, dates, content hash, whether the
               signature still matches; open one (an earlier one opens read-only)
    Compare    any two revisions: what was added, removed and changed, field by field
    Re-check   the older model on the newer leads and the newer model on the older leads,
               side by side, with the reasons in plain words
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.check import Figures
from models.check_text import fmt_pct
from models.compare import SECTION_NAMES, Change, Kind, compare, show, summary
from models.palette import ACCENT, BAD, GOOD, LINE, MUTED
from widgets.rows_model import RowsTableModel
from widgets.session import WorkshopSession
from widgets.table_fit import fit_to_contents

GREY = MUTED
KIND_COLOURS = {Kind.ADDED: GOOD, Kind.REMOVED: BAD, Kind.CHANGED: ACCENT, Kind.MOVED: GREY}


class HistoryModel(RowsTableModel[dict]):
    HEADERS = ("Revision", "Status", "Signed by", "Created", "Signed", "Content hash", "Signature check")

    def cell(self, row: dict, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row["cells"][column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and row["ok"] is not None:
            return QBrush(QColor(GOOD if row["ok"] else BAD))
        if role == Qt.ItemDataRole.FontRole and row["current"]:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return row["hash"]
        return None


class ChangesModel(RowsTableModel[Change]):
    HEADERS = ("What", "Item", "Change", "Before", "After")

    def cell(self, change: Change, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            field = (change.field or "").replace("_", " ")
            kind = change.kind.value if change.kind != Kind.CHANGED else field
            before = show(change.old, change.field) if change.kind in (Kind.CHANGED, Kind.MOVED) else ""
            after = show(change.new, change.field) if change.kind in (Kind.CHANGED, Kind.MOVED) else ""
            return (SECTION_NAMES.get(change.section, change.section), change.item, kind, before, after)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor(KIND_COLOURS[change.kind]))
        return None


def _local(when: Any) -> str:
    if when is None:
        return "\u2014"
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class RevisionsDialog(QDialog):
    """The history, comparison and re-check of the open workshop's revisions."""

    openRevision = Signal(int)

    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Revisions")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_history(), "History")
        self.tabs.addTab(self._build_compare(), "Compare")
        self.tabs.addTab(self._build_recheck(), "Re-check")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(int(screen.width() * 0.8), int(screen.height() * 0.7))
        self.refresh()

    # -- history ---------------------------------------------------------------------
    def _build_history(self) -> QWidget:
        box = QWidget()
        intro = QLabel(
            "Every revision of this workshop, oldest first. A signed revision is read-only; its "
            "content hash is printed in the PDF and the workbook, so a printed copy can be checked "
            "against the file. Earlier revisions open read-only."
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.history_model = HistoryModel(self)
        self.history_view = QTableView()
        self.history_view.setObjectName("historyTable")
        self.history_view.setModel(self.history_model)
        self.history_view.verticalHeader().hide()
        self.history_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history_view.setWordWrap(True)
        fit_to_contents(self.history_view, stretch=(2,))
        self.history_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.open_button = QPushButton("Open this revision")
        self.open_button.setObjectName("openRevision")
        self.open_button.clicked.connect(self.open_selected)
        self.history_view.selectionModel().currentRowChanged.connect(lambda *_: self._update_open())
        row = QHBoxLayout()
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addWidget(self.history_view, 1)
        layout.addLayout(row)
        return box

    def refresh(self) -> None:
        document = self.session.document
        checks = {c.label: c for c in document.verify()}
        rows = []
        self.revisions = document.file.revisions()
        for rev in self.revisions:
            signers = (
                ", ".join(f"{s.signer} ({s.role})" if s.role else s.signer for s in document.file.signatures(rev.id))
                or "\u2014"
            )
            check = checks.get(rev.label)
            ok = None if check is None else check.ok
            verdict = "\u2014 (draft)" if ok is None else "matches" if ok else "signature does not match"
            current = rev.id == document.revision.id
            label = rev.label + ("  (open)" if current else "")
            shown_hash = (rev.content_hash or "")[:12] or "\u2014"
            rows.append(
                {
                    "cells": (
                        label,
                        rev.status,
                        signers,
                        _local(rev.created_at),
                        _local(rev.signed_at),
                        shown_hash,
                        verdict,
                    ),
                    "ok": ok,
                    "current": current,
                    "hash": rev.content_hash or "",
                    "id": rev.id,
                }
            )
        self.history_model.set_rows(rows)
        labels = [r.label for r in self.revisions]
        for combo, default in (
            (self.from_combo, max(len(labels) - 2, 0)),
            (self.to_combo, len(labels) - 1),
            (self.recheck_old, max(len(labels) - 2, 0)),
            (self.recheck_new, len(labels) - 1),
        ):
            shown = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(labels)
            combo.setCurrentIndex(combo.findText(shown) if shown in labels else default)
            combo.blockSignals(False)
        self.show_comparison()
        self._update_open()

    def _selected_id(self) -> int | None:
        index = self.history_view.currentIndex()
        if not index.isValid():
            return None
        return self.history_model.rows()[index.row()]["id"]

    def _update_open(self) -> None:
        selected = self._selected_id()
        self.open_button.setEnabled(selected is not None and selected != self.session.document.revision.id)

    def open_selected(self) -> None:
        selected = self._selected_id()
        if selected is not None and selected != self.session.document.revision.id:
            self.openRevision.emit(selected)
            self.refresh()

    # -- compare ---------------------------------------------------------------------
    def _build_compare(self) -> QWidget:
        box = QWidget()
        self.from_combo = QComboBox()
        self.from_combo.setObjectName("compareFrom")
        self.to_combo = QComboBox()
        self.to_combo.setObjectName("compareTo")
        for combo in (self.from_combo, self.to_combo):
            combo.currentIndexChanged.connect(lambda _i: self.show_comparison())
        row = QHBoxLayout()
        row.addWidget(QLabel("From"))
        row.addWidget(self.from_combo)
        row.addWidget(QLabel("to"))
        row.addWidget(self.to_combo)
        row.addStretch(1)
        self.compare_summary = QLabel()
        self.compare_summary.setObjectName("compareSummary")
        self.compare_summary.setWordWrap(True)
        self.changes_model = ChangesModel(self)
        self.changes_view = QTableView()
        self.changes_view.setObjectName("changesTable")
        self.changes_view.setModel(self.changes_model)
        self.changes_view.verticalHeader().hide()
        self.changes_view.setWordWrap(True)
        self.changes_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fit_to_contents(self.changes_view, stretch=(3, 4))
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.compare_summary)
        layout.addWidget(self.changes_view, 1)
        return box

    def _ids(self, *combos: QComboBox) -> list[int | None]:
        by_label = {r.label: r.id for r in getattr(self, "revisions", [])}
        return [by_label.get(c.currentText()) for c in combos]

    def show_comparison(self) -> None:
        old_id, new_id = self._ids(self.from_combo, self.to_combo)
        if old_id is None or new_id is None:
            self.changes_model.set_rows([])
            self.compare_summary.setText("This workshop has one revision: nothing to compare yet.")
            return
        file = self.session.document.file
        changes = compare(file.load_definitions(old_id), file.load_definitions(new_id))
        self.changes_model.set_rows(changes)
        self.compare_summary.setText(
            f"From {self.from_combo.currentText()} to {self.to_combo.currentText()}: {summary(changes)}."
        )

    # -- re-check --------------------------------------------------------------------
    def _build_recheck(self) -> QWidget:
        box = QWidget()
        intro = QLabel(
            "Each model at its own threshold and targets, on each quarter's imported leads: does last "
            "quarter's threshold still hold on this quarter's leads, and how would this quarter's "
            "model have done last quarter?"
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.recheck_old = QComboBox()
        self.recheck_old.setObjectName("recheckOld")
        self.recheck_new = QComboBox()
        self.recheck_new.setObjectName("recheckNew")
        self.recheck_button = QPushButton("Re-check")
        self.recheck_button.setObjectName("recheckButton")
        self.recheck_button.clicked.connect(self.run_recheck)
        row = QHBoxLayout()
        row.addWidget(QLabel("Earlier revision"))
        row.addWidget(self.recheck_old)
        row.addWidget(QLabel("later revision"))
        row.addWidget(self.recheck_new)
        row.addWidget(self.recheck_button)
        row.addStretch(1)
        self.recheck_table = QLabel()
        self.recheck_table.setObjectName("recheckTable")
        self.recheck_table.setTextFormat(Qt.TextFormat.RichText)
        self.recheck_table.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.recheck_text = QLabel()
        self.recheck_text.setObjectName("recheckText")
        self.recheck_text.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.recheck_table)
        layout.addWidget(self.recheck_text)
        layout.addStretch(1)
        return box

    def run_recheck(self) -> None:
        from models.recheck import recheck

        old_id, new_id = self._ids(self.recheck_old, self.recheck_new)
        if old_id is None or new_id is None or old_id == new_id:
            self.recheck_text.setText("Choose two different revisions.")
            return
        result = recheck(self.session.document.file, old_id, new_id)
        self.recheck_result = result
        labels = {"old": result.old.label, "new": result.new.label}
        head = "".join(f"<th style='padding:6px 14px'>on the {labels[d]} leads</th>" for d in ("old", "new"))
        body = ""
        for model in ("old", "new"):
            cells = "".join(
                f"<td style='padding:6px 14px'>{_cell(result.figures(model, data))}</td>" for data in ("old", "new")
            )
            threshold = (result.old if model == "old" else result.new).defs.scoring.threshold
            body += (
                f"<tr><th style='padding:6px 14px; text-align:left'>{labels[model]} model "
                f"(threshold {threshold:g})</th>{cells}</tr>"
            )
        self.recheck_table.setText(
            f"<table border='1' cellspacing='0' style='border-color:{LINE}'><tr><th></th>{head}</tr>{body}</table>"
        )
        self.recheck_text.setText("\n\n".join(result.explanation()))


def _cell(f: Figures | None) -> str:
    if f is None:
        return f"<span style='color:{MUTED}'>no leads imported</span>"
    colour = GOOD if f.rate_ok else BAD
    weekly = "\u2014" if f.weekly_volume is None else f"{f.weekly_volume:,.0f}"
    return (
        f"<span style='color:{colour}; font-size:large'><b>{fmt_pct(f.rate)}</b></span> opportunity rate "
        f"(target {fmt_pct(f.target_rate)})<br>{f.passed:,} of {f.leads:,} leads passed · {weekly} a week · "
        f"coverage {fmt_pct(f.coverage)}"
    )
