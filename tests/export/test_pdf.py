"""The PDF definitions document, read back the way a reader (or a search) sees it: its text
page by page (PDFium, and poppler's pdftotext as the testing guide does), its outline and its
page sizes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from export.content import ExportCancelled, ExportContent
from export.pdf import write_pdf
from models.definitions import GlossaryTerm, Participant, Team, TermStatus
from models.document import Document

SECTIONS = [
    "Team and targets",
    "Funnel stages",
    "Vocabulary",
    "Scoring model",
    "Threshold check",
    "Shared KPIs and SLA",
    "Decisions and parking lot",
    "Data provenance",
]


# --------------------------------------------------------------------------- reading PDFs
def _flat(text: str) -> str:
    """Text with every run of white space (line breaks inside wrapped cells too) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path, watermark: bool = False) -> list[str]:
    """Each page's text, white space flattened. The diagonal DRAFT watermark lands in the
    middle of whatever text is under it: left out unless `watermark`."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for k in range(len(pdf)):
            page = pdf[k]
            text = _flat(page.get_textpage().get_text_range())
            if not watermark:
                text = re.sub(r" ?\bDRAFT\b(?! \u2014 not signed)", "", text).strip()
            out.append(text)
        return out
    finally:
        pdf.close()


def outline(path: Path) -> list[tuple[int, str, int | None]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        items = []
        for bookmark in pdf.get_toc():
            dest = bookmark.get_dest()
            items.append((bookmark.level, bookmark.get_title(), dest.get_index() if dest else None))
        return items
    finally:
        pdf.close()


def page_sizes(path: Path) -> list[tuple[float, float]]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[k].get_size() for k in range(len(pdf))]
    finally:
        pdf.close()


def pdftotext_pages(path: Path) -> list[str]:
    """`pdftotext -layout` page by page; skipped without poppler-utils, except in CI."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext (poppler-utils) is missing in CI")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    pages = result.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _content(path: Path) -> ExportContent:
    doc = Document.open(path)
    try:
        return ExportContent.build(doc, doc.build_check())
    finally:
        doc.close()


class _Progress:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.reports: list[tuple[float, str]] = []
        self.cancel_after = cancel_after

    def report(self, fraction: float, message: str = "") -> None:
        self.reports.append((fraction, message))

    def cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.reports) >= self.cancel_after


