"""Events of delprojekt: a project linked under another (or unlinked), and its förvaltning."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class ParentLink:
    parent: str | None  # the key of the project this one is a delprojekt of (None: none)
    receiving_unit: str  # mottagande förvaltning


@dataclass(frozen=True, kw_only=True)
class ProjectParentSet(Event):
    name = EventName.PROJECT_PARENT_SET
    object_type = "project"
    before: ParentLink
    after: ParentLink


EVENTS: tuple[type[Event], ...] = (ProjectParentSet,)
