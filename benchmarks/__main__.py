"""Run every benchmark module (or those named: `python -m benchmarks bench_scoring`), print a
table, write benchmarks/results.json (a selection updates its own figures there)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = set(argv)
    results: dict[str, float] = {}
    notes: dict[str, str] = {}
    for info in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (only and info.name not in only):
            continue
        module = importlib.import_module(f"benchmarks.{info.name}")
        print(f"running {info.name} ...", flush=True)
        for name, (value, note) in module.run().items():
            results[name] = value
            notes[name] = note
    width = max((len(n) for n in results), default=10)
    print()
    print(f"{'figure':<{width}}  {'value':>12}  note")
    for name, value in results.items():
        print(f"{name:<{width}}  {value:>12.4g}  {notes[name]}")
    path = HERE / "results.json"
    if only and path.exists():  # a selection: its figures replace theirs, the others are kept
        results = {**json.loads(path.read_text(encoding="utf-8")), **results}
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
