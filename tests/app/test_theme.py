"""The style sheet: every placeholder filled, in the palette's colours, at both type sizes."""

from __future__ import annotations

import re

import pytest

from app.theme import NORMAL_POINTS, PRESENTATION_POINTS, style_sheet
from models import palette


@pytest.mark.parametrize("base", [NORMAL_POINTS, PRESENTATION_POINTS])
def test_every_placeholder_is_filled(base: int) -> None:
    sheet = style_sheet(base)
    assert not re.search(r"\{[a-z_]+\}", sheet)
    assert f"font-size: {base}pt" in sheet
    # The verdict colours are the palette's, the same the PDF and the workbook print.
    assert f"color: {palette.GOOD}" in sheet and f"color: {palette.BAD}" in sheet
    assert f"background: {palette.ACCENT}" in sheet


def test_mixed_and_xlsx_spell_palette_colours() -> None:
    assert palette.xlsx(palette.GOOD) == "1B7F3B"
    assert palette.mixed("#000000", 0.5) == "#808080"
    assert palette.mixed(palette.GOOD, 0.0) == palette.GOOD and palette.mixed(palette.GOOD, 1.0) == "#ffffff"
