"""The tabs of the Threshold check step: the charts (given by the page), the score bands,
which rules predict opportunities, segments, and the experiment of sending a segment too.

A tab's table is filled only when it is shown and only after what it depends on changed
(`mark_stale`): the room drags the threshold on the charts, and tables nobody looks at are
not recomputed meanwhile.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.check import SUGGESTION_METHOD, ThresholdCheck
from models.check_text import fmt_pct, per_week
from models.palette import BAD, GOOD
from widgets.table_fit import fit_to_contents
from widgets.threshold_tables import BandsModel, DiagnosticsModel, SegmentsModel

TABS = ("charts", "bands", "rules", "segments", "experiment")
# Columns offered first when the data has them (the demo's, and common CRM names).
PREFERRED_SEGMENT = ("Lead Source",)
PREFERRED_EXPERIMENT = ("A free copy of Mastering The Interview",)


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _table(model: QAbstractItemModel, stretch: tuple[int, ...] = (0,)) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(True)
    fit_to_contents(view, stretch)
    return view


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName("hint")
    return label


class CheckTabs(QTabWidget):
    """The charts and the four tables of a threshold check (see the module docstring)."""

    def __init__(self, charts: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checkTabs")
        self.check: ThresholdCheck | None = None
        self._stale: set[str] = set(TABS)
        self.addTab(charts, "Charts")
        # Each table tab scrolls on its own, so that none of them makes the charts' tab taller.
        self.addTab(_scrolled(self._build_bands()), "Score bands")
        self.addTab(_scrolled(self._build_rules()), "What predicts opportunities")
        self.addTab(_scrolled(self._build_segments()), "Segments")
        self.addTab(_scrolled(self._build_experiment()), "Experiment")
        self.currentChanged.connect(lambda _i: self.refresh_current())

    # -- building -------------------------------------------------------------------
    def _build_bands(self) -> QWidget:
        box = QWidget()
        self.bands_model = BandsModel(self)
        self.bands_view = _table(self.bands_model, stretch=(0, 1))
        self.bands_view.setObjectName("bandsTable")
        layout = QVBoxLayout(box)
        layout.addWidget(
            _hint(
                "Leads and opportunity rate per score band (set on the Scoring model step): the rate "
                "should rise band by band."
            )
        )
        layout.addWidget(self.bands_view, 1)
        return box

    def _build_rules(self) -> QWidget:
        box = QWidget()
        method = _hint(
            "Which rules really told opportunities apart in this history. Lift = the opportunity "
            "rate of the leads a rule fires for \u00f7 that of the others: green agrees with the "
            "sign of its points, red disagrees, grey (0.9\u20131.1) tells nothing apart."
        )
        method.setToolTip(SUGGESTION_METHOD)
        self.rules_model = DiagnosticsModel(self)
        self.rules_view = _table(self.rules_model, stretch=(0,))
        self.rules_view.setObjectName("rulesTable")
        layout = QVBoxLayout(box)
        layout.addWidget(method)
        layout.addWidget(self.rules_view, 1)
        layout.addWidget(_hint(SUGGESTION_METHOD))
        return box

    def _build_segments(self) -> QWidget:
        box = QWidget()
        self.segment_column = QComboBox()
        self.segment_column.setObjectName("segmentColumn")
        self.segment_column.currentIndexChanged.connect(lambda _i: self._refresh_segments())
        row = QHBoxLayout()
        row.addWidget(QLabel("Break down by"))
        row.addWidget(self.segment_column)
        row.addStretch(1)
        self.segments_model = SegmentsModel(self)
        self.segments_view = _table(self.segments_model, stretch=(0,))
        self.segments_view.setObjectName("segmentsTable")
        layout = QVBoxLayout(box)
        layout.addLayout(row)
        layout.addWidget(self.segments_view, 1)
        return box

    def _build_experiment(self) -> QWidget:
        box = QWidget()
        self.experiment_column = QComboBox()
        self.experiment_column.setObjectName("experimentColumn")
        self.experiment_column.currentIndexChanged.connect(lambda _i: self._fill_experiment_values())
        self.experiment_values = QListWidget()
        self.experiment_values.setObjectName("experimentValues")
        self.experiment_values.itemChanged.connect(lambda _item: self._refresh_experiment())
        self.experiment_result = QLabel()
        self.experiment_result.setObjectName("experimentResult")
        self.experiment_result.setWordWrap(True)
        self.experiment_result.setTextFormat(Qt.TextFormat.RichText)
        self.experiment_result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        left = QVBoxLayout()
        column_row = QHBoxLayout()
        column_row.addWidget(QLabel("Column"))
        column_row.addWidget(self.experiment_column, 1)
        left.addLayout(column_row)
        left.addWidget(self.experiment_values, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addWidget(self.experiment_result, 2)
        layout = QVBoxLayout(box)
        layout.addWidget(
            _hint(
                "What if a segment went to sales whatever its score (say, everyone who downloaded "
                "the e-book)? Pick the column and the values: the leads of that segment below the "
                "threshold are added."
            )
        )
        layout.addLayout(body, 1)
        return box

    # -- showing a check ---------------------------------------------------------------
    def set_check(self, check: ThresholdCheck | None) -> None:
        """Show another check (a new data set): the column choices are filled again."""
        self.check = check
        self._fill_columns()
        self.mark_stale(*TABS)

    def mark_stale(self, *tabs: str) -> None:
        """What `tabs` show changed: the current one is refreshed now, the others when shown."""
        self._stale.update(tabs)
        self.refresh_current()

    def refresh_current(self) -> None:
        key = TABS[self.currentIndex()]
        if self.check is None or key not in self._stale:
            return
        self._stale.discard(key)
        if key == "bands":
            self.bands_model.set_rows(self.check.bands())
        elif key == "rules":
            self.rules_model.set_rows(self.check.rule_diagnostics())
        elif key == "segments":
            self._refresh_segments()
        elif key == "experiment":
            self._refresh_experiment()

    def _fill_columns(self) -> None:
        columns = self.check.segment_columns() if self.check is not None else []
        for combo, preferred in (
            (self.segment_column, PREFERRED_SEGMENT),
            (self.experiment_column, PREFERRED_EXPERIMENT),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(columns)
            index = combo.findText(current)
            for name in preferred:
                if index < 0:
                    index = combo.findText(name)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self._fill_experiment_values()

    # -- segments and the experiment ------------------------------------------------------
    def _refresh_segments(self) -> None:
        column = self.segment_column.currentText()
        self.segments_model.set_column(column)
        if self.check is None or not column:
            self.segments_model.set_rows([])
            return
        self.segments_model.set_rows(self.check.segments(column))

    def _fill_experiment_values(self) -> None:
        self.experiment_values.blockSignals(True)
        self.experiment_values.clear()
        column = self.experiment_column.currentText()
        if self.check is not None and column:
            for row in self.check.segments(column):
                item = QListWidgetItem(f"{row.value}  ({row.leads:,} leads, {fmt_pct(row.rate)})")
                item.setData(Qt.ItemDataRole.UserRole, row.value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.experiment_values.addItem(item)
        self.experiment_values.blockSignals(False)
        self._refresh_experiment()

    def experiment_choice(self) -> list[str]:
        out: list[str] = []
        for k in range(self.experiment_values.count()):
            item = self.experiment_values.item(k)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _refresh_experiment(self) -> None:
        column = self.experiment_column.currentText()
        values = self.experiment_choice()
        if self.check is None or not column or not values:
            self.experiment_result.setText("Tick one or more values to see what sending them to sales would do.")
            return
        self.experiment_result.setText(experiment_text(self.check, column, values))


def experiment_text(check: ThresholdCheck, column: str, values: list[str]) -> str:
    """The experiment in words (rich text): what sending every lead of the segment would add
    per week against capacity, and the blended opportunity rate against the target."""
    e = check.experiment(column, values)
    shown = ", ".join(f"\u201c{html.escape(v)}\u201d" for v in values)
    if e.added == 0:
        return f"Every {shown} lead already goes to sales at this threshold: nothing would change."
    if e.added_weekly is None or e.weekly_volume is None:
        volume = f"adds {e.added:,} leads (leads per week unknown: enter the weeks of history)"
    else:
        now = e.weekly_volume - e.added_weekly
        colour = BAD if e.weekly_volume > e.capacity else GOOD
        volume = (
            f"adds <b>{e.added_weekly:,.1f} leads a week</b> ({per_week(now)} \u2192 "
            f"<span style='color:{colour}'><b>{per_week(e.weekly_volume)}</b></span> a week, "
            f"capacity {e.capacity:,})"
        )
    target = check.defs.team.target_rate
    rate_colour = GOOD if e.rate is not None and e.rate >= target else BAD
    return (
        f"<p style='font-size:large'>Sending every {shown} lead of \u201c{html.escape(column)}\u201d to sales "
        f"too {volume}.</p><p style='font-size:large'>The blended opportunity rate would be "
        f"<span style='color:{rate_colour}'><b>{fmt_pct(e.rate)}</b></span> (now {fmt_pct(e.rate_now)}, "
        f"target {fmt_pct(target)}); {e.added_opportunities:,} of the {e.added:,} added leads became "
        f"opportunities ({fmt_pct(e.added_opportunities / e.added)}).</p>"
    )
