"""A filter over a `CollectionModel` by the value of one field (a term's status, a decision's
kind), which also marks that field's cells with a symbol and a colour.

The marks are for the room: on a projector, "✓ Agreed" in green and "✗ Disputed" in red read
at a glance from the back, and the symbol keeps the meaning for anyone who cannot tell the
colours apart. Only the display changes; editing still reads and writes the stored value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from models.palette import ACCENT, BAD, GOOD, INK, LINE, LOST, MUTED, NAVY, PAPER, WARN
from widgets.collection_model import CollectionModel, plain

Index = QModelIndex | QPersistentModelIndex

GREEN = GOOD
RED = BAD
AMBER = WARN
BLUE = ACCENT


@dataclass(frozen=True)
class Mark:
    """How one stored value looks in the table: a leading symbol and a text colour."""

    symbol: str
    colour: str


class ValueFilterProxy(QSortFilterProxyModel):
    """Shows the items whose `field` holds `value()` (every item when it is None)."""

    def __init__(self, field: str, marks: Mapping[str, Mark], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.marks = dict(marks)
        self._value: str | None = None

    def value(self) -> str | None:
        return self._value

    def set_value(self, value: str | None) -> None:
        if value == self._value:
            return
        if not hasattr(self, "beginFilterChange"):  # Qt before 6.9
            self._value = value
            self.invalidateRowsFilter()
            return
        self.beginFilterChange()
        self._value = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def source(self) -> CollectionModel:
        model = self.sourceModel()
        assert isinstance(model, CollectionModel), "ValueFilterProxy filters a CollectionModel"
        return model

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._value is None:
            return True
        items = self.source().items()
        return 0 <= source_row < len(items) and plain(getattr(items[source_row], self.field)) == self._value

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if (
            role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)
            or not index.isValid()
        ):
            return value
        source_index = self.mapToSource(index)
        model = self.source()
        if (
            not 0 <= source_index.column() < len(model.columns)
            or model.columns[source_index.column()].field != self.field
        ):
            return value
        mark = self.marks.get(str(model.data(source_index, Qt.ItemDataRole.EditRole)))
        if mark is None:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{mark.symbol} {value}" if mark.symbol else value
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(mark.colour))
        font = QFont()
        font.setBold(True)
        return font


# A checked filter or toggle button must stand out on a projector, not just look pressed.
# Colours only, so the theme's font sizes (normal or presentation) still apply.
CHECKED_BUTTON_STYLE = (
    f"QPushButton:checked:enabled {{ background: {NAVY}; color: {PAPER}; "
    f"border: 1px solid {INK}; border-radius: 3px; }}"
    f"QPushButton:checked:disabled {{ background: {LINE}; color: {MUTED}; "
    f"border: 1px solid {LOST}; border-radius: 3px; }}"
)
