"""Exporting the demo workshop (the X Education model with its 9,237 leads, signed-off
figures at 40 points): the PDF definitions document, and the Excel scoring workbook with
every lead in its Lead Scorer sheet (up to the default 10,000)."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RUNS = 3


def _timed(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> dict[str, tuple[float, str]]:
    from export.content import DEFAULT_MAX_LEADS, ExportContent
    from export.pdf import write_pdf
    from export.workbook import write_workbook
    from models.demo import write_demo_workshop
    from models.document import Document

    folder = Path(tempfile.mkdtemp(prefix="accord-bench-export-"))
    workshop = folder / "demo.accord"
    write_demo_workshop(workshop)
    document = Document.open(workshop, read_only=True)
    try:
        content = ExportContent.build(document, document.build_check(), max_leads=DEFAULT_MAX_LEADS)
    finally:
        document.close()
    pdf, xlsx = folder / "definitions.pdf", folder / "scoring.xlsx"
    pdf_s = _timed(lambda: write_pdf(content, pdf))
    xlsx_s = _timed(lambda: write_workbook(content, xlsx))
    leads = min(content.leads_info.rows if content.leads_info else 0, DEFAULT_MAX_LEADS)
    return {
        "export_pdf_s": (
            pdf_s,
            f"the demo's PDF definitions document, {pdf.stat().st_size / 1e6:.2f} MB, median of {RUNS}",
        ),
        "export_xlsx_10k_s": (
            xlsx_s,
            f"the demo's scoring workbook with {leads:,} leads, {xlsx.stat().st_size / 1e6:.2f} MB, median of {RUNS}",
        ),
    }
