"""An open workshop: the revision being edited, its edits, sign-off and locking.

`Document` keeps the revision's `Definitions` in memory and writes every edit to the file
at once, in one transaction (autosave). If writing fails the edit is reverted in memory too,
so what is shown is always what is in the file. Listeners are told of every applied edit;
the Qt layer turns that into signals.

Sign-off: each signer's signature records the content hash of the definitions they signed.
A signature of an earlier draft no longer counts (it is shown as "signed an earlier draft").
When every signer holds a signature of the current definitions, the revision is locked:
status "signed", its content hash stored, and every further edit refused with
`RevisionLocked`, whose message says how to start the next revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from models.definitions import Definitions, now_utc
from models.definitions_json import RevisionBlock, SignatureBlock, check_definitions, content_hash
from models.edits import Edit, ReplaceAll, SetField
from models.store import LeadsInfo, RevisionInfo, SignatureInfo, WorkshopFile, WorkshopFileError

if TYPE_CHECKING:
    from models.check import ThresholdCheck
    from models.leads.types import LeadData

_NOT_LOADED: Any = object()


class RevisionLocked(Exception):
    """An edit of a signed revision (or of a file open read-only) was refused."""


@dataclass(frozen=True)
class SignatureStatus:
    signer: str
    role: str
    signature: SignatureInfo | None
    current: bool  # signed the definitions as they are now

    @property
    def state(self) -> str:
        if self.signature is None:
            return "not signed"
        return "signed" if self.current else "signed an earlier draft"


@dataclass(frozen=True)
class ReadinessItem:
    label: str
    done: bool
    detail: str


Listener = Callable[[Any], None]


@dataclass(frozen=True)
class RevisionCheck:
    """A signed revision checked again: the hash that was signed and what its definitions
    hash to now."""

    label: str
    signed_hash: str
    actual_hash: str
    ok: bool


class Document:
    def __init__(self, file: WorkshopFile, revision_id: int | None = None) -> None:
        self.file = file
        revisions = file.revisions()
        self.revision: RevisionInfo = revisions[-1] if revision_id is None else file.revision(revision_id)
        self.latest_id = revisions[-1].id
        self.defs: Definitions = file.load_definitions(self.revision.id)
        self._listeners: list[Listener] = []
        self._leads: LeadData | None = _NOT_LOADED
        self._check: ThresholdCheck | None = None
        self._check_leads: Any = None
        self.leads_generation = 0  # changes whenever the revision's data set may have changed
        self._leads_info: LeadsInfo | None = None
        self._leads_info_key: tuple[int, int] | None = None

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> Document:
        return cls(WorkshopFile.open(path, read_only=read_only))

    @classmethod
    def create(cls, path: Path | str, defs: Definitions, label: str = "Draft 1", force: bool = False) -> Document:
        return cls(WorkshopFile.create(path, defs, label=label, force=force))

    def close(self) -> None:
        self.file.close()

    @property
    def path(self) -> Path:
        return self.file.path

    # -- state -------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        return self.revision.locked

    @property
    def is_latest(self) -> bool:
        return self.revision.id == self.latest_id

    @property
    def read_only(self) -> bool:
        return self.locked or self.file.read_only or not self.is_latest

    @property
    def signature_matches(self) -> bool | None:
        """For a signed revision, whether its stored definitions still hash to what was
        signed (False: they were changed outside Accord); None for a draft."""
        if not self.locked:
            return None
        return self.revision.content_hash == content_hash(self.defs)

    def verify(self) -> list[RevisionCheck]:
        """Every signed revision of the file, its definitions hashed again."""
        out = []
        for rev in self.file.revisions():
            if not rev.locked:
                continue
            actual = content_hash(self.file.load_definitions(rev.id))
            out.append(RevisionCheck(rev.label, rev.content_hash or "", actual, actual == rev.content_hash))
        return out

    def why_read_only(self) -> str:
        if not self.is_latest and not self.locked:
            latest = self.file.revision(self.latest_id)
            return (
                f"Revision \u201c{self.revision.label}\u201d is an earlier draft, shown for reference; only "
                f"the latest revision (\u201c{latest.label}\u201d) can be edited."
            )
        if self.locked:
            return (
                f"Revision \u201c{self.revision.label}\u201d is signed and locked, so its definitions "
                "can no longer change. To revise them, start the next revision "
                "(File \u25b8 Start Next Revision): it copies these definitions into a new draft."
            )
        if self.file.in_use_by:
            return (
                f"{self.path.name} is in use by {self.file.in_use_by}, so this window opened it "
                "read-only. Close the other window, then open the file again to edit it."
            )
        if self.file.read_only:
            return f"{self.path.name} is open read-only."
        return ""

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, what: Any) -> None:
        for listener in list(self._listeners):
            listener(what)

    # -- editing -----------------------------------------------------------------
    def apply(self, edit: Edit) -> None:
        """Apply an edit and save it; on any failure nothing changes, in memory or on disk."""
        if self.read_only:
            raise RevisionLocked(self.why_read_only())
        edit.apply(self.defs)
        try:
            if isinstance(edit, SetField) and edit.section != "timeboxes":
                self.file.save_field(self.revision.id, self.defs, edit.section, edit.uid, edit.field)
            else:
                self.file.save_definitions(self.revision.id, self.defs)
        except BaseException:
            edit.inverse().apply(self.defs)
            raise
        self._notify(edit)

    def replace_definitions(self, new: Definitions, text: str = "Import definitions") -> ReplaceAll:
        edit = ReplaceAll(self.defs.model_dump(mode="json"), new.model_dump(mode="json"), text)
        self.apply(edit)
        return edit

    def content_hash(self) -> str:
        return content_hash(self.defs)

    # -- historical leads --------------------------------------------------------
    @property
    def leads(self) -> LeadData | None:
        """The revision's lead data set (loaded from the file on first use), or None."""
        if self._leads is _NOT_LOADED:
            self._leads = self.file.load_leads(self.revision.id)
        return self._leads

    def leads_info(self) -> LeadsInfo | None:
        """Provenance, quality and mapping of the revision's leads, without loading them (read
        from the file once per data set: pages ask on every edit)."""
        key = (self.revision.id, self.leads_generation)
        if self._leads_info_key != key:
            self._leads_info, self._leads_info_key = self.file.leads_info(self.revision.id), key
        return self._leads_info

    def replace_leads(self, data: LeadData) -> None:
        """Store `data` as this revision's leads, replacing the earlier data set, in one
        transaction; refused like an edit when the revision is locked or the file read-only."""
        if self.read_only:
            raise RevisionLocked(self.why_read_only())
        self.file.save_leads(self.revision.id, data)
        self._leads = data
        self.leads_generation += 1
        self._notify("leads")

    def threshold_check(self) -> ThresholdCheck | None:
        """The threshold check of this revision's leads under its current definitions (None
        without leads). Built once per data set; later calls re-score only changed rules."""
        leads = self.leads
        if leads is None:
            return None
        if self._check is None or self._check_leads is not leads:
            from models.check import ThresholdCheck
            from models.engine import LeadFrame

            self._check, self._check_leads = ThresholdCheck(LeadFrame.from_lead_data(leads), self.defs), leads
        else:
            self._check.update(self.defs)
        return self._check

    def adopt_check(self, check: ThresholdCheck, leads: LeadData, generation: int) -> bool:
        """Keep leads loaded and a check built elsewhere (the step builds big ones in the
        background) if the data set has not changed since (`generation`); True if kept."""
        if generation != self.leads_generation:
            return False
        if self._leads is _NOT_LOADED:
            self._leads = leads
        self._check, self._check_leads = check, self._leads
        check.update(self.defs)
        return True

    @property
    def check_ready(self) -> bool:
        """Whether `threshold_check()` returns at once (no data set to load and score)."""
        return self._check is not None and self._check_leads is self._leads

    # -- sign-off ----------------------------------------------------------------
    def switch_revision(self, revision_id: int) -> None:
        """Show another revision of the file (an earlier one opens read-only)."""
        self.revision = self.file.revision(revision_id)
        self.latest_id = self.file.revisions()[-1].id
        self.defs = self.file.load_definitions(revision_id)
        self._leads, self._check, self._check_leads = _NOT_LOADED, None, None
        self.leads_generation += 1
        self._notify("revision")

    def signature_status(self) -> list[SignatureStatus]:
        # What the definitions hash to now: for a signed revision whose stored definitions were
        # changed outside Accord, no signature matches any more.
        current = self.content_hash()
        by_name = {s.signer.casefold(): s for s in self.file.signatures(self.revision.id)}
        out = []
        for p in self.defs.signers():
            sig = by_name.get(p.name.strip().casefold())
            out.append(SignatureStatus(p.name, p.role, sig, sig is not None and sig.content_hash == current))
        return out

    def sign(self, signer: str, statement: str = "", when: dt.datetime | None = None) -> bool:
        """Record `signer`'s signature of the current definitions. Returns True when this
        was the last signature needed and the revision is now locked."""
        if self.locked:
            raise RevisionLocked(
                f"Revision \u201c{self.revision.label}\u201d is already signed by everyone and locked."
            )
        if self.file.read_only:
            raise RevisionLocked(self.why_read_only())
        signers = {p.name.strip().casefold(): p for p in self.defs.signers()}
        person = signers.get(signer.strip().casefold())
        if person is None:
            names = ", ".join(p.name for p in self.defs.signers()) or "nobody is marked as a signer yet"
            raise ValueError(f"{signer!r} is not a signer of this revision (signers: {names}).")
        when = when or now_utc()
        digest = self.content_hash()
        self.file.add_signature(
            self.revision.id, SignatureInfo(person.name, person.role, when, statement.strip(), digest)
        )
        if all(s.current for s in self.signature_status()):
            self.file.lock_revision(self.revision.id, digest, when)
            self.revision = self.file.revision(self.revision.id)
            self._notify("locked")
            return True
        self._notify("signed")
        return False

    def start_next_revision(self, label: str) -> None:
        """Copy the latest revision (signed or not) into a new draft and switch to it."""
        if self.file.read_only:
            raise RevisionLocked(self.why_read_only())
        label = label.strip()
        if not label:
            raise ValueError("a revision needs a label, e.g. 2027-Q1")
        if any(r.label == label for r in self.file.revisions()):
            raise ValueError(f"a revision labelled {label!r} exists already")
        base = self.latest_id
        defs = (self.defs if self.is_latest else self.file.load_definitions(base)).copy_deep()
        if defs.team.period.strip() == self.file.revision(base).label:
            defs.team.period = label  # the period named after the revision moves on with it
        new_id = self.file.add_revision(label, defs, based_on=base, copy_leads_from=base)
        if not self.is_latest:  # the leads loaded are an earlier revision's
            self._leads, self._check, self._check_leads = _NOT_LOADED, None, None
        self.revision = self.file.revision(new_id)
        self.latest_id = new_id
        self.defs = self.file.load_definitions(new_id)
        self.leads_generation += 1
        # The draft starts with the same leads: keep those already loaded, if any.
        self._notify("revision")

    def revision_block(self) -> RevisionBlock:
        statuses = {s.signer: s for s in self.signature_status()}
        sigs = []
        for sig in self.file.signatures(self.revision.id):
            st = statuses.get(sig.signer)
            sigs.append(
                SignatureBlock(
                    signer=sig.signer,
                    role=sig.role,
                    signed_at=sig.signed_at.isoformat(),
                    statement=sig.statement,
                    content_hash=sig.content_hash,
                    valid=bool(st and st.current),
                )
            )
        r = self.revision
        return RevisionBlock(
            label=r.label,
            status="signed" if r.locked else "draft",
            created_at=r.created_at.isoformat(),
            signed_at=r.signed_at.isoformat() if r.signed_at else None,
            content_hash=r.content_hash if r.locked else self.content_hash(),
            signatures=sigs,
            signature_matches=self.signature_matches,
        )

    def _threshold_readiness(self, build_check: bool) -> ReadinessItem:
        title = "Threshold checked against data"
        if self.leads_info() is None:
            return ReadinessItem(title, False, "no historical leads yet: import them on the Historical leads step")
        if not build_check and not self.check_ready:
            return ReadinessItem(title, False, "checking the threshold against the leads\u2026")
        check = self.threshold_check()
        assert check is not None
        f = check.figures()
        from models.check import fmt_pct

        t = f"{f.threshold:g}"
        if f.rate is None:
            return ReadinessItem(title, False, f"no lead reaches the threshold of {t} points")
        rate = f"{fmt_pct(f.rate)} opportunity rate (target {fmt_pct(f.target_rate)})"
        if f.weekly_volume is None:
            return ReadinessItem(
                title,
                False,
                f"at {t} points: {rate}; leads per week unknown: enter the weeks "
                "the history covers on the Threshold check step",
            )
        volume = f"{f.weekly_volume:,.0f} leads a week (capacity {f.capacity:,})"
        problems = ([] if f.rate_ok else ["rate below target"]) + ([] if f.volume_ok else ["over capacity"])
        return ReadinessItem(
            title,
            not problems,
            f"at {t} points: {rate}, {volume}" + (f" \u2014 {' and '.join(problems)}" if problems else ""),
        )

    def readiness(self, build_check: bool = True) -> list[ReadinessItem]:
        """The sign-off checklist the room goes through before signing. `build_check` False:
        do not load and score the leads here if the threshold check is not built yet."""
        d = self.defs
        not_agreed = [s.name for s in d.stages if not s.agreed]
        disputed = [t.term for t in d.terms if t.status.value == "disputed"]
        problems = check_definitions(d)
        signers = d.signers()
        return [
            ReadinessItem(
                "Every funnel stage agreed",
                bool(d.stages) and not not_agreed,
                "no stages yet"
                if not d.stages
                else ("all agreed" if not not_agreed else "not yet agreed: " + ", ".join(not_agreed)),
            ),
            ReadinessItem(
                "No disputed term",
                not disputed,
                "none disputed" if not disputed else "disputed: " + ", ".join(disputed),
            ),
            ReadinessItem(
                "Scoring model complete",
                bool(d.rules) and not problems,
                "no rules yet"
                if not d.rules
                else (
                    f"{len(d.rules)} rules, threshold {d.scoring.threshold:g}"
                    if not problems
                    else f"{_count(len(problems), 'problem')}, first: {problems[0]}"
                ),
            ),
            self._threshold_readiness(build_check),
            ReadinessItem(
                "At least one signer",
                bool(signers),
                _count(len(signers), "signer") if signers else "mark the signers on Team and targets",
            ),
        ]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


__all__ = ["Document", "RevisionLocked", "SignatureStatus", "ReadinessItem", "WorkshopFileError"]
