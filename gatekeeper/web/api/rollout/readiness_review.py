"""The cut-over readiness review of a rollout, and readiness per unit and per wave as files.

`GET /projects/{key}/readiness-review` answers the steering group's summary as
JSON (the unit rows only when filtered on a wave or a kommun), and
`…/readiness-review/units` pages through the unit rows; the exports
answer CSV (UTF-8 with a byte order mark and `;` between fields, which is what
Excel with Swedish settings opens without a wizard) or XLSX (bold header row,
frozen below it, columns sized to their content), both written by
`web/spreadsheet`, which escapes the cells a spreadsheet would read as
formulas. Every route takes the same `wave` and `kommun` filters.
`export_response` is shared with the web page, which offers the same files
to a signed-in browser.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from gatekeeper.services.rollout import readiness_export
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.services.rollout.readiness_review import ReadinessReview
from gatekeeper.web.auth import ProjectReader
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.rollout import ReadinessReviewPublic, UnitPagePublic, unit_dict
from gatekeeper.web.spreadsheet import csv_bytes, xlsx_bytes

router = APIRouter(tags=["rollout"])

_REVIEW = "/projects/{project_key}/readiness-review"
Table = Literal["units", "waves"]
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
_SHEET_TITLE = {"units": "Enheter", "waves": "Vågor"}


def export_response(view: ReadinessReview, table: Table, fmt: Format) -> Response:
    """Readiness per unit or per wave as a CSV or XLSX download."""
    header, rows = (
        readiness_export.unit_table(view) if table == "units" else readiness_export.wave_table(view)
    )
    stem = f"beredskap-{'enheter' if table == 'units' else 'vagor'}-{view.project_key}"
    if view.wave:
        stem += f"-{view.wave}"
    if view.kommun:
        stem += f"-{view.kommun}"
    filename = f"{stem}-{view.review.today.isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "csv":
        return Response(
            csv_bytes(header, rows), media_type="text/csv; charset=utf-8", headers=headers
        )
    return Response(xlsx_bytes(_SHEET_TITLE[table], header, rows), media_type=XLSX, headers=headers)


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
        "description": "The file (CSV: UTF-8 with BOM, `;`-separated; XLSX: one sheet).",
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
    view = rollout_review.readiness_review(ctx, access.project_key, wave=wave, kommun=kommun)
    return export_response(view, "units", fmt)


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
    view = rollout_review.readiness_review(ctx, access.project_key, wave=wave, kommun=kommun)
    return export_response(view, "waves", fmt)
