"""A table model over one ordered collection of the definitions (stages, terms, rules...).

Reads come straight from the session's document; writes become edits (`session.set`,
`MoveItem`), so every change is saved and undoable. Rows can be moved by drag and drop
(an internal move) or through `moveRows`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from models.edits import Batch, InsertItem, MoveItem, ReplaceAll, SetField
from widgets.comma_list import join_list, split_list
from widgets.session import WorkshopSession

ROW_MIME = "application/x-accord-row"
UID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


# How a field is edited and shown: its editor in the form, its text in the table.
FieldKind = Literal["text", "multiline", "bool", "choice", "number", "optional_number", "int", "list", "date"]


@dataclass(frozen=True)
class Column:
    """One field of an item as shown in the table and the form."""

    field: str
    header: str
    kind: FieldKind = "text"
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label) for kind "choice"
    in_table: bool = True
    in_form: bool = True
    placeholder: str = ""
    suffix: str = ""
    minimum: float = -1e9
    maximum: float = 1e9
    decimals: int = 0
    help: str = ""


def plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def display_text(column: Column, value: Any) -> str:
    value = plain(value)
    if value is None:
        return "\u2014"
    if column.kind == "choice":
        return dict(column.choices).get(value, str(value))
    if column.kind in ("number", "optional_number"):
        text = (
            f"{value:,.{column.decimals}f}"
            if column.decimals
            else f"{value:,.0f}"
            if float(value).is_integer()
            else f"{value:,g}"
        )
        return text + column.suffix
    if column.kind == "int":
        return f"{value:,}{column.suffix}"
    if column.kind == "list":
        return join_list(value)
    if column.kind == "multiline":
        return " ".join(str(value).split())
    return str(value)


class CollectionModel(QAbstractTableModel):
    def __init__(self, session: WorkshopSession, section: str, columns: list[Column]) -> None:
        super().__init__()
        self.session = session
        self.section = section
        self.columns = [c for c in columns if c.in_table]
        session.edited.connect(self._on_edited)
        session.revisionChanged.connect(self._reset)

    # -- helpers ---------------------------------------------------------------
    def items(self) -> list[Any]:
        return self.session.defs.collection(self.section)

    def uid_at(self, row: int) -> str | None:
        items = self.items()
        return items[row].uid if 0 <= row < len(items) else None

    def row_of(self, uid: str | None) -> int:
        for row, item in enumerate(self.items()):
            if item.uid == uid:
                return row
        return -1

    def column_of(self, field: str) -> int:
        for i, c in enumerate(self.columns):
            if c.field == field:
                return i
        return -1

    def _reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _on_edited(self, edit: Any) -> None:
        if isinstance(edit, SetField):
            if edit.section != self.section:
                return
            row = self.row_of(edit.uid)
            if row >= 0:
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return
        if isinstance(edit, (ReplaceAll, Batch)) or getattr(edit, "section", None) == self.section:
            self._reset()

    # -- Qt model ----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items())

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].help:
                return self.columns[section].help
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            not index.isValid()
            or not (0 <= index.row() < len(self.items()))
            or not (0 <= index.column() < len(self.columns))
        ):
            return None
        item = self.items()[index.row()]
        column = self.columns[index.column()]
        value = getattr(item, column.field)
        if role == UID_ROLE:
            return item.uid
        if column.kind == "bool":
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return "Yes" if value else "No"
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(column, value)
        if role == Qt.ItemDataRole.EditRole:
            value = plain(value)
            return join_list(value) if column.kind == "list" else value
        if role == Qt.ItemDataRole.ToolTipRole and column.kind in ("multiline", "text") and value:
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("number", "optional_number", "int"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = (
            Qt.ItemFlag.ItemIsDropEnabled
            if not index.isValid()
            else (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        )
        if not index.isValid() or self.session.read_only:
            return base
        column = self.columns[index.column()]
        if column.kind == "bool":
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.session.read_only:
            return False
        column = self.columns[index.column()]
        uid = self.uid_at(index.row())
        if column.kind == "bool":
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column.kind == "list":
            value = split_list(str(value))
        return self.session.set(self.section, uid, column.field, value)

    # -- moving rows -------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            mime.setData(ROW_MIME, QByteArray(str(rows[0]).encode()))
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        return data.hasFormat(ROW_MIME) and not self.session.read_only

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = int(bytes(data.data(ROW_MIME).data()).decode())
        if row < 0:
            row = parent.row() if parent.isValid() else self.rowCount()
        dest = row - 1 if row > source else row  # index after removing the source row
        dest = max(0, min(dest, self.rowCount() - 1))
        if dest != source:
            self.session.do(MoveItem(self.section, source, dest))
        return False  # the move is done; the view must not remove the source row

    def moveRows(self, source_parent: Index, source_row: int, count: int, dest_parent: Index, dest_child: int) -> bool:
        if count != 1 or source_parent.isValid() or dest_parent.isValid():
            return False
        dest = dest_child - 1 if dest_child > source_row else dest_child
        if not 0 <= dest < self.rowCount() or dest == source_row:
            return False
        return self.session.do(MoveItem(self.section, source_row, dest))

    def insert_new(self, index: int, **fields: Any) -> str | None:
        """Insert a new item at `index`; returns its uid, or None if refused."""
        from models.definitions import COLLECTIONS

        item = COLLECTIONS[self.section](**fields)
        if self.session.do(InsertItem(self.section, index, item.model_dump(mode="json"))):
            return item.uid
        return None
