"""Typed event records: what a recorded change says about itself.

Each kind of change is one frozen dataclass, a subclass of `Event`, with the
stable `name` other tools rely on (`checklist.item.updated`), the type of the
object it concerns and, as fields, the object's id and the values before and
after the change. The record *is* what is published: the audit event's and
the webhook body's `before` and `after` are `before_payload()` and
`after_payload()` of the record, so docs/webhooks.md, which lists every event
with its fields, is read from these classes (`describe_events`).

A field marked `internal()` travels with the record to the consequences of
the change (which reminders to re-plan, say) but is not published.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar

from gatekeeper.core.events.names import EventName

_INTERNAL = "internal"
_FLATTENED = "flattened"


def internal(default: Any = dataclasses.MISSING) -> Any:
    """A field the consequences of a change read, left out of what is published."""
    if default is dataclasses.MISSING:
        return field(metadata={_INTERNAL: True})
    return field(default=default, metadata={_INTERNAL: True})


FLATTENED: Mapping[str, bool] = {_FLATTENED: True}
"""Metadata of a part of a state record that only some changes have (a wave's, say):
`field(default=None, metadata=FLATTENED)`. Its fields stand beside the record's
own when it is there; when it is None they are left out altogether, as the
record's readers have always seen it."""


def _plain(value: Any) -> Any:
    """A state record as the nested dicts and lists the audit log stores.

    Dates and enums are left as they are: the audit chain writes them as JSON
    text the one way it writes every value.
    """
    if is_dataclass(value) and not isinstance(value, type):
        plain: dict[str, Any] = {}
        for f in fields(value):
            part = getattr(value, f.name)
            if not f.metadata.get(_FLATTENED):
                plain[f.name] = _plain(part)
            elif part is not None:
                plain.update(_plain(part))
        return plain
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, kw_only=True)
class Event:
    """One change, past tense: the object it concerns and its values before and after.

    Subclasses set `name` and `object_type` and declare `before` and `after`
    (a frozen dataclass of the object's values, or None where there is no
    before, as for something created).
    """

    name: ClassVar[EventName]
    object_type: ClassVar[str]

    object_id: str

    def object_kind(self) -> str:
        """The type of the object concerned (a few events name it per record)."""
        return self.object_type

    def before_payload(self) -> dict[str, Any] | None:
        return self._payload("before")

    def after_payload(self) -> dict[str, Any] | None:
        return self._payload("after")

    def _payload(self, side: str) -> dict[str, Any] | None:
        value = getattr(self, side, None)
        if value is None:
            return None
        plain: dict[str, Any] = _plain(value)
        return plain
