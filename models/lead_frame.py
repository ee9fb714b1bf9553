"""The imported leads prepared for scoring every lead at once (numpy, no Qt).

    LeadFrame  the imported leads prepared for scoring: the outcome, revenue and creation
               day of every lead, and each attribute as a Column, built on first use
    Column     one attribute: codes into its distinct values (text, categories, yes/no),
               numbers, or day numbers (dates)

Text is held as codes so that a rule on it is evaluated on each distinct value once and
looked up by code (`models.rule_arrays`); numbers and dates stay float64 arrays, so that
numeric comparisons are vectorised directly.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from models.text_match import answer, field_matches

if TYPE_CHECKING:
    import pyarrow as pa

    from models.leads.types import LeadData

EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()


def day_number(day: dt.date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


def from_day_number(days: float) -> dt.date:
    return dt.date.fromordinal(int(days) + _EPOCH_ORDINAL)


# --------------------------------------------------------------------------- columns
class ColumnKind(Enum):
    """How a Column holds its values, which decides how a rule on it is evaluated.

    A plain Enum, not a str one: the kind is never written anywhere, and comparing it with a
    string is a mistake the type checker then reports."""

    CODES = "codes"  # text, categories, yes/no: codes into the distinct values
    NUMBER = "number"
    DATE = "date"


class Column:
    """One lead attribute, ready for vectorised rules.

    kind CODES: `codes[i]` indexes `labels` (the distinct values as the reference sees
    them); the code `len(labels)` means missing. kind NUMBER: `values` float64, NaN for
    missing. kind DATE: `values` are day numbers since 1970-01-01 (float64, NaN missing).
    Numbers and dates get codes too, on first need (`coded()`), for operators that are
    evaluated per distinct value.

    `codes` and `labels` belong to kind CODES and `values` to the other kinds; each property
    checks that its array is there, so that reading the wrong one fails at once, naming the
    column (and the type checker knows the arrays it returns are not None)."""

    def __init__(
        self,
        name: str,
        kind: ColumnKind,
        *,
        codes: npt.NDArray[np.integer[Any]] | None = None,
        labels: list[Any] | None = None,
        values: npt.NDArray[np.float64] | None = None,
        yes_no: bool = False,
    ) -> None:
        coded = kind == ColumnKind.CODES
        if (codes is not None, labels is not None, values is not None) != (coded, coded, not coded):
            raise ValueError(f"a {kind.value} column takes {'codes and labels' if coded else 'values'}, and only those")
        self.name = name
        self.kind = kind
        self._codes = codes
        self._labels = labels
        self._values = values
        self._dates = kind == ColumnKind.DATE  # (for `value`, see there)
        # A yes/no column: kind CODES, its labels the answers False and True (bools), so that a
        # rule compares answers, whatever the file or the rule spells (models.text_match).
        self.yes_no = yes_no and coded
        self.whole_counts: bool | None = None  # every value a whole number (cached)
        self._coded: tuple[npt.NDArray[np.integer[Any]], list[Any]] | None = None

    def __repr__(self) -> str:
        return f"Column({self.name!r}, {self.kind}, {len(self)} leads)"

    def __len__(self) -> int:
        codes = self._codes
        return len(codes) if codes is not None else len(self.values)

    @property
    def codes(self) -> npt.NDArray[np.integer[Any]]:
        """Each lead's code into `labels` (kind CODES; `coded()` gives codes for any kind)."""
        assert self._codes is not None, f"{self.name!r} is a {self.kind.value} column: it has no codes"
        return self._codes

    @property
    def labels(self) -> list[Any]:
        """The distinct values the codes index (kind CODES; `coded()` gives them for any kind)."""
        assert self._labels is not None, f"{self.name!r} is a {self.kind.value} column: it has no labels"
        return self._labels

    @property
    def values(self) -> npt.NDArray[np.float64]:
        """Each lead's number or day number, NaN for missing (kinds NUMBER and DATE)."""
        assert self._values is not None, f"{self.name!r} is a {self.kind.value} column: it has no values"
        return self._values

    def coded(self) -> tuple[npt.NDArray[np.integer[Any]], list[Any]]:
        """(codes, labels) for any kind; missing is the code len(labels)."""
        if self.kind == ColumnKind.CODES:
            return self.codes, self.labels
        if self._coded is None:
            values = self.values
            missing = np.isnan(values)
            present, inverse = np.unique(values[~missing], return_inverse=True)
            codes = np.full(len(values), len(present), dtype=np.int32)
            codes[~missing] = inverse.reshape(-1)
            if self.kind == ColumnKind.DATE:
                labels: list[Any] = [from_day_number(v) for v in present]
            else:
                labels = [float(v) for v in present]
            self._coded = (codes, labels)
        return self._coded

    def value(self, i: int) -> Any:
        """Lead i's value as the reference scoring sees it."""
        # This runs once per cell of an exported lead table, so it reads the fields rather than
        # the properties, and tells the kinds apart without looking up a ColumnKind member
        # (about 100 ns each on Python 3.11, as much as the rest of the call).
        codes, labels = self._codes, self._labels
        if codes is not None and labels is not None:  # kind CODES
            code = int(codes[i])
            return labels[code] if code < len(labels) else None
        values = self._values
        assert values is not None
        v = float(values[i])
        if math.isnan(v):
            return None
        return from_day_number(v) if self._dates else v

    def missing_mask(self) -> np.ndarray:
        if self.kind == ColumnKind.CODES:
            missing: np.ndarray = self.codes == len(self.labels)  # (numpy types comparisons as Any)
            return missing
        return np.isnan(self.values)

    @classmethod
    def from_labels(cls, name: str, codes: np.ndarray, labels: list[Any]) -> Column:
        """Codes in the smallest unsigned type that holds them and the missing code (at 10M
        leads a uint8 column is 10 MB instead of 40; look-ups are as fast, measured)."""
        size = len(labels) + 1
        dtype = np.uint8 if size <= 1 << 8 else np.uint16 if size <= 1 << 16 else np.int32
        return cls(name, ColumnKind.CODES, codes=np.ascontiguousarray(codes, dtype=dtype), labels=list(labels))

    @classmethod
    def from_answers(cls, name: str, codes: np.ndarray, labels: list[Any]) -> Column:
        """A yes/no column: each label read as its answer (True, False); a label that is no
        answer (never, from the importer) is kept as text."""
        answers = [a if (a := answer(v)) is not None else v for v in labels]
        column = cls.from_labels(name, codes, answers)
        column.yes_no = all(isinstance(v, bool) for v in answers)
        return column

    @classmethod
    def from_numbers(cls, name: str, values: np.ndarray) -> Column:
        return cls(name, ColumnKind.NUMBER, values=np.ascontiguousarray(values, dtype=np.float64))

    @classmethod
    def from_days(cls, name: str, days: np.ndarray) -> Column:
        return cls(name, ColumnKind.DATE, values=np.ascontiguousarray(days, dtype=np.float64))


