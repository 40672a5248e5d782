"""API schemas of reviews, votes and the decision register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ConditionStatus, ReviewStatus
from gatekeeper.core.tally import Ballot, Electorate, Tally
from gatekeeper.services.gates.register import GateDecisionEntry
from gatekeeper.services.gates.review_view import ReviewView
from gatekeeper.store.gates.tables import (
    ConflictOfInterest,
    DecisionCondition,
    DecisionReservation,
    ReviewVote,
)


class VotePublic(BaseModel):
    member: str
    cast_by: str
    outcome: Outcome
    motivation: str
    recycle_to: str | None
    override_motivation: str | None
    conditions: list[dict[str, Any]]
    exclude_units: list[str] = Field(description="Wave review: units left out of a go.")
    move_to_wave: str | None = Field(description="Wave review: where left-out units move.")
    postpone_to: date | None = Field(description="Wave review: new go-live date of a no_go.")
    cast_at: datetime
    snapshot_hash: str
    decided_on: date | None = Field(default=None, description="Beslutsdatum (meeting date).")
    late: bool = Field(default=False, description="Cast after the decision; never counted.")

    @classmethod
    def of(cls, vote: ReviewVote) -> VotePublic:
        return cls(
            member=vote.member,
            cast_by=vote.cast_by,
            outcome=vote.outcome,
            motivation=vote.motivation,
            recycle_to=vote.recycle_to,
            override_motivation=vote.override_motivation,
            conditions=vote.conditions,
            exclude_units=list(vote.exclude_units),
            move_to_wave=vote.move_to_wave,
            postpone_to=vote.postpone_to,
            cast_at=vote.cast_at,
            snapshot_hash=vote.snapshot_hash,
            decided_on=vote.decided_on,
            late=vote.late,
        )


class ReviewPublic(BaseModel):
    id: int
    gate_id: str
    wave: str | None = Field(description="The wave decided (a rollout's go-live); else null.")
    status: ReviewStatus
    requested_by: str
    requested_at: datetime
    message: str
    effective_from: str = Field(description="`target_date` or `immediately`: when a go applies.")
    effective_motivation: str | None
    snapshot: dict[str, Any]
    snapshot_hash: str
    votes: list[VotePublic]
    conflicts: list[dict[str, str]]

    @classmethod
    def of(cls, view: ReviewView) -> ReviewPublic:
        review = view.review
        return cls(
            id=review.id or 0,
            gate_id=review.gate_id,
            wave=(review.snapshot.get("wave") or {}).get("key") if review.wave_id else None,
            status=review.status,
            requested_by=review.requested_by,
            requested_at=review.requested_at,
            message=review.message,
            effective_from=review.effective_from,
            effective_motivation=review.effective_motivation,
            snapshot=review.snapshot,
            snapshot_hash=review.snapshot_hash,
            votes=[VotePublic.of(v) for v in view.votes],
            conflicts=[{"member": c.member, "reason": c.reason} for c in view.conflicts],
        )


class ConditionPublic(BaseModel):
    id: int
    decision_id: int
    text: str
    owner: str
    due_on: date | None
    status: ConditionStatus
    closed_by: str | None
    closed_at: datetime | None
    note: str | None

    @classmethod
    def of(cls, condition: DecisionCondition) -> ConditionPublic:
        return cls(
            id=condition.id or 0,
            decision_id=condition.decision_id,
            text=condition.text,
            owner=condition.owner,
            due_on=condition.due_on,
            status=condition.status,
            closed_by=condition.closed_by,
            closed_at=condition.closed_at,
            note=condition.note,
        )


class DecisionPublic(BaseModel):
    """An entry of the decision register. `override` is true when the deciders went
    ahead although criteria failed; `lapsed_at` is set when the decision lapsed."""

    id: int
    review_id: int
    gate_id: str
    gate_name: str
    outcome: Outcome
    recycle_to: str | None
    decided_at: datetime = Field(description="When the decision was recorded.")
    decided_on: date | None = Field(description="Beslutsdatum: the meeting's date.")
    effective_on: date | None = Field(
        description="The day a go takes effect (null: it took effect when decided)."
    )
    effective_at: datetime | None = Field(
        description="When it took effect (the phase changed); null while it waits for its day."
    )
    from_phase: str
    to_phase: str
    reason: str
    criteria_passed: bool
    override: bool
    override_motivations: list[str]
    reference: str
    valid_for_target: date | None
    lapsed_at: datetime | None
    lapse_reason: str | None
    lap: int = Field(
        description="The lap (varv) of a cyclic workflow the decision belongs to (1 without "
        "a loop); a later lap's dates never lapse it."
    )
    votes: list[dict[str, Any]]
    conditions: list[ConditionPublic]
    snapshot: dict[str, Any]
    wave: dict[str, Any] | None = Field(
        description="A wave's go-live decision: the wave, units moved out of it "
        "(`moved`), its new date (`postponed_to`), waves paused (`paused_waves`)."
    )
    protocol_url: str

    @classmethod
    def of(cls, entry: GateDecisionEntry) -> DecisionPublic:
        decision = entry.decision
        return cls(
            id=decision.id or 0,
            review_id=decision.review_id,
            gate_id=decision.gate_id,
            gate_name=entry.gate_name,
            outcome=decision.outcome,
            recycle_to=decision.recycle_to,
            decided_at=decision.decided_at,
            decided_on=decision.decided_on,
            effective_on=decision.effective_on,
            effective_at=decision.effective_at,
            from_phase=decision.from_phase,
            to_phase=decision.to_phase,
            reason=decision.reason,
            criteria_passed=decision.criteria_passed,
            override=decision.override,
            override_motivations=list(decision.record.get("overrides", [])),
            reference=decision.reference,
            valid_for_target=decision.valid_for_target,
            lapsed_at=decision.lapsed_at,
            lapse_reason=decision.lapse_reason,
            lap=decision.lap,
            votes=list(decision.record.get("votes", [])),
            conditions=[ConditionPublic.of(c) for c in entry.conditions],
            snapshot=dict(decision.record.get("snapshot", {})),
            wave=decision.record.get("wave"),
            protocol_url=f"/projects/{entry.project.key}/decisions/{decision.id}/protocol",
        )


class ConflictPublic(BaseModel):
    """A declared conflict of interest (jäv): the member is out of this decision."""

    review_id: int
    member: str
    reason: str
    declared_at: datetime

    @classmethod
    def of(cls, conflict: ConflictOfInterest) -> ConflictPublic:
        return cls(
            review_id=conflict.review_id,
            member=conflict.member,
            reason=conflict.reason,
            declared_at=conflict.declared_at,
        )


class SeatPublic(BaseModel):
    member: str
    roles: list[str]


class ExclusionPublic(BaseModel):
    member: str
    reason: str = Field(description="Why the member may not vote, in Swedish.")


class ElectoratePublic(BaseModel):
    """Who may vote in a review, and who is out of it and why (jäv, requester)."""

    seats: list[SeatPublic]
    excluded: list[ExclusionPublic]

    @classmethod
    def of(cls, electorate: Electorate) -> ElectoratePublic:
        return cls(
            seats=[SeatPublic(member=s.member, roles=sorted(s.roles)) for s in electorate.seats],
            excluded=[
                ExclusionPublic(member=e.member, reason=e.reason_sv) for e in electorate.excluded
            ],
        )


class BallotPublic(BaseModel):
    """A vote as the count sees it: the seat it counts for and who cast it."""

    member: str
    cast_by: str
    outcome: Outcome
    recycle_to: str | None
    cast_at: datetime

    @classmethod
    def of(cls, ballot: Ballot) -> BallotPublic:
        return cls(
            member=ballot.member,
            cast_by=ballot.cast_by,
            outcome=ballot.outcome,
            recycle_to=ballot.recycle_to,
            cast_at=ballot.cast_at,
        )


class DiscardedBallotPublic(BallotPublic):
    reason: str = Field(description="Why the vote does not count, in Swedish.")


class TallyPublic(BaseModel):
    """The count after a vote: decided or waiting, and why (in Swedish)."""

    decided: bool
    outcome: Outcome | None = Field(description="The decided outcome; null while waiting.")
    recycle_to: str | None
    split: bool = Field(description="True when no outcome could reach the quorum (no-go).")
    reason: str
    needed: int = Field(description="Concurring votes the quorum asks for.")
    seats: int = Field(description="Members who may vote in this review.")
    missing_roles: list[str] = Field(description="Required roles not yet among the approvers.")
    counted: list[BallotPublic]
    discarded: list[DiscardedBallotPublic]

    @classmethod
    def of(cls, tally: Tally) -> TallyPublic:
        return cls(
            decided=tally.decided is not None,
            outcome=tally.decided,
            recycle_to=tally.recycle_to,
            split=tally.split,
            reason=tally.reason_sv,
            needed=tally.needed,
            seats=tally.seats,
            missing_roles=list(tally.missing_roles),
            counted=[BallotPublic.of(b) for b in tally.counted],
            discarded=[
                DiscardedBallotPublic(**BallotPublic.of(b).model_dump(), reason=reason)
                for b, reason in tally.discarded
            ],
        )


class VoteResultPublic(BaseModel):
    """The vote as recorded, the count after it and, once decided, the decision."""

    vote: VotePublic
    tally: TallyPublic
    decision: DecisionPublic | None


class ReservationPublic(BaseModel):
    """Reservation mot beslutet by a member who voted against it."""

    decision_id: int
    member: str
    text: str
    entered_at: datetime

    @classmethod
    def of(cls, reservation: DecisionReservation) -> ReservationPublic:
        return cls(
            decision_id=reservation.decision_id,
            member=reservation.member,
            text=reservation.text,
            entered_at=reservation.entered_at,
        )
