"""How a content hash is shown: its first twelve characters wherever a signature is listed
or signed, and the whole SHA-256 in groups of eight once the revision is locked."""

from __future__ import annotations

SHORT_HASH = 12
MONO = "font-family: 'DejaVu Sans Mono', monospace;"


def grouped_hash(digest: str, size: int = 8) -> str:
    """A hash in groups of eight, easier to read aloud and compare with a printed copy."""
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))
