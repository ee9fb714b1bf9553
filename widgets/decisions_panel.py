"""The decisions log and the parking lot, always at hand (a dock beside every step, and part of
the sign-off step).

Built for a narrow dock: type an item and press Enter to record it as a decision or park it;
the list below shows both kinds (or one), and the selected item's text, owner, kind and step
are edited underneath. A parked item that the room settles becomes a decision with one click.
Every change is an edit of the "decisions" section, so it is saved and undoable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from models.definitions import Decision, DecisionKind, now_utc
from models.edits import Batch, insert_item, set_field
from models.steps import STEP_TITLES, STEPS
from widgets.choice_delegate import ChoiceDelegate
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import Column
from widgets.forms import FieldForm
from widgets.session import WorkshopSession
from widgets.value_filter import AMBER, BLUE, CHECKED_BUTTON_STYLE, Mark, ValueFilterProxy

KIND_LABELS: dict[DecisionKind, str] = {DecisionKind.DECISION: "Decision", DecisionKind.PARKING: "Parked"}
ENTRY_LABELS: dict[DecisionKind, str] = {DecisionKind.DECISION: "Decision", DecisionKind.PARKING: "Parking lot"}
KIND_MARKS: dict[str, Mark] = {
    DecisionKind.DECISION.value: Mark("", BLUE),
    DecisionKind.PARKING.value: Mark("", AMBER),
}


DECISION_COLUMNS = [
    Column("text", "Item", kind="multiline", placeholder="What was decided, or what is parked for later."),
    Column("kind", "Kind", kind="choice", choices=tuple((k.value, label) for k, label in KIND_LABELS.items())),
    Column("owner", "Owner", placeholder="Who follows it up"),
    Column(
        "step",
        "Step",
        kind="choice",
        in_table=False,
        choices=(("", "\u2014"),) + tuple((s.key, s.title) for s in STEPS),
        help="The workshop step it came up in.",
    ),
]

FILTERS: tuple[tuple[DecisionKind | None, str], ...] = (
    (None, "All"),
    (DecisionKind.DECISION, "Decisions"),
    (DecisionKind.PARKING, "Parking lot"),
)


def local_time_text(when: dt.datetime) -> str:
    """A stored (UTC) time as the room reads it: local, to the minute."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%d %b %Y, %H:%M")


def count_line(items: list[Decision]) -> str:
    decisions = sum(1 for d in items if d.kind == DecisionKind.DECISION)
    parked = len(items) - decisions
    if not items:
        return "Nothing recorded yet."
    return f"{decisions} decision{'s' if decisions != 1 else ''} \u00b7 {parked} parked"


