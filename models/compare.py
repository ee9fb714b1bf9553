"""What changed between two revisions' definitions, field by field (no Qt).

    changes = compare(old_defs, new_defs)     a list of Change, in the order of the document
    change.text()                             "Scoring rule “Student”: points −10 → −15"

Items of a list (stages, terms, rules, bands, KPIs, participants, decisions) are matched by
their uid, which a new revision keeps from the one it was copied from; an item whose uid is
new but whose name matches a removed one's (definitions imported from JSON get new uids) is
taken as the same item. Team and targets, the scoring settings and the timeboxes compare
field by field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from models.definitions import COLLECTIONS, OBJECTS, Definitions

SECTION_NAMES: dict[str, str] = {
    "team": "Team and targets",
    "participants": "Participant",
    "stages": "Funnel stage",
    "terms": "Glossary term",
    "rules": "Scoring rule",
    "bands": "Score band",
    "scoring": "Scoring settings",
    "kpis": "Shared KPI",
    "decisions": "Decision",
    "timeboxes": "Timebox",
}
# Which field names an item (the name shown, and the key for matching by name).
NAME_FIELDS: dict[str, str] = {
    "participants": "name",
    "stages": "name",
    "terms": "term",
    "rules": "label",
    "bands": "name",
    "kpis": "name",
    "decisions": "text",
}
# Sections in document order.
ORDER = ("team", "participants", "stages", "terms", "rules", "bands", "scoring", "kpis", "decisions", "timeboxes")
IGNORED_FIELDS = {"uid"}
RATE_FIELDS = {"baseline_rate", "target_rate"}


class Kind(str, Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"


@dataclass(frozen=True)
class Change:
    section: str
    item: str  # the item's name ("" for team, scoring settings)
    kind: Kind
    field: str | None = None
    old: Any = None
    new: Any = None

    def text(self) -> str:
        where = SECTION_NAMES.get(self.section, self.section)
        name = f" \u201c{self.item}\u201d" if self.item else ""
        if self.kind == Kind.ADDED:
            return f"{where}{name} added"
        if self.kind == Kind.REMOVED:
            return f"{where}{name} removed"
        if self.kind == Kind.MOVED:
            return f"{where}{name} moved from position {self.old} to {self.new}"
        label = (self.field or "").replace("_", " ")
        return f"{where}{name}: {label} {show(self.old, self.field)} \u2192 {show(self.new, self.field)}"

    def detail(self) -> str:
        """What happened to the item: "added", "moved from position 4 to 1", "points −10 → −15"."""
        if self.kind in (Kind.ADDED, Kind.REMOVED):
            return str(self.kind.value)
        if self.kind == Kind.MOVED:
            return f"moved from position {self.old} to {self.new}"
        label = (self.field or "").replace("_", " ")
        return f"{label} {show(self.old, self.field)} \u2192 {show(self.new, self.field)}"

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["old"], data["new"] = _jsonable(self.old), _jsonable(self.new)
        data["text"] = self.text()
        return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def show(value: Any, field: str | None = None) -> str:
    """A value as the room reads it in a list of changes."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field in RATE_FIELDS and isinstance(value, (int, float)):
        return f"{value * 100:g}%"
    if isinstance(value, (int, float)):
        return f"{value:g}".replace("-", "\u2212")
    if isinstance(value, list):
        return ", ".join(show(v) for v in value) or "(none)"
    if isinstance(value, str) and len(value) > 80:
        return f"\u201c{value[:77]}\u2026\u201d"
    if isinstance(value, str):
        return f"\u201c{value}\u201d"
    return str(value)


def _fields(model: Any) -> dict[str, Any]:
    return {name: getattr(model, name) for name in type(model).model_fields if name not in IGNORED_FIELDS}


def _name(section: str, item: Any) -> str:
    return str(getattr(item, NAME_FIELDS[section], "") or "").strip() or "(unnamed)"


