"""The style sheet, at normal size or enlarged for presentation mode (readable at the back
of a room), in the colours of `models.palette`."""

from __future__ import annotations

import re
from importlib import resources

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from models import palette

NORMAL_POINTS = 11
PRESENTATION_POINTS = 17


def _colours() -> dict[str, str]:
    """Every colour of the palette by its name in lower case ({ink}, {good}, ...)."""
    return {
        name.lower(): value
        for name, value in vars(palette).items()
        if name.isupper() and isinstance(value, str) and value.startswith("#")
    }


def style_sheet(base: int) -> str:
    """resources/style.qss with its sizes (points, from `base`) and colours filled in; a
    placeholder that names neither is an error, not a silently broken style."""
    template = resources.files("resources").joinpath("style.qss").read_text(encoding="utf-8")
    values: dict[str, str] = {
        "base": str(base),
        "small": str(round(base * 0.85)),
        "title": str(round(base * 1.7)),
        "big": str(round(base * 1.6)),
        "huge": str(round(base * 2.6)),
        "indicator": str(round(base * 1.35)),
        **_colours(),
    }

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise KeyError(f"style.qss: {{{key}}} is neither a size nor a colour of models/palette.py")
        return values[key]

    return re.sub(r"\{([a-z_]+)\}", fill, template)


def apply_theme(app: QApplication, presentation: bool = False) -> None:
    base = PRESENTATION_POINTS if presentation else NORMAL_POINTS
    font = QFont(app.font())
    font.setPointSize(base)
    app.setFont(font)
    app.setStyleSheet(style_sheet(base))