class DecisionsPanel(QWidget):
    """`current_step`, when given, names the step an item is recorded in (a step key)."""

    def __init__(
        self, session: WorkshopSession, parent: QWidget | None = None, current_step: Callable[[], str] | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.current_step = current_step
        self._splitter_placed = False

        # Quick entry: the kind toggle, then the line.
        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        self.kind_buttons: dict[DecisionKind, QPushButton] = {}
        kind_row = QHBoxLayout()
        kind_row.setSpacing(0)
        for kind, label in ENTRY_LABELS.items():
            button = QPushButton(label)
            button.setCheckable(True)
            button.setStyleSheet(CHECKED_BUTTON_STYLE)
            button.setObjectName(f"kind_{kind.value}")
            button.setToolTip(
                "Record what you type as a decision"
                if kind == DecisionKind.DECISION
                else "Park what you type, to come back to later"
            )
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kind_row.addWidget(button)
        kind_row.addStretch(1)
        self.kind_buttons[DecisionKind.DECISION].setChecked(True)
        self.entry = QLineEdit()
        self.entry.setObjectName("quickEntry")
        self.entry.setPlaceholderText("Type a decision or parking-lot item, Enter to add")
        self.entry.setClearButtonEnabled(True)
        self.entry.returnPressed.connect(self.add_from_entry)

        # The list with its filter.
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("decisionFilter")
        for shown_kind, label in FILTERS:
            self.filter_box.addItem(label, shown_kind.value if shown_kind is not None else None)
        self.filter_box.activated.connect(lambda row: self.set_filter(FILTERS[row][0]))
        self.counts = QLabel()
        self.counts.setObjectName("pageSummary")
        self.counts.setWordWrap(True)
        filter_row = QHBoxLayout()
        show = QLabel("Show:")
        show.setBuddy(self.filter_box)
        filter_row.addWidget(show)
        filter_row.addWidget(self.filter_box)
        filter_row.addWidget(self.counts, 1)

        self.proxy = ValueFilterProxy("kind", KIND_MARKS, self)
        self.form = FieldForm(session, "decisions", DECISION_COLUMNS)
        form_layout = self.form.layout()
        assert isinstance(form_layout, QFormLayout)
        form_layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.editor = CollectionEditor(
            session, "decisions", DECISION_COLUMNS, "item", self._new_item, form=self.form, proxy=self.proxy
        )
        self.editor.splitter.setOrientation(Qt.Orientation.Vertical)
        self.editor.splitter.setStretchFactor(0, 3)
        self.editor.splitter.setStretchFactor(1, 2)
        table = self.editor.table
        table.setObjectName("decisions_table")
        table.setWordWrap(True)
        self._owner_column = self.editor.model.column_of("owner")
        text_editor = self.form.editors["text"]
        text_editor.setSizePolicy(text_editor.sizePolicy().horizontalPolicy(), QSizePolicy.Policy.Preferred)
        table.setItemDelegateForColumn(self.editor.model.column_of("kind"), ChoiceDelegate(DECISION_COLUMNS[1], table))
        # Adding is the quick-entry line (Insert still adds an empty item); a filtered list
        # has no order to change.
        for button in (self.editor.add_button, self.editor.up_button, self.editor.down_button):
            button.hide()
        self.editor.remove_button.setToolTip("Remove the selected items (Delete); Ctrl+Z brings them back")
        self.promote_button = QPushButton("Move to decisions")
        self.promote_button.setToolTip("The room settled this parked item: record it as a decision")
        self.promote_button.clicked.connect(self.promote_selected)
        self.editor.buttons.insertWidget(self.editor.buttons.count() - 1, self.promote_button)

        self.recorded = QLabel()
        self.recorded.setObjectName("hint")
        self.recorded.setWordWrap(True)
        form_layout.addRow(self.recorded)
        self.read_only_hint = QLabel()
        self.read_only_hint.setObjectName("hint")
        self.read_only_hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(kind_row)
        layout.addWidget(self.entry)
        layout.addWidget(self.read_only_hint)
        layout.addLayout(filter_row)
        layout.addWidget(self.editor, 1)

        table.selectionModel().currentRowChanged.connect(lambda *_: self._update_selection())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_selection())
        session.edited.connect(self._refresh)
        session.revisionChanged.connect(self._refresh)
        self._refresh()

    # -- adding ------------------------------------------------------------------------
    def entry_kind(self) -> DecisionKind:
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return DecisionKind.DECISION

    def set_entry_kind(self, kind: DecisionKind) -> None:
        self.kind_buttons[kind].setChecked(True)

    def _step_now(self) -> str:
        return self.current_step() if self.current_step is not None else ""

    def add_item(self, text: str, kind: DecisionKind) -> str | None:
        """Record an item at the end of the log; returns its uid, or None if refused."""
        text = text.strip()
        if not text or self.session.read_only:
            return None
        edit = insert_item(
            self.session.defs, "decisions", None, kind=kind, text=text, step=self._step_now(), created=now_utc()
        )
        if self.proxy.value() not in (None, kind.value):
            self.set_filter(None)  # never hide what was just added
        if not self.session.do(edit):
            return None
        uid = str(edit.item["uid"])
        self.editor.select_uid(uid)
        return uid

    def add_from_entry(self) -> None:
        if self.add_item(self.entry.text(), self.entry_kind()) is not None:
            self.entry.clear()

    def _new_item(self) -> dict[str, Any]:
        kind = self.entry_kind()
        if self.proxy.value() not in (None, kind.value):
            self.set_filter(None)
        return {"kind": kind, "text": "", "step": self._step_now(), "created": now_utc()}

    # -- filter ------------------------------------------------------------------------
    def kind_filter(self) -> DecisionKind | None:
        value = self.proxy.value()
        return DecisionKind(value) if value is not None else None

    def set_filter(self, kind: DecisionKind | None) -> None:
        self.filter_box.setCurrentIndex([k for k, _ in FILTERS].index(kind))
        self.proxy.set_value(kind.value if kind is not None else None)
        if self.editor.current_uid() is None:
            first = self.proxy.index(0, 0)
            self.editor.select_uid(
                self.editor.model.uid_at(self.proxy.mapToSource(first).row()) if first.isValid() else None
            )
        self._refresh()

    # -- changing kind -----------------------------------------------------------------
    def promote_selected(self) -> None:
        """Turn the selected parked items into decisions (one undo step)."""
        if self.session.read_only:
            return
        defs = self.session.defs
        parked = {d.uid for d in defs.decisions if d.kind == DecisionKind.PARKING}
        edits = tuple(
            set_field(defs, "decisions", uid, "kind", DecisionKind.DECISION.value)
            for uid in self.editor.selected_uids()
            if uid in parked
        )
        if not edits:
            return
        self.session.do(edits[0] if len(edits) == 1 else Batch(edits, f"Move {len(edits)} parked items to decisions"))

    # -- showing -----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # In a narrow dock the item text needs the width more than the owner does (the
        # owner is still in the form below).
        metrics = self.fontMetrics()
        self.editor.table.setColumnHidden(self._owner_column, self.width() < 48 * metrics.averageCharWidth())
        # A few lines of text are enough to edit an item; the list gets the rest of the height.
        self.form.editors["text"].setMaximumHeight(5 * metrics.lineSpacing() + 12)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._splitter_placed:
            QTimer.singleShot(0, self, self._place_splitter)

    def _place_splitter(self) -> None:
        """Once laid out: the form gets the height it needs, the list the rest."""
        total = sum(self.editor.splitter.sizes())
        if self._splitter_placed or total <= 0:
            return
        self._splitter_placed = True
        form_height = min(self.form.sizeHint().height() + 8, total // 2)
        self.editor.splitter.setSizes([total - form_height, form_height])

    def _refresh(self, *_: Any) -> None:
        items = list(self.session.defs.decisions)
        self.counts.setText(count_line(items))
        writable = not self.session.read_only
        # Nothing can be added to a signed revision: the entry line gives its room to the list.
        for widget in (self.entry, *self.kind_buttons.values()):
            widget.setEnabled(writable)
            widget.setVisible(writable)
        self.read_only_hint.setText(
            "" if writable else "This revision is signed: its decisions and parking lot are read-only."
        )
        self.read_only_hint.setVisible(not writable)
        self._update_selection()

    def _update_selection(self) -> None:
        item = self._current_item()
        selected = set(self.editor.selected_uids())
        self.promote_button.setEnabled(
            not self.session.read_only
            and any(d.kind == DecisionKind.PARKING for d in self.session.defs.decisions if d.uid in selected)
        )
        if item is None:
            self.recorded.setText("")
            return
        parts = []
        if item.created is not None:
            parts.append(f"Recorded {local_time_text(item.created)}")
        if item.step:
            parts.append(("during " if parts else "Recorded during ") + STEP_TITLES.get(item.step, item.step))
        self.recorded.setText(" ".join(parts) + "." if parts else "")

    def _current_item(self) -> Decision | None:
        uid = self.editor.current_uid()
        return next((d for d in self.session.defs.decisions if d.uid == uid), None)
