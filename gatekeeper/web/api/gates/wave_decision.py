"""A rollout's go-live decided one wave at a time: the wave's review and its required units.

Voting in a wave review goes through the ordinary vote endpoint
(`POST /projects/{key}/reviews/{id}/votes`), whose body carries the wave's
terms (`exclude_units` + `move_to_wave`, or `postpone_to`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status
from pydantic import BaseModel

from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import wave_review as wave_reviews
from gatekeeper.services.rollout import wave_scope
from gatekeeper.web.auth import ProjectReader, ProjectWriter
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.inputs import RequiredUnitsUpdate, WaveReviewCreate
from gatekeeper.web.schemas.gates import ReviewPublic

router = APIRouter(tags=["decisions"])

_WAVE = "/projects/{project_key}/waves/{wave_key}"

WaveReviewBody = Annotated[
    WaveReviewCreate,
    Body(
        openapi_examples={
            "vag-1": {
                "summary": "Ask the styrgrupp to decide a wave's go-live",
                "value": {"message": "Go/no-go för våg 1 på styrgruppsmötet 22 februari."},
            }
        }
    ),
]
RequiredBody = Annotated[
    RequiredUnitsUpdate,
    Body(
        openapi_examples={
            "pilots": {
                "summary": "The units the wave cannot go live without",
                "value": {"unit_keys": ["boras", "alingsas"]},
            }
        }
    ),
]


class RequiredUnitPublic(BaseModel):
    key: str
    name: str


class RequiredUnitsPublic(BaseModel):
    """The units a wave names as required (criterion `named_units_ready`)."""

    wave: str
    units: list[RequiredUnitPublic]


@router.post(
    _WAVE + "/reviews",
    response_model=ReviewPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Ask the deciders to decide one wave's go-live; freezes the wave's readiness",
)
def request_wave_review(
    ctx: ContextDep, access: ProjectWriter, wave_key: str, body: WaveReviewBody, response: Response
) -> ReviewPublic:
    review = wave_reviews.request_wave_review(
        ctx, access.actor, project_key=access.project_key, wave_key=wave_key, message=body.message
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/reviews/{review.id}"
    return ReviewPublic.of(review_views.ReviewView(review=review, votes=(), conflicts=()))


@router.get(
    _WAVE + "/required-units",
    response_model=RequiredUnitsPublic,
    summary="The units the wave cannot go live without",
)
def get_required_units(
    ctx: ContextDep, access: ProjectReader, wave_key: str
) -> RequiredUnitsPublic:
    units = wave_scope.required_units(ctx, access.project_key, wave_key)
    return RequiredUnitsPublic(
        wave=wave_key, units=[RequiredUnitPublic(key=u.key, name=u.name) for u in units]
    )


@router.put(
    _WAVE + "/required-units",
    response_model=RequiredUnitsPublic,
    summary="Name the units the wave cannot go live without (the projektledare)",
)
def set_required_units(
    ctx: ContextDep, access: ProjectWriter, wave_key: str, body: RequiredBody
) -> RequiredUnitsPublic:
    units = wave_scope.set_required_units(
        ctx,
        access.actor,
        project_key=access.project_key,
        wave_key=wave_key,
        unit_keys=body.unit_keys,
    )
    return RequiredUnitsPublic(
        wave=wave_key, units=[RequiredUnitPublic(key=u.key, name=u.name) for u in units]
    )
