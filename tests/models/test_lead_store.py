"""Lead data sets in the workshop file: round trip, provenance, replacing, refusing, the
schema-1 → 2 migration (with its backup and a read-only open that writes nothing), and an
import that fails or is cancelled leaving the file byte-identical."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from models.definitions_json import content_hash
from models.document import Document, LeadsReplaced, RevisionLocked
from models.leads.types import (
    BadRow,
    ColumnType,
    LeadData,
    Mapping,
    OutcomesJoin,
    QualitySummary,
    SourceInfo,
    SuccessKind,
    SuccessRule,
)
from models.store import SCHEMA_VERSION, WorkshopFile, WorkshopFileError, check_workshop_file
from tests.paths import OLIST_DEALS, OLIST_MQL

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
UTC = dt.UTC


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def make_leads(rows: int = 5, label: str = "a") -> LeadData:
    """A small typed lead table of every column type, written out by hand."""
    rng = np.random.default_rng(7)
    created = [dt.datetime(2024, 1, 1, tzinfo=UTC) + dt.timedelta(days=3 * i) for i in range(rows)]
    table = pa.table(
        {
            "id": pa.array([f"{label}-{i}" for i in range(rows)], pa.string()),
            "outcome": pa.array([i % 3 == 0 for i in range(rows)], pa.bool_()),
            "revenue": pa.array([None if i == 1 else float(i) * 1250.5 for i in range(rows)], pa.float64()),
            "created": pa.array(created, pa.timestamp("us", tz="UTC")),
            "owner": pa.array(["Ana", "Bo", None, "Ana", "Zoë"][:rows] + ["Bo"] * max(rows - 5, 0), pa.string()),
            "email": pa.array([f"p{i}@example.com" for i in range(rows)], pa.string()),
            "Visits": pa.array(rng.integers(0, 20, rows).astype(float), pa.float64()),
            "Lead Source": pa.array(
                ["Google", "Direct", None, "Google", "Référence"][:rows] + ["Google"] * max(rows - 5, 0)
            ).dictionary_encode(),
            "Do Not Email": pa.array((["Yes", "No"] * rows)[:rows]).dictionary_encode(),
            "Notes": pa.array(['hello, "world"\nline'] + [None] * (rows - 1), pa.string()),
        }
    )
    quality = QualitySummary(
        rows=rows,
        positives=sum(i % 3 == 0 for i in range(rows)),
        missing={"revenue": 1, "owner": 1},
        duplicate_ids=0,
        duplicate_emails=0,
        first_date=created[0].date(),
        last_date=created[-1].date(),
        merged_spellings={"Lead Source": [["Google", "google"]]},
        placeholders_replaced=3,
        unmatched_outcomes=2,
    )
    mapping = Mapping(
        id="Lead Id",
        outcome="Converted",
        revenue="Amount",
        created="Created",
        owner="Owner",
        email="Email",
        types={
            "Visits": ColumnType.NUMBER,
            "Lead Source": ColumnType.CATEGORY,
            "Do Not Email": ColumnType.YESNO,
            "Notes": ColumnType.TEXT,
        },
        success=SuccessRule(kind=SuccessKind.VALUES, values=["1", "yes"]),
        date_order="DMY",
        join=OutcomesJoin("Lead Id", "lead", "Stage", "Closed Won"),
    )
    sources = [
        SourceInfo(
            f"{label}-leads.csv", 1234, "ab" * 32, "csv", {"encoding": "utf-8-sig", "delimiter": ";", "footer_lines": 2}
        ),
        SourceInfo("deals.xlsx", 999, "cd" * 32, "xlsx", {"sheet": "Deals", "header_row": 3}),
    ]
    rejected = [
        BadRow(f"{label}-leads.csv", 7, "Visits", "many", "not a number"),
        BadRow(f"{label}-leads.csv", 12, None, None, "3 fields, expected 10"),
    ]
    return LeadData(
        table=table,
        mapping=mapping,
        quality=quality,
        sources=sources,
        rejected=rejected,
        notices=["Skipped 2 footer lines (\u201cGrand Totals\u201d)."],
        imported_at=dt.datetime(2026, 7, 14, 9, 30, 15, tzinfo=UTC),
    )


def _new(tmp_path: Path, name: str = "w.accord") -> Path:
    from models.demo import DEMO_LABEL, demo_definitions

    path = tmp_path / name
    Document.create(path, demo_definitions(), label=DEMO_LABEL).close()
    return path


# --------------------------------------------------------------------------- round trip
def test_save_and_load_round_trip_keeps_table_types_and_provenance(tmp_path: Path) -> None:
    path = _new(tmp_path)
    data = make_leads()
    with WorkshopFile.open(path) as f:
        rev = f.revisions()[-1].id
        assert f.load_leads(rev) is None and f.leads_info(rev) is None
        f.save_leads(rev, data)

    with WorkshopFile.open(path, read_only=True) as f:
        info = f.leads_info(rev)
        loaded = f.load_leads(rev)
    assert loaded is not None and info is not None
    assert loaded.table.schema == data.table.schema
    assert loaded.table.equals(data.table)
    assert loaded.table.column("Lead Source").type == pa.dictionary(pa.int32(), pa.string())
    assert loaded.table.column("created").to_pylist()[1] == dt.datetime(2024, 1, 4, tzinfo=UTC)
    assert loaded.table.column("Notes").to_pylist()[0] == 'hello, "world"\nline'
    assert loaded.mapping == data.mapping
    assert loaded.quality == data.quality
    assert loaded.quality.weeks == pytest.approx(13 / 7)
    assert loaded.sources == data.sources
    assert loaded.rejected == data.rejected
    assert loaded.notices == data.notices
    assert loaded.imported_at == dt.datetime(2026, 7, 14, 9, 30, 15, tzinfo=UTC)
    # The provenance alone, written out by hand.
    assert (info.rows, info.rejected_count) == (5, 2)
    assert [(s.name, s.size, s.sha256, s.format) for s in info.sources] == [
        ("a-leads.csv", 1234, "ab" * 32, "csv"),
        ("deals.xlsx", 999, "cd" * 32, "xlsx"),
    ]
    assert info.sources[0].detail == {"encoding": "utf-8-sig", "delimiter": ";", "footer_lines": 2}
    assert info.quality.first_date == dt.date(2024, 1, 1) and info.quality.last_date == dt.date(2024, 1, 13)
    assert info.mapping.join == OutcomesJoin("Lead Id", "lead", "Stage", "Closed Won")
    assert 0 < info.parquet_bytes < 20_000


def test_leads_are_stored_as_one_parquet_blob_not_rows(tmp_path: Path) -> None:
    path = _new(tmp_path)
    with WorkshopFile.open(path) as f:
        f.save_leads(1, make_leads(rows=500))
    con = sqlite3.connect(path)
    try:
        (count, blob, rows) = con.execute("SELECT count(*), parquet, rows FROM lead_dataset").fetchone()
        sources = con.execute("SELECT position, name, format FROM lead_source ORDER BY position").fetchall()
    finally:
        con.close()
    assert (count, rows) == (1, 500)
    assert blob[:4] == b"PAR1" and blob[-4:] == b"PAR1"
    assert sources == [(0, "a-leads.csv", "csv"), (1, "deals.xlsx", "xlsx")]


def test_reimport_replaces_the_data_set_and_the_last_mapping_is_remembered(tmp_path: Path) -> None:
    path = _new(tmp_path)
    with WorkshopFile.open(path) as f:
        assert f.last_mapping() is None
        f.save_leads(1, make_leads(rows=5, label="a"))
        second = make_leads(rows=8, label="b")
        second.mapping = Mapping(
            id="mql_id", created="first_contact_date", date_order="DMY", success=SuccessRule(kind=SuccessKind.MATCHED)
        )
        second.sources = second.sources[:1]
        f.save_leads(1, second)
    with WorkshopFile.open(path) as f:
        loaded = f.load_leads(1)
        assert loaded is not None
        assert loaded.table.column("id").to_pylist() == [f"b-{i}" for i in range(8)]
        assert [s.name for s in loaded.sources] == ["b-leads.csv"]
        assert f.last_mapping() == second.mapping
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM lead_dataset").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM lead_source").fetchone() == (1,)
    con.close()


def test_leads_of_a_signed_revision_cannot_be_replaced(tmp_path: Path) -> None:
    path = _new(tmp_path)
    with WorkshopFile.open(path) as f:
        f.save_leads(1, make_leads())
        f.lock_revision(1, "0" * 64, dt.datetime(2026, 7, 14, tzinfo=UTC))
    before = path.read_bytes()
    with WorkshopFile.open(path) as f:
        with pytest.raises(WorkshopFileError, match="signed and read-only"):
            f.save_leads(1, make_leads(label="z"))
        with pytest.raises(WorkshopFileError, match="revision 99 does not exist"):
            f.save_leads(99, make_leads(label="z"))
    assert path.read_bytes() == before
    with WorkshopFile.open(path, read_only=True) as f:
        with pytest.raises(WorkshopFileError, match="open read-only"):
            f.save_leads(1, make_leads(label="z"))


def test_document_leads_are_lazy_replaceable_refused_when_locked_and_carried_to_the_next_revision(
    tmp_path: Path,
) -> None:
    path = _new(tmp_path)
    doc = Document.open(path)
    seen: list[object] = []
    doc.subscribe(seen.append)
    try:
        assert doc.load_leads() is None and doc.leads_info() is None
        data = make_leads()
        doc.replace_leads(data)
        assert len(seen) == 1 and isinstance(seen[0], LeadsReplaced) and seen[0].data is data
    finally:
        doc.close()

    doc = Document.open(path)
    try:
        info = doc.leads_info()
        assert info is not None and info.rows == 5
        leads = doc.load_leads()
        assert leads is not None and leads.table.equals(data.table)
        # Sign by everyone: the revision locks, and its leads with it.
        for signer in doc.defs.signers():
            doc.sign(signer.name)
        assert doc.locked
        with pytest.raises(RevisionLocked, match="signed and locked"):
            doc.replace_leads(make_leads(label="z"))
        doc.start_next_revision("2027-Q1")
        assert not doc.locked
        next_leads = doc.load_leads()
        assert next_leads is not None and next_leads.table.equals(data.table)
        doc.replace_leads(make_leads(rows=6, label="n"))
    finally:
        doc.close()

    with WorkshopFile.open(path, read_only=True) as f:
        revs = f.revisions()
        assert [r.label for r in revs] == ["2026-Q4", "2027-Q1"]
        first, second = (f.load_leads(r.id) for r in revs)
        assert first is not None and second is not None
        assert first.table.equals(data.table)  # the signed revision kept its leads
        assert second.table.column("id").to_pylist()[0] == "n-0"
        first_info = f.leads_info(revs[0].id)
        assert first_info is not None
        assert [s.name for s in first_info.sources] == ["a-leads.csv", "deals.xlsx"]


def test_read_only_document_refuses_to_replace_leads(tmp_path: Path) -> None:
    path = _new(tmp_path)
    before = path.read_bytes()
    doc = Document.open(path, read_only=True)
    try:
        with pytest.raises(RevisionLocked, match="read-only"):
            doc.replace_leads(make_leads())
    finally:
        doc.close()
    assert path.read_bytes() == before


def test_a_save_failing_half_way_leaves_the_file_byte_identical(tmp_path: Path) -> None:
    path = _new(tmp_path)
    with WorkshopFile.open(path) as f:
        f.save_leads(1, make_leads())
    before = _snapshot(tmp_path)
    broken = make_leads(label="b")
    broken.sources[1].detail = {"not json": object()}  # fails after the old data set is deleted
    with WorkshopFile.open(path) as f:
        with pytest.raises(Exception):  # noqa: B017 - whatever the JSON encoder raises
            f.save_leads(1, broken)
        loaded = f.load_leads(1)
        assert loaded is not None and loaded.table.column("id").to_pylist()[0] == "a-0"
    assert _snapshot(tmp_path) == before


# --------------------------------------------------------------------------- migration
def test_fixture_is_schema_1() -> None:
    assert check_workshop_file(FIXTURES / "schema-1.accord") == 1
    assert check_workshop_file(FIXTURES / "schema-2.accord") == 2
    assert check_workshop_file(FIXTURES / "schema-3.accord") == 3
    assert SCHEMA_VERSION == 3  # a new format needs its fixture: see tests/fixtures/README.md


def test_opening_a_schema_1_file_writable_backs_it_up_and_migrates_it(tmp_path: Path) -> None:
    path = tmp_path / "old.accord"
    shutil.copyfile(FIXTURES / "schema-1.accord", path)
    original = path.read_bytes()
    with WorkshopFile.open(FIXTURES / "schema-1.accord", read_only=True) as f:
        defs_before = {r.id: f.load_definitions(r.id).model_dump(mode="json") for r in f.revisions()}
        revisions_before = f.revisions()

    doc = Document.open(path)
    try:
        assert doc.file.schema_version == SCHEMA_VERSION and not doc.file.read_only
        assert doc.revision.label == "2026-Q4" and doc.load_leads() is None
        doc.replace_leads(make_leads())
    finally:
        doc.close()

    backup = tmp_path / "old.schema1-backup.accord"
    assert backup.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.accord", "old.schema1-backup.accord"]
    assert check_workshop_file(path) == SCHEMA_VERSION
    assert check_workshop_file(backup) == 1
    with WorkshopFile.open(path, read_only=True) as f:
        assert f.meta("schema_version") == str(SCHEMA_VERSION)
        assert f.revisions() == revisions_before  # signed revision, hashes and all
        assert {r.id: f.load_definitions(r.id).model_dump(mode="json") for r in f.revisions()} == defs_before
        assert f.signatures(1) and f.revision(1).locked
        leads = f.load_leads(2)
        assert leads is not None and leads.quality.rows == 5
        assert f.load_leads(1) is None
    # The tables are those a new file gets.
    (tmp_path / "fresh").mkdir()
    fresh = _new(tmp_path / "fresh")

    def tables(p: Path) -> dict[str, str]:
        con = sqlite3.connect(p)
        try:
            return {
                n: s
                for n, s in con.execute(
                    "SELECT name, sql FROM sqlite_master WHERE name LIKE 'lead%' OR name LIKE 'ix_lead%'"
                )
            }
        finally:
            con.close()

    assert tables(path) == tables(fresh) and set(tables(path)) >= {"lead_dataset", "lead_source"}
    # Opening again does not back up again.
    WorkshopFile.open(path).close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["old.accord", "old.schema1-backup.accord"]


def test_read_only_open_of_a_schema_1_file_writes_nothing_and_sees_no_leads(tmp_path: Path) -> None:
    path = tmp_path / "old.accord"
    shutil.copyfile(FIXTURES / "schema-1.accord", path)
    before = _snapshot(tmp_path)
    doc = Document.open(path, read_only=True)
    try:
        assert doc.file.schema_version == 1
        assert doc.load_leads() is None and doc.leads_info() is None and doc.file.last_mapping() is None
        assert [r.label for r in doc.file.revisions()] == ["2026-Q3", "2026-Q4"]
        with pytest.raises(RevisionLocked):
            doc.replace_leads(make_leads())
    finally:
        doc.close()
    assert _snapshot(tmp_path) == before


def test_schema_1_file_held_by_another_window_opens_read_only_unmigrated(tmp_path: Path) -> None:
    path = tmp_path / "old.accord"
    shutil.copyfile(FIXTURES / "schema-1.accord", path)
    holder = WorkshopFile.open(path)  # migrates
    try:
        second = WorkshopFile.open(path)
        try:
            assert second.read_only and second.schema_version == SCHEMA_VERSION
            assert second.load_leads(2) is None
        finally:
            second.close()
    finally:
        holder.close()


def test_a_second_migration_backup_gets_a_free_name(tmp_path: Path) -> None:
    path = tmp_path / "old.accord"
    (tmp_path / "old.schema1-backup.accord").write_bytes(b"an earlier backup")
    shutil.copyfile(FIXTURES / "schema-1.accord", path)
    WorkshopFile.open(path).close()
    assert (tmp_path / "old.schema1-backup.accord").read_bytes() == b"an earlier backup"
    assert check_workshop_file(tmp_path / "old.schema1-backup-2.accord") == 1


def test_the_fixture_itself_is_never_written() -> None:
    fixture = FIXTURES / "schema-1.accord"
    before = fixture.read_bytes()
    with WorkshopFile.open(fixture, read_only=True) as f:
        assert f.load_leads(2) is None
    assert fixture.read_bytes() == before


# --------------------------------------------------------------------------- import, then store
class _CancelAt:
    """A Progress whose user presses Cancel once `at` of the work is done."""

    seen: list[float]

    def __init__(self, at: float) -> None:
        self.at, self.seen, self._cancel = at, [], False

    def report(self, fraction: float, message: str = "") -> None:
        self.seen.append(fraction)
        if fraction >= self.at:
            self._cancel = True

    def cancelled(self) -> bool:
        return self._cancel


@pytest.mark.parametrize("at", [0.0, 0.3, 0.7])
def test_a_cancelled_import_leaves_the_workshop_byte_identical(tmp_path: Path, at: float) -> None:
    from models.leads.importer import import_leads
    from models.leads.types import Cancelled

    path = _new(tmp_path)
    doc = Document.open(path)
    doc.replace_leads(make_leads())
    before = _snapshot(tmp_path)
    try:
        progress = _CancelAt(at)
        with pytest.raises(Cancelled):
            data = import_leads(
                OLIST_MQL,
                outcomes_path=OLIST_DEALS,
                progress=progress,
            )
            doc.replace_leads(data)  # not reached: the caller stores only a whole import
        assert progress.seen and all(0.0 <= f <= 1.0 for f in progress.seen)
        assert progress.seen == sorted(progress.seen)
        assert _snapshot(tmp_path) == before  # (the lock file is held open and unchanged too)
    finally:
        doc.close()
    info = WorkshopFile.open(path, read_only=True)
    try:
        leads_info = info.leads_info(1)
        assert leads_info is not None and leads_info.rows == 5
    finally:
        info.close()


def test_a_failed_import_leaves_the_workshop_byte_identical(tmp_path: Path) -> None:
    from models.leads.importer import import_leads
    from models.leads.types import LeadFileError

    path = _new(tmp_path)
    binary = tmp_path / "export.csv"
    binary.write_bytes(bytes(range(256)) * 64)
    doc = Document.open(path)
    before = _snapshot(tmp_path)
    try:
        with pytest.raises(LeadFileError, match="export.csv"):
            doc.replace_leads(import_leads(binary))
        assert doc.load_leads() is None
    finally:
        doc.close()
    after = _snapshot(tmp_path)
    before.pop("w.accord.lock", None)
    assert after == before


def test_an_import_progresses_from_0_to_1_and_records_its_sources(tmp_path: Path) -> None:
    from models.leads.importer import import_leads

    progress = _CancelAt(2.0)  # never cancels
    data = import_leads(
        OLIST_MQL,
        outcomes_path=OLIST_DEALS,
        progress=progress,
    )
    assert progress.seen[0] == 0.0 and progress.seen[-1] == 1.0
    assert progress.seen == sorted(progress.seen)
    assert [s.name for s in data.sources] == ["olist_marketing_qualified_leads.csv", "olist_closed_deals.csv"]
    assert data.imported_at is not None and data.imported_at.tzinfo is not None
    assert (data.quality.rows, data.quality.positives) == (8000, 842)


def test_schema_2_fixture_keeps_opening_with_its_leads(tmp_path: Path) -> None:
    """tests/fixtures/schema-2.accord: the demo workshop with the X Education leads imported
    (9,237 leads, 3,559 converted, per the data README), 2026-Q3 signed, 2026-Q4 a draft."""
    fixture = FIXTURES / "schema-2.accord"
    before = fixture.read_bytes()
    assert check_workshop_file(fixture) == 2
    with WorkshopFile.open(fixture, read_only=True) as f:
        revs = f.revisions()
        assert [(r.label, r.status) for r in revs] == [("2026-Q3", "signed"), ("2026-Q4", "draft")]
        for rev in revs:
            data = f.load_leads(rev.id)
            assert data is not None
            assert (data.quality.rows, data.quality.positives) == (9237, 3559)
            assert data.table.num_rows == 9237
            assert data.table.column("outcome").to_pylist().count(True) == 3559
            assert [s.name for s in data.sources] == ["x_education_leads.csv"]
        mapping = f.last_mapping()
        assert mapping is not None and mapping.outcome == "Converted"
    assert fixture.read_bytes() == before
    copy = tmp_path / "copy.accord"
    shutil.copyfile(fixture, copy)
    with WorkshopFile.open(copy) as f:  # migrated forward, after a backup
        assert f.schema_version == SCHEMA_VERSION
        signed = f.revisions()[0]
        defs = f.load_definitions(signed.id)
        assert defs.scoring.history_weeks is None
        # A signature made before format 3 still matches the definitions it signed.
        assert signed.content_hash == content_hash(defs)
        assert all(sig.content_hash == signed.content_hash for sig in f.signatures(signed.id))
        leads = f.load_leads(signed.id)
        assert leads is not None and leads.quality.rows == 9237
    assert (tmp_path / "copy.schema2-backup.accord").read_bytes() == before


def test_schema_3_fixture_opens_as_the_current_format(tmp_path: Path) -> None:
    """tests/fixtures/schema-3.accord: the demo with its leads and 26 weeks of history,
    2026-Q3 signed, 2026-Q4 a draft; the current format, so opening it migrates nothing."""
    fixture = FIXTURES / "schema-3.accord"
    before = fixture.read_bytes()
    copy = tmp_path / "copy.accord"
    shutil.copyfile(fixture, copy)
    with WorkshopFile.open(copy) as f:
        assert f.schema_version == SCHEMA_VERSION == 3
        signed, draft = f.revisions()
        assert (signed.label, signed.status, draft.label, draft.status) == ("2026-Q3", "signed", "2026-Q4", "draft")
        for rev in (signed, draft):
            defs = f.load_definitions(rev.id)
            assert defs.scoring.history_weeks == 26
            leads = f.load_leads(rev.id)
            assert leads is not None and (leads.quality.rows, leads.quality.positives) == (9237, 3559)
        assert signed.content_hash == content_hash(f.load_definitions(signed.id))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.accord"]  # no backup: nothing to migrate
    assert fixture.read_bytes() == before
