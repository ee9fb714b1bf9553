"""A read-only table model over a sequence of row objects, one row each, with fixed headers.

Subclasses set `HEADERS` and implement `cell(row, column, role)`; this base answers the
shape (rowCount, columnCount), the horizontal headers, the bounds checks of data() and the
flags (enabled and selectable). Rows are given with `set_rows`, which resets the model; a
model whose rows are computed on demand overrides `rows()` instead. An editable model
overrides `flags` and `setData` itself; one whose columns are not fixed overrides
`columnCount` and `headerData` (data() keeps to columnCount).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


class RowsTableModel(QAbstractTableModel, Generic[Row]):
    """One row per row object, one column per header; read-only unless a subclass says not."""

    HEADERS: tuple[str, ...] = ()
    # Whether the vertical header shows row numbers ("1", "2", ...) rather than nothing.
    ROW_NUMBERS: bool = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: Sequence[Row] = []

    def rows(self) -> Sequence[Row]:
        """The row objects, in order."""
        return self._rows

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Show `rows` instead (kept as given, not copied): resets the model."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def cell(self, row: Row, column: int, role: int) -> Any:
        """The data of `row` at `column` (within bounds) for `role`; None when there is none."""
        raise NotImplementedError

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows())

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < len(self.HEADERS) else None
        return str(section + 1) if self.ROW_NUMBERS else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self.rows()
        if not index.isValid() or not 0 <= index.row() < len(rows) or not 0 <= index.column() < self.columnCount():
            return None
        return self.cell(rows[index.row()], index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


__all__ = ["RowsTableModel"]
