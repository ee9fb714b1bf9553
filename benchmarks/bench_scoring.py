"""Scoring and the threshold check at scale: 1,000,000 and 10,000,000 generated leads, 40 rules.

Measured at each size, in a child process of its own (so that its peak memory is its own):

    full score       every rule on every lead: `ThresholdCheck(frame, defs)` once (cold), then
                     `Scorer.rebuild(defs)` (warm, the figure)
    sweep            `models.threshold_sweep.sweep`: every whole threshold at once
    rule edit        one rule's points changed through the session, as the Scoring model step
                     does (`session.set("rules", uid, "points", p)`): saved to the workshop
                     file, the Threshold check page re-scores that rule, re-sweeps, redraws its
                     charts and figures; timed until the three charts have been painted
    threshold move   a threshold line dragged one point (`InfiniteLine.setValue`, as a mouse
                     drag does): the page looks the figures up, moves every line and the
                     tiles; timed until the three charts have been painted
    numpy reference  a single matrix product of the same data: the (leads × 40) float32
                     matrix of every rule's per-point contribution times the 40 points
                     (built outside the timing; only the product is timed)

The page is a real `widgets.threshold_page.ThresholdPage` on a real `WorkshopSession` (a
workshop file in a temporary folder), shown at 1500 × 950 on the offscreen platform, with the
check built here and handed to the session's check keeper as its background build does
(`CheckKeeper.adopt`). "Painted" means every chart's viewport received its paint event
and the event loop has gone quiet (two `processEvents` passes in a row with no chart painted
and nothing left to do, so the tiles' repaints count too); if Qt has not painted a chart by
then, it is repainted synchronously and that time counts too.

The data are generated directly as numpy arrays (seeded): 12 category columns (3–40 labels,
some missing), 6 number columns (with missing values), an activity date (for two decaying
rules), an outcome that depends on several of them (~26% positive) and revenue. Peak memory
(VmHWM) is read before the reference matrix is built, so the figure is the app's: the
LeadFrame's columns, scores, sweeps, Qt and the page (but not the imported Arrow table the
app also keeps loaded, since the frame is generated rather than imported).

Goals (issue): at 1M leads rule edit → charts rendered < 50 ms, threshold move → charts
rendered < 16 ms; at 10M leads < 150 ms per rule edit within 2 GB.

    python -m benchmarks bench_scoring          (or: python -m benchmarks.bench_scoring [1m|10m])
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"1m": (1_000_000, 7), "10m": (10_000_000, 3), "100k": (100_000, 5)}  # leads, reps (100k: a quick check)
AS_OF = dt.date(2025, 6, 30)
HISTORY_WEEKS = 104.0
SEED = 20250630


# --------------------------------------------------------------------------- data
def _labels(prefix: str, k: int) -> list[str]:
    return [f"{prefix} {i:02d}" for i in range(k)]


CATEGORIES: dict[str, list[str]] = {
    "Lead Source": [
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
    ],
    "Country": ["India", "United States", "United Kingdom", "Germany", "France", "Singapore", "Australia", "Canada"]
    + _labels("Country", 32),
    "Industry": ["Software", "Finance", "Healthcare", "Retail", "Education"] + _labels("Industry", 15),
    "Lifecycle Stage": ["Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity"],
    "Last Activity": [
        "Email Opened",
        "SMS Sent",
        "Olark Chat Conversation",
        "Page Visited on Website",
        "Converted to Lead",
        "Email Bounced",
        "Email Link Clicked",
        "Form Submitted on Website",
    ],
    "Job Title": [
        "VP Sales",
        "VP Marketing",
        "Director of Sales",
        "Director of IT",
        "Head of Growth",
        "Sales Manager",
        "Marketing Manager",
        "Engineer",
        "Analyst",
        "Consultant",
        "Student",
        "Intern",
        "Founder",
        "CEO",
        "Other",
    ],
    "Company Size": ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"],
    "Do Not Email": ["No", "Yes", "Unknown"],
    "Opted In": ["Yes", "No", "Pending"],
    "Lead Origin": ["Landing Page Submission", "API", "Lead Add Form", "Lead Import", "Quick Add Form"],
    "Specialization": _labels("Specialization", 18),
    "Campaign": _labels("Campaign", 25),
}
NUMBERS = (
    "TotalVisits",
    "Total Time Spent on Website",
    "Page Views Per Visit",
    "Employees",
    "Annual Revenue",
    "Email Opens",
)
DATE = "Last Activity Date"


def make_frame(n: int, seed: int = SEED) -> Any:
    """A LeadFrame of n generated leads (columns built directly as the engine holds them)."""
    from models.lead_frame import Column, LeadFrame, day_number

    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}
    logit = np.full(n, -2.3)
    for name, labels in CATEGORIES.items():
        k = len(labels)
        weights = rng.dirichlet(np.full(k, 1.5))
        codes = rng.choice(k, size=n, p=weights).astype(np.int32)
        codes[rng.random(n) < 0.04] = k  # missing
        columns[name] = Column.from_labels(name, codes, labels)
        if name in ("Lead Source", "Job Title", "Last Activity", "Company Size"):
            effect = rng.normal(0.0, 0.6, k + 1)
            logit += effect[codes]
    visits = rng.poisson(3.5, n).astype(np.float64)
    time_on_site = np.round(rng.gamma(1.5, 400.0, n))
    views = np.round(rng.gamma(2.0, 1.2, n), 2)
    employees = np.floor(rng.lognormal(4.5, 1.6, n))
    annual = np.round(rng.lognormal(13.0, 1.3, n), -3)
    opens = rng.poisson(2.0, n).astype(np.float64)
    logit += 0.12 * np.minimum(visits, 10) + 0.0006 * np.minimum(time_on_site, 2500) + 0.08 * opens
    for name, values in zip(NUMBERS, (visits, time_on_site, views, employees, annual, opens), strict=True):
        values[rng.random(n) < 0.05] = np.nan
        columns[name] = Column.from_numbers(name, values)
    del visits, time_on_site, views, employees, annual, opens
    last_day = day_number(AS_OF)
    age = rng.exponential(90.0, n)
    logit -= 0.004 * age
    days = np.floor(last_day - age)
    days[rng.random(n) < 0.06] = np.nan
    columns[DATE] = Column.from_days(DATE, days)
    del age, days
    outcome = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    del logit
    revenue = np.where(outcome, np.round(rng.lognormal(8.5, 0.8, n), 0), 0.0)
    return LeadFrame(n, outcome, revenue=revenue, columns=columns)


def make_definitions(n: int) -> Any:
    """40 rules (24 fit, 16 behaviour; every operator; two decaying), targets scaled to n."""
    from models.definitions import Operator as O
    from models.definitions import RuleKind, ScoreBand, ScoringRule, ScoringSettings, TeamTargets, new_definitions

    fit, beh = RuleKind.FIT, RuleKind.BEHAVIOUR

    def r(kind: RuleKind, field: str, op: O, points: float, **kw: Any) -> ScoringRule:
        return ScoringRule(kind=kind, field=field, operator=op, points=points, **kw)

    rules = [
        r(fit, "Job Title", O.CONTAINS, 15, value="VP"),
        r(fit, "Job Title", O.CONTAINS, 10, value="Director"),
        r(fit, "Job Title", O.ONE_OF, 12, values=["Founder", "CEO", "Head of Growth"]),
        r(fit, "Job Title", O.ONE_OF, -20, values=["Student", "Intern"]),
        r(fit, "Company Size", O.ONE_OF, 10, values=["201-1000", "1001-5000", "5000+"]),
        r(fit, "Company Size", O.EQUALS, -10, value="1-10"),
        r(fit, "Industry", O.ONE_OF, 8, values=["Software", "Finance"]),
        r(fit, "Industry", O.NOT_ONE_OF, -3, values=["Software", "Finance", "Healthcare", "Retail"]),
        r(fit, "Country", O.ONE_OF, 6, values=["United States", "United Kingdom", "Germany", "Canada"]),
        r(fit, "Country", O.EQUALS, 4, value="India"),
        r(fit, "Country", O.IS_EMPTY, -5),
        r(fit, "Lead Source", O.ONE_OF, 10, values=["Reference", "Welingak Website"]),
        r(fit, "Lead Source", O.EQUALS, 5, value="Google"),
        r(fit, "Lead Source", O.NOT_EQUALS, -2, value="Organic Search"),
        r(fit, "Lead Origin", O.ONE_OF, 12, values=["Lead Add Form", "Quick Add Form"]),
        r(fit, "Lead Origin", O.EQUALS, -5, value="Lead Import"),
        r(fit, "Do Not Email", O.EQUALS, -15, value="Yes"),
        r(fit, "Opted In", O.EQUALS, 5, value="Yes"),
        r(fit, "Specialization", O.ONE_OF, 6, values=["Specialization 01", "Specialization 04", "Specialization 09"]),
        r(fit, "Specialization", O.IS_EMPTY, -4),
        r(fit, "Employees", O.BETWEEN, 8, minimum=50, maximum=5000),
        r(fit, "Employees", O.AT_MOST, -6, maximum=9),
        r(fit, "Annual Revenue", O.AT_LEAST, 10, minimum=1_000_000),
        r(fit, "Annual Revenue", O.IS_EMPTY, -3),
        r(beh, "TotalVisits", O.COUNT, 3, cap=15),
        r(beh, "Email Opens", O.COUNT, 2, cap=10),
        r(beh, "Page Views Per Visit", O.COUNT, 1.5, cap=9),
        r(beh, "Total Time Spent on Website", O.BETWEEN, 10, minimum=600, maximum=2400),
        r(beh, "Total Time Spent on Website", O.AT_LEAST, 5, minimum=2400),
        r(beh, "Total Time Spent on Website", O.AT_MOST, -5, maximum=30),
        r(beh, "TotalVisits", O.AT_LEAST, 5, minimum=8),
        r(beh, "TotalVisits", O.IS_EMPTY, -5),
        r(
            beh,
            "Last Activity",
            O.ONE_OF,
            10,
            values=["SMS Sent", "Email Link Clicked", "Form Submitted on Website"],
            decay_half_life_days=60,
            decay_date_field=DATE,
        ),
        r(beh, "Last Activity", O.EQUALS, -10, value="Email Bounced"),
        r(beh, "Last Activity", O.NOT_ONE_OF, -2, values=["Email Opened", "SMS Sent", "Page Visited on Website"]),
        r(
            beh,
            "Lifecycle Stage",
            O.ONE_OF,
            15,
            values=["Sales Qualified Lead", "Opportunity"],
            decay_half_life_days=120,
            decay_date_field=DATE,
        ),
        r(beh, "Lifecycle Stage", O.EQUALS, -5, value="Subscriber"),
        r(beh, "Campaign", O.ONE_OF, 7, values=["Campaign 03", "Campaign 07", "Campaign 11", "Campaign 19"]),
        r(beh, "Campaign", O.IS_NOT_EMPTY, 2),
        r(beh, DATE, O.IS_EMPTY, -8),
    ]
    assert len(rules) == 40
    for k, rule in enumerate(rules):
        rule.uid = f"bench{k:02d}"
        rule.label = f"Rule {k + 1}"
    defs = new_definitions("Scoring benchmark")
    defs.team = TeamTargets(
        workshop_name="Scoring benchmark",
        date=AS_OF,
        target_rate=0.35,
        baseline_rate=0.05,
        reps=max(n // 20_000, 1),
        leads_per_rep_per_week=100,
    )
    defs.rules = rules
    defs.bands = [
        ScoreBand(name="Cold", min_score=0, colour="#6b8fb3"),
        ScoreBand(name="Warm", min_score=25, colour="#f0a030"),
        ScoreBand(name="Hot", min_score=50, colour="#d9483b"),
    ]
    defs.scoring = ScoringSettings(threshold=40, history_weeks=HISTORY_WEEKS)
    return defs


# Rules whose points the rule-edit measurement changes, in turn (one of each shape).
EDITED = {
    "bench02": "category one_of",
    "bench00": "category contains",
    "bench20": "number between",
    "bench24": "count with cap",
    "bench32": "decaying rule",
}


# --------------------------------------------------------------------------- measuring (child)
def _vm_hwm_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vm_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _timed(fn: Any, reps: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(_ms(time.perf_counter() - start))
    return statistics.median(times), times


class _PaintWatch:
    """Counts paint events on the three chart viewports."""

    def __init__(self, charts: Any) -> None:
        from PySide6.QtCore import QEvent, QObject

        self.viewports = [p.viewport() for p in (charts.histogram, charts.rates, charts.volume)]
        self.plots = [charts.histogram, charts.rates, charts.volume]
        self.counts = [0, 0, 0]
        watch = self

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt's name
                if event.type() == QEvent.Type.Paint:
                    for k, vp in enumerate(watch.viewports):
                        if obj is vp:
                            watch.counts[k] += 1
                return False

        self.filter = Filter()
        for vp in self.viewports:
            vp.installEventFilter(self.filter)
        self.forced = 0

    def render(self, app: Any) -> None:
        """Let Qt process what the change posted until all three charts have painted and the
        event loop has gone quiet (two passes in a row with no chart painted and nothing
        left to do); repaint synchronously any chart Qt did not paint."""
        before = list(self.counts)
        quiet = 0
        for _ in range(100):
            seen = list(self.counts)
            start = time.perf_counter()
            app.processEvents()
            took = time.perf_counter() - start
            if self.counts == seen and took < 0.0003 and all(c > b for c, b in zip(self.counts, before, strict=True)):
                quiet += 1
                if quiet >= 2:
                    break
            else:
                quiet = 0
        for k, vp in enumerate(self.viewports):
            if self.counts[k] == before[k]:
                self.forced += 1
                vp.repaint()
        self.last = [c - b for c, b in zip(self.counts, before, strict=True)]


def _unit_matrix(check: Any, frame: Any) -> tuple[np.ndarray, np.ndarray]:
    """(leads × rules) float32: each rule's contribution per point, and the points (float32)."""
    from models.rule_arrays import as_of_date, contribution

    defs = check.defs
    as_of = as_of_date(defs)
    rules = defs.rules
    matrix = np.zeros((frame.n, len(rules)), dtype=np.float32)
    points = np.array([r.points for r in rules], dtype=np.float32)
    for k, rule in enumerate(rules):
        c = contribution(rule, frame, as_of)
        if c is not None:
            matrix[:, k] = c / rule.points
    return matrix, points


