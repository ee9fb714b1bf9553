"""Importing historical leads: a generated 1,000,000-row, 20-column CSV end to end (read,
clean, type, store into a fresh workshop), side by side with a bare `pyarrow.csv.read_csv`
of the same file in the same run; the peak memory of the import; reopening that workshop and
loading its leads; and a generated 100,000-row × 20-column XLSX end to end.

The generated files are cached in the system temp folder (never in the repository). The
import runs in a child process so that its peak RSS (`RUSAGE_CHILDREN`) is its own; its time
is measured inside the child from the call of `import_leads` to the committed save, module
imports excluded (the bare read is timed with pyarrow already imported too). As in the app,
the mapping is the one the mapping dialog guesses from its preview and the user confirms
before the import starts; the import then reads, cleans, types and stores every row.

Goals (issue 3): ratio ≤ 2.5, reopen < 1 s, peak < 1.5 GB.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(tempfile.gettempdir()) / "accord-bench"
CSV_ROWS = 1_000_000
XLSX_ROWS = 100_000
GEN_VERSION = 1

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from models.definitions import new_definitions
from models.leads.importer import import_leads
from models.leads.mapping import guess_mapping
from models.leads.read import preview_file
from models.store import WorkshopFile

source, target = Path(sys.argv[1]), Path(sys.argv[2])
mapping = guess_mapping(preview_file(source))  # what the mapping dialog shows and the user confirms
start = time.perf_counter()
data = import_leads(source, mapping)
read = time.perf_counter()
with WorkshopFile.create(target, new_definitions(), force=True) as f:
    f.save_leads(f.revisions()[-1].id, data)
end = time.perf_counter()
print(json.dumps({"seconds": end - start, "import_s": read - start, "store_s": end - read,
                  "rows": data.quality.rows, "rejected": len(data.rejected),
                  "self_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

OWNERS = [f"Rep {i:02d}" for i in range(40)]
SOURCES = [
    "Google",
    "Direct Traffic",
    "Olark Chat",
    "Organic Search",
    "Reference",
    "Welingak Website",
    "Referral Sites",
    "Facebook",
    "bing",
    "Click2call",
]
COUNTRIES = [
    "India",
    "United States",
    "United Arab Emirates",
    "Singapore",
    "Saudi Arabia",
    "United Kingdom",
    "Australia",
    "Qatar",
    "Hong Kong",
    "Bahrain",
    "Germany",
    "France",
]
INDUSTRIES = [f"Industry {c}" for c in "ABCDEFGHIJKLMNOPQRST"]
STAGES = ["Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity"]
ACTIVITIES = [
    "Email Opened",
    "SMS Sent",
    "Olark Chat Conversation",
    "Page Visited on Website",
    "Converted to Lead",
    "Email Bounced",
    "Email Link Clicked",
    "Form Submitted on Website",
]
CAMPAIGNS = [f"Campaign {i:03d}" for i in range(120)]


def _columns(rows: int, seed: int) -> dict[str, np.ndarray]:
    """20 columns: id, outcome, created, owner, 6 numbers, 6 categories, 3 flags, e-mail."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01")
    created = start + rng.integers(0, 540, rows).astype("timedelta64[D]")
    pick = lambda values: np.asarray(values, dtype=object)[rng.integers(0, len(values), rows)]  # noqa: E731
    yes_no = lambda p: np.where(rng.random(rows) < p, "Yes", "No").astype(object)  # noqa: E731
    return {
        "Lead ID": np.char.add("L", np.arange(1, rows + 1).astype(str)).astype(object),
        "Converted": np.where(rng.random(rows) < 0.3, "yes", "no").astype(object),
        "Created Date": created.astype(str).astype(object),
        "Lead Owner": pick(OWNERS),
        "TotalVisits": rng.poisson(3.5, rows).astype(np.int64),
        "Total Time Spent on Website": rng.integers(0, 2500, rows),
        "Page Views Per Visit": np.round(rng.gamma(2.0, 1.2, rows), 2),
        "Lead Score": rng.integers(0, 100, rows),
        "Annual Revenue": np.round(rng.lognormal(11, 1.2, rows), 2),
        "Employees": rng.integers(1, 5000, rows),
        "Lead Source": pick(SOURCES),
        "Country": pick(COUNTRIES),
        "Industry": pick(INDUSTRIES),
        "Lifecycle Stage Seen": pick(STAGES),
        "Last Activity": pick(ACTIVITIES),
        "Campaign": pick(CAMPAIGNS),
        "Do Not Email": yes_no(0.08),
        "Do Not Call": yes_no(0.01),
        "Opted In": yes_no(0.6),
        "Email": np.char.add(np.char.add("person", rng.integers(0, rows * 4, rows).astype(str)), "@example.com").astype(
            object
        ),
    }


def csv_file() -> Path:
    path = CACHE / f"leads-{CSV_ROWS}-v{GEN_VERSION}.csv"
    if path.exists():
        return path
    import pyarrow as pa
    import pyarrow.csv as pacsv

    CACHE.mkdir(parents=True, exist_ok=True)
    table = pa.table(_columns(CSV_ROWS, seed=1))
    tmp = path.with_suffix(".tmp")
    pacsv.write_csv(table, tmp, pacsv.WriteOptions(quoting_style="none"))
    tmp.replace(path)
    return path


