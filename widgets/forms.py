"""A form of fields bound to one object of the definitions (team, scoring settings) or to
one item of a collection (the selected stage, term, ...).

Each field commits when the user finishes with it (Enter, leaving the field, a click on a
check box or a choice), as one edit; the form refreshes when the document changes, unless
the user is typing in that very field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from models.edits import ReplaceAll, SetField
from widgets.collection_model import Column, plain
from widgets.comma_list import join_list, split_list
from widgets.session import WorkshopSession


class CommitTextEdit(QPlainTextEdit):
    """A multi-line text field that commits when it loses focus (or on Ctrl+Enter)."""

    committed = Signal()

    def focusOutEvent(self, event: Any) -> None:
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event: Any) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.committed.emit()
            return
        super().keyPressEvent(event)


class OptionalNumberValidator(QDoubleValidator):
    """A number in the user's locale, or nothing at all (an empty optional number is None).

    A plain QDoubleValidator calls an empty field "intermediate", and a line edit whose input
    is not acceptable never emits editingFinished: the number could not be cleared."""

    def validate(self, text: str, pos: int) -> Any:
        if not text.strip():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)


class _NoWheel(QObject):
    """Scrolling the page must not change a spin box or combo box under the mouse."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            event.ignore()
            return True
        return False


_NO_WHEEL = _NoWheel()


def _number_locale(editor: QLineEdit) -> QLocale:
    validator = editor.validator()
    return validator.locale() if validator is not None else QLocale()


