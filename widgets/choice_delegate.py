"""Edits a choice column in place with a drop-down of its labels, so a cell edit in the table
can only store one of the allowed values (typing "Agreed" into a text box would be refused)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from widgets.collection_model import Column

Index = QModelIndex | QPersistentModelIndex


class ChoiceDelegate(QStyledItemDelegate):
    def __init__(self, column: Column, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.column = column

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        box = QComboBox(parent)
        for value, label in self.column.choices:
            box.addItem(label, value)
        # One pick is one edit: commit as soon as a value is chosen.
        box.activated.connect(lambda _row: self._commit_and_close(box))
        return box

    def _commit_and_close(self, box: QComboBox) -> None:
        self.commitData.emit(box)
        self.closeEditor.emit(box)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        if editor.currentData() != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
