"""The error of the workshop file: whatever goes wrong opening, checking, migrating or saving
one is raised as a `WorkshopFileError` whose message is one sentence for the user."""


class WorkshopFileError(Exception):
    """A workshop file could not be opened or written; the message is for the user."""
