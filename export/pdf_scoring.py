"""The scoring model section of the PDF definitions document (no Qt): the hand-off
threshold and minimum fit, the score bands, and the fit and behaviour rules with their
conditions, points, caps and decay.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether

from export.pdf_builder import Builder
from export.pdf_style import BAD, GOOD, GREY
from export.pdf_text import fmt_day
from models.check_text import number
from models.definitions import Operator, RuleKind, ScoringRule
from models.scoring import describe_rule, fmt_points

SCORING = "Scoring model"


def scoring(b: Builder) -> None:
    t = b.t
    d = b.defs
    s = d.scoring
    b.section(
        SCORING,
        "How a lead's score is computed: fit rules (who the lead is) and behaviour rules (what "
        "the lead did) add or take away points, and a lead whose score reaches the hand-off "
        "threshold goes to sales.",
    )
    b.subsection("Hand-off threshold and score bands")
    rows: list[tuple[str, str | Flowable]] = [
        (
            "Hand-off threshold",
            f"<b>{t(number(s.threshold))} points</b>"
            + t(f": a lead goes to sales when its score is \u2265 {number(s.threshold)}"),
        ),
        (
            "Minimum fit score",
            t(
                "none"
                if s.minimum_fit is None
                else f"{number(s.minimum_fit)} points: the fit rules' points must also reach it (a second gate)"
            ),
        ),
    ]
    if any(r.decay_half_life_days for r in d.rules):
        rows.append(
            (
                "Decay measured to",
                t(fmt_day(s.as_of_date) if s.as_of_date else f"the workshop date ({fmt_day(d.team.date)})"),
            )
        )
    b.add(b.pairs(rows))
    b.add(
        b.p(
            t(
                "A lead's score is the sum of the points of every rule it matches. Text compares after "
                "trimming and ignoring case; a missing value matches only \u201cis empty\u201d and the "
                "\u201cnot\u201d rules. A count rule adds its points once per occurrence (for example "
                "per website visit), at most its cap."
            ),
            b.st.note,
        )
    )
    bands = sorted(d.bands, key=lambda band: band.min_score, reverse=True)
    if bands:
        rows3 = []
        for k, band in enumerate(bands):
            upper = bands[k - 1].min_score if k > 0 else None
            scores = (
                f"{number(band.min_score)} and above"
                if upper is None
                else f"{number(band.min_score)} to under {number(upper)}"
            )
            at = (
                "go to sales"
                if band.min_score >= s.threshold
                else ("partly go to sales" if upper is None or upper > s.threshold else "\u2014")
            )
            rows3.append([b.band_name(band.name or f"\u2265 {number(band.min_score)}", band.colour), scores, at])
        b.add(
            KeepTogether(
                [
                    b.p(t("Score bands"), b.st.h3),
                    b.table(
                        ("Band", "Scores", f"At the threshold of {number(s.threshold)} points"),
                        rows3,
                        (0.3, 0.35, 0.35),
                    ),
                    b.p(
                        t("Bands name ranges of the score; a lead scoring below the lowest band is in none."),
                        b.st.note,
                    ),
                ]
            )
        )
    fit = [r for r in d.rules if r.kind == RuleKind.FIT]
    behaviour = [r for r in d.rules if r.kind == RuleKind.BEHAVIOUR]
    b.subsection("Fit rules")
    if fit:
        b.add(
            b.table(
                ("Rule", "Condition", "Points", "Decay"),
                [_rule_row(b, r, with_cap=False) for r in fit],
                (0.3, 0.45, 0.1, 0.15),
                right=(2,),
            )
        )
    else:
        b.none("No fit rules.")
    b.subsection("Behaviour rules")
    if behaviour:
        b.add(
            b.table(
                ("Rule", "Condition", "Points", "Cap", "Decay"),
                [_rule_row(b, r, with_cap=True) for r in behaviour],
                (0.28, 0.38, 0.1, 0.09, 0.15),
                right=(2, 3),
            )
        )
    else:
        b.none("No behaviour rules.")


def _rule_row(b: Builder, r: ScoringRule, with_cap: bool) -> list[Any]:
    t = b.t
    label = b.p(f"<b>{t(r.label or describe_rule(r))}</b>", b.st.cell)
    if r.operator == Operator.COUNT:
        condition = f"per occurrence: each {r.field or '?'}"
        points = f"{fmt_points(r.points)} each"
    else:
        condition = describe_rule(r.model_copy(update={"decay_half_life_days": None}))
        arrow = f" \u2192 {fmt_points(r.points)}"
        if condition.endswith(arrow):
            condition = condition[: -len(arrow)]
        points = fmt_points(r.points)
    colour = GOOD if r.points > 0 else (BAD if r.points < 0 else GREY)
    decay = (
        "\u2014"
        if not r.decay_half_life_days
        else f"halves every {r.decay_half_life_days:g} days since {r.decay_date_field or '?'}"
    )
    row: list[Any] = [label, condition, b.p(t.coloured(points, colour), b.st.cell_right)]
    if with_cap:
        row.append("\u2014" if r.cap is None else f"at most {number(r.cap)}")
    row.append(decay)
    return row
