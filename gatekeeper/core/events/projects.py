"""Events of projects: definitions, projects, members, gate dates, checklist items,
risks, the aktivitetsplan and named decisions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gatekeeper.core.events.base import Event, internal
from gatekeeper.core.events.names import EventName

# -- definitions -----------------------------------------------------------------


@dataclass(frozen=True)
class DefinitionVersion:
    id: str
    version: int
    content_hash: str


@dataclass(frozen=True, kw_only=True)
class DefinitionRegistered(Event):
    """`object.id` is `id@version`."""

    name = EventName.DEFINITION_REGISTERED
    object_type = "workflow or checklist"  # the record's `kind` says which
    kind: str = internal()  # "workflow" or "checklist": the object's type
    before: None = None
    after: DefinitionVersion

    def object_kind(self) -> str:
        return self.kind


# -- projects and members ----------------------------------------------------------


@dataclass(frozen=True)
class MemberEntry:
    name: str
    email: str
    role: str


@dataclass(frozen=True)
class ProjectStarted:
    key: str
    name: str
    organisation: str
    workflow: str  # "id@version"
    phase: str
    started_on: str  # ISO date
    gate_targets: Mapping[str, str]  # gate id -> ISO date
    members: tuple[MemberEntry, ...]


@dataclass(frozen=True, kw_only=True)
class ProjectCreated(Event):
    name = EventName.PROJECT_CREATED
    object_type = "project"
    before: None = None
    after: ProjectStarted


@dataclass(frozen=True)
class ProjectDetails:
    name: str
    organisation: str
    description: str


@dataclass(frozen=True, kw_only=True)
class ProjectUpdated(Event):
    name = EventName.PROJECT_UPDATED
    object_type = "project"
    before: ProjectDetails
    after: ProjectDetails


@dataclass(frozen=True)
class MemberAddedState:
    name: str
    email: str
    role: str
    substitute_for: str | None  # the e-mail of the member an ersättare stands in for


@dataclass(frozen=True, kw_only=True)
class MemberAdded(Event):
    """`object.id` is `email:role`."""

    name = EventName.MEMBER_ADDED
    object_type = "member"
    before: None = None
    after: MemberAddedState


@dataclass(frozen=True, kw_only=True)
class MemberRemoved(Event):
    """`object.id` is `email:role`."""

    name = EventName.MEMBER_REMOVED
    object_type = "member"
    before: MemberEntry
    after: None = None


@dataclass(frozen=True)
class GateTarget:
    target_date: str  # ISO date


@dataclass(frozen=True, kw_only=True)
class GateTargetChanged(Event):
    """`object.id` is `project/gate`; no before when the gate had no date."""

    name = EventName.GATE_TARGET_CHANGED
    object_type = "gate"
    gate_id: str = internal()
    before: GateTarget | None
    after: GateTarget


# -- checklist items ------------------------------------------------------------


@dataclass(frozen=True)
class ItemValues:
    status: str
    evidence: str | None
    comment: str | None


@dataclass(frozen=True)
class DecidedItemValues(ItemValues):
    """An item as a gate decision leaves it (moved to the restlista, say)."""

    responsible: str
    restlista: bool


@dataclass(frozen=True, kw_only=True)
class ChecklistItemUpdated(Event):
    """`object.id` is `project/gate/checklist/item`."""

    name = EventName.CHECKLIST_ITEM_UPDATED
    object_type = "checklist_item"
    item_row: int = internal()  # the item's row id: its reminders' subject
    gate_id: str = internal()
    checklist_item: str = internal()  # "checklist/item"
    before: ItemValues
    after: ItemValues


@dataclass(frozen=True)
class TickRefusal:
    status: str  # the status asked for
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChecklistItemRefused(Event):
    """The only trace a refused tick leaves; `object.id` is `project/gate/checklist/item`."""

    name = EventName.CHECKLIST_ITEM_REFUSED
    object_type = "checklist_item"
    before: None = None
    after: TickRefusal


@dataclass(frozen=True)
class RefusedChange:
    action: str  # the change tried, e.g. `risk.update`, `gate.pass`, `review.request`
    reason: str  # the refusal as the person was told it


@dataclass(frozen=True, kw_only=True)
class ChangeRefused(Event):
    """The only trace a refused change leaves (403): who tried what on which object, and
    why not. The object's type is the record's `kind` (risk, activity, member, gate, …)."""

    name = EventName.CHANGE_REFUSED
    object_type = "risk, activity, member, project, gate, decision or wave"
    kind: str = internal()
    before: None = None
    after: RefusedChange

    def object_kind(self) -> str:
        return self.kind


@dataclass(frozen=True, kw_only=True)
class ChecklistItemDecided(Event):
    """`checklist.item.updated`, as a gate decision moves an item itself: to the
    receiving role's restlista when the gate is passed with it open, or open
    again when the project goes back (recycle). `object.id` as above; the actor
    is `system:beslutsordning`."""

    name = EventName.CHECKLIST_ITEM_UPDATED
    object_type = "checklist_item"
    item_row: int = internal()
    before: DecidedItemValues
    after: DecidedItemValues


# -- risks, activities, named decisions ------------------------------------------


@dataclass(frozen=True)
class RiskState:
    title: str
    description: str
    probability: int  # 1–4
    consequence: int  # 1–4
    score: int  # probability × consequence
    mitigation: str
    owner: str
    status: str


@dataclass(frozen=True, kw_only=True)
class RiskCreated(Event):
    name = EventName.RISK_CREATED
    object_type = "risk"
    before: None = None
    after: RiskState


@dataclass(frozen=True, kw_only=True)
class RiskUpdated(Event):
    name = EventName.RISK_UPDATED
    object_type = "risk"
    before: RiskState
    after: RiskState


@dataclass(frozen=True)
class ActivityState:
    title: str
    start: str | None  # ISO date
    end: str | None  # ISO date
    responsible: str
    status: str
    comment: str
    postponed_to: str | None  # ISO date, for status postponed ("Skjuts till …")


@dataclass(frozen=True, kw_only=True)
class ActivityCreated(Event):
    name = EventName.ACTIVITY_CREATED
    object_type = "activity"
    before: None = None
    after: ActivityState


@dataclass(frozen=True, kw_only=True)
class ActivityUpdated(Event):
    name = EventName.ACTIVITY_UPDATED
    object_type = "activity"
    before: ActivityState
    after: ActivityState


@dataclass(frozen=True)
class NamedDecisionState:
    key: str
    title: str
    decided_on: str  # ISO date
    reference: str | None  # diarienummer
    lap: int = 1  # the lap (varv) of a cyclic workflow it belongs to


@dataclass(frozen=True, kw_only=True)
class NamedDecisionRecorded(Event):
    """`object.id` is `project/decision key`."""

    name = EventName.DECISION_RECORDED
    object_type = "decision"
    before: None = None
    after: NamedDecisionState


@dataclass(frozen=True)
class NamedDecisionReference:
    reference: str  # diarienummer; empty: none registered


@dataclass(frozen=True, kw_only=True)
class NamedDecisionReferenceSet(Event):
    """`object.id` is `project/decision key`."""

    name = EventName.NAMED_DECISION_REFERENCE_SET
    object_type = "decision"
    before: NamedDecisionReference
    after: NamedDecisionReference


# -- laps of a cyclic workflow ------------------------------------------------------


@dataclass(frozen=True)
class LapNumber:
    lap: int


@dataclass(frozen=True)
class LapBegun:
    lap: int
    gate: str  # the loop-closing gate taken
    gates: tuple[str, ...]  # the gates of the loop, whose checklists start afresh
    items: tuple[str, ...]  # `gate/checklist/item` of the loop, open again for this lap


@dataclass(frozen=True, kw_only=True)
class LapStarted(Event):
    """`object.id` is the project key; earlier laps' ticks stay in the log before it."""

    name = EventName.LAP_STARTED
    object_type = "project"
    before: LapNumber
    after: LapBegun


EVENTS: tuple[type[Event], ...] = (
    DefinitionRegistered,
    ProjectCreated,
    ProjectUpdated,
    MemberAdded,
    MemberRemoved,
    GateTargetChanged,
    ChecklistItemUpdated,
    ChecklistItemRefused,
    ChangeRefused,
    ChecklistItemDecided,
    RiskCreated,
    RiskUpdated,
    ActivityCreated,
    ActivityUpdated,
    NamedDecisionRecorded,
    NamedDecisionReferenceSet,
    LapStarted,
)
