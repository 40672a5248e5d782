"""Events of gates: reviews, jäv, votes, gate decisions, their conditions and
lapses, phase changes and the project status a decision sets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gatekeeper.core.events.base import FLATTENED, Event, internal
from gatekeeper.core.events.names import EventName

# -- reviews --------------------------------------------------------------------


@dataclass(frozen=True)
class WaveReadiness:
    """The wave a review concerns and its units' readiness when it was frozen."""

    wave: str  # the wave's key
    units_ready: int | None
    units_total: int | None


@dataclass(frozen=True)
class ReviewOpened:
    gate: str
    message: str
    snapshot_hash: str  # the frozen underlag's hash
    criteria_passed: bool
    wave: WaveReadiness | None = field(default=None, metadata=FLATTENED)
    effective_from: str = "target_date"  # a go takes effect on the target date, or immediately
    effective_motivation: str | None = None  # why immediately


@dataclass(frozen=True, kw_only=True)
class ReviewRequested(Event):
    name = EventName.REVIEW_REQUESTED
    object_type = "gate_review"
    review_row: int = internal()
    before: None = None
    after: ReviewOpened


@dataclass(frozen=True)
class Snapshot:
    snapshot_hash: str
    criteria_passed: bool


@dataclass(frozen=True, kw_only=True)
class ReviewSnapshotChanged(Event):
    """Readiness changed while the review was open: votes cast before lapse."""

    name = EventName.REVIEW_SNAPSHOT_CHANGED
    object_type = "gate_review"
    before: Snapshot
    after: Snapshot


@dataclass(frozen=True)
class Jav:
    member: str  # e-mail
    reason: str


@dataclass(frozen=True, kw_only=True)
class ConflictDeclared(Event):
    name = EventName.CONFLICT_DECLARED
    object_type = "gate_review"
    review_row: int = internal()
    before: None = None
    after: Jav


@dataclass(frozen=True)
class ReviewStatusState:
    status: str


@dataclass(frozen=True, kw_only=True)
class ReviewWithdrawn(Event):
    name = EventName.REVIEW_WITHDRAWN
    object_type = "gate_review"
    review_row: int = internal()
    before: ReviewStatusState
    after: ReviewStatusState


# -- votes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    outcome: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class VoteRefused(Event):
    """The only trace a refused vote leaves."""

    name = EventName.VOTE_REFUSED
    object_type = "gate_review"
    before: None = None
    after: Refusal


@dataclass(frozen=True)
class WaveTerms:
    """What a vote on a wave's go-live asks for besides its outcome."""

    exclude_units: Sequence[str]
    move_to_wave: str | None
    postpone_to: str | None  # ISO date


@dataclass(frozen=True)
class CastVote:
    member: str  # the seat's e-mail
    cast_by: str  # who cast it (an ersättare for the seat, say)
    outcome: str
    motivation: str
    recycle_to: str | None
    override: str | None  # the motivation of an override of failing criteria
    conditions: Sequence[Mapping[str, Any]]  # text, owner, due_on of each condition
    snapshot_hash: str
    wave: WaveTerms | None = field(default=None, metadata=FLATTENED)
    decided_on: str | None = None  # beslutsdatum (ISO date), the meeting's date


@dataclass(frozen=True, kw_only=True)
class VoteCast(Event):
    name = EventName.VOTE_CAST
    object_type = "gate_review"
    review_row: int = internal()
    voter: str = internal()  # the seat whose vote reminders stop
    before: None = None
    after: CastVote


@dataclass(frozen=True)
class LateVote:
    member: str  # the seat's e-mail
    cast_by: str
    outcome: str
    motivation: str
    decision: int  # the decision it does not change


@dataclass(frozen=True, kw_only=True)
class LateVoteCast(Event):
    """A seat holder voted after the decision: kept as a late vote, never counted."""

    name = EventName.LATE_VOTE_CAST
    object_type = "gate_review"
    review_row: int = internal()
    voter: str = internal()
    before: None = None
    after: LateVote


@dataclass(frozen=True)
class Reservation:
    member: str  # e-mail of the member who reserves
    text: str


@dataclass(frozen=True, kw_only=True)
class ReservationEntered(Event):
    """Reservation mot beslutet by a member who voted against it."""

    name = EventName.RESERVATION_ENTERED
    object_type = "gate_decision"
    before: None = None
    after: Reservation


