"""Events of the project registers: kommunikationsplan and intressentanalys rows."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class CommunicationState:
    audience: str  # målgrupp
    message: str  # syfte/budskap
    channel: str  # kanal
    planned_on: str | None  # tidpunkt, ISO date
    responsible: str  # ansvarig, a name
    status: str  # planned, done or cancelled
    comment: str


@dataclass(frozen=True, kw_only=True)
class CommunicationCreated(Event):
    name = EventName.COMMUNICATION_CREATED
    object_type = "communication"
    before: None = None
    after: CommunicationState


@dataclass(frozen=True, kw_only=True)
class CommunicationUpdated(Event):
    name = EventName.COMMUNICATION_UPDATED
    object_type = "communication"
    before: CommunicationState
    after: CommunicationState


@dataclass(frozen=True)
class StakeholderState:
    name: str  # intressent
    interest: str  # intresse: the relation to the project
    influence: str  # påverkan: low, medium or high
    expectations: str  # förväntningar
    strategy: str  # strategi


@dataclass(frozen=True, kw_only=True)
class StakeholderCreated(Event):
    name = EventName.STAKEHOLDER_CREATED
    object_type = "stakeholder"
    before: None = None
    after: StakeholderState


@dataclass(frozen=True, kw_only=True)
class StakeholderUpdated(Event):
    name = EventName.STAKEHOLDER_UPDATED
    object_type = "stakeholder"
    before: StakeholderState
    after: StakeholderState


EVENTS: tuple[type[Event], ...] = (
    CommunicationCreated,
    CommunicationUpdated,
    StakeholderCreated,
    StakeholderUpdated,
)
