"""The scoring step through its real widgets: the rules editor (operands shown per operator,
problems in words), threshold and bands, and the live sample-lead preview, which must agree
with numbers worked out by hand from the demo model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QLineEdit, QTableView

from models.definitions import Operator, RuleKind
from tests.conftest import reopen
from widgets.rules_editor import NEGATIVE, POSITIVE, RuleForm
from widgets.scoring_page import BandForm, ScoringPage
from widgets.session import WorkshopSession

# A lead as a facilitator types it into the sample (no leads imported yet):
SAMPLE_LEAD: dict[str, str] = {
    "What is your current occupation": "Working Professional",
    "Lead Origin": "Landing Page Submission",
    "Lead Source": "Google",
    "Lead Profile": "Potential Lead",
    "Do Not Email": "No",
    "TotalVisits": "4",
    "Total Time Spent on Website": "1140",
    "Page Views Per Visit": "2.5",
    "Last Activity": "SMS Sent",
    "A free copy of Mastering The Interview": "Yes",
}
# That lead against the demo rules, by hand:
#   fit:        Working professional (occupation = "Working Professional")      +25
#               (not Student, occupation given, origin is not "Lead Add Form", source Google is
#               not Reference/Welingak, profile not "Student of SomeSchool", Do Not Email = No)
#   behaviour:  Website visits: TotalVisits 4 × 2 = 8 (cap 10 not reached)          +8
#               Time on site 1140 ≥ 600                                            +15
#               Page views per visit 2.5 between 2 and 6                            +5
#               Last Activity "SMS Sent"                                           +15
#               E-book "Yes"                                                        +3
#   fit 25 + engagement 46 = score 71 ≥ threshold 40: goes to sales; band Hot (≥ 40).
DEMO_FIRED = [
    ("Working professional", "+25", "\u201cWorking Professional\u201d"),
    ("Website visits", "+8", "4 \u00d7 +2"),
    ("Ten minutes or more on the website", "+15", "\u201c1140\u201d"),
    ("Reads several pages per visit", "+5", "\u201c2.5\u201d"),
    ("Replied to an SMS", "+15", "\u201cSMS Sent\u201d"),
    ("Downloaded the interview e-book", "+3", "\u201cYes\u201d"),
]

# Which operand rows the form must show for each operator (worked out from the product brief).
EXPECTED_OPERANDS: dict[str, set[str]] = {
    "equals": {"value"},
    "not_equals": {"value"},
    "contains": {"value"},
    "one_of": {"values"},
    "not_one_of": {"values"},
    "between": {"minimum", "maximum"},
    "at_least": {"minimum"},
    "at_most": {"maximum"},
    "is_empty": set(),
    "is_not_empty": set(),
    "count": set(),
}
OPERAND_ROWS = ("value", "values", "minimum", "maximum", "cap")


# --------------------------------------------------------------------------- helpers
@pytest.fixture
def separate_undo_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two edits of one field within a moment merge into one undo step (a held spin box is
    one edit); a test that checks each step's undo separately turns the merging off."""
    monkeypatch.setattr("widgets.session.MERGE_WINDOW_S", -1.0)


@pytest.fixture
def page(qtbot: Any, session: WorkshopSession) -> ScoringPage:
    widget = ScoringPage(session)
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rule_uid(session: WorkshopSession, label: str) -> str:
    return next(r.uid for r in session.defs.rules if r.label == label)


def select_rule(page: ScoringPage, label: str) -> RuleForm:
    page.rules.editor.select_uid(rule_uid(page.session, label))
    assert page.rules.form.target().label == label
    return page.rules.form


def choose(qtbot: Any, combo: QComboBox, data: str) -> None:
    """Pick an entry the way a user does: open the list and click the entry."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    item = view.model().index(index, 0)
    view.scrollTo(item)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(item).center())
    qtbot.waitUntil(lambda: not view.isVisible())
    assert combo.currentIndex() == index


def type_into(qtbot: Any, editor: QLineEdit, text: str) -> None:
    """Replace the text of a line edit and press Enter."""
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    if text:
        qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def spin_to(qtbot: Any, spin: QDoubleSpinBox, text: str) -> None:
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def line(form: Any, field: str) -> QLineEdit:
    editor = form.editors[field]
    assert isinstance(editor, QLineEdit)
    return editor


def spin(form: Any, field: str) -> QDoubleSpinBox:
    editor = form.editors[field]
    assert isinstance(editor, QDoubleSpinBox)
    return editor


def combo(form: Any, field: str) -> QComboBox:
    editor = form.editors[field]
    assert isinstance(editor, QComboBox)
    return editor


def row_shown(form: Any, field: str) -> bool:
    layout = form.layout()
    assert isinstance(layout, QFormLayout)
    return layout.isRowVisible(form.editors[field]) and form.editors[field].isVisible()


def table_rows(model: QAbstractItemModel) -> list[tuple[str, ...]]:
    return [
        tuple(str(model.data(model.index(r, c))) for c in range(model.columnCount())) for r in range(model.rowCount())
    ]


def column_of(model: QAbstractItemModel, header: str) -> int:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index(header)


def edit_cell(qtbot: Any, view: QTableView, row: int, column: int, text: str) -> None:
    """Double-click a cell's editor open, type, press Enter: as a user edits a table."""
    index = view.model().index(row, column)
    view.scrollTo(index)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: (shown := view.findChild(QLineEdit)) is not None and shown.isVisible())
    editor = view.findChild(QLineEdit)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits and closes its editor on the next turn of the event loop.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def sample_row(page: ScoringPage, field: str) -> int:
    return page.preview.values.fields.index(field)