def measure(size: str) -> dict[str, Any]:
    """Everything at one size, in this process (run it in a child of its own)."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    n, reps = SIZES[size]
    out: dict[str, Any] = {"n": n, "reps": reps}
    lines: list[str] = []

    def say(text: str) -> None:
        lines.append(text)
        print(text, file=sys.stderr, flush=True)

    from PySide6.QtWidgets import QApplication

    from models.check import ThresholdCheck
    from models.document import Document
    from models.threshold_sweep import sweep
    from widgets.session import WorkshopSession
    from widgets.threshold_page import ThresholdPage

    app = QApplication.instance() or QApplication([])
    rss_start = _vm_rss_mb()
    start = time.perf_counter()
    frame = make_frame(n)
    defs = make_definitions(n)
    out["generate_s"] = time.perf_counter() - start
    out["rss_data_mb"] = _vm_rss_mb()
    out["rss_start_mb"] = rss_start

    # Full score: the first build also codes the columns that need it (cold); then warm builds.
    start = time.perf_counter()
    check = ThresholdCheck(frame, defs.model_copy(deep=True))
    out["score_full_cold_ms"] = _ms(time.perf_counter() - start)
    # Warm: `Scorer.rebuild`, what a fresh score is (and what the app runs after a big edit),
    # in place, so that no second set of scores inflates the peak memory.
    out["score_full_ms"], out["score_full_all"] = _timed(lambda: check.scorer.rebuild(check.defs), reps)
    out["whole_scores"] = bool(check.scorer.whole)
    mf = defs.scoring.minimum_fit
    out["sweep_ms"], _ = _timed(lambda: sweep(check.scorer, mf), reps)
    check.sweep  # noqa: B018 - the page's build sweeps before handing over
    out["peak_scored_mb"] = _vm_hwm_mb()  # data + scores + sweeps, before the page exists

    with tempfile.TemporaryDirectory(prefix="accord-bench-scoring-") as folder:
        document = Document.create(Path(folder) / "bench.accord", defs)
        session = WorkshopSession(document)
        # No Parquet in this file: the pages that ask for the data set's size are told it.
        document.leads_info = lambda: _Info(n)  # type: ignore[method-assign, assignment, return-value]
        # As the keeper's background build ends: the built check handed over.
        session.check.adopt(check)
        page = ThresholdPage(session)
        page.resize(1500, 950)
        page.show()
        for _ in range(5):
            app.processEvents()
        assert page.check is check and page.stack.currentWidget() is page.main
        watch = _PaintWatch(page.charts)
        watch.render(app)
        watch.forced = 0
        say(f"    page: {page.headline.text()}")

        # -- rule edit: change one rule's points through the session, until painted
        current = {r.uid: r.points for r in session.defs.rules}
        edits: dict[str, list[float]] = {uid: [] for uid in EDITED}
        toggles = {uid: 0 for uid in EDITED}

        paints: list[int] = []

        def edit_once(uid: str) -> float:
            toggles[uid] ^= 1
            points = current[uid] + (1 if toggles[uid] else 0)
            version = check.scorer.version
            t0 = time.perf_counter()
            assert session.set("rules", uid, "points", points)
            watch.render(app)
            elapsed = _ms(time.perf_counter() - t0)
            assert check.scorer.version == version + 1, "the edit did not re-score"
            paints.append(max(watch.last))
            return elapsed

        for uid in EDITED:  # warm every path once
            edit_once(uid)
        for _ in range(reps):
            for uid in EDITED:
                edits[uid].append(edit_once(uid))
        all_edits = [t for ts in edits.values() for t in ts]
        out["rule_edit_ms"] = statistics.median(all_edits)
        out["rule_edit_by_rule"] = {EDITED[uid]: statistics.median(ts) for uid, ts in edits.items()}
        out["rule_edit_worst_rule_ms"] = max(out["rule_edit_by_rule"].values())
        out["rule_edit_min_ms"] = min(all_edits)
        out["rule_edit_paints"] = max(paints)

        # -- threshold move: drag a line one point at a time, until painted
        line = page.charts.lines[0]
        base = float(session.defs.scoring.threshold)
        moves: list[float] = []
        steps = [1, 1, 1, -1, -1, -1] * max(reps * 2 // 6 + 1, 2)
        t = base
        for k, delta in enumerate(steps):
            t += delta
            t0 = time.perf_counter()
            line.setValue(t)  # what dragging does: _on_line_moved → dragged → page._preview
            watch.render(app)
            elapsed = _ms(time.perf_counter() - t0)
            assert page.charts.threshold == t and page.headline.text().startswith(f"At {t:g} points")
            if k >= 2:  # the first two warm up
                moves.append(elapsed)
                paints.append(max(watch.last))
        out["threshold_move_ms"] = statistics.median(moves)
        out["threshold_move_max_ms"] = max(moves)
        out["threshold_move_min_ms"] = min(moves)
        out["threshold_move_paints"] = max(paints[-len(moves) :])
        out["forced_repaints"] = watch.forced

        # -- breakdown of the rule edit (each part alone, the same calls the page makes)
        out["breakdown"] = _breakdown(app, session, page, check, watch, reps)

        # -- cProfile of rule edits and of threshold moves (after the timed runs)
        uid = "bench02"

        def profiled_edit(k: int) -> None:
            session.set("rules", uid, "points", current[uid] + (k % 2))  # alternate: each is an edit
            watch.render(app)

        profiled_edit(1)
        out["profile_edit"] = _profile(profiled_edit, reps + (reps % 2))

        def profiled_move(k: int) -> None:
            line.setValue(base + 1 + (k % 2))
            watch.render(app)

        out["profile_move"] = _profile(profiled_move, max(reps, 6))

        session.close()
        page.close()
        page.deleteLater()
        app.processEvents()

    out["peak_mb"] = _vm_hwm_mb()  # before the reference matrix: the app's own peak

    # -- the plain-numpy reference: one matrix product of the same data
    matrix, points = _unit_matrix(check, frame)
    product = matrix @ points  # warm
    out["numpy_reference_ms"], _ = _timed(lambda: matrix @ points, reps)
    out["reference_agrees"] = bool(np.allclose(product, check.scorer.score, atol=1e-2))
    out["lines"] = lines
    return out


# Where the time of one action goes, from cProfile (cumulative ms per action, profiler included).
PROFILED = [
    ("session.set: save, re-score, redraw (all handlers)", "widgets/session.py", "set"),
    ("  WorkshopFile.save_definitions", "models/store/file.py", "save_definitions"),
    ("  Scorer.update (both calls)", "models/engine.py", "update"),
    ("    contribution", "models/rule_arrays.py", "contribution"),
    ("    Scorer._finish (rounding)", "models/engine.py", "_finish"),
    ("  sweep", "models/threshold_sweep.py", "sweep"),
    ("  ThresholdPage.refresh", "widgets/threshold_page.py", "refresh"),
    ("    ThresholdCharts.set_data", "widgets/threshold_charts.py", "set_data"),
    ("    ThresholdCheck.recommendation (also for the Use button)", "models/check.py", "recommendation"),
    ("InfiniteLine.setValue (the drag)", "pyqtgraph/graphicsItems/InfiniteLine.py", "setValue"),
    ("  ThresholdPage._show_threshold", "widgets/threshold_page.py", "_show_threshold"),
    ("    ThresholdCheck.figures", "models/check.py", "figures"),
    ("    ThresholdPage.show_figures", "widgets/threshold_page.py", "show_figures"),
    ("      QWidget.setStyleSheet (tiles)", "~", "<method 'setStyleSheet' of 'PySide6.QtWidgets.QWidget' objects>"),
    ("processEvents (the paint)", "~", "<built-in method processEvents>"),
    ("  GraphicsView.paintEvent (the charts)", "pyqtgraph/widgets/GraphicsView.py", "paintEvent"),
    ("    AxisItem.paint (axes and grid)", "pyqtgraph/graphicsItems/AxisItem.py", "paint"),
    ("      QPicture.play", "~", "<method 'play' of 'PySide6.QtGui.QPicture' objects>"),
]


def _profile(action: Any, count: int) -> list[tuple[str, float]]:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for k in range(count):
        action(k)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    rows = []
    for label, path, name in PROFILED:
        total = sum(
            v[3]
            for (f, _line, fn), v in stats.items()
            if fn == name and (f == path if path == "~" else f.replace(os.sep, "/").endswith(path))
        )
        if total:
            rows.append((label, _ms(total) / count))
    return rows


class _Info:
    def __init__(self, rows: int) -> None:
        self.rows = rows


def _breakdown(app: Any, session: Any, page: Any, check: Any, watch: _PaintWatch, reps: int) -> dict[str, float]:
    """Median ms of each part of a rule edit (a count rule and a decaying one), and of a move."""
    from models.rule_arrays import contribution
    from models.threshold_sweep import sweep

    defs = session.defs
    parts: dict[str, float] = {}
    file, revision = session.document.file, session.document.revision.id
    parts["save definitions"], _ = _timed(lambda: file.save_definitions(revision, defs), reps)
    for uid in ("bench02", "bench24", "bench32"):
        rule = next(r for r in defs.rules if r.uid == uid)
        parts[f"contribution ({EDITED[uid]})"], _ = _timed(
            lambda rule=rule: contribution(rule, check.frame, check.scorer._as_of), reps
        )

    other = defs.model_copy(deep=True)  # the same rules but one (its points changed)
    next(r for r in other.rules if r.uid == "bench02").points += 1
    flip = [defs]

    def rescore() -> None:  # one rule out and in again, each time
        flip[0] = other if flip[0] is defs else defs
        assert check.scorer.update(flip[0])

    parts["Scorer.update (one category rule, incl. rounding)"], _ = _timed(rescore, reps)
    check.scorer.update(defs)  # back to the definitions the page shows
    scorer = check.scorer
    parts["Scorer._finish (rounding)"], _ = _timed(scorer._finish, reps)
    parts["sweep"], _ = _timed(lambda: sweep(scorer, defs.scoring.minimum_fit), reps)
    parts["curves"], _ = _timed(check.curves, reps)
    parts["recommendation"], _ = _timed(check.recommendation, reps)
    sw = check.sweep
    curves = check.curves()

    def set_data() -> None:
        page.charts.set_data(
            sw.lo,
            sw.histogram_won,
            sw.histogram_lost,
            curves,
            defs.team.target_rate,
            check.capacity,
            check.weeks is not None,
        )

    parts["charts.set_data"], _ = _timed(set_data, reps)

    def set_data_render() -> None:
        set_data()
        watch.render(app)

    parts["charts.set_data + paint"], _ = _timed(set_data_render, reps)

    def refresh_forced() -> None:
        page._drawn_version = None
        page.refresh()

    parts["page.refresh (forced redraw, no re-score)"], _ = _timed(refresh_forced, reps)

    def refresh_render() -> None:
        refresh_forced()
        watch.render(app)

    parts["page.refresh + paint"], _ = _timed(refresh_render, reps)
    parts["figures(t) lookup"], _ = _timed(lambda: check.figures(41.0), max(reps, 20))
    parts["page._show_threshold(t)"], _ = _timed(lambda: page._show_threshold(41.0), reps)

    def paint_all() -> None:
        for vp in watch.viewports:
            vp.repaint()

    parts["repaint of the three charts (forced)"], _ = _timed(paint_all, reps)
    page._show_threshold(defs.scoring.threshold)
    watch.render(app)
    return parts


def _child_main(size: str) -> None:
    result = measure(size)
    print(json.dumps(result))


# --------------------------------------------------------------------------- the run (parent)
def _run_child(size: str) -> dict[str, Any]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_scoring", "--child", size],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {size} scoring benchmark failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = time.perf_counter() - start
    return result


def _goal(value: float, limit: float, unit: str) -> str:
    return f"goal < {limit:g} {unit}: {'met' if value < limit else 'MISSED'}"


def _report(size: str, r: dict[str, Any]) -> None:
    ref = r["numpy_reference_ms"]
    print(
        f"  {r['n']:,} leads, 40 rules (median of {r['reps']}; child took {r['wall_s']:.0f} s, "
        f"data generated in {r['generate_s']:.1f} s, scores {'whole' if r['whole_scores'] else 'fractional'})",
        flush=True,
    )
    for line in r["lines"]:
        print(line)
    print(
        f"    numpy reference (X[n×40] float32 @ points) {ref:8.1f} ms"
        f"{'' if r['reference_agrees'] else '  (does NOT agree with the scores!)'}"
    )
    print(
        f"    full score (cold {r['score_full_cold_ms']:.0f} ms)   {r['score_full_ms']:8.1f} ms  "
        f"= {r['score_full_ms'] / ref:5.1f} × reference"
    )
    print(
        f"    sweep precompute                      {r['sweep_ms']:8.1f} ms  = {r['sweep_ms'] / ref:5.1f} × reference"
    )
    edit_goal = {"1m": 50, "10m": 150}.get(size)
    print(
        f"    rule edit → charts rendered           {r['rule_edit_ms']:8.1f} ms  = "
        f"{r['rule_edit_ms'] / ref:5.1f} × reference"
        + (f"  ({_goal(r['rule_edit_ms'], edit_goal, 'ms')})" if edit_goal else "")
    )
    print(f"        (fastest single edit {r['rule_edit_min_ms']:.1f} ms; median per rule edited:)")
    for kind, ms in r["rule_edit_by_rule"].items():
        print(f"        {kind:<32}  {ms:8.1f} ms")
    move_goal = 16 if size == "1m" else None
    print(
        f"    threshold move → charts rendered      {r['threshold_move_ms']:8.1f} ms  = "
        f"{r['threshold_move_ms'] / ref:5.2f} × reference  (min {r['threshold_move_min_ms']:.1f}, "
        f"max {r['threshold_move_max_ms']:.1f} ms"
        + (f"; {_goal(r['threshold_move_ms'], move_goal, 'ms')})" if move_goal else ")")
    )
    peak_goal = f"  ({_goal(r['peak_mb'], 2048, 'MB')})" if size == "10m" else ""
    print(
        f"    peak RSS {r['peak_mb']:.0f} MB{peak_goal}; RSS with the data generated {r['rss_data_mb']:.0f} MB "
        f"(before: {r['rss_start_mb']:.0f} MB); peak before the page {r['peak_scored_mb']:.0f} MB"
    )
    print("    profile (median ms of each part alone):")
    for part, ms in r["breakdown"].items():
        print(f"        {part:<48}  {ms:8.1f}")
    print("    cProfile, one rule edit (category one_of), ms per edit (profiler overhead included):")
    for label, ms in r["profile_edit"]:
        print(f"        {label:<56}  {ms:8.1f}")
    print("    cProfile, one threshold move, ms per move:")
    for label, ms in r["profile_move"]:
        print(f"        {label:<56}  {ms:8.1f}")
    print(
        f"    each chart painted (at most) {r['rule_edit_paints']}× per rule edit, "
        f"{r['threshold_move_paints']}× per threshold move"
    )
    if r["forced_repaints"]:
        print(f"    note: {r['forced_repaints']} chart(s) had to be repainted by hand")
    print(flush=True)


def run() -> dict[str, tuple[float, str]]:
    start = time.perf_counter()
    one = _run_child("1m")
    _report("1m", one)
    ten = _run_child("10m")
    _report("10m", ten)
    print(f"  bench_scoring took {time.perf_counter() - start:.0f} s", flush=True)
    ref1, ref10 = one["numpy_reference_ms"], ten["numpy_reference_ms"]
    return {
        "score_full_1m_ms": (
            one["score_full_ms"],
            f"Scorer.rebuild, 40 rules; {one['score_full_ms'] / ref1:.1f}"
            f" × numpy reference (cold {one['score_full_cold_ms']:.0f} ms)",
        ),
        "numpy_reference_1m_ms": (ref1, "X[1M×40] float32 @ points, one matrix product of the same data"),
        "sweep_1m_ms": (one["sweep_ms"], f"every whole threshold; {one['sweep_ms'] / ref1:.1f} × reference"),
        "rule_edit_1m_ms": (
            one["rule_edit_ms"],
            f"edit → saved, re-scored, swept, charts painted; "
            f"worst rule {one['rule_edit_worst_rule_ms']:.0f} ms; goal < 50",
        ),
        "threshold_move_1m_ms": (
            one["threshold_move_ms"],
            f"drag one point → figures + lines, charts painted; max {one['threshold_move_max_ms']:.1f}; goal < 16",
        ),
        "score_full_10m_ms": (ten["score_full_ms"], f"{ten['score_full_ms'] / ref10:.1f} × numpy reference"),
        "numpy_reference_10m_ms": (ref10, "X[10M×40] float32 @ points"),
        "sweep_10m_ms": (ten["sweep_ms"], f"{ten['sweep_ms'] / ref10:.1f} × reference"),
        "rule_edit_10m_ms": (ten["rule_edit_ms"], f"worst rule {ten['rule_edit_worst_rule_ms']:.0f} ms; goal < 150"),
        "threshold_move_10m_ms": (ten["threshold_move_ms"], f"max {ten['threshold_move_max_ms']:.1f}"),
        "peak_10m_mb": (
            ten["peak_mb"],
            f"peak RSS (VmHWM) of the 10M process, data {ten['rss_data_mb']:.0f} MB; goal < 2048",
        ),
    }


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        _child_main(sys.argv[2])
    elif len(sys.argv) >= 2 and sys.argv[1] in SIZES:
        _report(sys.argv[1], _run_child(sys.argv[1]))
    else:
        for name, (value, note) in run().items():
            print(f"{name}: {value:.4g}  {note}")
