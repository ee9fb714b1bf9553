"""Revisions across quarters: the next revision copies the latest, earlier revisions open
read-only, two revisions compare field by field, tampering with a signed revision's stored
definitions is detected, and the re-check runs each model on the other quarter's leads."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.compare import Kind, compare, show, summary
from models.definitions import Definitions, FunnelStage, GlossaryTerm, ScoreBand, ScoringRule, SharedKpi
from models.demo import demo_definitions
from models.document import Document, RevisionLocked
from models.edits import set_field
from models.store import WorkshopFile
from tests.paths import REPO


def _sign_all(doc: Document) -> None:
    for person in doc.defs.signers():
        doc.sign(person.name)
    assert doc.locked


# --------------------------------------------------------------------------- next revision, history
def test_next_revision_copies_the_latest_even_from_an_earlier_one(workshop_path: Path) -> None:
    doc = Document.open(workshop_path)
    try:
        _sign_all(doc)
        q3 = doc.revision.id
        assert doc.defs.team.period == "2026-Q4"
        doc.start_next_revision("2027-Q1")
        assert doc.defs.team.period == "2027-Q1"  # named after the revision, so it moves on with it
        doc.apply(set_field(doc.defs, "team", None, "period", "Q1 2027"))
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 33.0))
        q1 = doc.revision.id
        assert doc.is_latest and not doc.read_only
        doc.switch_revision(q3)  # the signed one, for reference
        assert doc.read_only and not doc.is_latest and doc.defs.scoring.threshold == 40
        doc.start_next_revision("2027-Q2")  # copies 2027-Q1, the latest, not the one shown
        assert doc.defs.scoring.threshold == 33
        assert doc.defs.team.period == "Q1 2027"  # a period named otherwise is left for the room
        assert [r.label for r in doc.file.revisions()] == ["2026-Q4", "2027-Q1", "2027-Q2"]
        doc.switch_revision(q1)  # an earlier draft: read-only too
        assert doc.read_only and not doc.locked
        assert "earlier draft" in doc.why_read_only() and "2027-Q2" in doc.why_read_only()
        with pytest.raises(RevisionLocked):
            doc.apply(set_field(doc.defs, "scoring", None, "threshold", 1.0))
    finally:
        doc.close()


# --------------------------------------------------------------------------- comparison
def _pair() -> tuple[Definitions, Definitions]:
    old = demo_definitions()
    return old, old.copy_deep()


def test_identical_revisions_have_no_changes() -> None:
    old, new = _pair()
    assert compare(old, new) == [] and summary([]) == "no changes"


def test_every_kind_of_change_is_listed_field_by_field() -> None:
    old, new = _pair()
    new.team.target_rate = 0.65
    new.team.reps = 4
    new.scoring.threshold = 35
    new.scoring.minimum_fit = 5
    new.stages[1].sla_hours = 12
    new.stages.append(FunnelStage(name="Nurture", definition="Not ready yet."))
    removed_term = new.terms.pop(0).term
    new.terms.append(GlossaryTerm(term="Account", definition="A company."))
    student = next(r for r in new.rules if r.label == "Student")
    student.points = -15
    student.value = "Student "
    new.rules.append(ScoringRule(label="Viewed pricing", field="Last Activity", value="Pricing", points=10))
    new.bands[0].min_score = 45
    new.bands.append(ScoreBand(name="Very hot", min_score=70))
    new.kpis[0].target = "2 hours"
    new.kpis.append(SharedKpi(name="Pipeline", definition="Open opportunities."))
    new.decisions.pop()
    new.timeboxes["scoring"] = 60
    texts = [c.text() for c in compare(old, new)]
    assert "Team and targets: target rate 60% \u2192 65%" in texts
    assert "Team and targets: reps 3 \u2192 4" in texts
    assert "Scoring settings: threshold 40 \u2192 35" in texts
    assert "Scoring settings: minimum fit (empty) \u2192 5" in texts
    assert f"Funnel stage \u201c{new.stages[1].name}\u201d: sla hours 24 \u2192 12" in texts
    assert "Funnel stage \u201cNurture\u201d added" in texts
    assert f"Glossary term \u201c{removed_term}\u201d removed" in texts
    assert "Glossary term \u201cAccount\u201d added" in texts
    assert "Scoring rule \u201cStudent\u201d: points \u221210 \u2192 \u221215" in texts
    assert "Scoring rule \u201cStudent\u201d: value \u201cStudent\u201d \u2192 \u201cStudent \u201d" in texts
    assert "Scoring rule \u201cViewed pricing\u201d added" in texts
    assert f"Score band \u201c{new.bands[0].name}\u201d: min score {old.bands[0].min_score:g} \u2192 45" in texts
    assert "Score band \u201cVery hot\u201d added" in texts
    assert f"Shared KPI \u201c{new.kpis[0].name}\u201d: target" in " ".join(texts)
    assert "Shared KPI \u201cPipeline\u201d added" in texts
    assert any(t.startswith("Decision \u201c") and t.endswith("removed") for t in texts)
    assert "Timebox \u201cscoring\u201d: minutes 45 \u2192 60" in texts
    changes = compare(old, new)
    assert summary(changes) == "5 added, 2 removed, 10 changed"
    # The document's order: team, participants, stages, terms, rules, bands, scoring, KPIs...
    sections = [c.section for c in changes]
    assert sections == sorted(
        sections,
        key=[
            "team",
            "participants",
            "stages",
            "terms",
            "rules",
            "bands",
            "scoring",
            "kpis",
            "decisions",
            "timeboxes",
        ].index,
    )


def test_a_reordered_list_reports_only_the_item_that_moved() -> None:
    old, new = _pair()
    new.stages.insert(0, new.stages.pop(3))
    [change] = compare(old, new)
    assert change.kind == Kind.MOVED and change.item == old.stages[3].name
    assert change.text() == f"Funnel stage \u201c{old.stages[3].name}\u201d moved from position 4 to 1"


def test_items_with_new_ids_are_matched_by_name() -> None:
    old, new = _pair()
    for rule in new.rules:  # as after importing the definitions from JSON
        rule.uid = "x-" + rule.uid
    new.rules[0].points = 30
    changes = compare(old, new)
    assert [c.text() for c in changes] == [f"Scoring rule \u201c{old.rules[0].label}\u201d: points 25 \u2192 30"]


def test_values_read_plainly() -> None:
    assert show(None) == show("") == "(empty)"
    assert show(0.6, "target_rate") == "60%" and show(-10.0) == "\u221210" and show(True) == "yes"
    assert show(["Reference", "Welingak Website"]) == "\u201cReference\u201d, \u201cWelingak Website\u201d"
    assert show("x" * 100).endswith("\u2026\u201d") and len(show("x" * 100)) == 80


# --------------------------------------------------------------------------- tamper evidence
def test_editing_a_signed_revision_in_the_file_is_detected(workshop_path: Path) -> None:
    doc = Document.open(workshop_path)
    _sign_all(doc)
    signed = doc.revision.content_hash
    doc.start_next_revision("2027-Q1")
    assert [c.ok for c in doc.verify()] == [True]
    doc.close()
    con = sqlite3.connect(workshop_path)  # someone edits the file without Accord
    con.execute("UPDATE scoring_rule SET points = 99 WHERE revision_id = 1 AND label = 'Student'")
    con.commit()
    con.close()
    doc = Document.open(workshop_path)
    try:
        [check] = doc.verify()
        assert (check.label, check.ok, check.signed_hash) == ("2026-Q4", False, signed)
        assert check.actual_hash != signed
        assert doc.signature_matches is None  # the draft on top has nothing signed
        doc.switch_revision(1)
        assert doc.signature_matches is False
        assert not any(s.current for s in doc.signature_status())
        block = doc.revision_block()
        assert block.signature_matches is False and not any(s.valid for s in block.signatures)
        assert block.content_hash == signed  # what was signed, shown beside the mismatch
    finally:
        doc.close()


def test_an_untouched_signed_revision_verifies(workshop_path: Path) -> None:
    doc = Document.open(workshop_path)
    try:
        _sign_all(doc)
        assert doc.signature_matches is True
        assert doc.revision_block().signature_matches is True
        assert all(s.current for s in doc.signature_status())
    finally:
        doc.close()


# The last signer's signature, with the process killed right after the first transaction it
# commits (as a power cut or a kill -9 between two would).
_SIGN_THEN_DIE = textwrap.dedent("""
    import os, sys
    from sqlalchemy.orm import Session
    from models.document import Document

    doc = Document.open(sys.argv[1])
    real_commit = Session.commit

    def commit_then_die(self):
        real_commit(self)
        os._exit(3)

    Session.commit = commit_then_die
    doc.sign(sys.argv[2])
    print("not reached", flush=True)
