"""Each unit's checklist: its items, one item ticked, and one item ticked for many units.

Unit items are versioned: GET and every change answer an `ETag`, and a change
with `If-Match` on an older version is refused with 412. A bulk tick answers,
per unit, whether it was done, already done or refused.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from gatekeeper.errors import NotFound
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.units import BulkResultPublic, BulkTick, UnitItemPublic, UnitItemUpdate

router = APIRouter(tags=["rollout"])

_PROJECT = "/projects/{project_key}"

BulkTickBody = Annotated[
    BulkTick,
    Body(
        openapi_examples={
            "utbildning": {
                "summary": "Utbildning genomförd for three units",
                "value": {
                    "unit_keys": [
                        "boras-hemtjanst-norr",
                        "boras-hemtjanst-soder",
                        "lerum-hemsjukvard",
                    ],
                    "status": "done",
                    "evidence": "https://intranat.vgregion.se/inforande/deltagarlistor.xlsx",
                },
            }
        }
    ),
]


@router.get(
    _PROJECT + "/units/{unit_key}/items",
    response_model=Page[UnitItemPublic],
    summary="A unit's checklist items with deadlines from its wave's go-live date",
)
def list_unit_items(
    ctx: ContextDep,
    access: ProjectReader,
    unit_key: str,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[UnitItemPublic]:
    checklist = unit_checklists.unit_checklist(ctx, access.project_key, unit_key)
    rows, next_cursor = paginate(checklist.items, cursor=cursor, limit=limit)
    today = ctx.today()
    return Page[UnitItemPublic](
        items=[UnitItemPublic.of(view, today=today) for view in rows], next_cursor=next_cursor
    )


def _item_view(
    ctx: ContextDep, project_key: str, unit_key: str, item_id: str
) -> unit_checklists.UnitItemView:
    checklist = unit_checklists.unit_checklist(ctx, project_key, unit_key)
    for view in checklist.items:
        if view.row.item_id == item_id:
            return view
    raise NotFound(
        f"Punkten '{item_id}' finns inte i checklistan för enheten {checklist.unit.name}."
    )


@router.get(
    _PROJECT + "/units/{unit_key}/items/{item_id}",
    response_model=UnitItemPublic,
    summary="One item of a unit's checklist (with ETag)",
)
def get_unit_item(
    ctx: ContextDep, access: ProjectReader, unit_key: str, item_id: str, response: Response
) -> UnitItemPublic:
    view = _item_view(ctx, access.project_key, unit_key, item_id)
    set_etag(response, view.row.row_version)
    return UnitItemPublic.of(view, today=ctx.today())


@router.patch(
    _PROJECT + "/units/{unit_key}/items/{item_id}",
    response_model=UnitItemPublic,
    summary="Tick, untick or set N/A one unit item (projektledare or införandeansvarig)",
)
def update_unit_item(
    ctx: ContextDep,
    access: ProjectWriter,
    unit_key: str,
    item_id: str,
    body: UnitItemUpdate,
    if_match: IfMatch,
    response: Response,
) -> UnitItemPublic:
    unit_checklists.update_unit_item(
        ctx,
        access.actor,
        project_key=access.project_key,
        unit_key=unit_key,
        item_id=item_id,
        status=body.status,
        evidence=body.evidence,
        comment=body.comment,
        expected_version=if_match,
    )
    view = _item_view(ctx, access.project_key, unit_key, item_id)
    set_etag(response, view.row.row_version)
    return UnitItemPublic.of(view, today=ctx.today())


@router.post(
    _PROJECT + "/unit-items/{item_id}/bulk",
    response_model=BulkResultPublic,
    summary="Set one item for many units at once; per unit: done, already or refused",
)
def bulk_update_unit_items(
    ctx: ContextDep, access: ProjectWriter, item_id: str, body: BulkTickBody
) -> BulkResultPublic:
    result = unit_bulk.bulk_update_items(
        ctx,
        access.actor,
        project_key=access.project_key,
        item_id=item_id,
        unit_keys=body.unit_keys,
        status=body.status,
        evidence=body.evidence,
        comment=body.comment,
        checklist_id=body.checklist_id,
        with_units_below=body.with_units_below,
    )
    return BulkResultPublic.of(result)
