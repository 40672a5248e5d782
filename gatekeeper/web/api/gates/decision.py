"""Gate reviews, the decision register and open conditions of a project (read only
until API tokens arrive; votes are cast through the use cases)."""

from __future__ import annotations

from fastapi import APIRouter

from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.web.auth import ProjectReader
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.schemas.gates import ConditionPublic, DecisionPublic, ReviewPublic

router = APIRouter(tags=["decisions"])


@router.get(
    "/projects/{project_key}/reviews",
    response_model=list[ReviewPublic],
    summary="Gate reviews with their votes and declared conflicts of interest",
)
def list_reviews(ctx: ContextDep, access: ProjectReader) -> list[ReviewPublic]:
    return [ReviewPublic.of(view) for view in review_views.reviews_of(ctx, access.project_key)]


@router.get(
    "/projects/{project_key}/decisions",
    response_model=list[DecisionPublic],
    summary="The decision register: every gate decision, oldest first",
)
def list_decisions(ctx: ContextDep, access: ProjectReader) -> list[DecisionPublic]:
    return [
        DecisionPublic.of(entry) for entry in decision_register.register(ctx, access.project_key)
    ]


@router.get(
    "/projects/{project_key}/decisions/{decision_id}",
    response_model=DecisionPublic,
    summary="One gate decision with votes, conditions and the readiness it was taken on",
)
def get_decision(ctx: ContextDep, access: ProjectReader, decision_id: int) -> DecisionPublic:
    return DecisionPublic.of(decision_register.protocol(ctx, access.project_key, decision_id))


@router.get(
    "/projects/{project_key}/conditions",
    response_model=list[ConditionPublic],
    summary="Open conditions of conditional go decisions (they block the next gate)",
)
def list_open_conditions(ctx: ContextDep, access: ProjectReader) -> list[ConditionPublic]:
    return [
        ConditionPublic.of(c) for c in decision_register.open_conditions(ctx, access.project_key)
    ]
