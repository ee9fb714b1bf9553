"""What a command reports when it cannot do its job: one line, naming what is wrong."""

from __future__ import annotations

from pathlib import Path


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


def read_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is fine), or one line saying why not."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot be read as UTF-8 text ({exc})") from None
