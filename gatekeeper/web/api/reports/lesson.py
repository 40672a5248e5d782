"""The lessons-learned register (lärdomar) over the API, and as CSV or XLSX.

Lessons are versioned: GET and every change answer an `ETag`, and a PATCH
with `If-Match` on an older version is refused with 412; once the
slutrapport is fastställd, changes are refused with 409.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Response, status

from gatekeeper.services.reports import lesson as lessons
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.slutrapport import LessonCreate, LessonPublic, LessonUpdate
from gatekeeper.web.spreadsheet import Cell, csv_bytes, xlsx_bytes

router = APIRouter(tags=["lessons"])

_LESSONS = "/projects/{project_key}/lessons"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["csv", "xlsx"]
_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}

LessonCreateBody = Annotated[
    LessonCreate,
    Body(
        openapi_examples={
            "forstudie": {
                "summary": "A lärdom from seed 004's slutrapport",
                "value": {
                    "lesson": "Börja alla projekt med en förstudie",
                    "category": "styrning",
                    "recommendation": "Skapa samsyn innan genomförandet startar.",
                },
            }
        }
    ),
]


def export_response(ctx: ContextDep, project_key: str, fmt: Format) -> Response:
    """The register as a CSV or XLSX download (shared with the lessons page)."""
    header, rows = lessons.lesson_table(ctx, project_key)
    filename = f"lardomar-{project_key}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    cells: list[tuple[Cell, ...]] = [tuple(row) for row in rows]
    if fmt == "csv":
        return Response(
            csv_bytes(header, cells), media_type="text/csv; charset=utf-8", headers=headers
        )
    return Response(xlsx_bytes("Lärdomar", header, cells), media_type=XLSX, headers=headers)


@router.get(_LESSONS, response_model=Page[LessonPublic], summary="The project's lessons learned")
def list_lessons(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[LessonPublic]:
    rows, next_cursor = paginate(
        lessons.list_lessons(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[LessonPublic](items=[LessonPublic.of(r) for r in rows], next_cursor=next_cursor)


@router.get(
    _LESSONS + ".{fmt}",
    response_class=Response,
    responses=_FILE_RESPONSES,
    summary="The lessons learned as CSV or XLSX",
)
def export_lessons(ctx: ContextDep, access: ProjectReader, fmt: Format) -> Response:
    return export_response(ctx, access.project_key, fmt)


@router.post(
    _LESSONS,
    response_model=LessonPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Record a lärdom (projektledare or administrator)",
)
def add_lesson(
    ctx: ContextDep, access: ProjectWriter, body: LessonCreateBody, response: Response
) -> LessonPublic:
    row = lessons.add_lesson(
        ctx,
        access.actor,
        project_key=access.project_key,
        lesson=body.lesson,
        category=body.category,
        recommendation=body.recommendation,
    )
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/lessons/{row.id}"
    set_etag(response, row.row_version)
    return LessonPublic.of(row)


@router.get(_LESSONS + "/{lesson_id}", response_model=LessonPublic, summary="One lärdom (ETag)")
def get_lesson(
    ctx: ContextDep, access: ProjectReader, lesson_id: RowId, response: Response
) -> LessonPublic:
    row = lessons.get_lesson(ctx, access.project_key, lesson_id)
    set_etag(response, row.row_version)
    return LessonPublic.of(row)


@router.patch(
    _LESSONS + "/{lesson_id}",
    response_model=LessonPublic,
    summary="Re-word, re-categorise or change the rekommendation of a lärdom (If-Match)",
)
def update_lesson(
    ctx: ContextDep,
    access: ProjectWriter,
    lesson_id: RowId,
    body: LessonUpdate,
    if_match: IfMatch,
    response: Response,
) -> LessonPublic:
    row = lessons.update_lesson(
        ctx,
        access.actor,
        project_key=access.project_key,
        lesson_id=lesson_id,
        lesson=body.lesson,
        category=body.category,
        recommendation=body.recommendation,
        expected_version=if_match,
    )
    set_etag(response, row.row_version)
    return LessonPublic.of(row)
