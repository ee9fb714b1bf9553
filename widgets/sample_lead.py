"""The live sample-lead preview of the scoring step: a lead's values, its fit, engagement,
score, band and hand-off, and every rule that fired with its points and why.

With historical leads imported, the sample starts as the first lead of the history (never
the demo's made-up values), and "A lead from the history" draws another; its values can then
be changed by hand. Without leads, the values are typed. A value of a yes/no column is read as
an answer (models.text_match), as the scoring reads the imported column.

The sample values belong to this widget, not to the definitions: they are not saved and
editing them is not an edit of the workshop (so they stay editable in a signed revision).
The scoring itself is `models.scoring.score_lead`, the reference semantics.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.check import ThresholdCheck
from models.lead_frame import LeadFrame
from models.palette import BAD, FAINT, GOOD, INK
from models.scoring import LeadScore, RuleOutcome, describe_rule, fmt_points, rule_fields, score_lead
from models.text_match import answer, answer_text
from widgets.rows_model import RowsTableModel
from widgets.rules_editor import KIND_NAMES, points_colour
from widgets.session import WorkshopSession
from widgets.table_fit import fit_to_contents

Index = QModelIndex | QPersistentModelIndex
MISSING = QColor(FAINT)


def fmt_score(value: float, decimals: int = 1) -> str:
    """A score to `decimals` places at most, with a real minus sign: "71", "43.8", "−5"."""
    text = f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "\u2212")


class SampleValuesModel(RowsTableModel[str]):
    """One row per field the rules read: the field and the sample lead's value (editable)."""

    valuesChanged = Signal()
    HEADERS = ("Field", "Value")

    def __init__(self, session: WorkshopSession) -> None:
        super().__init__()
        self.session = session
        self.values: dict[str, str] = {}
        self.frame: LeadFrame | None = None  # the history the sample comes from, when imported
        self.lead_index: int | None = None  # the lead of the history shown (None: typed)
        self.changed_by_hand = False
        self.sync_fields()

    @property
    def fields(self) -> Sequence[str]:
        return self.rows()

    def sync_fields(self) -> None:
        """Follow the rules: a field a rule starts reading gets the value of the history's lead
        shown, if any; else it starts missing."""
        fields = rule_fields(self.session.defs)
        for name in fields:
            if name not in self.values:
                self.values[name] = self._history_value(name)
        if fields != self.fields:
            self.set_rows(fields)

    def _history_value(self, name: str) -> str:
        if self.frame is None or self.lead_index is None:
            return ""
        col = self.frame.column(name)
        return "" if col is None else _as_text(col.value(self.lead_index))

    def is_yes_no(self, name: str) -> bool:
        """Whether the history's column `name` is a yes/no column (its value an answer)."""
        return self.frame is not None and self.frame.type_of(name) == "yes/no"

    def lead(self) -> dict[str, Any]:
        """The sample as the scoring takes it: the text of each field, a yes/no column's value
        read as its answer (text that is no answer stays text, and matches no answer)."""
        out: dict[str, Any] = {}
        for name in self.fields:
            text = self.values.get(name, "")
            said = answer(text) if text.strip() and self.is_yes_no(name) else None
            out[name] = said if said is not None else text
        return out

    def texts(self) -> dict[str, str]:
        """The sample's values as shown (text)."""
        return {name: self.values.get(name, "") for name in self.fields}

    def set_value(self, field: str, value: str) -> bool:
        if field not in self.fields:
            return False
        return self.setData(self.index(self.fields.index(field), 1), value)

    def set_history(self, frame: LeadFrame | None) -> bool:
        """Take the sample from `frame` (the imported leads): when they are new, the sample
        becomes their first lead. Returns whether the sample changed."""
        if frame is self.frame:
            return False
        self.frame = frame
        if frame is None or frame.n == 0:
            self.lead_index = None
            self.load({})
        else:
            self.load_lead(0)
        return True

    def load_lead(self, i: int) -> None:
        """Show lead i of the history."""
        assert self.frame is not None
        self.lead_index = i
        self.load({name: self._history_value(name) for name in self.fields})

    def start_again(self) -> None:
        """The sample as it started: the history's first lead, or (without leads) nothing."""
        if self.frame is not None and self.frame.n:
            self.load_lead(0)
        else:
            self.lead_index = None
            self.load({})

    def load(self, values: dict[str, str]) -> None:
        """Show these values in place of the current ones."""
        self.values = {name: values.get(name, "") for name in self.fields}
        self.changed_by_hand = False
        if self.fields:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.fields) - 1, 1))
        self.valuesChanged.emit()

    # -- Qt model ----------------------------------------------------------------------
    def cell(self, name: str, column: int, role: int) -> Any:
        if column == 0:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return name
            return None
        value = self.values.get(name, "")
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return value if value.strip() else "(missing)"
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.is_yes_no(name):
                return "A yes/no column: double-click to choose Yes, No or missing."
            return "Double-click to change; leave empty for a missing value."
        if role == Qt.ItemDataRole.ForegroundRole and not value.strip():
            return MISSING
        if role == Qt.ItemDataRole.FontRole and not value.strip():
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.isValid() and index.column() == 1 else flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != 1
            or not 0 <= index.row() < len(self.fields)
        ):
            return False
        name = self.fields[index.row()]
        text = "" if value is None else str(value)
        if self.values.get(name) != text:
            self.values[name] = text
            self.changed_by_hand = True
            self.dataChanged.emit(index, index)
            self.valuesChanged.emit()
        return True


