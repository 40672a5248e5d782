"""Statuses of projects, checklist items, risks and activities.

Each is a `StrEnum` whose values are the words used in YAML, the API and the
database; Swedish labels for the UI come from `label_sv`.
"""

from __future__ import annotations

from enum import StrEnum


class ProjectStatus(StrEnum):
    """Where a project stands as a whole, apart from its phase."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    TERMINATED = "terminated"
    CLOSED = "closed"


class ItemStatus(StrEnum):
    """State of one checklist item in a project."""

    OPEN = "open"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class RiskStatus(StrEnum):
    """A risk stays open until it is closed (handled) or accepted."""

    OPEN = "open"
    CLOSED = "closed"
    ACCEPTED = "accepted"


class ActivityStatus(StrEnum):
    """The aktivitetsplan's four states, as the seeds write them."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"


_LABELS_SV: dict[StrEnum, str] = {
    ProjectStatus.ACTIVE: "Pågående",
    ProjectStatus.ON_HOLD: "Pausat",
    ProjectStatus.TERMINATED: "Avbrutet",
    ProjectStatus.CLOSED: "Avslutat",
    ItemStatus.OPEN: "Ej klar",
    ItemStatus.DONE: "Klar",
    ItemStatus.NOT_APPLICABLE: "Ej aktuell",
    RiskStatus.OPEN: "Öppen",
    RiskStatus.CLOSED: "Hanterad",
    RiskStatus.ACCEPTED: "Accepterad",
    ActivityStatus.NOT_STARTED: "Ej påbörjat",
    ActivityStatus.IN_PROGRESS: "Pågår",
    ActivityStatus.DONE: "Genomfört",
    ActivityStatus.POSTPONED: "Skjuts upp",
}


def label_sv(status: StrEnum) -> str:
    """The Swedish word users see for a status."""
    return _LABELS_SV.get(status, str(status))
