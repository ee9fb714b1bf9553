"""What the command line prints, made safe for a terminal.

A lead file, a definitions document or a workshop can hold any character, and a terminal
obeys some of them: ESC begins a sequence that can recolour the screen, move the cursor,
retitle the window or rewrite what was printed; a carriage return or a backspace overwrites
the line; a bidirectional override turns the text around. Every line a command prints goes
through `shown`, which writes each such character as an escape the reader can see (`\\x1b`,
`\\r`, `\\u202e`) and changes nothing else. JSON printed for a program gets the same
characters as JSON escapes (`\\u001b`), which read back as the same text.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

# C0 and C1 controls and DEL, the line and paragraph separators, and the bidirectional
# marks, embeddings, overrides and isolates.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE_RE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_JSON_UNSAFE_RE = re.compile(f"[{_BEYOND_C0}]")  # json.dumps escapes C0 itself
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """`text` with every control character written as a visible escape."""
    return _UNSAFE_RE.sub(_escape, text)


def say(text: str = "", err: bool = False) -> None:
    """Print `text` (a line, or lines of the command's own separated by line breaks) on
    standard output, or standard error with `err`, every character a terminal would obey
    written as an escape."""
    print("\n".join(shown(line) for line in text.split("\n")), file=sys.stderr if err else sys.stdout)


def json_shown(text: str) -> str:
    """JSON text with the characters `json.dumps(ensure_ascii=False)` leaves as they are (DEL,
    C1 controls, separators, bidirectional marks) written as `\\uXXXX`: the same JSON."""
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say_json(data: Any) -> None:
    """Print `data` as indented JSON on standard output."""
    print(json_shown(json.dumps(data, ensure_ascii=False, indent=2)))


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
