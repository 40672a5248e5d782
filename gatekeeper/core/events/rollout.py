"""Events of rollouts: waves, units (kommun, förvaltning, enhet), imports and the
units' cut-over checklist items."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from gatekeeper.core.events.base import FLATTENED, Event
from gatekeeper.core.events.names import EventName
from gatekeeper.core.events.projects import ItemValues

# -- waves ------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveState:
    key: str
    name: str
    go_live_on: str  # ISO date
    position: int
    status: str


@dataclass(frozen=True, kw_only=True)
class WaveCreated(Event):
    """`object.id` is `project/wave`."""

    name = EventName.WAVE_CREATED
    object_type = "wave"
    before: None = None
    after: WaveState


@dataclass(frozen=True, kw_only=True)
class WaveUpdated(Event):
    """A wave's name, go-live date or position was changed."""

    name = EventName.WAVE_UPDATED
    object_type = "wave"
    before: WaveState
    after: WaveState


@dataclass(frozen=True)
class RequiredUnits:
    required_units: Sequence[str]  # keys of the units the wave's go-live requires


@dataclass(frozen=True, kw_only=True)
class WaveRequiredUnitsChanged(Event):
    """`wave.updated`, as the units a wave requires change."""

    name = EventName.WAVE_UPDATED
    object_type = "wave"
    before: RequiredUnits
    after: RequiredUnits


@dataclass(frozen=True)
class GoLive:
    go_live_on: str  # ISO date


@dataclass(frozen=True)
class PostponedGoLive:
    go_live_on: str  # ISO date
    decision: int  # the gate decision that postponed it


@dataclass(frozen=True, kw_only=True)
class WavePostponed(Event):
    """`wave.updated`, as a steering-group decision moves the go-live date."""

    name = EventName.WAVE_UPDATED
    object_type = "wave"
    before: GoLive
    after: PostponedGoLive


@dataclass(frozen=True)
class WaveStatusState:
    status: str


@dataclass(frozen=True, kw_only=True)
class WaveStatusChanged(Event):
    name = EventName.WAVE_STATUS_CHANGED
    object_type = "wave"
    before: WaveStatusState
    after: WaveStatusState


# -- units ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitAddedState:
    key: str
    name: str
    kind: str  # kommun, forvaltning, enhet
    parent: str | None  # the parent unit's key
    wave: str | None  # the wave's key
    responsible_email: str
    responsible_name: str
    items: int  # checklist items copied to the unit


@dataclass(frozen=True, kw_only=True)
class UnitAdded(Event):
    """`object.id` is `project/unit`."""

    name = EventName.UNIT_ADDED
    object_type = "unit"
    before: None = None
    after: UnitAddedState


@dataclass(frozen=True)
class UnitDetails:
    name: str
    responsible_email: str
    responsible_name: str


@dataclass(frozen=True, kw_only=True)
class UnitUpdated(Event):
    name = EventName.UNIT_UPDATED
    object_type = "unit"
    before: UnitDetails
    after: UnitDetails


@dataclass(frozen=True)
class UnitPlace:
    wave: str | None  # the wave's key
    go_live_on: str | None  # ISO date


@dataclass(frozen=True)
class ByDecision:
    decision: int  # the gate decision that moved the unit


@dataclass(frozen=True)
class UnitMove:
    wave: str
    go_live_on: str  # ISO date
    later: bool  # to a later go-live than before
    motivation: str | None
    decided_by: str
    units: Sequence[str]  # the unit and the units below it, which move with it
    by_decision: ByDecision | None = field(default=None, metadata=FLATTENED)


@dataclass(frozen=True, kw_only=True)
class UnitMoved(Event):
    name = EventName.UNIT_MOVED
    object_type = "unit"
    before: UnitPlace
    after: UnitMove


@dataclass(frozen=True)
class RemovedUnit:
    name: str
    kind: str
    units: Sequence[str]  # keys of the unit and the units below it, all removed


@dataclass(frozen=True, kw_only=True)
class UnitRemoved(Event):
    name = EventName.UNIT_REMOVED
    object_type = "unit"
    before: RemovedUnit
    after: None = None


@dataclass(frozen=True)
class Import:
    file: str
    units: Sequence[str]  # keys of the units imported
    items: int  # checklist items copied to them


@dataclass(frozen=True, kw_only=True)
class UnitsImported(Event):
    """`object.id` is `project/*`: one event for the whole file."""

    name = EventName.UNITS_IMPORTED
    object_type = "unit"
    before: None = None
    after: Import


# -- unit checklist items ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class UnitItemUpdated(Event):
    """`object.id` is `project/unit/checklist/item`."""

    name = EventName.UNIT_ITEM_UPDATED
    object_type = "unit_item"
    before: ItemValues
    after: ItemValues


@dataclass(frozen=True)
class BulkTick:
    item_id: str
    status: str
    evidence: str | None
    comment: str | None
    units: Sequence[str]  # keys of the units whose item was set
    refused: Sequence[str]  # keys of the units it was refused for


@dataclass(frozen=True, kw_only=True)
class UnitItemsBulkUpdated(Event):
    """`object.id` is `project/*/item`: one event for the whole selection."""

    name = EventName.UNIT_ITEMS_BULK_UPDATED
    object_type = "unit_item"
    before: None = None
    after: BulkTick


EVENTS: tuple[type[Event], ...] = (
    WaveCreated,
    WaveUpdated,
    WaveRequiredUnitsChanged,
    WavePostponed,
    WaveStatusChanged,
    UnitAdded,
    UnitUpdated,
    UnitMoved,
    UnitRemoved,
    UnitsImported,
    UnitItemUpdated,
    UnitItemsBulkUpdated,
)
