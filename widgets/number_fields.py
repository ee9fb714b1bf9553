"""Number fields as a projected workshop needs them.

`NumberFieldsForm` is a `FieldForm` whose number fields show "25", not "25.0" (points,
thresholds and scores are mostly whole numbers, but need not be).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

from widgets.collection_model import Column
from widgets.forms import _NO_WHEEL, FieldForm


class TidySpinBox(QDoubleSpinBox):
    """A number spin box that shows 25, not 25.0 (and 2.5 when it is 2.5)."""

    def textFromValue(self, value: float) -> str:
        locale = self.locale()  # as QDoubleSpinBox writes it, so that it reads it back
        text = locale.toString(float(value), "f", self.decimals()).replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return "0" if text.lstrip(locale.negativeSign()) == "0" else text


class NumberFieldsForm(FieldForm):
    """A FieldForm whose number fields drop trailing zeros."""

    def _make_editor(self, column: Column) -> QWidget:
        if column.kind != "number":
            return super()._make_editor(column)
        editor = TidySpinBox()
        editor.setRange(column.minimum, column.maximum)
        editor.setDecimals(column.decimals)
        editor.setSuffix(column.suffix)
        editor.editingFinished.connect(lambda c=column: self._commit(c))
        editor.installEventFilter(_NO_WHEEL)
        editor.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return editor
