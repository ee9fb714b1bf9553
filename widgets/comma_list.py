"""Lists typed into one text field, separated by commas (or lines): the import dialog's
success values and the values that mean "missing"."""

from __future__ import annotations


def split_list(text: str) -> list[str]:
    """'Select, N/A, -' → ['Select', 'N/A', '-'] (empty items dropped)."""
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def join_list(values: list[str]) -> str:
    return ", ".join(v for v in values if v.strip())
