"""Re-check: last quarter's model on this quarter's leads, and this quarter's model on last
quarter's leads, side by side (no Qt).

    result = recheck(file, old_revision_id, new_revision_id)
    result.cells[("old", "new")]      the old model at its threshold on the new leads
    result.explanation()              "The old threshold now gives 9% instead of 14%: ..."

Each model is checked at its own threshold and with its own targets; the weeks a data set
covers come from the revision that imported it (its dates, or the weeks it entered).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.check import Figures, ThresholdCheck
from models.check_text import fmt_pct
from models.definitions import Definitions
from models.lead_frame import LeadFrame

if TYPE_CHECKING:
    from models.store import WorkshopFile


@dataclass
class Side:
    label: str
    defs: Definitions
    frame: LeadFrame | None  # None: that revision has no leads


@dataclass
class Recheck:
    old: Side
    new: Side
    # (model, data) -> the figures, for "old"/"new" each; missing when that data set is absent.
    cells: dict[tuple[str, str], Figures] = field(default_factory=dict)
    same_leads: bool = False  # both revisions hold the same data set (the later one never re-imported)

    def figures(self, model: str, data: str) -> Figures | None:
        return self.cells.get((model, data))

    def explanation(self) -> list[str]:
        """Plain sentences: what the old model gives now, and why it differs."""
        lines: list[str] = []
        then, now = self.cells.get(("old", "old")), self.cells.get(("old", "new"))
        if then is None or now is None:
            missing = self.old.label if self.old.frame is None else self.new.label
            return [
                f"Revision {missing} has no imported leads, so the models cannot be re-checked across "
                "quarters. Import its leads on the Historical leads step."
            ]
        t = f"{self.old.defs.scoring.threshold:g}"
        if self.same_leads:
            lines.append(
                f"Both revisions hold the same leads: import this quarter's leads into {self.new.label} "
                "(Historical leads step) to re-check the models on new data."
            )
        lines.append(
            f"The {self.old.label} model at its threshold of {t} points gives "
            f"{fmt_pct(now.rate)} on the {self.new.label} leads, instead of {fmt_pct(then.rate)} on the "
            f"{self.old.label} leads ({now.passed:,} leads passed instead of {then.passed:,})."
        )
        if then.overall_rate is not None and now.overall_rate is not None:
            lines.append(
                f"Why: the {self.new.label} leads convert at {fmt_pct(now.overall_rate)} overall against "
                f"{fmt_pct(then.overall_rate)} before, and {_share(now)} of them reach {t} points "
                f"against {_share(then)} before."
            )
        if then.weekly_volume is not None and now.weekly_volume is not None:
            lines.append(
                f"Leads a week at that threshold: {now.weekly_volume:,.0f} now, {then.weekly_volume:,.0f} "
                f"before (capacity {now.capacity:,})."
            )
        fresh = self.cells.get(("new", "new"))
        if fresh is not None:
            lines.append(
                f"The {self.new.label} model at its threshold of {self.new.defs.scoring.threshold:g} "
                f"points gives {fmt_pct(fresh.rate)} on the {self.new.label} leads "
                f"(target {fmt_pct(fresh.target_rate)})."
            )
        return lines


def _share(f: Figures) -> str:
    return fmt_pct(f.passed / f.leads) if f.leads else "\u2014"


def _side(file: WorkshopFile, rid: int) -> Side:
    rev = file.revision(rid)
    data = file.load_leads(rid)
    return Side(rev.label, file.load_definitions(rid), LeadFrame.from_lead_data(data) if data is not None else None)


def recheck(file: WorkshopFile, old_id: int, new_id: int) -> Recheck:
    result = Recheck(_side(file, old_id), _side(file, new_id))
    old_info, new_info = file.leads_info(old_id), file.leads_info(new_id)
    if old_info is not None and new_info is not None:
        result.same_leads = [(s.name, s.sha256) for s in old_info.sources] == [
            (s.name, s.sha256) for s in new_info.sources
        ] and old_info.rows == new_info.rows
    named = {"old": result.old, "new": result.new}
    for model_key, model in named.items():
        for data_key, data in named.items():
            if data.frame is None:
                continue
            defs = model.defs.model_copy(deep=True)
            # The weeks belong to the data set: those its own revision entered.
            defs.scoring.history_weeks = data.defs.scoring.history_weeks
            result.cells[(model_key, data_key)] = ThresholdCheck(data.frame, defs).figures()
    return result
