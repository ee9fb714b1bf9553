"""Mapping guesses (headers, types, number and date formats) and cleaning (apply_mapping).

RawTables are built here from string columns and physical line numbers; every expected value
is worked out by hand in the comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from models.leads.clean import apply_mapping
from models.leads.mapping import (
    detect_date_order,
    detect_decimal_comma,
    guess_join,
    guess_mapping,
    infer_type,
)
from models.leads.types import (
    BadRow,
    Cancelled,
    ColumnType,
    LeadData,
    LeadFileError,
    Mapping,
    OutcomesJoin,
    RawTable,
    SourceInfo,
    SuccessKind,
    SuccessRule,
)
from models.leads.values import count_duplicates, parse_dates
from tests.paths import OLIST_DEALS, OLIST_MQL, X_EDUCATION


def raw_table(
    columns: dict[str, list[str | None]], name: str = "leads.csv", lines: list[int] | None = None
) -> RawTable:
    n = len(next(iter(columns.values())))
    table = pa.table({k: pa.array(v, type=pa.string()) for k, v in columns.items()})
    line_numbers = np.array(lines if lines is not None else range(2, n + 2), dtype=np.int64)
    return RawTable(SourceInfo(name, 0, "", "csv"), table, line_numbers)


def column(data: LeadData, name: str) -> list[object]:
    return data.table.column(name).to_pylist()


# --- header recognition -----------------------------------------------------------------------


def test_hubspot_headers_are_premapped() -> None:
    raw = raw_table(
        {
            "Record ID": ["101", "102", "103", "104"],
            "First Name": ["Ann", "Bo", "Cy", "Di"],
            "Email": ["ann@a.com", "bo@b.com", "cy@c.com", "di@d.com"],
            "Lifecycle Stage": ["Lead", "Opportunity", "Customer", "Marketing Qualified Lead"],
            "Create Date": ["2024-01-05", "2024-01-06", "2024-02-01", "2024-02-03"],
            "Contact owner": ["Sam", "Sam", "Kim", "Kim"],
            "Original Source": ["Organic Search", "Paid Search", "Organic Search", "Organic Search"],
            "Annual Revenue": ["1000", "2000", "", "500"],
        }
    )
    m = guess_mapping(raw)
    assert (m.id, m.email, m.outcome, m.created, m.owner, m.revenue) == (
        "Record ID",
        "Email",
        "Lifecycle Stage",
        "Create Date",
        "Contact owner",
        "Annual Revenue",
    )
    assert m.success.kind == SuccessKind.STAGE_AT_LEAST
    assert m.success.stage == "Opportunity"
    assert (
        m.success.stages.index("Marketing Qualified Lead")
        < m.success.stages.index("Opportunity")
        < m.success.stages.index("Customer")
    )
    # Four distinct names in four rows are text; a source repeated is a category.
    assert m.types == {"First Name": ColumnType.TEXT, "Original Source": ColumnType.CATEGORY}
    data = apply_mapping(raw, m)
    # Opportunity and Customer are at or past Opportunity; Lead and MQL are not.
    assert column(data, "outcome") == [False, True, True, False]
    assert data.table.column_names == [
        "id",
        "outcome",
        "revenue",
        "created",
        "owner",
        "email",
        "First Name",
        "Original Source",
    ]


def test_hubspot_owner_and_contact_id_spellings() -> None:
    raw = raw_table({"Contact ID": ["1"], "HubSpot Owner": ["Sam"], "E-mail": ["a@b.c"]})
    m = guess_mapping(raw)
    assert (m.id, m.owner, m.email) == ("Contact ID", "HubSpot Owner", "E-mail")


def test_salesforce_headers_are_premapped() -> None:
    raw = raw_table(
        {
            "Lead ID": ["00Q1", "00Q2", "00Q3", "00Q4", "00Q5", "00Q6"],
            "Lead Status": [
                "Closed - Converted",
                "Working - Contacted",
                "Closed - Not Converted",
                "Working - Contacted",
                "Working - Contacted",
                "Closed - Not Converted",
            ],
            "Converted": ["1", "0", "0", "0", "0", "0"],
            "Created Date": ["03/25/2024", "04/01/2024", "04/02/2024", "04/02/2024", "04/03/2024", "04/04/2024"],
            "Lead Owner": ["Kim", "Sam", "Kim", "Kim", "Kim", "Kim"],
            "Email": ["a@x.com", "b@x.com", "c@x.com", "d@x.com", "e@x.com", "f@x.com"],
            "Opportunity: Amount": ["1,200.00", "", "", "", "", ""],
        }
    )
    m = guess_mapping(raw)
    # "Converted" is preferred to "Lead Status" as the outcome; the status stays an attribute.
    assert (m.id, m.outcome, m.created, m.owner, m.email, m.revenue) == (
        "Lead ID",
        "Converted",
        "Created Date",
        "Lead Owner",
        "Email",
        "Opportunity: Amount",
    )
    assert m.success.kind == SuccessKind.VALUES
    assert m.types == {"Lead Status": ColumnType.CATEGORY}  # 3 distinct values in 6 rows
    data = apply_mapping(raw, m)
    assert column(data, "outcome") == [True, False, False, False, False, False]
    assert column(data, "revenue") == [1200.0, None, None, None, None, None]
    # "03/25/2024": 25 cannot be a month, so the dates are month first.
    assert column(data, "created")[0] == dt.datetime(2024, 3, 25)


def test_salesforce_lead_status_as_outcome_and_amount() -> None:
    raw = raw_table(
        {
            "Lead ID": ["1", "2", "3", "4"],
            "Lead Status": ["Closed - Converted", "Open - Not Contacted", "Closed - Not Converted", None],
            "Amount": ["10", "20", "30", "40"],
        }
    )
    m = guess_mapping(raw)
    assert (m.outcome, m.revenue) == ("Lead Status", "Amount")
    assert m.success.kind == SuccessKind.VALUES
    assert m.success.values == ["Closed - Converted"]
    assert set(m.success.failures) == {"Open - Not Contacted", "Closed - Not Converted", ""}
    data = apply_mapping(raw, m)
    # The empty status counts as a failure because "" is among the failures.
    assert column(data, "outcome") == [True, False, False, False]


def test_generic_headers() -> None:
    raw = raw_table(
        {
            "id": ["1", "2"],
            "won": ["yes", "no"],
            "created": ["2024-01-01", "2024-01-02"],
            "owner": ["a", "b"],
            "email": ["a@b.c", "d@e.f"],
        }
    )
    m = guess_mapping(raw)
    assert (m.id, m.outcome, m.created, m.owner, m.email) == ("id", "won", "created", "owner", "email")
    raw = raw_table({"ID": ["1"], "Converted": ["true"]})
    assert (guess_mapping(raw).id, guess_mapping(raw).outcome) == ("ID", "Converted")


def test_real_data_set_headers() -> None:
    x_header = [
        "Prospect ID",
        "Lead Number",
        "Lead Origin",
        "Lead Source",
        "Do Not Email",
        "Converted",
        "TotalVisits",
        "Last Activity",
    ]
    raw = raw_table({h: ["1"] for h in x_header})
    m = guess_mapping(raw)
    assert (m.id, m.outcome, m.email, m.created) == ("Prospect ID", "Converted", None, None)
    olist = raw_table(
        {"mql_id": ["a1"], "first_contact_date": ["01-02-2018"], "landing_page_id": ["p"], "origin": ["social"]}
    )
    m = guess_mapping(olist)
    assert (m.id, m.created, m.outcome) == ("mql_id", "first_contact_date", None)
    deals = raw_table({"mql_id": ["a1"], "seller_id": ["s"], "won_date": ["26-02-2018 19:58"]})
    assert guess_join(olist, deals, m.id) == OutcomesJoin("mql_id", "mql_id")


def test_previous_mapping_wins_for_columns_that_still_exist() -> None:
    raw = raw_table(
        {
            "Lead Number": ["1", "2"],
            "Prospect ID": ["7927b2df-8bba-4d29-b9a2-b6e0beafe620", "2a272436-5132-4136-86fa-dcc88c88f482"],
            "Converted": ["1", "0"],
            "City": ["Pune", "Pune"],
            "Notes": ["x", "y"],
        }
    )
    previous = Mapping(
        id="Lead Number",
        outcome="Gone",
        created="Also gone",
        types={"City": ColumnType.TEXT, "Gone": ColumnType.NUMBER},
        ignored=["Notes", "Gone"],
        placeholders=["Select"],
        decimal_comma=True,
    )
    m = guess_mapping(raw, previous)
    assert m.id == "Lead Number"  # remembered
    assert m.outcome == "Converted"  # the remembered column is gone: guessed again
    assert m.created is None
    assert m.ignored == ["Notes"]
    assert m.types == {"Prospect ID": ColumnType.TEXT, "City": ColumnType.TEXT}
    assert (m.placeholders, m.decimal_comma) == (["Select"], True)


def test_mapping_json_round_trip() -> None:
    m = guess_mapping(raw_table({"Lead ID": ["1"], "Lifecycle Stage": ["Lead"]}))
    assert Mapping.from_json(m.to_json()) == m


# --- type inference -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "name", "expected"),
    [
        (["1", "2.5", "", "Select", "1,250.5"], "Visits", ColumnType.NUMBER),
        (["1.250.000,50", "3,5", "12"], "Revenue", ColumnType.NUMBER),
        (["05-03-2018", "25-03-2018", "N/A"], "Seen", ColumnType.DATE),
        (["2018-03-05 10:15", "2018-03-06 11:00:59"], "Seen", ColumnType.DATE),
        (["03/25/2018", "12/01/2018"], "Seen", ColumnType.DATE),
        (["Yes", "No", "no", None], "Search", ColumnType.YESNO),
        (["Y", "N"], "Flag", ColumnType.YESNO),
        (["True", "false"], "Anything", ColumnType.YESNO),
        (["0", "1", "1"], "Do Not Call", ColumnType.YESNO),  # 0/1 with a flag-like name
        (["0", "1", "1"], "Visits", ColumnType.NUMBER),  # 0/1 otherwise: numbers
        (["Google", "Direct", "Google", "Direct", "Email", "Google"], "Source", ColumnType.CATEGORY),
        (["ann@a.com", "bo@b.com", "cy@c.com", "di@d.com"], "Work address", ColumnType.TEXT),
        (
            [f"Called on day {i}; they asked about pricing and a longer trial period" for i in range(30)],
            "Notes",
            ColumnType.TEXT,
        ),
        ([f"Person {i}" for i in range(30)], "Name", ColumnType.TEXT),
    ],
)
def test_infer_type(values: list[str | None], name: str, expected: ColumnType) -> None:
    assert infer_type(pa.array(values, type=pa.string()), ["Select", "N/A", ""], name) == expected


def test_decimal_comma_detection() -> None:
    assert detect_decimal_comma(["1.250.000,50", "7"]) is True
    assert detect_decimal_comma(["3,5"]) is True
    assert detect_decimal_comma(["1,250,000.50", "7"]) is False
    assert detect_decimal_comma(["1,250"]) is False  # ambiguous alone: decimal point


@pytest.mark.parametrize(
    ("value", "comma"),
    [("1.250.000,50", None), ("1,250,000.50", None), ("1 250 000,50", True), ("$1,250,000.50", False)],
)
def test_numbers_with_thousands_separators(value: str, comma: bool | None) -> None:
    raw = raw_table({"id": ["1", "2"], "won": ["yes", "no"], "Amount": [value, "12"]})
    m = Mapping(id="id", outcome="won", revenue="Amount", decimal_comma=comma)
    data = apply_mapping(raw, m)
    assert column(data, "revenue") == [1250000.5, 12.0]
    assert data.rejected == []


def test_date_orders() -> None:
    # "05-03-2018" alone is ambiguous; "25-03-2018" shows the day comes first.
    assert detect_date_order(["05-03-2018", "25-03-2018"]) == "DMY"
    assert detect_date_order(["03/05/2018", "03/25/2018"]) == "MDY"
    assert detect_date_order(["2018-03-05", "2018-12-31T10:00:00"]) == "YMD"
    assert detect_date_order(["05-03-2018"]) == "DMY"  # undecided with dashes: day first
    assert detect_date_order(["05/03/2018"]) == "MDY"  # undecided with slashes: US order
    raw = raw_table({"id": ["1", "2"], "won": ["yes", "no"], "Created": ["05-03-2018", "25-03-2018 14:30"]})
    data = apply_mapping(raw, Mapping(id="id", outcome="won", created="Created"))
    assert column(data, "created") == [dt.datetime(2018, 3, 5), dt.datetime(2018, 3, 25, 14, 30)]


def test_impossible_dates_are_rejected_with_line_numbers() -> None:
    raw = raw_table(
        {
            "id": ["1", "2", "3", "4"],
            "won": ["yes", "no", "no", "yes"],
            "Created": ["31-02-2026", "15-13-2026", "29-02-2024", "soon"],
        },
        lines=[2, 5, 7, 9],
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="won", created="Created", date_order="DMY"))
    reason = "not a date (expected DD-MM-YYYY)"
    assert data.rejected == [
        BadRow("leads.csv", 2, "Created", "31-02-2026", reason),
        BadRow("leads.csv", 5, "Created", "15-13-2026", reason),
        BadRow("leads.csv", 9, "Created", "soon", reason),
    ]
    assert column(data, "id") == ["3"]  # 29 February 2024 exists (leap year)
    assert column(data, "created") == [dt.datetime(2024, 2, 29)]


def test_dates_in_large_columns_use_the_same_rules() -> None:
    # 60,000 rows take the fast paths (distinct values only; fixed-width digits).
    days = ["31-01-2018", "28-02-2018", "31-02-2018", "01-12-2017"] * 15_000
    stamps, bad = parse_dates(pa.array(days), "DMY")
    assert int(bad.sum()) == 15_000 and bool(bad[2]) and not bad[1]
    assert stamps[0].as_py() == dt.datetime(2018, 1, 31)
    times = [f"{d:02d}-03-2018 {h:02d}:{m:02d}" for d in range(1, 33) for h in range(24) for m in range(60)]
    stamps, bad = parse_dates(pa.array(times), "DMY")
    assert int(bad.sum()) == 24 * 60  # the 32nd of March
    assert stamps[61].as_py() == dt.datetime(2018, 3, 1, 1, 1)


# --- cleaning -------------------------------------------------------------------------------


def test_placeholders_become_missing_and_are_counted() -> None:
    raw = raw_table(
        {
            "id": ["1", "2", "3", "4", "5", "6"],
            "won": ["yes", "no", "no", "no", "no", "yes"],
            "City": ["Select", "N/A", " - ", "#N/A", "NULL", "Pune"],
            "Visits": ["3", "n/a", "4", None, "-", "5"],
        }
    )
    m = Mapping(id="id", outcome="won", types={"City": ColumnType.CATEGORY, "Visits": ColumnType.NUMBER})
    data = apply_mapping(raw, m)
    assert column(data, "City") == [None, None, None, None, None, "Pune"]
    assert column(data, "Visits") == [3.0, None, 4.0, None, None, 5.0]
    # 5 in City and 2 in Visits; the empty cell (None) was missing already.
    assert data.quality.placeholders_replaced == 7
    assert data.quality.missing["City"] == 5 and data.quality.missing["Visits"] == 3
    assert data.table.schema.field("City").type == pa.dictionary(pa.int32(), pa.string())


def test_category_spellings_merged_and_reported() -> None:
    raw = raw_table(
        {
            "id": ["1", "2", "3", "4", "5"],
            "won": ["yes", "no", "no", "no", "no"],
            "Lead Source": ["Google", " google ", "Google", "Direct", "google"],
        }
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="won", types={"Lead Source": ColumnType.CATEGORY}))
    # "Google" twice, "google" twice (one with spaces): "Google" is seen first and wins the tie.
    assert column(data, "Lead Source") == ["Google", "Google", "Google", "Direct", "Google"]
    assert data.quality.merged_spellings == {"Lead Source": [["Google", " google ", "google"]]}
    assert any("Google" in n and "google" in n for n in data.notices)


def test_most_frequent_spelling_is_kept() -> None:
    raw = raw_table({"id": ["1", "2", "3"], "won": ["yes", "no", "no"], "S": ["email", "Email", "Email"]})
    data = apply_mapping(raw, Mapping(id="id", outcome="won", types={"S": ColumnType.CATEGORY}))
    assert column(data, "S") == ["Email", "Email", "Email"]
    assert data.quality.merged_spellings == {"S": [["Email", "email"]]}


def test_text_is_stored_byte_for_byte_and_only_compared_folded() -> None:
    raw = raw_table(
        {
            "id": ["1", "2", "3", "4", "5", "6", "7", "8"],
            "won": ["yes", "no", "no", "no", "no", "no", "no", "no"],
            "Source": ["\t=1+1", "\r=1+1", "\t=1+1", "Google", "google", " Pune ", "STRASSE", "stra\u00dfe"],
            "Note": ["\t=1+1", " x ", "\r=1+1", None, " N/A ", "  ", "@SUM(A1)", "-2+3"],
        }
    )
    types = {"Source": ColumnType.CATEGORY, "Note": ColumnType.TEXT}
    data = apply_mapping(raw, Mapping(id="id", outcome="won", types=types))
    # "\t=1+1" (twice) and "\r=1+1" fold to "=1+1": one value, shown as its most frequent
    # spelling in the file, tab and all; the file never writes "=1+1", so neither does the
    # import. "Google"/"google" tie: the first seen. " Pune " alone keeps its spaces.
    # "STRASSE" and "straße" are different words to the scoring (ß lowers to ß, not "ss":
    # models.text_match), so they stay two values.
    assert column(data, "Source") == ["\t=1+1"] * 3 + ["Google", "Google", " Pune ", "STRASSE", "stra\u00dfe"]
    assert data.quality.merged_spellings == {"Source": [["\t=1+1", "\r=1+1"], ["Google", "google"]]}
    # Text is kept byte for byte; only placeholders (and blank cells) become missing.
    assert column(data, "Note") == ["\t=1+1", " x ", "\r=1+1", None, None, None, "@SUM(A1)", "-2+3"]
    assert data.quality.placeholders_replaced == 2


def test_a_spelling_the_file_writes_trimmed_labels_its_group() -> None:
    raw = raw_table({"id": ["1", "2", "3"], "won": ["yes", "no", "no"], "S": ["\t=1+1", "=1+1", " =1+1 "]})
    data = apply_mapping(raw, Mapping(id="id", outcome="won", types={"S": ColumnType.CATEGORY}))
    # The label is chosen as ever (the most frequent spelling once trimmed, "=1+1"), and the
    # file has it as such: every cell of the group reads "=1+1".
    assert column(data, "S") == ["=1+1"] * 3
    assert data.quality.merged_spellings == {"S": [["=1+1", "\t=1+1", " =1+1 "]]}


def test_yes_no_column() -> None:
    raw = raw_table(
        {"id": ["1", "2", "3", "4"], "won": ["yes", "no", "no", "no"], "Do Not Email": ["Y", "n", "TRUE", "maybe"]}
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="won", types={"Do Not Email": ColumnType.YESNO}))
    assert column(data, "Do Not Email") == ["Yes", "No", "Yes"]
    assert data.rejected == [BadRow("leads.csv", 5, "Do Not Email", "maybe", "neither yes nor no")]


def test_outcome_values_success_and_failure() -> None:
    raw = raw_table({"id": ["1", "2", "3", "4", "5"], "Converted": ["1", "0", " Won ", "pending", None]})
    m = Mapping(id="id", outcome="Converted")
    data = apply_mapping(raw, m)
    assert column(data, "outcome") == [True, False, True]
    assert [(b.line, b.value) for b in data.rejected] == [(5, "pending"), (6, None)]
    assert data.rejected[0].reason.startswith(
        "neither a success (yes, y, true, 1, won, closed won, …) "
        "nor a failure (no, n, false, 0, lost, closed lost, …) value"
    )
    assert (data.quality.rows, data.quality.positives) == (3, 2)
    # With "" among the failures an empty outcome is a failure, not a bad row.
    m.success = SuccessRule(values=["won"], failures=["lost", ""])
    raw = raw_table({"id": ["1", "2", "3"], "Converted": ["WON", "lost", "n/a"]})
    assert column(apply_mapping(raw, m), "outcome") == [True, False, False]


def test_outcome_stage_at_or_past() -> None:
    raw = raw_table({"id": ["1", "2", "3", "4", "5"], "Stage": ["Lead", "SQL", "opportunity", "Customer", "Partner"]})
    rule = SuccessRule(
        kind=SuccessKind.STAGE_AT_LEAST, stages=["Lead", "MQL", "SQL", "Opportunity", "Customer"], stage="SQL"
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="Stage", success=rule))
    assert column(data, "outcome") == [False, True, True, True]
    assert len(data.rejected) == 1 and data.rejected[0].value == "Partner"
    assert data.rejected[0].reason.startswith("not one of the stages (Lead, MQL, SQL")
    rule.stage = "Closed"
    with pytest.raises(LeadFileError):
        apply_mapping(raw, Mapping(id="id", outcome="Stage", success=rule))


def test_outcome_has_value() -> None:
    raw = raw_table({"id": ["1", "2", "3", "4"], "Opportunity": ["OPP-1", None, "-", "OPP-9"]})
    rule = SuccessRule(kind=SuccessKind.HAS_VALUE)
    data = apply_mapping(raw, Mapping(id="id", outcome="Opportunity", success=rule))
    assert column(data, "outcome") == [True, False, False, True]  # "-" is a placeholder


def test_outcome_matched_join_with_where_filter() -> None:
    leads = raw_table({"Lead ID": ["L1", "L2", "L3", "L4"], "Source": ["a", "b", "a", "b"]})
    opportunities = raw_table(
        {
            "Lead": ["L1", "L2", "L2", "L9", "L8", " L3 "],
            "Stage": ["Closed Won", "Closed Lost", "closed won", "Closed Won", "Closed Lost", "Closed Won"],
            "Amount": ["100", "5", "20", "7", "8", "30"],
        },
        name="opps.csv",
    )
    m = Mapping(
        id="Lead ID",
        revenue="Amount",
        success=SuccessRule(kind=SuccessKind.MATCHED),
        join=OutcomesJoin("Lead ID", "Lead", "Stage", "Closed Won"),
        types={"Source": ColumnType.CATEGORY},
    )
    data = apply_mapping(leads, m, opportunities)
    # Won rows: L1 (100), L2 (20, "closed won"), L9 (no lead), L3 (30). L4 has no row: False.
    assert column(data, "outcome") == [True, True, True, False]
    assert column(data, "revenue") == [100.0, 20.0, 30.0, None]
    assert data.quality.unmatched_outcomes == 1  # L9 (L8 is Closed Lost, filtered out)
    assert any("opps.csv" in n and "1 outcome row" in n for n in data.notices)
    assert [s.name for s in data.sources] == ["leads.csv", "opps.csv"]
    # outcome None with a join means the same thing
    m2 = Mapping(id="Lead ID", join=OutcomesJoin("Lead ID", "Lead"))
    data2 = apply_mapping(leads, m2, opportunities)
    assert column(data2, "outcome") == [True, True, True, False]
    assert data2.quality.unmatched_outcomes == 2  # L9 and L8


def test_non_number_rejected_with_file_line_column_value() -> None:
    raw = raw_table(
        {"id": ["1", "2", "3"], "won": ["yes", "no", "no"], "Employees": ["12", "twelve", "1e3"]},
        name="export.csv",
        lines=[2, 3, 6],
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="won", types={"Employees": ColumnType.NUMBER}))
    assert data.rejected == [BadRow("export.csv", 3, "Employees", "twelve", "not a number")]
    assert column(data, "Employees") == [12.0, 1000.0]
    assert column(data, "id") == ["1", "3"]
    assert str(data.rejected[0]) == "export.csv, line 3, column \u201cEmployees\u201d: \u201ctwelve\u201d: not a number"


def test_reader_bad_rows_are_passed_on() -> None:
    raw = raw_table({"id": ["1"], "won": ["yes"]})
    raw.bad_rows.append(BadRow("leads.csv", 3, None, None, "3 fields, expected 2"))
    data = apply_mapping(raw, Mapping(id="id", outcome="won"))
    assert data.rejected == raw.bad_rows and data.quality.rows == 1


def test_duplicate_ids_and_emails_counted() -> None:
    raw = raw_table(
        {
            "id": ["1", "2", "1", " 2 ", "3", "1"],
            "won": ["yes", "no", "no", "no", "no", "no"],
            "Email": ["A@x.com", "a@x.com ", "b@x.com", None, "B@X.COM", "c@x.com"],
        }
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="won", email="Email"))
    # IDs: the 3rd ("1"), 4th (" 2 " trimmed) and 6th ("1") repeat an earlier row.
    # E-mails (case-insensitive, trimmed): a@x.com twice and b@x.com twice: 2 duplicates.
    assert (data.quality.duplicate_ids, data.quality.duplicate_emails) == (3, 2)
    assert data.quality.rows == 6  # duplicates are kept
    assert column(data, "email")[1] == "a@x.com "  # compared trimmed, stored as in the file


def test_count_duplicates_matches_a_set_on_many_values() -> None:
    rng = np.random.default_rng(7)
    values = [f"user{int(i)}@example.com" if i % 7 else f"u{int(i)}" for i in rng.integers(0, 40_000, 60_000)]
    values += ["", "a", "ab", "abcdefgh", "abcdefghi", "abcdefgh"]
    assert count_duplicates(pa.array(values)) == len(values) - len(set(values))


def test_quality_summary_dates_and_weeks() -> None:
    raw = raw_table(
        {"id": ["1", "2", "3"], "won": ["yes", "no", "no"], "Created": ["2024-01-01", "2024-01-14 09:00", None]}
    )
    data = apply_mapping(raw, Mapping(id="id", outcome="won", created="Created"))
    q = data.quality
    assert (q.first_date, q.last_date) == (dt.date(2024, 1, 1), dt.date(2024, 1, 14))
    assert q.weeks == 2.0  # 14 days inclusive
    assert (q.rows, q.positives, q.missing["created"], q.outcome_rate) == (3, 1, 1, pytest.approx(1 / 3))


def test_ignored_columns_dropped_and_unknown_column_named() -> None:
    raw = raw_table({"id": ["1"], "won": ["yes"], "Notes": ["x"], "City": ["Pune"]})
    data = apply_mapping(raw, Mapping(id="id", outcome="won", ignored=["Notes"]))
    assert data.table.column_names == ["id", "outcome", "City"]  # City's type inferred
    with pytest.raises(LeadFileError, match="Revenue"):
        apply_mapping(raw, Mapping(id="id", outcome="won", revenue="Revenue"))


class _CancelAfter:
    def __init__(self, reports: int) -> None:
        self.left = reports

    def report(self, fraction: float, message: str = "") -> None:
        self.left -= 1

    def cancelled(self) -> bool:
        return self.left <= 0


def test_cancel_between_columns() -> None:
    raw = raw_table({"id": ["1"], "won": ["yes"], "A": ["1"], "B": ["2"]})
    with pytest.raises(Cancelled):
        apply_mapping(raw, Mapping(id="id", outcome="won"), progress=_CancelAfter(3))


# --- the real data sets -------------------------------------------------------------------------


def _read(path: Path) -> RawTable:
    """Through the project's reader, the path a user's import takes."""
    from models.leads.read import read_file

    return read_file(path)


def test_x_education_real_data() -> None:
    raw = _read(X_EDUCATION)
    m = guess_mapping(raw)
    assert (m.id, m.outcome) == ("Prospect ID", "Converted")
    data = apply_mapping(raw, m)
    assert (data.quality.rows, data.quality.positives) == (9237, 3559)
    assert data.rejected == []
    assert data.quality.merged_spellings["Lead Source"][0][:2] == ["Google", "google"]
    assert data.quality.placeholders_replaced > 0
    assert data.table.schema.field("TotalVisits").type == pa.float64()


def test_olist_real_data_joined_on_mql_id() -> None:
    leads = _read(OLIST_MQL)
    deals = _read(OLIST_DEALS)
    m = guess_mapping(leads)
    assert (m.id, m.created) == ("mql_id", "first_contact_date")
    m.join = guess_join(leads, deals, m.id)
    assert m.join == OutcomesJoin("mql_id", "mql_id")
    data = apply_mapping(leads, m, deals)
    q = data.quality
    assert (q.rows, q.positives, q.unmatched_outcomes) == (8000, 842, 0)
    assert q.first_date is not None and q.last_date is not None
    assert (q.first_date.year, q.first_date.month) == (2017, 6)
    assert (q.last_date.year, q.last_date.month) == (2018, 5)
    # "01-02-2018" is the 1st of February (DD-MM-YYYY), as the first row shows.
    ids = column(data, "id")
    assert column(data, "created")[ids.index("dac32acd4db4c29c230538b72f8dd87d")] == dt.datetime(2018, 2, 1)
