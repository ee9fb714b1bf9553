"""Edits to a revision's definitions, as plain data with an inverse.

Every change an editor makes is one of these; `Document.apply` performs it and saves it,
and the undo stack in `app` only replays `edit` / `edit.inverse()`. Keeping them as data
makes them testable without Qt and lets consecutive edits of one field merge into one
undo step (a spin box held down is one edit).

Addressing: `section` is a collection name (`stages`, `rules`, ...), an object section
(`team`, `scoring`) or `timeboxes`; `uid` names the item of a collection.

A value is validated with the definitions' limits (models/definitions.py) and refused beyond
them; an edit that puts back what was there (an undo: `restoring`) is not, since a workshop
written before the limits may hold such a value, and undoing a fix must bring it back.
"""

from __future__ import annotations

import dataclasses
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from models.definitions import COLLECTIONS, OBJECTS, Definitions, Operator, RuleKind, as_stored, field_limits
from models.steps import STEP_KEYS


class EditError(ValueError):
    """An edit does not fit the document (unknown item, invalid value)."""


class Edit(Protocol):
    def apply(self, defs: Definitions) -> None: ...
    def inverse(self) -> Edit: ...
    def describe(self) -> str: ...


SECTION_NOUNS: dict[str, str] = {
    "participants": "participant",
    "stages": "stage",
    "terms": "term",
    "rules": "rule",
    "bands": "band",
    "kpis": "KPI",
    "decisions": "item",
    "team": "team and targets",
    "scoring": "scoring settings",
    "timeboxes": "timebox",
}


def _item(defs: Definitions, section: str, uid: str | None) -> Any:
    if section in OBJECTS:
        return getattr(defs, section)
    if section in COLLECTIONS:
        for item in defs.collection(section):
            if item.uid == uid:
                return item
        raise EditError(f"no {SECTION_NOUNS[section]} with id {uid!r}")
    raise EditError(f"unknown section {section!r}")


def _validation(restoring: bool) -> AbstractContextManager[None]:
    """Where a value is validated: as stored when it is put back, as input otherwise."""
    return as_stored() if restoring else nullcontext()


def validated(section: str, field: str, value: Any, *, restoring: bool = False) -> Any:
    """The value as the field's type would store it; raises EditError if it does not fit (its
    type, or its limit unless `restoring` what was there)."""
    model = OBJECTS.get(section) or COLLECTIONS.get(section)
    if model is None:
        raise EditError(f"unknown section {section!r}")
    if field not in model.model_fields or field == "uid":
        raise EditError(f"{SECTION_NOUNS[section]} has no editable field {field!r}")
    try:
        with _validation(restoring):
            probe = model.model_validate({field: value})
    except ValidationError as exc:
        raise EditError(f"{field}: {exc.errors()[0]['msg']}") from exc
    return getattr(probe, field)


@dataclass(frozen=True)
class SetField:
    section: str
    uid: str | None
    field: str
    old: Any
    new: Any
    # An undo: `new` is what was there, beyond a limit or not. (How an edit is applied, not
    # what it changes: not compared.)
    restoring: bool = dataclasses.field(default=False, compare=False)

    def apply(self, defs: Definitions) -> None:
        if self.section == "timeboxes":
            if self.field not in STEP_KEYS:
                raise EditError(f"no workshop step {self.field!r}; expected one of {', '.join(STEP_KEYS)}")
            if self.new is None:  # the step had no timebox (the inverse of setting one)
                defs.timeboxes.pop(self.field, None)
                return
            try:
                minutes = int(self.new)
            except (TypeError, ValueError) as exc:
                raise EditError(f"a timebox is a number of minutes, not {self.new!r}") from exc
            if minutes < 0:
                raise EditError("a timebox cannot be negative")
            limit = field_limits(Definitions, "timeboxes")[1]
            if not self.restoring and limit is not None and limit.problem(minutes) is not None:
                raise EditError(f"a timebox is at most {limit.high:,g} minutes")
            defs.timeboxes[self.field] = minutes
            return
        target = _item(defs, self.section, self.uid)
        setattr(target, self.field, validated(self.section, self.field, self.new, restoring=self.restoring))

    def inverse(self) -> SetField:
        return SetField(self.section, self.uid, self.field, self.new, self.old, not self.restoring)

    def describe(self) -> str:
        return f"Change {SECTION_NOUNS.get(self.section, self.section)} {self.field.replace('_', ' ')}"

    def merges_with(self, other: object) -> bool:
        return (
            isinstance(other, SetField)
            and other.section == self.section
            and other.uid == self.uid
            and other.field == self.field
        )


