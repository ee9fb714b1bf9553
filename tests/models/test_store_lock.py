"""One writer at a time: the lock is the OS's, on the workshop file itself, held as long as the
writer has the file open, whatever path leads to it; a lock that cannot be taken opens the
file read-only with the reason. Every test uses real processes where a second writer is meant."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.definitions import Definitions, ScoringSettings
from models.store import WorkshopFile
from tests.holder import held
from tests.models.conftest import full_definitions
from tests.paths import REPO


@pytest.fixture
def workshop(tmp_path: Path) -> Path:
    path = tmp_path / "w.accord"
    WorkshopFile.create(path, full_definitions()).close()
    return path


def _threshold(path: Path) -> float:
    with WorkshopFile.open(path, read_only=True) as f:
        return f.load_definitions(1).scoring.threshold


# --------------------------------------------------------------------------- many processes
_RACER = textwrap.dedent("""
    import os, sys, time
    from models.store import WorkshopFile
    path, log, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    writable = 0
    for _ in range(rounds):
        f = WorkshopFile.open(path)
        if not f.read_only:
            writable += 1
            os.write(fd, f"enter {os.getpid()}\\n".encode())
            time.sleep(0.002)
            os.write(fd, f"leave {os.getpid()}\\n".encode())
        f.close()
    print(writable)
""")


def test_racing_processes_never_hold_the_file_at_once(workshop: Path, tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    log.write_text("")
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(workshop), str(log), "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(3)
    ]
    writable = 0
    for racer in racers:
        out, err = racer.communicate(timeout=300)
        assert racer.returncode == 0, err
        writable += int(out)
    lines = log.read_text().splitlines()
    assert len(lines) == 2 * writable and writable > 0
    # Every writer left before the next one entered.
    for enter, leave in zip(lines[::2], lines[1::2], strict=True):
        assert enter.split()[0] == "enter" and leave == enter.replace("enter", "leave"), lines


# --------------------------------------------------------------------------- other paths, same file
def _link(workshop: Path, how: str) -> Path:
    other = workshop.with_name(f"{how}.accord")
    if how == "symlink":
        other.symlink_to(workshop.name)
    elif how == "hardlink":
        os.link(workshop, other)
    else:  # the same file named through a symlinked folder
        (workshop.parent / "alias").symlink_to(workshop.parent, target_is_directory=True)
        other = workshop.parent / "alias" / workshop.name
    return other


@pytest.mark.parametrize("how", ["symlink", "hardlink", "linked_folder"])
def test_every_path_to_the_file_leads_to_the_same_lock(workshop: Path, how: str) -> None:
    other = _link(workshop, how)
    with held(workshop):
        with WorkshopFile.open(other) as second:
            assert second.read_only
            assert second.in_use_by is not None
    # And the other way round: held through the other path, the file's own name is read-only.
    with held(other):
        with WorkshopFile.open(workshop) as second:
            assert second.read_only and second.in_use_by is not None


def test_a_symlink_finds_who_holds_the_file(workshop: Path) -> None:
    link = _link(workshop, "symlink")
    with held(workshop):
        with WorkshopFile.open(link) as second:
            assert second.in_use_by is not None and f"on {socket.gethostname()} since " in second.in_use_by


def test_removing_the_lock_file_does_not_let_a_second_writer_in(workshop: Path) -> None:
    with held(workshop):
        sidecar = workshop.with_name("w.accord.lock")
        assert sidecar.exists()  # who holds it, for the windows that open it read-only
        sidecar.unlink()
        with WorkshopFile.open(workshop) as second:
            assert second.read_only
            assert second.in_use_by == "another window or program"  # the lock still holds


def test_the_lock_is_held_until_the_writer_closes(workshop: Path) -> None:
    first = WorkshopFile.open(workshop)
    try:
        for _ in range(3):  # saving, reading and opening it read-only elsewhere do not drop it
            first.save_definitions(1, Definitions(scoring=ScoringSettings(threshold=7)))
            WorkshopFile.open(workshop, read_only=True).close()
            with WorkshopFile.open(workshop) as second:
                assert second.read_only
    finally:
        first.close()
    with WorkshopFile.open(workshop) as third:
        assert not third.read_only


def test_a_command_through_a_symlink_is_refused_while_a_window_holds_the_file(workshop: Path, tmp_path: Path) -> None:
    link = _link(workshop, "symlink")
    with held(workshop):
        done = subprocess.run(
            [sys.executable, "-m", "app.main", "revision", "new", str(link), "--label", "next"],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
        assert done.returncode == 1
        assert done.stderr.startswith("accord: symlink.accord is in use by ") and done.stderr.count("\n") == 1
    with WorkshopFile.open(workshop, read_only=True) as f:
        assert [r.label for r in f.revisions()] == ["Draft 1"]


# --------------------------------------------------------------------------- a lock that cannot be taken
_OPEN_WITHOUT_OVERRIDE = textwrap.dedent("""
    import ctypes, os, sys
    if os.geteuid() == 0:
        # Root writes into any folder: drop the capabilities that let it (CAP_DAC_OVERRIDE,
        # CAP_DAC_READ_SEARCH), so that the folder's mode binds this process too.
        class Header(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]
        class Data(ctypes.Structure):
            _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                        ("inheritable", ctypes.c_uint32)]
        libc = ctypes.CDLL(None, use_errno=True)
        header, data = Header(0x20080522, 0), (Data * 2)()
        if libc.capget(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capget")
        keep = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF
        data[0].effective &= keep
        data[0].permitted &= keep
        if libc.capset(ctypes.byref(header), data) != 0:
            raise OSError(ctypes.get_errno(), "capset")
    from models.document import Document
    doc = Document.open(sys.argv[1])
    try:
        print(doc.read_only)
        print(doc.why_read_only())
        print(doc.defs.scoring.threshold)
    finally:
        doc.close()
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dropping root's override is Linux's")
@pytest.mark.parametrize(
    ("read_only_part", "why"),
    [("folder", "its folder is read-only"), ("file", "you may not write to it")],
)
def test_a_workshop_that_may_not_be_written_opens_read_only_and_says_why(
    tmp_path: Path, read_only_part: str, why: str
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "w.accord"
    WorkshopFile.create(path, full_definitions()).close()
    made_read_only = folder if read_only_part == "folder" else path
    mode = made_read_only.stat().st_mode
    made_read_only.chmod(0o555 if read_only_part == "folder" else 0o444)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _OPEN_WITHOUT_OVERRIDE, str(path)],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
        )
    finally:
        made_read_only.chmod(mode)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "True",
        f"w.accord is open read-only because {why}.",
        str(full_definitions().scoring.threshold),
    ]
    assert sorted(p.name for p in folder.iterdir()) == ["w.accord"]


_OPEN_ON_A_FULL_DISK = textwrap.dedent("""
    import resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # no file may grow: a full disk
    from models.document import Document
    doc = Document.open(sys.argv[1])
    try:
        print(doc.read_only)
        print(doc.why_read_only())
    finally:
        doc.close()
""")


def test_a_workshop_on_a_full_disk_opens_read_only_and_says_why(workshop: Path) -> None:
    before = sorted(p.name for p in workshop.parent.iterdir())
    done = subprocess.run(
        [sys.executable, "-c", _OPEN_ON_A_FULL_DISK, str(workshop)], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True", "w.accord is open read-only because the disk is full."]
    assert sorted(p.name for p in workshop.parent.iterdir()) == before  # no empty lock file left
