"""Gate reviews, the decision register and open conditions of a project; passing a
gate that has no approval policy; and what is added to a decision afterwards: late
votes and reservations (votes are cast in `vote`)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from gatekeeper.services.gates import late_vote as late_votes
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.web.auth import ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.inputs import GatePass, LateVoteCreate, ReservationCreate
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.gates import (
    ConditionPublic,
    DecisionPublic,
    ReservationPublic,
    ReviewPublic,
    VotePublic,
)
from gatekeeper.web.schemas.projects import Page, PhaseChangePublic

router = APIRouter(tags=["decisions"])


@router.get(
    "/projects/{project_key}/reviews",
    response_model=Page[ReviewPublic],
    summary="Gate reviews with their votes and declared conflicts of interest",
)
def list_reviews(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[ReviewPublic]:
    views = review_views.reviews_of(ctx, access.project_key)
    rows, next_cursor = paginate(views, cursor=cursor, limit=limit)
    return Page[ReviewPublic](items=[ReviewPublic.of(v) for v in rows], next_cursor=next_cursor)


@router.get(
    "/projects/{project_key}/decisions",
    response_model=Page[DecisionPublic],
    summary="The decision register: every gate decision, oldest first",
)
def list_decisions(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[DecisionPublic]:
    entries = decision_register.register(ctx, access.project_key)
    rows, next_cursor = paginate(entries, cursor=cursor, limit=limit)
    return Page[DecisionPublic](items=[DecisionPublic.of(e) for e in rows], next_cursor=next_cursor)


@router.get(
    "/projects/{project_key}/decisions/{decision_id}",
    response_model=DecisionPublic,
    summary="One gate decision with votes, conditions and the readiness it was taken on",
)
def get_decision(
    ctx: ContextDep, access: ProjectReader, decision_id: RowId, response: Response
) -> DecisionPublic:
    entry = decision_register.protocol(ctx, access.project_key, decision_id)
    set_etag(response, entry.decision.row_version)  # If-Match of PUT …/reference
    return DecisionPublic.of(entry)


@router.get(
    "/projects/{project_key}/conditions",
    response_model=Page[ConditionPublic],
    summary="Open conditions of conditional go decisions (they block the next gate)",
)
def list_open_conditions(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[ConditionPublic]:
    conditions = decision_register.open_conditions(ctx, access.project_key)
    rows, next_cursor = paginate(conditions, cursor=cursor, limit=limit)
    return Page[ConditionPublic](
        items=[ConditionPublic.of(c) for c in rows], next_cursor=next_cursor
    )


@router.post(
    "/projects/{project_key}/reviews/{review_id}/late-votes",
    response_model=VotePublic,
    status_code=status.HTTP_201_CREATED,
    summary="After the decision: a seat holder's late vote (kept, never counted)",
)
def cast_late_vote(
    ctx: ContextDep, access: ProjectWriter, review_id: RowId, body: LateVoteCreate
) -> VotePublic:
    vote = late_votes.cast_late_vote(
        ctx,
        access.actor,
        project_key=access.project_key,
        review_id=review_id,
        outcome=body.outcome,
        motivation=body.motivation,
        on_behalf_of=str(body.on_behalf_of) if body.on_behalf_of else None,
    )
    return VotePublic.of(vote)


@router.post(
    "/projects/{project_key}/decisions/{decision_id}/reservations",
    response_model=ReservationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Reservation mot beslutet, by a member who voted against the decision",
)
def enter_reservation(
    ctx: ContextDep, access: ProjectWriter, decision_id: RowId, body: ReservationCreate
) -> ReservationPublic:
    reservation = late_votes.enter_reservation(
        ctx,
        access.actor,
        project_key=access.project_key,
        decision_id=decision_id,
        text=body.text,
    )
    return ReservationPublic.of(reservation)


@router.post(
    "/projects/{project_key}/gates/{gate_id}/pass",
    response_model=PhaseChangePublic,
    summary=(
        "Pass a gate that has no approval policy when its criteria hold (its passed_by role, "
        "default projektledare); refused with failed_criteria"
    ),
)
def pass_gate(
    ctx: ContextDep, access: ProjectWriter, gate_id: str, body: GatePass
) -> PhaseChangePublic:
    change = gates.pass_gate(
        ctx,
        access.actor,
        project_key=access.project_key,
        gate_id=gate_id,
        motivation=body.motivation,
    )
    return PhaseChangePublic(
        gate_id=change.gate_id,
        from_phase=change.from_phase,
        to_phase=change.to_phase,
        at=change.at,
        actor=change.actor,
        motivation=change.motivation,
        override_motivation=change.override_motivation,
    )
