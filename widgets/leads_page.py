"""Historical leads step: the lead data set the threshold check runs on, where it came from,
and how clean it is; and the import that replaces it.

With no data the page says what to bring and offers "Import leads…". With data it shows, in
type the room can read, the figures (leads, opportunities, opportunity rate, weeks spanned,
duplicates), the missing values per column, what the cleaning did, and the provenance
(files, sizes, SHA-256, rows, rejected, import time, mapping).

The import: the mapping dialog → `import_leads` in the background, with progress and Cancel
→ the rejected rows, if any, to accept or refuse → a confirmation if the draft has data
already → `Document.replace_leads`. The workshop changes only at that last step, in one
transaction; an error anywhere before it leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.document import RevisionLocked
from models.leads.types import ColumnType, LeadData, Mapping, SuccessKind
from models.palette import HIGHLIGHT, INK_SOFT, LINE, PAPER
from models.store import WorkshopFileError
from widgets.import_dialog import LEADS_FILTER, ImportDialog, ImportRequest
from widgets.lead_models import BadRowsModel, MissingRow, MissingValuesModel
from widgets.session import WorkshopSession
from widgets.style import mark_primary
from widgets.tasks import ProgressPanel, Task

SHORT_HASH = 12
GREY = INK_SOFT
# Notices of the cleaning that the quality lines already state as figures.
ALREADY_SHOWN = ("placeholder", "merged spellings")
STANDARD_LABELS = {
    "id": "ID",
    "outcome": "Outcome",
    "revenue": "Revenue",
    "created": "Created date",
    "owner": "Owner",
    "email": "E-mail",
}


def file_size_text(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{size:,} bytes" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{size:,} bytes"


def local_time(when: dt.datetime | None) -> str:
    if when is None:
        return "\u2014"
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def success_text(mapping: Mapping) -> str:
    rule = mapping.success
    if mapping.join is not None and (rule.kind == SuccessKind.MATCHED or mapping.outcome is None):
        where = f" where {mapping.join.where_column} = {mapping.join.where_value}" if mapping.join.where_column else ""
        return f"a matching row in the outcomes file{where}"
    if rule.kind == SuccessKind.STAGE_AT_LEAST:
        return f"stage \u201c{rule.stage}\u201d or later"
    if rule.kind == SuccessKind.HAS_VALUE:
        return "any value"
    shown = ", ".join(rule.values[:6]) + (", \u2026" if len(rule.values) > 6 else "")
    return f"one of {shown}"


def mapping_lines(mapping: Mapping) -> list[str]:
    """The mapping as the room reads it, one line per point."""
    roles = [
        f"{label}: {getattr(mapping, field)}" for field, label in STANDARD_LABELS.items() if getattr(mapping, field)
    ]
    lines = [" \u00b7 ".join(roles) if roles else "No standard columns"]
    lines.append(f"Success: {success_text(mapping)}")
    if mapping.join is not None:
        lines.append(f"Outcomes joined on {mapping.join.lead_column} = {mapping.join.outcome_column}")
    counts: dict[ColumnType, int] = {}
    for column_type in mapping.types.values():
        counts[column_type] = counts.get(column_type, 0) + 1
    if counts:
        parts = ", ".join(f"{n} {t.value}" for t, n in sorted(counts.items(), key=lambda kv: -kv[1]))
        lines.append(f"{len(mapping.types)} attributes ({parts})")
    if mapping.ignored:
        lines.append(f"{len(mapping.ignored)} columns ignored")
    return lines


def detail_text(key: str, value: Any) -> str:
    """'delimiter “;”', 'encoding utf-8' — a delimiter quoted, so a comma is seen."""
    if key == "delimiter":
        return f"delimiter \u201c{'tab' if value == chr(9) else value}\u201d"
    return f"{key.replace('_', ' ')} {value}"


def _figure(value: str, label: str) -> tuple[QLabel, QLabel, QWidget]:
    box = QFrame()
    box.setObjectName("leadFigure")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(14, 8, 14, 8)
    layout.setSpacing(0)
    number = QLabel(value)
    number.setObjectName("bigFigure")
    caption = QLabel(label)
    caption.setObjectName("figureLabel")
    caption.setWordWrap(True)
    layout.addWidget(number)
    layout.addWidget(caption)
    layout.addStretch(1)
    return number, caption, box


class RejectedRowsDialog(QDialog):
    """The rows that cannot be imported, and the choice: import the valid rows, or nothing."""

    def __init__(self, data: LeadData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rows that cannot be imported")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        rejected = len(data.rejected)
        valid = data.table.num_rows
        files = sorted({row.file for row in data.rejected})
        self.summary = QLabel(
            f"<span style='font-size:large; font-weight:600'>{rejected:,} "
            f"{'row' if rejected == 1 else 'rows'} of {html.escape(', '.join(files))} cannot be imported.</span>"
            f"<br>{valid:,} valid {'row' if valid == 1 else 'rows'} can be imported without them; "
            "or cancel, correct the file and import it again."
        )
        self.summary.setWordWrap(True)
        self.model = BadRowsModel(self)
        self.model.set_rows(data.rejected)
        self.view = QTableView()
        self.view.setObjectName("rejectedRows")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.resizeColumnsToContents()
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            f"Import the {valid:,} valid rows", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setEnabled(valid > 0)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(int(screen.width() * 0.75), int(screen.height() * 0.6))


class LeadsPage(QWidget):
    def __init__(self, session: WorkshopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.import_dialog: ImportDialog | None = None
        self.task: Task | None = None
        self.progress_panel: ProgressPanel | None = None
        self.rejected_dialog: RejectedRowsDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.pending: LeadData | None = None

        self.message = QLabel()
        self.message.setObjectName("notice")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()

        self.stack = QStackedWidget()
        self.empty = self._build_empty()
        self.filled = self._build_filled()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.filled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        session.leadsReplaced.connect(self.refresh)
        session.revisionChanged.connect(self.refresh)
        self.refresh()

    # -- building ------------------------------------------------------------------------
    def _import_button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        mark_primary(button)
        button.clicked.connect(self.start_import)
        return button

    def _build_empty(self) -> QWidget:
        page = QWidget()
        title = QLabel("No historical leads in this revision yet")
        title.setObjectName("upcomingTitle")
        title.setWordWrap(True)
        text = QLabel(
            "Import the leads your CRM exported \u2014 a CSV or Excel file, one row per lead \u2014 "
            "to check the hand-off threshold against what really happened.\n\n"
            "It needs a column that identifies each lead and one that says whether it became an "
            "opportunity (or a second file, an opportunities report, joined on the lead ID). "
            "A created date, revenue and owner make the check richer; every other column can be "
            "scored on."
        )
        text.setWordWrap(True)
        self.empty_import = self._import_button("Import leads\u2026")
        self.empty_locked = QLabel()
        self.empty_locked.setObjectName("hint")
        self.empty_locked.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.empty_import)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.empty_locked)
        layout.addStretch(1)
        return page

    def _build_filled(self) -> QWidget:
        self.headline = QLabel()
        self.headline.setObjectName("upcomingTitle")
        self.headline.setWordWrap(True)
        self.reimport = self._import_button("Import again\u2026")
        mark_primary(self.reimport, False)  # replacing the data is not the page's main action
        self.reimport.setToolTip("Import a new data set; it replaces this one, after a confirmation.")
        head = QHBoxLayout()
        head.addWidget(self.headline, 1)
        head.addWidget(self.reimport, 0, Qt.AlignmentFlag.AlignTop)

        self.figures: dict[str, QLabel] = {}
        self.figure_captions: dict[str, QLabel] = {}
        figures = QGridLayout()
        for column, (key, label) in enumerate(
            (
                ("rows", "leads"),
                ("positives", "opportunities"),
                ("rate", "opportunity rate"),
                ("weeks", "weeks of history"),
                ("dup_ids", "duplicate IDs"),
                ("dup_emails", "duplicate e-mails"),
            )
        ):
            number, caption, box = _figure("\u2014", label)
            self.figures[key], self.figure_captions[key] = number, caption
            figures.addWidget(box, 0, column)
        figures_box = QFrame()
        figures_box.setObjectName("leadFigures")
        figures_box.setStyleSheet(
            f"#leadFigures {{ background: {PAPER}; border: 1px solid {LINE}; "
            f"border-left: 5px solid {HIGHLIGHT}; border-radius: 4px; }}"
        )
        figures_box.setLayout(figures)

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
        quality = QGroupBox("Data quality")
        quality_layout = QVBoxLayout(quality)
        quality_layout.addWidget(self.quality_lines)
        missing_title = QLabel("Missing values per column")
        quality_layout.addWidget(missing_title)
        quality_layout.addWidget(self.missing_view, 1)

        self.provenance = QLabel()
        self.provenance.setWordWrap(True)
        self.provenance.setTextFormat(Qt.TextFormat.RichText)
        self.provenance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.provenance.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        provenance = QGroupBox("Where the data came from")
        provenance_layout = QVBoxLayout(provenance)
        provenance_layout.addWidget(self.provenance)
        provenance_layout.addStretch(1)

        columns = QHBoxLayout()
        columns.addWidget(quality, 1)
        columns.addWidget(provenance, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(figures_box)
        layout.addLayout(columns, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        return scroll

    # -- showing ---------------------------------------------------------------------------
    def info(self) -> Any:
        """The stored data set's provenance and quality (models.store.LeadsInfo), or None."""
        return self.session.document.leads_info()

    def refresh(self) -> None:
        info = self.info()
        locked = self.session.read_only
        why = self.session.document.why_read_only() if locked else ""
        for button in (self.empty_import, self.reimport):
            button.setEnabled(not locked)
            button.setToolTip(why or button.toolTip())
        self.empty_locked.setText(why)
        self.empty_locked.setVisible(bool(why))
        if info is None:
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.filled)
        self._show_figures(info)
        self._show_quality(info)
        self._show_provenance(info)

    def _show_figures(self, info: Any) -> None:
        quality = info.quality
        names = ", ".join(source.name for source in info.sources)
        self.headline.setText(f"{quality.rows:,} historical leads from {names}")
        weeks = quality.weeks
        values = {
            "rows": f"{quality.rows:,}",
            "positives": f"{quality.positives:,}",
            "rate": f"{quality.outcome_rate:.1%}",
            "weeks": "\u2014" if weeks is None else f"{weeks:,.1f}",
            "dup_ids": f"{quality.duplicate_ids:,}",
            "dup_emails": f"{quality.duplicate_emails:,}",
        }
        for key, text in values.items():
            self.figures[key].setText(text)
        self.figure_captions["weeks"].setText("weeks of history" if weeks is not None else "weeks (no dates)")
        self.figure_captions["weeks"].setToolTip(
            "" if weeks is not None else "No created-date column: the weeks spanned are unknown."
        )

    def _display_column(self, name: str, mapping: Mapping) -> str:
        if name in STANDARD_LABELS:
            source = getattr(mapping, name, None)
            return f"{STANDARD_LABELS[name]} ({source})" if source else STANDARD_LABELS[name]
        return name

    def _show_quality(self, info: Any) -> None:
        quality = info.quality
        rows = [
            MissingRow(self._display_column(name, info.mapping), int(count), quality.rows)
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

    def _show_provenance(self, info: Any) -> None:
        parts = []
        for source in info.sources:
            detail = ", ".join(
                detail_text(k, v)
                for k, v in source.detail.items()
                if v not in (None, "") and isinstance(v, (str, int)) and not isinstance(v, bool)
            )
            parts.append(
                f"<b>{html.escape(source.name)}</b><br>"
                f"{file_size_text(source.size)} \u00b7 {html.escape(source.format.upper())}"
                + (f" \u00b7 {html.escape(detail)}" if detail else "")
                + f"<br>SHA-256 <span style=\"font-family:'DejaVu Sans Mono',monospace\">"
                f"{html.escape(source.sha256[:SHORT_HASH])}</span>"
            )
        parts.append(
            f"Imported {local_time(info.imported_at)}: <b>{info.rows:,}</b> rows, "
            f"<b>{info.rejected_count:,}</b> rejected"
        )
        parts.append("<br>".join(html.escape(line) for line in mapping_lines(info.mapping)))
        notes = [n for n in info.notices if not any(word in n.casefold() for word in ALREADY_SHOWN)]
        if notes:
            parts.append(f"<span style='color:{GREY}'>" + "<br>".join(html.escape(n) for n in notes) + "</span>")
        self.provenance.setText("<br><br>".join(parts))

    def show_message(self, text: str, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setObjectName("notice" if error else "banner")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setVisible(bool(text))

    # -- importing -----------------------------------------------------------------------------
    def start_import(self) -> None:
        """Ask for the leads file, then open the mapping dialog on it."""
        self.show_message("")
        if self.session.read_only:
            self.show_message(self.session.document.why_read_only())
            return
        start = str(self.session.document.path.parent)
        name, _ = QFileDialog.getOpenFileName(self, "Import historical leads", start, LEADS_FILTER)
        if not name:
            return
        info = self.info()
        dialog = ImportDialog(Path(name), previous=info.mapping if info is not None else None, parent=self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.run_import(dialog.request()))
        self.import_dialog = dialog
        dialog.open()

    def run_import(self, request: ImportRequest) -> Task:
        """Import in the background; the workshop is untouched until the result is stored."""
        from models.leads import importer, serialize

        def work(progress: Any) -> LeadData:
            data = importer.import_leads(
                request.path,
                request.mapping,
                outcomes_path=request.outcomes_path,
                sheet=request.sheet,
                header_row=request.header_row,
                progress=progress,
            )
            # Compress for the workshop file here, off the GUI thread (0.5 s or more at 1M rows),
            # so that storing it later is only the write.
            progress.report(1.0, "Compressing the leads for the workshop file")
            serialize.encode(data)
            return data

        self.show_message("")
        task = Task(work, self)
        panel = ProgressPanel(task, f"Importing {request.path.name}", self)
        task.finished.connect(self._on_imported)
        task.failed.connect(lambda message: self.show_message(f"Nothing was imported. {message}"))
        task.cancelled.connect(lambda: self.show_message("Import cancelled: nothing was changed.", error=False))
        self.task, self.progress_panel = task, panel
        task.start()
        panel.open()
        return task

    def _on_imported(self, data: LeadData) -> None:
        if data.table.num_rows == 0:
            names = ", ".join(s.name for s in data.sources) or "the file"
            self.show_message(f"Nothing was imported: {names} has no valid rows.")
            return
        if data.rejected:
            dialog = RejectedRowsDialog(data, self)
            dialog.accepted.connect(lambda: self._confirm_replace(data))
            dialog.rejected.connect(lambda: self.show_message("Import cancelled: nothing was changed.", error=False))
            self.rejected_dialog = dialog
            dialog.open()
            return
        self._confirm_replace(data)

    def _confirm_replace(self, data: LeadData) -> None:
        info = self.info()
        if info is None:
            self.store(data)
            return
        old = ", ".join(s.name for s in info.sources)
        new = ", ".join(s.name for s in data.sources)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace the historical leads",
            f"This revision has {info.rows:,} leads from {old}, imported "
            f"{local_time(info.imported_at)}.\n\nReplace them with the "
            f"{data.table.num_rows:,} leads from {new}?",
            parent=self,
        )
        self.replace_button = box.addButton("Replace", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.pending = data

        def answered(button: Any) -> None:
            if button is self.replace_button:
                self.store(data)
            else:
                self.show_message("Import cancelled: the earlier leads were kept.", error=False)
            self.pending = None

        box.buttonClicked.connect(answered)
        self.confirm_box = box
        box.open()

    def store(self, data: LeadData) -> bool:
        """Store `data` as the revision's leads (one transaction), and show it."""
        if data.imported_at is None:
            data.imported_at = dt.datetime.now(dt.UTC)
        try:
            self.session.document.replace_leads(data)
        except (RevisionLocked, WorkshopFileError, OSError, ValueError) as exc:
            self.show_message(f"Nothing was imported. {exc}")
            return False
        self.refresh()
        rows = data.table.num_rows
        self.show_message(f"Imported {rows:,} {'lead' if rows == 1 else 'leads'}.", error=False)
        return True
