"""`accord export` on the demo workshop with its leads."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; CI installs it")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_export_writes_the_three_files(demo_leads_path: Path, tmp_path: Path, accord: Accord) -> None:
    pdf, xlsx, js = tmp_path / "d.pdf", tmp_path / "s.xlsx", tmp_path / "d.json"
    result = accord("export", demo_leads_path, "--pdf", pdf, "--xlsx", xlsx, "--json", js, "--max-leads", "100")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote {pdf} (revision 2026-Q4, draft)",
        f"wrote {xlsx} (revision 2026-Q4, draft)",
        f"wrote {js} (revision 2026-Q4, draft)",
    ]
    text = pdf_text(pdf)
    for needle in (
        "Lead definitions offsite",
        "Marketing Qualified Lead",
        "Working professional",
        "1,549",
        "Recommended: 28 points",
        "DRAFT",
    ):
        assert needle in text
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True)
    try:
        assert {"README", "Scoring Model", "Settings", "Lead Scorer", "Calibration", "Sign-off"} <= set(
            workbook.sheetnames
        )
    finally:
        workbook.close()
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["revision"]["label"] == "2026-Q4" and doc["threshold_check"]["recommended_threshold"] == 28


def test_letter_paper(demo_leads_path: Path, tmp_path: Path, accord: Accord) -> None:
    import pypdfium2 as pdfium

    for paper, size in (("a4", (595, 842)), ("letter", (612, 792))):
        out = tmp_path / f"{paper}.pdf"
        assert accord("export", demo_leads_path, "--pdf", out, "--paper", paper).returncode == 0
        document = pdfium.PdfDocument(str(out))
        try:
            assert tuple(round(v) for v in document[0].get_size()) == size
        finally:
            document.close()


def test_export_of_a_tampered_signed_revision_says_so(workshop_path: Path, tmp_path: Path, accord: Accord) -> None:
    for signer in ("Priya Raman", "Daniel Osei"):
        assert accord("sign", workshop_path, "--signer", signer).returncode == 0
    con = sqlite3.connect(workshop_path)
    con.execute("UPDATE scoring_settings SET threshold = 20 WHERE revision_id = 1")
    con.commit()
    con.close()
    pdf, js, xlsx = tmp_path / "t.pdf", tmp_path / "t.json", tmp_path / "t.xlsx"
    assert accord("export", workshop_path, "--pdf", pdf, "--json", js, "--xlsx", xlsx).returncode == 0
    assert "signature does not match" in pdf_text(pdf).lower()
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True)
    try:
        values = [v for row in workbook["Sign-off"].iter_rows(values_only=True) for v in row]
    finally:
        workbook.close()
    assert values.count("signature does not match") == 2  # both signers
    revision = json.loads(js.read_text(encoding="utf-8"))["revision"]
    assert revision["signature_matches"] is False
    assert not any(s["valid"] for s in revision["signatures"])


def test_export_says_what_is_missing(demo_leads_path: Path, tmp_path: Path, accord: Accord) -> None:
    nothing = accord("export", demo_leads_path)
    assert (nothing.returncode, nothing.stderr.strip()) == (
        1,
        "accord: say what to write: --pdf OUT, --xlsx OUT and/or --json OUT",
    )
    unknown = accord("export", demo_leads_path, "--revision", "1999", "--json", tmp_path / "x.json")
    assert unknown.returncode == 1 and "has no revision '1999'" in unknown.stderr
    assert not (tmp_path / "x.json").exists()
