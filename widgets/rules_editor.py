"""The scoring rules editor: fit and behaviour rules in one table (a kind column and a filter),
and a form that shows only the operands the chosen operator reads, with what keeps the rule
from being scored said in words.

The table is a proxy over the shared `CollectionModel`: it filters by kind, shows each rule in
words (`describe_rule`) and its points with their sign (negative points in red). Because a
filtered view cannot use the collection editor's own reordering, this editor moves rules itself,
past the neighbouring *visible* rule.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from models.definitions import OPERATOR_LABELS, OPERATOR_OPERANDS, Operator, RuleKind, ScoringRule
from models.definitions_json import rule_problems
from models.demo import SAMPLE_LEAD
from models.edits import Batch, MoveItem, SetField, change_operator
from models.palette import BAD, BEHAVIOUR, FIT, GOOD, WARN
from models.scoring import describe_rule, fmt_points, rule_fields
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import CollectionModel, Column
from widgets.number_fields import NumberFieldsForm
from widgets.session import WorkshopSession

Index = QModelIndex | QPersistentModelIndex

NEGATIVE = QColor(BAD)
POSITIVE = QColor(GOOD)
WARNING = QColor(WARN)
KIND_COLOURS = {RuleKind.FIT: QColor(FIT), RuleKind.BEHAVIOUR: QColor(BEHAVIOUR)}

KIND_NAMES = {RuleKind.FIT: "Fit", RuleKind.BEHAVIOUR: "Behaviour"}
KIND_CHOICES = tuple((k.value, KIND_NAMES[k]) for k in RuleKind)
KIND_FORM_CHOICES = (
    (RuleKind.FIT.value, "Fit: who the lead is"),
    (RuleKind.BEHAVIOUR.value, "Behaviour: what the lead did"),
)
OPERATOR_CHOICES = tuple(
    (op.value, "count × points per occurrence" if op == Operator.COUNT else OPERATOR_LABELS[op]) for op in Operator
)
OPERANDS = ("value", "values", "minimum", "maximum")

RULE_TABLE_COLUMNS = [
    Column("label", "Rule"),
    Column("kind", "Kind", kind="choice", choices=KIND_CHOICES),
    Column("operator", "In words", kind="choice", choices=OPERATOR_CHOICES, help="The rule as the scoring reads it"),
    Column(
        "points",
        "Points",
        kind="number",
        decimals=1,
        help="Points when the rule matches; per occurrence for a count rule. Negative points lower the score.",
    ),
]

RULE_FORM_COLUMNS = [
    Column("label", "Label", placeholder="e.g. Viewed the pricing page"),
    Column(
        "kind",
        "Kind",
        kind="choice",
        choices=KIND_FORM_CHOICES,
        help="Fit rules add up to the fit score, behaviour rules to the engagement score.",
    ),
    Column(
        "field",
        "Field",
        placeholder="lead column, e.g. Lead Source",
        help="The column of the lead the rule reads, spelled as in the CRM export.",
    ),
    Column("operator", "Operator", kind="choice", choices=OPERATOR_CHOICES),
    Column("value", "Value", placeholder="e.g. Google", help="Compared after trimming, ignoring case."),
    Column(
        "values",
        "Values",
        kind="list",
        placeholder="comma-separated, e.g. Reference, Partner site",
        help='Any of these values, separated by commas; a value with a comma in double quotes: "Acme, Inc.", Beta',
    ),
    Column("minimum", "Minimum", kind="optional_number", placeholder="a number (inclusive)"),
    Column("maximum", "Maximum", kind="optional_number", placeholder="a number (inclusive)"),
    Column(
        "points",
        "Points",
        kind="number",
        minimum=-10_000,
        maximum=10_000,
        decimals=1,
        help="Negative points lower the score (e.g. −20 for a careers-page visit).",
    ),
    Column(
        "cap",
        "Cap (at most)",
        kind="optional_number",
        minimum=0,
        maximum=1e6,
        placeholder="points; empty = no cap",
        help="A count rule adds at most this many points (in absolute value).",
    ),
    Column(
        "decay_half_life_days",
        "Decay half-life",
        kind="optional_number",
        minimum=0,
        maximum=1e5,
        placeholder="days; empty = no decay",
        help="Optional: points × 0.5^(age / half-life), age in days since the activity date.",
    ),
    Column(
        "decay_date_field",
        "Activity-date column",
        placeholder="e.g. Last Activity Date",
        help="The lead's date the decay age is measured from (needed with a half-life).",
    ),
]


def rule_points_text(rule: ScoringRule) -> str:
    """Points with their sign ("+25", "−10"), "each" for a count rule."""
    text = fmt_points(rule.points)
    return text + " each" if rule.operator == Operator.COUNT else text


def points_colour(points: float) -> QColor | None:
    if points < 0:
        return NEGATIVE
    if points > 0:
        return POSITIVE
    return None


class RulesProxy(QSortFilterProxyModel):
    """The rules table: filtered by kind, each rule in words, points signed and coloured."""

    def __init__(self) -> None:
        super().__init__()
        self.kind_filter: RuleKind | None = None

    def set_kind_filter(self, kind: RuleKind | None) -> None:
        self.beginFilterChange()
        self.kind_filter = kind
        self.endFilterChange()

    def _source(self) -> CollectionModel:
        model = self.sourceModel()
        assert isinstance(model, CollectionModel)
        return model

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        items = self._source().items()
        if self.kind_filter is None or not 0 <= source_row < len(items):
            return True
        return items[source_row].kind == self.kind_filter

    def _rule_and_field(self, index: Index) -> tuple[ScoringRule, str] | None:
        if not index.isValid():
            return None
        source = self.mapToSource(index)
        model = self._source()
        items = model.items()
        if not (0 <= source.row() < len(items) and 0 <= source.column() < len(model.columns)):
            return None
        return items[source.row()], model.columns[source.column()].field

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        found = self._rule_and_field(index)
        if found is None:
            return None
        rule, field = found
        if field == "operator":
            problems = rule_problems(rule)
            if role == Qt.ItemDataRole.DisplayRole:
                return ("\u26a0 " if problems else "") + describe_rule(rule)
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join([describe_rule(rule)] + [f"Not scored: {m}" for _, m in problems])
            if role == Qt.ItemDataRole.ForegroundRole:
                return WARNING if problems else None
            if role == Qt.ItemDataRole.EditRole:
                return describe_rule(rule)
        elif field == "points":
            if role == Qt.ItemDataRole.DisplayRole:
                return rule_points_text(rule)
            if role == Qt.ItemDataRole.ForegroundRole:
                return points_colour(rule.points)
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
        elif field == "kind" and role == Qt.ItemDataRole.ForegroundRole:
            return KIND_COLOURS.get(rule.kind)
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        found = self._rule_and_field(index)
        if found is not None and found[1] in ("operator", "kind"):
            flags &= ~Qt.ItemFlag.ItemIsEditable  # edited in the form, where the operands show
        return flags


class RuleForm(NumberFieldsForm):
    """The selected rule; shows only the operands its operator reads, and its problems."""

    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "rules", RULE_FORM_COLUMNS, parent)
        self.problems = QLabel()
        self.problems.setObjectName("banner")
        self.problems.setWordWrap(True)
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        layout.insertRow(0, self.problems)  # on top, where it is seen without scrolling
        # Field names must match the lead's columns exactly: offer the ones already in use.
        self.field_names = QStringListModel(self)
        for name in ("field", "decay_date_field"):
            editor = self.editors[name]
            assert isinstance(editor, QLineEdit)
            completer = QCompleter(self.field_names, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        session.edited.connect(self._update_field_names)
        session.revisionChanged.connect(self._update_field_names)
        self._update_field_names()
        self.update_visibility()

    def _update_field_names(self, *_: Any) -> None:
        names = sorted(set(rule_fields(self.session.defs)) | set(SAMPLE_LEAD), key=str.casefold)
        if self.field_names.stringList() != names:
            self.field_names.setStringList(names)

    def update_visibility(self) -> None:
        problems_label: QLabel | None = getattr(self, "problems", None)
        if problems_label is None:  # still being built
            return
        rule = self.target()
        operator = rule.operator if rule is not None else None
        needs = OPERATOR_OPERANDS.get(operator, ()) if operator is not None else ()
        for field in OPERANDS:
            self.set_row_visible(field, field in needs)
        is_count = operator == Operator.COUNT
        # A cap left on a non-count rule (e.g. from imported JSON) stays visible so it can be cleared.
        self.set_row_visible("cap", is_count or (rule is not None and rule.cap is not None))
        self.labels["points"].setText("Points per occurrence:" if is_count else "Points:")
        problems = rule_problems(rule) if rule is not None else []
        problems_label.setText("\n".join(f"\u26a0 Not scored yet: {message}" for _, message in problems))
        problems_label.setVisible(bool(problems))

    def _commit(self, column: Column) -> None:
        rule = self.target()
        if column.field != "operator" or self._loading or rule is None or self.session.read_only:
            super()._commit(column)
            return
        new = Operator(self.value_of(column))
        if new == rule.operator:
            return
        if not self.session.do(change_operator(self.session.defs, rule.uid, new)):
            self.refresh()


FILTERS: tuple[tuple[str, RuleKind | None], ...] = (
    ("All rules", None),
    ("Fit rules", RuleKind.FIT),
    ("Behaviour rules", RuleKind.BEHAVIOUR),
)


class RulesEditor(QWidget):
    """Table of rules (filterable by kind) above the selected rule's form."""

    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.proxy = RulesProxy()
        self.form = RuleForm(session)
        self.editor = CollectionEditor(
            session, "rules", RULE_TABLE_COLUMNS, "rule", self._new_rule, form=self.form, proxy=self.proxy
        )
        self.model = self.editor.model
        self.table = self.editor.table
        # The rule in words takes the room; the label column is as wide as the longest label
        # but never more than 30% of the table (see _fit_label_column).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.model.column_of("operator"), QHeaderView.ResizeMode.Stretch)
        self.table.viewport().installEventFilter(self)
        self.table.verticalHeader().hide()  # row numbers would take width from the rule in words

        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("rules_kind_filter")
        # Room for the longest entry and the arrow at any type size (styled, the arrow crowds it).
        self.kind_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(max(len(text) for text, _ in FILTERS) + 2)
        for text, kind in FILTERS:
            self.kind_filter.addItem(text, kind.value if kind else "")
        self.kind_filter.currentIndexChanged.connect(self._on_filter)
        self.counts = QLabel()
        self.counts.setObjectName("hint")
        top = QHBoxLayout()
        show = QLabel("Show:")
        show.setBuddy(self.kind_filter)
        top.addWidget(show)
        top.addWidget(self.kind_filter)
        top.addWidget(self.counts, 1)
        self.editor.left_layout.insertLayout(0, top)

        # The collection editor cannot reorder through a filter; these buttons can.
        self.editor.up_button.hide()
        self.editor.down_button.hide()
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        self.up_button.setToolTip("Move the selected rule above the previous one shown")
        self.down_button.setToolTip("Move the selected rule below the next one shown")
        for button, step in ((self.up_button, -1), (self.down_button, +1)):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, s=step: self.move_selected(s))
            self.editor.buttons.insertWidget(self.editor.buttons.count() - 1, button)

        self.editor.splitter.setOrientation(Qt.Orientation.Vertical)  # the table gets the full width
        self.editor.splitter.setStretchFactor(0, 3)
        self.editor.splitter.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)

        self.table.selectionModel().currentRowChanged.connect(self._update_moves)
        self.proxy.modelReset.connect(self._update_moves)
        self.proxy.layoutChanged.connect(self._update_moves)
        session.edited.connect(self._on_edited)
        session.revisionChanged.connect(self._on_edited)
        self._on_edited()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_label_column()
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_label_column()

    def _fit_label_column(self) -> None:
        wanted = max(self.table.sizeHintForColumn(0), self.table.horizontalHeader().sectionSizeHint(0))
        width = max(min(wanted, self.table.viewport().width() * 3 // 10), 60)
        if self.table.columnWidth(0) != width:
            self.table.setColumnWidth(0, width)

    # -- filter and counts -------------------------------------------------------------
    def _on_filter(self, _index: int = 0) -> None:
        data = self.kind_filter.currentData()
        uid = self.editor.current_uid()
        self.proxy.set_kind_filter(RuleKind(data) if data else None)
        if (
            self.model.row_of(uid) >= 0
            and self.proxy.mapFromSource(self.model.index(self.model.row_of(uid), 0)).isValid()
        ):
            self.editor.select_uid(uid)
        else:
            first = self.proxy.index(0, 0)
            self.editor.select_uid(self.model.uid_at(self.proxy.mapToSource(first).row()) if first.isValid() else None)
        self._update_moves()

    def _on_edited(self, edit: Any = None) -> None:
        for change in edit.edits if isinstance(edit, Batch) else (edit,):
            if (
                isinstance(change, SetField)
                and change.section == "rules"
                and change.field == "kind"
                and self.proxy.kind_filter is not None
                and change.new != self.proxy.kind_filter
            ):
                # The rule just left the filtered view: show every rule, keep it selected.
                self.kind_filter.setCurrentIndex(0)
                self.editor.select_uid(change.uid)
        rules = self.session.defs.rules
        fit = sum(1 for r in rules if r.kind == RuleKind.FIT)
        incomplete = sum(1 for r in rules if rule_problems(r))
        text = f"{fit} fit, {len(rules) - fit} behaviour"
        if incomplete:
            text += f"; {incomplete} not scored yet (\u26a0)"
        self.counts.setText(text)
        self._update_moves()
        self._fit_label_column()

    def _new_rule(self) -> dict[str, Any]:
        labels = {r.label for r in self.session.defs.rules}
        n = 1
        while f"New rule {n}" in labels:
            n += 1
        kind = self.proxy.kind_filter or RuleKind.FIT  # a new rule must show under the filter
        return {"label": f"New rule {n}", "kind": kind.value, "points": 10}

    # -- moving --------------------------------------------------------------------------
    def _neighbour_row(self, step: int) -> tuple[int, int] | None:
        """(source row of the current rule, source row of the next visible rule in `step`'s direction)."""
        current = self.table.currentIndex()
        if not current.isValid():
            return None
        neighbour = self.proxy.index(current.row() + step, 0)
        if not neighbour.isValid():
            return None
        return self.proxy.mapToSource(current).row(), self.proxy.mapToSource(neighbour).row()

    def move_selected(self, step: int) -> None:
        rows = self._neighbour_row(step)
        if rows is None or self.session.read_only:
            return
        # The model resets after the move and the editor reselects the rule shown in the form.
        self.session.do(MoveItem("rules", rows[0], rows[1]))
        self.table.setFocus()

    def _update_moves(self, *_: Any) -> None:
        writable = not self.session.read_only
        self.up_button.setEnabled(writable and self._neighbour_row(-1) is not None)
        self.down_button.setEnabled(writable and self._neighbour_row(+1) is not None)
