"""Tables of the Threshold check step: score bands, rule diagnostics and segments."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from models.check import BandRow, RuleDiagnostic, SegmentRow
from models.check_text import band_scores, fmt_pct
from models.palette import BAD, GOOD, LOST, MUTED
from models.scoring import fmt_points
from widgets.rows_model import RowsTableModel

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
NO_SIGNAL = (0.9, 1.1)  # lifts this close to 1 tell the leads apart no better than chance


def _count(n: int) -> str:
    return f"{n:,}"


class BandsModel(RowsTableModel[BandRow]):
    HEADERS = ("Band", "Scores", "Leads", "Share of leads", "Opportunities", "Opportunity rate")

    def cell(self, row: BandRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.name,
                band_scores(row),
                _count(row.leads),
                fmt_pct(row.share, 1),
                _count(row.opportunities),
                fmt_pct(row.rate, 1),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return RIGHT
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(row.colour)
        return None


class DiagnosticsModel(RowsTableModel[RuleDiagnostic]):
    HEADERS = (
        "Rule",
        "Kind",
        "Points",
        "Leads it fires for",
        "Their rate",
        "Rate of the others",
        "Lift",
        "Suggested points",
    )

    def cell(self, row: RuleDiagnostic, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            lift = "\u2014" if row.lift is None else f"{row.lift:.2f}\u00d7"
            suggested = (
                (fmt_points(row.suggested_points) if row.suggested_points else "0")
                if row.suggested_points is not None
                else ("\u2014" if not row.note else row.note)
            )
            each = " each" if row.per_occurrence else ""
            return (
                row.label,
                row.kind,
                fmt_points(row.points) + each,
                _count(row.matched),
                fmt_pct(row.matched_rate, 1),
                fmt_pct(row.other_rate, 1),
                lift,
                suggested + (each if row.suggested_points else ""),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.rule + (f"\n{row.note}" if row.note else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= column <= 6:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and row.lift is not None:
            # Near 1 a rule tells nothing apart (grey); otherwise green when the lift agrees with
            # the sign of its points, red when it disagrees (worth a second look).
            if NO_SIGNAL[0] <= row.lift <= NO_SIGNAL[1]:
                return QBrush(QColor(MUTED))
            agrees = (row.lift >= 1) == (row.points >= 0)
            return QBrush(QColor(GOOD if agrees else BAD))
        if role == Qt.ItemDataRole.ForegroundRole and column == 7 and row.suggested_points is None:
            return QBrush(QColor(MUTED))
        return None


SMALL_SEGMENT = 30  # leads: a rate over fewer is shown grey (one or two leads make 0% or 100%)


class SegmentsModel(RowsTableModel[SegmentRow]):
    HEADERS = (
        "Value",
        "Leads",
        "Opportunity rate",
        "Handed to sales",
        "Rate of those handed over",
        "Handed over per week",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.column_name = "Value"

    def set_column(self, name: str) -> None:
        """Name the first column after the column the segments come from (e.g. Lead Source)."""
        self.column_name = name or "Value"
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 0)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if section == 0 and orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.column_name
        return super().headerData(section, orientation, role)

    def cell(self, row: SegmentRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            weekly = "\u2014" if row.weekly_volume is None else f"{row.weekly_volume:,.1f}"
            return (
                row.value,
                _count(row.leads),
                fmt_pct(row.rate, 1),
                _count(row.passed),
                fmt_pct(row.passed_rate, 1),
                weekly,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 1:
            return RIGHT
        small = (column == 2 and row.leads < SMALL_SEGMENT) or (column == 4 and row.passed < SMALL_SEGMENT)
        if role == Qt.ItemDataRole.ForegroundRole and small:
            return QBrush(QColor(LOST))
        if role == Qt.ItemDataRole.ToolTipRole and small:
            return f"Fewer than {SMALL_SEGMENT} leads: this rate says little."
        return None
