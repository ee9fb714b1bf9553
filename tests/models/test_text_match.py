"""One meaning of "the same text", "the same answer" and "the same field" (models.text_match),
and the scoring reading leads with it: a file's true/false column keeps its meaning for a rule
that says "true", and a field spelled "Origin" finds the column `origin`.

Every expected value below is written out by hand from the definition in the module's
docstring (README, "How Accord compares text"), never computed by the code under test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.definitions import Definitions, Operator, RuleKind, ScoringRule, ScoringSettings
from models.engine import Scorer
from models.lead_frame import LeadFrame
from models.leads.importer import import_leads
from models.scoring import rule_fields, score_lead
from models.text_match import answer, field_matches, fold, resolve_field

AS_OF = dt.date(2026, 11, 24)


# --------------------------------------------------------------------------- fold
@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("  Google\t", "google"),
        ("ÉCOLE", "\u00e9cole"),  # é
        ("\u00c5NGSTR\u00d6M", "\u00e5ngstr\u00f6m"),  # Å, Ö
        ("S\u00c3O PAULO", "s\u00e3o paulo"),  # Ã
        ("STRASSE", "strasse"),
        ("Stra\u00dfe", "stra\u00dfe"),  # ß stays ß: it has no simple lower case "ss"
        ("\u1e9e", "\u00df"),  # capital ẞ lowers to ß
        ("\u0130STANBUL", "istanbul"),  # İ lowers to a plain i (its simple mapping)
        ("ISTANBUL", "istanbul"),
        ("\u0131span", "\u0131span"),  # the dotless ı stays dotless
        ("\u039f\u0394\u039f\u03a3", "\u03bf\u03b4\u03bf\u03c3"),  # ΟΔΟΣ: every Σ is σ
        ("\u03bf\u03b4\u03bf\u03c2", "\u03bf\u03b4\u03bf\u03c3"),  # a typed final ς too
        ("\u03a3\u039f\u03a3 \u03a3", "\u03c3\u03bf\u03c3 \u03c3"),  # ΣΟΣ Σ: first, last and lone Σ
        ("\u041c\u041e\u0421\u041a\u0412\u0410", "\u043c\u043e\u0441\u043a\u0432\u0430"),  # МОСКВА
        ("\u01c5", "\u01c6"),  # the title-case digraph ǅ lowers to ǆ
        ("\ufb01nance", "\ufb01nance"),  # the ligature ﬁ is no capital: unchanged
    ],
)
def test_fold_is_the_simple_lower_case_of_every_character_with_sigma_as_sigma(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_the_words_the_issue_names_compare_as_the_definition_says() -> None:
    assert fold("STRAUSS") != fold("Strau\u00df")
    assert fold("\u0130zmir") == fold("izmir") != fold("\u0131zmir")
    assert fold("\u039f\u0394\u039f\u03a3") == fold("\u03bf\u03b4\u03bf\u03c2") == fold("\u03bf\u03b4\u03bf\u03c3")
    assert fold("\u00c9cole") == fold("\u00e9COLE")


# --------------------------------------------------------------------------- answers
@pytest.mark.parametrize("spelling", ["true", "TRUE", " Yes ", "y", "Y", "1", "t", "on", "Checked", "x", True, 1, 1.0])
def test_every_yes_spelling_is_the_answer_yes(spelling: object) -> None:
    assert answer(spelling) is True


@pytest.mark.parametrize("spelling", ["false", "FALSE", "no", " N ", "0", "f", "off", "unchecked", False, 0, 0.0])
def test_every_no_spelling_is_the_answer_no(spelling: object) -> None:
    assert answer(spelling) is False


@pytest.mark.parametrize("spelling", ["maybe", "", "  ", "2", "yes!", None, 2, 0.5, "ja"])
def test_anything_else_is_no_answer(spelling: object) -> None:
    assert answer(spelling) is None


# --------------------------------------------------------------------------- field names
def test_a_field_finds_its_column_trimmed_and_ignoring_case() -> None:
    columns = ["origin", "Lead Source", "\u0130l"]
    assert resolve_field("Origin", columns) == "origin"
    assert resolve_field("  ORIGIN ", columns) == "origin"
    assert resolve_field("lead source", columns) == "Lead Source"
    assert resolve_field("il", columns) == "\u0130l"
    assert resolve_field("orign", columns) is None
    assert resolve_field("", columns) is None


def test_an_exact_spelling_wins_and_two_spellings_of_one_name_are_ambiguous() -> None:
    assert field_matches("Origin", ["origin", "Origin"]) == ["Origin"]
    assert field_matches("ORIGIN", ["origin", "Origin"]) == ["origin", "Origin"]
    assert resolve_field("ORIGIN", ["origin", "Origin"]) is None


# --------------------------------------------------------------------------- through an import
def _rule(field: str, operator: Operator, points: float, **operands: Any) -> ScoringRule:
    return ScoringRule(
        kind=RuleKind.FIT, label=f"{field} {operator.value}", field=field, operator=operator, points=points, **operands
    )


def _scores(path: Path, *rules: ScoringRule) -> tuple[list[float], list[float]]:
    """Every lead's score from the engine and from the reference, for leads imported from `path`."""
    data = import_leads(path)
    frame = LeadFrame.from_lead_data(data)
    defs = Definitions(rules=list(rules), scoring=ScoringSettings(threshold=1, as_of_date=AS_OF))
    engine = [float(x) for x in Scorer(frame, defs).score]
    fields = rule_fields(defs)
    reference = [score_lead(defs, frame.lead(i, fields)).score for i in range(frame.n)]
    return engine, reference


