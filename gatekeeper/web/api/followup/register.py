"""The project registers over the API: the kommunikationsplan and the intressentanalys.

`/projects/{key}/communications` and `/projects/{key}/stakeholders` list
(`{items, next_cursor}`), add and revise rows; every row answers an `ETag`,
and a PATCH with `If-Match` on an older version is refused with 412.
`…/communications.{csv|xlsx}` and `…/stakeholders.{csv|xlsx}` export the
register as a file (`register_file`, shared with the pages). Members read;
the projektledare and administrators write.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Response, status

from gatekeeper.services.context import Context
from gatekeeper.services.followup import communication as communications
from gatekeeper.services.followup import register_export
from gatekeeper.services.followup import stakeholder as stakeholders
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.registers import (
    CommunicationCreate,
    CommunicationPublic,
    CommunicationUpdate,
    StakeholderCreate,
    StakeholderPublic,
    StakeholderUpdate,
)
from gatekeeper.web.spreadsheet import csv_bytes, xlsx_bytes

router = APIRouter()

_PROJECT = "/projects/{project_key}"
Register = Literal["communications", "stakeholders"]
Format = Literal["csv", "xlsx"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The file (CSV: UTF-8 with BOM, `;`-separated; XLSX: one sheet).",
        "content": {"text/csv": {}, XLSX: {}},
    }
}
_NAMES = {
    "communications": ("kommunikationsplan", "Kommunikationsplan"),
    "stakeholders": ("intressentanalys", "Intressentanalys"),
}

CommunicationCreateBody = Annotated[
    CommunicationCreate,
    Body(
        openapi_examples={
            "fsg": {
                "summary": "A row of seed 000's kommunikationsplan",
                "value": {
                    "audience": "Fackliga organisationer",
                    "message": "Mål: veta att projektet pågår. Budskap: insyn och delaktighet.",
                    "channel": "Information i FSG inför projektstart",
                    "planned_on": "2027-03-15",
                    "responsible": "Anita Lindqvist",
                },
            }
        }
    ),
]
CommunicationUpdateBody = Annotated[
    CommunicationUpdate,
    Body(
        openapi_examples={
            "done": {"summary": "Mark as genomförd", "value": {"status": "done"}},
            "moved": {"summary": "A new tidpunkt", "value": {"planned_on": "2027-04-01"}},
        }
    ),
]
StakeholderCreateBody = Annotated[
    StakeholderCreate,
    Body(
        openapi_examples={
            "von": {
                "summary": "A row of seed 000's intressentanalys",
                "value": {
                    "name": "Vård- och omsorgsnämnden (VON)",
                    "interest": "Beslutsfattande, ansvar för verksamhet",
                    "influence": "high",
                    "strategy": "Muntlig uppföljning löpande, skriftligen två gånger per år.",
                },
            }
        }
    ),
]


def register_file(ctx: Context, project_key: str, register: Register, fmt: Format) -> Response:
    """A register of the project as a CSV or XLSX download."""
    header, rows = (
        register_export.communication_table(ctx, project_key)
        if register == "communications"
        else register_export.stakeholder_table(ctx, project_key)
    )
    stem, sheet = _NAMES[register]
    filename = f"{stem}-{project_key}-{ctx.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return Response(
            csv_bytes(header, list(rows)), media_type="text/csv; charset=utf-8", headers=headers
        )
    return Response(xlsx_bytes(sheet, header, list(rows)), media_type=XLSX, headers=headers)


# --- kommunikationsplan ------------------------------------------------------------------


@router.get(
    _PROJECT + "/communications",
    response_model=Page[CommunicationPublic],
    summary="The kommunikationsplan in date order (rows without a tidpunkt last)",
    tags=["registers"],
)
def list_communications(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[CommunicationPublic]:
    rows, next_cursor = paginate(
        communications.list_communications(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[CommunicationPublic](
        items=[CommunicationPublic.of(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    _PROJECT + "/communications.{fmt}",
    response_class=Response,
    responses=_FILE_RESPONSES,
    summary="The kommunikationsplan as CSV or XLSX",
    tags=["registers"],
)
def export_communications(ctx: ContextDep, access: ProjectReader, fmt: Format) -> Response:
    return register_file(ctx, access.project_key, "communications", fmt)


@router.post(
    _PROJECT + "/communications",
    response_model=CommunicationPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add a row to the kommunikationsplan",
    tags=["registers"],
)
def add_communication(
    ctx: ContextDep, access: ProjectWriter, body: CommunicationCreateBody, response: Response
) -> CommunicationPublic:
    row = communications.add_communication(
        ctx,
        access.actor,
        project_key=access.project_key,
        audience=body.audience,
        message=body.message,
        channel=body.channel,
        planned_on=body.planned_on,
        responsible=body.responsible,
        status=body.status,
        comment=body.comment,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/communications/{row.id}"
    set_etag(response, row.row_version)
    return CommunicationPublic.of(row)


@router.get(
    _PROJECT + "/communications/{row_id}",
    response_model=CommunicationPublic,
    summary="One row of the kommunikationsplan (with ETag)",
    tags=["registers"],
)
def get_communication(
    ctx: ContextDep, access: ProjectReader, row_id: RowId, response: Response
) -> CommunicationPublic:
    row = communications.get_communication(ctx, access.project_key, row_id)
    set_etag(response, row.row_version)
    return CommunicationPublic.of(row)


@router.patch(
    _PROJECT + "/communications/{row_id}",
    response_model=CommunicationPublic,
    summary="Revise a kommunikationsplan row, e.g. mark it genomförd (If-Match honoured)",
    tags=["registers"],
)
def update_communication(
    ctx: ContextDep,
    access: ProjectWriter,
    row_id: RowId,
    body: CommunicationUpdateBody,
    if_match: IfMatch,
    response: Response,
) -> CommunicationPublic:
    given = body.model_fields_set
    row = communications.update_communication(
        ctx,
        access.actor,
        project_key=access.project_key,
        row_id=row_id,
        audience=body.audience,
        message=body.message,
        channel=body.channel,
        responsible=body.responsible,
        status=body.status,
        comment=body.comment,
        expected_version=if_match,
        **({"planned_on": body.planned_on} if "planned_on" in given else {}),
    )
    set_etag(response, row.row_version)
    return CommunicationPublic.of(row)


# --- intressentanalys ---------------------------------------------------------------------


@router.get(
    _PROJECT + "/stakeholders",
    response_model=Page[StakeholderPublic],
    summary="The intressentanalys, greatest påverkan first",
    tags=["registers"],
)
def list_stakeholders(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[StakeholderPublic]:
    rows, next_cursor = paginate(
        stakeholders.list_stakeholders(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[StakeholderPublic](
        items=[StakeholderPublic.of(r) for r in rows], next_cursor=next_cursor
    )


@router.get(
    _PROJECT + "/stakeholders.{fmt}",
    response_class=Response,
    responses=_FILE_RESPONSES,
    summary="The intressentanalys as CSV or XLSX",
    tags=["registers"],
)
def export_stakeholders(ctx: ContextDep, access: ProjectReader, fmt: Format) -> Response:
    return register_file(ctx, access.project_key, "stakeholders", fmt)


@router.post(
    _PROJECT + "/stakeholders",
    response_model=StakeholderPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Add an intressent to the intressentanalys",
    tags=["registers"],
)
def add_stakeholder(
    ctx: ContextDep, access: ProjectWriter, body: StakeholderCreateBody, response: Response
) -> StakeholderPublic:
    row = stakeholders.add_stakeholder(
        ctx,
        access.actor,
        project_key=access.project_key,
        name=body.name,
        interest=body.interest,
        influence=body.influence,
        expectations=body.expectations,
        strategy=body.strategy,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/stakeholders/{row.id}"
    set_etag(response, row.row_version)
    return StakeholderPublic.of(row)


@router.get(
    _PROJECT + "/stakeholders/{row_id}",
    response_model=StakeholderPublic,
    summary="One intressent (with ETag)",
    tags=["registers"],
)
def get_stakeholder(
    ctx: ContextDep, access: ProjectReader, row_id: RowId, response: Response
) -> StakeholderPublic:
    row = stakeholders.get_stakeholder(ctx, access.project_key, row_id)
    set_etag(response, row.row_version)
    return StakeholderPublic.of(row)


@router.patch(
    _PROJECT + "/stakeholders/{row_id}",
    response_model=StakeholderPublic,
    summary="Revise an intressent: intresse, påverkan, förväntningar, strategi (If-Match honoured)",
    tags=["registers"],
)
def update_stakeholder(
    ctx: ContextDep,
    access: ProjectWriter,
    row_id: RowId,
    body: StakeholderUpdate,
    if_match: IfMatch,
    response: Response,
) -> StakeholderPublic:
    row = stakeholders.update_stakeholder(
        ctx,
        access.actor,
        project_key=access.project_key,
        row_id=row_id,
        name=body.name,
        interest=body.interest,
        influence=body.influence,
        expectations=body.expectations,
        strategy=body.strategy,
        expected_version=if_match,
    )
    set_etag(response, row.row_version)
    return StakeholderPublic.of(row)
