"""Paragraphs of the PDF definitions document that lay out in linear time, however long their
text (reportlab platypus, no Qt).

reportlab breaks a paragraph into lines every time it is wrapped, and it wraps often: each
table that splits across pages measures every cell of the rows left again, each paragraph
split at the foot of a page leaves a new paragraph with all the rest, broken into lines again
on the next page, and the whole layout is done at least twice (for "page n of N"). A text
of n pages was therefore broken into lines about n times: a 100,000-character organisation
name took minutes. So:

    Para        a paragraph that keeps its lines for the width it was last wrapped at
    pieces(p)   a long paragraph as consecutive paragraphs of at most PIECE characters,
                cut at a line break where there is one, else after a sentence or between
                words, else inside a long word; short paragraphs are left whole

A page then breaks only the piece it ends in into lines again, and the rest is measured from
what each piece keeps. A piece ends its last line early where it is not cut at a line break:
the look of a new line in the middle of a text of thousands of characters, the price of a
layout in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph

PIECE = 2000  # characters of text per piece of a long paragraph
_NO_ROOM = 0x7FFFFFFF  # the height reportlab's Paragraph.wrap gives when the width is too small


class Para(Paragraph):
    """A Paragraph that is broken into lines once per width: wrapped again at the width it
    was last wrapped at (as tables and the layout's passes do), it answers from its lines."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # blPara (the lines) goes when a split finds no room: then the lines are broken again.
        if availWidth == self._wrapped_at and hasattr(self, "blPara"):
            self.width = availWidth
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth if height != _NO_ROOM else None
        return width, height


def text_length(paragraph: Paragraph) -> int:
    """How many characters of text a paragraph holds (its markup left out)."""
    return sum(len(str(getattr(frag, "text", ""))) for frag in paragraph.frags)


def _cut(text: str, most: int) -> int:
    """Where to cut `text` (longer than `most`) so that its first part has at most `most`
    characters: after a sentence, else at a space, in the second half of that room; else at
    `most`, inside a word. The rest starts after the spaces at the cut."""
    half = most // 2
    end = text.rfind(". ", half, most + 1)
    if end >= 0:
        return end + 1
    end = text.rfind(" ", half, most + 1)
    return end if end > 0 else most


def _groups(frags: Sequence[Any], most: int) -> list[list[Any]]:
    """The fragments of a paragraph's text as groups of at most `most` characters each, cut at
    a line break once a group is half full, else inside a fragment where `_cut` says."""
    groups: list[list[Any]] = [[]]
    size = 0
    for frag in frags:
        if getattr(frag, "lineBreak", False) and size >= most // 2:
            groups.append([])  # the line break ends the piece: the break itself is the cut
            size = 0
            continue
        text = str(getattr(frag, "text", ""))
        if size + len(text) <= most:
            groups[-1].append(frag)
            size += len(text)
            continue
        while size + len(text) > most:
            room = most - size
            k = _cut(text, room) if room > 1 else 0
            if k:
                groups[-1].append(frag.clone(text=text[:k]))
            groups.append([])
            size = 0
            text = text[k:].lstrip(" ")
        if text:
            groups[-1].append(frag.clone(text=text))
            size += len(text)
    return [g for g in groups if g]


def pieces(paragraph: Paragraph, most: int = PIECE) -> list[Paragraph]:
    """`paragraph` as consecutive paragraphs of at most `most` characters of text (itself when
    it is no longer), in its style: the space before the first and after the last, none between."""
    if text_length(paragraph) <= most:
        return [paragraph]
    groups = _groups(paragraph.frags, most)
    if len(groups) <= 1:
        return [paragraph]
    style = paragraph.style
    first = ParagraphStyle(f"{style.name}-first", parent=style, spaceAfter=0, keepWithNext=0)
    middle = ParagraphStyle(f"{style.name}-more", parent=first, spaceBefore=0, firstLineIndent=0)
    last = ParagraphStyle(f"{style.name}-last", parent=style, spaceBefore=0, firstLineIndent=0)
    styles = [first] + [middle] * (len(groups) - 2) + [last]
    return [Para("", s, frags=g) for s, g in zip(styles, groups, strict=True)]  # (the text is in the fragments)


Cell = Flowable | list[Flowable]  # what a table cell holds: a flowable, or flowables one under another


def cell_value(value: Flowable) -> Cell:
    """A table cell's flowable, a long paragraph as a list of pieces (a table splits a row
    between the flowables of its cells)."""
    if isinstance(value, Paragraph):
        parts = pieces(value)
        if len(parts) > 1:
            return list(parts)
    return value