class FieldForm(QWidget):
    """Shows `columns` of one object; `set_target(uid)` picks the collection item."""

    def __init__(
        self, session: WorkshopSession, section: str, columns: list[Column], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.section = section
        self.columns = [c for c in columns if c.in_form]
        self.uid: str | None = None
        self.editors: dict[str, QWidget] = {}
        self.labels: dict[str, QLabel] = {}
        self._loading = False
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for column in self.columns:
            editor = self._make_editor(column)
            editor.setObjectName(f"field_{column.field}")
            if column.help:
                editor.setToolTip(column.help)
            label = QLabel(column.header + ":")
            label.setBuddy(editor)
            self.labels[column.field] = label
            self.editors[column.field] = editor
            layout.addRow(label, editor)
        session.edited.connect(self._on_edited)
        session.revisionChanged.connect(self.refresh)
        self.refresh()

    # -- building ------------------------------------------------------------------
    def _make_editor(self, column: Column) -> QWidget:
        # Signals pass their own arguments (activated(int), toggled(bool)): never into `c`.
        commit: Callable[..., None] = lambda *_, c=column: self._commit(c)  # noqa: E731
        kind = column.kind
        w: QWidget
        if kind == "multiline":
            text = CommitTextEdit()
            text.setTabChangesFocus(True)
            text.setPlaceholderText(column.placeholder)
            text.setMinimumHeight(64)
            text.committed.connect(commit)
            w = text
        elif kind == "bool":
            w = QCheckBox(column.placeholder)
            w.toggled.connect(commit)
        elif kind == "choice":
            w = QComboBox()
            for value, label in column.choices:
                w.addItem(label, value)
            w.activated.connect(commit)
        elif kind == "int":
            w = QSpinBox()
            w.setRange(int(max(column.minimum, -(2**31))), int(min(column.maximum, 2**31 - 1)))
            w.setSuffix(column.suffix)
            w.setGroupSeparatorShown(True)
            w.editingFinished.connect(commit)
        elif kind == "number":
            w = QDoubleSpinBox()
            w.setRange(column.minimum, column.maximum)
            w.setDecimals(column.decimals)
            w.setSuffix(column.suffix)
            w.setGroupSeparatorShown(True)
            w.editingFinished.connect(commit)
        elif kind == "date":
            w = QDateEdit()
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.editingFinished.connect(commit)
        else:  # text, list, optional_number
            w = QLineEdit()
            w.setPlaceholderText(column.placeholder)
            if kind == "optional_number":
                validator = OptionalNumberValidator(column.minimum, column.maximum, 6, w)
                validator.setNotation(QDoubleValidator.Notation.StandardNotation)
                w.setValidator(validator)
            w.editingFinished.connect(commit)
        if kind in ("choice", "int", "number", "date"):
            w.installEventFilter(_NO_WHEEL)
            w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return w

    # -- target ----------------------------------------------------------------------
    def target(self) -> Any:
        defs = self.session.defs
        if self.uid is None:
            return getattr(defs, self.section) if self.section in ("team", "scoring") else None
        for item in defs.collection(self.section):
            if item.uid == self.uid:
                return item
        return None

    def set_target(self, uid: str | None) -> None:
        self.uid = uid
        self.refresh()

    # -- showing ---------------------------------------------------------------------
    def refresh(self, only: str | None = None) -> None:
        obj = self.target()
        editable = obj is not None and not self.session.read_only
        self._loading = True
        try:
            for column in self.columns:
                if only is not None and column.field != only:
                    continue
                editor = self.editors[column.field]
                value = plain(getattr(obj, column.field)) if obj is not None else None
                self._show(column, editor, value)
                if isinstance(editor, (QLineEdit, QPlainTextEdit)):
                    editor.setReadOnly(not editable)
                    editor.setEnabled(obj is not None)
                else:
                    editor.setEnabled(editable)
        finally:
            self._loading = False
        self.update_visibility()

    def update_visibility(self) -> None:
        """Hook for forms whose fields depend on other fields (e.g. a rule's operator)."""

    def set_row_visible(self, field: str, visible: bool) -> None:
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        layout.setRowVisible(self.editors[field], visible)

    def _show(self, column: Column, editor: QWidget, value: Any) -> None:
        if isinstance(editor, QPlainTextEdit):
            if editor.toPlainText() != (value or ""):
                editor.setPlainText(value or "")
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value or 0))
        elif isinstance(editor, QDateEdit):
            editor.setDate(QDate(value.year, value.month, value.day) if value else QDate.currentDate())
        elif isinstance(editor, QLineEdit):
            if column.kind == "list":
                text = join_list(value or [])
            elif column.kind == "optional_number":
                text = "" if value is None else _number_locale(editor).toString(float(value), "g", 15)
            else:
                text = "" if value is None else str(value)
            if editor.text() != text:
                editor.setText(text)
                editor.setCursorPosition(0)

    # -- committing ------------------------------------------------------------------
    def value_of(self, column: Column) -> Any:
        editor = self.editors[column.field]
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QDoubleSpinBox):
            return editor.value()
        if isinstance(editor, QDateEdit):
            d = editor.date()
            import datetime as dt

            return dt.date(d.year(), d.month(), d.day())
        assert isinstance(editor, QLineEdit)
        text = editor.text().strip()
        if column.kind == "list":
            return split_list(text)
        if column.kind == "optional_number":
            if not text:
                return None
            # In the locale the validator accepted it in: "36,5" is 36.5 in German, not 365.
            number, ok = _number_locale(editor).toDouble(text)
            return number if ok else float(text.replace(",", ""))
        return text

    def _commit(self, column: Column) -> None:
        if self._loading or self.target() is None or self.session.read_only:
            return
        try:
            value = self.value_of(column)
        except ValueError:
            self.session.refused.emit(f"{column.header}: enter a number, or leave it empty.")
            self.refresh(column.field)
            return
        if not self.session.set(self.section, self.uid, column.field, value):
            self.refresh(column.field)

    def _on_edited(self, edit: Any) -> None:
        if isinstance(edit, SetField) and edit.section == self.section and edit.uid == self.uid:
            self.refresh(edit.field)
        elif (
            isinstance(edit, ReplaceAll)
            or getattr(edit, "section", None) == self.section
            or not isinstance(edit, SetField)
        ):
            self.refresh()
