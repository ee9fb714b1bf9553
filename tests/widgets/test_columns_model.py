"""The columns table of the import dialog follows the domain's mapping rules
(models/leads/overrides.py): a role given in the table changes the Mapping exactly as
`assign_roles` changes it, and a column that loses its role shows, and keeps, the type the
import would infer for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from models.leads.overrides import assign_roles, ignore_column, make_attribute, roles_of
from models.leads.types import ColumnType, Mapping
from widgets.import_dialog import ImportDialog
from widgets.lead_models import ColumnsModel, Role

COLUMNS = ["Ref", "Converted", "Opened", "Rep", "Source", "City"]
# The type each column shows as an attribute (for Ref, Converted and Opened: the inferred one).
SHOWN = {
    "Ref": ColumnType.TEXT,
    "Converted": ColumnType.YESNO,
    "Opened": ColumnType.DATE,
    "Rep": ColumnType.CATEGORY,
    "Source": ColumnType.CATEGORY,
    "City": ColumnType.CATEGORY,
}


def crm() -> Mapping:
    return Mapping(
        id="Ref",
        outcome="Converted",
        created="Opened",
        types={"Rep": ColumnType.CATEGORY, "Source": ColumnType.CATEGORY},
        ignored=["City"],
    )


@pytest.fixture
def model(qapp: object) -> ColumnsModel:
    columns = ColumnsModel()
    columns.set_mapping(COLUMNS, crm(), {}, SHOWN)
    return columns


def shown(model: ColumnsModel) -> Mapping:
    mapping = Mapping()
    model.apply_to(mapping)
    return mapping


def test_the_table_shows_the_mapping(model: ColumnsModel) -> None:
    assert [c.role for c in model.choices] == [
        Role.ID,
        Role.OUTCOME,
        Role.CREATED,
        Role.ATTRIBUTE,
        Role.ATTRIBUTE,
        Role.IGNORE,
    ]
    assert shown(model) == Mapping(
        id="Ref",
        outcome="Converted",
        created="Opened",
        types={"Rep": ColumnType.CATEGORY, "Source": ColumnType.CATEGORY},
        ignored=["City"],
    )


@pytest.mark.parametrize(
    "column, role, field",
    [
        ("Source", Role.ID, "id"),  # the ID moves from Ref
        ("Opened", Role.OWNER, "owner"),  # Opened leaves the created date for the owner
        ("City", Role.REVENUE, "revenue"),  # an ignored column takes a free role
        ("Rep", Role.OUTCOME, "outcome"),  # the outcome moves from Converted
    ],
)
def test_a_role_changes_the_mapping_as_the_domain_rule_does(
    model: ColumnsModel, column: str, role: Role, field: str
) -> None:
    expected = crm()
    assign_roles(expected, {field: column})
    assert model.set_role(column, role)
    mapping = shown(model)
    assert (mapping.id, mapping.outcome, mapping.revenue, mapping.created, mapping.owner, mapping.email) == (
        expected.id,
        expected.outcome,
        expected.revenue,
        expected.created,
        expected.owner,
        expected.email,
    )
    assert mapping.ignored == expected.ignored
    # Every attribute row records the type it shows: the column that lost its role, which
    # the domain leaves to inference, shows the inferred type.
    attributes = [c for c in COLUMNS if c not in expected.ignored and not roles_of(expected, c)]
    assert mapping.types == {c: SHOWN[c] for c in attributes}


def test_ignore_and_attribute_follow_the_domain_rules(model: ColumnsModel) -> None:
    expected = crm()
    ignore_column(expected, "Converted")
    make_attribute(expected, "City")
    assert model.set_role("Converted", Role.IGNORE)
    assert model.set_role("City", Role.ATTRIBUTE)
    mapping = shown(model)
    assert (mapping.id, mapping.outcome, mapping.ignored) == (expected.id, expected.outcome, expected.ignored)
    assert mapping.types["City"] == ColumnType.CATEGORY  # the type its row showed


def test_a_column_gets_back_the_type_it_was_shown_with(model: ColumnsModel) -> None:
    assert model.set_type("Source", ColumnType.TEXT)
    assert model.set_role("Source", Role.ID)  # Ref becomes an attribute: text, as inferred
    assert shown(model).types["Ref"] == ColumnType.TEXT
    assert model.set_role("Ref", Role.ID)  # Source is an attribute again, of the type chosen
    assert shown(model).types["Source"] == ColumnType.TEXT


def test_the_dialog_shows_a_former_role_column_with_its_inferred_type(tmp_path: Path, qtbot: QtBot) -> None:
    leads = tmp_path / "crm.csv"
    leads.write_text(
        "Lead ID,Converted,Created,Ref\n"
        "7927b2df-8bba,0,2024-03-01,r1\n2a272436-5132,1,2024-03-02,r2\n"
        "8cc8c611-a219,0,2024-03-03,r3\n0cc2df48-7cf4,1,2024-03-10,r4\n",
        encoding="utf-8",
    )
    dialog = ImportDialog(leads)
    qtbot.addWidget(dialog)
    guessed = dialog.result_mapping()
    assert (guessed.id, guessed.outcome, guessed.created) == ("Lead ID", "Converted", "Created")
    columns = dialog.columns_model
    assert columns.set_role("Ref", Role.ID)
    assert columns.set_role("Created", Role.ATTRIBUTE)
    assert columns.set_role("Converted", Role.ATTRIBUTE)
    mapping = dialog.result_mapping()
    # Unique codes are text, 0/1 named like a flag is yes/no, ISO dates are dates: what the
    # import infers for a column never given a role (no longer always a category).
    assert mapping.types["Lead ID"] == ColumnType.TEXT
    assert mapping.types["Converted"] == ColumnType.YESNO
    assert mapping.types["Created"] == ColumnType.DATE
