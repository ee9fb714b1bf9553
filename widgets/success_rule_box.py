"""The "What counts as success" box of the import dialog: the outcome column's values that
mean success (and those that mean none), a funnel stage from which a lead counts, any value
at all, or a row in the outcomes file.

For the stage rule the stages are listed in funnel order, to drag into place; the values the
preview shows in the outcome column fill the list. The box shows and returns the rule; which
column is the outcome, and whether an outcomes file is joined, is the dialog's to say.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QWidget,
)

from models.leads.types import DEFAULT_FAILURE_VALUES, DEFAULT_SUCCESS_VALUES, SuccessKind, SuccessRule
from widgets.comma_list import join_list, split_list


class SuccessRuleBox(QGroupBox):
    """The kinds of rule as radio buttons (`kind_buttons`), each with what it needs."""

    changed = Signal()  # another kind of rule chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("What counts as success", parent)
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[SuccessKind, QRadioButton] = {}
        texts = {
            SuccessKind.VALUES: "The outcome is one of:",
            SuccessKind.STAGE_AT_LEAST: "The outcome is a stage at or past:",
            SuccessKind.HAS_VALUE: "The outcome has any value",
            SuccessKind.MATCHED: "The lead has a row in the outcomes file",
        }
        for number, (kind, text) in enumerate(texts.items()):
            button = QRadioButton(text)
            self.kind_group.addButton(button, number)
            self.kind_buttons[kind] = button
            button.toggled.connect(lambda _on: self.changed.emit())
        self.success_values = QLineEdit(join_list(list(DEFAULT_SUCCESS_VALUES)))
        self.success_values.setToolTip("Values meaning success, separated by commas (case does not matter).")
        self.failure_values = QLineEdit(join_list(list(DEFAULT_FAILURE_VALUES)))
        self.failure_values.setToolTip("Values meaning no success; any other value is reported as a bad row.")
        self.stage_box = QComboBox()
        self.stage_order = QListWidget()
        self.stage_order.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stage_order.setToolTip("The stages in funnel order, first stage at the top: drag to reorder.")
        self.stage_order.setMaximumHeight(self.fontMetrics().height() * 7)
        self.stage_order.model().rowsMoved.connect(lambda *_: self._fill_stage_box())
        grid = QGridLayout(self)
        grid.addWidget(self.outcome_label, 0, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.VALUES], 1, 0, 1, 2)
        values_form = QFormLayout()
        values_form.addRow("Success:", self.success_values)
        values_form.addRow("No success:", self.failure_values)
        grid.addLayout(values_form, 2, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.STAGE_AT_LEAST], 3, 0)
        grid.addWidget(self.stage_box, 3, 1)
        self.stage_hint = QLabel("Stages in funnel order (drag to reorder):")
        self.stage_hint.setObjectName("hint")
        grid.addWidget(self.stage_hint, 4, 0, 1, 2)
        grid.addWidget(self.stage_order, 5, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.HAS_VALUE], 6, 0, 1, 2)
        grid.addWidget(self.kind_buttons[SuccessKind.MATCHED], 7, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(8, 1)

    def show_rule(self, rule: SuccessRule, seen: list[str]) -> None:
        """Show `rule`; `seen` are the outcome column's values in the preview."""
        self.success_values.setText(join_list(rule.values))
        self.failure_values.setText(join_list(rule.failures))
        for edit in (self.success_values, self.failure_values):
            edit.setCursorPosition(0)  # show the start of a long list, not its end
        self.kind_buttons[rule.kind].setChecked(True)
        self.fill_stages(seen, rule.stages, rule.stage)

    def fill_stages(self, seen: list[str], stages: list[str] | None = None, stage: str = "") -> None:
        """List `stages` in their order, then the values `seen` in the outcome column that
        they do not name; choose `stage` if it is there."""
        ordered = [s for s in (stages or []) if s] + [s for s in seen if s not in (stages or [])]
        self.stage_order.clear()
        self.stage_order.addItems(ordered)
        self._fill_stage_box(stage)

    def _fill_stage_box(self, pick: str = "") -> None:
        pick = pick or self.stage_box.currentText()
        self.stage_box.clear()
        self.stage_box.addItems(self.stages())
        index = self.stage_box.findText(pick)
        self.stage_box.setCurrentIndex(index if index >= 0 else 0)

    def stages(self) -> list[str]:
        return [self.stage_order.item(i).text() for i in range(self.stage_order.count())]

    def kind(self) -> SuccessKind:
        return next((k for k, b in self.kind_buttons.items() if b.isChecked()), SuccessKind.VALUES)

    def rule(self) -> SuccessRule:
        """The rule as the box shows it now."""
        return SuccessRule(
            kind=self.kind(),
            values=split_list(self.success_values.text()),
            failures=split_list(self.failure_values.text()),
            stages=self.stages(),
            stage=self.stage_box.currentText(),
        )

    def show_state(self, outcome: str | None, joined: bool) -> None:
        """Name the outcome column; offer the outcomes-file rule only with a file `joined`;
        enable what the chosen kind of rule needs."""
        self.outcome_label.setText(f"Outcome column: <b>{outcome}</b>" if outcome else "No outcome column marked.")
        self.kind_buttons[SuccessKind.MATCHED].setEnabled(joined)
        kind = self.kind()
        for line in (self.success_values, self.failure_values):
            line.setEnabled(kind == SuccessKind.VALUES)
        self.stage_box.setEnabled(kind == SuccessKind.STAGE_AT_LEAST)
        # The order of the stages matters only for this rule: shown only with it, the columns
        # table keeps its room.
        for widget in (self.stage_order, self.stage_hint):
            widget.setVisible(kind == SuccessKind.STAGE_AT_LEAST)
