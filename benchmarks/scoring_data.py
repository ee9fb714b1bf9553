"""The generated leads and the 40-rule model the scoring benchmark measures (seeded, so every
run scores the same data): 12 category columns (3–40 labels, some missing), 6 number
columns (with missing values), an activity date for the two decaying rules, an outcome that
depends on several of them (~26% positive) and revenue, built directly as numpy arrays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

AS_OF = dt.date(2025, 6, 30)
HISTORY_WEEKS = 104.0
SEED = 20250630


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
