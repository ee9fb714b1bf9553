"""Cleaning one column of a lead file by its type: numbers (decimal comma or point), dates
(in the chosen or detected order), categories (placeholders dropped, spellings that differ
only in case or surrounding space merged), yes/no and text. A bad cell is not fixed: its row
is marked and listed with the reason (`Rejections`).

Columns are cleaned in parallel (pyarrow and numpy release the GIL); this module's lock guards
the few counters they share. What a column's task reports (notices, merged spellings, bad
cells) is kept per task (`_TASK`, set by `ColumnCleaner.in_task`) and put together in column
order afterwards, so that the result does not depend on which thread finished first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.leads.mapping import detect_date_order
from models.leads.types import BadRow, LeadFileError, Mapping, RawTable
from models.leads.values import (
    DATE_FORMAT_TEXT,
    as_string_array,
    blank_placeholders,
    comma_evidence,
    fold_all,
    parse_dates,
    parse_numbers,
    placeholder_set,
)
from models.text_match import NO_WORDS, YES_WORDS

_YES = frozenset(YES_WORDS)
_NO = frozenset(NO_WORDS)
_EVIDENCE_SAMPLE = 20_000

_LOCK = threading.Lock()  # the counters the column tasks share (see the module docstring)
_TASK = threading.local()  # what the column task on this thread has reported so far

T = TypeVar("T")


@dataclass
class Rejections:
    """Bad cells found so far: a row mask over the leads file plus what to tell the user."""

    n: int
    mask: np.ndarray = field(init=False)
    cells: list[tuple[RawTable, np.ndarray, str, str]] = field(default_factory=list)
    keys: list[int] = field(default_factory=list)  # the task (column order) that found each cell

    def __post_init__(self) -> None:
        self.mask = np.zeros(self.n, dtype=bool)

    def add(self, raw: RawTable, rows: np.ndarray, column: str, reason: str, leads: bool = True) -> None:
        if rows.size == 0:
            return
        with _LOCK:  # columns are cleaned on several threads
            if leads:
                self.mask[rows] = True
            self.cells.append((raw, rows, column, reason))
            self.keys.append(getattr(_TASK, "key", 0))

    def bad_rows(self) -> list[BadRow]:
        out: list[BadRow] = []
        order = sorted(range(len(self.cells)), key=lambda i: self.keys[i])  # by column, stable
        for raw, rows, column, reason in (self.cells[i] for i in order):
            values = raw.table.column(column).take(pa.array(rows)).to_pylist()
            lines = np.asarray(raw.line_numbers, dtype=np.int64)[rows].tolist()
            out.extend(
                BadRow(raw.source.name, int(line), column, value, reason)
                for line, value in zip(lines, values, strict=True)
            )
        return out


@dataclass
class Encoded:
    """A column as codes into its distinct values (null = missing): each value a spelling
    found in the file, byte for byte, standing for every spelling that folds to the same
    `keys` entry."""

    codes: pa.Array  # int32 indices into `values`, null where missing
    values: list[str]  # one per code: the kept spelling, as in the file
    replaced: int  # placeholder cells turned into missing
    merged: list[list[str]]  # groups of raw spellings merged, the kept spelling first
    keys: list[str] = field(default_factory=list)  # one per code: how it compares (`fold`)

    def codes_np(self, missing: int) -> np.ndarray:
        return np.asarray(pc.fill_null(self.codes, missing).to_numpy(zero_copy_only=False), dtype=np.int64)

    def dictionary(self) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(self.codes, pa.array(self.values, type=pa.string()))


def encode_spellings(values: pa.Array, placeholders: pa.Array) -> Encoded:
    """Dictionary-encode a column, drop placeholders, and merge spellings that differ only in
    case or surrounding space (compared by `fold`, as the scoring compares them).

    The text is never rewritten into something the file does not hold: a value that is not
    merged keeps its bytes (a leading tab or CR included), and a merged group is labelled with
    one of its own spellings. Which one: the most frequent spelling once trimmed (ties: the
    first seen), as ever; written as the file writes it when the file has it so, else as its
    most frequent spelling in the file (ties: the first seen)."""
    encoded = pc.dictionary_encode(values)
    raw_dict = encoded.dictionary
    indices = encoded.indices
    keys = fold_all(raw_dict)
    is_placeholder = np.asarray(pc.is_in(keys, value_set=placeholders).to_numpy(zero_copy_only=False), dtype=bool)
    group_enc = pc.dictionary_encode(keys)
    n_groups = len(group_enc.dictionary)
    if not is_placeholder.any() and n_groups == len(raw_dict):  # nothing to drop or merge
        return Encoded(indices, raw_dict.to_pylist(), 0, [], keys.to_pylist())
    raw_codes = np.asarray(pc.fill_null(indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    counts = np.bincount(raw_codes[raw_codes >= 0], minlength=len(raw_dict))
    replaced = int(counts[is_placeholder].sum())
    group_of = np.asarray(group_enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    raw_list = raw_dict.to_pylist()
    first_member = np.full(n_groups, -1, dtype=np.int64)
    first_member[group_of[::-1]] = np.arange(len(group_of))[::-1]
    kept = [raw_list[i] for i in first_member]
    merged: list[list[str]] = []
    members = np.bincount(group_of, minlength=n_groups)
    multi = np.flatnonzero(members > 1)
    for g in multi:
        idx = np.flatnonzero(group_of == g)
        if is_placeholder[idx[0]]:
            continue
        label = _label(idx, raw_list, counts)
        kept[g] = label
        others = sorted((i for i in idx if raw_list[i] != label), key=lambda i: -int(counts[i]))
        merged.append([label] + [raw_list[i] for i in others])
    # Compact: groups that are not placeholders, in order of first appearance.
    group_is_placeholder = np.zeros(n_groups, dtype=bool)
    group_is_placeholder[group_of[is_placeholder]] = True
    real = np.flatnonzero(~group_is_placeholder)
    new_index = np.full(n_groups, -1, dtype=np.int64)
    new_index[real] = np.arange(real.size)
    raw_to_new = new_index[group_of]
    lookup = pa.array(raw_to_new, type=pa.int32(), mask=raw_to_new < 0)
    group_keys = group_enc.dictionary.to_pylist()
    return Encoded(pc.take(lookup, indices), [kept[g] for g in real], replaced, merged, [group_keys[g] for g in real])


def _label(members: np.ndarray, spellings: list[str], counts: np.ndarray) -> str:
    """The spelling a merged group is shown as (see `encode_spellings`); `members` index
    `spellings` and `counts` in order of first appearance."""
    by_trimmed: dict[str, int] = {}
    for i in members:
        trimmed = spellings[i].strip()
        by_trimmed[trimmed] = by_trimmed.get(trimmed, 0) + int(counts[i])
    best = max(by_trimmed.items(), key=lambda kv: kv[1])[0]  # ties: first seen
    written = [i for i in members if spellings[i].strip() == best]
    if any(spellings[i] == best for i in written):
        return best
    return spellings[max(written, key=lambda i: (int(counts[i]), -int(i)))]


def dictionary_of(codes: np.ndarray, values: list[str]) -> pa.DictionaryArray:
    """A dictionary column of `values` from codes into them (negative: missing)."""
    indices = pa.array(codes, type=pa.int32(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(values, type=pa.string()))


def rows_of(mask: np.ndarray) -> np.ndarray:
    """The rows a mask marks."""
    return np.flatnonzero(mask)


class ColumnCleaner:
    """Cleans the columns of one lead file (and its outcomes file), and keeps what they have
    in common: the placeholders, the decimal comma, the bad cells, the placeholders replaced,
    the spellings merged and the notices."""

    def __init__(self, raw: RawTable, mapping: Mapping, outcomes: RawTable | None) -> None:
        self.raw = raw
        self.mapping = mapping
        self.outcomes = outcomes
        self.n = raw.table.num_rows
        self.placeholders = placeholder_set(mapping.placeholders)
        self.rejections = Rejections(self.n)
        self.replaced = 0
        self.merged: dict[str, list[list[str]]] = {}
        self.notices: list[str] = []
        self.decimal_comma = False

    # -- what a column reports -----------------------------------------------------------

    def in_task(self, key: int, work: Callable[[], T]) -> tuple[T, list[str], dict[str, list[list[str]]]]:
        """Run one column's work, keeping what it reports apart (see `_TASK`): returns its
        result, notices and merged spellings. `key` is the column's place in the output."""
        _TASK.key, _TASK.notices, _TASK.merged = key, [], {}
        try:
            return work(), _TASK.notices, _TASK.merged
        finally:
            del _TASK.key, _TASK.notices, _TASK.merged

    def notice(self, text: str) -> None:
        sink = getattr(_TASK, "notices", None)
        (sink if sink is not None else self.notices).append(text)

    def merged_sink(self) -> dict[str, list[list[str]]]:
        sink = getattr(_TASK, "merged", None)
        return sink if sink is not None else self.merged

    # -- reading a column -----------------------------------------------------------------

    def column(self, name: str, table: RawTable | None = None) -> pa.Array:
        return as_string_array((table or self.raw).table.column(name))

    def require(self, name: str | None, role: str, table: RawTable | None = None) -> None:
        table = table or self.raw
        if name is not None and name not in table.columns:
            raise LeadFileError(
                f"{table.source.name}: the column \u201c{name}\u201d chosen as {role} "
                f"is not in the file (its columns: {', '.join(table.columns)})"
            )

    def blank(self, values: pa.Array) -> pa.Array:
        cleaned, replaced = blank_placeholders(values, self.placeholders)
        with _LOCK:
            self.replaced += replaced
        return cleaned

    def decide_decimal_comma(self, number_columns: list[tuple[RawTable, str]]) -> bool:
        if self.mapping.decimal_comma is not None:
            return self.mapping.decimal_comma
        n_comma = n_point = 0
        for table, name in number_columns:
            values = self.column(name, table)
            if len(values) > _EVIDENCE_SAMPLE:
                values = values.slice(0, _EVIDENCE_SAMPLE)
            c, p = comma_evidence(pc.utf8_trim_whitespace(values))
            n_comma += c
            n_point += p
        if n_comma > n_point:
            self.notices.append("Numbers are written with a decimal comma (\u201c1.250,50\u201d); read them that way.")
            return True
        if n_comma == n_point == 0 and self.raw.source.detail.get("delimiter") == ";":
            return True
        return False

    # -- typed columns ---------------------------------------------------------------------

    def numbers(self, name: str, table: RawTable | None = None) -> tuple[pa.Array, np.ndarray]:
        """float64 and a bad-cell mask (not yet reported)."""
        values = self.column(name, table)
        if not self.decimal_comma:
            try:
                parsed = pc.cast(values, pa.float64())
                if pc.all(pc.or_kleene(pc.is_finite(parsed), pc.is_null(parsed))).as_py() is not False:
                    return parsed, np.zeros(len(values), dtype=bool)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                pass
        return parse_numbers(self.blank(values), self.decimal_comma)

    def number(self, name: str) -> pa.Array:
        parsed, bad = self.numbers(name)
        self.rejections.add(self.raw, rows_of(bad), name, "not a number")
        return parsed

    def date(self, name: str) -> pa.Array:
        values = self.blank(self.column(name))
        order = self.mapping.date_order
        if order not in DATE_FORMAT_TEXT:
            order = detect_date_order(values)
        parsed, bad = parse_dates(values, order)
        if bad.any():
            expected = DATE_FORMAT_TEXT[order]
            sample = pc.drop_null(values.slice(0, 1000))
            if len(sample) and (pc.sum(pc.match_substring(sample, "/")).as_py() or 0) > len(sample) / 2:
                expected = expected.replace("-", "/")
            self.rejections.add(self.raw, rows_of(bad), name, f"not a date (expected {expected})")
        return parsed

    def category(self, name: str, record: str | None = None) -> Encoded:
        encoded = encode_spellings(self.column(name), self.placeholders)
        with _LOCK:
            self.replaced += encoded.replaced
        if encoded.merged:
            self.merged_sink()[record or name] = encoded.merged
            groups = "; ".join(" = ".join(f"\u201c{s}\u201d" for s in group) for group in encoded.merged[:3])
            self.notice(
                f"Column \u201c{name}\u201d: merged spellings that differ only in case "
                f"or surrounding space ({groups}"
                f"{'; …' if len(encoded.merged) > 3 else ''})."
            )
        return encoded

    def yes_no(self, name: str) -> pa.Array:
        encoded = self.category(name)
        answer = np.array([1 if k in _YES else 0 if k in _NO else -2 for k in encoded.keys] + [-1], dtype=np.int64)
        codes = answer[encoded.codes_np(len(encoded.keys))]
        self.rejections.add(self.raw, rows_of(codes == -2), name, "neither yes nor no")
        return dictionary_of(np.where(codes == -2, -1, codes), ["No", "Yes"])

    def text(self, name: str) -> pa.Array:
        """Text as in the file, byte for byte; placeholder cells missing."""
        cleaned, replaced = blank_placeholders(self.column(name), self.placeholders, trim=False)
        with _LOCK:
            self.replaced += replaced
        return cleaned
