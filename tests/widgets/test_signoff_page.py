"""The sign-off step through the real page and dialog: the readiness checklist, the signers'
states, signing (first signer, an edit that makes it an earlier draft, everyone signing
again), the lock with its banner and full hash, and the embedded decisions panel.

The sign dialog is driven as an object (never exec()'d)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from models.definitions import DecisionKind
from widgets.decisions_panel import DecisionsPanel
from widgets.session import WorkshopSession
from widgets.signoff_page import SignDialog, SignersModel, SignoffPage, grouped_hash
from widgets.value_filter import GREEN, RED
from widgets.vocabulary_page import VocabularyPage

SIGNERS = ["Priya Raman", "Daniel Osei"]


@pytest.fixture
def page(session: WorkshopSession, qtbot: QtBot) -> SignoffPage:
    widget = SignoffPage(session)
    qtbot.addWidget(widget)
    return widget


def states(page: SignoffPage) -> list[str]:
    return [page.signers.index(r, SignersModel.STATE_COLUMN).data() for r in range(page.signers.rowCount())]


def sign_through_dialog(page: SignoffPage, signer: str, statement: str = "") -> SignDialog:
    dialog = page.make_sign_dialog(signer)
    assert dialog is not None
    dialog.statement_edit.setText(statement)
    dialog.confirm_box.setChecked(True)
    dialog.sign_button.click()
    return dialog


def agree_every_stage(session: WorkshopSession) -> None:
    for stage in list(session.defs.stages):
        assert session.set("stages", stage.uid, "agreed", True)


def test_item_models_pass_the_model_tester(page: SignoffPage, qtmodeltester: ModelTester) -> None:
    qtmodeltester.check(page.signers)
    qtmodeltester.check(page.decisions.editor.model)
    qtmodeltester.check(page.decisions.proxy)
    page.sign("Priya Raman", "")
    qtmodeltester.check(page.signers)


def test_readiness_reflects_the_demo(page: SignoffPage) -> None:
    items = {item.label: item for item in page.checklist.items}
    stages = items["Every funnel stage agreed"]  # 3 of the 6 stages are agreed
    assert not stages.done
    assert stages.detail == "not yet agreed: Sales Qualified Lead, Opportunity, Customer"
    assert not items["No disputed term"].done
    assert items["No disputed term"].detail == "disputed: Hot lead"
    assert items["Scoring model complete"].done
    assert items["At least one signer"].done
    assert not items["Threshold checked against data"].done
    marks = [mark.text() for mark, _ in page.checklist.rows]
    assert ["\u2713" in m for m in marks] == [i.done for i in page.checklist.items]
    assert all(RED in m for m, i in zip(marks, page.checklist.items, strict=True) if not i.done)
    mark, text = page.checklist.rows[0]
    assert mark.accessibleName() == "not done"
    assert "Every funnel stage agreed" in text.text()
    assert "not yet agreed: Sales Qualified Lead, Opportunity, Customer" in text.text()
    assert page.readiness_summary.text().startswith("2 of 5 checks done;")


def test_readiness_updates_after_agreeing_every_stage(page: SignoffPage, session: WorkshopSession) -> None:
    agree_every_stage(session)
    mark, text = page.checklist.rows[0]
    assert page.checklist.items[0].done
    assert "\u2713" in mark.text() and GREEN in mark.text() and mark.accessibleName() == "done"
    assert text.accessibleName() == "Every funnel stage agreed: all agreed"
    assert page.readiness_summary.text().startswith("3 of 5 checks done;")
    hot = next(t for t in session.defs.terms if t.status.value == "disputed")
    assert session.set("terms", hot.uid, "status", "agreed")
    assert page.checklist.items[1].done and "none disputed" in page.checklist.rows[1][1].text()
    session.undo_stack.undo()
    assert not page.checklist.items[1].done


def test_signers_table(page: SignoffPage) -> None:
    model = page.signers
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Signer",
        "Role",
        "State",
        "Statement",
    ]
    assert [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(2)] == [
        ("Priya Raman", "VP Sales"),
        ("Daniel Osei", "VP Marketing"),
    ]
    assert states(page) == ["not signed", "not signed"]
    selected = page.selected_signer()
    assert selected is not None and selected.signer == "Priya Raman"
    assert page.sign_button.isEnabled()
    assert page.banner.isHidden()


def test_dialog_shows_the_hash_and_needs_confirmation(page: SignoffPage, session: WorkshopSession) -> None:
    dialog = page.make_sign_dialog("Priya Raman")
    assert dialog is not None
    digest = session.document.content_hash()
    assert dialog.short_hash() == digest[:12]
    assert digest[:12] in dialog.hash_label.text() and digest[:13] not in dialog.hash_label.text()
    assert "Priya Raman" in dialog.confirm_box.text()
    assert not dialog.sign_button.isEnabled()
    assert not dialog.confirm()  # not confirmed: nothing happens
    assert states(page) == ["not signed", "not signed"]
    dialog.confirm_box.setChecked(True)
    assert dialog.sign_button.isEnabled()
    dialog.reject()
    assert states(page) == ["not signed", "not signed"]


def test_sign_edit_and_sign_again_until_locked(page: SignoffPage, session: WorkshopSession, qtbot: QtBot) -> None:
    vocabulary = VocabularyPage(session)
    qtbot.addWidget(vocabulary)

    # First signer.
    dialog: SignDialog | None  # make_sign_dialog, further down, may give none
    dialog = sign_through_dialog(page, "Priya Raman", "Agreed for Q4")
    assert dialog.result() == QDialog.DialogCode.Accepted
    first, second = states(page)
    assert first.startswith("signed ") and "earlier" not in first
    assert second == "not signed"
    assert page.signers.index(0, 3).data() == "Agreed for Q4"
    state_colour = page.signers.index(0, SignersModel.STATE_COLUMN).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(state_colour, QBrush) and state_colour.color().name() == GREEN
    assert not session.read_only and page.banner.isHidden()
    assert "1 of 2 signatures still needed" in page.sign_hint.text()

    # An edit after it makes it an earlier draft.
    lead = next(t for t in session.defs.terms if t.term == "Lead")
    assert session.set("terms", lead.uid, "notes", "Includes prospects sales sourced itself.")
    assert states(page) == ["signed an earlier draft \u2014 sign again", "not signed"]
    assert session.document.content_hash()[:12] in page.revision_line.text()
    dialog = page.make_sign_dialog("Priya Raman")
    assert dialog is not None
    assert any("earlier signature" in w.text() for w in dialog.findChildren(type(page.sign_hint)))

    # Everyone signs the current definitions: the revision locks.
    sign_through_dialog(page, "Daniel Osei")
    assert not session.read_only  # Priya's signature is of an earlier draft
    assert states(page)[0] == "signed an earlier draft \u2014 sign again"
    dialog = sign_through_dialog(page, "Priya Raman", "Agreed, second reading")
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert session.read_only and session.document.locked
    assert all(s.startswith("signed ") and "earlier" not in s for s in states(page))

    # The lock is shown plainly, with the full SHA-256 and how to go on.
    digest = session.document.revision.content_hash
    assert digest is not None and len(digest) == 64
    assert not page.banner.isHidden()
    assert "locked" in page.lock_title.text()
    assert grouped_hash(digest) in page.lock_hash.text()
    assert page.lock_hash.toolTip() == digest
    assert "start the next revision" in page.lock_reason.text()
    assert page.lock_reason.text() == session.document.why_read_only()
    assert "signed and locked" in page.revision_line.text()
    assert not page.sign_button.isEnabled() and page.sign_button.isHidden()
    assert page.make_sign_dialog("Priya Raman") is None

    # Editors are read-only and further edits are refused, saying how to go on.
    assert not vocabulary.editor.add_button.isEnabled()
    term_field = vocabulary.editor.form.editors["term"]
    assert isinstance(term_field, QLineEdit) and term_field.isReadOnly()
    assert not page.decisions.entry.isEnabled()
    with qtbot.waitSignal(session.refused) as refused:
        assert not session.set("terms", lead.uid, "notes", "One more thought")
    assert "start the next revision" in refused.args[0]
    assert not page.sign("Daniel Osei", "")


def test_next_revision_unlocks_the_page(page: SignoffPage, session: WorkshopSession) -> None:
    for name in SIGNERS:
        assert page.sign(name, "")
    assert session.read_only and not page.banner.isHidden()
    assert session.start_next_revision("2027-Q1")
    assert not session.read_only
    assert page.banner.isHidden()
    assert states(page) == ["not signed", "not signed"]
    assert page.sign_button.isEnabled() and not page.sign_button.isHidden()
    assert "2027-Q1" in page.revision_line.text()


def test_sign_reports_a_refusal(page: SignoffPage, session: WorkshopSession, qtbot: QtBot) -> None:
    with qtbot.waitSignal(session.refused) as refused:
        assert not page.sign("Mei Tanaka", "")  # not a signer
    assert "not a signer" in refused.args[0]
    assert page.sign("Priya Raman", "")


def test_dialog_stays_open_and_says_why_when_refused(page: SignoffPage, session: WorkshopSession) -> None:
    status = page.signers.statuses[0]

    def refuse(signer: str, statement: str) -> bool:
        session.refused.emit(f"{signer} cannot sign now.")
        return False

    dialog = SignDialog(session, status, refuse, [], page)
    dialog.confirm_box.setChecked(True)
    assert not dialog.confirm()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.error.isHidden() and dialog.error.text() == "Priya Raman cannot sign now."


def test_dialog_signs_only_the_definitions_it_showed(page: SignoffPage, session: WorkshopSession) -> None:
    dialog = page.make_sign_dialog("Daniel Osei")
    assert dialog is not None
    shown = dialog.short_hash()
    stage = session.defs.stages[-1]
    assert session.set("stages", stage.uid, "agreed", True)
    dialog.confirm_box.setChecked(True)
    assert not dialog.confirm()
    assert states(page) == ["not signed", "not signed"]
    assert not dialog.confirm_box.isChecked() and "changed" in dialog.error.text()
    assert dialog.short_hash() == session.document.content_hash()[:12] != shown
    assert dialog.short_hash() in dialog.hash_label.text()
    dialog.confirm_box.setChecked(True)
    assert dialog.confirm()
    assert states(page)[1].startswith("signed ")


def test_dialog_lists_what_is_not_ready(page: SignoffPage, session: WorkshopSession) -> None:
    dialog = page.make_sign_dialog("Priya Raman")
    assert dialog is not None
    texts = [w.text() for w in dialog.findChildren(type(page.sign_hint))]
    assert any("Every funnel stage agreed" in t and "No disputed term" in t for t in texts)


def test_sign_button_opens_the_dialog_for_the_selected_signer(
    page: SignoffPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[SignDialog] = []
    monkeypatch.setattr(SignDialog, "open", lambda self: opened.append(self))  # no modal window in tests
    page.table.selectRow(1)
    page.sign_button.click()
    assert len(opened) == 1 and opened[0].status.signer == "Daniel Osei"
    opened[0].deleteLater()


def test_decisions_are_part_of_this_step(page: SignoffPage, session: WorkshopSession) -> None:
    assert isinstance(page.decisions, DecisionsPanel)
    uid = page.decisions.add_item("Sign again after the Q1 review", DecisionKind.DECISION)
    item = next(d for d in session.defs.decisions if d.uid == uid)
    assert item.step == "signoff"
    # A decision is an edit too: a signature made before it is of an earlier draft.
    assert page.sign("Priya Raman", "")
    page.decisions.add_item("Who owns the KPI dashboard?", DecisionKind.PARKING)
    assert states(page)[0] == "signed an earlier draft \u2014 sign again"
