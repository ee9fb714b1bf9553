"""Master-detail editor of one collection: a table of items on the left, every field of the
selected item in a form on the right, and buttons (and keys) to add, remove and reorder.

Keys on the table: Insert adds, Delete removes, Ctrl+Up / Ctrl+Down move the selected item;
rows can also be dragged. Everything goes through the session, so it is saved and undoable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.edits import Batch, MoveItem, remove_item
from widgets.collection_model import CollectionModel, Column
from widgets.forms import FieldForm
from widgets.session import WorkshopSession
from widgets.table_fit import fit_to_contents


class CollectionEditor(QWidget):
    def __init__(
        self,
        session: WorkshopSession,
        section: str,
        columns: list[Column],
        noun: str,
        new_item: Callable[[], dict[str, Any]],
        form: FieldForm | None = None,
        proxy: QSortFilterProxyModel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.section = section
        self.noun = noun
        self.new_item = new_item
        self.model = CollectionModel(session, section, columns)
        self.proxy = proxy
        if proxy is not None:
            proxy.setSourceModel(self.model)

        self.table = QTableView()
        self.table.setObjectName(f"{section}_table")
        self.table.setModel(proxy or self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)  # full stage and term names, on two lines if need be
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(60)
        fit_to_contents(self.table, stretch=(0,))
        if proxy is None:
            self.table.setDragEnabled(True)
            self.table.setAcceptDrops(True)
            self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.table.setDropIndicatorShown(True)
            self.table.setDefaultDropAction(Qt.DropAction.MoveAction)

        self.add_button = QPushButton(f"Add {noun}")
        self.remove_button = QPushButton("Remove")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        self.add_button.setToolTip(f"Add a {noun} after the selected one (Insert)")
        self.remove_button.setToolTip(f"Remove the selected {noun}s (Delete); Ctrl+Z brings them back")
        self.up_button.setToolTip("Move the selected item up (Ctrl+Up), or drag it")
        self.down_button.setToolTip("Move the selected item down (Ctrl+Down), or drag it")
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(+1))
        for keys, slot in (
            (QKeySequence.StandardKey.Delete, self.remove_selected),
            (QKeySequence(Qt.Key.Key_Insert), self.add),
            (QKeySequence("Ctrl+Up"), lambda: self.move_selected(-1)),
            (QKeySequence("Ctrl+Down"), lambda: self.move_selected(+1)),
        ):
            shortcut = QShortcut(keys, self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        self.buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            self.buttons.addWidget(b)
        self.buttons.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.left_layout = left_layout
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(self.buttons)

        self.form = form if form is not None else FieldForm(session, section, columns)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.modelReset.connect(self._after_reset)
        session.revisionChanged.connect(self._update_buttons)
        self._pending_uid: str | None = None
        self._after_reset()

    # -- selection -------------------------------------------------------------------
    def _view_model(self) -> Any:
        return self.proxy or self.model

    def _source_row(self, view_index: QModelIndex) -> int:
        if not view_index.isValid():
            return -1
        if self.proxy is not None:
            view_index = self.proxy.mapToSource(view_index)
        return view_index.row()

    def current_uid(self) -> str | None:
        return self.model.uid_at(self._source_row(self.table.currentIndex()))

    def select_uid(self, uid: str | None) -> None:
        row = self.model.row_of(uid)
        if row < 0:
            self.form.set_target(None)
            self._update_buttons()
            return
        index = self.model.index(row, 0)
        if self.proxy is not None:
            index = self.proxy.mapFromSource(index)
        if not index.isValid():
            return
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)
        self.form.set_target(uid)
        self._update_buttons()

    def selected_uids(self) -> list[str]:
        rows = sorted({self._source_row(i) for i in self.table.selectionModel().selectedRows()})
        uids = [u for u in (self.model.uid_at(r) for r in rows) if u is not None]
        current = self.current_uid()
        return uids or ([current] if current else [])

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.form.set_target(self.model.uid_at(self._source_row(current)))
        self._update_buttons()

    def _after_reset(self) -> None:
        uid = self._pending_uid or self.form.uid
        self._pending_uid = None
        if self.model.row_of(uid) < 0:
            view = self._view_model()
            uid = self.model.uid_at(self._source_row(view.index(0, 0))) if view.rowCount() else None
        self.select_uid(uid)

    def _update_buttons(self) -> None:
        writable = not self.session.read_only
        has = self.current_uid() is not None
        row = self.model.row_of(self.current_uid())
        self.add_button.setEnabled(writable)
        self.remove_button.setEnabled(writable and has)
        movable = writable and has and self.proxy is None
        self.up_button.setEnabled(movable and row > 0)
        self.down_button.setEnabled(movable and 0 <= row < self.model.rowCount() - 1)

    # -- actions ---------------------------------------------------------------------
    def add(self) -> None:
        row = self.model.row_of(self.current_uid())
        index = row + 1 if row >= 0 else self.model.rowCount()
        fields = self.new_item()
        from models.definitions import COLLECTIONS

        item = COLLECTIONS[self.section](**fields)
        self._pending_uid = item.uid
        if self.model.insert_new(index, **{**fields, "uid": item.uid}) is None:
            self._pending_uid = None
            return
        first = next(iter(self.form.editors.values()), None)
        if first is not None:
            first.setFocus()
            if hasattr(first, "selectAll"):
                first.selectAll()

    def remove_selected(self) -> None:
        uids = self.selected_uids()
        if not uids or self.session.read_only:
            return
        # Remove from the bottom up so that each recorded index stays right.
        rows = sorted((self.model.row_of(u), u) for u in uids)
        next_row = rows[0][0]
        edits = tuple(remove_item(self.session.defs, self.section, u) for _, u in reversed(rows))
        defs_after = len(self.model.items()) - len(edits)
        edit = edits[0] if len(edits) == 1 else Batch(edits, f"Remove {len(edits)} {self.noun}s")
        remaining = [it.uid for it in self.model.items() if it.uid not in set(uids)]
        self._pending_uid = remaining[min(next_row, defs_after - 1)] if remaining else None
        self.session.do(edit)

    def move_selected(self, step: int) -> None:
        uid = self.current_uid()
        row = self.model.row_of(uid)
        dest = row + step
        if row < 0 or not 0 <= dest < self.model.rowCount() or self.proxy is not None:
            return
        self._pending_uid = uid
        self.session.do(MoveItem(self.section, row, dest))
        self.table.setFocus()
