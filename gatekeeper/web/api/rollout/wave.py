"""A rollout's waves: listed in go-live order, created, read and renamed or re-dated.

A wave is versioned: GET and every change answer an `ETag`, and a change with
`If-Match` on an older version is refused with 412.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status

from gatekeeper.services.rollout import wave as waves
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.units import WaveCreate, WavePublic, WaveUpdate

router = APIRouter(tags=["rollout"])

_PROJECT = "/projects/{project_key}"

WaveCreateBody = Annotated[
    WaveCreate,
    Body(
        openapi_examples={
            "pilot": {
                "summary": "The pilot wave",
                "value": {
                    "key": "vag-1",
                    "name": "Våg 1 – pilotkommuner",
                    "go_live_on": "2027-03-01",
                },
            }
        }
    ),
]


@router.get(_PROJECT + "/waves", response_model=Page[WavePublic], summary="Waves in order")
def list_waves(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[WavePublic]:
    rows, next_cursor = paginate(
        waves.list_waves(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[WavePublic](items=[WavePublic.of(w) for w in rows], next_cursor=next_cursor)


@router.post(
    _PROJECT + "/waves",
    response_model=WavePublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create a wave with its go-live date (projektledare)",
)
def create_wave(
    ctx: ContextDep, access: ProjectWriter, body: WaveCreateBody, response: Response
) -> WavePublic:
    wave = waves.create_wave(
        ctx,
        access.actor,
        project_key=access.project_key,
        key=body.key,
        name=body.name,
        go_live_on=body.go_live_on,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/waves/{wave.key}"
    set_etag(response, wave.row_version)
    return WavePublic.of(wave)


@router.get(_PROJECT + "/waves/{wave_key}", response_model=WavePublic, summary="One wave")
def get_wave(
    ctx: ContextDep, access: ProjectReader, wave_key: str, response: Response
) -> WavePublic:
    wave = waves.get_wave(ctx, access.project_key, wave_key)
    set_etag(response, wave.row_version)
    return WavePublic.of(wave)


@router.patch(
    _PROJECT + "/waves/{wave_key}",
    response_model=WavePublic,
    summary="Rename a wave or move its go-live date; unit deadlines follow (If-Match honoured)",
)
def update_wave(
    ctx: ContextDep,
    access: ProjectWriter,
    wave_key: str,
    body: WaveUpdate,
    if_match: IfMatch,
    response: Response,
) -> WavePublic:
    wave = waves.update_wave(
        ctx,
        access.actor,
        project_key=access.project_key,
        wave_key=wave_key,
        name=body.name,
        go_live_on=body.go_live_on,
        expected_version=if_match,
    )
    set_etag(response, wave.row_version)
    return WavePublic.of(wave)
