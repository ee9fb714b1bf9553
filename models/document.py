"""An open workshop: the revision being edited, its edits, sign-off and locking.

`Document` keeps the revision's `Definitions` in memory and writes every edit to the file
at once, in one transaction (autosave). If writing fails the edit is reverted in memory too,
so what is shown is always what is in the file. Listeners are told what happened as typed
events (`Edited`, `LeadsReplaced`, `RevisionSwitched`, `Signed`); the Qt layer turns them
into signals.

The document keeps no threshold check: `build_check()` makes a new one of the revision's
leads (for the command line and tests), and the app's check keeper owns the live one.

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
from typing import TYPE_CHECKING

from models.definitions import Definitions, now_utc
from models.definitions_json import RevisionBlock, SignatureBlock, content_hash
from models.edits import Edit, ReplaceAll, SetField
from models.leads.info import LeadsInfo
from models.store import RevisionInfo, SignatureInfo, WorkshopFile, WorkshopFileError

if TYPE_CHECKING:
    from models.check import ThresholdCheck
    from models.compare import Change
    from models.leads.types import LeadData, Progress


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
class Edited:
    """An edit of the definitions was applied and saved (also when undone or redone)."""

    edit: Edit


@dataclass(frozen=True)
class LeadsReplaced:
    """The revision's lead data set was replaced by `data` (saved)."""

    data: LeadData


@dataclass(frozen=True)
class RevisionSwitched:
    """Another revision is shown (an earlier one, or a new draft just started)."""


@dataclass(frozen=True)
class Signed:
    """A signature was recorded; `locked` when it was the last one needed."""

    locked: bool


DocumentEvent = Edited | LeadsReplaced | RevisionSwitched | Signed
Listener = Callable[[DocumentEvent], None]


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
        self.leads_generation = 0  # changes whenever the revision's data set may have changed
        self._leads_info: LeadsInfo | None = None
        self._leads_info_key: tuple[int, int] | None = None

    # -- opening -----------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | str, read_only: bool = False) -> Document:
        return cls(WorkshopFile.open(path, read_only=read_only))

    @classmethod
    def create(
        cls,
        path: Path | str,
        defs: Definitions,
        label: str = "Draft 1",
        force: bool = False,
        leads: LeadData | None = None,
    ) -> Document:
        """A new workshop file, written whole (with `leads` as its lead data set) before it
        takes its name. `force` replaces an existing file, but never one another window
        holds (`WorkshopInUse`)."""
        return cls(WorkshopFile.create(path, defs, label=label, force=force, leads=leads))

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
        if self.file.read_only_reason:
            return self.file.read_only_reason
        if self.file.read_only:
            return f"{self.path.name} is open read-only."
        return ""

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _notify(self, event: DocumentEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

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
        self._notify(Edited(edit))

    def replace_definitions(self, new: Definitions, text: str = "Import definitions") -> ReplaceAll:
        edit = ReplaceAll(self.defs.model_dump(mode="json"), new.model_dump(mode="json"), text)
        self.apply(edit)
        return edit

    def content_hash(self) -> str:
        return content_hash(self.defs)

    # -- historical leads --------------------------------------------------------
    def leads_info(self) -> LeadsInfo | None:
        """Provenance, quality and mapping of the revision's leads, without loading them (read
        from the file once per data set: pages ask on every edit)."""
        key = (self.revision.id, self.leads_generation)
        if self._leads_info_key != key:
            self._leads_info, self._leads_info_key = self.file.leads_info(self.revision.id), key
        return self._leads_info

    def load_leads(self) -> LeadData | None:
        """The revision's lead data set, read from the file (None without one). Not kept:
        the threshold check keeps what it needs of it."""
        return self.file.load_leads(self.revision.id)

    def replace_leads(self, data: LeadData) -> None:
        """Store `data` as this revision's leads, replacing the earlier data set, in one
        transaction; refused like an edit when the revision is locked or the file read-only."""
        if self.read_only:
            raise RevisionLocked(self.why_read_only())
        self.file.save_leads(self.revision.id, data)
        self.leads_generation += 1
        self._notify(LeadsReplaced(data))

    def build_check(self, progress: Progress | None = None) -> ThresholdCheck | None:
        """A new threshold check of this revision's leads under its definitions (None without
        leads), loaded from the file and scored here. The document keeps none."""
        from models.check_build import load_check

        return load_check(self.file, self.revision.id, self.defs, progress)

    def reload(self) -> list[Change]:
        """Read the file again after another program changed it (a write refused with
        `WorkshopChanged`): the shown revision (the latest, if it was removed), its definitions
        and leads; and say what changed in the shown definitions. Saving works again after it."""
        from models.compare import compare

        before = self.defs
        self.file.mark_read()  # what is read next is what this writer last saw
        revisions = self.file.revisions()
        ids = [r.id for r in revisions]
        revision_id = self.revision.id if self.revision.id in ids else ids[-1]
        self.revision = self.file.revision(revision_id)
        self.latest_id = ids[-1]
        self.defs = self.file.load_definitions(revision_id)
        self.leads_generation += 1
        self._notify(RevisionSwitched())
        return compare(before, self.defs)

    # -- sign-off ----------------------------------------------------------------
    def switch_revision(self, revision_id: int) -> None:
        """Show another revision of the file (an earlier one opens read-only)."""
        self.revision = self.file.revision(revision_id)
        self.latest_id = self.file.revisions()[-1].id
        self.defs = self.file.load_definitions(revision_id)
        self.leads_generation += 1
        self._notify(RevisionSwitched())

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
        # The last signature needed locks the revision, in the same transaction: every signer
        # holds a signature of these definitions once this one is added (matched by name as
        # `signature_status` matches them).
        key = person.name.casefold()
        last = all(st.current or st.signer.strip().casefold() == key for st in self.signature_status())
        self.file.add_signature(
            self.revision.id, SignatureInfo(person.name, person.role, when, statement.strip(), digest), lock=last
        )
        self.revision = self.file.revision(self.revision.id)
        self._notify(Signed(locked=last))
        return last

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
        self.revision = self.file.revision(new_id)
        self.latest_id = new_id
        self.defs = self.file.load_definitions(new_id)
        self.leads_generation += 1
        self._notify(RevisionSwitched())

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


__all__ = [
    "Document",
    "DocumentEvent",
    "Edited",
    "LeadsReplaced",
    "RevisionLocked",
    "RevisionSwitched",
    "SignatureStatus",
    "Signed",
    "WorkshopFileError",
]
