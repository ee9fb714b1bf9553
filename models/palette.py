"""Accord's colours: one palette for the screen, the style sheet, the PDF and the workbook.

Each colour has one meaning everywhere, so "red" on the wall, in the PDF and in Excel is the
same verdict. Values are "#rrggbb"; `xlsx(colour)` spells one the way openpyxl wants it.
"""

from __future__ import annotations

# Text and lines.
INK = "#1f2a3a"  # text, figures, the threshold line
INK_SOFT = "#4a5566"  # secondary text: captions, hints, the status bar
MUTED = "#6b7686"  # tertiary text, axes, figures resting on too few leads
FAINT = "#7a8594"  # the recommended threshold drawn faintly, missing values
LINE = "#d5dbe3"  # borders and rules
GRID = "#e3e8ee"  # chart grid lines
PAPER = "#ffffff"
HEADER = "#e8edf3"  # table header background; also the step list's text
ZEBRA = "#f6f8fa"  # alternate table rows
WINDOW = "#f6f7f9"  # the window behind the pages
SELECTION = "#cfe3ff"  # selected table rows

# Verdicts: one green, one red, one amber.
GOOD = "#1b7f3b"  # meets its target; became an opportunity; positive points; goes to sales
BAD = "#c0392b"  # misses its target; negative points; stays with marketing
WARN = "#9a5b00"  # a rule that cannot be scored; a figure to look at again
GOOD_FILL = "#e3f4e8"
BAD_FILL = "#fbe4e2"
WARN_FILL = "#fff0d0"
BAD_INK, BAD_LINE = "#7a1c17", "#e59a95"  # text and border on the red fill (a notice)
WARN_INK, WARN_LINE = "#5c4500", "#e8c66a"  # text and border on the amber fill (a banner)

# Series and accents.
ACCENT = "#1f5fa8"  # the opportunity rate; the main action of a step; a changed item
ACCENT_DARK = "#174a85"  # the main action's border
HIGHLIGHT = "#4da3ff"  # the current step, a figure with no target, a dragged line
COVERAGE = "#d9822b"
VOLUME = "#6a3d9a"
LOST = "#9aa5b1"  # leads that did not become opportunities; below every band
FIT = "#2a5d9f"  # fit rules
BEHAVIOUR = "#7a4aa0"  # behaviour rules
TEAL = "#2e7d6b"  # what the workbook computes (its output columns and sheets)
INPUT = "#fff6d5"  # cells the reader may type in (the workbook's inputs)
HIGHLIGHT_FILL = "#ffe9a8"  # the agreed threshold's row
NAVY = "#2f3f57"  # the selected step, a pressed toggle
NAVY_SOFT = "#27354a"  # a step under the mouse

# Score bands: the colours offered for new bands, in order (cold, warm, hot, ...).
BAND_COLOURS = ("#6b8fb3", "#f0a030", "#d9483b", "#3d9a5b", "#8a5cb8", "#5a6b7d")
COLD, WARM, HOT = BAND_COLOURS[:3]


def xlsx(colour: str) -> str:
    """`colour` ("#rrggbb") as a spreadsheet colour ("RRGGBB")."""
    return colour.lstrip("#").upper()


def mixed(colour: str, amount: float, other: str = PAPER) -> str:
    """`colour` mixed with `other` (amount 0: the colour, 1: the other), as "#rrggbb"."""
    a = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    b = [int(other[k : k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))
