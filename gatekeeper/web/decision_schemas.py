"""API schemas of reviews, votes and the decision register."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from gatekeeper.core.decision import Outcome
from gatekeeper.services.decision_register import DecisionEntry
from gatekeeper.services.reviews import ReviewView
from gatekeeper.store.review_tables import ConditionStatus, DecisionCondition, ReviewStatus


class VotePublic(BaseModel):
    member: str
    cast_by: str
    outcome: Outcome
    motivation: str
    recycle_to: str | None
    override_motivation: str | None
    conditions: list[dict[str, Any]]
    cast_at: datetime
    snapshot_hash: str


class ReviewPublic(BaseModel):
    id: int
    gate_id: str
    status: ReviewStatus
    requested_by: str
    requested_at: datetime
    message: str
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
            status=review.status,
            requested_by=review.requested_by,
            requested_at=review.requested_at,
            message=review.message,
            snapshot=review.snapshot,
            snapshot_hash=review.snapshot_hash,
            votes=[
                VotePublic(
                    member=v.member,
                    cast_by=v.cast_by,
                    outcome=v.outcome,
                    motivation=v.motivation,
                    recycle_to=v.recycle_to,
                    override_motivation=v.override_motivation,
                    conditions=v.conditions,
                    cast_at=v.cast_at,
                    snapshot_hash=v.snapshot_hash,
                )
                for v in view.votes
            ],
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
    decided_at: datetime
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
    votes: list[dict[str, Any]]
    conditions: list[ConditionPublic]
    snapshot: dict[str, Any]
    protocol_url: str

    @classmethod
    def of(cls, entry: DecisionEntry) -> DecisionPublic:
        decision = entry.decision
        return cls(
            id=decision.id or 0,
            review_id=decision.review_id,
            gate_id=decision.gate_id,
            gate_name=entry.gate_name,
            outcome=decision.outcome,
            recycle_to=decision.recycle_to,
            decided_at=decision.decided_at,
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
            votes=list(decision.record.get("votes", [])),
            conditions=[ConditionPublic.of(c) for c in entry.conditions],
            snapshot=dict(decision.record.get("snapshot", {})),
            protocol_url=f"/projects/{entry.project.key}/decisions/{decision.id}/protocol",
        )