def _arrow_column(name: str, chunked: pa.ChunkedArray) -> Column:
    import pyarrow as pa
    import pyarrow.compute as pc

    t = chunked.type
    if pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_decimal(t):
        values = pc.cast(chunked, pa.float64()).to_numpy(zero_copy_only=False)
        return Column.from_numbers(name, np.where(np.isnan(values), np.nan, values))
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        days = chunked.cast(pa.timestamp("s")).to_numpy(zero_copy_only=False).astype("datetime64[D]")
        out = days.astype("int64").astype(np.float64)
        out[np.isnat(days)] = np.nan
        return Column.from_days(name, out)
    if pa.types.is_boolean(t):
        arr = chunked.to_numpy(zero_copy_only=False)
        codes = np.full(len(arr), 2, dtype=np.int32)
        valid = pc.is_valid(chunked).to_numpy(zero_copy_only=False)
        codes[valid] = np.where(arr[valid].astype(bool), 1, 0)
        return Column.from_labels(name, codes, ["No", "Yes"])
    if not pa.types.is_dictionary(t):
        chunked = pc.dictionary_encode(pc.cast(chunked, pa.string()) if not pa.types.is_string(t) else chunked)
    chunked = chunked.unify_dictionaries()
    if chunked.num_chunks == 0:
        return Column.from_labels(name, np.zeros(0, np.int32), [])
    dictionary = chunked.chunk(0).dictionary
    labels = dictionary.to_pylist()
    missing = len(labels)
    parts = [pc.fill_null(c.indices, missing).to_numpy(zero_copy_only=False) for c in chunked.chunks]
    codes = np.concatenate(parts) if parts else np.zeros(0, np.int32)
    return Column.from_labels(name, codes, labels)


def _answers_column(name: str, chunked: pa.ChunkedArray) -> Column:
    """A yes/no attribute (stored as "Yes"/"No" text) with its answers as labels."""
    text = _arrow_column(name, chunked)
    return Column.from_answers(name, text.codes, text.labels) if text.kind == ColumnKind.CODES else text