def undo_redo(session: WorkshopSession, path: Path, read: Any, before: Any, after: Any) -> None:
    """The last edit is saved, undoes to `before` and redoes to `after`, on disk each time."""
    assert read(session.defs) == after and read(reopen(path)) == after
    session.undo_stack.undo()
    assert read(session.defs) == before and read(reopen(path)) == before
    session.undo_stack.redo()
    assert read(session.defs) == after and read(reopen(path)) == after


# --------------------------------------------------------------------------- models
def test_every_item_model_passes_the_model_tester(page: ScoringPage, qtmodeltester: Any) -> None:
    for model in (
        page.rules.model,
        page.rules.proxy,
        page.bands.model,
        page.bands.proxy,
        page.preview.values,
        page.preview.fired,
        page.rules.form.field_names,
    ):
        qtmodeltester.check(model, force_py=True)


def test_models_still_pass_after_filtering_and_editing(page: ScoringPage, qtmodeltester: Any, qtbot: Any) -> None:
    choose(qtbot, page.rules.kind_filter, "behaviour")
    page.preview.values.set_value("What is your current occupation", "")
    for model in (page.rules.proxy, page.preview.values, page.preview.fired):
        qtmodeltester.check(model, force_py=True)


# --------------------------------------------------------------------------- rules table
def test_rules_table_shows_label_kind_words_and_signed_points(page: ScoringPage) -> None:
    proxy = page.rules.proxy
    assert [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())] == [
        "Rule",
        "Kind",
        "In words",
        "Points",
    ]
    rows = table_rows(proxy)
    assert len(rows) == 14
    assert rows[0] == (
        "Working professional",
        "Fit",
        "What is your current occupation equals \u201cWorking Professional\u201d \u2192 +25",
        "+25",
    )
    assert rows[1][3] == "\u221210"  # a real minus sign
    assert rows[7] == ("Website visits", "Behaviour", "each TotalVisits \u00d7 +2 (at most 10)", "+2 each")
    points = column_of(proxy, "Points")
    assert proxy.data(proxy.index(1, points), Qt.ItemDataRole.ForegroundRole) == NEGATIVE
    assert proxy.data(proxy.index(0, points), Qt.ItemDataRole.ForegroundRole) == POSITIVE
    assert page.rules.counts.text() == "7 fit, 7 behaviour"


