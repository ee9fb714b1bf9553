"""Text as the PDF definitions document prints it (no Qt): plain text turned into
paragraph markup in the document's font, and the way it writes moments, days, numbers,
sizes, money, hours and counts.

    t = Text(fonts)
    t("Score ≥ 40 & co")            'Score ≥ 40 &amp; co' (or 'Score &gt;= 40 ...' in Helvetica)
    fmt_when("2026-11-24T18:15Z")   '24 November 2026, 18:15 UTC'
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from export.pdf_fonts import Fonts

_MEASURED = 64  # characters measured at once while looking for where a text stops fitting


class Text:
    """Markup from plain text, printable in the document's font."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts

    def __call__(self, text: object) -> str:
        """Plain text as paragraph markup: escaped, line breaks kept."""
        value = "" if text is None else str(text)
        return escape(self.fonts.txt(value)).replace("\r\n", "\n").replace("\n", "<br/>")

    def coloured(self, text: str, colour: str, bold: bool = True) -> str:
        inner = f"<b>{self(text)}</b>" if bold else self(text)
        return f'<font color="{colour}">{inner}</font>'


def fitting_prefix(text: str, font: str, size: float, room: float) -> int:
    """How many characters of `text`, from its start, fit in `room` points. A string is as
    wide as the sum of its characters (reportlab applies no kerning when it measures), so the
    text is measured a slice at a time and only up to where it stops fitting: the cost is that
    of the part that fits, however long the text."""
    used = 0.0
    start = 0
    while start < len(text):
        piece = text[start : start + _MEASURED]
        width = pdfmetrics.stringWidth(piece, font, size)
        if used + width > room:
            for char in piece:
                used += pdfmetrics.stringWidth(char, font, size)
                if used > room:
                    break
                start += 1
            return start
        used += width
        start += len(piece)
    return len(text)


def fmt_when(value: str | dt.datetime | None) -> str:
    """A moment as the document shows it: 24 November 2026, 18:15 UTC."""
    if value is None or value == "":
        return "\u2014"
    if isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        moment = value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def fmt_day(value: dt.date | dt.datetime | str | None) -> str:
    """A day as the document shows it: 24 November 2026 (a moment's day in UTC)."""
    if value is None or value == "":
        return "\u2014"
    if isinstance(value, str):
        try:
            day: dt.date = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    else:
        day = value
    if isinstance(day, dt.datetime) and day.tzinfo is not None:
        day = day.astimezone(dt.UTC)
    return f"{day.day} {day:%B %Y}"


def fmt_size(n: int) -> str:
    for limit, unit in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "kB")):
        if n >= limit:
            return f"{n / limit:,.1f} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"


def fmt_hours(hours: float | None) -> str:
    if hours is None:
        return "\u2014"
    text = f"{hours:g} h"
    if hours >= 48 and hours % 24 == 0:
        text += f" ({hours / 24:g} days)"
    return text


def fmt_count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"
