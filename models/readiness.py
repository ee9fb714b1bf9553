"""The sign-off checklist the room goes through before signing (no Qt).

    readiness(defs, has_leads=True, check=check)   every item, done or not, with its detail

The threshold item reads the live threshold check its caller keeps; while that check is
still being built (`check` None with leads), it says so rather than building one here.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.check import ThresholdCheck
from models.check_text import number, rate_against_target, volume_against_capacity
from models.definitions import Definitions, TermStatus
from models.definitions_json import check_definitions

THRESHOLD_ITEM = "Threshold checked against data"
PENDING = "checking the threshold against the leads\u2026"


@dataclass(frozen=True)
class ReadinessItem:
    label: str
    done: bool
    detail: str


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def threshold_item(has_leads: bool, check: ThresholdCheck | None, pending: str = PENDING) -> ReadinessItem:
    """Whether the threshold was checked against the leads, with the figures at it; `pending`
    is said while the check of existing leads is not there yet."""
    if not has_leads:
        return ReadinessItem(THRESHOLD_ITEM, False, "no historical leads yet: import them on the Historical leads step")
    if check is None:
        return ReadinessItem(THRESHOLD_ITEM, False, pending)
    f = check.figures()
    t = number(f.threshold)
    if f.rate is None:
        return ReadinessItem(THRESHOLD_ITEM, False, f"no lead reaches the threshold of {t} points")
    rate = rate_against_target(f)
    if f.weekly_volume is None:
        return ReadinessItem(
            THRESHOLD_ITEM,
            False,
            f"at {t} points: {rate}; leads per week unknown: enter the weeks the history covers on the "
            "Threshold check step",
        )
    volume = volume_against_capacity(f)
    problems = ([] if f.rate_ok else ["rate below target"]) + ([] if f.volume_ok else ["over capacity"])
    return ReadinessItem(
        THRESHOLD_ITEM,
        not problems,
        f"at {t} points: {rate}, {volume}" + (f" \u2014 {' and '.join(problems)}" if problems else ""),
    )


def readiness(
    defs: Definitions, *, has_leads: bool, check: ThresholdCheck | None, pending: str = PENDING
) -> list[ReadinessItem]:
    """The checklist: stages agreed, no disputed term, a complete scoring model, the threshold
    checked against data (`check`, brought up to `defs` by its keeper), at least one signer."""
    not_agreed = [s.name for s in defs.stages if not s.agreed]
    disputed = [t.term for t in defs.terms if t.status == TermStatus.DISPUTED]
    problems = check_definitions(defs)
    signers = defs.signers()
    if not defs.rules:
        model = "no rules yet"
    elif problems:
        model = f"{_count(len(problems), 'problem')}, first: {problems[0]}"
    else:
        model = f"{len(defs.rules)} rules, threshold {defs.scoring.threshold:g}"
    return [
        ReadinessItem(
            "Every funnel stage agreed",
            bool(defs.stages) and not not_agreed,
            "no stages yet"
            if not defs.stages
            else ("all agreed" if not not_agreed else "not yet agreed: " + ", ".join(not_agreed)),
        ),
        ReadinessItem(
            "No disputed term", not disputed, "none disputed" if not disputed else "disputed: " + ", ".join(disputed)
        ),
        ReadinessItem("Scoring model complete", bool(defs.rules) and not problems, model),
        threshold_item(has_leads, check, pending),
        ReadinessItem(
            "At least one signer",
            bool(signers),
            _count(len(signers), "signer") if signers else "mark the signers on Team and targets",
        ),
    ]
