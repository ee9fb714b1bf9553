"""The definitions as JSON (the versioned document of `models.definitions_json`), with the
threshold-check figures of the revision's leads when it has any (informative, ignored on
import)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from export.content import ExportContent, report
from models.definitions_json import dumps
from models.store import written_in_place_of


def _finite(value: Any) -> Any:
    """NaN and infinities (undefined rates) as null: JSON has no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def json_text(content: ExportContent, with_check: bool = True) -> str:
    figures = None
    if with_check and content.check is not None:
        figures = _finite(json.loads(json.dumps(content.check.as_json(), default=float)))
    return dumps(content.defs, content.revision, figures)


def write_json(content: ExportContent, path: Path | str, with_check: bool = True, progress: Any = None) -> None:
    report(progress, 0.0, "Writing the definitions JSON\u2026")
    text = json_text(content, with_check)
    path = Path(path)
    with written_in_place_of(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    report(progress, 1.0, f"Wrote {path.name}")
