"""The PDF definitions document with very long texts: written in seconds, every character
printed, wrapped inside its column.

Each export runs in a child process under a watchdog of a minute: a layout that goes
quadratic again (a 100,000-character organisation name once took over a quarter of an hour)
fails the test instead of hanging the suite. How fast it is is measured by the benchmarks,
not asserted here. The texts are beyond the definitions' limits, as a workshop file written
before the limits may hold them (models/definitions.py): the export must still print them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.units import mm

from models.definitions import Definitions, new_definitions

# Exports in child processes under a watchdog: `make test-slow` runs them (and CI does).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WATCHDOG_S = 60
MARGIN = 24 * mm  # left, right and bottom margins of the page (export/pdf_document.py)
TOP = 27 * mm


def write(definitions_json: str, out: str) -> None:
    """In the child: the PDF of the definitions in `definitions_json`, as a signed revision
    (no DRAFT watermark over the text)."""
    from export.content import ExportContent
    from export.pdf import write_pdf
    from models.definitions_json import RevisionBlock

    defs = Definitions.model_validate(json.loads(Path(definitions_json).read_text(encoding="utf-8")))
    block = RevisionBlock(label="R1", status="signed", content_hash="0" * 64, signature_matches=True)
    write_pdf(ExportContent.snapshot(defs, block, "long.accord"), out)


def _export(defs: Definitions, folder: Path) -> Path:
    source, out = folder / "definitions.json", folder / "long.pdf"
    source.write_text(json.dumps(defs.model_dump(mode="json")), encoding="utf-8")
    code = "import sys; from tests.export.test_pdf_long_text import write; write(sys.argv[1], sys.argv[2])"
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, str(source), str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=WATCHDOG_S,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the PDF export did not finish within {WATCHDOG_S} s")
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def _body_text(path: Path, column: tuple[str, str] | None = None) -> str:
    """The text inside the page frames (no running header or footer), every page, without
    white space, so that a wrapped text reads as it was written. With `column` (a table's
    header and the next one), only that column of the pages showing both headers, without
    the header."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        parts = []
        for k in range(len(pdf)):
            page = pdf[k]
            width, height = page.get_size()
            text = page.get_textpage()
            left, right, top = 0.0, width, height - TOP + 2
            if column is not None:  # from the header down, between the two headers
                found = [text.search(h, match_case=True).get_next() for h in column]
                if not all(found):
                    continue
                (left, _, _, top), (right, _, _, _) = (text.get_charbox(f[0]) for f in found if f)
                left, right, top = left - 1, right - 3, top + 1  # (cells are padded 4.5 points)
            words = text.get_text_bounded(left, MARGIN - 2, right, top).split()
            if column is not None and words and words[0] == column[0]:
                words = words[1:]
            parts.append("".join(words))
        return "".join(parts)
    finally:
        pdf.close()


def _outside_the_frame(path: Path) -> int:
    """How many characters of the page bodies stick out of the frame, left or right."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = 0
        for k in range(len(pdf)):
            page = pdf[k]
            width, _ = page.get_size()
            text = page.get_textpage()
            for i in range(text.count_chars()):
                left, _bottom, right, _top = text.get_charbox(i)
                if right > left and (left < MARGIN - 1 or right > width - MARGIN + 1):
                    out += 1
        return out
    finally:
        pdf.close()


def _words(n: int) -> str:
    """About `n` characters of distinct words: a text printed in part, or twice over the same
    place, would not read back whole."""
    words, size, k = [], 0, 0
    while size < n:
        word = f"w{k}"
        words.append(word)
        size += len(word) + 1
        k += 1
    return " ".join(words)


def _unbroken(n: int) -> str:
    """`n` characters without a space, none repeating a run of the others: 0000100002..."""
    return "".join(f"{k:05d}" for k in range(n // 5 + 1))[:n]


def _organisation(defs: Definitions, text: str) -> None:
    defs.team.organisation = text


def _stage_name(defs: Definitions, text: str) -> None:
    defs.stages[1].name = text


def _stage_definition(defs: Definitions, text: str) -> None:
    defs.stages[0].definition = text


@pytest.mark.parametrize(
    ("edit", "text", "column"),
    [
        pytest.param(_organisation, _words(100_000), None, id="organisation-100k"),
        pytest.param(_stage_name, _unbroken(20_000), ("Stage", "Definition"), id="stage-name-20k-no-space"),
        pytest.param(_stage_name, _unbroken(100_000), ("Stage", "Definition"), id="stage-name-100k-no-space"),
        pytest.param(_stage_definition, _words(1_000_000), ("Definition", "Entry criteria"), id="definition-1mb"),
    ],
)
def test_long_text_is_laid_out_whole_in_seconds(
    edit: Callable[[Definitions, str], None], text: str, column: tuple[str, str] | None, tmp_path: Path
) -> None:
    defs = new_definitions("Long texts", "Acme")
    edit(defs, text)
    out = _export(defs, tmp_path)
    # Every character, in order, and (in a table) inside its column: a word longer than the
    # column is broken, not drawn over the next one.
    assert "".join(text.split()) in _body_text(out, column)
    if len(text) <= 100_000:  # (a megabyte of short words is not worth a million character boxes)
        assert _outside_the_frame(out) == 0