def _compare_fields(section: str, name: str, old: Any, new: Any) -> list[Change]:
    a, b = _fields(old), _fields(new)
    return [Change(section, name, Kind.CHANGED, field, a[field], b[field]) for field in a if a[field] != b[field]]


def compare(old: Definitions, new: Definitions) -> list[Change]:
    """Every difference from `old` to `new`, section by section in document order."""
    changes: list[Change] = []
    for section in ORDER:
        if section in OBJECTS:
            changes += _compare_fields(section, "", getattr(old, section), getattr(new, section))
        elif section == "timeboxes":
            for step in sorted(set(old.timeboxes) | set(new.timeboxes)):
                a, b = old.timeboxes.get(step), new.timeboxes.get(step)
                if a != b:
                    changes.append(Change("timeboxes", step, Kind.CHANGED, "minutes", a, b))
        else:
            changes += _compare_collection(section, old.collection(section), new.collection(section))
    return changes


def _compare_collection(section: str, old_items: list[Any], new_items: list[Any]) -> list[Change]:
    old_by_uid = {item.uid: item for item in old_items}
    matched: dict[str, Any] = {}  # new uid -> old item
    for item in new_items:
        if item.uid in old_by_uid:
            matched[item.uid] = old_by_uid[item.uid]
    unmatched_old = {item.uid: item for item in old_items if item.uid not in {o.uid for o in matched.values()}}
    by_name: dict[str, list[Any]] = {}
    for item in unmatched_old.values():
        by_name.setdefault(_name(section, item).casefold(), []).append(item)
    for item in new_items:
        if item.uid in matched:
            continue
        candidates = by_name.get(_name(section, item).casefold())
        if candidates:
            matched[item.uid] = candidates.pop(0)
    used_old = {o.uid for o in matched.values()}
    changes: list[Change] = []
    old_positions = {item.uid: k for k, item in enumerate(old_items)}
    kept_old_order = [item.uid for item in old_items if item.uid in used_old]
    kept_new_order = [matched[item.uid].uid for item in new_items if item.uid in matched]
    for item in old_items:
        if item.uid not in used_old:
            changes.append(Change(section, _name(section, item), Kind.REMOVED))
    for item in new_items:
        previous = matched.get(item.uid)
        if previous is None:
            changes.append(Change(section, _name(section, item), Kind.ADDED))
            continue
        changes += _compare_fields(section, _name(section, item), previous, item)
    if kept_old_order != kept_new_order:  # the same items in another order
        # The fewest items that moved: those outside a longest run kept in the old order.
        ranks = [kept_old_order.index(uid) for uid in kept_new_order]
        stayed = {kept_new_order[k] for k in _longest_increasing(ranks)}
        for uid in kept_new_order:
            if uid not in stayed:
                item = next(i for i in new_items if i.uid in matched and matched[i.uid].uid == uid)
                changes.append(
                    Change(
                        section,
                        _name(section, item),
                        Kind.MOVED,
                        "position",
                        old_positions[uid] + 1,
                        new_items.index(item) + 1,
                    )
                )
    return changes


def _longest_increasing(values: list[int]) -> list[int]:
    """Indexes of a longest strictly increasing subsequence of `values` (n is small)."""
    best: list[list[int]] = []
    for k, value in enumerate(values):
        chain = max((c for c in best if values[c[-1]] < value), key=len, default=[])
        best.append(chain + [k])
    return max(best, key=len, default=[])


def summary(changes: list[Change]) -> str:
    """ "3 added, 1 removed, 5 changed" (or "no changes")."""
    if not changes:
        return "no changes"
    counts = {kind: sum(c.kind == kind for c in changes) for kind in Kind}
    parts = [f"{n} {kind.value}" for kind, n in counts.items() if n]
    return ", ".join(parts)


__all__ = ["Change", "Kind", "compare", "summary", "SECTION_NAMES", "COLLECTIONS"]
