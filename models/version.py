"""Accord's version as installed: `pyproject.toml` is the one place it is written."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def app_version() -> str:
    """The installed distribution's version ("0+unknown" when run from a source tree that was
    never installed)."""
    try:
        return version("accord")
    except PackageNotFoundError:
        return "0+unknown"
