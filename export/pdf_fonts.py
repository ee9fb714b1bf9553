"""The fonts of the PDF definitions document, registered with reportlab (no Qt).

DejaVu Sans (regular, bold, oblique, mono) is embedded when the system has it, so ≥, −, ×,
“ ” and names like Zürich or São Paulo print as they are; without it the document falls back
to the PDF standard Helvetica family, which prints Windows-1252 only, and `Fonts.txt` spells
the other characters the app's wording uses in ASCII.

    fonts = find_fonts()          the first folder of FONT_DIRS holding DejaVu Sans, once
    fonts.txt("Score ≥ 40")       "Score ≥ 40", or "Score >= 40" in Helvetica
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Where DejaVu Sans may be installed; the first folder holding DejaVuSans.ttf wins.
FONT_DIRS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/dejavu",
    "/opt/homebrew/share/fonts",
    "/Library/Fonts",
    os.path.expanduser("~/Library/Fonts"),
    os.path.expanduser("~/.local/share/fonts"),
    os.path.join(os.environ.get("WINDIR", "C:\\Windows"), "Fonts"),
)


@dataclass(frozen=True)
class Fonts:
    """The faces the document prints in (reportlab font names)."""

    regular: str
    bold: str
    italic: str
    mono: str
    unicode: bool  # False: the PDF standard fonts, which print only Windows-1252

    def txt(self, text: str) -> str:
        """`text` as this font can print it."""
        return text if self.unicode else plain(text)


# The PDF standard fonts print Windows-1252 only: the characters the app's wording uses
# outside it, spelled in ASCII.
_ASCII = str.maketrans(
    {
        "\u2265": ">=",
        "\u2264": "<=",
        "\u2212": "-",
        "\u2192": "->",
        "\u2190": "<-",
        "\u2082": "2",
        "\u25b8": ">",
        "\u25a0": "#",
        "\u2713": "yes",
        "\u2717": "no",
        "\u2009": " ",
        "\u202f": " ",
        "\u2248": "~",
        "\u2260": "!=",
    }
)


def plain(text: str) -> str:
    text = text.translate(_ASCII)
    return text.encode("cp1252", errors="replace").decode("cp1252")


_FONTS: dict[tuple[str, ...], Fonts] = {}
_FONTS_LOCK = threading.Lock()  # a preview and an export may be written at the same time


def find_fonts(dirs: Sequence[str] | None = None) -> Fonts:
    """DejaVu Sans (regular, bold, oblique, mono) registered with reportlab, from the first
    of `dirs` that has it; the standard Helvetica family when none has."""
    dirs = tuple(FONT_DIRS if dirs is None else dirs)
    with _FONTS_LOCK:
        if dirs not in _FONTS:
            _FONTS[dirs] = _register_fonts(dirs)
        return _FONTS[dirs]


def _register_fonts(dirs: tuple[str, ...]) -> Fonts:
    fonts = Fonts("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Courier", unicode=False)
    names = {
        "AccordSans": "DejaVuSans.ttf",
        "AccordSans-Bold": "DejaVuSans-Bold.ttf",
        "AccordSans-Italic": "DejaVuSans-Oblique.ttf",
        "AccordSans-BoldItalic": "DejaVuSans-BoldOblique.ttf",
        "AccordMono": "DejaVuSansMono.ttf",
    }
    for folder in dirs:
        base = Path(folder)
        if not (base / "DejaVuSans.ttf").is_file() or not (base / "DejaVuSans-Bold.ttf").is_file():
            continue
        try:
            for name, file in names.items():
                if name in pdfmetrics.getRegisteredFontNames():
                    continue
                path = base / file
                if not path.is_file():  # a variant missing: fall back to the regular face
                    path = base / ("DejaVuSans-Bold.ttf" if "Bold" in name else "DejaVuSans.ttf")
                pdfmetrics.registerFont(TTFont(name, str(path)))
            pdfmetrics.registerFontFamily(
                "AccordSans",
                normal="AccordSans",
                bold="AccordSans-Bold",
                italic="AccordSans-Italic",
                boldItalic="AccordSans-BoldItalic",
            )
        except Exception:  # noqa: BLE001 - an unreadable font file: try the next folder
            continue
        fonts = Fonts("AccordSans", "AccordSans-Bold", "AccordSans-Italic", "AccordMono", unicode=True)
        break
    return fonts