def xlsx_file() -> Path:
    path = CACHE / f"leads-{XLSX_ROWS}-v{GEN_VERSION}.xlsx"
    if path.exists():
        return path
    from openpyxl import Workbook

    CACHE.mkdir(parents=True, exist_ok=True)
    cols = _columns(XLSX_ROWS, seed=2)
    names = list(cols)
    cols["Created Date"] = np.array([dt.datetime.fromisoformat(d) for d in cols["Created Date"]], dtype=object)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Leads")
    ws.append(names)
    lists = [cols[n].tolist() for n in names]
    for row in zip(*lists, strict=True):
        ws.append(row)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


def _bare_read(path: Path) -> float:
    import pyarrow.csv as pacsv

    start = time.perf_counter()
    table = pacsv.read_csv(path)
    seconds = time.perf_counter() - start
    assert table.num_rows == CSV_ROWS
    return seconds


def _child_import(source: Path, target: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), str(target)], cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import of {source.name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _reopen(path: Path) -> float:
    from models.store import WorkshopFile

    start = time.perf_counter()
    with WorkshopFile.open(path, read_only=True) as f:
        data = f.load_leads(f.revisions()[-1].id)
    seconds = time.perf_counter() - start
    assert data is not None and data.table.num_rows == CSV_ROWS
    return seconds


def _xlsx_import(source: Path, target: Path) -> float:
    from models.definitions import new_definitions
    from models.leads.importer import import_leads
    from models.leads.mapping import guess_mapping
    from models.leads.read import preview_file
    from models.store import WorkshopFile

    mapping = guess_mapping(preview_file(source))  # the mapping dialog's guess, confirmed
    start = time.perf_counter()
    data = import_leads(source, mapping)
    with WorkshopFile.create(target, new_definitions(), force=True) as f:
        f.save_leads(f.revisions()[-1].id, data)
    seconds = time.perf_counter() - start
    assert data.quality.rows == XLSX_ROWS, data.quality.rows
    return seconds


def run() -> dict[str, tuple[float, str]]:
    source = csv_file()
    size_mb = source.stat().st_size / 1e6
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as folder:
        workshop = Path(folder) / "leads-1m.accord"
        child = _child_import(source, workshop)  # the first child of this run: its peak is RUSAGE_CHILDREN's
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        child2 = _child_import(source, workshop)
        for c in (child, child2):  # the whole file went in: a bad guess cannot flatter the figure
            assert c["rows"] == CSV_ROWS and c["rejected"] == 0, c
        imports = [child["seconds"], child2["seconds"]]
        _bare_read(source)  # warm
        references = [_bare_read(source) for _ in range(3)]
        import_s, reference_s = min(imports), min(references)
        ratio = import_s / reference_s
        best = child if child["seconds"] <= child2["seconds"] else child2
        _reopen(workshop)  # warm the file cache and the imports, as a second opening would
        reopens = [_reopen(workshop) for _ in range(3)]
        reopen_s = statistics.median(reopens)
        workshop_mb = workshop.stat().st_size / 1e6

        xlsx = xlsx_file()
        xlsx_s = min(_xlsx_import(xlsx, Path(folder) / "leads-100k.accord") for _ in range(2))

    print(
        f"  1M-row CSV ({size_mb:.0f} MB): import end to end {import_s:.2f} s "
        f"(read+clean {best['import_s']:.2f} s, store {best['store_s']:.2f} s), "
        f"bare pyarrow.csv.read_csv {reference_s:.2f} s, ratio {ratio:.2f} (goal <= 2.5)",
        flush=True,
    )
    print(
        f"  peak RSS of the import {peak_mb:.0f} MB (child's own {child['self_peak_mb']:.0f} MB); "
        f"workshop {workshop_mb:.1f} MB; reopen + load {reopen_s:.3f} s; XLSX 100k: {xlsx_s:.2f} s",
        flush=True,
    )
    return {
        "import_1m_s": (
            import_s,
            f"best of 2: read+clean {best['import_s']:.2f} s + store {best['store_s']:.2f} s, "
            f"{CSV_ROWS:,} rows x 20 cols, {size_mb:.0f} MB CSV",
        ),
        "import_1m_reference_s": (reference_s, "bare pyarrow.csv.read_csv of the same file, best of 3"),
        "import_1m_ratio": (ratio, "goal <= 2.5"),
        "import_1m_peak_mb": (peak_mb, "peak RSS of the import process (RUSAGE_CHILDREN), goal < 1500"),
        "reopen_1m_s": (
            reopen_s,
            f"open the workshop ({workshop_mb:.0f} MB) and load 1M leads, median of 3, goal < 1 s",
        ),
        "import_xlsx_100k_s": (xlsx_s, f"{XLSX_ROWS:,} rows x 20 cols XLSX end to end, best of 2"),
    }


if __name__ == "__main__":
    for name, (value, note) in run().items():
        print(f"{name}: {value:.4g}  {note}")
