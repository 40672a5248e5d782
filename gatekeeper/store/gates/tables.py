"""Tables of steering-group decisions: reviews, votes, jäv, gate decisions, conditions.

A review freezes the readiness snapshot the deciders look at; votes point at
the snapshot they were cast on; a gate decision keeps the snapshot, the
counted votes and the policy's reasoning, so the beslutsprotokoll can be
printed years later exactly as it was decided.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ConditionStatus, ReviewStatus
from gatekeeper.store.types import TextEnum, UTCDateTime


class GateReview(SQLModel, table=True):
    """A request that the deciders review a gate, with the snapshot they review."""

    __tablename__ = "gate_review"
    __table_args__ = (Index("ix_gate_review_project_gate", "project_id", "gate_id"),)

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id")
    gate_id: str = Field(max_length=100)
    # A rollout's go-live gate is decided per wave: the review of one wave's units.
    wave_id: int | None = Field(default=None, foreign_key="wave.id", nullable=True)
    requested_by: str = Field(max_length=320)
    requested_at: datetime = Field(sa_type=UTCDateTime)
    message: str = Field(default="")
    # From when a go takes effect: the gate's target date (default) or, chosen
    # explicitly and motivated, immediately (`gatekeeper.core.effect`).
    effective_from: str = Field(default="target_date", max_length=20)
    effective_motivation: str | None = None
    status: ReviewStatus = Field(default=ReviewStatus.OPEN, sa_type=TextEnum(ReviewStatus))
    snapshot: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    snapshot_hash: str = Field(max_length=64)
    snapshot_at: datetime = Field(sa_type=UTCDateTime)
    row_version: int = Field(default=1)


class ReviewVote(SQLModel, table=True):
    """One vote; a later vote of the same seat replaces it while the review is open."""

    __tablename__ = "review_vote"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="gate_review.id", index=True)
    member: str = Field(max_length=320)
    cast_by: str = Field(max_length=320)
    outcome: Outcome = Field(sa_type=TextEnum(Outcome))
    motivation: str
    recycle_to: str | None = Field(default=None, max_length=100)
    override_motivation: str | None = None
    conditions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # A wave's go-live: go without these units (they move to `move_to_wave`), or
    # no_go with a new go-live date (postpone).
    exclude_units: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    move_to_wave: str | None = Field(default=None, max_length=100)
    postpone_to: date | None = None
    snapshot_hash: str = Field(max_length=64)
    cast_at: datetime = Field(sa_type=UTCDateTime)
    decided_on: date | None = None  # beslutsdatum: the meeting's date (the recording day)
    late: bool = False  # cast after the decision: recorded, never counted


class DecisionReservation(SQLModel, table=True):
    """Reservation mot beslutet: a member who voted against it has it entered in the protocol."""

    __tablename__ = "decision_reservation"
    __table_args__ = (UniqueConstraint("decision_id", "member"),)

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="gate_decision.id", index=True)
    member: str = Field(max_length=320)
    entered_by: str = Field(max_length=320)
    text: str
    entered_at: datetime = Field(sa_type=UTCDateTime)


class ConflictOfInterest(SQLModel, table=True):
    """A member's declared jäv in one review: they are out of the decision."""

    __tablename__ = "conflict_of_interest"
    __table_args__ = (UniqueConstraint("review_id", "member"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="gate_review.id", index=True)
    member: str = Field(max_length=320)
    reason: str
    declared_at: datetime = Field(sa_type=UTCDateTime)


class GateDecision(SQLModel, table=True):
    """A decided gate: the entry of the decision register (beslutsprotokoll)."""

    __tablename__ = "gate_decision"
    __table_args__ = (
        UniqueConstraint("review_id"),
        Index("ix_gate_decision_pending", "effective_at", "effective_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="gate_review.id")
    project_id: int = Field(foreign_key="project.id", index=True)
    gate_id: str = Field(max_length=100)
    wave_id: int | None = Field(default=None, foreign_key="wave.id", nullable=True)
    outcome: Outcome = Field(sa_type=TextEnum(Outcome))
    recycle_to: str | None = Field(default=None, max_length=100)
    decided_at: datetime = Field(sa_type=UTCDateTime)  # when it was recorded
    decided_on: date | None = None  # beslutsdatum (the meeting's date)
    # A go takes effect on `effective_on`; `effective_at` is when it did (the phase
    # changed), null while it waits for its day (the scheduler's `decisions.effect`).
    effective_on: date | None = None
    effective_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    from_phase: str = Field(max_length=100)
    to_phase: str = Field(max_length=100)
    reason: str
    criteria_passed: bool
    override: bool = False
    record: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    reference: str = Field(default="", max_length=200)
    valid_for_target: date | None = None
    lapsed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    lapse_reason: str | None = None
    lap: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # of a cyclic workflow
    row_version: int = Field(default=1)


class DecisionCondition(SQLModel, table=True):
    """A condition of a conditional go: a tracked action with owner and due date."""

    __tablename__ = "decision_condition"

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(foreign_key="gate_decision.id", index=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    text: str
    owner: str = Field(max_length=320)
    due_on: date | None = None
    status: ConditionStatus = Field(default=ConditionStatus.OPEN, sa_type=TextEnum(ConditionStatus))
    closed_by: str | None = Field(default=None, max_length=320)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    note: str | None = None
    row_version: int = Field(default=1)