""")


def test_the_last_signature_and_the_lock_are_one_transaction(workshop_path: Path) -> None:
    doc = Document.open(workshop_path)
    try:
        first, last = (p.name for p in doc.defs.signers())
        assert not doc.sign(first)
    finally:
        doc.close()
    done = subprocess.run(
        [sys.executable, "-c", _SIGN_THEN_DIE, str(workshop_path), last],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    doc = Document.open(workshop_path)
    try:
        # Whatever was committed holds the signature and the lock together: signed by
        # everyone means locked.
        assert all(s.current for s in doc.signature_status())
        assert doc.locked and doc.revision.content_hash == doc.content_hash()
        assert [c.ok for c in doc.verify()] == [True]
    finally:
        doc.close()


def test_a_signature_of_a_signed_revision_is_refused_by_the_file(workshop_path: Path) -> None:
    from models.definitions import now_utc
    from models.store import SignatureInfo, WorkshopFileError

    doc = Document.open(workshop_path)
    try:
        _sign_all(doc)
        with pytest.raises(WorkshopFileError, match="signed and read-only"):
            doc.file.add_signature(doc.revision.id, SignatureInfo("Someone", "", now_utc(), "", "0" * 64))
        assert [s.signer for s in doc.file.signatures(doc.revision.id)] == [p.name for p in doc.defs.signers()]
    finally:
        doc.close()


# --------------------------------------------------------------------------- re-check
def test_each_model_is_checked_on_each_quarters_leads(demo_leads_path: Path, tmp_path: Path) -> None:
    from models.leads.importer import import_leads
    from models.recheck import recheck

    doc = Document.open(demo_leads_path)
    try:
        _sign_all(doc)
        doc.start_next_revision("2027-Q1")
        # This quarter: a small data set of our own, 10 weeks, where the old threshold is too low.
        csv = tmp_path / "q1.csv"
        rows = ["Prospect ID,Converted,What is your current occupation,TotalVisits,Lead Origin"]
        # 4 working professionals with 10 visits (25 + 10 = 35) and the course form (+20): 55, 1 converts;
        # 6 students (-10), none converts.
        rows += [f"w{k},{1 if k == 0 else 0},Working Professional,10,Lead Add Form" for k in range(4)]
        rows += [f"s{k},0,Student,0,API" for k in range(6)]
        csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
        doc.replace_leads(import_leads(csv))
        doc.apply(set_field(doc.defs, "scoring", None, "history_weeks", 10.0))
        doc.apply(set_field(doc.defs, "scoring", None, "threshold", 60.0))
        result = recheck(doc.file, 1, doc.revision.id)
    finally:
        doc.close()
    old_on_old = result.figures("old", "old")
    old_on_new = result.figures("old", "new")
    new_on_new = result.figures("new", "new")
    new_on_old = result.figures("new", "old")
    assert old_on_old is not None and (old_on_old.passed, old_on_old.opportunities) == (1549, 1372)
    # The old model (threshold 40) on the new leads: the 4 working professionals pass, 1 converted.
    assert old_on_new is not None and (old_on_new.passed, old_on_new.opportunities) == (4, 1)
    assert old_on_new.weekly_volume == pytest.approx(0.4)  # 4 leads over the new data's 10 weeks
    # The new model (threshold 60) on the new leads: nobody reaches 60.
    assert new_on_new is not None and new_on_new.passed == 0 and new_on_new.rate is None
    assert new_on_old is not None and new_on_old.passed < 1549
    lines = result.explanation()
    assert lines[0] == (
        "The 2026-Q4 model at its threshold of 40 points gives 25% on the 2027-Q1 leads, "
        "instead of 89% on the 2026-Q4 leads (4 leads passed instead of 1,549)."
    )
    assert lines[1].startswith(
        "Why: the 2027-Q1 leads convert at 10% overall against 39% before, and 40% "
        "of them reach 40 points against 17% before."
    )


def test_recheck_without_leads_says_which_revision_lacks_them(workshop_path: Path) -> None:
    from models.recheck import recheck

    doc = Document.open(workshop_path)
    try:
        doc.start_next_revision("2027-Q1")
        result = recheck(doc.file, 1, 2)
    finally:
        doc.close()
    assert result.cells == {}
    assert result.explanation() == [
        "Revision 2026-Q4 has no imported leads, so the models cannot be re-checked "
        "across quarters. Import its leads on the Historical leads step."
    ]


def test_the_fixture_of_format_2_verifies(tmp_path: Path) -> None:
    """A revision signed under format 2 still verifies once migrated (LATER_FIELDS)."""
    copy = tmp_path / "old.accord"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "fixtures" / "schema-2.accord", copy)
    doc = Document.open(copy)
    try:
        assert [(c.label, c.ok) for c in doc.verify()] == [("2026-Q3", True)]
    finally:
        doc.close()
    with WorkshopFile.open(copy, read_only=True) as f:
        assert f.schema_version == 3
