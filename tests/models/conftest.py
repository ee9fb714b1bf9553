"""Shared builders for the domain tests: a Definitions with every section filled in."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from typing import Any

import pytest

from models.definitions import (
    Decision,
    DecisionKind,
    Definitions,
    FunnelStage,
    GlossaryTerm,
    Operator,
    Participant,
    RuleKind,
    ScoreBand,
    ScoringRule,
    ScoringSettings,
    SharedKpi,
    Team,
    TeamTargets,
    TermStatus,
)


def full_definitions() -> Definitions:
    """Every collection non-empty, with dates, enums, list values, None fields, non-ASCII text
    and fixed uids (so that expected JSON can be written out by hand)."""
    return Definitions(
        team=TeamTargets(
            workshop_name="Q3 alignment — Zürich",
            organisation="Acme GmbH",
            date=dt.date(2026, 7, 14),
            facilitator="Sam Keller",
            period="2026-Q3",
            currency="EUR",
            revenue_goal=None,
            baseline_rate=0.02,
            target_rate=0.25,
            reps=6,
            leads_per_rep_per_week=40,
        ),
        participants=[
            Participant(uid="p-priya", name="Priya Raman", role="VP Sales", team=Team.SALES, signer=True),
            Participant(uid="p-daniel", name="Daniel Osei", role="VP Marketing", team=Team.MARKETING, signer=True),
            Participant(uid="p-mei", name="Mei Tanaka", role="Demand gen", team=Team.MARKETING, signer=False),
        ],
        stages=[
            FunnelStage(
                uid="s-inq",
                name="Inquiry",
                definition="Raised a hand.",
                owner=Team.MARKETING,
                sla_hours=None,
                agreed=True,
            ),
            FunnelStage(
                uid="s-mql",
                name="Marketing Qualified Lead",
                owner=Team.MARKETING,
                sla_hours=24,
                entry_criteria="Score ≥ threshold",
                exit_criteria="Accepted or rejected",
            ),
            FunnelStage(
                uid="s-sal", name="Sales Accepted Lead", owner=Team.SALES, sla_hours=48.5, examples="SDR booked a call"
            ),
        ],
        terms=[
            GlossaryTerm(
                uid="t-lead", term="Lead", definition="Someone sales could contact.", status=TermStatus.AGREED
            ),
            GlossaryTerm(
                uid="t-hot",
                term="Hot lead",
                definition="Score in the hot band.",
                notes="disputed",
                status=TermStatus.DISPUTED,
            ),
        ],
        rules=[
            ScoringRule(
                uid="r-occ",
                kind=RuleKind.FIT,
                label="Working professional",
                field="Occupation",
                operator=Operator.EQUALS,
                value="Working Professional",
                points=25,
            ),
            ScoringRule(
                uid="r-src",
                kind=RuleKind.FIT,
                label="Referred",
                field="Lead Source",
                operator=Operator.ONE_OF,
                values=["Reference", "Welingak Website"],
                points=15,
            ),
            ScoringRule(
                uid="r-vis",
                kind=RuleKind.BEHAVIOUR,
                label="Visits",
                field="TotalVisits",
                operator=Operator.COUNT,
                points=2,
                cap=10,
            ),
            ScoringRule(
                uid="r-pv",
                kind=RuleKind.BEHAVIOUR,
                label="Pages per visit",
                field="Page Views Per Visit",
                operator=Operator.BETWEEN,
                minimum=2,
                maximum=6,
                points=5,
                decay_half_life_days=30,
                decay_date_field="Last Activity Date",
            ),
        ],
        bands=[
            ScoreBand(uid="b-cold", name="Cold", min_score=0, colour="#6b8fb3"),
            ScoreBand(uid="b-hot", name="Hot", min_score=40, colour="#d9483b"),
        ],
        scoring=ScoringSettings(threshold=42.5, minimum_fit=10, as_of_date=dt.date(2026, 7, 31)),
        kpis=[
            SharedKpi(
                uid="k-mql",
                name="MQLs by segment",
                formula="count per week",
                owner="Marketing",
                target="≤ 300",
                cadence="Weekly",
            ),
            SharedKpi(uid="k-rate", name="Opportunity rate", owner="Shared", cadence="Monthly"),
            SharedKpi(uid="k-dup", name="Duplicate rate", owner="Marketing", target="≤ 2%"),
        ],
        decisions=[
            Decision(
                uid="d-1",
                kind=DecisionKind.DECISION,
                text="Tags stay out of scoring.",
                owner="Mei",
                step="scoring",
                created=dt.datetime(2026, 7, 14, 9, 30, tzinfo=dt.UTC),
            ),
            Decision(
                uid="d-2",
                kind=DecisionKind.PARKING,
                text="Nurture track for chat-only leads?",
                owner="Daniel",
                step="scoring",
                created=None,
            ),
        ],
        timeboxes={
            "team": 10,
            "stages": 50,
            "vocabulary": 30,
            "scoring": 60,
            "leads": 10,
            "threshold": 45,
            "kpis": 20,
            "signoff": 15,
            "export": 5,
        },
    )


def sha256_canonical(data: dict[str, Any]) -> str:
    """SHA-256 of canonical JSON, computed here independently of models.definitions_json.
    A field added after signing existed (scoring.history_weeks) is left out while empty."""
    data = copy.deepcopy(data)
    if data.get("scoring", {}).get("history_weeks", 0) is None:
        del data["scoring"]["history_weeks"]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def full_defs() -> Definitions:
    return full_definitions()
