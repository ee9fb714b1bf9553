"""The workshop file: round trip, refusing bad files without touching them, locking, crash safety."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session

import models.store as store
from models.definitions import Definitions, GlossaryTerm, ScoringSettings, now_utc
from models.store import SCHEMA_VERSION, WorkshopFile, WorkshopFileError, check_workshop_file, definitions_rows
from tests.models.conftest import full_definitions

REPO = Path(__file__).resolve().parents[2]


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of a folder with its bytes (None for sub-folders)."""
    return {p.name: (None if p.is_dir() else p.read_bytes()) for p in sorted(folder.iterdir())}


def _load(path: Path) -> dict:
    with WorkshopFile.open(path, read_only=True) as f:
        revs = f.revisions()
        return f.load_definitions(revs[-1].id).model_dump(mode="json")


# --------------------------------------------------------------------------- round trip
def test_create_open_round_trip_keeps_every_section(tmp_path: Path) -> None:
    original = full_definitions()
    path = tmp_path / "round.accord"
    WorkshopFile.create(path, original, label="2026-Q3").close()

    with WorkshopFile.open(path) as f:
        assert not f.read_only and f.in_use_by is None
        revs = f.revisions()
        assert [(r.label, r.status, r.content_hash, r.signed_at) for r in revs] == [("2026-Q3", "draft", None, None)]
        assert revs[0].created_at.tzinfo is not None
        assert f.meta("format") == "accord-workshop"
        assert f.meta("schema_version") == str(SCHEMA_VERSION)
        loaded = f.load_definitions(revs[0].id)

    dumped = loaded.model_dump(mode="json")
    assert dumped == original.model_dump(mode="json")
    # A few values written out by hand: dates, enums, lists, None, order, non-ASCII.
    assert dumped["team"]["date"] == "2026-07-14"
    assert dumped["team"]["workshop_name"] == "Q3 alignment — Zürich"
    assert dumped["team"]["revenue_goal"] is None
    assert dumped["scoring"] == {
        "threshold": 42.5,
        "minimum_fit": 10.0,
        "as_of_date": "2026-07-31",
        "history_weeks": None,
    }
    assert [s["uid"] for s in dumped["stages"]] == ["s-inq", "s-mql", "s-sal"]
    assert [s["sla_hours"] for s in dumped["stages"]] == [None, 24.0, 48.5]
    assert dumped["stages"][2]["owner"] == "Sales"
    assert dumped["terms"][1]["status"] == "disputed"
    assert dumped["rules"][1]["values"] == ["Reference", "Welingak Website"]
    assert dumped["rules"][2]["operator"] == "count" and dumped["rules"][2]["cap"] == 10.0
    assert dumped["rules"][3]["decay_half_life_days"] == 30.0
    assert dumped["decisions"][0]["created"] == "2026-07-14T09:30:00Z"
    assert dumped["decisions"][1]["created"] is None
    assert dumped["decisions"][1]["kind"] == "parking"
    assert dumped["timeboxes"]["scoring"] == 60
    assert dumped["participants"][2]["signer"] is False


def test_round_trip_of_empty_definitions(tmp_path: Path) -> None:
    path = tmp_path / "empty.accord"
    empty = Definitions(timeboxes={})
    WorkshopFile.create(path, empty).close()
    assert _load(path) == empty.model_dump(mode="json")


def test_create_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "w.accord"
    WorkshopFile.create(path, full_definitions()).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.accord"]


def test_create_refuses_an_existing_file_without_force(tmp_path: Path) -> None:
    path = tmp_path / "taken.accord"
    path.write_bytes(b"somebody else's work")
    with pytest.raises(WorkshopFileError, match=r"taken\.accord already exists"):
        WorkshopFile.create(path, full_definitions())
    assert path.read_bytes() == b"somebody else's work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.accord"]


