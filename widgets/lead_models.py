"""Item models of the Historical leads step: the preview of a file's first rows, the columns
with the role and type the user gives each, the rejected rows, and the missing values per
column of the imported data.

The roles are the workshop's words for what a column is (ID, Outcome, Revenue, Created date,
Owner, E-mail) plus Attribute (scored on, with a type) and Ignore; `Mapping` is built from
them in `ColumnsModel.apply_to`, and a change of role follows the rules of
`models.leads.overrides`, which the command line follows too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from models.leads.overrides import assign_roles, ignore_column, make_attribute, roles_of
from models.leads.types import BadRow, ColumnType, Mapping, RawTable
from models.palette import MUTED
from widgets.rows_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
GREY = MUTED
SAMPLE_COUNT = 4


class Role(str, Enum):
    ID = "ID"
    OUTCOME = "Outcome"
    REVENUE = "Revenue"
    CREATED = "Created date"
    OWNER = "Owner"
    EMAIL = "E-mail"
    ATTRIBUTE = "Attribute"
    IGNORE = "Ignore"


# The roles one column at most can have, and the Mapping field each fills.
ROLE_FIELDS: dict[Role, str] = {
    Role.ID: "id",
    Role.OUTCOME: "outcome",
    Role.REVENUE: "revenue",
    Role.CREATED: "created",
    Role.OWNER: "owner",
    Role.EMAIL: "email",
}
ROLE_CHOICES: tuple[tuple[str, str], ...] = tuple((r.value, r.value) for r in Role)
TYPE_CHOICES: tuple[tuple[str, str], ...] = tuple((t.value, t.value) for t in ColumnType)
# What a standard column becomes in the lead table, whatever the file held.
ROLE_TYPES: dict[Role, str] = {
    Role.ID: "text (ID)",
    Role.OUTCOME: "yes/no (success)",
    Role.REVENUE: "number",
    Role.CREATED: "date",
    Role.OWNER: "text",
    Role.EMAIL: "text",
    Role.IGNORE: "\u2014",
}


def cell_text(value: Any) -> str:
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- preview
class PreviewModel(RowsTableModel[int]):
    """The first rows of a file as text, as the reader saw them; the header names each
    column with its role, so the user sees the mapping on the data itself. A row is its
    position in the preview; the columns are the file's, so columnCount and headerData are
    this model's own."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[str] = []
        self._values: list[list[Any]] = []
        self._lines: list[int] = []
        self._roles: dict[str, str] = {}
        self._row_count = 0

    def set_raw(self, raw: RawTable | None) -> None:
        self.beginResetModel()
        if raw is None:
            self._columns, self._values, self._lines, self._row_count = [], [], [], 0
        else:
            self._columns = raw.columns
            self._values = [column.to_pylist() for column in raw.table.columns]
            self._row_count = raw.table.num_rows
            self._lines = [int(n) for n in raw.line_numbers[: self._row_count]]
        self.endResetModel()

    def set_roles(self, roles: dict[str, str]) -> None:
        """Column name → the short label shown under its header."""
        self._roles = dict(roles)
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)

    def rows(self) -> Sequence[int]:
        return range(self._row_count)

    def cell(self, row: int, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(self._values[column][row])
        return None

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._columns):
                return None
            name = self._columns[section]
            label = self._roles.get(name)
            return f"{name}\n[{label}]" if label else name
        if 0 <= section < len(self._lines):
            return f"line {self._lines[section]}"
        return None

    def distinct(self, column: str) -> list[str]:
        """The column's non-empty values in the preview, in order of first appearance."""
        if column not in self._columns:
            return []
        seen: dict[str, None] = {}
        for value in self._values[self._columns.index(column)]:
            if value is not None and str(value).strip():
                seen.setdefault(str(value).strip(), None)
        return list(seen)


# --------------------------------------------------------------------------- columns
@dataclass
class ColumnChoice:
    name: str
    role: Role
    type: ColumnType
    samples: str = ""


