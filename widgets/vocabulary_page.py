"""Vocabulary step: the glossary both teams agree on. Each term has a definition, notes and a
status (proposed, agreed, disputed); the room can show only the terms of one status, e.g.
the disputed ones still to settle before sign-off."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from models.definitions import TermStatus
from widgets.choice_delegate import ChoiceDelegate
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import Column
from widgets.session import WorkshopSession
from widgets.value_filter import AMBER, CHECKED_BUTTON_STYLE, GREEN, RED, Mark, ValueFilterProxy

STATUS_LABELS: dict[TermStatus, str] = {
    TermStatus.PROPOSED: "Proposed",
    TermStatus.AGREED: "Agreed",
    TermStatus.DISPUTED: "Disputed",
}
STATUS_MARKS: dict[str, Mark] = {
    TermStatus.AGREED.value: Mark("\u2713", GREEN),
    TermStatus.DISPUTED.value: Mark("\u2717", RED),
    TermStatus.PROPOSED.value: Mark("\u25cb", AMBER),
}

TERM_COLUMNS = [
    Column("term", "Term", placeholder="e.g. Marketing qualified lead"),
    Column(
        "status",
        "Status",
        kind="choice",
        choices=tuple((s.value, label) for s, label in STATUS_LABELS.items()),
        help="Proposed: on the table. Agreed: both teams use it this way. Disputed: still to settle before sign-off.",
    ),
    Column(
        "definition",
        "Definition",
        kind="multiline",
        in_table=False,
        placeholder="What the word means here, in one or two sentences.",
    ),
    Column(
        "notes", "Notes", kind="multiline", in_table=False, placeholder="Nuances, examples, and what it does not mean."
    ),
]

# Filter buttons, in the order the room reads them; None shows every term.
FILTERS: tuple[tuple[TermStatus | None, str], ...] = (
    (None, "All"),
    (TermStatus.PROPOSED, "Proposed"),
    (TermStatus.AGREED, "Agreed"),
    (TermStatus.DISPUTED, "Disputed"),
)


def count_line(statuses: list[TermStatus]) -> str:
    """ "12 terms: 8 agreed, 3 proposed, 1 disputed" (agreed first: that is the progress)."""
    n = len(statuses)
    if n == 0:
        return "No terms yet."
    parts = [
        f"{sum(1 for s in statuses if s == status)} {status.value}"
        for status in (TermStatus.AGREED, TermStatus.PROPOSED, TermStatus.DISPUTED)
    ]
    return f"{n} term{'s' if n != 1 else ''}: " + ", ".join(parts)


class VocabularyPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.proxy = ValueFilterProxy("status", STATUS_MARKS, self)
        self.editor = CollectionEditor(session, "terms", TERM_COLUMNS, "term", self._new_term, proxy=self.proxy)
        status_column = self.editor.model.column_of("status")
        self.editor.table.setItemDelegateForColumn(status_column, ChoiceDelegate(TERM_COLUMNS[1], self.editor.table))
        # A filtered glossary has no order to change: the move buttons could never be used.
        self.editor.up_button.hide()
        self.editor.down_button.hide()

        filter_bar = QHBoxLayout()
        filter_bar.addWidget(QLabel("Show:"))
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[TermStatus | None, QPushButton] = {}
        for status, label in FILTERS:
            button = QPushButton(label)
            button.setCheckable(True)
            button.setStyleSheet(CHECKED_BUTTON_STYLE)
            button.setObjectName(f"filter_{status.value if status else 'all'}")
            button.setToolTip("Show every term" if status is None else f"Show only the {label.lower()} terms")
            button.clicked.connect(lambda _checked=False, s=status: self.set_filter(s))
            self.filter_group.addButton(button)
            self.filter_buttons[status] = button
            filter_bar.addWidget(button)
        filter_bar.addStretch(1)
        self.filter_buttons[None].setChecked(True)

        self.summary = QLabel()
        self.summary.setObjectName("pageSummary")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filter_bar)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.summary)
        session.edited.connect(self._update_summary)
        session.revisionChanged.connect(self._update_summary)
        self._update_summary()

    # -- filter ------------------------------------------------------------------------
    def status_filter(self) -> TermStatus | None:
        value = self.proxy.value()
        return TermStatus(value) if value is not None else None

    def set_filter(self, status: TermStatus | None) -> None:
        self.filter_buttons[status].setChecked(True)
        self.proxy.set_value(status.value if status is not None else None)
        # Keep a term selected (and in the form) if the filter hid the one that was.
        if self.editor.current_uid() is None and self.proxy.rowCount():
            self.editor.select_uid(self.editor.model.uid_at(self.proxy.mapToSource(self.proxy.index(0, 0)).row()))
        elif self.editor.current_uid() is None:
            self.editor.select_uid(None)
        self._update_summary()

    # -- editing -----------------------------------------------------------------------
    def _new_term(self) -> dict[str, Any]:
        # A new term is "proposed": show every term so that it is visible and selected.
        if self.status_filter() not in (None, TermStatus.PROPOSED):
            self.set_filter(None)
        names = {t.term for t in self.session.defs.terms}
        n = 1
        while f"New term {n}" in names:
            n += 1
        return {"term": f"New term {n}"}

    def _update_summary(self, *_: Any) -> None:
        text = count_line([t.status for t in self.session.defs.terms])
        status = self.status_filter()
        if status is not None:
            shown = self.proxy.rowCount()
            text += f" \u00b7 showing the {shown} {status.value}" if shown else f" \u00b7 no {status.value} terms"
        self.summary.setText(text)
