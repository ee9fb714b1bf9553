"""The user's settings (recent files, window state, export choices): QSettings, or an INI
file in ACCORD_SETTINGS_DIR (tests point it at a temp folder)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings


def settings() -> QSettings:
    folder = os.environ.get("ACCORD_SETTINGS_DIR")
    if folder:
        return QSettings(str(Path(folder) / "accord.ini"), QSettings.Format.IniFormat)
    return QSettings("Accord", "Accord")
