"""The shapes that flow through an import of historical leads, and how long work reports.

    file ──read──▶ RawTable ──guess──▶ Mapping (the user edits it) ──apply──▶ LeadData ──▶ stored

* `RawTable`: a file as text. Every column is a pyarrow string column (null = empty cell),
  named as in the file's header; rows the reader could not read are `bad_rows`; what it
  detected or skipped is in `notices`; `line_numbers` gives each row's physical line.
* `Mapping`: which column is the ID, the outcome (and what counts as success), revenue,
  created date, owner, e-mail; the type of every other column; the placeholder values.
* `LeadData`: the typed lead table the threshold check runs on, with its quality summary,
  provenance and the rows rejected on the way.

Long work takes a `Progress` (fraction done, a message, and whether the user cancelled);
it raises `Cancelled` at the next check after a cancel, having changed nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol

import numpy as np
import pyarrow as pa


class Cancelled(Exception):
    """The user cancelled; nothing was changed."""


class LeadFileError(ValueError):
    """A file cannot be imported at all; the message names the file and says why."""


class Progress(Protocol):
    """Where long work reports how far it is (0.0 to 1.0) and learns that the user cancelled."""

    def report(self, fraction: float, message: str = "") -> None: ...
    def cancelled(self) -> bool: ...


class NullProgress:
    """Progress nobody watches. It holds no state and takes none (no slots), so one instance
    is safe as a default argument shared by every call: ruff is told so."""

    __slots__ = ()

    def report(self, fraction: float, message: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False


def check(progress: Progress, fraction: float, message: str = "") -> None:
    """Report progress, and stop here if the user cancelled."""
    if progress.cancelled():
        raise Cancelled()
    progress.report(fraction, message)


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be imported: where it is and why (shown to the user as is)."""

    file: str
    line: int | None  # physical line in the file (1-based), or the sheet row for XLSX
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line is not None else self.file
        if self.column is not None:
            where += f", column \u201c{self.column}\u201d"
        value = f": \u201c{self.value}\u201d" if self.value is not None else ""
        return f"{where}{value}: {self.reason}"


@dataclass
class SourceInfo:
    """Provenance of one file."""

    name: str
    size: int
    sha256: str
    format: str  # "csv" | "xlsx"
    detail: dict[str, Any] = field(default_factory=dict)  # encoding, delimiter, sheet, header row...


@dataclass
class RawTable:
    source: SourceInfo
    table: pa.Table  # string columns only
    line_numbers: np.ndarray  # int64, physical line of each row (same length as table)
    bad_rows: list[BadRow] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return list(self.table.column_names)


class ColumnType(str, Enum):
    NUMBER = "number"
    CATEGORY = "category"
    DATE = "date"
    YESNO = "yes/no"
    TEXT = "text"  # free text (names, notes): kept, not used as a category


class SuccessKind(str, Enum):
    VALUES = "values"  # outcome is one of `values` (yes/true/1/won ...)
    STAGE_AT_LEAST = "stage_at_least"  # outcome is a stage at or past `stage` in `stages`
    HAS_VALUE = "has_value"  # any non-empty outcome counts as success
    MATCHED = "matched"  # the lead has a row in the outcomes file


DEFAULT_SUCCESS_VALUES: tuple[str, ...] = ("yes", "y", "true", "1", "won", "closed won", "converted", "x")
DEFAULT_FAILURE_VALUES: tuple[str, ...] = ("no", "n", "false", "0", "lost", "closed lost", "not converted")
DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "Select",
    "N/A",
    "NA",
    "n/a",
    "-",
    "--",
    "none",
    "None",
    "#N/A",
    "NULL",
    "null",
    "nan",
    "NaN",
    "(blank)",
    "",
)


@dataclass
class SuccessRule:
    kind: SuccessKind = SuccessKind.VALUES
    values: list[str] = field(default_factory=lambda: list(DEFAULT_SUCCESS_VALUES))
    failures: list[str] = field(default_factory=lambda: list(DEFAULT_FAILURE_VALUES))
    stages: list[str] = field(default_factory=list)  # ordered, for STAGE_AT_LEAST
    stage: str = ""


@dataclass
class OutcomesJoin:
    """A second file of outcomes (an opportunities report) joined on an ID column."""

    lead_column: str
    outcome_column: str
    where_column: str | None = None  # only outcome rows with where_column == where_value count
    where_value: str | None = None


@dataclass
class Mapping:
    id: str | None = None
    outcome: str | None = None  # None with `join` set: success = has a matching outcome row
    success: SuccessRule = field(default_factory=SuccessRule)
    revenue: str | None = None
    created: str | None = None
    owner: str | None = None
    email: str | None = None
    types: dict[str, ColumnType] = field(default_factory=dict)  # every other column's type
    ignored: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=lambda: list(DEFAULT_PLACEHOLDERS))
    decimal_comma: bool | None = None  # None: detect from the data
    date_order: str = "auto"  # auto | DMY | MDY | YMD
    join: OutcomesJoin | None = None

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        data = asdict(self)
        data["types"] = {k: v.value for k, v in self.types.items()}
        data["success"]["kind"] = self.success.kind.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mapping:
        data = dict(data)
        success = dict(data.pop("success", {}) or {})
        if "kind" in success:
            success["kind"] = SuccessKind(success["kind"])
        join = data.pop("join", None)
        types = {k: ColumnType(v) for k, v in (data.pop("types", {}) or {}).items()}
        return cls(success=SuccessRule(**success), join=OutcomesJoin(**join) if join else None, types=types, **data)


# Names of the standard columns in a LeadData table; attributes keep their own names.
ID, OUTCOME, REVENUE, CREATED, OWNER, EMAIL = "id", "outcome", "revenue", "created", "owner", "email"


@dataclass
class QualitySummary:
    rows: int
    positives: int
    missing: dict[str, int]  # per column (standard and attribute), number of missing values
    duplicate_ids: int  # rows whose ID appeared in an earlier row
    duplicate_emails: int
    first_date: dt.date | None
    last_date: dt.date | None
    merged_spellings: dict[str, list[list[str]]]  # column -> groups of spellings merged (first kept)
    placeholders_replaced: int
    unmatched_outcomes: int = 0  # outcome rows with no matching lead

    @property
    def outcome_rate(self) -> float:
        return self.positives / self.rows if self.rows else 0.0

    @property
    def weeks(self) -> float | None:
        if self.first_date is None or self.last_date is None:
            return None
        return max((self.last_date - self.first_date).days + 1, 1) / 7.0


@dataclass
class LeadData:
    """Typed leads: `id` (string), `outcome` (bool), optional `revenue` (float64),
    `created` (timestamp), `owner`, `email` (string), then the attributes as
    float64 (number), dictionary<string> (category, yes/no as "Yes"/"No"), timestamp
    (date) or string (text)."""

    table: pa.Table
    mapping: Mapping
    quality: QualitySummary
    sources: list[SourceInfo]
    rejected: list[BadRow] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    imported_at: dt.datetime | None = None
    parquet: bytes | None = field(default=None, repr=False)  # the table as stored, once encoded
