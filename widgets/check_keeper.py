"""The one live threshold check of an open workshop: built when the revision's leads change,
kept in step with every edit, and announced with typed signals (the pages only show it).

    keeper = session.check
    keeper.state                    NO_LEADS, BUILDING, READY or STOPPED (failed or cancelled)
    keeper.check                    the ThresholdCheck when READY, else None
    keeper.report(threshold=None)   a frozen CheckReport of it (for exports and other threads)

Up to `SYNC_ROWS` leads the check is built at once, on the GUI thread (a few tens of
milliseconds); a bigger data set is loaded, scored and swept by a task on a pool thread,
with progress and Cancel. The domain does the work (`models.check_build`); this object owns
its life cycle: which data set the check belongs to, whether a background result still
applies when it arrives, and who is told.

Signals:
    building(rows)              scoring `rows` leads started in the background
    progressed(fraction, text)  how far it is
    changed()                   the check, or its absence, changed: built, rebuilt, re-scored
                                after an edit, or no leads any more; read `state` and `check`
    stopped(message)            building failed or was cancelled (state STOPPED); `reload()`
                                tries again
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from models.check import ThresholdCheck
from models.check_build import build_check, load_check, sync
from models.check_report import CheckReport
from models.leads.types import LeadFileError
from models.store import WorkshopFileError
from widgets.tasks import Task, failure_message

if TYPE_CHECKING:
    from models.leads.types import LeadData, Progress
    from widgets.session import WorkshopSession

# Up to this many leads the check is built at once; above, in the background with progress.
SYNC_ROWS = 150_000


class CheckState(Enum):
    NO_LEADS = "no leads"
    BUILDING = "building"
    READY = "ready"
    STOPPED = "stopped"


class CheckKeeper(QObject):
    building = Signal(int)
    progressed = Signal(float, str)
    changed = Signal()
    stopped = Signal(str)

    def __init__(self, session: WorkshopSession) -> None:
        super().__init__(session)
        self.session = session
        self.state = CheckState.NO_LEADS
        self._check: ThresholdCheck | None = None
        self.rows = 0
        self.message = ""
        self.task: Task | None = None
        # Bumped by every reload: a background result built for an earlier data set is dropped.
        self._generation = 0

    @property
    def check(self) -> ThresholdCheck | None:
        """The live check when READY (brought up to the definitions), else None."""
        return self._check if self.state == CheckState.READY else None

    def report(self, threshold: float | None = None) -> CheckReport | None:
        """A frozen report of the check as it is now (None unless READY)."""
        check = self.check
        return None if check is None else CheckReport.of(check, threshold)

    # -- the data set ------------------------------------------------------------------
    def reload(self, leads: LeadData | None = None) -> None:
        """(Re)build the check for the revision's current leads: `leads` when the caller has
        them in memory (just imported), else from the file."""
        self.cancel()
        self._generation += 1
        self._check = None
        document = self.session.document
        try:
            info = document.leads_info()
            if info is None:
                self._set(CheckState.NO_LEADS)
                self.changed.emit()
                return
            self.rows = info.rows
            if info.rows <= SYNC_ROWS:
                defs = document.defs
                built = (
                    build_check(leads, defs)
                    if leads is not None
                    else load_check(document.file, document.revision.id, defs)
                )
                self.adopt(built)
                return
        except (WorkshopFileError, LeadFileError, OSError) as exc:
            # A damaged data set must not keep the workshop from opening: the definitions are
            # all there; the Threshold check step says what is wrong with the leads.
            self._stop(self._generation, f"The leads could not be read: {failure_message(exc)}")
            return
        self._build_in_background(leads)

    def _build_in_background(self, leads: LeadData | None) -> None:
        document = self.session.document
        file, revision_id = document.file, document.revision.id
        defs = document.defs.copy_deep()  # the worker scores this copy; edits meanwhile are synced after
        generation = self._generation

        def work(progress: Progress) -> tuple[int, ThresholdCheck | None]:
            if leads is not None:
                return generation, build_check(leads, defs, progress)
            return generation, load_check(file, revision_id, defs, progress)

        self._set(CheckState.BUILDING)
        task = Task(work, self)
        task.progressed.connect(self.progressed)
        task.finished.connect(self._on_built)
        task.failed.connect(lambda message: self._stop(generation, f"The leads could not be scored: {message}"))
        task.cancelled.connect(
            lambda: self._stop(
                generation, "Cancelled. Nothing was changed; the threshold check needs the leads scored."
            )
        )
        self.task = task
        task.start()
        self.building.emit(self.rows)

    def cancel(self) -> None:
        """Stop a background build at its next check (`stopped` follows)."""
        if self.task is not None and self.task.running:
            self.task.cancel()

    def _on_built(self, result: tuple[int, ThresholdCheck | None]) -> None:
        generation, built = result
        if generation != self._generation:
            return  # built for a data set that has since been replaced: a newer build is on its way
        self.task = None
        self.adopt(built)

    def adopt(self, built: ThresholdCheck | None) -> None:
        """Keep `built` as the check (brought up to the definitions), or none. The keeper's
        own builds end here; a benchmark hands over a check of generated leads the same way."""
        if built is None:
            self._set(CheckState.NO_LEADS)
        else:
            sync(built, self.session.document.defs)  # edits made while it was being built
            self._check = built
            self._set(CheckState.READY)
        self.changed.emit()

    def _stop(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return  # an earlier build, cancelled because the data set changed
        self.task = None
        self._set(CheckState.STOPPED, message)
        self.stopped.emit(message)

    def _set(self, state: CheckState, message: str = "") -> None:
        self.state, self.message = state, message

    # -- keeping up ----------------------------------------------------------------------
    def follow(self) -> None:
        """After an edit of the definitions: re-score the rules that changed, and tell the
        pages (a threshold or target edit moves no score, but their figures change too)."""
        if self.state != CheckState.READY or self._check is None:
            return
        sync(self._check, self.session.document.defs)
        self.changed.emit()
