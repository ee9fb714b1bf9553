"""Scoring model step: fit and behaviour rules with points, the hand-off threshold (and the
optional minimum fit), named score bands, and a live preview of how a sample lead scores and why.

Left, in tabs: the rules editor, and the threshold with the bands. Right: the sample lead,
always in view, recomputed on every change of a rule, the threshold or a sample value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QColorDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.palette import BAND_COLOURS
from widgets.collection_editor import CollectionEditor
from widgets.collection_model import CollectionModel, Column
from widgets.number_fields import NumberFieldsForm
from widgets.rules_editor import RulesEditor
from widgets.sample_lead import SampleLeadPreview, fmt_score
from widgets.session import WorkshopSession

Index = QModelIndex | QPersistentModelIndex

SETTINGS_COLUMNS = [
    Column(
        "threshold",
        "Hand-off threshold",
        kind="number",
        minimum=-100_000,
        maximum=100_000,
        decimals=1,
        help="Leads with a score at or above this go to sales.",
    ),
    Column(
        "minimum_fit",
        "Minimum fit score",
        kind="optional_number",
        placeholder="empty: no second gate",
        help="Optional second gate: the fit score must also reach this.",
    ),
    Column(
        "as_of_date",
        "Decay measured to",
        placeholder="YYYY-MM-DD; empty: the workshop date",
        help="The date (YYYY-MM-DD) decaying rules measure a lead's age to; empty: the workshop date.",
    ),
]

BAND_COLUMNS = [
    Column("name", "Band", placeholder="e.g. Warm"),
    Column(
        "min_score",
        "From score",
        kind="number",
        minimum=-100_000,
        maximum=100_000,
        decimals=1,
        help="Lowest score in the band (inclusive).",
    ),
    Column("colour", "Colour", placeholder="#rrggbb", help="Used in charts and exports."),
]
BAND_PALETTE = BAND_COLOURS
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")


class ScoringSettingsForm(NumberFieldsForm):
    """Threshold, minimum fit (empty = none) and the as-of date of decay (empty = workshop date)."""

    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "scoring", SETTINGS_COLUMNS, parent)
        session.edited.connect(self.update_visibility)  # the workshop date is in another section

    def update_visibility(self, *_: Any) -> None:
        editor = self.editors.get("as_of_date")
        if isinstance(editor, QLineEdit):
            date = self.session.defs.team.date
            editor.setPlaceholderText("empty: the workshop date" if date else "empty: today")
            editor.setToolTip(
                "A date as YYYY-MM-DD: decaying rules measure a lead's age to it. Empty: "
                + (f"the workshop date, {date.isoformat()}." if date else "today.")
            )

    def value_of(self, column: Column) -> Any:
        if column.field == "as_of_date":
            text = self.editors["as_of_date"].text().strip()  # type: ignore[attr-defined]
            return dt.date.fromisoformat(text) if text else None
        return super().value_of(column)

    def _commit(self, column: Column) -> None:
        if column.field == "as_of_date" and not self._loading:
            try:
                self.value_of(column)
            except ValueError:
                self.session.refused.emit("Decay measured to: enter a date as YYYY-MM-DD, or leave it empty.")
                self.refresh(column.field)
                return
        super()._commit(column)


class BandsProxy(QSortFilterProxyModel):
    """Bands sorted by their lowest score, with a colour swatch; colours are edited in the form."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(Qt.ItemDataRole.EditRole)
        self.setDynamicSortFilter(True)

    def _field(self, index: Index) -> str | None:
        model = self.sourceModel()
        if not index.isValid() or not isinstance(model, CollectionModel):
            return None
        column = self.mapToSource(index).column()
        return model.columns[column].field if 0 <= column < len(model.columns) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self._field(index) == "min_score" and role == Qt.ItemDataRole.DisplayRole:
            value = super().data(index, Qt.ItemDataRole.EditRole)
            return fmt_score(float(value)) if value is not None else None
        if self._field(index) == "colour" and role == Qt.ItemDataRole.DecorationRole:
            colour = QColor(str(super().data(index, Qt.ItemDataRole.EditRole)))
            return colour if colour.isValid() else None
        return super().data(index, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self._field(index) == "colour":
            flags &= ~Qt.ItemFlag.ItemIsEditable
        return flags


class BandForm(NumberFieldsForm):
    """A band's name, lowest score and colour (#rrggbb, typed or chosen)."""

    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(session, "bands", BAND_COLUMNS, parent)
        self.choose_button = QPushButton("Choose colour\u2026")
        self.choose_button.setObjectName("choose_band_colour")
        self.choose_button.clicked.connect(self.choose_colour)
        # The button goes beside the colour field, on its row: one row less to scroll to.
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        colour = self.editors["colour"]
        # (row, role): PySide6's stub types the pair as a plain object.
        row, _role = cast(tuple[int, QFormLayout.ItemRole], layout.getWidgetPosition(colour))
        layout.takeRow(row)
        beside = QWidget()
        beside_layout = QHBoxLayout(beside)
        beside_layout.setContentsMargins(0, 0, 0, 0)
        beside_layout.addWidget(colour, 1)
        beside_layout.addWidget(self.choose_button)
        layout.insertRow(row, self.labels["colour"], beside)
        self.update_visibility()

    def update_visibility(self) -> None:
        button: QPushButton | None = getattr(self, "choose_button", None)
        if button is not None:
            button.setEnabled(self.target() is not None and not self.session.read_only)

    def _commit(self, column: Column) -> None:
        if column.field == "colour" and not self._loading and self.target() is not None:
            text = self.value_of(column)
            if not COLOUR_PATTERN.fullmatch(text):
                self.session.refused.emit(f"Colour: {text!r} is not a colour; use #rrggbb, e.g. #d9483b.")
                self.refresh(column.field)
                return
            if text != text.lower():
                self.session.set(self.section, self.uid, "colour", text.lower())
                return
        super()._commit(column)

    def choose_colour(self) -> None:
        band = self.target()
        if band is None or self.session.read_only:
            return
        colour = QColorDialog.getColor(QColor(band.colour), self, f"Colour of the {band.name or 'new'} band")
        if colour.isValid():
            self.session.set(self.section, self.uid, "colour", colour.name())


def _shares(total: int, weights: tuple[int, ...]) -> list[int]:
    return [total * w // sum(weights) for w in weights]


class ScoringPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

        self.explanation = QLabel()
        self.explanation.setObjectName("hint")
        self.explanation.setWordWrap(True)

        self.rules = RulesEditor(session)

        self.settings = ScoringSettingsForm(session)
        handoff_box = QGroupBox("Hand-off to sales")
        handoff_layout = QVBoxLayout(handoff_box)
        handoff_layout.addWidget(self.settings)

        self.bands = CollectionEditor(
            session, "bands", BAND_COLUMNS, "band", self._new_band, form=BandForm(session), proxy=BandsProxy()
        )
        self.bands.proxy.sort(self.bands.model.column_of("min_score"))  # type: ignore[union-attr]
        self.bands.up_button.hide()  # bands are shown in score order
        self.bands.down_button.hide()
        self.bands.table.verticalHeader().hide()
        self.bands.splitter.setOrientation(Qt.Orientation.Vertical)  # names need the width
        bands_hint = QLabel("A lead is in the highest band whose lowest score it reaches.")
        bands_hint.setObjectName("hint")
        bands_hint.setWordWrap(True)
        bands_box = QGroupBox("Score bands")
        bands_layout = QVBoxLayout(bands_box)
        bands_layout.addWidget(bands_hint)
        bands_layout.addWidget(self.bands, 1)

        threshold_tab = QWidget()
        threshold_layout = QVBoxLayout(threshold_tab)
        threshold_layout.addWidget(handoff_box)
        threshold_layout.addWidget(bands_box, 1)
        threshold_scroll = QScrollArea()
        threshold_scroll.setWidget(threshold_tab)
        threshold_scroll.setWidgetResizable(True)
        threshold_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        threshold_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("scoring_tabs")
        self.tabs.addTab(self.rules, "Rules")
        self.tabs.addTab(threshold_scroll, "Threshold and bands")

        self.preview = SampleLeadPreview(session)
        preview_box = QGroupBox("Sample lead")  # short: a long title would widen the panel
        preview_layout = QVBoxLayout(preview_box)
        preview_scroll = QScrollArea()  # its tables keep a few rows in view; a short screen scrolls
        preview_scroll.setWidget(self.preview)
        preview_scroll.setWidgetResizable(True)
        preview_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        preview_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        preview_layout.addWidget(preview_scroll)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(preview_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explanation)
        layout.addWidget(self.splitter, 1)

        self._sized = False
        session.edited.connect(self._update_texts)
        session.revisionChanged.connect(self._update_texts)
        self._update_texts()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            QTimer.singleShot(0, self._split)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # Presentation mode on or off: split again, in proportion, once the page is laid out.
            self._sized = False
            if self.isVisible():
                QTimer.singleShot(0, self._split)

    def _split(self) -> None:
        """Share the width (and the rules' height) in proportion, whatever the screen and type size."""
        if self._sized or not self.isVisible():
            return
        self._sized = True
        # The band form is short: show it whole (the tab scrolls), and a few bands above it.
        form_area = self.bands.splitter.widget(1)
        assert form_area is not None  # the editor's splitter holds the table and the form
        form_area.setMinimumHeight(self.bands.form.sizeHint().height())
        self.bands.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 7)
        self.splitter.setSizes(_shares(self.splitter.width(), (60, 40)))
        rules = self.rules.editor.splitter
        rules.setSizes(_shares(rules.height(), (60, 40)))

    def _new_band(self) -> dict[str, Any]:
        bands = self.session.defs.bands
        names = {b.name for b in bands}
        n = 1
        while f"New band {n}" in names:
            n += 1
        top = max((b.min_score for b in bands), default=-20.0)
        return {"name": f"New band {n}", "min_score": top + 20, "colour": BAND_PALETTE[len(bands) % len(BAND_PALETTE)]}

    def _update_texts(self, *_: Any) -> None:
        scoring = self.session.defs.scoring
        gate = ""
        if scoring.minimum_fit is not None:
            gate = f" and fit \u2265 the minimum fit ({fmt_score(scoring.minimum_fit)})"
        # One line, even projected: the details are in the form (kind, points per occurrence, cap).
        self.explanation.setText(
            "Score = fit (who the lead is) + engagement (what they did); a lead goes to sales when "
            f"score \u2265 threshold ({fmt_score(scoring.threshold)}){gate}."
        )
        self.explanation.setToolTip(
            "Fit rules add points for who the lead is, behaviour rules for what they did: a count rule "
            "gives points per occurrence, up to its cap, and negative points lower the score."
        )
        self.tabs.setTabText(0, f"Rules ({len(self.session.defs.rules)})")
        self.tabs.setTabText(1, f"Threshold ({fmt_score(scoring.threshold)}) and bands")