def test_label_and_points_edit_in_the_table(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    table = page.rules.table
    edit_cell(qtbot, table, 6, column_of(page.rules.proxy, "Rule"), "Unsubscribed")
    undo_redo(session, workshop_path, lambda d: d.rules[6].label, "Opted out of e-mail", "Unsubscribed")
    edit_cell(qtbot, table, 6, column_of(page.rules.proxy, "Points"), "-25")
    undo_redo(session, workshop_path, lambda d: d.rules[6].points, -10, -25)
    assert page.rules.proxy.index(6, 3).data() == "\u221225"
    assert not page.rules.proxy.flags(page.rules.proxy.index(6, 2)) & Qt.ItemFlag.ItemIsEditable


def test_kind_filter_shows_one_kind_and_new_rules_join_it(page: ScoringPage, qtbot: Any) -> None:
    choose(qtbot, page.rules.kind_filter, "fit")
    assert [r[1] for r in table_rows(page.rules.proxy)] == ["Fit"] * 7
    choose(qtbot, page.rules.kind_filter, "behaviour")
    assert [r[1] for r in table_rows(page.rules.proxy)] == ["Behaviour"] * 7
    qtbot.mouseClick(page.rules.editor.add_button, Qt.MouseButton.LeftButton)
    new = page.rules.form.target()
    assert new.label == "New rule 1" and new.kind == RuleKind.BEHAVIOUR
    assert page.rules.proxy.rowCount() == 8
    # Changing the kind of a rule out of the filter shows every rule and keeps it selected.
    choose(qtbot, combo(page.rules.form, "kind"), "fit")
    assert page.rules.kind_filter.currentData() == ""
    assert page.rules.editor.current_uid() == new.uid
    assert next(r for r in page.session.defs.rules if r.uid == new.uid).kind == RuleKind.FIT


# --------------------------------------------------------------------------- rule form
def test_add_rule_is_saved_and_undoable(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    select_rule(page, "Opted out of e-mail")
    qtbot.mouseClick(page.rules.editor.add_button, Qt.MouseButton.LeftButton)
    form = page.rules.form
    assert form.target().label == "New rule 1"
    labels = [r.label for r in reopen(workshop_path).rules]
    assert labels[7] == "New rule 1" and len(labels) == 15  # added after the selected rule
    # A new rule is not scored until it is complete, and says why.
    assert form.problems.isVisible()
    assert "the rule needs a field" in form.problems.text()
    session.undo_stack.undo()
    assert len(reopen(workshop_path).rules) == 14
    session.undo_stack.redo()
    assert [r.label for r in reopen(workshop_path).rules][7] == "New rule 1"


def test_every_operator_shows_exactly_its_operands(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    qtbot.mouseClick(page.rules.editor.add_button, Qt.MouseButton.LeftButton)
    form = page.rules.form
    uid = form.target().uid
    type_into(qtbot, line(form, "field"), "Lead Source")
    operator = combo(form, "operator")
    assert operator.count() == 11
    assert [operator.itemText(i) for i in range(operator.count())] == [
        "equals",
        "does not equal",
        "is one of",
        "is not one of",
        "contains",
        "is between",
        "is at least",
        "is at most",
        "is empty",
        "is not empty",
        "count \u00d7 points per occurrence",
    ]
    for op, operands in EXPECTED_OPERANDS.items():
        choose(qtbot, operator, op)
        rule = next(r for r in session.defs.rules if r.uid == uid)
        assert rule.operator == Operator(op)
        assert next(r for r in reopen(workshop_path).rules if r.uid == uid).operator == Operator(op)
        shown = {f for f in OPERAND_ROWS if row_shown(form, f)}
        expected = operands | ({"cap"} if op == "count" else set())
        assert shown == expected, op
        assert form.labels["points"].text() == ("Points per occurrence:" if op == "count" else "Points:")
        # Always there, whatever the operator:
        for field in ("label", "kind", "field", "operator", "points", "decay_half_life_days", "decay_date_field"):
            assert row_shown(form, field), (op, field)
    # Choosing count also made the rule a behaviour (counting is one): one undo takes back both.
    session.undo_stack.undo()
    stored = next(r for r in reopen(workshop_path).rules if r.uid == uid)
    assert (stored.operator, stored.kind) == (Operator.IS_NOT_EMPTY, RuleKind.FIT)
    assert not row_shown(form, "cap")
    session.undo_stack.redo()
    assert row_shown(form, "cap")


def test_problems_show_inline_and_clear_when_fixed(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    form = select_rule(page, "Reads several pages per visit")
    assert not form.problems.isVisible()
    type_into(qtbot, line(form, "maximum"), "")
    assert reopen(workshop_path).rules[9].maximum is None
    assert form.problems.isVisible()
    assert "'is between' needs a maximum" in form.problems.text()
    words = page.rules.proxy.index(9, column_of(page.rules.proxy, "In words"))
    assert str(words.data()).startswith("\u26a0")
    assert "1 not scored yet" in page.rules.counts.text()
    type_into(qtbot, line(form, "maximum"), "1")
    assert "the maximum (1) is below the minimum (2)" in form.problems.text()
    type_into(qtbot, line(form, "maximum"), "8")
    assert not form.problems.isVisible()
    assert reopen(workshop_path).rules[9].maximum == 8


def test_operand_edits_are_saved_and_undoable(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    form = select_rule(page, "Referred or from the partner site")
    assert row_shown(form, "values") and not row_shown(form, "value")
    type_into(qtbot, line(form, "values"), "Reference, Welingak Website, Partner Event")

    def values(d: Any) -> list[str]:
        return d.rules[4].values

    undo_redo(
        session,
        workshop_path,
        values,
        ["Reference", "Welingak Website"],
        ["Reference", "Welingak Website", "Partner Event"],
    )
    form = select_rule(page, "Ten minutes or more on the website")
    type_into(qtbot, line(form, "minimum"), "900")
    undo_redo(session, workshop_path, lambda d: d.rules[8].minimum, 600, 900)


def test_values_with_commas_survive_the_form(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    rule = session.defs.rules[4]
    session.set("rules", rule.uid, "values", ["Acme, Inc.", "Beta"])
    form = select_rule(page, "Referred or from the partner site")
    values = line(form, "values")
    assert values.text() == '"Acme, Inc.", Beta'  # the field says what the list holds
    # The room adds a value at the end, as anyone would: the first value keeps its comma.
    values.setFocus()
    values.end(False)
    qtbot.keyClicks(values, ", Gamma")
    qtbot.keyClick(values, Qt.Key.Key_Return)
    assert reopen(workshop_path).rules[4].values == ["Acme, Inc.", "Beta", "Gamma"]
    type_into(qtbot, values, '"Say ""hi"", then go", Delta')
    assert reopen(workshop_path).rules[4].values == ['Say "hi", then go', "Delta"]
    assert values.text() == '"Say ""hi"", then go", Delta'


def test_negative_points_are_saved_shown_red_and_undoable(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    form = select_rule(page, "Downloaded the interview e-book")
    spin_to(qtbot, spin(form, "points"), "-20")
    undo_redo(session, workshop_path, lambda d: d.rules[13].points, 3, -20)
    proxy = page.rules.proxy
    points = proxy.index(13, column_of(proxy, "Points"))
    assert points.data() == "\u221220"
    assert points.data(Qt.ItemDataRole.ForegroundRole) == NEGATIVE
    assert "\u2192 \u221220" in str(proxy.index(13, column_of(proxy, "In words")).data())


def test_count_rule_with_cap(page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any) -> None:
    page.preview.values.load(SAMPLE_LEAD)  # the demo lead of the comments above, as if typed
    qtbot.mouseClick(page.rules.editor.add_button, Qt.MouseButton.LeftButton)
    form = page.rules.form
    uid = form.target().uid
    type_into(qtbot, line(form, "label"), "Pricing page views")
    type_into(qtbot, line(form, "field"), "Pricing Views")
    assert form.target().kind == RuleKind.FIT
    choose(qtbot, combo(form, "operator"), "count")
    # Counting is a behaviour: the kind follows, in the same undo step.
    assert form.target().kind == RuleKind.BEHAVIOUR
    assert combo(form, "kind").currentData() == "behaviour"
    spin_to(qtbot, spin(form, "points"), "3")
    type_into(qtbot, line(form, "cap"), "12")
    stored = next(r for r in reopen(workshop_path).rules if r.uid == uid)
    assert (stored.operator, stored.kind, stored.points, stored.cap) == (Operator.COUNT, RuleKind.BEHAVIOUR, 3, 12)
    assert not form.problems.isVisible()
    row = page.rules.model.row_of(uid)
    assert page.rules.proxy.index(row, 2).data() == "each Pricing Views \u00d7 +3 (at most 12)"
    assert page.rules.proxy.index(row, 3).data() == "+3 each"
    undo_redo(session, workshop_path, lambda d: next(r for r in d.rules if r.uid == uid).cap, None, 12)
    # The sample lead gains the new field: 10 views × 3 = 30, capped at 12.
    edit_cell(qtbot, page.preview.values_table, sample_row(page, "Pricing Views"), 1, "10")
    assert page.preview.result is not None
    fired = {o.rule.label: o for o in page.preview.result.fired}
    assert fired["Pricing page views"].points == 12
    assert fired["Pricing page views"].reason == "10 \u00d7 +3, capped at 12"
    assert page.preview.score_label.text().endswith(">83</span>")  # 71 + 12
    # Leaving count drops the cap (its field disappears) and undoes as one step.
    choose(qtbot, combo(form, "operator"), "at_least")
    assert form.target().cap is None and not row_shown(form, "cap")
    session.undo_stack.undo()
    stored = next(r for r in reopen(workshop_path).rules if r.uid == uid)
    assert (stored.operator, stored.cap) == (Operator.COUNT, 12)


def test_undoing_count_restores_the_kind(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    form = select_rule(page, "Student")
    choose(qtbot, combo(form, "operator"), "count")
    assert reopen(workshop_path).rules[1].kind == RuleKind.BEHAVIOUR
    session.undo_stack.undo()
    stored = reopen(workshop_path).rules[1]
    assert (stored.operator, stored.kind) == (Operator.EQUALS, RuleKind.FIT)


def test_decay_fields(page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any) -> None:
    page.preview.values.load(SAMPLE_LEAD)  # the demo lead of the comments above, as if typed
    form = select_rule(page, "Replied to an SMS")
    type_into(qtbot, line(form, "decay_half_life_days"), "7")
    assert "decay needs both a half-life and an activity-date column" in form.problems.text()
    type_into(qtbot, line(form, "decay_date_field"), "Last Activity Date")
    assert not form.problems.isVisible()
    stored = reopen(workshop_path).rules[10]
    assert (stored.decay_half_life_days, stored.decay_date_field) == (7, "Last Activity Date")
    undo_redo(session, workshop_path, lambda d: d.rules[10].decay_date_field, "", "Last Activity Date")
    assert "halving every 7 days since Last Activity Date" in str(page.rules.proxy.index(10, 2).data())
    # Without an activity date the points are not decayed.
    assert page.preview.result is not None
    assert page.preview.result.score == 71
    # 14 days before the workshop date (2026-11-24), two half-lives: 15 × 0.25 = 3.75.
    edit_cell(qtbot, page.preview.values_table, sample_row(page, "Last Activity Date"), 1, "2026-11-10")
    fired = {o.rule.label: o for o in page.preview.result.fired}
    assert fired["Replied to an SMS"].points == 3.75
    assert fired["Replied to an SMS"].reason == "\u201cSMS Sent\u201d, decayed over 14 days"
    assert page.preview.result.engagement == 34.75
    assert page.preview.score_label.text().endswith(">59.8</span>")  # 25 + 34.75, to one decimal
    # The as-of date moves the age: 2026-11-17 is 7 days on, one half-life: 7.5.
    type_into(qtbot, line(page.settings, "as_of_date"), "2026-11-17")
    assert reopen(workshop_path).scoring.as_of_date == dt.date(2026, 11, 17)
    assert {o.rule.label: o.points for o in page.preview.result.fired}["Replied to an SMS"] == 7.5
    undo_redo(session, workshop_path, lambda d: d.scoring.as_of_date, None, dt.date(2026, 11, 17))
    # Emptying the half-life again: decay needs both, so the form says so.
    type_into(qtbot, line(form, "decay_half_life_days"), "")
    assert reopen(workshop_path).rules[10].decay_half_life_days is None
    assert "decay needs both" in form.problems.text()


def test_an_invalid_as_of_date_is_refused(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    with qtbot.waitSignal(session.refused) as refused:
        type_into(qtbot, line(page.settings, "as_of_date"), "24/11/2026")
    assert "YYYY-MM-DD" in refused.args[0]
    assert reopen(workshop_path).scoring.as_of_date is None
    assert line(page.settings, "as_of_date").text() == ""


def test_move_rules_past_the_visible_neighbour(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    select_rule(page, "Student")
    qtbot.mouseClick(page.rules.up_button, Qt.MouseButton.LeftButton)
    assert [r.label for r in reopen(workshop_path).rules][:2] == ["Student", "Working professional"]
    assert page.rules.editor.current_uid() == rule_uid(session, "Student")
    assert not page.rules.up_button.isEnabled()
    session.undo_stack.undo()
    assert [r.label for r in reopen(workshop_path).rules][:2] == ["Working professional", "Student"]
    # Under a filter, a rule moves past the next rule shown.
    choose(qtbot, page.rules.kind_filter, "behaviour")
    select_rule(page, "Website visits")
    qtbot.mouseClick(page.rules.down_button, Qt.MouseButton.LeftButton)
    labels = [r.label for r in reopen(workshop_path).rules]
    assert labels[7:9] == ["Ten minutes or more on the website", "Website visits"]


# --------------------------------------------------------------------------- threshold and bands
def test_threshold_and_minimum_fit(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any, separate_undo_steps: None
) -> None:
    page.preview.values.load(SAMPLE_LEAD)  # the demo lead of the comments above, as if typed
    spin_to(qtbot, spin(page.settings, "threshold"), "75")
    undo_redo(session, workshop_path, lambda d: d.scoring.threshold, 40, 75)
    assert "Stays with marketing" in page.preview.verdict_label.text()
    assert "score 71 is below the threshold 75" in page.preview.verdict_label.text()
    assert "threshold (75)" in page.explanation.text()
    assert page.tabs.tabText(1) == "Threshold (75) and bands"
    spin_to(qtbot, spin(page.settings, "threshold"), "40")
    assert "Goes to sales" in page.preview.verdict_label.text()

    minimum_fit = line(page.settings, "minimum_fit")
    type_into(qtbot, minimum_fit, "30")
    undo_redo(session, workshop_path, lambda d: d.scoring.minimum_fit, None, 30)
    assert "fit 25 is below the minimum fit 30" in page.preview.verdict_label.text()
    assert "and fit \u2265 the minimum fit (30)" in page.explanation.text()
    type_into(qtbot, minimum_fit, "")  # empty: no second gate
    undo_redo(session, workshop_path, lambda d: d.scoring.minimum_fit, 30, None)
    assert minimum_fit.text() == ""
    assert "Goes to sales" in page.preview.verdict_label.text()


def test_bands_add_and_edit(page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any) -> None:
    page.preview.values.load(SAMPLE_LEAD)  # the demo lead of the comments above, as if typed
    bands = page.bands
    assert bands.proxy is not None
    assert table_rows(bands.proxy) == [("Cold", "0", "#6b8fb3"), ("Warm", "20", "#f0a030"), ("Hot", "40", "#d9483b")]
    qtbot.mouseClick(bands.add_button, Qt.MouseButton.LeftButton)
    form = bands.form
    uid = form.target().uid
    assert [(b.name, b.min_score) for b in reopen(workshop_path).bands][1] == ("New band 1", 60)
    session.undo_stack.undo()
    assert len(reopen(workshop_path).bands) == 3
    session.undo_stack.redo()
    assert len(reopen(workshop_path).bands) == 4
    bands.select_uid(uid)

    def band(d: Any) -> Any:
        return next(b for b in d.bands if b.uid == uid)

    type_into(qtbot, line(form, "name"), "On fire")
    undo_redo(session, workshop_path, lambda d: band(d).name, "New band 1", "On fire")
    spin_to(qtbot, spin(form, "min_score"), "70")
    undo_redo(session, workshop_path, lambda d: band(d).min_score, 60, 70)
    type_into(qtbot, line(form, "colour"), "#AA3300")
    undo_redo(session, workshop_path, lambda d: band(d).colour, "#3d9a5b", "#aa3300")  # typed in capitals
    swatch = bands.proxy.index(3, 2).data(Qt.ItemDataRole.DecorationRole)
    assert swatch.name() == "#aa3300"
    with qtbot.waitSignal(session.refused):
        type_into(qtbot, line(form, "colour"), "orange")
    assert band(reopen(workshop_path)).colour == "#aa3300"
    assert line(form, "colour").text() == "#aa3300"
    # The sample lead (71) reaches the new band only when it starts at or below 71.
    assert page.preview.result is not None and page.preview.result.band is not None
    assert page.preview.result.band.name == "On fire"
    spin_to(qtbot, spin(form, "min_score"), "80")
    assert page.preview.result.band.name == "Hot"
    assert "Hot" in page.preview.band_label.text()
    # Bands are listed by their lowest score.
    assert [r[0] for r in table_rows(bands.proxy)] == ["Cold", "Warm", "Hot", "On fire"]
    bands.select_uid(next(b.uid for b in session.defs.bands if b.name == "Warm"))
    spin_to(qtbot, spin(form, "min_score"), "90")
    assert [r[0] for r in table_rows(bands.proxy)] == ["Cold", "Hot", "On fire", "Warm"]


def test_band_colour_from_the_colour_dialog(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog

    monkeypatch.setattr(QColorDialog, "getColor", lambda *args, **kwargs: QColor("#123456"))
    form = page.bands.form
    assert isinstance(form, BandForm)
    page.bands.select_uid(session.defs.bands[0].uid)
    qtbot.mouseClick(form.choose_button, Qt.MouseButton.LeftButton)
    undo_redo(session, workshop_path, lambda d: d.bands[0].colour, "#6b8fb3", "#123456")


# --------------------------------------------------------------------------- sample preview
def type_sample(page: ScoringPage, qtbot: Any, values: dict[str, str] = SAMPLE_LEAD) -> None:
    """Type a lead's values into the sample table, as the facilitator does."""
    for field, text in values.items():
        edit_cell(qtbot, page.preview.values_table, sample_row(page, field), 1, text)


def test_without_leads_the_sample_starts_empty_and_is_typed(page: ScoringPage, qtbot: Any) -> None:
    preview = page.preview
    assert set(preview.values.lead().values()) == {""}
    assert not preview.history_button.isEnabled() and not preview.history_label.isVisible()
    # Everything missing: only "Occupation not given" (−5) fires; −5 < 40 stays with marketing.
    assert table_rows(preview.fired) == [("Occupation not given", "\u22125", "missing")]
    type_sample(page, qtbot)
    assert preview.values.lead() == SAMPLE_LEAD
    assert table_rows(preview.fired) == DEMO_FIRED
    assert preview.result is not None
    assert (preview.result.fit, preview.result.engagement, preview.result.score) == (25, 46, 71)
    assert preview.fit_label.text().endswith(">25</span>")
    assert preview.engagement_label.text().endswith(">46</span>")
    assert preview.score_label.text().endswith(">71</span>")
    assert "Hot" in preview.band_label.text()
    assert "Goes to sales" in preview.verdict_label.text()
    assert "score 71 \u2265 threshold 40" in preview.verdict_label.text()
    assert preview.fired_caption.text() == "Rules that fired: 6 of 14"
    assert preview.fired.index(3, 1).data(Qt.ItemDataRole.ForegroundRole) == POSITIVE
    assert "Score = fit (who the lead is) + engagement (what they did)" in page.explanation.text()
    assert "a lead goes to sales when score \u2265 threshold (40)" in page.explanation.text()


def test_preview_follows_a_rule_change(page: ScoringPage, session: WorkshopSession, qtbot: Any) -> None:
    type_sample(page, qtbot)
    form = select_rule(page, "Replied to an SMS")
    spin_to(qtbot, spin(form, "points"), "5")
    assert ("Replied to an SMS", "+5", "\u201cSMS Sent\u201d") in table_rows(page.preview.fired)
    assert page.preview.result is not None
    assert (page.preview.result.engagement, page.preview.result.score) == (36, 61)
    assert page.preview.score_label.text().endswith(">61</span>")
    session.undo_stack.undo()
    assert page.preview.result.score == 71
    assert table_rows(page.preview.fired) == DEMO_FIRED


def test_preview_follows_a_sample_value(page: ScoringPage, qtbot: Any) -> None:
    type_sample(page, qtbot)
    table = page.preview.values_table
    edit_cell(qtbot, table, sample_row(page, "What is your current occupation"), 1, "student")
    # Working professional no longer fires; Student (−10, compared ignoring case) does:
    # fit −10 + engagement 46 = 36 < 40: stays with marketing, in the Warm band (≥ 20).
    assert [r[0] for r in table_rows(page.preview.fired)] == [
        "Student",
        "Website visits",
        "Ten minutes or more on the website",
        "Reads several pages per visit",
        "Replied to an SMS",
        "Downloaded the interview e-book",
    ]
    assert table_rows(page.preview.fired)[0] == ("Student", "\u221210", "\u201cstudent\u201d")
    assert page.preview.fired.index(0, 1).data(Qt.ItemDataRole.ForegroundRole) == NEGATIVE
    assert page.preview.result is not None
    assert (page.preview.result.fit, page.preview.result.score) == (-10, 36)
    assert page.preview.fit_label.text() == '<span style="color:#c0392b; font-weight:600">\u221210</span>'
    assert "Stays with marketing" in page.preview.verdict_label.text()
    assert "Warm" in page.preview.band_label.text()
    # 9 visits × 2 = 18, capped at 10.
    edit_cell(qtbot, table, sample_row(page, "TotalVisits"), 1, "9")
    visits = next(o for o in page.preview.result.fired if o.rule.label == "Website visits")
    assert (visits.points, visits.reason) == (10, "9 \u00d7 +2, capped at 10")
    assert page.preview.result.score == 38
    # Empty: a missing value fires "Occupation not given".
    edit_cell(qtbot, table, sample_row(page, "What is your current occupation"), 1, "")
    assert page.preview.values.index(0, 1).data() == "(missing)"
    assert ("Occupation not given", "\u22125", "missing") in table_rows(page.preview.fired)
    # Start again, without leads: every value missing again.
    qtbot.mouseClick(page.preview.reset_button, Qt.MouseButton.LeftButton)
    assert set(page.preview.values.lead().values()) == {""}
    assert table_rows(page.preview.fired) == [("Occupation not given", "\u22125", "missing")]


def test_sample_values_follow_the_fields_the_rules_read(
    page: ScoringPage, session: WorkshopSession, qtbot: Any
) -> None:
    type_sample(page, qtbot)
    form = select_rule(page, "Opted out of e-mail")
    type_into(qtbot, line(form, "field"), "Do Not Call")
    fields = page.preview.values.fields
    assert "Do Not Call" in fields and "Do Not Email" not in fields
    assert page.preview.values.lead()["Do Not Call"] == ""  # a new field starts missing
    edit_cell(qtbot, page.preview.values_table, sample_row(page, "Do Not Call"), 1, "yes")
    assert page.preview.result is not None
    assert page.preview.result.fit == 15
    session.undo_stack.undo()  # back to Do Not Email, whose sample value "No" was kept
    assert page.preview.values.lead()["Do Not Email"] == "No"
    assert page.preview.result.fit == 25


# --------------------------------------------------------------------------- locked revision
def test_locked_revision_disables_editors_and_refuses_edits(
    page: ScoringPage, session: WorkshopSession, workshop_path: Path, qtbot: Any
) -> None:
    page.preview.values.load(SAMPLE_LEAD)  # the demo lead of the comments above, as if typed
    for person in session.defs.signers():
        session.document.sign(person.name)
    assert session.read_only
    rules, bands, settings = page.rules, page.bands, page.settings
    assert isinstance(bands.form, BandForm) and bands.proxy is not None
    for button in (
        rules.editor.add_button,
        rules.editor.remove_button,
        rules.up_button,
        rules.down_button,
        bands.add_button,
        bands.remove_button,
        bands.form.choose_button,
    ):
        assert not button.isEnabled(), button.text()
    for form in (rules.form, bands.form, settings):
        for field, editor in form.editors.items():
            if isinstance(editor, QLineEdit):
                assert editor.isReadOnly(), field
            else:
                assert not editor.isEnabled(), field
    for model in (rules.proxy, bands.proxy):
        index = model.index(0, 0)
        assert not model.flags(index) & Qt.ItemFlag.ItemIsEditable
        assert not model.setData(index, "Changed")
    with qtbot.waitSignal(session.refused):
        assert not session.set("scoring", None, "threshold", 10)
    with qtbot.waitSignal(session.refused):
        assert not session.set("rules", session.defs.rules[0].uid, "points", 99)
    before = reopen(workshop_path)
    assert (before.scoring.threshold, before.rules[0].points, before.rules[0].label) == (40, 25, "Working professional")
    # The sample lead is not part of the definitions: it can still be tried.
    edit_cell(qtbot, page.preview.values_table, sample_row(page, "Last Activity"), 1, "Had a Phone Conversation")
    assert page.preview.result is not None
    assert page.preview.result.score == 76  # 71 − 15 (SMS) + 20 (phone conversation)


# --------------------------------------------------------------------------- sample from the history
@pytest.fixture
def leads_page(qtbot: Any, demo_leads_path: Path, qapp: Any) -> Any:
    from models.document import Document

    s = WorkshopSession(Document.open(demo_leads_path))
    widget = ScoringPage(s)
    qtbot.addWidget(widget)
    widget.resize(1500, 900)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    s.close()


# The first lead of resources/demo/x_education_leads.csv (Prospect ID 7927b2df-…), as the
# sample shows it: "Select" is a placeholder (missing), Do Not Email is a yes/no column.
FIRST_LEAD = {
    "What is your current occupation": "Unemployed",
    "Lead Origin": "API",
    "Lead Source": "Olark Chat",
    "Lead Profile": "",
    "Do Not Email": "No",
    "TotalVisits": "0",
    "Total Time Spent on Website": "0",
    "Page Views Per Visit": "0",
    "Last Activity": "Page Visited on Website",
    "A free copy of Mastering The Interview": "No",
}


def choose_answer(page: ScoringPage, qtbot: Any, field: str, text: str) -> list[str]:
    """Open the sample value of a yes/no field and pick `text` from its list, as a user does;
    returns the choices the list offered."""
    table = page.preview.values_table
    index = page.preview.values.index(sample_row(page, field), 1)
    table.scrollTo(index)
    table.setCurrentIndex(index)
    table.edit(index)

    def shown() -> list[QComboBox]:
        return [c for c in table.findChildren(QComboBox) if c.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    combo = shown()[0]
    offered = [combo.itemText(i) for i in range(combo.count())]
    choose(qtbot, combo, {"(missing)": ""}.get(text, text))
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    return offered


def test_with_leads_the_sample_is_the_first_lead_of_the_history(leads_page: ScoringPage, qtbot: Any) -> None:
    preview = leads_page.preview
    assert preview.values.texts() == FIRST_LEAD
    # Nothing of the demo model fires for it (0 visits, no page views, not a professional ...).
    assert table_rows(preview.fired) == []
    assert preview.result is not None and preview.result.score == 0
    assert preview.history_label.text() == (
        "Lead 7927b2df-8bba-4d29-b9a2-b6e0beafe620 of the history: it did not become an opportunity."
    )
    # Do Not Email is a yes/no column: its value is chosen, and read as an answer.
    assert choose_answer(leads_page, qtbot, "Do Not Email", "Yes") == ["Yes", "No", "(missing)"]
    assert preview.values.lead()["Do Not Email"] is True
    assert table_rows(preview.fired) == [("Opted out of e-mail", "\u221210", "\u201cYes\u201d")]
    assert "changed by hand" in preview.history_label.text()
    # Start again: the first lead as it is in the data.
    qtbot.mouseClick(preview.reset_button, Qt.MouseButton.LeftButton)
    assert preview.values.texts() == FIRST_LEAD
    assert preview.history_label.text().endswith("it did not become an opportunity.")


def test_a_rule_saying_true_fires_for_a_sample_answering_yes(leads_page: ScoringPage, qtbot: Any) -> None:
    form = select_rule(leads_page, "Opted out of e-mail")
    type_into(qtbot, line(form, "value"), "true")
    choose_answer(leads_page, qtbot, "Do Not Email", "Yes")
    assert table_rows(leads_page.preview.fired) == [("Opted out of e-mail", "\u221210", "\u201cYes\u201d")]
    choose_answer(leads_page, qtbot, "Do Not Email", "No")
    assert table_rows(leads_page.preview.fired) == []
