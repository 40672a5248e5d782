"""Every event record class, and what each publishes: the source of docs/webhooks.md's
list of events and their fields."""

from __future__ import annotations

from collections import abc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from gatekeeper.core.events import (
    access,
    audit,
    followup,
    gates,
    meetings,
    projects,
    registers,
    reminders,
    reports,
    rollout,
    subprojects,
)
from gatekeeper.core.events.base import _FLATTENED, Event
from gatekeeper.core.events.names import EventName

EVENT_RECORDS: tuple[type[Event], ...] = (
    *projects.EVENTS,
    *gates.EVENTS,
    *rollout.EVENTS,
    *reminders.EVENTS,
    *access.EVENTS,
    *audit.EVENTS,
    *meetings.EVENTS,
    *followup.EVENTS,
    *reports.EVENTS,
    *registers.EVENTS,
    *subprojects.EVENTS,
)


@dataclass(frozen=True)
class Field:
    """One field of a published `before` or `after`."""

    name: str
    type: str
    optional: bool = False  # present only for some changes (a wave's, say)


def records_of(name: EventName) -> list[type[Event]]:
    """The record classes published under `name` (most names have one)."""
    return [record for record in EVENT_RECORDS if record.name is name]


def published_fields(record: type[Event], side: str) -> list[Field] | None:
    """The fields of `before` or `after` of `record`, None when it has none."""
    hints = get_type_hints(record)
    return _fields_of(hints[side])


def _fields_of(kind: Any, optional: bool = False) -> list[Field] | None:
    kind = _without_none(kind)
    if kind is None:
        return None
    if not (is_dataclass(kind) and isinstance(kind, type)):
        raise TypeError(f"{kind!r} is not a state record")
    hints = get_type_hints(kind)
    out: list[Field] = []
    for item in fields(kind):
        if item.metadata.get(_FLATTENED):
            out += _fields_of(hints[item.name], optional=True) or []
        else:
            out.append(Field(item.name, _type_text(hints[item.name]), optional))
    return out


def _without_none(kind: Any) -> Any:
    if kind is type(None) or kind is None:
        return None
    args = getattr(kind, "__args__", None)
    if args and type(None) in args and get_origin(kind) in (Union, UnionType):
        rest = [arg for arg in args if arg is not type(None)]
        return rest[0] if len(rest) == 1 else kind
    return kind


_PLAIN = {str: "string", int: "integer", bool: "boolean", type(None): "null", Any: "any"}


def _type_text(kind: Any) -> str:
    """A field's type in the words of JSON: `string or null`, `list of string`, …"""
    if kind in _PLAIN:
        return _PLAIN[kind]
    origin, args = get_origin(kind), get_args(kind)
    if origin in (Union, UnionType):
        return " or ".join(_type_text(arg) for arg in args)
    if origin in (list, tuple, Sequence, abc.Sequence):
        return f"list of {_type_text(args[0])}"
    if origin in (dict, Mapping, abc.Mapping):
        return f"object of {_type_text(args[1])}"
    if is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        inner = ", ".join(f"{f.name}: {_type_text(hints[f.name])}" for f in fields(kind))
        return "{" + inner + "}"
    return getattr(kind, "__name__", str(kind))


def iter_records() -> Iterator[tuple[EventName, type[Event]]]:
    """(name, record class) for every event name, in the order of `EventName`."""
    for name in EventName:
        for record in records_of(name):
            yield name, record