# --------------------------------------------------------------------------- the demo
@pytest.fixture(scope="module")
def demo(_demo_with_leads_master: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo workshop (9,237 X Education leads) exported once on A4: its content, file and text."""
    folder = tmp_path_factory.mktemp("pdf-demo")
    doc = Document.open(_demo_with_leads_master, read_only=True)
    try:
        content = ExportContent.build(doc, doc.build_check())
    finally:
        doc.close()
    out = folder / "definitions.pdf"
    write_pdf(content, out)
    return {
        "content": content,
        "path": out,
        "pages": page_texts(out),
        "marked": page_texts(out, watermark=True),
        "folder": folder,
    }


def test_demo_holds_every_definition(demo: dict[str, Any]) -> None:
    defs = demo["content"].defs
    text = " ".join(demo["pages"])
    names = (
        [s.name for s in defs.stages]
        + [t.term for t in defs.terms]
        + [r.label for r in defs.rules]
        + [k.name for k in defs.kpis]
        + [p.name for p in defs.participants]
        + [d.text for d in defs.decisions]
        + [b.name for b in defs.bands]
    )
    missing = [n for n in names if _flat(n) not in text]
    assert not missing
    for phrase in (
        "X Education",
        "Lead definitions offsite",
        "2026-Q4",
        "24 November 2026",
        "Score ≥ threshold (and fit ≥ minimum fit, if set).",  # a stage's entry criteria, with ≥
        "What is your current occupation equals “Working Professional”",  # a rule in words
        "120 new leads a week",
        "INR 45,000,000",
    ):
        assert phrase in text, phrase


def test_demo_threshold_check_figures_recommendation_and_charts(demo: dict[str, Any]) -> None:
    from models.check import SUGGESTION_METHOD

    pages = demo["pages"]
    text = " ".join(pages)
    assert "At 40 points, 1,549 of the 9,237 historical leads (17%) would have gone to sales" in text
    assert "88.6%" in text and "target 60.0%" in text  # the rate at 40 points, against its target
    assert "Recommended: 28 points" in text
    assert "the lowest threshold that meets the target rate (76% ≥ 60%) within sales capacity" in text
    assert _flat(SUGGESTION_METHOD) in text
    for band in ("1,549", "2,629", "3,458", "1,601"):  # leads per band
        assert band in text
    # The charts' own text: axis titles with units, the reference lines, the values at 40.
    chart_page = next(p for p in pages if "Figure 1. Leads by score" in p)
    for label in (
        "Score (points)",
        "Number of leads",
        "Threshold (points)",
        "Percent",
        "Leads to sales per week",
        "target 60%",
        "sales capacity 120 a week",
        "threshold 40",
        "rate 88.6%",
        "coverage 38.6%",
        "60 a week",
        "Figure 2.",
        "Figure 3.",
    ):
        assert label in chart_page, label


def test_charts_are_vector_drawings(demo: dict[str, Any]) -> None:
    """Sharp at any zoom: the document holds no raster image at all."""
    pdf = pdfium.PdfDocument(str(demo["path"]))
    try:
        import pypdfium2.raw as raw

        images = [k for k in range(len(pdf)) for obj in pdf[k].get_objects() if obj.type == raw.FPDF_PAGEOBJ_IMAGE]
    finally:
        pdf.close()
    assert images == []


def test_draft_watermark_and_page_numbers_on_every_page(demo: dict[str, Any]) -> None:
    pages = demo["marked"]
    n = len(pages)
    assert 8 <= n <= 30
    for k, text in enumerate(pages, start=1):
        assert f"page {k} of {n}" in text
        # the watermark and the header (or, on the cover, the top band) both say so
        assert text.count("DRAFT") == 2 and "DRAFT — not signed" in text, k


def test_pdftotext_reads_the_pages(demo: dict[str, Any]) -> None:
    pages = pdftotext_pages(demo["path"])
    assert len(pages) == len(demo["pages"])
    for k, text in enumerate(pages, start=1):
        assert f"page {k} of {len(pages)}" in text
        assert "DRAFT" in text
    assert "Contents" in pages[1]


def test_outline_has_one_entry_per_section_at_its_page(demo: dict[str, Any]) -> None:
    items = outline(demo["path"])
    top = [(title, page) for level, title, page in items if level == 0]
    assert [title for title, _ in top] == [f"{k} {name}" for k, name in enumerate(SECTIONS, start=1)]
    pages = demo["pages"]
    contents = pages[1]
    for (title, page), name in zip(top, SECTIONS, strict=True):
        assert page is not None and name in pages[page]
        assert f"{title} " in contents and re.search(re.escape(title) + r"[ .]*" + str(page + 1) + r"\b", contents)
    subsections = [title for level, title, _ in items if level == 1]
    assert "5.3 Charts" in subsections


def test_letter_and_a4(demo: dict[str, Any]) -> None:
    letter = demo["folder"] / "letter.pdf"
    write_pdf(demo["content"], letter, paper="letter")
    assert all(abs(w - 612) < 1 and abs(h - 792) < 1 for w, h in page_sizes(letter))
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in page_sizes(demo["path"]))
    texts = page_texts(letter)
    assert all(f"page {k} of {len(texts)}" in t for k, t in enumerate(texts, start=1))
    with pytest.raises(ValueError, match="paper"):
        write_pdf(demo["content"], demo["folder"] / "legal.pdf", paper="legal")
    assert not (demo["folder"] / "legal.pdf").exists()


def test_progress_is_reported_up_to_done(demo: dict[str, Any], tmp_path: Path) -> None:
    progress = _Progress()
    write_pdf(demo["content"], tmp_path / "out.pdf", progress=progress)
    fractions = [f for f, _ in progress.reports]
    assert len(fractions) > 5 and fractions == sorted(fractions) and fractions[-1] == 1.0


# --------------------------------------------------------------------------- sign-off
def test_signed_revision_shows_signers_and_hash_and_no_draft(demo_leads_path: Path, tmp_path: Path) -> None:
    doc = Document.open(demo_leads_path)
    try:
        signers = doc.defs.signers()
        when = dt.datetime(2026, 11, 24, 16, 5, tzinfo=dt.UTC)
        for k, person in enumerate(signers):
            doc.sign(person.name, statement="Agreed for Q4." if k == 0 else "", when=when + dt.timedelta(minutes=k))
        assert doc.locked
        content = ExportContent.build(doc, doc.build_check())
    finally:
        doc.close()
    out = tmp_path / "signed.pdf"
    write_pdf(content, out)
    pages = page_texts(out, watermark=True)
    text = " ".join(pages)
    assert "DRAFT" not in text
    assert "Signed and locked, 24 November 2026, 16:06 UTC" in pages[0]
    for person in signers:
        assert person.name in pages[0] and person.role in pages[0]
    assert "24 November 2026, 16:05 UTC" in pages[0]
    assert "“Agreed for Q4.”" in pages[0]
    assert content.revision.content_hash and content.revision.content_hash in pages[0]
    assert "signature does not match" not in text
    assert all(f"page {k} of {len(pages)}" in t for k, t in enumerate(pages, start=1))

    # A signature that no longer matches the definitions is marked as such.
    block = content.revision.model_copy(deep=True)
    block.signatures[1].valid = False
    tampered = dataclasses.replace(content, revision=block)
    write_pdf(tampered, out)
    first = page_texts(out)[0]
    assert "signature does not match" in first and first.count("valid") >= 1


def test_draft_lists_signers_not_yet_signed(demo: dict[str, Any]) -> None:
    cover = demo["pages"][0]
    assert "Priya Raman VP Sales" in cover and "not yet signed" in cover
    assert "Draft — not yet signed" in cover


# --------------------------------------------------------------------------- other workshops
def test_workshop_without_leads_says_so(workshop_path: Path, tmp_path: Path) -> None:
    content = _content(workshop_path)
    assert content.check is None and content.leads_info is None
    out = tmp_path / "no-leads.pdf"
    write_pdf(content, out)
    pages = page_texts(out)
    text = " ".join(pages)
    assert "There is no lead data in this revision, so the threshold was not checked against history." in text
    assert "No historical leads were imported into this revision" in text
    assert "Figure 1." not in text
    assert [t for level, t, _ in outline(out) if level == 0] == [f"{k} {n}" for k, n in enumerate(SECTIONS, 1)]


def test_long_table_splits_with_its_header_on_every_page(workshop_path: Path, tmp_path: Path) -> None:
    content = _content(workshop_path)
    content.defs.terms = [
        GlossaryTerm(
            term=f"Term {k:03d}",
            definition=f"Definition of term {k:03d}: " + "word " * 40,
            notes=f"Note {k:03d}",
            status=TermStatus.AGREED,
        )
        for k in range(80)
    ]
    out = tmp_path / "long.pdf"
    write_pdf(content, out)
    pages = page_texts(out)
    holding = [k for k, text in enumerate(pages) if "Term 0" in text]
    assert len(holding) >= 3
    for k in holding:
        assert "Term Definition Notes Status" in pages[k], k
        assert len(re.findall(r"Term 0\d\d", pages[k])) >= 2, k  # no row left alone on a page
    assert holding == list(range(holding[0], holding[-1] + 1))
    text = " ".join(pages)
    assert all(f"Term {k:03d}" in text and f"Note {k:03d}" in text for k in range(80))


def test_a_cell_longer_than_a_page_is_split_not_clipped(workshop_path: Path, tmp_path: Path) -> None:
    content = _content(workshop_path)
    long = " ".join(f"w{k}" for k in range(1500)) + " THE-END"
    content.defs.terms[0].definition = long
    content.defs.stages[0].exit_criteria = "Averyveryverylongwordwithoutanyspaceatallthatmustbewrapped" * 3
    out = tmp_path / "huge.pdf"
    write_pdf(content, out)
    text = " ".join(page_texts(out))
    assert "w0 w1 w2" in text and "w1499" in text and "THE-END" in text


def test_non_ascii_text_survives(workshop_path: Path, tmp_path: Path) -> None:
    content = _content(workshop_path)
    content.defs.team.organisation = "Zürich Versicherungs-AG"
    content.defs.team.workshop_name = "Façade — Q1 offsite"
    content.defs.participants.append(
        Participant(name="João Gonçalves", role="Diretor, São Paulo", team=Team.SALES, signer=True)
    )
    content.defs.terms.append(
        GlossaryTerm(term="Łódź lead", definition="Score ≥ 40 × 2 − 5, “hot” <b>not bold</b> & co", notes="日本語も")
    )
    out = tmp_path / "unicode.pdf"
    write_pdf(content, out)
    pages = page_texts(out)
    text = " ".join(pages)
    for phrase in (
        "Zürich Versicherungs-AG",
        "Façade — Q1 offsite",
        "João Gonçalves",
        "Diretor, São Paulo",
        "Łódź lead",
        "Score ≥ 40 × 2 − 5, “hot” <b>not bold</b> & co",
    ):
        assert phrase in text, phrase
    assert "Façade — Q1 offsite" in pages[3]  # the running header


def test_without_dejavu_helvetica_spells_the_symbols(
    workshop_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import export.pdf_fonts as pdf

    monkeypatch.setattr(pdf, "FONT_DIRS", (str(tmp_path / "no-fonts-here"),))
    assert pdf.find_fonts().regular == "Helvetica"
    content = _content(workshop_path)
    content.defs.team.organisation = "Zürich AG"
    out = tmp_path / "helvetica.pdf"
    write_pdf(content, out)
    text = " ".join(page_texts(out))
    assert "Zürich AG" in text  # Latin-1 prints in the standard fonts
    assert "Score >= threshold" in text  # ≥ does not: spelled out


def test_changes_since_the_previous_revision(workshop_path: Path, tmp_path: Path) -> None:
    content = dataclasses.replace(
        _content(workshop_path),
        changes=(("Scoring rule", "Student", "points −10 → −15"), ("Glossary term", "Hot lead", "added")),
        previous_label="2026-Q3",
    )
    out = tmp_path / "changes.pdf"
    write_pdf(content, out)
    titles = [t for level, t, _ in outline(out) if level == 0]
    assert titles[-2:] == ["8 Changes since the previous revision", "9 Data provenance"]
    text = " ".join(page_texts(out))
    assert "since revision 2026-Q3" in text and "points −10 → −15" in text and "Hot lead" in text


# --------------------------------------------------------------------------- writing safely
def test_cancel_leaves_no_file(demo: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "cancelled.pdf"
    with pytest.raises(ExportCancelled):
        write_pdf(demo["content"], target, progress=_Progress(cancel_after=0))
    assert list(tmp_path.iterdir()) == []
    # Cancelled half-way through the layout: still nothing, and an earlier file is kept as it was.
    target.write_bytes(b"earlier")
    with pytest.raises(ExportCancelled):
        write_pdf(demo["content"], target, progress=_Progress(cancel_after=12))
    assert list(tmp_path.iterdir()) == [target] and target.read_bytes() == b"earlier"


def test_error_leaves_no_file(demo: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import export.pdf_check as pdf

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pdf, "volume_chart", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_pdf(demo["content"], tmp_path / "broken.pdf")
    assert list(tmp_path.iterdir()) == []


def test_export_pdf_does_not_import_qt() -> None:
    code = (
        "import sys, export.pdf, export.pdf_charts; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'app', "
        "'widgets')]; print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


# --------------------------------------------------------------------------- every kind of content
def _ten_lead_check(defs: Any, *, dates: bool = True) -> Any:
    """Ten hand-made leads (as in tests/models/test_check.py) with revenue and, optionally,
    creation dates, scored with `defs`."""
    import numpy as np

    from models.check import ThresholdCheck
    from models.lead_frame import Column, LeadFrame

    segment = ["A", "A", "B", "A", "B", "A", "B", "A", "B", None]
    labels = ["A", "B"]
    codes = np.array([2 if v is None else labels.index(v) for v in segment], dtype=np.int32)
    frame = LeadFrame(
        10,
        np.array([True, True, False, True, True, False, False, True, False, False]),
        revenue=np.array([1000, 2000, 0, 500, 700, 0, 0, 300, 0, 0], float),
        created_days=np.array([20000 + 3 * k for k in range(10)], float) if dates else None,
        columns={
            "Occupation": Column.from_labels("Occupation", codes, labels),
            "TotalVisits": Column.from_numbers("TotalVisits", np.array([40, 35, 40, 30, 35, 20, 30, 10, 10, 0], float)),
        },
    )
    return ThresholdCheck(frame, defs)


def _leads_info(rows: int = 10) -> Any:
    from models.leads.types import (
        BadRow,
        ColumnType,
        Mapping,
        OutcomesJoin,
        QualitySummary,
        SourceInfo,
        SuccessKind,
        SuccessRule,
    )
    from models.store import LeadsInfo

    mapping = Mapping(
        id="Lead ID",
        outcome="Stage",
        revenue="Amount",
        created="Created",
        owner="Owner",
        success=SuccessRule(kind=SuccessKind.STAGE_AT_LEAST, stages=["New", "Qualified", "Won"], stage="Qualified"),
        types={"Occupation": ColumnType.CATEGORY, "TotalVisits": ColumnType.NUMBER},
        ignored=["Notes"],
        join=OutcomesJoin("Lead ID", "lead_id", "status", "won"),
    )
    quality = QualitySummary(
        rows=rows,
        positives=5,
        missing={"id": 0, "Occupation": 1},
        duplicate_ids=2,
        duplicate_emails=1,
        first_date=dt.date(2024, 10, 7),
        last_date=dt.date(2024, 11, 3),
        merged_spellings={"Occupation": [["A", "a "]]},
        placeholders_replaced=3,
        unmatched_outcomes=4,
    )
    sources = [
        SourceInfo("leads — Zürich.xlsx", 52_340, "a" * 64, "xlsx", {"sheet": "Leads", "header_row": 2}),
        SourceInfo("opportunities.csv", 812, "b" * 64, "csv", {"encoding": "windows-1252", "delimiter": ";"}),
    ]
    rejected = [BadRow("leads — Zürich.xlsx", 7 + k, "Created", "31/02/2024", "not a date") for k in range(60)]
    return LeadsInfo(
        revision_id=1,
        rows=rows,
        rejected_count=75,
        imported_at=dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC),
        mapping=mapping,
        quality=quality,
        sources=sources,
        notices=["Second file joined on “Lead ID”."],
        rejected=rejected,
        parquet_bytes=1000,
    )


def test_every_kind_of_definition_and_provenance(tmp_path: Path) -> None:
    from export.content import ExportContent
    from models.definitions_json import RevisionBlock, SignatureBlock, content_hash
    from tests.models.conftest import full_definitions

    defs = full_definitions()  # decay, a count rule, a minimum fit, a threshold of 42.5, dated decisions
    defs.rules[0].field = "Occupation"
    defs.rules[0].value = "A"
    check = _ten_lead_check(defs)
    digest = content_hash(defs)
    revision = RevisionBlock(
        label="2026-Q3",
        status="draft",
        created_at="2026-07-01T08:00:00+00:00",
        content_hash=digest,
        signatures=[
            SignatureBlock(
                signer="Priya Raman",
                role="VP Sales",
                signed_at="2026-07-14T10:00:00+00:00",
                content_hash="0" * 64,
                valid=False,
            )
        ],
        signature_matches=None,
    )
    content = ExportContent.snapshot(defs, revision, "acme.accord", check, leads_info=_leads_info())
    out = tmp_path / "full.pdf"
    write_pdf(content, out, paper="letter")
    text = " ".join(page_texts(out))
    for phrase in (
        "Q3 alignment — Zürich",
        "Acme GmbH",
        "signature does not match",
        "Daniel Osei",
        "not yet signed",
        "halves every 30 days since Last Activity Date",
        "at most 10",
        "42.5 points",
        "10 points: the fit rules' points must also reach it",
        "31 July 2026",
        "48.5 h",
        "14 July 2026",
        "EUR 3,800",
        "no lead passes",
        "Recommended: 0 points",
        "leads — Zürich.xlsx",
        "a" * 64,
        "sheet Leads",
        "semicolon-separated",
        "“Qualified” or a later stage",
        "joined on lead column “Lead ID” = “lead_id” where “status” is “won”",
        "The first 50 of 75 rejected rows are listed.",
        "not a date",
        "4 outcome rows match no lead",
        "7 October 2024 to 3 November 2024",
        "Occupation: “A” = “a ”",
        "Notes",
    ):
        assert phrase in text, phrase
    assert text.count("not a date") == 50

    # Without creation dates, leads per week are unknown, and no threshold reaches 90%.
    defs.team.target_rate = 0.9
    content = ExportContent.snapshot(defs, revision, "acme.accord", _ten_lead_check(defs, dates=False))
    write_pdf(content, out)
    text = " ".join(page_texts(out))
    assert "Leads per week unknown" in text and "No recommended threshold." in text
    assert "No threshold reaches the target rate of 90%" in text


def test_an_empty_workshop_still_reads_well(tmp_path: Path) -> None:
    from models.definitions import Definitions
    from models.definitions_json import RevisionBlock

    content = ExportContent(
        defs=Definitions(),
        revision=RevisionBlock(label="Draft 1", content_hash=None, signature_matches=None),
        file_name="new.accord",
    )
    out = tmp_path / "empty.pdf"
    write_pdf(content, out)
    pages = page_texts(out)
    text = " ".join(pages)
    for phrase in (
        "No signers are marked yet",
        "No funnel stages were defined.",
        "No glossary terms were defined.",
        "No fit rules.",
        "No behaviour rules.",
        "There is no lead data in this revision",
        "No shared KPIs were defined.",
        "No decisions were recorded.",
        "Nothing was parked.",
    ):
        assert phrase in text, phrase
    assert all(f"page {k} of {len(pages)}" in t for k, t in enumerate(pages, start=1))
