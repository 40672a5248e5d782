"""What the reminder planner is told about a project: plain values, no storage.

The service `gatekeeper.services.reminders.planning` loads a `ProjectState`
(members by role, open checklist items, reviews waiting for votes, open
conditions, planned kommunikationsplan rows, when each phase was entered) for
`gatekeeper.core.reminders.plan`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from gatekeeper.core.reminders.policy import ReminderPolicy
from gatekeeper.core.status import ProjectStatus


@dataclass(frozen=True)
class Person:
    """A project member who can be reminded."""

    email: str
    name: str
    time_zone: str | None = None


@dataclass(frozen=True)
class OpenItem:
    """A checklist item that is neither done nor not applicable."""

    id: int
    gate_id: str
    gate_name: str
    checklist_id: str
    item_id: str
    text: str
    responsible: str  # a role
    due_on: date | None
    mandatory: bool = True  # an optional (valbar) item escalates only if the policy says so


@dataclass(frozen=True)
class OpenReview:
    """A gate review waiting for votes."""

    id: int
    gate_id: str
    gate_name: str
    requested_at: datetime
    seats: tuple[str, ...]  # e-mails of the members who may vote
    voted: frozenset[str] = frozenset()
    conflicted: frozenset[str] = frozenset()  # declared jäv


@dataclass(frozen=True)
class OpenCondition:
    """An open condition of a conditional go."""

    id: int
    text: str
    owner: str  # e-mail
    due_on: date | None
    gate_name: str = ""


@dataclass(frozen=True)
class OpenCommunication:
    """A planerad row of the kommunikationsplan with a tidpunkt and a member as ansvarig."""

    id: int
    text: str  # målgrupp – kanal
    owner: str  # e-mail of the member who answers for it
    due_on: date


@dataclass(frozen=True)
class ProjectState:
    """What the planner needs to know about one project."""

    key: str
    name: str
    status: ProjectStatus
    phase: str
    final: bool  # the phase is final
    started_on: date
    policy: ReminderPolicy
    members: Mapping[str, tuple[Person, ...]]  # role -> ordinary members (no ersättare)
    people: Mapping[str, Person] = field(default_factory=dict)  # e-mail -> anyone known
    items: tuple[OpenItem, ...] = ()
    reviews: tuple[OpenReview, ...] = ()
    conditions: tuple[OpenCondition, ...] = ()
    communications: tuple[OpenCommunication, ...] = ()
    phase_entries: Mapping[str, date] = field(default_factory=dict)
    final_phases: frozenset[str] = frozenset()
    role_names: Mapping[str, str] = field(default_factory=dict)  # role id -> its name
    language: str = "sv"  # the workflow's: a "da" project's reminders are also kept in Danish