def test_a_rule_saying_true_fires_for_the_true_leads_of_a_true_false_column(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("id,won,Asked for demo\n1,yes,true\n2,no,false\n3,no,TRUE\n4,yes,\n5,no,False\n", encoding="utf-8")
    cases = [
        # (rule, points per lead 1..5): lead 4's answer is missing
        (_rule("Asked for demo", Operator.EQUALS, 10, value="true"), [10, 0, 10, 0, 0]),
        (_rule("Asked for demo", Operator.EQUALS, 10, value="Yes"), [10, 0, 10, 0, 0]),
        (_rule("Asked for demo", Operator.EQUALS, 10, value="1"), [10, 0, 10, 0, 0]),
        (_rule("Asked for demo", Operator.NOT_EQUALS, 10, value="true"), [0, 10, 0, 10, 10]),
        (_rule("Asked for demo", Operator.EQUALS, 10, value="n"), [0, 10, 0, 0, 10]),
        (_rule("Asked for demo", Operator.ONE_OF, 10, values=["y", "maybe"]), [10, 0, 10, 0, 0]),
        (_rule("Asked for demo", Operator.NOT_ONE_OF, 10, values=["false"]), [10, 0, 10, 10, 0]),
        (_rule("Asked for demo", Operator.EQUALS, 10, value="maybe"), [0, 0, 0, 0, 0]),
        (_rule("Asked for demo", Operator.IS_EMPTY, 10), [0, 0, 0, 10, 0]),
    ]
    for rule, want in cases:
        engine, reference = _scores(path, rule)
        assert engine == want, rule.label
        assert reference == want, rule.label


def test_a_field_spelled_in_another_case_finds_the_column(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("id,won,origin\n1,yes,Google\n2,no,organic\n3,no,GOOGLE\n", encoding="utf-8")
    engine, reference = _scores(path, _rule("  Origin ", Operator.EQUALS, 7, value="google"))
    assert engine == reference == [7, 0, 7]


def test_case_folding_in_the_scoring_follows_the_definition(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "id,won,City\n1,yes,STRAUSS\n2,no,Strau\u00df\n3,no,\u0130STANBUL\n4,no,\u039f\u0394\u039f\u03a3\n5,no,\u00c9COLE\n",
        encoding="utf-8",
    )
    cases = [
        (_rule("City", Operator.EQUALS, 1, value="strauss"), [1, 0, 0, 0, 0]),
        (_rule("City", Operator.EQUALS, 1, value="strau\u00df"), [0, 1, 0, 0, 0]),
        (_rule("City", Operator.EQUALS, 1, value="istanbul"), [0, 0, 1, 0, 0]),
        (_rule("City", Operator.EQUALS, 1, value="\u03bf\u03b4\u03bf\u03c2"), [0, 0, 0, 1, 0]),
        (_rule("City", Operator.CONTAINS, 1, value="\u00e9co"), [0, 0, 0, 0, 1]),
        (_rule("City", Operator.ONE_OF, 1, values=["\u0131stanbul", "\u00e9cole"]), [0, 0, 0, 0, 1]),
    ]
    for rule, want in cases:
        engine, reference = _scores(path, rule)
        assert engine == want, rule.label
        assert reference == want, rule.label


def test_a_yes_no_column_holds_answers_and_is_typed(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("id,won,Opted in\n1,yes,Y\n2,no,N\n", encoding="utf-8")
    frame = LeadFrame.from_lead_data(import_leads(path))
    col = frame.column("opted in")
    assert col is not None and col.yes_no
    assert [col.value(0), col.value(1)] == [True, False]
    assert frame.type_of("OPTED IN") == "yes/no"
    assert np.array_equal(frame.outcome, [True, False])
