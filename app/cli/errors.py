"""What a command reports when it cannot do its job: one line, naming what is wrong."""

from __future__ import annotations

from pathlib import Path

# The JSON documents a command reads (definitions, a mapping) are never larger than this: the
# definitions document's own limit (models.definitions_json.MAX_DOCUMENT_BYTES, checked by a
# test; not imported here, so that `accord` starts the window without loading the domain).
MAX_TEXT_BYTES = 8 * 1024 * 1024


class CliError(Exception):
    """A command cannot go on; the message is the line printed (after "accord: ")."""


def one_line(text: str) -> str:
    """A message on one line: an error printed by the command line is one line per problem."""
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def error_line(text: str) -> str:
    """The line printed for an error: "accord: " and the message, on one line, whatever
    characters of a user's file it quotes shown as escapes (`app.cli.terminal`)."""
    from app.cli.terminal import shown

    return f"accord: {shown(one_line(text))}"


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """A UTF-8 text file (a BOM is fine) of at most `limit` bytes, read no further than that
    (a file of gigabytes is refused without being loaded), or one line saying why not."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc})") from None
    if len(data) > limit:
        raise CliError(f"{path}: larger than {limit:,} bytes, the most Accord reads of such a file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