class LeadFrame:
    """The leads as columns the scorer can use: the outcome (bool), optional revenue and
    creation day, and every attribute, prepared on first use.

    `aliases` maps a file's own column names of the standard columns (e.g. "Prospect ID")
    to the table's names ("id"), so a rule may use either."""

    def __init__(
        self,
        n: int,
        outcome: np.ndarray,
        *,
        revenue: np.ndarray | None = None,
        created_days: np.ndarray | None = None,
        columns: dict[str, Callable[[], Column] | Column] | None = None,
        aliases: dict[str, str] | None = None,
        ids: Callable[[int], str] | None = None,
        types: dict[str, str] | None = None,
    ) -> None:
        self.n = int(n)
        self.outcome = np.ascontiguousarray(outcome, dtype=bool)
        self.revenue = None if revenue is None else np.ascontiguousarray(revenue, dtype=np.float64)
        self.created_days = None if created_days is None else np.asarray(created_days, dtype=np.float64)
        self._sources: dict[str, Callable[[], Column] | Column] = dict(columns or {})
        self._columns: dict[str, Column] = {}
        self.aliases = dict(aliases or {})
        # Each column's type as imported ("number", "category", "date", "yes/no", "text"),
        # where known: what a rule's operator is checked against (models.rule_checks).
        self.types = dict(types or {})
        self._resolved: dict[str, str | None] = {}
        self._ids = ids
        self._all_ids: Callable[[], list[str]] | None = None

    # -- building ------------------------------------------------------------------
    @classmethod
    def from_lead_data(cls, data: LeadData) -> LeadFrame:
        from models.leads.types import CREATED, EMAIL, ID, OUTCOME, OWNER, REVENUE, ColumnType

        table = data.table
        names = table.column_names
        outcome = table.column(OUTCOME).to_numpy(zero_copy_only=False).astype(bool)
        revenue = None
        if REVENUE in names:
            revenue = np.nan_to_num(table.column(REVENUE).to_numpy(zero_copy_only=False).astype(np.float64))
        created = None
        if CREATED in names:
            days = _arrow_column(CREATED, table.column(CREATED))
            # (Always dates as the importer writes the table; a text column would have no days.)
            created = None if days.kind == ColumnKind.CODES else days.values

        types = {name: t.value for name, t in data.mapping.types.items() if name in names}
        standard = {ID: ColumnType.TEXT, OUTCOME: ColumnType.YESNO, REVENUE: ColumnType.NUMBER}
        standard |= {CREATED: ColumnType.DATE, OWNER: ColumnType.CATEGORY, EMAIL: ColumnType.TEXT}
        types |= {name: t.value for name, t in standard.items() if name in names}

        def lazy(name: str) -> Callable[[], Column]:
            if types.get(name) == ColumnType.YESNO.value and name != OUTCOME:
                return lambda: _answers_column(name, table.column(name))
            return lambda: _arrow_column(name, table.column(name))

        columns: dict[str, Callable[[], Column] | Column] = {name: lazy(name) for name in names}
        aliases = {}
        mapping = data.mapping
        for std in ("id", "outcome", "revenue", "created", "owner", "email"):
            original = getattr(mapping, std, None)
            if original and std in names and original not in names:
                aliases[original] = std
        id_column = table.column(ID) if ID in names else None
        frame = cls(
            table.num_rows,
            outcome,
            revenue=revenue,
            created_days=created,
            columns=columns,
            aliases=aliases,
            ids=(lambda i: str(id_column[i].as_py())) if id_column is not None else None,
            types=types,
        )
        if id_column is not None:
            frame._all_ids = lambda: [str(v) for v in id_column.to_pylist()]
        return frame

    # -- reading -------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return list(self._sources)

    def matches(self, name: str) -> list[str]:
        """The columns a rule's field `name` may mean, as the table names them: spelled exactly
        (trimmed) or as a file named a standard column ("Prospect ID" for `id`), else every
        column whose name is the same ignoring case (`models.text_match`); more than one: the
        name is ambiguous."""
        found = field_matches(name, [*self._sources, *self.aliases])
        return list(dict.fromkeys(self.aliases.get(n, n) for n in found))

    def resolve(self, name: str) -> str | None:
        """The one column `name` means (`matches`), or None: no such column, or several."""
        if name in self._sources:  # (the usual case, and the one every look-up of a lead takes)
            return name
        if name not in self._resolved:
            found = self.matches(name)
            self._resolved[name] = found[0] if len(found) == 1 else None
        return self._resolved[name]

    def has(self, name: str) -> bool:
        return self.resolve(name) is not None

    def type_of(self, name: str) -> str | None:
        """The imported type of the column `name` means ("number", "category", "date",
        "yes/no", "text"), or None when unknown."""
        resolved = self.resolve(name)
        if resolved is None:
            return None
        known = self.types.get(resolved)
        if known is not None:
            return known
        col = self.column(resolved)
        if col is None:
            return None
        if col.yes_no:
            return "yes/no"
        return {ColumnKind.NUMBER: "number", ColumnKind.DATE: "date"}.get(col.kind, "category")

    def column(self, name: str) -> Column | None:
        resolved = self.resolve(name)
        if resolved is None:
            return None
        name = resolved
        col = self._columns.get(name)
        if col is None:
            source = self._sources[name]
            col = source if isinstance(source, Column) else source()
            self._columns[name] = col
        return col

    def lead(self, i: int, fields: Iterable[str] | None = None) -> dict[str, Any]:
        """Lead i as a mapping of field name to value, as `models.scoring` takes it."""
        out: dict[str, Any] = {}
        for name in fields if fields is not None else self.names:
            col = self.column(name)
            out[name] = None if col is None else col.value(i)
        return out

    def ids(self) -> list[str]:
        """Every lead's ID, in order."""
        if self._all_ids is not None:
            return self._all_ids()
        return [str(i + 1) for i in range(self.n)]

    def lead_id(self, i: int) -> str:
        return self._ids(i) if self._ids is not None else str(i + 1)

    @property
    def weeks_from_dates(self) -> float | None:
        """Weeks between the first and last creation date (inclusive), as the quality summary."""
        days = self.created_days
        if days is None or not len(days):
            return None
        valid = days[~np.isnan(days)]
        if not len(valid):
            return None
        return max(float(valid.max() - valid.min()) + 1, 1.0) / 7.0
