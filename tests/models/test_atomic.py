"""Writing a file in place of another: through a symlink to its target, never over a folder, a
device, a named pipe or a workshop another window holds, the target's permissions kept, and a
full disk said in one sentence with the target left as it was."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from models.document import Document
from models.store import DiskFull, TargetRefused, WorkshopFile, WorkshopInUse, written_in_place_of
from tests.holder import held, private_device, run_limited
from tests.models.conftest import full_definitions


def _write(target: Path, text: str) -> None:
    with written_in_place_of(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def test_a_symlink_is_written_through_to_its_target(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    _write(link, "new")
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert real.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "real.json"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to("out/made.json")
    _write(link, "new")
    assert link.is_symlink() and (tmp_path / "out" / "made.json").read_text(encoding="utf-8") == "new"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
@pytest.mark.parametrize("kind", ["device", "named pipe", "folder", "symlink to a device"])
def test_a_target_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        target = private_device(tmp_path)
    elif kind == "named pipe":
        target = tmp_path / "pipe.json"
        os.mkfifo(target)
    elif kind == "folder":
        target = tmp_path / "folder.json"
        target.mkdir()
    else:
        target = tmp_path / "null.json"
        target.symlink_to(private_device(tmp_path))
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(TargetRefused) as info:
        _write(target, "x")
    expected = {"symlink to a device": "device"}.get(kind, kind)
    shown = "null-device" if target.is_symlink() else target.name
    assert str(info.value) == f"{shown} is a {expected}, not a regular file; nothing was written to it."
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    if "device" in kind:
        assert (tmp_path / "null-device").is_char_device()
    if kind == "named pipe":
        assert stat.S_ISFIFO(target.stat().st_mode)


def test_a_workshop_another_window_holds_is_not_written_over(tmp_path: Path) -> None:
    workshop = tmp_path / "w.accord"
    WorkshopFile.create(workshop, full_definitions()).close()
    before = workshop.read_bytes()
    with held(workshop):
        with pytest.raises(TargetRefused, match=r"^w\.accord is a workshop in use by .+; nothing was written"):
            _write(workshop, "x")
        link = tmp_path / "link.accord"
        link.symlink_to(workshop.name)
        with pytest.raises(TargetRefused):
            _write(link, "x")
    assert workshop.read_bytes() == before


def test_create_with_force_refuses_a_workshop_another_window_holds(tmp_path: Path) -> None:
    workshop = tmp_path / "w.accord"
    WorkshopFile.create(workshop, full_definitions()).close()
    before = workshop.read_bytes()
    with held(workshop):
        with pytest.raises(WorkshopInUse) as info:
            Document.create(workshop, full_definitions(), force=True)  # the app's New Workshop
        assert str(info.value).startswith("w.accord is in use by ")
        assert str(info.value).endswith("; close it there first (nothing was replaced).")
        assert info.value.holder in str(info.value)
    assert workshop.read_bytes() == before
    WorkshopFile.create(workshop, full_definitions(), force=True).close()  # once closed, it may


def test_the_targets_permissions_are_kept(tmp_path: Path) -> None:
    private = tmp_path / "private.accord"
    private.write_text("old", encoding="utf-8")
    private.chmod(0o600)
    _write(private, "new")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
def test_a_full_disk_is_one_sentence_and_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("before", encoding="utf-8")
    fill = (
        "import sys\n"
        "from pathlib import Path\n"
        "from models.store import written_in_place_of\n"
        "try:\n"
        "    with written_in_place_of(Path(sys.argv[1])) as tmp:\n"
        "        tmp.write_bytes(b'x' * 100_000)\n"
        "except OSError as exc:\n"
        "    print(type(exc).__name__, exc, sep=': ')\n"
    )
    done = run_limited(1000, "-c", fill, target)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "DiskFull: out.txt could not be written because the disk is full; nothing was written.\n"
    assert target.read_text(encoding="utf-8") == "before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
    assert issubclass(DiskFull, OSError)
