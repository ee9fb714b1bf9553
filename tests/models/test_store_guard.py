"""Every write checks that the file is as its writer last read or wrote it: still at its path,
the same file, not changed by another program. Otherwise the write is refused with a sentence
saying what happened, nothing is written anywhere, and the window's edit is undone."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from models.definitions import Definitions, ScoringSettings, now_utc
from models.document import Document
from models.edits import SetField
from models.store import (
    SignatureInfo,
    WorkshopChanged,
    WorkshopFile,
    WorkshopFileError,
    WorkshopGone,
    WorkshopMovedOrChanged,
    WorkshopReplaced,
)
from tests.models.conftest import full_definitions


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    path = tmp_path / "w.accord"
    WorkshopFile.create(path, full_definitions()).close()
    return path


@pytest.fixture
def opened(workshop: Path) -> Iterator[WorkshopFile]:
    f = WorkshopFile.open(workshop)
    assert not f.read_only
    yield f
    f.close()


def _threshold(path: Path) -> float:
    with WorkshopFile.open(path, read_only=True) as f:
        return f.load_definitions(1).scoring.threshold


def _save(f: WorkshopFile, threshold: float) -> None:
    f.save_definitions(1, Definitions(scoring=ScoringSettings(threshold=threshold)))


ORIGINAL = full_definitions().scoring.threshold


def test_own_saves_in_a_row_are_not_mistaken_for_another_program(opened: WorkshopFile, workshop: Path) -> None:
    for threshold in (1, 2, 3):
        _save(opened, threshold)
        opened.set_meta("x", str(threshold))
        opened.add_revision(f"r{threshold}", Definitions())
    assert _threshold(workshop) == 3


@pytest.mark.parametrize("how", ["renamed", "moved", "deleted", "folder_renamed"])
def test_a_save_to_a_file_no_longer_at_its_path_is_refused(
    opened: WorkshopFile, workshop: Path, tmp_path: Path, how: str
) -> None:
    elsewhere = tmp_path / "other" / "w.accord"
    elsewhere.parent.mkdir()
    if how == "renamed":
        moved_to: Path | None = workshop.rename(workshop.with_name("renamed.accord"))
    elif how == "moved":
        moved_to = workshop.rename(elsewhere)
    elif how == "deleted":
        workshop.unlink()
        moved_to = None
    else:
        moved_to = workshop.parent.rename(tmp_path.parent / f"{tmp_path.name}-renamed") / "w.accord"
    with pytest.raises(WorkshopGone) as info:
        _save(opened, 99)
    assert str(info.value) == "w.accord was moved, renamed or deleted since it was opened; nothing was saved."
    assert not workshop.exists()
    if moved_to is not None:  # the file that went elsewhere was not written either
        assert _threshold(moved_to) == ORIGINAL


@pytest.mark.parametrize("how", ["renamed_over", "copied_over_by_rename", "symlink_repointed"])
def test_a_save_to_a_file_replaced_by_another_is_refused(tmp_path: Path, how: str) -> None:
    real = tmp_path / "real.accord"
    WorkshopFile.create(real, full_definitions()).close()
    path = real
    if how == "symlink_repointed":
        path = tmp_path / "link.accord"
        path.symlink_to(real.name)
    other = tmp_path / "other.accord"
    WorkshopFile.create(other, Definitions(scoring=ScoringSettings(threshold=5))).close()
    f = WorkshopFile.open(path)
    try:
        if how == "renamed_over":
            other.replace(real)
        elif how == "copied_over_by_rename":  # as a sync client or a file manager does
            shutil.copyfile(other, tmp_path / "tmp")
            (tmp_path / "tmp").replace(real)
        else:
            path.unlink()
            path.symlink_to(other.name)
        with pytest.raises(WorkshopReplaced) as info:
            _save(f, 99)
    finally:
        f.close()
    assert str(info.value) == f"{path.name} was replaced by another file since it was opened; nothing was saved."
    assert _threshold(path) == 5  # the file now there is as it was


def _sqlite_shell(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE scoring_settings SET threshold = 5 WHERE revision_id = 1")
    con.commit()
    con.close()


def _copied_in_place(path: Path) -> None:
    """Another workshop's bytes written over this one's, in place (as `cp` does)."""
    other = path.with_name("other.accord")
    WorkshopFile.create(other, Definitions(scoring=ScoringSettings(threshold=5))).close()
    with open(path, "r+b") as fh:
        fh.truncate(0)
        fh.write(other.read_bytes())


@pytest.mark.parametrize("change", [_sqlite_shell, _copied_in_place], ids=["sqlite_shell", "copied_in_place"])
def test_a_save_over_another_programs_change_is_refused(
    opened: WorkshopFile, workshop: Path, change: Callable[[Path], None]
) -> None:
    _save(opened, 1)  # its own save first: the check compares with the last one
    change(workshop)
    with pytest.raises(WorkshopChanged) as info:
        _save(opened, 99)
    assert str(info.value) == "w.accord was changed by another program since it was opened; nothing was saved."
    assert _threshold(workshop) == 5  # the other program's change is kept


def test_after_reading_the_file_again_saving_goes_on(opened: WorkshopFile, workshop: Path) -> None:
    _sqlite_shell(workshop)
    with pytest.raises(WorkshopChanged):
        _save(opened, 99)
    assert opened.load_definitions(1).scoring.threshold == 5  # what the app reloads
    opened.mark_read()
    _save(opened, 6)
    assert _threshold(workshop) == 6


def test_the_window_undoes_a_refused_edit(workshop: Path) -> None:
    doc = Document.open(workshop)
    try:
        before = doc.defs.scoring.threshold
        _sqlite_shell(workshop)
        with pytest.raises(WorkshopMovedOrChanged):
            doc.apply(SetField("scoring", None, "threshold", before, 77))
        assert doc.defs.scoring.threshold == before  # undone in memory too
    finally:
        doc.close()
    assert _threshold(workshop) == 5


def test_every_kind_of_write_is_checked(opened: WorkshopFile, workshop: Path) -> None:
    _sqlite_shell(workshop)
    before = workshop.read_bytes()
    writes: list[Callable[[], object]] = [
        lambda: _save(opened, 9),
        lambda: opened.save_field(1, Definitions(), "scoring", None, "threshold"),
        lambda: opened.add_revision("next", Definitions()),
        lambda: opened.set_meta("x", "y"),
        lambda: opened.add_signature(1, SignatureInfo("Priya Raman", "", now_utc(), "", "0" * 64), lock=True),
        lambda: opened.lock_revision(1, "0" * 64, now_utc()),
    ]
    for write in writes:
        with pytest.raises(WorkshopChanged):
            write()
    assert workshop.read_bytes() == before


def test_a_closed_file_is_not_written(workshop: Path) -> None:
    f = WorkshopFile.open(workshop)
    f.close()
    with pytest.raises(WorkshopFileError, match=r"^w\.accord was closed"):
        _save(f, 9)
    assert _threshold(workshop) == ORIGINAL


def test_the_classes_the_app_tells_apart() -> None:
    for cls in (WorkshopGone, WorkshopReplaced, WorkshopChanged):
        assert issubclass(cls, WorkshopMovedOrChanged) and issubclass(cls, WorkshopFileError)
    assert len({WorkshopGone, WorkshopReplaced, WorkshopChanged}) == 3


def test_a_hard_link_is_the_same_file(opened: WorkshopFile, workshop: Path) -> None:
    os.link(workshop, workshop.with_name("link.accord"))
    _save(opened, 4)  # another name for the same file is no change
    assert _threshold(workshop.with_name("link.accord")) == 4
