"""How clean the historical leads are, as the Historical leads step shows it: the dates they
span, what the cleaning did (placeholders, merged spellings), the rows rejected, outcomes
that matched no lead, and the missing values of each column, most missing first."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QGroupBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from models.leads.info import LeadsInfo
from models.leads.types import Mapping
from widgets.lead_models import MissingRow, MissingValuesModel
from widgets.lead_provenance import STANDARD_LABELS


def display_column(name: str, mapping: Mapping) -> str:
    """A standard column by the room's name for it, with the file's column it came from."""
    if name in STANDARD_LABELS:
        source = getattr(mapping, name, None)
        return f"{STANDARD_LABELS[name]} ({source})" if source else STANDARD_LABELS[name]
    return name


class DataQualityBox(QGroupBox):
    """ "Data quality": a few lines of figures, then the missing values per column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Data quality", parent)
        self.quality_lines = QLabel()
        self.quality_lines.setWordWrap(True)
        self.quality_lines.setTextFormat(Qt.TextFormat.RichText)
        self.missing_model = MissingValuesModel(self)
        self.missing_view = QTableView()
        self.missing_view.setObjectName("missingValues")
        self.missing_view.setModel(self.missing_model)
        self.missing_view.setAlternatingRowColors(True)
        self.missing_view.verticalHeader().hide()
        self.missing_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.missing_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quality_lines)
        missing_title = QLabel("Missing values per column")
        layout.addWidget(missing_title)
        layout.addWidget(self.missing_view, 1)

    def show_info(self, info: LeadsInfo) -> None:
        quality = info.quality
        rows = [
            MissingRow(display_column(name, info.mapping), int(count), quality.rows)
            for name, count in quality.missing.items()
        ]
        rows.sort(key=lambda r: (-r.missing, r.column.casefold()))
        self.missing_model.set_rows(rows)
        lines = []
        if quality.first_date is not None and quality.last_date is not None:
            lines.append(
                f"Created between <b>{quality.first_date:%Y-%m-%d}</b> and <b>{quality.last_date:%Y-%m-%d}</b>"
            )
        lines.append(
            f"<b>{quality.placeholders_replaced:,}</b> placeholder values (such as "
            "\u201cSelect\u201d, \u201cN/A\u201d) treated as missing"
        )
        merged = quality.merged_spellings
        if merged:
            kept = sum(len(groups) for groups in merged.values())
            dropped = sum(len(group) - 1 for groups in merged.values() for group in groups)
            column, groups = next(iter(merged.items()))
            sample = " / ".join(f"\u201c{html.escape(s)}\u201d" for s in groups[0][:3])
            lines.append(
                f"<b>{dropped:,}</b> {'spelling' if dropped == 1 else 'spellings'} merged into "
                f"{kept:,} {'value' if kept == 1 else 'values'} in {len(merged)} "
                f"{'column' if len(merged) == 1 else 'columns'} "
                f"(e.g. {html.escape(column)}: {sample})"
            )
        else:
            lines.append("No spellings needed merging")
        rejected = info.rejected_count
        lines.append(
            f"<b>{rejected:,}</b> {'row' if rejected == 1 else 'rows'} rejected at import"
            if rejected
            else "No rows rejected"
        )
        if quality.unmatched_outcomes:
            lines.append(f"<b>{quality.unmatched_outcomes:,}</b> outcome rows matched no lead")
        self.quality_lines.setText("<br>".join(lines))
