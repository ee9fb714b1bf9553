"""Where the historical leads came from, as the Historical leads step shows it: each file
(size, format, how it was read, SHA-256), when it was imported and how many rows were
rejected, the mapping in the room's words, and what the cleaning noted.

The wording (`file_size_text`, `local_time`, `mapping_lines`, ...) is plain functions: the
replace confirmation and the data-quality box use some of it too.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from models.leads.info import LeadsInfo
from models.leads.types import ColumnType, Mapping, SuccessKind
from models.palette import INK_SOFT

SHORT_HASH = 12
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


class ProvenanceBox(QGroupBox):
    """ "Where the data came from": the files, the import and the mapping, in one label."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where the data came from", parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def show_info(self, info: LeadsInfo) -> None:
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
            parts.append(f"<span style='color:{INK_SOFT}'>" + "<br>".join(html.escape(n) for n in notes) + "</span>")
        self.text.setText("<br><br>".join(parts))