def test_create_with_force_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.accord"
    first = full_definitions()
    WorkshopFile.create(path, first, label="old").close()
    second = Definitions(terms=[GlossaryTerm(uid="t-new", term="Replacement")])
    WorkshopFile.create(path, second, label="new", force=True).close()
    with WorkshopFile.open(path) as f:
        assert [r.label for r in f.revisions()] == ["new"]
    assert _load(path) == second.model_dump(mode="json")
    assert _load(path)["terms"][0]["term"] == "Replacement"


# --------------------------------------------------------------------------- bad files
def _accord(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    WorkshopFile.create(path, full_definitions()).close()
    return path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "missing.accord"


def _folder(tmp_path: Path) -> Path:
    path = tmp_path / "folder.accord"
    path.mkdir()
    (path / "inside.txt").write_text("x")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.accord"
    path.write_bytes(b"")
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.accord"
    path.write_text("Stage,Definition\nMQL,Score above 40\n", encoding="utf-8")
    return path


def _png(tmp_path: Path) -> Path:
    path = tmp_path / "picture.accord"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return path


def _other_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "crm.accord"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE revision (id INTEGER PRIMARY KEY, label TEXT)")
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO revision (label) VALUES ('not ours')")
    con.commit()
    con.close()
    return path


def _newer_schema(tmp_path: Path) -> Path:
    path = _accord(tmp_path, "future.accord")
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    con.close()
    return path


def _truncated(tmp_path: Path) -> Path:
    path = _accord(tmp_path, "truncated.accord")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _overwritten_middle(tmp_path: Path) -> Path:
    path = _accord(tmp_path, "scribbled.accord")
    data = bytearray(path.read_bytes())
    start = (len(data) // 2) // 4096 * 4096  # a page in the middle
    data[start : start + 8192] = b"\xff" * 8192
    path.write_bytes(bytes(data))
    return path


def _zeroed_middle(tmp_path: Path) -> Path:
    path = _accord(tmp_path, "zeroed.accord")
    data = bytearray(path.read_bytes())
    start = (len(data) // 2) // 4096 * 4096
    data[start : start + 8192] = b"\x00" * 8192
    path.write_bytes(bytes(data))
    return path


def _no_revision(tmp_path: Path) -> Path:
    path = _accord(tmp_path, "norev.accord")
    con = sqlite3.connect(path)
    con.execute("DELETE FROM revision")
    con.commit()
    con.close()
    return path


BAD_FILES: list[tuple[Callable[[Path], Path], str]] = [
    (_missing, "no such file"),
    (_folder, "is a folder, not an Accord workshop file"),
    (_empty, "is empty: it is not an Accord workshop file"),
    (_text, "is not an Accord workshop file (it is not an SQLite database)"),
    (_png, "is not an Accord workshop file (it is not an SQLite database)"),
    (_other_sqlite, "is an SQLite database but not an Accord workshop file"),
    (
        _newer_schema,
        f"was written by a newer version of Accord (file format {SCHEMA_VERSION + 1}; "
        f"this version reads up to {SCHEMA_VERSION}). Update Accord to open it.",
    ),
    (_truncated, "is damaged"),
    (_overwritten_middle, "is damaged"),
    (_zeroed_middle, "is damaged"),
    (_no_revision, "is damaged: it holds no revision"),
]


@pytest.mark.parametrize(("make", "expected"), BAD_FILES, ids=[m.__name__.strip("_") for m, _ in BAD_FILES])
@pytest.mark.parametrize("how", ["check", "open", "open_read_only"])
def test_bad_file_is_refused_and_left_untouched(
    tmp_path: Path, make: Callable[[Path], Path], expected: str, how: str
) -> None:
    path = make(tmp_path)
    before = _snapshot(tmp_path)
    inside_before = _snapshot(path) if path.is_dir() else None

    with pytest.raises(WorkshopFileError) as info:
        if how == "check":
            check_workshop_file(path)
        else:
            WorkshopFile.open(path, read_only=(how == "open_read_only"))

    message = str(info.value)
    assert message.startswith(path.name), message
    assert expected in message
    # Nothing written: same entries (no lock, journal or temporary file), same bytes.
    assert _snapshot(tmp_path) == before
    if inside_before is not None:
        assert _snapshot(path) == inside_before


# --------------------------------------------------------------------------- locking
def test_second_open_is_read_only_and_says_who_holds_the_file(tmp_path: Path) -> None:
    path = _accord(tmp_path, "shared.accord")
    first = WorkshopFile.open(path)
    try:
        assert not first.read_only
        assert (tmp_path / "shared.accord.lock").exists()
        second = WorkshopFile.open(path)
        try:
            assert second.read_only
            assert second.in_use_by is not None
            assert f"on {socket.gethostname()} since " in second.in_use_by
            # It can still read.
            assert second.load_definitions(1).model_dump(mode="json") == first.load_definitions(1).model_dump(
                mode="json"
            )
        finally:
            second.close()
    finally:
        first.close()
    assert not (tmp_path / "shared.accord.lock").exists()

    third = WorkshopFile.open(path)
    try:
        assert not third.read_only
        assert third.in_use_by is None
        third.save_definitions(1, Definitions())
    finally:
        third.close()
    assert _load(path) == Definitions().model_dump(mode="json")


def test_read_only_file_refuses_every_write(tmp_path: Path) -> None:
    path = _accord(tmp_path, "ro.accord")
    before = path.read_bytes()
    with WorkshopFile.open(path, read_only=True) as f:
        assert f.read_only and f.in_use_by is None
        writes: list[Callable[[], object]] = [
            lambda: f.save_definitions(1, Definitions()),
            lambda: f.add_revision("next", Definitions()),
            lambda: f.set_meta("x", "y"),
            lambda: f.lock_revision(1, "0" * 64, now_utc()),
            lambda: f.add_signature(1, store.SignatureInfo("Priya Raman", "VP Sales", now_utc(), "", "0" * 64)),
        ]
        for write in writes:
            with pytest.raises(WorkshopFileError, match=r"ro\.accord is open read-only\."):
                write()
    assert path.read_bytes() == before
    assert not (tmp_path / "ro.accord.lock").exists()


def test_lock_held_by_another_process_is_released_when_it_dies(tmp_path: Path) -> None:
    path = _accord(tmp_path, "other.accord")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent("""
            import sys
            from models.store import WorkshopFile
            f = WorkshopFile.open(sys.argv[1])
            print("read_only" if f.read_only else "holding", flush=True)
            sys.stdin.read()
        """),
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with WorkshopFile.open(path) as f:
            assert f.read_only
            assert f.in_use_by is not None and socket.gethostname() in f.in_use_by
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with WorkshopFile.open(path) as f:  # the OS dropped the dead process's lock
        assert not f.read_only and f.in_use_by is None


# --------------------------------------------------------------------------- crash safety
_CRASH_SCRIPT = textwrap.dedent("""
    import os, sys
    import models.store as store
    from models.definitions import Definitions, GlossaryTerm
    from models.store import definitions_rows

    path, spill = sys.argv[1], sys.argv[2] == "spill"
    f = store.WorkshopFile.open(path)
    assert not f.read_only

    def crash(s, revision_id, d):
        if spill:  # a tiny page cache makes SQLite write changed pages into the file itself
            s.connection().exec_driver_sql("PRAGMA cache_size=1")
        s.add(store.TeamTargetsRow(revision_id=revision_id, **d.team.model_dump()))
        for i in range(1500 if spill else 3):
            s.add(store.GlossaryTermRow(revision_id=revision_id, position=i,
                                        **GlossaryTerm(term=f"term {i}", definition="x" * 300).model_dump()))
        s.flush()
        print("crashing", flush=True)
        os._exit(1)

    definitions_rows.write_definitions = crash
    f.save_definitions(1, Definitions())
    print("not reached", flush=True)
""")


@pytest.mark.parametrize("spill", ["no_spill", "spill"])
def test_crash_in_the_middle_of_a_save_leaves_the_previous_definitions(tmp_path: Path, spill: str) -> None:
    path = tmp_path / "crash.accord"
    original = full_definitions()
    WorkshopFile.create(path, original).close()
    before = path.read_bytes()

    done = subprocess.run(
        [sys.executable, "-c", _CRASH_SCRIPT, str(path), spill], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout.strip() == "crashing", done.stderr
    journal = tmp_path / "crash.accord-journal"
    assert journal.exists()  # the transaction really was cut short
    if spill == "spill":
        assert path.read_bytes() != before  # uncommitted pages reached the file itself

    with WorkshopFile.open(path) as f:
        assert not f.read_only
        assert [r.label for r in f.revisions()] == ["Draft 1"]
        assert f.load_definitions(1).model_dump(mode="json") == original.model_dump(mode="json")
        # And it can be written again.
        f.save_definitions(1, Definitions(scoring=ScoringSettings(threshold=12)))
    assert not journal.exists()
    assert _load(path)["scoring"]["threshold"] == 12.0


def test_hot_journal_of_another_applications_database_is_not_replayed(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x TEXT)")
    con.commit()
    con.close()
    script = textwrap.dedent("""
        import os, sqlite3, sys
        con = sqlite3.connect(sys.argv[1])
        con.execute("PRAGMA cache_size=1")
        con.execute("BEGIN")
        for i in range(2000):
            con.execute("INSERT INTO t VALUES (?)", ("y" * 300,))
        os._exit(1)
    """)
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, cwd=REPO, timeout=120)
    assert done.returncode == 1
    assert (tmp_path / "crm.sqlite-journal").exists()
    before = _snapshot(tmp_path)
    with pytest.raises(WorkshopFileError, match=r"^crm\.sqlite "):
        WorkshopFile.open(path)
    assert _snapshot(tmp_path) == before  # neither the database nor its journal was touched


def test_error_raised_inside_a_save_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fail.accord"
    original = full_definitions()
    with WorkshopFile.create(path, original) as f:
        real_write = definitions_rows.write_definitions

        def half_then_fail(s: Session, revision_id: int, d: Definitions) -> None:
            real_write(s, revision_id, d)  # every row written...
            s.flush()
            raise RuntimeError("power cut")  # ...and then the save fails before commit

        monkeypatch.setattr(definitions_rows, "write_definitions", half_then_fail)
        with pytest.raises(RuntimeError, match="power cut"):
            f.save_definitions(1, Definitions())
        assert f.load_definitions(1).model_dump(mode="json") == original.model_dump(mode="json")
    assert _load(path) == original.model_dump(mode="json")
    assert not (tmp_path / "fail.accord-journal").exists()


def test_database_error_inside_a_save_is_reported_and_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "disk.accord"
    original = full_definitions()
    with WorkshopFile.create(path, original) as f:

        def write_then_fail(s: Session, revision_id: int, d: Definitions) -> None:
            s.connection().exec_driver_sql("INSERT INTO no_such_table VALUES (1)")

        monkeypatch.setattr(definitions_rows, "write_definitions", write_then_fail)
        with pytest.raises(WorkshopFileError, match=r"^disk\.accord could not be saved: no such table"):
            f.save_definitions(1, Definitions())
        assert f.load_definitions(1).model_dump(mode="json") == original.model_dump(mode="json")
    assert _load(path) == original.model_dump(mode="json")


def test_lock_file_records_who_holds_it(tmp_path: Path) -> None:
    path = _accord(tmp_path, "who.accord")
    with WorkshopFile.open(path):
        info = json.loads((tmp_path / "who.accord.lock").read_text(encoding="utf-8"))
        assert info["pid"] == os.getpid()
        assert info["host"] == socket.gethostname()
        assert set(info) == {"user", "host", "pid", "since"}
