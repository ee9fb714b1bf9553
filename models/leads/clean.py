"""Applying a mapping: a RawTable (text) becomes LeadData (typed leads + quality summary).

Everything is vectorised (pyarrow.compute, numpy); Python loops run over columns, over the
distinct values of category-like columns, and over the rejected cells only. The columns are
cleaned side by side on a small thread pool; with `encode=True` (an import) the Parquet for the
workshop file is made while the quality summary is computed.

    apply_mapping(raw, mapping, outcomes=None, progress=NullProgress()) → LeadData

Rows with a bad cell (a non-number in a number column, an impossible date, an outcome that is
neither success nor failure...) are left out of the table and listed in `LeadData.rejected`
together with the reader's bad rows; the caller asks whether to import the valid rows.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.leads.mapping import detect_date_order, infer_type
from models.leads.serialize import table_to_parquet
from models.leads.types import (
    CREATED,
    EMAIL,
    ID,
    OUTCOME,
    OWNER,
    REVENUE,
    BadRow,
    ColumnType,
    LeadData,
    LeadFileError,
    Mapping,
    NullProgress,
    Progress,
    QualitySummary,
    RawTable,
    SuccessKind,
    check,
)
from models.leads.values import (
    DATE_FORMAT_TEXT,
    as_string_array,
    blank_placeholders,
    comma_evidence,
    count_duplicates,
    parse_dates,
    parse_numbers,
    placeholder_set,
)

_YES = {"yes", "y", "true", "t", "1", "x", "checked", "on"}
_NO = {"no", "n", "false", "f", "0", "unchecked", "off"}
_EVIDENCE_SAMPLE = 20_000


# Columns are cleaned in parallel (pyarrow and numpy release the GIL); this lock guards the
# few counters they share. What a column's task reports (notices, merged spellings, bad
# cells) is kept per task (`_TASK`, set by `_Cleaner.in_task`) and put together in column
# order afterwards, so that the result does not depend on which thread finished first.
_LOCK = threading.Lock()
_WORKERS = max(1, min(4, os.cpu_count() or 1))
_TASK = threading.local()


@dataclass
class _Rejections:
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
class _Encoded:
    """A column as codes into its distinct cleaned spellings (null = missing)."""

    codes: pa.Array  # int32 indices into `values`, null where missing
    values: list[str]  # one per code
    replaced: int  # placeholder cells turned into missing
    merged: list[list[str]]  # groups of raw spellings merged, the kept spelling first

    def codes_np(self, missing: int) -> np.ndarray:
        return np.asarray(pc.fill_null(self.codes, missing).to_numpy(zero_copy_only=False), dtype=np.int64)

    def dictionary(self) -> pa.DictionaryArray:
        return pa.DictionaryArray.from_arrays(self.codes, pa.array(self.values, type=pa.string()))


def _encode(values: pa.Array, placeholders: pa.Array) -> _Encoded:
    """Dictionary-encode a column, trim it, drop placeholders, and merge spellings that differ
    only in case or surrounding space into the most frequent one."""
    encoded = pc.dictionary_encode(values)
    raw_dict = encoded.dictionary
    indices = encoded.indices
    trimmed = pc.utf8_trim_whitespace(raw_dict)
    lowered = pc.utf8_lower(trimmed)
    is_placeholder = np.asarray(pc.is_in(lowered, value_set=placeholders).to_numpy(zero_copy_only=False), dtype=bool)
    group_enc = pc.dictionary_encode(lowered)
    n_groups = len(group_enc.dictionary)
    if not is_placeholder.any() and n_groups == len(raw_dict):  # nothing to drop or merge
        return _Encoded(indices, trimmed.to_pylist(), 0, [])
    raw_codes = np.asarray(pc.fill_null(indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    counts = np.bincount(raw_codes[raw_codes >= 0], minlength=len(raw_dict))
    replaced = int(counts[is_placeholder].sum())
    group_of = np.asarray(group_enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    trimmed_list = trimmed.to_pylist()
    first_member = np.full(n_groups, -1, dtype=np.int64)
    first_member[group_of[::-1]] = np.arange(len(group_of))[::-1]
    kept = [trimmed_list[i] for i in first_member]
    merged: list[list[str]] = []
    members = np.bincount(group_of, minlength=n_groups)
    multi = np.flatnonzero(members > 1)
    if multi.size:
        raw_list = raw_dict.to_pylist()
        for g in multi:
            idx = np.flatnonzero(group_of == g)
            if is_placeholder[idx[0]]:
                continue
            by_spelling: dict[str, int] = {}
            for i in idx:
                by_spelling[trimmed_list[i]] = by_spelling.get(trimmed_list[i], 0) + int(counts[i])
            best = max(by_spelling.items(), key=lambda kv: kv[1])[0]  # ties: first seen
            kept[g] = best
            others = sorted((i for i in idx if raw_list[i] != best), key=lambda i: -int(counts[i]))
            merged.append([best] + [raw_list[i] for i in others])
    # Compact: groups that are not placeholders, in order of first appearance.
    group_is_placeholder = np.zeros(n_groups, dtype=bool)
    group_is_placeholder[group_of[is_placeholder]] = True
    real = np.flatnonzero(~group_is_placeholder)
    new_index = np.full(n_groups, -1, dtype=np.int64)
    new_index[real] = np.arange(real.size)
    raw_to_new = new_index[group_of]
    lookup = pa.array(raw_to_new, type=pa.int32(), mask=raw_to_new < 0)
    return _Encoded(pc.take(lookup, indices), [kept[g] for g in real], replaced, merged)


def _dictionary(codes: np.ndarray, values: list[str]) -> pa.DictionaryArray:
    indices = pa.array(codes, type=pa.int32(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(values, type=pa.string()))


def _rows(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)


def _quoted(values: list[str], limit: int = 6) -> str:
    shown = ", ".join(v for v in values[:limit])
    return shown + (", …" if len(values) > limit else "")


class _Cleaner:
    def __init__(self, raw: RawTable, mapping: Mapping, outcomes: RawTable | None, encode: bool = False) -> None:
        self.raw = raw
        self.encode = encode
        self.mapping = mapping
        self.outcomes = outcomes
        self.n = raw.table.num_rows
        self.placeholders = placeholder_set(mapping.placeholders)
        self.rejections = _Rejections(self.n)
        self.replaced = 0
        self.merged: dict[str, list[list[str]]] = {}
        self.notices: list[str] = []
        self.decimal_comma = False
        self.unmatched = 0  # outcome rows with no matching lead
        self.outcome_revenue: pa.Array | None = None  # revenue looked up in the outcomes file

    # -- helpers -------------------------------------------------------------------------

    def in_task(
        self, key: int, work: Callable[[], pa.Array | None]
    ) -> tuple[pa.Array | None, list[str], dict[str, list[list[str]]]]:
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
        self.rejections.add(self.raw, _rows(bad), name, "not a number")
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
            self.rejections.add(self.raw, _rows(bad), name, f"not a date (expected {expected})")
        return parsed

    def category(self, name: str, record: str | None = None) -> _Encoded:
        encoded = _encode(self.column(name), self.placeholders)
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
        lowered = [v.lower() for v in encoded.values]
        answer = np.array([1 if v in _YES else 0 if v in _NO else -2 for v in lowered] + [-1], dtype=np.int64)
        codes = answer[encoded.codes_np(len(lowered))]
        self.rejections.add(self.raw, _rows(codes == -2), name, "neither yes nor no")
        return _dictionary(np.where(codes == -2, -1, codes), ["No", "Yes"])

    def text(self, name: str) -> pa.Array:
        return self.blank(self.column(name))

    # -- the outcome -------------------------------------------------------------------------

    def outcome(self) -> pa.Array:
        mapping = self.mapping
        rule = mapping.success
        if rule.kind == SuccessKind.MATCHED or (mapping.outcome is None and mapping.join is not None):
            return self.matched()
        if mapping.outcome is None:
            raise LeadFileError(f"{self.raw.source.name}: no outcome column is chosen (and no outcomes file to join)")
        name = mapping.outcome
        encoded = self.category(name)
        lowered = [v.lower() for v in encoded.values]
        # Missing outcomes count as failures when a failure value is "" or a placeholder.
        missing_spellings = set(self.placeholders.to_pylist())
        empty_fails = any(f.strip().lower() in missing_spellings for f in rule.failures)
        if rule.kind == SuccessKind.HAS_VALUE:
            return pc.is_valid(encoded.codes)
        if rule.kind == SuccessKind.VALUES:
            success = {v.strip().lower() for v in rule.values}
            failure = {v.strip().lower() for v in rule.failures}
            answer = [1 if v in success else 0 if v in failure else -2 for v in lowered]
            reason = (
                f"neither a success ({_quoted([v for v in rule.values if v.strip()])}) "
                f"nor a failure ({_quoted([v for v in rule.failures if v.strip()])}) value"
            )
        else:  # STAGE_AT_LEAST
            stages = [s.strip().lower() for s in rule.stages]
            if rule.stage.strip().lower() not in stages:
                raise LeadFileError(
                    f"{self.raw.source.name}: the success stage \u201c{rule.stage}\u201d "
                    "is not one of the stages listed"
                )
            at = stages.index(rule.stage.strip().lower())
            rank = {s: i for i, s in enumerate(stages)}
            answer = [-2 if v not in rank else 1 if rank[v] >= at else 0 for v in lowered]
            reason = f"not one of the stages ({_quoted([s for s in rule.stages if s.strip()])})"
        table = np.array(answer + [0 if empty_fails else -3], dtype=np.int32)
        codes = table[encoded.codes_np(len(answer))]
        self.rejections.add(self.raw, _rows(codes == -2), name, reason)
        self.rejections.add(self.raw, _rows(codes == -3), name, f"empty outcome: {reason}")
        return pa.array(codes == 1)

    def matched(self) -> pa.Array:
        join = self.mapping.join
        outcomes = self.outcomes
        if join is None or outcomes is None:
            raise LeadFileError(
                f"{self.raw.source.name}: success means \u201chas a row in the outcomes "
                "file\u201d, but no outcomes file or join column is given"
            )
        self.require(join.lead_column, "the join column", self.raw)
        self.require(join.outcome_column, "the join column", outcomes)
        # Keys are compared trimmed, placeholders as missing (not counted: the ID column's
        # placeholders are counted once when it is read).
        lead_keys, _ = blank_placeholders(self.column(join.lead_column), self.placeholders)
        out_keys, _ = blank_placeholders(self.column(join.outcome_column, outcomes), self.placeholders)
        keep = np.ones(len(out_keys), dtype=bool)
        if join.where_column:
            self.require(join.where_column, "the outcome filter", outcomes)
            where = pc.utf8_lower(pc.utf8_trim_whitespace(self.column(join.where_column, outcomes)))
            wanted = (join.where_value or "").strip().lower()
            keep &= np.asarray(pc.fill_null(pc.equal(where, wanted), False).to_numpy(zero_copy_only=False), dtype=bool)
        revenue_name = self.mapping.revenue
        if revenue_name and revenue_name not in self.raw.columns and revenue_name in outcomes.columns:
            revenue, bad = self.numbers(revenue_name, outcomes)
            self.rejections.add(outcomes, _rows(bad & keep), revenue_name, "not a number", leads=False)
            keep &= ~bad
        else:
            revenue = None
        keys = out_keys.filter(pa.array(keep))
        present_keys = pc.unique(pc.drop_null(keys))
        success = pc.fill_null(pc.is_in(lead_keys, value_set=present_keys), False)
        lead_set = pc.unique(pc.drop_null(lead_keys))
        found = pc.fill_null(pc.is_in(keys, value_set=lead_set), False)
        self.unmatched = int(len(keys) - (pc.sum(found).as_py() or 0))
        if self.unmatched:
            self.notice(
                f"{outcomes.source.name}: {self.unmatched} outcome row"
                f"{'s' if self.unmatched != 1 else ''} match no lead in "
                f"{self.raw.source.name} (on \u201c{join.outcome_column}\u201d)."
            )
        if revenue is not None:
            sums = pa.table({"k": keys, "r": revenue.filter(pa.array(keep))}).group_by("k").aggregate([("r", "sum")])
            where_in = pc.index_in(lead_keys, value_set=sums.column("k"))
            self.outcome_revenue = pc.take(sums.column("r_sum"), where_in)
        return success

    # -- the whole table ---------------------------------------------------------------------

    def run(self, progress: Progress) -> LeadData:
        raw, mapping = self.raw, self.mapping
        roles = {
            "the ID": mapping.id,
            "the outcome": mapping.outcome,
            "the created date": mapping.created,
            "the owner": mapping.owner,
            "the e-mail": mapping.email,
        }
        for role, name in roles.items():
            self.require(name, role)
        revenue_in_outcomes = bool(
            mapping.revenue
            and mapping.revenue not in raw.columns
            and self.outcomes is not None
            and mapping.revenue in self.outcomes.columns
        )
        if mapping.revenue and not revenue_in_outcomes:
            self.require(mapping.revenue, "revenue")
        used = {
            c
            for c in (mapping.id, mapping.outcome, mapping.revenue, mapping.created, mapping.owner, mapping.email)
            if c
        }
        ignored = set(mapping.ignored)
        attributes = [c for c in raw.columns if c not in used and c not in ignored]
        types = {
            c: mapping.types.get(c) or infer_type(raw.table.column(c), mapping.placeholders, c) for c in attributes
        }
        number_columns = [(raw, c) for c in attributes if types[c] == ColumnType.NUMBER]
        if mapping.revenue:
            revenue_table = self.outcomes if revenue_in_outcomes and self.outcomes is not None else raw
            number_columns.append((revenue_table, mapping.revenue))

        steps = 6 + len(attributes)
        done = 0

        def step(message: str) -> None:
            nonlocal done
            check(progress, done / steps, message)
            done += 1

        def convert(name: str) -> pa.Array:
            kind = types[name]
            if kind == ColumnType.NUMBER:
                return self.number(name)
            if kind == ColumnType.DATE:
                return self.date(name)
            if kind == ColumnType.YESNO:
                return self.yes_no(name)
            if kind == ColumnType.CATEGORY:
                return self.category(name).dictionary()
            return self.text(name)

        def owner() -> pa.Array:
            assert mapping.owner is not None
            return pc.cast(self.category(mapping.owner).dictionary(), pa.string())

        # Every column but the outcome on the pool (the standard ones first: they are the
        # longest); meanwhile, on this thread, the decimal comma is decided (the number columns
        # wait for it) and then the outcome is read (its errors come first, as before).
        # The keys are the columns' places in the output (0 ID, 1 outcome, 2 revenue, ...).
        tasks: list[tuple[int, str, Callable[[], pa.Array | None]]] = []
        if mapping.id:
            id_column = mapping.id
            tasks.append((0, "Read the IDs", lambda: self.text(id_column)))
        if mapping.revenue and not revenue_in_outcomes:
            revenue_column = mapping.revenue
            tasks.append((2, "Read revenue", lambda: self.number(revenue_column)))
        if mapping.created:
            created_column = mapping.created
            tasks.append((3, "Read the created dates", lambda: self.date(created_column)))
        if mapping.owner:
            tasks.append((4, "Read the owners", owner))
        if mapping.email:
            email_column = mapping.email
            tasks.append((5, "Read the e-mails", lambda: self.text(email_column)))
        for position, name in enumerate(attributes):
            tasks.append((6 + position, f"Read \u201c{name}\u201d", partial(convert, name)))
        numeric = {2} | {6 + position for position, name in enumerate(attributes) if types[name] == ColumnType.NUMBER}
        results: dict[int, tuple[pa.Array | None, list[str], dict[str, list[list[str]]]]] = {}
        with ThreadPoolExecutor(max_workers=_WORKERS) as pool:
            futures: dict[Future[tuple[pa.Array | None, list[str], dict[str, list[list[str]]]]], tuple[int, str]] = {}
            try:
                for key, message, work in tasks:
                    if key not in numeric:
                        futures[pool.submit(self.in_task, key, work)] = (key, message)
                self.decimal_comma = self.decide_decimal_comma(number_columns)
                for key, message, work in tasks:
                    if key in numeric:
                        futures[pool.submit(self.in_task, key, work)] = (key, message)
                step("Reading the outcome")
                results[1] = self.in_task(1, self.outcome)
                if revenue_in_outcomes:
                    revenue = self.outcome_revenue
                    if revenue is None:  # the outcome does not come from the join: no lookup made
                        raise LeadFileError(
                            f"{raw.source.name}: revenue \u201c{mapping.revenue}\u201d is "
                            "only in the outcomes file, which is not joined"
                        )
                    results[2] = (revenue, [], {})
                for _ in range(6 - len(tasks) + len(attributes) - 1):  # the standard columns not mapped
                    step("Reading the columns")
                pending = set(futures)
                while pending:
                    finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        key, message = futures[future]
                        results[key] = future.result()
                        step(message)
            except BaseException:
                for future in futures:
                    future.cancel()
                raise
        out: list[tuple[str, pa.Array]] = []
        if not mapping.id:
            out.append((ID, pa.array(np.asarray(raw.line_numbers, dtype=np.int64)).cast(pa.string())))
        merged: dict[str, list[list[str]]] = {}
        for key in sorted(results):
            column, notices, merged_here = results[key]
            self.notices.extend(notices)
            merged.update(merged_here)
            if key < 6:
                out.append(([ID, OUTCOME, REVENUE, CREATED, OWNER, EMAIL][key], column))
        out.sort(key=lambda item: [ID, OUTCOME, REVENUE, CREATED, OWNER, EMAIL].index(item[0]))
        standard = {name for name, _ in out}
        for position, name in enumerate(attributes):
            label = name
            while label in standard:
                label = f"{label} (attribute)"
            standard.add(label)
            out.append((label, results[6 + position][0]))
        self.merged = merged  # in column order, whichever thread finished first
        check(progress, 1.0, "Checking the rows")

        table = pa.table(dict(out))
        bad = self.rejections.mask
        if bad.any():
            table = table.filter(pa.array(~bad))
        # The Parquet for the workshop file (when asked) and the two exact duplicate counts,
        # side by side, while this thread lists the bad rows.
        pool = ThreadPoolExecutor(max_workers=2)
        try:
            parquet = pool.submit(table_to_parquet, table) if self.encode else None
            duplicate_ids = pool.submit(lambda: count_duplicates(table.column(ID)) if mapping.id else 0)
            duplicate_emails = pool.submit(
                lambda: count_duplicates(pc.utf8_lower(table.column(EMAIL))) if mapping.email else 0
            )
            return self.finish(table, bad, parquet, duplicate_ids, duplicate_emails)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def finish(
        self,
        table: pa.Table,
        bad: np.ndarray,
        parquet: Future[bytes] | None,
        duplicate_ids: Future[int],
        duplicate_emails: Future[int],
    ) -> LeadData:
        raw, mapping = self.raw, self.mapping
        rejected = list(raw.bad_rows)
        if self.outcomes is not None:
            rejected += list(self.outcomes.bad_rows)
        rejected += self.rejections.bad_rows()
        order = {raw.source.name: 0}
        rejected.sort(key=lambda b: (order.get(b.file, 1), b.line if b.line is not None else 0))
        if rejected:
            self.notices.append(
                f"{len(rejected)} bad row{'s' if len(rejected) != 1 else ''} "
                f"({int(bad.sum())} of them in the table) left out."
            )
        if self.replaced:
            self.notices.append(
                f"{self.replaced} placeholder value{'s' if self.replaced != 1 else ''} "
                f"({', '.join(mapping.placeholders[:6])}...) treated as missing."
            )
        first = last = None
        if CREATED in table.column_names and table.num_rows:
            bounds = pc.min_max(table.column(CREATED)).as_py()
            first = bounds["min"].date() if bounds["min"] is not None else None
            last = bounds["max"].date() if bounds["max"] is not None else None
        quality = QualitySummary(
            rows=table.num_rows,
            positives=int(pc.sum(table.column(OUTCOME)).as_py() or 0),
            missing={name: table.column(name).null_count for name in table.column_names},
            duplicate_ids=duplicate_ids.result(),
            duplicate_emails=duplicate_emails.result(),
            first_date=first,
            last_date=last,
            merged_spellings=self.merged,
            placeholders_replaced=self.replaced,
            unmatched_outcomes=self.unmatched,
        )
        sources = [raw.source] + ([self.outcomes.source] if self.outcomes is not None else [])
        notices = list(raw.notices) + (list(self.outcomes.notices) if self.outcomes is not None else [])
        return LeadData(
            table=table,
            mapping=mapping,
            quality=quality,
            sources=sources,
            rejected=rejected,
            notices=notices + self.notices,
            imported_at=dt.datetime.now(dt.UTC),
            parquet=parquet.result() if parquet is not None else None,
        )


def apply_mapping(
    raw: RawTable,
    mapping: Mapping,
    outcomes: RawTable | None = None,
    progress: Progress = NullProgress(),
    *,
    encode: bool = False,
) -> LeadData:
    """Type, clean and check `raw` according to `mapping` (see the module docstring).

    `encode`: also compute the table's Parquet for the workshop file (`LeadData.parquet`),
    side by side with the quality summary (an import is stored right after).

    Raises LeadFileError when the mapping names a column the file does not have, and
    Cancelled (having changed nothing) when the user cancels."""
    return _Cleaner(raw, mapping, outcomes, encode).run(progress)
