"""How Accord compares text, yes/no answers and field names: one definition for the scoring,
the import, the command line and (as formulas) the workbook (no Qt, no numpy).

    fold(text)              text as compared: trimmed, lower case (see below)
    answer(value)           a yes/no value's answer: True, False, or None (not an answer)
    answer_text(value)      an answer as shown and exported: "Yes" / "No"
    resolve_field(name, columns)   the column a rule's field names, trimmed and case-insensitively

**Case.** Two texts are the same when they are equal after trimming white space at both ends
(what Python's `str.strip()` removes) and mapping every character to its Unicode *simple*
lower-case mapping, one character at a time, with the final sigma ς read as σ. So `ÉCOLE`
equals `école`, `İSTANBUL` equals `istanbul` (İ maps to i), `ΟΔΟΣ` equals `οδοσ` and `οδος`;
but `STRAUSS` is not `Strauß` (ß has no simple lower-case mapping to "ss"), and the dotless ı
is not i. This is what a spreadsheet's LOWER() does character by character (the workbook adds
the two rules LOWER() does not agree on: İ → i and ς → σ), and what SQL's LOWER() does, so
the app, the command line and the workbook agree on every text.

**Yes/no.** In a yes/no column, and in a rule on one, true/yes/y/t/1/on/checked/x are one answer
and false/no/n/f/0/off/unchecked the other, whatever the case; anything else is not an answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

YES_WORDS: tuple[str, ...] = ("yes", "y", "true", "t", "1", "on", "checked", "x")
NO_WORDS: tuple[str, ...] = ("no", "n", "false", "f", "0", "off", "unchecked")
_ANSWERS: dict[str, bool] = {**{w: True for w in YES_WORDS}, **{w: False for w in NO_WORDS}}
YES_TEXT, NO_TEXT = "Yes", "No"


def fold(text: str) -> str:
    """`text` as compared: trimmed, each character lowered by its simple mapping, ς as σ.

    Python's `str.lower()` uses the full mappings, which differ from the simple ones in two
    places only: İ (lowered to "i" + a combining dot) and a final Σ (lowered to ς); both are
    put right here (a test compares this with the simple mapping of every character)."""
    text = text.strip()
    if text.isascii():
        return text.lower()
    return text.replace("\u0130", "i").lower().replace("\u03c2", "\u03c3")


def answer(value: Any) -> bool | None:
    """The yes/no answer `value` gives: a bool as it is, a number 1 or 0, or one of the yes/no
    words (folded); None for anything else (missing, "maybe", 2)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return True if value == 1 else False if value == 0 else None
    if isinstance(value, str):
        return _ANSWERS.get(fold(value))
    return None


def answer_text(value: bool) -> str:
    return YES_TEXT if value else NO_TEXT


def field_key(name: str) -> str:
    """How a field name is compared with a column's name: trimmed, case folded."""
    return fold(name)


def field_matches(name: str, columns: Iterable[str]) -> list[str]:
    """The columns `name` may mean: the column spelled exactly so (after trimming), else every
    column whose name folds to the same text (more than one: the name is ambiguous)."""
    columns = list(columns)
    wanted = name.strip()
    if wanted in columns:
        return [wanted]
    key = fold(wanted)
    return [c for c in columns if fold(c) == key] if key else []


def resolve_field(name: str, columns: Iterable[str]) -> str | None:
    """The one column `name` means (`field_matches`), or None: no such column, or several."""
    found = field_matches(name, columns)
    return found[0] if len(found) == 1 else None
