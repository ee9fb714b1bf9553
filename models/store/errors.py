"""The errors of the workshop file: whatever goes wrong opening, checking, migrating or saving
one is raised as a `WorkshopFileError` whose message is one sentence for the user.

Some kinds have a class of their own, so that the app can tell them apart and act on them
(reload the file, say who holds it) without reading the message:

  WorkshopInUse           another window or program holds the file's write lock
  WorkshopDamaged         the file cannot be read as a workshop: a table, a value or the
                          stored leads are missing or unreadable
  WorkshopMovedOrChanged  a write was refused because the file is no longer as this writer
                          last read or wrote it, one of:
    WorkshopGone            its path leads nowhere: it was moved, renamed or deleted
    WorkshopReplaced        its path leads to another file
    WorkshopChanged         another program wrote to it
"""


class WorkshopFileError(Exception):
    """A workshop file could not be opened or written; the message is for the user."""


class WorkshopInUse(WorkshopFileError):
    """Another window or program holds the file's write lock; `holder` says who, as the
    lock's sidecar records it ("user on host since ...")."""

    def __init__(self, message: str, holder: str) -> None:
        super().__init__(message)
        self.holder = holder


class WorkshopDamaged(WorkshopFileError):
    """The file is an Accord workshop, but something in it cannot be read."""


class WorkshopMovedOrChanged(WorkshopFileError):
    """A write was refused: the file is not as this writer last read or wrote it. Nothing was
    written; what the window shows is older than the file (or the file is elsewhere)."""


class WorkshopGone(WorkshopMovedOrChanged):
    """The file's path leads nowhere any more: it was moved, renamed or deleted."""


class WorkshopReplaced(WorkshopMovedOrChanged):
    """The file's path leads to another file than the one opened."""


class WorkshopChanged(WorkshopMovedOrChanged):
    """Another program wrote to the file since this writer last read or wrote it."""