@dataclass(frozen=True)
class InsertItem:
    section: str
    index: int
    item: dict[str, Any]
    restoring: bool = dataclasses.field(default=False, compare=False)  # an undo of a removal: the item as it was

    def apply(self, defs: Definitions) -> None:
        items = defs.collection(self.section)
        if not 0 <= self.index <= len(items):
            raise EditError(f"cannot insert at {self.index}")
        limit = field_limits(Definitions, self.section)[0]
        if not self.restoring and limit is not None and limit.length is not None and len(items) >= limit.length:
            raise EditError(f"{self.section}: at most {limit.length:,} {limit.noun}; remove one first")
        try:
            with _validation(self.restoring):
                obj = COLLECTIONS[self.section].model_validate(self.item)
        except ValueError as exc:
            raise EditError(str(exc)) from exc
        if any(i.uid == obj.uid for i in items):
            raise EditError(f"a {SECTION_NOUNS[self.section]} with id {obj.uid!r} exists already")
        items.insert(self.index, obj)

    def inverse(self) -> RemoveItem:
        return RemoveItem(self.section, self.index, self.item)

    def describe(self) -> str:
        return f"Add {SECTION_NOUNS[self.section]}"


@dataclass(frozen=True)
class RemoveItem:
    section: str
    index: int
    item: dict[str, Any]

    def apply(self, defs: Definitions) -> None:
        items = defs.collection(self.section)
        if not 0 <= self.index < len(items) or items[self.index].uid != self.item.get("uid"):
            raise EditError(f"{SECTION_NOUNS[self.section]} {self.item.get('uid')!r} is not at {self.index}")
        del items[self.index]

    def inverse(self) -> InsertItem:
        return InsertItem(self.section, self.index, self.item, restoring=True)

    def describe(self) -> str:
        return f"Remove {SECTION_NOUNS[self.section]}"


@dataclass(frozen=True)
class MoveItem:
    """Move the item at `source` so that it ends up at index `dest`."""

    section: str
    source: int
    dest: int

    def apply(self, defs: Definitions) -> None:
        items = defs.collection(self.section)
        n = len(items)
        if not (0 <= self.source < n and 0 <= self.dest < n):
            raise EditError(f"cannot move from {self.source} to {self.dest}")
        items.insert(self.dest, items.pop(self.source))

    def inverse(self) -> MoveItem:
        return MoveItem(self.section, self.dest, self.source)

    def describe(self) -> str:
        return f"Move {SECTION_NOUNS[self.section]}"


@dataclass(frozen=True)
class ReplaceAll:
    """Replace every definition at once (import of a definitions JSON). The new definitions
    are read as stored (`Definitions.model_validate`): an import was validated, limits and
    all, by `parse_definitions`, and an undo puts back what was there."""

    old: dict[str, Any]
    new: dict[str, Any]
    text: str = "Import definitions"

    def apply(self, defs: Definitions) -> None:
        try:
            fresh = Definitions.model_validate(self.new)
        except ValueError as exc:
            raise EditError(str(exc)) from exc
        for name in Definitions.model_fields:
            setattr(defs, name, getattr(fresh, name))

    def inverse(self) -> ReplaceAll:
        return ReplaceAll(self.new, self.old, self.text)

    def describe(self) -> str:
        return self.text


@dataclass(frozen=True)
class Batch:
    """Several edits as one step (e.g. removing several selected rows)."""

    edits: tuple[Any, ...]
    text: str

    def apply(self, defs: Definitions) -> None:
        done: list[Any] = []
        try:
            for e in self.edits:
                e.apply(defs)
                done.append(e)
        except Exception:
            for e in reversed(done):
                e.inverse().apply(defs)
            raise

    def inverse(self) -> Batch:
        return Batch(tuple(e.inverse() for e in reversed(self.edits)), self.text)

    def describe(self) -> str:
        return self.text


def set_field(defs: Definitions, section: str, uid: str | None, field: str, new: Any) -> SetField:
    """A SetField carrying the current value as `old`."""
    if section == "timeboxes":
        return SetField(section, None, field, defs.timeboxes.get(field), new)
    return SetField(section, uid, field, getattr(_item(defs, section, uid), field), new)


def insert_item(defs: Definitions, section: str, index: int | None, **fields: Any) -> InsertItem:
    items = defs.collection(section)
    item = COLLECTIONS[section](**fields)
    return InsertItem(section, len(items) if index is None else index, item.model_dump(mode="json"))


def remove_item(defs: Definitions, section: str, uid: str) -> RemoveItem:
    items = defs.collection(section)
    for index, item in enumerate(items):
        if item.uid == uid:
            return RemoveItem(section, index, item.model_dump(mode="json"))
    raise EditError(f"no {SECTION_NOUNS[section]} with id {uid!r}")


def change_operator(defs: Definitions, uid: str, operator: Operator) -> Edit:
    """Change a rule's operator, with what the new operator implies, as one undo step: a cap
    means something only on a count rule (left on another, it would be hidden and stored), so
    it goes; counting occurrences is a behaviour, so a count rule becomes one."""
    rule = _item(defs, "rules", uid)
    edits: list[Edit] = [set_field(defs, "rules", uid, "operator", operator.value)]
    if operator != Operator.COUNT and rule.cap is not None:
        edits.append(set_field(defs, "rules", uid, "cap", None))
    if operator == Operator.COUNT and rule.kind != RuleKind.BEHAVIOUR:
        edits.append(set_field(defs, "rules", uid, "kind", RuleKind.BEHAVIOUR.value))
    return edits[0] if len(edits) == 1 else Batch(tuple(edits), "Change rule operator")
