"""The kommunikationsplan page of a project: its rows in date order, and the forms.

`GET /projects/{key}/communications` lists the rows (målgrupp, syfte/budskap,
kanal, tidpunkt, ansvarig, status, kommentar) and, for the projektledare or
an administrator, a form to add one; `GET /projects/{key}/communications/{id}`
shows one row with its edit form. `…/communications.{csv|xlsx}` downloads
the plan. Each form posts to its page's address and calls one use case
(`services.followup.communication`); a refusal shows the page again with the
field marked and nothing saved, a stale edit answers 412 with the row as it
is now, and anyone but the projektledare or an administrator is refused 403.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.core.followup.register import COMMUNICATION_STATUS_SV, CommunicationStatus
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.followup import communication as communications
from gatekeeper.services.followup.register_view import register_view
from gatekeeper.web.api.followup.register import Format, register_file
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, refusal_status
from gatekeeper.web.pages.projects.work_form import (
    form_date,
    form_fields,
    form_values,
    form_version,
    refusal,
)
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

ADDED = N_("Raden är tillagd i kommunikationsplanen: %(audience)s")
SAVED = N_("Raden i kommunikationsplanen är sparad: %(audience)s")
STALE = N_(
    "Raden har ändrats av någon annan sedan du öppnade sidan. Ingenting har sparats: "
    "se hur den ser ut nu och gör din ändring igen."
)
BAD_STATUS = "Välj Planerad, Genomförd eller Inställd."
STATUS_WORDS = {
    CommunicationStatus.PLANNED: N_("Planerad"),
    CommunicationStatus.DONE: N_("Genomförd"),
    CommunicationStatus.CANCELLED: N_("Inställd"),
}
assert set(STATUS_WORDS) == set(COMMUNICATION_STATUS_SV)

NAMES = ("audience", "message", "channel", "planned_on", "responsible", "status", "comment")


def communications_url(project_key: str, row_id: int | None = None) -> str:
    """The kommunikationsplan page (or one row's page) of a project."""
    url = f"/projects/{quote(project_key, safe='')}/communications"
    return url if row_id is None else f"{url}/{row_id}"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    *,
    row_id: int | None = None,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = register_view(ctx, project_key, page.principal.email)
    common: dict[str, Any] = {
        "view": view,
        "project": view.project,
        "today": view.today,
        "problem": problem or FormProblem(),
        "status_words": STATUS_WORDS,
        "statuses": [(s.value, page.gettext(STATUS_WORDS[s])) for s in CommunicationStatus],
    }
    if row_id is None:
        return page.render("communications.html", status_code=status_code, **common)
    row = view.communication(row_id)
    return page.render("communication.html", status_code=status_code, row=row, **common)


def _refused(
    page: Page,
    ctx: Context,
    project_key: str,
    error: GatekeeperError,
    *,
    form: str,
    values: dict[str, str],
    row_id: int | None = None,
) -> HTMLResponse:
    problem = refusal(
        error,
        form=form,
        fields=form_fields(form, NAMES),
        values=values,
        stale_message=page.gettext(STALE),
    )
    return _render(
        page, ctx, project_key, row_id=row_id, problem=problem, status_code=refusal_status(error)
    )


def _status(value: str) -> CommunicationStatus:
    try:
        return CommunicationStatus(value)
    except ValueError:
        raise ValidationFailed(BAD_STATUS, field="status") from None


@router.get("/projects/{project_key}/communications", response_class=HTMLResponse)
def communications_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _render(page, ctx, access.project_key)


@router.get("/projects/{project_key}/communications.{fmt}")
def communications_file(ctx: ContextDep, access: WebProjectReader, fmt: Format) -> Response:
    return register_file(ctx, access.project_key, "communications", fmt)


@router.get("/projects/{project_key}/communications/{row_id}", response_class=HTMLResponse)
def communication_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, row_id: RowId
) -> Response:
    return _render(page, ctx, access.project_key, row_id=row_id)


@router.post("/projects/{project_key}/communications", response_class=HTMLResponse)
def add_communication(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    values = form_values(form, NAMES)
    try:
        row = communications.add_communication(
            ctx,
            access.actor,
            project_key=access.project_key,
            audience=values["audience"],
            message=values["message"],
            channel=values["channel"],
            planned_on=form_date(values["planned_on"], field="planned_on", label="tidpunkten"),
            responsible=values["responsible"],
            status=_status(values["status"] or CommunicationStatus.PLANNED.value),
            comment=values["comment"],
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return _refused(
            page, ctx, access.project_key, error, form="add-communication", values=values
        )
    page.flash(page.gettext(ADDED, audience=row.audience), kind="success")
    return page.redirect(communications_url(access.project_key) + f"#communication-{row.id}")


@router.post("/projects/{project_key}/communications/{row_id}", response_class=HTMLResponse)
def edit_communication(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, row_id: RowId
) -> Response:
    values = form_values(form, NAMES)
    try:
        row = communications.update_communication(
            ctx,
            access.actor,
            project_key=access.project_key,
            row_id=row_id,
            audience=values["audience"],
            message=values["message"],
            channel=values["channel"],
            planned_on=form_date(values["planned_on"], field="planned_on", label="tidpunkten"),
            responsible=values["responsible"],
            status=_status(values["status"]),
            comment=values["comment"],
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
            form="edit-communication",
            values=values,
            row_id=row_id,
        )
    page.flash(page.gettext(SAVED, audience=row.audience), kind="success")
    return page.redirect(communications_url(access.project_key) + f"#communication-{row.id}")
