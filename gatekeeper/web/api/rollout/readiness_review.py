"""The cut-over readiness review of a rollout, and readiness per unit and per wave as files.

`GET /projects/{key}/readiness-review` answers the steering group's summary as
JSON (the unit rows only when filtered on a wave or a kommun), and
`…/readiness-review/units` pages through the unit rows; the exports
answer CSV (UTF-8 with a byte order mark and `;` between fields, which is what
Excel with Swedish settings opens without a wizard) or XLSX (bold header row,
frozen below it, columns sized to their content), both written by
`web/spreadsheet`, which escapes the cells a spreadsheet would read as
formulas. Dates are real dates, every sheet has an autofilter and a frozen
header, and the values are Swedish. `…/open-items.{csv,xlsx}` lists each
item that keeps a unit from being ready (unit, kommun, item, deadline,
ansvarig by name); the units' XLSX carries the same as a second sheet.
Every route takes the same `wave` and `kommun` filters.
`export_response` is shared with the web page, which offers the same files
to a signed-in browser.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from gatekeeper.services.rollout import readiness_export
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.web.auth import ProjectReader
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.rollout import ReadinessReviewPublic, UnitPagePublic, unit_dict
from gatekeeper.web.spreadsheet import csv_bytes, xlsx_book

router = APIRouter(tags=["rollout"])

_REVIEW = "/projects/{project_key}/readiness-review"
Table = Literal["units", "waves", "open-items"]
Format = Literal["csv", "xlsx"]
WaveFilter = Annotated[
    str | None, Query(description="Only the units of this wave (its key).", examples=["vag-1"])
]
KommunFilter = Annotated[
    str | None,
    Query(
        description="Only the units of this kommun (a top-level unit's key).", examples=["boras"]
    ),
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STEMS = {"units": "enheter", "waves": "vagor", "open-items": "oppna-punkter"}


def export_response(
    ctx: ContextDep,
    project_key: str,
    table: Table,
    fmt: Format,
    wave: str | None = None,
    kommun: str | None = None,
) -> Response:
    """Readiness per unit or per wave, or the open items, as a CSV or XLSX download."""
    found = readiness_export.export(
        ctx, project_key, table, wave=wave, kommun=kommun, with_open_items=fmt == "xlsx"
    )
    stem = f"beredskap-{_STEMS[table]}-{found.project_key}"
    if found.wave:
        stem += f"-{found.wave}"
    if found.kommun:
        stem += f"-{found.kommun}"
    filename = f"{stem}-{found.today.isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        _, header, rows = found.sheets[0]
        return Response(
            csv_bytes(header, rows), media_type="text/csv; charset=utf-8", headers=headers
        )
    return Response(xlsx_book(found.sheets), media_type=XLSX, headers=headers)


@router.get(
    _REVIEW,
    response_model=ReadinessReviewPublic,
    summary="Cut-over readiness review: waves, kommuner (with their heatmap), blockers, "
    "kritisk linje; unit rows when filtered",
)
def get_readiness_review(
    ctx: ContextDep, access: ProjectReader, wave: WaveFilter = None, kommun: KommunFilter = None
) -> Response:
    with_units = bool(wave or kommun)
    view = rollout_review.readiness_review(
        ctx, access.project_key, wave=wave, kommun=kommun, with_units=with_units
    )
    # Serialised once by pydantic-core, not re-validated by FastAPI (see rollout_schemas).
    public = ReadinessReviewPublic.of(view, with_units=with_units)
    return Response(public.model_dump_json().encode(), media_type="application/json")


@router.get(
    _REVIEW + "/units",
    response_model=UnitPagePublic,
    summary="The unit heatmap rows of the readiness review, page by page",
)
def list_review_units(
    ctx: ContextDep,
    access: ProjectReader,
    wave: WaveFilter = None,
    kommun: KommunFilter = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Response:
    view = rollout_review.readiness_review(ctx, access.project_key, wave=wave, kommun=kommun)
    rows, next_cursor = paginate(view.review.units, cursor=cursor, limit=limit)
    categories = view.review.categories
    public = UnitPagePublic.model_validate(
        {
            "categories": list(categories),
            "items": [unit_dict(u, categories) for u in rows],
            "next_cursor": next_cursor,
        }
    )
    return Response(public.model_dump_json().encode(), media_type="application/json")


_FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "description": "The file (CSV: UTF-8 with BOM, `;`-separated, ISO dates; XLSX: "
        "real dates, autofilter, frozen header; the units' file has the open items as a "
        "second sheet).",
        "content": {"text/csv": {}, XLSX: {}},
    }
}


@router.get(
    _REVIEW + "/units.{fmt}",
    response_class=Response,
    responses=_FILE_RESPONSES,
    summary="Readiness per unit as CSV or XLSX",
)
def export_units(
    ctx: ContextDep,
    access: ProjectReader,
    fmt: Format,
    wave: WaveFilter = None,
    kommun: KommunFilter = None,
) -> Response:
    return export_response(ctx, access.project_key, "units", fmt, wave, kommun)


@router.get(
    _REVIEW + "/waves.{fmt}",
    response_class=Response,
    responses=_FILE_RESPONSES,
    summary="Readiness per wave (with forecast and suggested decision) as CSV or XLSX",
)
def export_waves(
    ctx: ContextDep,
    access: ProjectReader,
    fmt: Format,
    wave: WaveFilter = None,
    kommun: KommunFilter = None,
) -> Response:
    return export_response(ctx, access.project_key, "waves", fmt, wave, kommun)


@router.get(
    _REVIEW + "/open-items.{fmt}",
    response_class=Response,
    responses=_FILE_RESPONSES,
    summary="The open items per unit (unit, kommun, item, deadline, ansvarig) as CSV or XLSX",
)
def export_open_items(
    ctx: ContextDep,
    access: ProjectReader,
    fmt: Format,
    wave: WaveFilter = None,
    kommun: KommunFilter = None,
) -> Response:
    return export_response(ctx, access.project_key, "open-items", fmt, wave, kommun)
