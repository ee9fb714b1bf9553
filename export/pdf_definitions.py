"""The sections of the PDF definitions document that print what the room agreed, as it
agreed it (no Qt): team and targets, funnel stages, vocabulary, shared KPIs and SLA,
decisions and parking lot, and the changes since the previous revision.

The scoring model, the threshold check and the data provenance have modules of their own
(export/pdf_scoring.py, pdf_check.py, pdf_provenance.py).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from export.pdf_builder import Builder
from export.pdf_scoring import SCORING
from export.pdf_style import BAD, GOOD, GREY, WARN
from export.pdf_text import fmt_count, fmt_day, fmt_hours
from models.check_text import fmt_pct, money, number
from models.definitions import DecisionKind, TermStatus
from models.steps import STEP_TITLES

TEAM = "Team and targets"
STAGES = "Funnel stages"
VOCABULARY = "Vocabulary"
KPIS = "Shared KPIs and SLA"
DECISIONS = "Decisions and parking lot"
CHANGES = "Changes since the previous revision"


def team(b: Builder) -> None:
    t = b.t
    team = b.defs.team
    b.section(
        TEAM,
        "Who took part in the workshop, and what sales asked of marketing: the opportunity "
        "rate it expects from marketing's leads and how many new leads it can follow up each week.",
    )
    b.subsection("Workshop")
    rows: list[tuple[str, str | Flowable]] = [
        ("Workshop", t(team.workshop_name)),
        ("Organisation", t(team.organisation or "\u2014")),
        ("Date", t(fmt_day(team.date))),
        ("Facilitator", t(team.facilitator or "\u2014")),
        ("Period the targets cover", t(team.period or "\u2014")),
    ]
    goal = "\u2014" if team.revenue_goal is None else money(team.revenue_goal, team.currency)
    rows.append(
        (
            "Shared revenue goal",
            t(goal + (f" for {team.period}" if team.period and team.revenue_goal is not None else "")),
        )
    )
    b.add(b.pairs(rows))

    b.subsection("Targets")
    capacity = team.capacity_per_week
    rows = [
        (
            "Baseline opportunity rate",
            t(
                f"{fmt_pct(team.baseline_rate, 1)} \u2014 what sales achieves "
                "without marketing (for example by cold calling); marketing's leads "
                "must beat it"
            ),
        ),
        (
            "Target opportunity rate",
            f"<b>{t(fmt_pct(team.target_rate, 1))}</b>"
            + t(" \u2014 the share of the leads handed to sales that should become opportunities"),
        ),
        (
            "Sales capacity",
            f"<b>{t(fmt_count(capacity, 'new lead'))} a week</b>"
            + t(
                f" \u2014 {fmt_count(team.reps, 'rep')} \u00d7 {team.leads_per_rep_per_week:,} new leads per "
                "rep per week"
            ),
        ),
        ("Hand-off threshold", t(f"{number(b.defs.scoring.threshold)} points (see {SCORING})")),
    ]
    b.add(b.pairs(rows))

    b.subsection("Participants")
    people = b.defs.participants
    if not people:
        b.none("No participants were recorded.")
        return
    rows2 = [
        [
            b.p(f"<b>{t(p.name or '(no name)')}</b>", b.st.cell),
            p.role or "\u2014",
            p.team.value,
            "signs" if p.signer else "\u2014",
        ]
        for p in people
    ]
    b.add(b.table(("Name", "Role", "Team", "Sign-off"), rows2, (0.3, 0.36, 0.18, 0.16)))


def stages(b: Builder) -> None:
    t = b.t
    b.section(
        STAGES,
        "The stages a lead moves through from first response to customer, in order: what "
        "each means, what moves a lead in and out of it, which team owns it, and how fast "
        "that team follows up.",
    )
    stages = b.defs.stages
    if not stages:
        b.none("No funnel stages were defined.")
        return
    agreed = sum(s.agreed for s in stages)
    b.add(
        b.p(
            t(
                f"{agreed} of {len(stages)} stages agreed. The follow-up SLA is the time the owning team "
                "has to act on a lead entering the stage."
            ),
            b.st.note,
        )
    )
    rows = []
    for k, s in enumerate(stages, start=1):
        definition = t(s.definition or "\u2014")
        if s.examples.strip():
            definition += f'<br/><font color="{GREY}" size="7.2"><i>Example: {t(s.examples)}</i></font>'
        status = t.coloured("agreed", GOOD, bold=False) if s.agreed else t.coloured("not yet", WARN, bold=False)
        rows.append(
            [
                str(k),
                b.p(f"<b>{t(s.name or '(no name)')}</b>", b.st.cell),
                b.p(definition, b.st.cell),
                s.entry_criteria or "\u2014",
                s.exit_criteria or "\u2014",
                s.owner.value,
                fmt_hours(s.sla_hours),
                b.p(status, b.st.cell),
            ]
        )
    b.add(
        b.table(
            ("#", "Stage", "Definition", "Entry criteria", "Exit criteria", "Owner", "Follow-up SLA", "Agreed"),
            rows,
            (0.04, 0.14, 0.23, 0.165, 0.165, 0.105, 0.085, 0.075),
        )
    )


def vocabulary(b: Builder) -> None:
    t = b.t
    b.section(
        VOCABULARY,
        "The words both teams use, with the meaning they agreed, so that a \u201clead\u201d "
        "or a \u201chot lead\u201d means the same thing in sales and in marketing.",
    )
    terms = b.defs.terms
    if not terms:
        b.none("No glossary terms were defined.")
        return
    counts = {s: sum(term.status == s for term in terms) for s in TermStatus}
    disputed = [term.term for term in terms if term.status == TermStatus.DISPUTED]
    line = (
        f"{counts[TermStatus.AGREED]} of {len(terms)} terms agreed, {counts[TermStatus.PROPOSED]} proposed, "
        f"{counts[TermStatus.DISPUTED]} disputed."
    )
    if disputed:
        line += " Still disputed: " + ", ".join(f"\u201c{d}\u201d" for d in disputed) + "."
    b.none(line)
    colour = {TermStatus.AGREED: GOOD, TermStatus.DISPUTED: BAD, TermStatus.PROPOSED: GREY}
    rows = [
        [
            b.p(f"<b>{t(term.term or '(no term)')}</b>", b.st.cell),
            term.definition or "\u2014",
            term.notes or "",
            b.p(t.coloured(term.status.value, colour[term.status], bold=False), b.st.cell),
        ]
        for term in terms
    ]
    b.add(b.table(("Term", "Definition", "Notes", "Status"), rows, (0.2, 0.44, 0.25, 0.11)))


def kpis(b: Builder) -> None:
    t = b.t
    b.section(
        KPIS,
        "The dashboard both teams agree to watch together, and how quickly each team follows up "
        "the leads in the stages it owns.",
    )
    b.subsection("Shared KPIs")
    kpis = b.defs.kpis
    if kpis:
        rows = [
            [
                b.p(f"<b>{t(k.name or '(no name)')}</b>", b.st.cell),
                k.definition or "\u2014",
                k.formula or "\u2014",
                k.owner or "\u2014",
                k.target or "\u2014",
                k.cadence or "\u2014",
            ]
            for k in kpis
        ]
        b.add(
            b.table(
                ("KPI", "Definition", "Formula", "Owner", "Target", "Cadence"),
                rows,
                (0.17, 0.25, 0.25, 0.11, 0.12, 0.10),
            )
        )
    else:
        b.none("No shared KPIs were defined.")
    b.subsection("Stage SLAs")
    stages = b.defs.stages
    if not stages:
        b.none("No funnel stages were defined.")
        return
    rows2 = []
    for s in stages:
        sla = "no follow-up SLA" if s.sla_hours is None else f"within {fmt_hours(s.sla_hours)} of entering the stage"
        rows2.append([b.p(f"<b>{t(s.name or '(no name)')}</b>", b.st.cell), s.owner.value, sla])
    b.add(b.table(("Stage", "Owning team", "Follow-up SLA"), rows2, (0.36, 0.2, 0.44)))


def decisions(b: Builder) -> None:
    b.section(
        DECISIONS,
        "What the room decided, and the questions it parked to come back to, each with the person who follows it up.",
    )
    items = b.defs.decisions
    for kind, title, empty in (
        (DecisionKind.DECISION, "Decisions", "No decisions were recorded."),
        (DecisionKind.PARKING, "Parking lot", "Nothing was parked."),
    ):
        b.subsection(title)
        chosen = [d for d in items if d.kind == kind]
        if not chosen:
            b.none(empty)
            continue
        rows = [
            [
                d.text or "\u2014",
                d.owner or "\u2014",
                STEP_TITLES.get(d.step, d.step) or "\u2014",
                fmt_day(d.created) if d.created else "\u2014",
            ]
            for d in chosen
        ]
        b.add(
            b.table(
                ("Decision" if kind == DecisionKind.DECISION else "Item", "Owner", "Raised during", "Recorded"),
                rows,
                (0.5, 0.17, 0.18, 0.15),
            )
        )


def changes(b: Builder) -> None:
    changes = b.c.changes or ()
    prev = b.c.previous_label
    intro = (
        f"What changed in the definitions since revision {prev}, item by item."
        if prev
        else "What changed in the definitions since the previous revision, item by item."
    )
    b.section(CHANGES, intro)
    if not changes:
        b.none("Nothing changed." if not prev else f"Nothing changed since revision {prev}.")
        return
    b.add(b.table(("Section", "Item", "What changed"), [list(c) for c in changes], (0.2, 0.28, 0.52)))
