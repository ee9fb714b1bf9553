"""The Excel scoring workbook: the agreed scoring model as live formulas (openpyxl, no Qt).

    write_workbook(content, "scoring.xlsx")

Sheets:
    README         how to use the workbook; revision, status and content hash
    Definitions    the funnel stages and the glossary
    Scoring Model  one row per rule; points, value(s), minimum, maximum, cap and half-life
                   are input cells every score reads
    Settings       threshold, minimum fit, as-of date, target and baseline rates, capacity,
                   history weeks, as named cells (Threshold, MinimumFit, AsOfDate ...)
    Lead Scorer    the imported leads (an Excel table), one formula column per rule, then
                   Fit, Engagement, Score and the hand-off; empty formula rows to paste into
    Calibration    the threshold table of the app's threshold check and a line chart
    Sign-off       signers, roles, times, content hash and status

each written by its own module (export/xlsx_readme.py, xlsx_definitions.py,
xlsx_scoring_model.py, xlsx_settings.py, xlsx_lead_scorer.py, xlsx_calibration.py,
xlsx_signoff.py), from a plan of the columns made first (xlsx_layout.py), with the formulas
of xlsx_formulas.py, in sheets written by xlsx_sheet.py.

The formulas give the scores of `models.scoring` (the reference) lead by lead, using only
functions Excel (2013 and later) and LibreOffice both evaluate. Per lead and attribute the
Lead Scorer keeps hidden helper columns, computed once per row (see export/xlsx_formulas.py):
the value as text the way the reference compares it (stripped at the ends only, lower case,
"" when missing), as a number when the reference reads one (a number cell, or text float()
reads once thousands commas are removed), and as a date (for decay). Every rule's column
compares those with its operands, which the Scoring Model turns into the same text / number
form once per rule, and reads its points, operands and completeness through defined names
(Rule1_Points, Rule1_Complete ...). Imported text is always written as text, never as a
formula, whatever it starts with.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from openpyxl import Workbook

from export.content import ExportContent, report
from export.xlsx_calibration import write_calibration
from export.xlsx_definitions import write_definitions
from export.xlsx_layout import HANDOFF_NO, HANDOFF_YES, plan
from export.xlsx_lead_scorer import write_lead_scorer
from export.xlsx_readme import write_readme
from export.xlsx_scoring_model import write_scoring_model
from export.xlsx_settings import SETTINGS_NAMES, write_settings
from export.xlsx_sheet import excel_text, excel_text_value
from export.xlsx_signoff import write_signoff
from models.leads.types import Progress
from models.store import written_in_place_of

__all__ = [
    "write_workbook",
    "SHEETS",
    "BLANK_ROWS",
    "SETTINGS_NAMES",
    "HANDOFF_YES",
    "HANDOFF_NO",
    "excel_text",
    "excel_text_value",
]

SHEETS = ("README", "Definitions", "Scoring Model", "Settings", "Lead Scorer", "Calibration", "Sign-off")
BLANK_ROWS = 200  # empty formula rows below the leads, to paste new leads into


def write_workbook(
    content: ExportContent,
    path: Path | str,
    max_leads: int | None = None,
    progress: Progress | None = None,
    blank_rows: int = BLANK_ROWS,
) -> None:
    """Write the scoring workbook to `path`, with the leads of `content.leads` (at most
    `max_leads` of them) on the Lead Scorer sheet. The file appears only when whole; on
    ExportCancelled or an error nothing is left behind."""
    path = Path(path)
    report(progress, 0.0, "Writing the scoring workbook\u2026")
    layout = plan(content, max_leads, blank_rows)
    wb = Workbook(write_only=True)
    try:
        wb.calculation.fullCalcOnLoad = True
        write_readme(wb, content, layout)
        write_definitions(wb, content)
        sm = write_scoring_model(wb, content, layout)
        write_settings(wb, content)
        report(progress, 0.05, "Writing the leads\u2026")
        write_lead_scorer(wb, content, layout, sm, progress)
        report(progress, 0.9, "Writing the calibration table\u2026")
        write_calibration(wb, content, layout)
        write_signoff(wb, content)
        wb.properties.title = f"{content.title} \u2014 scoring workbook"
        wb.properties.subject = f"Revision {content.revision.label} ({content.revision.status})"
        wb.properties.creator = "Accord"
        report(progress, 0.93, f"Saving {path.name}\u2026")
        with written_in_place_of(path) as tmp:
            mode = stat.S_IMODE(os.stat(tmp).st_mode)  # the replaced file's, or a new file's
            wb.save(tmp)
            report(progress, 0.99, f"Saving {path.name}\u2026")
            os.chmod(tmp, mode)  # openpyxl may write a file of its own over the prepared one
    except BaseException:
        _discard(wb)
        raise
    if progress is not None:
        progress.report(1.0, f"Wrote {path.name}")


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook that will not be saved and delete the temporary file each
    of its sheets streams into (openpyxl would otherwise keep them until the program ends)."""
    for ws in wb._sheets:  # type: ignore[attr-defined]  # noqa: SLF001 - openpyxl lists write-only sheets nowhere else
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        try:
            if rows is not None:
                rows.close()
            if writer is not None:
                writer.close()
                if isinstance(writer.out, str) and os.path.exists(writer.out):
                    writer.cleanup()
        except Exception:  # noqa: BLE001 - best effort: the export already failed
            pass