# -- gate decisions ------------------------------------------------------------


@dataclass(frozen=True)
class Decided:
    gate: str
    wave: str | None
    review: int
    outcome: str
    recycle_to: str | None
    reason: str
    override: bool  # passed although criteria failed
    criteria_passed: bool
    from_phase: str
    to_phase: str
    decided_on: str | None = None  # beslutsdatum (ISO date)
    effective_on: str | None = None  # ISO date a go takes effect; null: at once
    lap: int = 1  # the lap (varv) of a cyclic workflow the decision belongs to


@dataclass(frozen=True, kw_only=True)
class GateDecided(Event):
    name = EventName.GATE_DECIDED
    object_type = "gate_decision"
    review_row: int = internal()
    before: None = None
    after: Decided


@dataclass(frozen=True)
class Reference:
    reference: str | None  # diarienummer


@dataclass(frozen=True, kw_only=True)
class DecisionReferenceSet(Event):
    name = EventName.DECISION_REFERENCE_SET
    object_type = "gate_decision"
    before: Reference
    after: Reference


@dataclass(frozen=True)
class NotLapsed:
    lapsed: bool = False


@dataclass(frozen=True)
class Lapse:
    reason: str
    gate: str
    lapsed: bool = True


@dataclass(frozen=True, kw_only=True)
class DecisionLapsed(Event):
    name = EventName.DECISION_LAPSED
    object_type = "gate_decision"
    before: NotLapsed
    after: Lapse


@dataclass(frozen=True)
class OpenCondition:
    status: str = "open"


@dataclass(frozen=True)
class SettledCondition:
    status: str
    note: str


@dataclass(frozen=True, kw_only=True)
class ConditionClosed(Event):
    name = EventName.CONDITION_CLOSED
    object_type = "decision_condition"
    condition_row: int = internal()
    before: OpenCondition
    after: SettledCondition


@dataclass(frozen=True, kw_only=True)
class ConditionWaived(Event):
    name = EventName.CONDITION_WAIVED
    object_type = "decision_condition"
    condition_row: int = internal()
    before: OpenCondition
    after: SettledCondition


@dataclass(frozen=True)
class PendingEffect:
    effective_on: str  # ISO date
    in_effect: bool = False


@dataclass(frozen=True)
class Effect:
    effective_on: str  # ISO date
    gate: str
    from_phase: str
    to_phase: str
    in_effect: bool = True


@dataclass(frozen=True, kw_only=True)
class DecisionTookEffect(Event):
    """A go decided before its effective date took effect on the day (the scheduler)."""

    name = EventName.DECISION_TOOK_EFFECT
    object_type = "gate_decision"
    before: PendingEffect
    after: Effect


# -- phase and project status -------------------------------------------------------


@dataclass(frozen=True)
class PhaseBefore:
    phase: str


@dataclass(frozen=True)
class PhaseAfter:
    phase: str
    gate: str | None
    motivation: str
    override: str | None
    criteria_passed: bool | None


@dataclass(frozen=True, kw_only=True)
class PhaseChanged(Event):
    name = EventName.PHASE_CHANGED
    object_type = "project"
    before: PhaseBefore
    after: PhaseAfter


@dataclass(frozen=True)
class StatusBefore:
    status: str


@dataclass(frozen=True)
class StatusAfter:
    status: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ProjectPaused(Event):
    name = EventName.PROJECT_PAUSED
    object_type = "project"
    before: StatusBefore
    after: StatusAfter


@dataclass(frozen=True, kw_only=True)
class ProjectResumed(Event):
    name = EventName.PROJECT_RESUMED
    object_type = "project"
    before: StatusBefore
    after: StatusAfter


@dataclass(frozen=True, kw_only=True)
class ProjectTerminated(Event):
    name = EventName.PROJECT_TERMINATED
    object_type = "project"
    before: StatusBefore
    after: StatusAfter


EVENTS: tuple[type[Event], ...] = (
    ReviewRequested,
    ReviewSnapshotChanged,
    ConflictDeclared,
    ReviewWithdrawn,
    VoteRefused,
    VoteCast,
    LateVoteCast,
    GateDecided,
    ReservationEntered,
    DecisionTookEffect,
    DecisionReferenceSet,
    DecisionLapsed,
    ConditionClosed,
    ConditionWaived,
    PhaseChanged,
    ProjectPaused,
    ProjectResumed,
    ProjectTerminated,
)
