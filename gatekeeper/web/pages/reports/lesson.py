"""The lessons-learned page of a project: the register, and the forms to add and edit.

`GET /projects/{key}/lessons` lists the lärdomar (lärdom, kategori,
rekommendation, who recorded it) with the CSV and XLSX files, and for the
projektledare (or an administrator) a form to add one;
`GET /projects/{key}/lessons/{id}` shows one with its edit form. Each form
posts to its page's address and calls one use case
(`services.reports.lesson`); a refusal shows the page again with the field
marked and nothing saved. Works without JavaScript.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.reports.slutrapport import CATEGORY_SV
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied
from gatekeeper.services.context import Context
from gatekeeper.services.reports import lesson as lessons
from gatekeeper.web.api.reports.lesson import Format, export_response
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.projects.work_form import (
    form_fields,
    form_values,
    form_version,
    refusal,
)
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

LESSON_ADDED = N_("Lärdomen är registrerad.")
LESSON_SAVED = N_("Lärdomen är sparad.")
STALE_LESSON = N_(
    "Lärdomen har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur den ser ut nu och gör din ändring igen."
)
NAMES = ("lesson", "category", "recommendation")


def lessons_url(project_key: str) -> str:
    return f"/projects/{quote(project_key, safe='')}/lessons"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    *,
    lesson_id: int | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = lessons.lesson_view(ctx, project_key, page.principal.email)
    common: dict[str, Any] = {
        "view": view,
        "project": view.project,
        "problem": problem or FormProblem(),
        "categories": [(c.value, page.gettext(label)) for c, label in CATEGORY_SV.items()],
        "category_sv": {c.value: label for c, label in CATEGORY_SV.items()},
    }
    if lesson_id is None:
        return page.render("lessons.html", status_code=status_code, **common)
    return page.render(
        "lesson.html", status_code=status_code, lesson=view.lesson(lesson_id), **common
    )


def _refused(
    page: Page,
    ctx: Context,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    values: dict[str, str],
    lesson_id: int | None = None,
) -> HTMLResponse:
    problem = refusal(
        error,
        form=form,
        fields=form_fields(form, NAMES),
        values=values,
        stale_message=page.gettext(STALE_LESSON),
    )
    return _render(
        page,
        ctx,
        project_key,
        lesson_id=lesson_id,
        problem=problem,
        status_code=refusal_status(error),
    )


@router.get("/projects/{project_key}/lessons", response_class=HTMLResponse)
def lessons_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key)


@router.get("/projects/{project_key}/lessons.{fmt}")
def lessons_file(ctx: ContextDep, access: WebProjectReader, fmt: Format) -> Response:
    return export_response(ctx, access.project_key, fmt)


@router.get("/projects/{project_key}/lessons/{lesson_id}", response_class=HTMLResponse)
def lesson_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, lesson_id: RowId
) -> Response:
    return _render(page, ctx, access.project_key, lesson_id=lesson_id)


@router.post("/projects/{project_key}/lessons", response_class=HTMLResponse)
def add_lesson(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    values = form_values(form, NAMES)
    try:
        row = lessons.add_lesson(
            ctx,
            access.actor,
            project_key=access.project_key,
            lesson=values["lesson"],
            category=values["category"],
            recommendation=values["recommendation"],
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(page, ctx, access.project_key, error, form="add-lesson", values=values)
    page.flash(page.gettext(LESSON_ADDED), kind="success")
    return page.redirect(lessons_url(access.project_key) + f"#lesson-{row.id}")


@router.post("/projects/{project_key}/lessons/{lesson_id}", response_class=HTMLResponse)
def edit_lesson(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, lesson_id: RowId
) -> Response:
    values = form_values(form, NAMES)
    try:
        row = lessons.update_lesson(
            ctx,
            access.actor,
            project_key=access.project_key,
            lesson_id=lesson_id,
            lesson=values["lesson"],
            category=values["category"],
            recommendation=values["recommendation"],
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(
            page,
            ctx,
            access.project_key,
            error,
            form="edit-lesson",
            values=values,
            lesson_id=lesson_id,
        )
    page.flash(page.gettext(LESSON_SAVED), kind="success")
    return page.redirect(lessons_url(access.project_key) + f"#lesson-{row.id}")
