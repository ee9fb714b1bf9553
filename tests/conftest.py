"""Shared fixtures. Qt runs offscreen; every test gets its own temporary files and settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from models.definitions import Definitions
    from widgets.session import WorkshopSession

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep QSettings (recent files, window state) out of the user's home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("ACCORD_SETTINGS_DIR", str(home / "settings"))


@pytest.fixture(scope="session")
def _workshop_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import DEMO_LABEL, demo_definitions
    from models.document import Document

    path = tmp_path_factory.mktemp("workshop-master") / "demo.accord"
    Document.create(path, demo_definitions(), label=DEMO_LABEL).close()
    return path


@pytest.fixture
def workshop_path(_workshop_master: Path, tmp_path: Path) -> Path:
    """A demo workshop file (the demo's definitions, no leads) in this test's folder, closed:
    open it as you need. A copy of one written once per test run."""
    import shutil

    path = tmp_path / "demo.accord"
    shutil.copyfile(_workshop_master, path)
    return path


@pytest.fixture
def session(workshop_path: Path, qapp: object) -> Iterator[WorkshopSession]:
    """An open WorkshopSession on a fresh demo workshop; closed after the test."""
    from models.document import Document
    from widgets.session import WorkshopSession

    s = WorkshopSession(Document.open(workshop_path))
    yield s
    s.close()


def reopen(path: Path) -> Definitions:
    """The definitions as stored on disk (to prove an edit was saved)."""
    from models.document import Document

    doc = Document.open(path, read_only=True)
    try:
        return doc.defs
    finally:
        doc.close()


@pytest.fixture(scope="session")
def _demo_with_leads_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import write_demo_workshop

    path = tmp_path_factory.mktemp("demo-master") / "demo-leads.accord"
    write_demo_workshop(path)
    return path


@pytest.fixture
def demo_leads_path(_demo_with_leads_master: Path, tmp_path: Path) -> Path:
    """The demo workshop with its X Education leads (as `accord new --demo` writes it), copied
    into this test's folder (imported once per test run)."""
    import shutil

    path = tmp_path / "demo-leads.accord"
    shutil.copyfile(_demo_with_leads_master, path)
    return path