class SampleValueDelegate(QStyledItemDelegate):
    """A yes/no column's value is chosen (Yes, No, or missing); any other value is typed."""

    CHOICES = (("Yes", "Yes"), ("No", "No"), ("(missing)", ""))

    def __init__(self, values: SampleValuesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values = values

    def _yes_no(self, index: Index) -> bool:
        return 0 <= index.row() < len(self.values.fields) and self.values.is_yes_no(self.values.fields[index.row()])

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        if not self._yes_no(index):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        for text, value in self.CHOICES:
            combo.addItem(text, value)
        combo.activated.connect(lambda _=0, c=combo: self._chosen(c))
        return combo

    def _chosen(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            said = answer(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.setCurrentIndex(2 if said is None else 0 if said else 1)
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


class FiredRulesModel(RowsTableModel[RuleOutcome]):
    """The rules that fired for the sample lead: rule, points and why."""

    HEADERS = ("Rule", "Points", "Why")

    def cell(self, outcome: RuleOutcome, column: int, role: int) -> Any:
        rule = outcome.rule
        if role == Qt.ItemDataRole.DisplayRole:
            return (rule.label or rule.field, fmt_points(outcome.points), outcome.reason)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{KIND_NAMES[rule.kind]} rule: {describe_rule(rule)}"
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return points_colour(outcome.points)
        if role == Qt.ItemDataRole.FontRole and column == 1:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Qt's own flags for a table cell, as this model has always had (with ItemNeverHasChildren).
        return QAbstractTableModel.flags(self, index)


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setMinimumSectionSize(40)
    fit_to_contents(view, stretch=())
    return view


class SampleLeadPreview(QWidget):
    """Fit + engagement = score, the band, the hand-off verdict, the fired rules, the sample."""

    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.values = SampleValuesModel(session)
        self.fired = FiredRulesModel()
        self.result: LeadScore | None = None

        # The score large; how it is made up beside it, small enough to leave the room to the
        # tables below even in presentation mode.
        self.score_label = QLabel()
        self.score_label.setObjectName("bigFigure")
        self.fit_label = QLabel()
        self.engagement_label = QLabel()
        self.band_label = QLabel()
        self.band_label.setWordWrap(True)
        for label in (self.score_label, self.fit_label, self.engagement_label, self.band_label):
            label.setTextFormat(Qt.TextFormat.RichText)
        score_caption = QLabel("Score")
        score_caption.setObjectName("figureLabel")
        for label in (score_caption, self.score_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        score_box = QVBoxLayout()
        score_box.setSpacing(0)
        score_box.addWidget(score_caption)
        score_box.addWidget(self.score_label)
        parts = QFormLayout()
        parts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        parts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for caption, label in (
            ("= Fit", self.fit_label),
            ("+ Engagement", self.engagement_label),
            ("Band", self.band_label),
        ):
            name = QLabel(caption)
            name.setObjectName("figureLabel")
            parts.addRow(name, label)
        figures = QHBoxLayout()
        figures.addLayout(score_box)
        figures.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        figures.addLayout(parts, 1)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("sampleVerdict")
        self.verdict_label.setTextFormat(Qt.TextFormat.RichText)
        self.verdict_label.setWordWrap(True)

        self.fired_caption = QLabel()
        self.fired_caption.setWordWrap(True)
        self.fired_table = _table(self.fired, "fired_table")
        fired_header = self.fired_table.horizontalHeader()
        for col, mode in enumerate(
            (QHeaderView.ResizeMode.Stretch, QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Stretch)
        ):
            fired_header.setSectionResizeMode(col, mode)
        self.fired_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        values_caption = QLabel("Its values (double-click to change; not saved):")
        values_caption.setWordWrap(True)
        self.values_table = _table(self.values, "sample_values_table")
        self.value_delegate = SampleValueDelegate(self.values, self.values_table)
        self.values_table.setItemDelegateForColumn(1, self.value_delegate)
        self.values_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        values_header = self.values_table.horizontalHeader()
        values_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        values_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.reset_button = QPushButton("Start again")
        self.reset_button.clicked.connect(self.reset_sample)
        self.history_button = QPushButton("A lead from the history")
        self.history_button.setObjectName("historyLeadButton")
        self.history_button.clicked.connect(self.load_random_lead)
        self.history_label = QLabel()
        self.history_label.setObjectName("hint")
        self.history_label.setWordWrap(True)
        self.history_label.hide()
        self._rng = random.Random()

        fired_box = QWidget()
        fired_layout = QVBoxLayout(fired_box)
        fired_layout.setContentsMargins(0, 0, 0, 0)
        fired_layout.addWidget(self.fired_caption)
        fired_layout.addWidget(self.fired_table, 1)
        values_box = QWidget()
        values_layout = QVBoxLayout(values_box)
        values_layout.setContentsMargins(0, 0, 0, 0)
        values_layout.addWidget(values_caption)
        values_layout.addWidget(self.values_table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.history_button)
        buttons.addStretch(1)
        values_layout.addWidget(self.history_label)
        values_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(fired_box)
        self.splitter.addWidget(values_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(figures)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.splitter, 1)

        self._keep_rows_in_view()
        self.values.valuesChanged.connect(self.recompute)
        self.values.valuesChanged.connect(self._say_which_lead)
        session.edited.connect(self._on_definitions)
        session.revisionChanged.connect(self._on_definitions)
        session.check.changed.connect(self._on_check)
        self._on_check()
        self.recompute()

    # -- leads from the history ------------------------------------------------------
    def _history(self) -> ThresholdCheck | None:
        return self.session.check.check

    def _on_check(self) -> None:
        """Leads imported (or replaced): the sample becomes the first lead of the history."""
        check = self._history()
        self.values.set_history(check.frame if check is not None else None)
        ready = check is not None and check.frame.n > 0
        self.history_button.setEnabled(ready)
        self.history_button.setToolTip(
            "Fill in a random lead of the imported history, and see whether it became an opportunity"
            if ready
            else "Import historical leads (and open the Threshold check) to take a real lead"
        )
        self.reset_button.setToolTip(
            "Back to the first lead of the history, as it is in the data"
            if ready
            else "Clear the values (no historical leads are imported yet)"
        )
        self._say_which_lead()

    def load_random_lead(self) -> None:
        check = self._history()
        if check is not None and check.frame.n:
            self.load_lead(self._rng.randrange(check.frame.n))

    def load_lead(self, i: int) -> None:
        """Fill in lead i of the history; say which it is and what became of it."""
        if self._history() is None:
            return
        self.values.load_lead(i)

    def _say_which_lead(self) -> None:
        frame, i = self.values.frame, self.values.lead_index
        if frame is None or i is None or i >= frame.n:
            self.history_label.hide()
            return
        outcome = "became an opportunity" if frame.outcome[i] else "did not become an opportunity"
        text = f"Lead {frame.lead_id(i)} of the history: it {outcome}."
        if self.values.changed_by_hand:
            text = f"Lead {frame.lead_id(i)} of the history, changed by hand (as it was, it {outcome})."
        self.history_label.setText(text)
        self.history_label.show()

    def reset_sample(self) -> None:
        self.values.start_again()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._keep_rows_in_view()

    def _keep_rows_in_view(self) -> None:
        """Each table shows its header and about three two-line rows, at any type size."""
        line = self.fontMetrics().lineSpacing()
        for table in (self.fired_table, self.values_table):
            table.setMinimumHeight(line * 9)

    def _on_definitions(self, *_: Any) -> None:
        self.values.sync_fields()
        self.recompute()

    def recompute(self) -> None:
        defs = self.session.defs
        result = score_lead(defs, self.values.lead())
        self.result = result
        for label, value in (
            (self.fit_label, result.fit),
            (self.engagement_label, result.engagement),
            (self.score_label, result.score),
        ):
            colour = BAD if value < 0 else INK
            label.setText(f'<span style="color:{colour}; font-weight:600">{fmt_score(value)}</span>')
        band = result.band
        if band is None:
            self.band_label.setText("none (below every band)" if defs.bands else "no bands defined")
        else:
            self.band_label.setText(
                f'<span style="color:{band.colour}">\u25a0</span> '
                f"<b>{_html(band.name)}</b> (from {fmt_score(band.min_score)})"
            )
        threshold = defs.scoring.threshold
        minimum_fit = defs.scoring.minimum_fit

        def exact(value: float) -> str:  # a decayed 39.96 must not read "40 is below 40"
            return fmt_score(value, 4)

        if result.handoff:
            why = f"score {exact(result.score)} \u2265 threshold {exact(threshold)}"
            if minimum_fit is not None:
                why += f", fit {exact(result.fit)} \u2265 minimum fit {exact(minimum_fit)}"
            self.verdict_label.setText(f'<b style="color:{GOOD}">\u2714 Goes to sales</b>: {why}')
        else:
            reasons = []
            if result.score < threshold:
                reasons.append(f"score {exact(result.score)} is below the threshold {exact(threshold)}")
            if minimum_fit is not None and result.fit < minimum_fit:
                reasons.append(f"fit {exact(result.fit)} is below the minimum fit {exact(minimum_fit)}")
            self.verdict_label.setText(f'<b style="color:{BAD}">\u2718 Stays with marketing</b>: ' + "; ".join(reasons))
        self.fired.set_rows(result.fired)
        incomplete = sum(1 for o in result.outcomes if o.reason.startswith("incomplete"))
        text = f"Rules that fired: {len(result.fired)} of {len(result.outcomes)}"
        if incomplete:
            text += f" ({incomplete} not scored: incomplete)"
        self.fired_caption.setText(text)


def _as_text(value: Any) -> str:
    """A lead's value as the sample table shows it: numbers without a needless ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return answer_text(value)
    if isinstance(value, float):
        return f"{value:.15g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["SampleLeadPreview", "SampleValuesModel", "FiredRulesModel", "fmt_score"]
