"""The rules for changing a column mapping (models/leads/overrides.py), on mappings written out
by hand: each case states the mapping before, the change, and every field that must follow."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from models.leads.overrides import (
    ROLES,
    assign_roles,
    attribute_type,
    ignore_column,
    join_outcomes,
    make_attribute,
    roles_of,
    set_success,
)
from models.leads.types import (
    DEFAULT_FAILURE_VALUES,
    ColumnType,
    Mapping,
    OutcomesJoin,
    RawTable,
    SourceInfo,
    SuccessKind,
    SuccessRule,
)


def crm() -> Mapping:
    """A CRM export of six columns: Ref (ID), Converted (outcome, 0/1), Opened (created date),
    Rep (owner), Source (category), City (ignored)."""
    return Mapping(
        id="Ref",
        outcome="Converted",
        created="Opened",
        owner="Rep",
        types={"Source": ColumnType.CATEGORY},
        ignored=["City"],
    )


def raw_table(columns: dict[str, list[str | None]]) -> RawTable:
    n = len(next(iter(columns.values())))
    table = pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})
    return RawTable(SourceInfo("crm.csv", 0, "", "csv"), table, np.arange(2, n + 2, dtype=np.int64))


# --- roles ------------------------------------------------------------------------------------


def test_roles_of() -> None:
    m = crm()
    assert roles_of(m, "Ref") == ["id"]
    assert roles_of(m, "Source") == [] and roles_of(m, "City") == []
    m.email = "Ref"
    assert roles_of(m, "Ref") == ["id", "email"]  # in the order of ROLES
    assert ROLES == ("id", "outcome", "revenue", "created", "owner", "email")


def test_a_role_moves_and_the_column_that_had_it_stays_an_attribute_of_the_inferred_type() -> None:
    m = crm()
    assign_roles(m, {"id": "Source"})
    # Source is the ID now: no attribute type. Ref lost the ID: an attribute again, neither
    # ignored nor typed (the import infers its type, as for any column never given a role).
    assert (m.id, m.outcome, m.created, m.owner) == ("Source", "Converted", "Opened", "Rep")
    assert m.types == {}
    assert m.ignored == ["City"]
    assert roles_of(m, "Ref") == []


def test_the_column_that_lost_its_role_keeps_a_type_recorded_for_it() -> None:
    m = crm()
    m.types["Ref"] = ColumnType.TEXT  # e.g. written in a --mapping document
    assign_roles(m, {"id": "Source"})
    assert m.types == {"Ref": ColumnType.TEXT}


def test_a_column_given_another_role_loses_its_first() -> None:
    m = crm()
    assign_roles(m, {"owner": "Opened"})
    # Opened: created date → owner; Rep lost the owner; no column is the created date.
    assert (m.id, m.outcome, m.created, m.owner) == ("Ref", "Converted", None, "Opened")
    assert m.types == {"Source": ColumnType.CATEGORY}


def test_roles_given_together_are_all_kept() -> None:
    m = crm()
    assign_roles(m, {"id": "Rep", "email": "Rep"})
    # Rep is both the ID and the e-mail; it loses the owner, which was not named for it.
    assert (m.id, m.email, m.owner) == ("Rep", "Rep", None)
    assert roles_of(m, "Ref") == []


def test_two_columns_swap_roles() -> None:
    m = crm()
    assign_roles(m, {"id": "Rep", "owner": "Ref"})
    assert (m.id, m.owner) == ("Rep", "Ref")
    assert m.types == {"Source": ColumnType.CATEGORY} and m.ignored == ["City"]


def test_an_ignored_column_given_a_role_is_no_longer_ignored() -> None:
    m = crm()
    assign_roles(m, {"revenue": "City"})
    assert m.revenue == "City" and m.ignored == []


def test_a_typed_attribute_given_a_role_has_no_type() -> None:
    m = crm()
    assign_roles(m, {"outcome": "Source"})
    assert m.outcome == "Source" and "Source" not in m.types
    assert roles_of(m, "Converted") == [] and "Converted" not in m.ignored


def test_giving_a_column_the_role_it_has_changes_nothing() -> None:
    m = crm()
    assign_roles(m, {"id": "Ref"})
    assert m == crm()


def test_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="not a role: stage"):
        assign_roles(crm(), {"stage": "Converted"})


# --- attribute, ignored -------------------------------------------------------------------------


def test_a_role_column_made_an_attribute() -> None:
    m = crm()
    make_attribute(m, "Rep")
    assert m.owner is None and "Rep" not in m.types and "Rep" not in m.ignored
    make_attribute(m, "Opened", ColumnType.DATE)
    assert m.created is None and m.types["Opened"] == ColumnType.DATE


def test_an_ignored_column_made_an_attribute_of_a_type() -> None:
    m = crm()
    make_attribute(m, "City", ColumnType.CATEGORY)
    assert m.ignored == [] and m.types == {"Source": ColumnType.CATEGORY, "City": ColumnType.CATEGORY}


def test_a_column_ignored_loses_its_role_and_type_and_is_listed_once() -> None:
    m = crm()
    ignore_column(m, "Source")
    ignore_column(m, "Rep")
    ignore_column(m, "Rep")
    assert m.types == {} and m.owner is None
    assert m.ignored == ["City", "Source", "Rep"]


# --- success ------------------------------------------------------------------------------------


def test_success_values_are_never_failures() -> None:
    m = crm()
    set_success(m, SuccessRule(kind=SuccessKind.VALUES, values=["Won", " NO "]))
    # The default failures (no, n, false, 0, lost, closed lost, not converted) less "no".
    assert m.success.values == ["Won", " NO "]
    assert m.success.failures == ["n", "false", "0", "lost", "closed lost", "not converted"]
    assert m.outcome == "Converted"


def test_given_failures_lose_the_success_values_too() -> None:
    m = crm()
    set_success(m, SuccessRule(kind=SuccessKind.VALUES, values=["Signed", "yes"], failures=["Dropped", "YES", ""]))
    assert m.success.failures == ["Dropped", ""]


def test_the_rule_is_copied() -> None:
    m = crm()
    rule = SuccessRule(kind=SuccessKind.VALUES, values=["won"])
    set_success(m, rule)
    assert rule.failures == list(DEFAULT_FAILURE_VALUES)  # the caller's rule is untouched
    m.success.values.append("signed")
    assert rule.values == ["won"]


def test_other_rules_keep_their_failures() -> None:
    m = crm()
    set_success(
        m, SuccessRule(kind=SuccessKind.STAGE_AT_LEAST, values=["x"], failures=["x", ""], stages=["a", "b"], stage="b")
    )
    assert (m.success.kind, m.success.failures, m.success.stage) == (SuccessKind.STAGE_AT_LEAST, ["x", ""], "b")
    assert m.outcome == "Converted"


def test_success_by_the_outcomes_file_leaves_the_outcome_column_an_attribute() -> None:
    m = crm()
    set_success(m, SuccessRule(kind=SuccessKind.MATCHED, values=[], failures=[]))
    assert m.outcome is None and m.success.kind == SuccessKind.MATCHED
    # Converted stays in the data: neither ignored nor typed (its type is inferred: yes/no).
    assert "Converted" not in m.ignored and "Converted" not in m.types
    assert (m.id, m.created, m.owner) == ("Ref", "Opened", "Rep")


# --- the outcomes join --------------------------------------------------------------------------


def test_a_join_keeps_the_chosen_id() -> None:
    m = crm()
    join = OutcomesJoin("Source", "Lead", "Stage", "Closed Won")
    join_outcomes(m, join)
    assert m.join == join and m.id == "Ref" and m.types == {"Source": ColumnType.CATEGORY}


def test_without_an_id_the_join_column_becomes_the_id() -> None:
    m = crm()
    m.id = None
    m.types["Ref"] = ColumnType.TEXT
    join_outcomes(m, OutcomesJoin("Ref", "Lead ID"))
    assert m.id == "Ref" and "Ref" not in m.types


def test_the_join_column_becomes_the_id_keeping_its_role() -> None:
    m = Mapping(outcome="Converted", email="Email", types={"Source": ColumnType.CATEGORY})
    join_outcomes(m, OutcomesJoin("Email", "Contact email"))
    assert (m.id, m.email, m.outcome) == ("Email", "Email", "Converted")


def test_an_ignored_join_column_becomes_the_id() -> None:
    m = Mapping(ignored=["mql_id", "landing_page"])
    join_outcomes(m, OutcomesJoin("mql_id", "mql_id"))
    assert m.id == "mql_id" and m.ignored == ["landing_page"]


# --- the type of an attribute -------------------------------------------------------------------


def test_attribute_type_is_the_recorded_one_else_inferred() -> None:
    raw = raw_table(
        {
            "Ref": ["7927b2df-8bba", "2a272436-5132", "8cc8c611-a219", "0cc2df48-7cf4"],
            "Converted": ["0", "0", "1", "0"],
            "Opened": ["2024-03-01", "2024-03-02", "2024-03-03", "2024-03-10"],
            "Rep": ["Ann", "Bo", "Ann", "Bo"],
            "Source": ["Web", "Fair", "Web", "Web"],
            "City": ["Pune", "Select", "Pune", "Pune"],
        }
    )
    m = crm()
    m.types["Rep"] = ColumnType.TEXT
    # Recorded types win, whatever the column holds: Source, and Rep (though it is the owner).
    assert attribute_type(m, raw, "Source") == ColumnType.CATEGORY
    assert attribute_type(m, raw, "Rep") == ColumnType.TEXT
    # Otherwise inferred: four distinct codes of four rows are text; 0/1 under a flag-like
    # name is yes/no; ISO dates are dates; City, one value three times ("Select" is a
    # placeholder), is a category.
    assert attribute_type(m, raw, "Ref") == ColumnType.TEXT
    assert attribute_type(m, raw, "Converted") == ColumnType.YESNO
    assert attribute_type(m, raw, "Opened") == ColumnType.DATE
    assert attribute_type(m, raw, "City") == ColumnType.CATEGORY
