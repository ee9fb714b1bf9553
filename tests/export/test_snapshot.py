"""Exports are written from a frozen report: the room may go on editing while a PDF and a
workbook are written on worker threads, and each file stays consistent with the moment its
content was taken.

The race is made deterministic: each writer is paused (through its progress object) after it
has started and before it reaches the threshold check; meanwhile the live check is edited
the way the app edits it (rules re-scored in place, threshold moved); then the writers go on.
The expected figures are computed again from the leads under the original definitions."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2 as pdfium

from export.content import ExportContent
from export.pdf import write_pdf
from export.workbook import write_workbook
from models.check import ThresholdCheck
from models.document import Document
from models.edits import Batch, set_field


class _Pause:
    """A progress object that stops its writer at the first report at or past `at` until
    `resume` is set (and says so through `reached`)."""

    def __init__(self, at: float) -> None:
        self.at = at
        self.reached = threading.Event()
        self.resume = threading.Event()

    def report(self, fraction: float, message: str = "") -> None:
        if fraction >= self.at and not self.reached.is_set():
            self.reached.set()
            assert self.resume.wait(60), "the test never resumed the writer"

    def cancelled(self) -> bool:
        return False


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return " ".join(" ".join(pdf[k].get_textpage().get_text_range().split()) for k in range(len(pdf)))
    finally:
        pdf.close()


def test_edits_while_writing_do_not_reach_the_files(demo_leads_path: Path, tmp_path: Path) -> None:
    document = Document.open(demo_leads_path)
    try:
        live = document.build_check()
        assert live is not None
        before = document.defs.copy_deep()
        content = ExportContent.build(document, live, max_leads=200)

        pdf_path, xlsx_path = tmp_path / "definitions.pdf", tmp_path / "scoring.xlsx"
        pauses = {"pdf": _Pause(0.1), "xlsx": _Pause(0.05)}
        errors: list[BaseException] = []

        def run(write: Any, path: Path, pause: _Pause) -> None:
            try:
                write(content, path, progress=pause)
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                errors.append(exc)
                pause.reached.set()

        threads = [
            threading.Thread(target=run, args=(write_pdf, pdf_path, pauses["pdf"])),
            threading.Thread(target=run, args=(write_workbook, xlsx_path, pauses["xlsx"])),
        ]
        for thread in threads:
            thread.start()
        for pause in pauses.values():
            assert pause.reached.wait(60)

        # Both writers are mid-file: the room edits, as the app does (saved, then re-scored).
        rules = document.defs.rules
        edits = [set_field(document.defs, "rules", r.uid, "points", r.points * 3 + 7) for r in rules[:4]]
        edits.append(set_field(document.defs, "scoring", None, "threshold", 12.0))
        edits.append(set_field(document.defs, "team", None, "target_rate", 0.2))
        document.apply(Batch(tuple(edits), "Change the model"))
        assert live.update(document.defs)
        after = live.figures()
        live.sweep  # noqa: B018 - the live sweep is recomputed in place, as a redraw would

        for pause in pauses.values():
            pause.resume.set()
        for thread in threads:
            thread.join(120)
        assert not errors, errors
    finally:
        document.close()

    # What the files should say: the check of the leads under the definitions as they were.
    expected = ThresholdCheck(live.frame, before)
    f = expected.figures()
    assert (f.threshold, f.passed) != (after.threshold, after.passed)  # the edits really changed the figures

    text = _pdf_text(pdf_path)
    assert f"At {f.threshold:g} points, {f.passed:,} of the {f.leads:,} historical leads" in text
    assert f"At {after.threshold:g} points" not in text

    wb = openpyxl.load_workbook(xlsx_path)
    names = {name: next(iter(wb.defined_names[name].destinations)) for name in ("Threshold", "TargetRate")}
    value = {n: wb[sheet][coord.replace("$", "")].value for n, (sheet, coord) in names.items()}
    assert value == {"Threshold": before.scoring.threshold, "TargetRate": before.team.target_rate}
    model = wb["Scoring Model"]
    header = [c.value for c in model[4]]
    points = header.index("Points") + 1
    assert [model.cell(5 + k, points).value for k in range(len(before.rules))] == [r.points for r in before.rules]
    calibration = wb["Calibration"]
    table = calibration.tables["ThresholdTable"]
    first = int(table.ref.split(":")[0][1:])
    curves = expected.curves()
    rows = list(calibration.iter_rows(min_row=first + 1, max_col=3, values_only=True))
    assert len([r for r in rows if r[0] is not None]) == len(curves["threshold"])
    assert [r[1] for r in rows[: len(curves["passed"])]] == [int(p) for p in curves["passed"]]
