"""The aktivitetsplan page of a project: the activities, and the forms to add and edit them.

`GET /projects/{key}/activities` lists the plan in date order with the status
in words ("Genomfört", "Pågår", "Ej påbörjat", "Skjuts till 1 mars 2027") and
the kommentar; for the projektledare or an administrator a form adds an
activity. `GET /projects/{key}/activities/{id}` shows one activity with its
edit form (titel, start, slut, ansvarig, status with the date it is postponed
to, kommentar). Each form calls one use case (`services.projects.activity`); a
refusal (slut before start, "Skjuts till" without a date…) shows the page again
with the field marked and nothing saved, a stale edit answers 412 with the
activity as it is now, and anyone else is refused 403 by the use case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.status import ActivityStatus
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects.work_view import work_view
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.labels import ACTIVITY as ACTIVITY_LABELS
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.projects.risk import owner_choices
from gatekeeper.web.pages.projects.work_form import (
    form_date,
    form_fields,
    form_values,
    form_version,
    refusal,
)
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

ACTIVITY_ADDED = N_("Aktiviteten är tillagd: %(title)s")
ACTIVITY_SAVED = N_("Aktiviteten är sparad: %(title)s")
STALE_ACTIVITY = N_(
    "Aktiviteten har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur aktiviteten ser ut nu och gör din ändring igen."
)
POSTPONED_CHOICE = N_("Skjuts till … (ange datum nedan)")
BAD_STATUS = "Välj Ej påbörjat, Pågår, Genomfört eller Skjuts till …"

NAMES = ("title", "start", "end", "responsible", "status", "postponed_to", "comment")


def activities_url(project_key: str, activity_id: int | None = None) -> str:
    """The aktivitetsplan page (or one activity's page) of a project."""
    url = f"/projects/{quote(project_key, safe='')}/activities"
    return url if activity_id is None else f"{url}/{activity_id}"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    *,
    activity_id: int | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = work_view(ctx, project_key, page.principal.email)
    activity = view.activity(activity_id) if activity_id is not None else None
    statuses = [
        (
            status.value,
            page.gettext(
                POSTPONED_CHOICE
                if status is ActivityStatus.POSTPONED
                else ACTIVITY_LABELS[status.value]
            ),
        )
        for status in ActivityStatus
    ]
    common: dict[str, Any] = {
        "view": view,
        "project": view.project,
        "today": view.today,
        "problem": problem or FormProblem(),
        "statuses": statuses,
        "owners": owner_choices(page, view.member_names, activity.responsible if activity else ""),
    }
    if activity is None:
        return page.render("activities.html", status_code=status_code, **common)
    return page.render("activity.html", status_code=status_code, activity=activity, **common)


def _status(value: str) -> ActivityStatus:
    try:
        return ActivityStatus(value)
    except ValueError:
        raise ValidationFailed(BAD_STATUS, field="status") from None


def _refused(
    page: Page,
    ctx: Context,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    values: dict[str, str],
    activity_id: int | None = None,
) -> HTMLResponse:
    problem = refusal(
        error,
        form=form,
        fields=form_fields(form, NAMES),
        values=values,
        stale_message=page.gettext(STALE_ACTIVITY),
    )
    return _render(
        page,
        ctx,
        project_key,
        activity_id=activity_id,
        problem=problem,
        status_code=refusal_status(error),
    )


@router.get("/projects/{project_key}/activities", response_class=HTMLResponse)
def activities_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key)


@router.get("/projects/{project_key}/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, activity_id: RowId
) -> Response:
    return _render(page, ctx, access.project_key, activity_id=activity_id)


@dataclass(frozen=True)
class _Posted:
    """An activity form's fields, read: the dates parsed, the status known."""

    start: date | None
    end: date | None
    status: ActivityStatus
    postponed_to: date | None  # only with status postponed: the field is ignored otherwise


def _read(values: dict[str, str]) -> _Posted:
    status = _status(values["status"])
    postponed_to = form_date(
        values["postponed_to"], field="postponed_to", label="datumet det skjuts till"
    )
    return _Posted(
        start=form_date(values["start"], field="start", label="start"),
        end=form_date(values["end"], field="end", label="slut"),
        status=status,
        postponed_to=postponed_to if status is ActivityStatus.POSTPONED else None,
    )


@router.post("/projects/{project_key}/activities", response_class=HTMLResponse)
def add_activity(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    values = form_values(form, NAMES)
    try:
        posted = _read(values)
        activity = activities.add_activity(
            ctx,
            access.actor,
            project_key=access.project_key,
            title=values["title"],
            start=posted.start,
            end=posted.end,
            responsible=values["responsible"],
            status=posted.status,
            comment=values["comment"],
            postponed_to=posted.postponed_to,
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(page, ctx, access.project_key, error, form="add-activity", values=values)
    page.flash(page.gettext(ACTIVITY_ADDED, title=activity.title), kind="success")
    return page.redirect(activities_url(access.project_key) + f"#activity-{activity.id}")


@router.post("/projects/{project_key}/activities/{activity_id}", response_class=HTMLResponse)
def edit_activity(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, activity_id: RowId
) -> Response:
    values = form_values(form, NAMES)
    try:
        posted = _read(values)
        activity = activities.update_activity(
            ctx,
            access.actor,
            project_key=access.project_key,
            activity_id=activity_id,
            title=values["title"],
            start=posted.start,
            end=posted.end,
            responsible=values["responsible"],
            status=posted.status,
            comment=values["comment"],
            postponed_to=posted.postponed_to,
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
            form="edit-activity",
            values=values,
            activity_id=activity_id,
        )
    page.flash(page.gettext(ACTIVITY_SAVED, title=activity.title), kind="success")
    return page.redirect(activities_url(access.project_key) + f"#activity-{activity.id}")
