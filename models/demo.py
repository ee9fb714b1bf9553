"""The bundled demo workshop: X Education (online courses) agreeing its lead definitions.

The scoring model uses only what is known when a lead arrives or does on the website
(origin, source, occupation, visits, time on site, last activity). It deliberately leaves
out `Tags` and `Lead Quality`: sales fills those in after calling, so scoring on them would
"predict" the outcome from the outcome.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from models.definitions import (
    Decision,
    DecisionKind,
    Definitions,
    GlossaryTerm,
    Operator,
    Participant,
    RuleKind,
    ScoringRule,
    ScoringSettings,
    Team,
    TeamTargets,
    TermStatus,
    classic_waterfall,
    default_bands,
    default_kpis,
    default_terms,
)

if TYPE_CHECKING:
    from models.leads.types import LeadData, Progress

DEMO_LABEL = "2026-Q4"
DEMO_LEADS = Path(__file__).resolve().parent.parent / "resources" / "demo" / "x_education_leads.csv"
DEMO_HISTORY_WEEKS = 26.0  # the export has no creation dates: the period it covers, as agreed
# A fresh copy of the demo is written to a temporary folder of this prefix, under this name.
DEMO_PREFIX = "accord-demo-"
DEMO_NAME = "X Education demo.accord"

# A lead as it arrives, used by the sample-lead preview until real leads are imported.
SAMPLE_LEAD: dict[str, str] = {
    "Lead Origin": "Landing Page Submission",
    "Lead Source": "Google",
    "What is your current occupation": "Working Professional",
    "Do Not Email": "No",
    "TotalVisits": "4",
    "Total Time Spent on Website": "1140",
    "Page Views Per Visit": "2.5",
    "Last Activity": "SMS Sent",
    "Lead Profile": "Potential Lead",
    "A free copy of Mastering The Interview": "Yes",
}


def demo_definitions() -> Definitions:
    fit, beh = RuleKind.FIT, RuleKind.BEHAVIOUR
    r = ScoringRule
    rules = [
        r(
            kind=fit,
            label="Working professional",
            field="What is your current occupation",
            operator=Operator.EQUALS,
            value="Working Professional",
            points=25,
        ),
        r(
            kind=fit,
            label="Student",
            field="What is your current occupation",
            operator=Operator.EQUALS,
            value="Student",
            points=-10,
        ),
        r(
            kind=fit,
            label="Occupation not given",
            field="What is your current occupation",
            operator=Operator.IS_EMPTY,
            points=-5,
        ),
        r(
            kind=fit,
            label="Came through the course-page form",
            field="Lead Origin",
            operator=Operator.EQUALS,
            value="Lead Add Form",
            points=20,
        ),
        r(
            kind=fit,
            label="Referred or from the partner site",
            field="Lead Source",
            operator=Operator.ONE_OF,
            values=["Reference", "Welingak Website"],
            points=15,
        ),
        r(
            kind=fit,
            label="School student profile",
            field="Lead Profile",
            operator=Operator.EQUALS,
            value="Student of SomeSchool",
            points=-15,
        ),
        r(
            kind=fit,
            label="Opted out of e-mail",
            field="Do Not Email",
            operator=Operator.EQUALS,
            value="Yes",
            points=-10,
        ),
        r(kind=beh, label="Website visits", field="TotalVisits", operator=Operator.COUNT, points=2, cap=10),
        r(
            kind=beh,
            label="Ten minutes or more on the website",
            field="Total Time Spent on Website",
            operator=Operator.AT_LEAST,
            minimum=600,
            points=15,
        ),
        r(
            kind=beh,
            label="Reads several pages per visit",
            field="Page Views Per Visit",
            operator=Operator.BETWEEN,
            minimum=2,
            maximum=6,
            points=5,
        ),
        r(
            kind=beh,
            label="Replied to an SMS",
            field="Last Activity",
            operator=Operator.EQUALS,
            value="SMS Sent",
            points=15,
        ),
        r(
            kind=beh,
            label="Had a phone conversation",
            field="Last Activity",
            operator=Operator.EQUALS,
            value="Had a Phone Conversation",
            points=20,
        ),
        r(
            kind=beh,
            label="Only chatted, or e-mail bounced",
            field="Last Activity",
            operator=Operator.ONE_OF,
            values=["Olark Chat Conversation", "Email Bounced"],
            points=-10,
        ),
        r(
            kind=beh,
            label="Downloaded the interview e-book",
            field="A free copy of Mastering The Interview",
            operator=Operator.EQUALS,
            value="Yes",
            points=3,
        ),
    ]
    stages = classic_waterfall()
    for stage in stages[:3]:
        stage.agreed = True
    terms = default_terms()
    terms[0].status = terms[2].status = terms[3].status = TermStatus.AGREED
    terms.append(
        GlossaryTerm(
            term="Enrolment", definition="A lead who paid for a course: our 'customer'.", status=TermStatus.AGREED
        )
    )
    terms.append(
        GlossaryTerm(
            term="Hot lead",
            definition="Disputed: sales wants 'called back within a day', marketing wants 'score in the hot band'.",
            status=TermStatus.DISPUTED,
            notes="Revisit after the threshold check.",
        )
    )
    del terms[4]  # replaced by the disputed wording above
    return Definitions(
        team=TeamTargets(
            workshop_name="Lead definitions offsite",
            organisation="X Education",
            date=dt.date(2026, 11, 24),
            facilitator="Sam Keller (Revenue Operations)",
            period=DEMO_LABEL,
            currency="INR",
            revenue_goal=45_000_000,
            baseline_rate=0.05,
            target_rate=0.60,
            reps=3,
            leads_per_rep_per_week=40,
        ),
        participants=[
            Participant(name="Priya Raman", role="VP Sales", team=Team.SALES, signer=True),
            Participant(name="Daniel Osei", role="VP Marketing", team=Team.MARKETING, signer=True),
            Participant(name="Mei Tanaka", role="Demand generation manager", team=Team.MARKETING),
            Participant(name="Carlos Mendes", role="Inside-sales lead", team=Team.SALES),
            Participant(name="Sam Keller", role="Revenue operations", team=Team.OTHER),
        ],
        stages=stages,
        terms=terms,
        rules=rules,
        bands=default_bands(),
        scoring=ScoringSettings(threshold=40, minimum_fit=None, history_weeks=DEMO_HISTORY_WEEKS),
        kpis=default_kpis(),
        decisions=[
            Decision(
                kind=DecisionKind.DECISION,
                text="Tags and Lead Quality are set by sales after the call, so they stay out of the scoring model.",
                owner="Mei Tanaka",
                step="scoring",
            ),
            Decision(
                kind=DecisionKind.PARKING,
                text="Should chat-only leads go to a nurture track instead of sales?",
                owner="Daniel Osei",
                step="scoring",
            ),
        ],
    )


def demo_leads(progress: Progress | None = None) -> LeadData:
    """The X Education leads, imported the way a user imports them (ID `Prospect ID`,
    outcome `Converted`)."""
    from models.leads.importer import import_leads

    def adjust(mapping, raw, outcomes):  # type: ignore[no-untyped-def]
        mapping.id, mapping.outcome = "Prospect ID", "Converted"
        mapping.types.pop("Prospect ID", None)
        mapping.types.pop("Converted", None)
        return mapping

    return import_leads(DEMO_LEADS, progress=progress, adjust=adjust)


def write_demo_workshop(path: Path | str, force: bool = False, label: str = DEMO_LABEL) -> None:
    """The demo workshop, with its leads, as a file (`accord new FILE --demo`, `accord --demo`)."""
    from models.document import Document

    # Written whole, the leads with the definitions: a file cut short is never half a demo.
    Document.create(path, demo_definitions(), label=label, force=force, leads=demo_leads()).close()


def is_demo_copy(path: Path) -> bool:
    """Whether `path` is a fresh copy of the demo workshop (not a file of the user's)."""
    return Path(path).parent.name.startswith(DEMO_PREFIX) and Path(path).name == DEMO_NAME
