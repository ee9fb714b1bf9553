"""The workshop's steps, in order: key, title, and the one sentence that says what happens.

The one list of steps: the window's step list, the timeboxes, the decisions' "raised at"
step and the PDF all read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    purpose: str


STEPS: tuple[Step, ...] = (
    Step(
        "team",
        "Team and targets",
        "Who is in the room, who signs, and what sales needs: the target opportunity rate and weekly capacity.",
    ),
    Step(
        "stages",
        "Funnel stages",
        "Agree each stage of the funnel: what it means, how a lead enters and leaves it, who owns it, "
        "and the follow-up SLA.",
    ),
    Step("vocabulary", "Vocabulary", "Agree the words both teams use, and mark the ones still disputed."),
    Step(
        "scoring", "Scoring model", "Fit and behaviour rules with points, the hand-off threshold and the score bands."
    ),
    Step(
        "leads",
        "Historical leads",
        "Import the leads the CRM exported, with their outcomes, to check the model against history.",
    ),
    Step(
        "threshold",
        "Threshold check",
        "Would leads above the threshold have become opportunities at the target rate, in a volume sales can handle?",
    ),
    Step(
        "kpis",
        "Shared KPIs and SLA",
        "The dashboard both teams agree to watch: each KPI with its formula, owner, target and cadence.",
    ),
    Step(
        "signoff",
        "Decisions and sign-off",
        "The decisions log, the parking lot, the readiness checklist, and the signatures that lock the revision.",
    ),
    Step(
        "export",
        "Export",
        "What leaves the room: the definitions as a PDF document, an Excel scoring workbook and JSON.",
    ),
)


STEP_KEYS: tuple[str, ...] = tuple(step.key for step in STEPS)
STEP_TITLES: dict[str, str] = {step.key: step.title for step in STEPS}
