"""What counts as success, lead by lead: the outcome column read with the user's rule, or
the outcomes file joined on an ID column.

* A list of success values (yes, won, converted ...) and of failure values: any other value
  is a bad row ("neither a success nor a failure value").
* At or past a stage, in an ordered list of stages: a value that is not one of them is a bad
  row.
* Any value: success when the outcome is not empty.
* A row in the outcomes file (optionally only rows whose filter column has a given value):
  outcome rows matching no lead are counted, and revenue only in the outcomes file is summed
  per lead.

With success values or stages, a missing outcome is a failure when "" or a placeholder is
among the failure values, else a bad row ("empty outcome").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from models.leads.clean_columns import ColumnCleaner, rows_of
from models.leads.types import LeadFileError, SuccessKind
from models.leads.values import blank_placeholders
from models.text_match import fold


@dataclass
class Outcome:
    """The outcome of every lead, and what a join with the outcomes file found on the way."""

    success: pa.Array  # bool, one per lead
    unmatched: int = 0  # outcome rows with no matching lead (a join)
    revenue: pa.Array | None = None  # revenue looked up in the outcomes file, per lead (a join)


def read_outcome(columns: ColumnCleaner) -> Outcome:
    """Success or failure for every lead (see the module docstring); its bad values are
    marked in `columns.rejections`."""
    mapping = columns.mapping
    rule = mapping.success
    if rule.kind == SuccessKind.MATCHED or (mapping.outcome is None and mapping.join is not None):
        return _matched(columns)
    if mapping.outcome is None:
        raise LeadFileError(f"{columns.raw.source.name}: no outcome column is chosen (and no outcomes file to join)")
    name = mapping.outcome
    encoded = columns.category(name)
    lowered = encoded.keys  # trimmed, case-folded
    # Missing outcomes count as failures when a failure value is "" or a placeholder.
    missing_spellings = set(columns.placeholders.to_pylist())
    empty_fails = any(fold(f) in missing_spellings for f in rule.failures)
    if rule.kind == SuccessKind.HAS_VALUE:
        return Outcome(pc.is_valid(encoded.codes))
    if rule.kind == SuccessKind.VALUES:
        success = {fold(v) for v in rule.values}
        failure = {fold(v) for v in rule.failures}
        answer = [1 if v in success else 0 if v in failure else -2 for v in lowered]
        reason = (
            f"neither a success ({_quoted([v for v in rule.values if v.strip()])}) "
            f"nor a failure ({_quoted([v for v in rule.failures if v.strip()])}) value"
        )
    else:  # STAGE_AT_LEAST
        stages = [fold(s) for s in rule.stages]
        if fold(rule.stage) not in stages:
            raise LeadFileError(
                f"{columns.raw.source.name}: the success stage \u201c{rule.stage}\u201d is not one of the stages listed"
            )
        at = stages.index(fold(rule.stage))
        rank = {s: i for i, s in enumerate(stages)}
        answer = [-2 if v not in rank else 1 if rank[v] >= at else 0 for v in lowered]
        reason = f"not one of the stages ({_quoted([s for s in rule.stages if s.strip()])})"
    table = np.array(answer + [0 if empty_fails else -3], dtype=np.int32)
    codes = table[encoded.codes_np(len(answer))]
    columns.rejections.add(columns.raw, rows_of(codes == -2), name, reason)
    columns.rejections.add(columns.raw, rows_of(codes == -3), name, f"empty outcome: {reason}")
    return Outcome(pa.array(codes == 1))


def _matched(columns: ColumnCleaner) -> Outcome:
    """Success = the lead has a row in the outcomes file (with the filter, when given)."""
    join = columns.mapping.join
    outcomes = columns.outcomes
    if join is None or outcomes is None:
        raise LeadFileError(
            f"{columns.raw.source.name}: success means \u201chas a row in the outcomes "
            "file\u201d, but no outcomes file or join column is given"
        )
    columns.require(join.lead_column, "the join column", columns.raw)
    columns.require(join.outcome_column, "the join column", outcomes)
    # Keys are compared trimmed, placeholders as missing (not counted: the ID column's
    # placeholders are counted once when it is read).
    lead_keys, _ = blank_placeholders(columns.column(join.lead_column), columns.placeholders)
    out_keys, _ = blank_placeholders(columns.column(join.outcome_column, outcomes), columns.placeholders)
    keep = np.ones(len(out_keys), dtype=bool)
    if join.where_column:
        columns.require(join.where_column, "the outcome filter", outcomes)
        where = pc.utf8_lower(pc.utf8_trim_whitespace(columns.column(join.where_column, outcomes)))
        wanted = (join.where_value or "").strip().lower()
        keep &= np.asarray(pc.fill_null(pc.equal(where, wanted), False).to_numpy(zero_copy_only=False), dtype=bool)
    revenue_name = columns.mapping.revenue
    if revenue_name and revenue_name not in columns.raw.columns and revenue_name in outcomes.columns:
        revenue, bad = columns.numbers(revenue_name, outcomes)
        columns.rejections.add(outcomes, rows_of(bad & keep), revenue_name, "not a number", leads=False)
        keep &= ~bad
    else:
        revenue = None
    keys = out_keys.filter(pa.array(keep))
    present_keys = pc.unique(pc.drop_null(keys))
    success = pc.fill_null(pc.is_in(lead_keys, value_set=present_keys), False)
    lead_set = pc.unique(pc.drop_null(lead_keys))
    found = pc.fill_null(pc.is_in(keys, value_set=lead_set), False)
    unmatched = int(len(keys) - (pc.sum(found).as_py() or 0))
    if unmatched:
        columns.notice(
            f"{outcomes.source.name}: {unmatched} outcome row"
            f"{'s' if unmatched != 1 else ''} match no lead in "
            f"{columns.raw.source.name} (on \u201c{join.outcome_column}\u201d)."
        )
    revenue_per_lead = None
    if revenue is not None:
        sums = pa.table({"k": keys, "r": revenue.filter(pa.array(keep))}).group_by("k").aggregate([("r", "sum")])
        where_in = pc.index_in(lead_keys, value_set=sums.column("k"))
        revenue_per_lead = pc.take(sums.column("r_sum"), where_in)
    return Outcome(success, unmatched, revenue_per_lead)


def _quoted(values: list[str], limit: int = 6) -> str:
    shown = ", ".join(v for v in values[:limit])
    return shown + (", …" if len(values) > limit else "")
