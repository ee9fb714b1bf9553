"""The demo workshop the app opens: a fresh copy each time, made from a kept master."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import files
from models.document import Document


def test_each_demo_is_a_fresh_copy_of_one_master_with_its_leads(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (tmp_path / "a").mkdir()
    first = files.fresh_demo_copy(tmp_path / "a", cache=cache)
    [master] = cache.glob("accord-demo-*.accord")
    stamp = master.stat().st_mtime_ns
    (tmp_path / "b").mkdir()
    second = files.fresh_demo_copy(tmp_path / "b", cache=cache)
    assert master.stat().st_mtime_ns == stamp  # copied, not written again
    assert first != second and first.read_bytes() == second.read_bytes() == master.read_bytes()
    assert sorted(p.name for p in cache.iterdir()) == [master.name]  # no temporary or lock file left
    doc = Document.open(second)
    try:
        assert not doc.read_only and doc.revision.label == "2026-Q4"
        info = doc.leads_info()
        assert info is not None and info.rows == 9237
        assert doc.defs.scoring.history_weeks == 26
    finally:
        doc.close()
    # Editing a copy leaves the master as it was.
    assert master.stat().st_mtime_ns == stamp


def test_a_changed_demo_gets_a_new_master(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (tmp_path / "a").mkdir()
    files.fresh_demo_copy(tmp_path / "a", cache=cache)
    monkeypatch.setattr(files, "demo_key", lambda: "another-key")
    (tmp_path / "b").mkdir()
    files.fresh_demo_copy(tmp_path / "b", cache=cache)
    assert len(list(cache.glob("accord-demo-*.accord"))) == 2
    assert (cache / "accord-demo-another-key.accord").exists()


def test_the_key_is_stable_and_follows_what_the_demo_is_made_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert files.demo_key() == files.demo_key()
    names = {p.name for p in files.demo_inputs()}
    assert {"demo.py", "definitions.py", "tables.py", "migration.py", "x_education_leads.csv"} <= names
    source = tmp_path / "demo.py"
    source.write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setattr(files, "demo_inputs", lambda: [source])
    before = files.demo_key()
    source.write_text("A = 2\n", encoding="utf-8")
    assert files.demo_key() != before
