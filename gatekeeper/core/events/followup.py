"""Events of the follow-up: goals and nyttor of the nyttoregister, and their measurements.

`object.id` of a goal's event is its key within the project (`dokumentation`);
of a measurement's, `goal-key/measurement id`.
"""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class GoalValues:
    kind: str  # effektmal, projektmal, delmal or nytta
    parent: str | None  # the key of the goal above a delmål
    title: str
    purpose: str
    indicator: str
    method: str
    unit: str
    numeric: bool
    baseline: str
    baseline_on: str | None  # ISO date
    target: str
    target_on: str | None  # ISO date
    responsible: str
    organisation: str
    measure_points: tuple[str, ...]  # ISO dates


@dataclass(frozen=True, kw_only=True)
class GoalCreated(Event):
    name = EventName.GOAL_CREATED
    object_type = "goal"
    before: None = None
    after: GoalValues


@dataclass(frozen=True, kw_only=True)
class GoalUpdated(Event):
    name = EventName.GOAL_UPDATED
    object_type = "goal"
    before: GoalValues
    after: GoalValues


@dataclass(frozen=True)
class MeasurementValues:
    goal: str  # the goal's key
    measured_on: str  # ISO date
    value: str
    source: str
    comment: str


@dataclass(frozen=True, kw_only=True)
class MeasurementRecorded(Event):
    name = EventName.MEASUREMENT_RECORDED
    object_type = "measurement"
    before: None = None
    after: MeasurementValues


@dataclass(frozen=True, kw_only=True)
class MeasurementUpdated(Event):
    name = EventName.MEASUREMENT_UPDATED
    object_type = "measurement"
    before: MeasurementValues
    after: MeasurementValues


EVENTS: tuple[type[Event], ...] = (
    GoalCreated,
    GoalUpdated,
    MeasurementRecorded,
    MeasurementUpdated,
)
