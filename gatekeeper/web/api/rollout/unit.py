"""A rollout's units: added, read, changed, moved between waves, removed, and imported.

Units are versioned: GET and every change answer an `ETag`, and a change with
`If-Match` on an older version is refused with 412. An import whose file has
bad rows answers 422 with every row in `errors`
(`{"row": 7, "field": "file", "message": "rad 7: …"}`) and imports nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, File, Query, Request, Response, UploadFile, status

from gatekeeper.services.rollout import import_file, unit_import, unit_listing, unit_move
from gatekeeper.services.rollout import unit as units
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.problem import problem_response
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.units import ImportPublic, UnitCreate, UnitMove, UnitPublic, UnitUpdate

router = APIRouter(tags=["rollout"])

_PROJECT = "/projects/{project_key}"

MAX_IMPORT_BYTES = 900 * 1024  # under the app's body limit, with room for the form

UnitCreateBody = Annotated[
    UnitCreate,
    Body(
        openapi_examples={
            "enhet": {
                "summary": "An enhet under its förvaltning (wave inherited)",
                "value": {
                    "key": "boras-hemtjanst-norr",
                    "name": "Hemtjänst Norr",
                    "kind": "enhet",
                    "parent_key": "boras-vo",
                    "responsible_email": "lena.hjalmarsson@boras.se",
                    "responsible_name": "Lena Hjalmarsson",
                },
            }
        }
    ),
]
UnitMoveBody = Annotated[
    UnitMove,
    Body(
        openapi_examples={
            "later": {
                "summary": "Postpone to a later wave (a recorded decision)",
                "value": {
                    "wave_key": "vag-2",
                    "motivation": "Hemtjänsten hinner inte utbilda alla före driftstart.",
                },
            }
        }
    ),
]


@router.get(
    _PROJECT + "/units",
    response_model=Page[UnitPublic],
    summary="Units in tree order (kommun, its förvaltningar, their enheter), optionally of a wave",
)
def list_units(
    ctx: ContextDep,
    access: ProjectReader,
    wave: Annotated[
        str | None, Query(max_length=100, description="Only this wave's units.")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[UnitPublic]:
    rows, next_cursor = paginate(
        unit_listing.list_units(ctx, access.project_key, wave_key=wave), cursor=cursor, limit=limit
    )
    return Page[UnitPublic](items=[UnitPublic.of(r) for r in rows], next_cursor=next_cursor)


@router.post(
    _PROJECT + "/units",
    response_model=UnitPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a unit with its own cut-over checklist (projektledare)",
)
def add_unit(
    ctx: ContextDep, access: ProjectWriter, body: UnitCreateBody, response: Response
) -> UnitPublic:
    unit = units.add_unit(
        ctx,
        access.actor,
        project_key=access.project_key,
        key=body.key,
        name=body.name,
        kind=body.kind,
        parent_key=body.parent_key,
        wave_key=body.wave_key,
        responsible_email=body.responsible_email,
        responsible_name=body.responsible_name,
    )
    row = unit_listing.get_unit(ctx, access.project_key, unit.key)
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/units/{unit.key}"
    set_etag(response, row.unit.row_version)
    return UnitPublic.of(row)


@router.post(
    _PROJECT + "/units/import",
    response_model=ImportPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Import units from a CSV or XLSX file: every bad row reported, or all imported",
)
async def import_units(
    ctx: ContextDep,
    access: ProjectWriter,
    request: Request,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or Windows-1252, ; or ,) or XLSX.")],
) -> Response | ImportPublic:
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        return problem_response(
            request,
            413,
            "payload-too-large",
            "Request body too large",
            f"Filen är större än {MAX_IMPORT_BYTES // 1024} kB; dela upp den.",
        )
    try:
        result = unit_import.import_units(
            ctx,
            access.actor,
            project_key=access.project_key,
            data=data,
            filename=file.filename or "",
        )
    except import_file.ImportRejected as rejected:
        return problem_response(
            request,
            422,
            "validation-failed",
            "Invalid input",
            rejected.message,
            {
                "field": "file",
                "errors": [
                    {"row": e.row, "field": "file", "message": str(e)} for e in rejected.errors
                ],
            },
        )
    return ImportPublic.of(result)


@router.get(_PROJECT + "/units/{unit_key}", response_model=UnitPublic, summary="One unit")
def get_unit(
    ctx: ContextDep, access: ProjectReader, unit_key: str, response: Response
) -> UnitPublic:
    row = unit_listing.get_unit(ctx, access.project_key, unit_key)
    set_etag(response, row.unit.row_version)
    return UnitPublic.of(row)


@router.patch(
    _PROJECT + "/units/{unit_key}",
    response_model=UnitPublic,
    summary="Rename a unit or name its införandeansvarig (If-Match honoured)",
)
def update_unit(
    ctx: ContextDep,
    access: ProjectWriter,
    unit_key: str,
    body: UnitUpdate,
    if_match: IfMatch,
    response: Response,
) -> UnitPublic:
    units.update_unit(
        ctx,
        access.actor,
        project_key=access.project_key,
        unit_key=unit_key,
        name=body.name,
        responsible_email=body.responsible_email,
        responsible_name=body.responsible_name,
        expected_version=if_match,
    )
    row = unit_listing.get_unit(ctx, access.project_key, unit_key)
    set_etag(response, row.unit.row_version)
    return UnitPublic.of(row)


@router.post(
    _PROJECT + "/units/{unit_key}/move",
    response_model=UnitPublic,
    summary="Move a unit to another wave; to a later wave only with a motivation (a decision)",
)
def move_unit(
    ctx: ContextDep,
    access: ProjectWriter,
    unit_key: str,
    body: UnitMoveBody,
    if_match: IfMatch,
    response: Response,
) -> UnitPublic:
    unit_move.move_unit(
        ctx,
        access.actor,
        project_key=access.project_key,
        unit_key=unit_key,
        wave_key=body.wave_key,
        motivation=body.motivation,
        expected_version=if_match,
    )
    row = unit_listing.get_unit(ctx, access.project_key, unit_key)
    set_etag(response, row.unit.row_version)
    return UnitPublic.of(row)


@router.delete(
    _PROJECT + "/units/{unit_key}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a unit and its checklist (with_children=true: and every unit below it)",
)
def remove_unit(
    ctx: ContextDep,
    access: ProjectWriter,
    unit_key: str,
    with_children: Annotated[bool, Query()] = False,
) -> Response:
    units.remove_unit(
        ctx,
        access.actor,
        project_key=access.project_key,
        unit_key=unit_key,
        with_children=with_children,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