class ColumnsModel(RowsTableModel[ColumnChoice]):
    """One row per column of the file: its name, role, type and a few sample values.
    Role and type are editable (type only for attributes). A change of role follows
    `models.leads.overrides`: a role moves from the column that had it, which becomes an
    attribute again, of the type its row shows. Every row keeps a type, shown while it is an
    attribute, so a column that loses its role gets back the type it was shown with."""

    HEADERS = ("Column", "Role", "Type", "Examples")
    NAME, ROLE, TYPE, SAMPLES = range(4)
    changed = Signal()

    @property
    def choices(self) -> Sequence[ColumnChoice]:
        """One per column of the file, in the file's order (the model's rows)."""
        return self.rows()

    # -- filling and reading -------------------------------------------------------------
    def set_mapping(
        self,
        columns: Sequence[str],
        mapping: Mapping,
        samples: dict[str, list[str]],
        attribute_types: dict[str, ColumnType] | None = None,
    ) -> None:
        """Show `mapping` for `columns`. `attribute_types`: the type each column shows as an
        attribute (see `models.leads.overrides.attribute_type`); without it, the mapping's
        type, else category."""
        types = attribute_types if attribute_types is not None else mapping.types
        self.set_rows(
            [
                ColumnChoice(
                    name,
                    _role_in(mapping, name),
                    types.get(name, ColumnType.CATEGORY),
                    ", ".join(samples.get(name, [])[:SAMPLE_COUNT]),
                )
                for name in columns
            ]
        )
        self.changed.emit()

    def column_with(self, role: Role) -> str | None:
        return next((c.name for c in self.choices if c.role == role), None)

    def row_of(self, name: str) -> int:
        return next((row for row, c in enumerate(self.choices) if c.name == name), -1)

    def roles(self) -> dict[str, str]:
        return {c.name: (c.type.value if c.role == Role.ATTRIBUTE else c.role.value) for c in self.choices}

    def apply_to(self, mapping: Mapping) -> None:
        """Write the roles and types into `mapping` (its other settings are left as they are)."""
        for field_name in ROLE_FIELDS.values():
            setattr(mapping, field_name, None)
        mapping.types = {}
        mapping.ignored = []
        for choice in self.choices:
            if choice.role in ROLE_FIELDS:
                setattr(mapping, ROLE_FIELDS[choice.role], choice.name)
            elif choice.role == Role.IGNORE:
                mapping.ignored.append(choice.name)
            else:
                mapping.types[choice.name] = choice.type

    # -- editing -------------------------------------------------------------------------
    def set_role(self, name: str, role: Role) -> bool:
        return self.setData(self.index(self.row_of(name), self.ROLE), role.value)

    def set_type(self, name: str, column_type: ColumnType) -> bool:
        return self.setData(self.index(self.row_of(name), self.TYPE), column_type.value)

    # -- Qt model ------------------------------------------------------------------------
    def cell(self, choice: ColumnChoice, column: int, role: int) -> Any:
        attribute = choice.role == Role.ATTRIBUTE
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return choice.name
            if column == self.ROLE:
                return choice.role.value
            if column == self.TYPE:
                return choice.type.value if attribute else ROLE_TYPES[choice.role]
            return choice.samples
        if role == Qt.ItemDataRole.EditRole:
            if column == self.ROLE:
                return choice.role.value
            if column == self.TYPE:
                return choice.type.value
            return self.cell(choice, column, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.SAMPLES or (column == self.TYPE and not attribute) or choice.role == Role.IGNORE:
                return QBrush(QColor(GREY))
        if role == Qt.ItemDataRole.FontRole and column == self.ROLE and choice.role in ROLE_FIELDS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.SAMPLES:
                return choice.samples
            if column == self.TYPE and not attribute:
                return f"The {choice.role.value.lower()} column has a fixed type."
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.ROLE or (
            index.column() == self.TYPE
            and 0 <= index.row() < len(self.choices)
            and self.choices[index.row()].role == Role.ATTRIBUTE
        ):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self.choices):
            return False
        choice = self.choices[index.row()]
        if index.column() == self.ROLE:
            try:
                new_role = Role(value)
            except ValueError:
                return False
            if new_role == choice.role:
                return True
            mapping = Mapping()
            self.apply_to(mapping)
            if new_role in ROLE_FIELDS:
                assign_roles(mapping, {ROLE_FIELDS[new_role]: choice.name})
            elif new_role == Role.IGNORE:
                ignore_column(mapping, choice.name)
            else:
                make_attribute(mapping, choice.name)
            for row, other in enumerate(self.choices):  # the rows the rules changed, this one last
                now = _role_in(mapping, other.name)
                if other is not choice and now != other.role:
                    other.role = now
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
            choice.role = _role_in(mapping, choice.name)
        elif index.column() == self.TYPE and choice.role == Role.ATTRIBUTE:
            try:
                choice.type = ColumnType(value)
            except ValueError:
                return False
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(self.HEADERS) - 1))
        self.changed.emit()
        return True


def _role_in(mapping: Mapping, column: str) -> Role:
    """The role `column` has in `mapping` as a row shows it: its first (a row shows one), or
    Ignore, or Attribute."""
    roles = roles_of(mapping, column)
    if roles:
        return next(role for role, field_name in ROLE_FIELDS.items() if field_name == roles[0])
    return Role.IGNORE if column in mapping.ignored else Role.ATTRIBUTE


# --------------------------------------------------------------------------- rejected rows
class BadRowsModel(RowsTableModel[BadRow]):
    """Rows that cannot be imported, as the reader and the cleaner reported them."""

    HEADERS = ("File", "Line", "Column", "Value", "Reason")

    def cell(self, row: BadRow, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            values = (
                row.file,
                "" if row.line is None else f"{row.line:,}",
                row.column or "",
                "" if row.value is None else row.value,
                row.reason,
            )
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


# --------------------------------------------------------------------------- missing values
@dataclass(frozen=True)
class MissingRow:
    column: str
    missing: int
    rows: int

    @property
    def share(self) -> float:
        return self.missing / self.rows if self.rows else 0.0


class MissingValuesModel(RowsTableModel[MissingRow]):
    """Missing values per column of the imported data, most missing first."""

    HEADERS = ("Column", "Missing", "Share")

    def cell(self, row: MissingRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.column, f"{row.missing:,}", f"{row.share:.1%}")[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.column}: {row.missing:,} of {row.rows:,} rows missing"
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.missing == 0:
            return QBrush(QColor(GREY))
        return None
