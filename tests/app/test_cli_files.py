"""What the command line writes: never over a workshop another process holds, never over the
workshop it reads or another file it reads (whatever path names them), through a symlink to
its target, never over a device, a named pipe or a folder; and on a full disk one line, exit
1, and nothing half-written."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.app.cli_helpers import Accord
from tests.holder import held, private_device, run_limited


def _listing(folder: Path) -> dict[str, bytes | None]:
    return {
        p.name: (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.iterdir())
        if not (p.is_fifo() or p.is_char_device())
    }


def _one_line_error(result: object, starts: str) -> None:
    code, err = result.returncode, result.stderr  # type: ignore[attr-defined]
    assert code == 1, err
    assert err.startswith(starts), err
    assert err.count("\n") == 1 and "Traceback" not in err, err


# --------------------------------------------------------------------------- a workshop another process holds
def test_new_with_force_refuses_a_workshop_another_process_holds(workshop_path: Path, accord: Accord) -> None:
    before = workshop_path.read_bytes()
    with held(workshop_path):
        result = accord("new", workshop_path, "--force")
        _one_line_error(result, "accord: demo.accord is in use by ")
        assert "close it there first" in result.stderr
        link = workshop_path.with_name("link.accord")
        link.symlink_to(workshop_path.name)
        _one_line_error(accord("new", link, "--demo", "--force"), "accord: link.accord is in use by ")
    assert workshop_path.read_bytes() == before
    assert accord("new", workshop_path, "--force").returncode == 0  # once it is closed


def test_an_export_over_a_workshop_another_process_holds_is_refused(
    workshop_path: Path, tmp_path: Path, accord: Accord
) -> None:
    other = tmp_path / "other.accord"
    assert accord("new", other).returncode == 0
    before = other.read_bytes()
    with held(other):
        _one_line_error(
            accord("export", workshop_path, "--json", other), "accord: other.accord is a workshop in use by "
        )
    assert other.read_bytes() == before


# --------------------------------------------------------------------------- its own input
def _alias(workshop: Path, how: str) -> Path:
    if how == "itself":
        return workshop
    alias = workshop.with_name(f"{how}.out")
    if how == "symlink":
        alias.symlink_to(workshop.name)
    else:
        os.link(workshop, alias)
    return alias


@pytest.mark.parametrize("how", ["itself", "symlink", "hardlink"])
@pytest.mark.parametrize(
    "command",
    [
        ("export", "{w}", "--json", "{out}"),
        ("export", "{w}", "--pdf", "{out}"),
        ("export", "{w}", "--xlsx", "{out}"),
        ("export", "{w}", "--json", "{other}", "--pdf", "{out}"),
        ("definitions", "export", "{w}", "-o", "{out}"),
        ("score", "{w}", "-o", "{out}"),
    ],
    ids=["json", "pdf", "xlsx", "pdf_second", "definitions", "score"],
)
def test_an_output_that_is_the_workshop_itself_is_refused(
    demo_leads_path: Path, tmp_path: Path, accord: Accord, command: tuple[str, ...], how: str
) -> None:
    out = _alias(demo_leads_path, how)
    other = tmp_path / "other.json"
    before = _listing(tmp_path)
    args = [a.format(w=demo_leads_path, out=out, other=other) for a in command]
    result = accord(*args)
    _one_line_error(result, "accord: ")
    assert "is the workshop itself; nothing was written" in result.stderr
    assert _listing(tmp_path) == before


def test_new_refuses_to_write_over_the_definitions_it_is_made_from(
    workshop_path: Path, tmp_path: Path, accord: Accord
) -> None:
    definitions = tmp_path / "defs.json"
    assert accord("definitions", "export", workshop_path, "-o", definitions).returncode == 0
    before = _listing(tmp_path)
    result = accord("new", definitions, "--from-definitions", definitions, "--force")
    _one_line_error(result, "accord: ")
    assert "is the definitions document it is made from itself" in result.stderr
    assert _listing(tmp_path) == before


def test_two_outputs_naming_the_same_file_are_refused(demo_leads_path: Path, tmp_path: Path, accord: Accord) -> None:
    out = tmp_path / "both"
    result = accord("export", demo_leads_path, "--pdf", out, "--json", out)
    _one_line_error(result, "accord: --pdf and --json name the same file")
    assert not out.exists()


# --------------------------------------------------------------------------- what the output path names
def test_an_export_to_a_symlink_replaces_its_target(demo_leads_path: Path, tmp_path: Path, accord: Accord) -> None:
    (tmp_path / "shared").mkdir()
    target = tmp_path / "shared" / "defs.json"
    target.write_text("{}", encoding="utf-8")
    link = tmp_path / "defs.json"
    link.symlink_to(Path("shared") / "defs.json")
    assert accord("export", demo_leads_path, "--json", link).returncode == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "accord-definitions"
    assert accord("definitions", "export", demo_leads_path, "-o", link).returncode == 0
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["revision"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
@pytest.mark.parametrize("kind", ["device", "named pipe", "folder"])
@pytest.mark.parametrize(
    "command",
    [
        ("export", "{w}", "--json", "{out}"),
        ("definitions", "export", "{w}", "-o", "{out}"),
        ("score", "{w}", "-o", "{out}"),
    ],
    ids=["export", "definitions", "score"],
)
def test_an_output_that_is_not_a_regular_file_is_refused(
    demo_leads_path: Path, tmp_path: Path, accord: Accord, kind: str, command: tuple[str, ...]
) -> None:
    if kind == "device":
        out = private_device(tmp_path)
    elif kind == "named pipe":
        out = tmp_path / "pipe"
        os.mkfifo(out)
    else:
        out = tmp_path / "folder"
        out.mkdir()
    before = _listing(tmp_path)
    result = accord(*[a.format(w=demo_leads_path, out=out) for a in command])
    _one_line_error(result, f"accord: {out.name} is a {kind}, not a regular file; nothing was written to it.")
    assert _listing(tmp_path) == before
    assert out.is_char_device() or kind != "device"


# --------------------------------------------------------------------------- a full disk
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
@pytest.mark.parametrize("demo", [False, True], ids=["empty", "demo"])
def test_new_on_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, demo: bool) -> None:
    path = tmp_path / "w.accord"
    done = run_limited(20_000, "-m", "app.main", "new", path, *(["--demo"] if demo else []))
    _one_line_error(done, "accord: w.accord could not be created (")
    assert sorted(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
def test_new_with_force_on_a_full_disk_leaves_the_old_file(workshop_path: Path) -> None:
    before = workshop_path.read_bytes()
    done = run_limited(20_000, "-m", "app.main", "new", workshop_path, "--demo", "--force")
    _one_line_error(done, "accord: demo.accord could not be created (")
    assert sorted(p.name for p in workshop_path.parent.iterdir()) == ["demo.accord"]
    assert workshop_path.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
def test_an_export_on_a_full_disk_is_one_line_and_leaves_the_old_file(demo_leads_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "scoring.xlsx"
    out.write_bytes(b"last quarter's workbook")
    before = _listing(tmp_path)
    done = run_limited(20_000, "-m", "app.main", "export", demo_leads_path, "--xlsx", out)
    _one_line_error(done, "accord: scoring.xlsx could not be written because the disk is full; nothing was written.")
    assert _listing(tmp_path) == before
