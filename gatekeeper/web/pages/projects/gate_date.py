"""The "Flytta datum" page: move a gate's date after seeing what moves with it.

`GET /projects/{key}/gates/{gate}/datum` shows the form (a date, and whether
the later gates move along); submitted, it comes back to the same address with
`?date=…&shift_later=on` and shows the preview (`services.gates.date_preview`):
the gates that move (old → new), the deadlines that follow them and how many
reminders are re-planned, with a button to confirm. No JavaScript is needed:
the first submit previews, the second (`POST`, with CSRF and the preview's
`dates_version`) moves. A move that would put a phase's end before its start
is refused on the preview, naming the gates; a confirmation of a stale
preview answers 412 with the preview as it is now. Only the projektledare (and
administrators) see the page; others get 403.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import DatesOutOfOrder, StaleVersion, ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.gates import date_preview as date_previews
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.web.bounds import iso_day
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter
from gatekeeper.web.templating import datum

router = APIRouter(tags=["pages"], include_in_schema=False)

BAD_DATE = N_("Ange det nya måldatumet som ÅÅÅÅ-MM-DD, till exempel 2027-02-01.")
STALE_DATES = N_(
    "Grindarnas datum har ändrats av någon annan sedan förhandsvisningen. Ingenting har "
    "flyttats: se förhandsvisningen som den ser ut nu och bekräfta igen."
)
MOVED = N_("Måldatumet för %(gate)s är flyttat till %(date)s.")
MOVED_MANY = N_(
    "Måldatumet för %(gate)s är flyttat till %(date)s; %(num)d senare grindar följde med."
)


def move_url(project_key: str, gate_id: str) -> str:
    """The "Flytta datum" page of a gate."""
    return f"/projects/{quote(project_key, safe='')}/gates/{quote(gate_id, safe='')}/datum"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    gate_id: str,
    *,
    target_date: date | None,
    shift_later: bool,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    actor = page.principal.actor()
    try:
        form = date_previews.move_form(
            ctx, actor, project_key, gate_id, target_date=target_date, shift_later=shift_later
        )
    except (DatesOutOfOrder, ValidationFailed) as error:
        form = date_previews.move_form(ctx, actor, project_key, gate_id)
        problem = FormProblem([(error.message, "new-date")], problem.values if problem else {})
        status_code = refusal_status(error)
        refused_gates = error.gates if isinstance(error, DatesOutOfOrder) else ()
        return page.render(
            "date_move.html",
            status_code=status_code,
            form=form,
            problem=problem,
            chosen=target_date,
            shift_later=shift_later,
            refused_gates=refused_gates,
        )
    return page.render(
        "date_move.html",
        status_code=status_code,
        form=form,
        problem=problem or FormProblem(),
        chosen=target_date,
        shift_later=shift_later,
        refused_gates=(),
    )


@router.get("/projects/{project_key}/gates/{gate_id}/datum", response_class=HTMLResponse)
def date_move_page(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectReader,
    gate_id: str,
    date: str | None = None,
    shift_later: str | None = None,
) -> Response:
    later = shift_later == "on"
    if date is None or not date.strip():
        return _render(page, ctx, access.project_key, gate_id, target_date=None, shift_later=later)
    try:
        chosen = _parse(date)
    except ValueError:
        problem = FormProblem([(page.gettext(BAD_DATE), "new-date")], {"date": date})
        return _render(
            page,
            ctx,
            access.project_key,
            gate_id,
            target_date=None,
            shift_later=later,
            problem=problem,
            status_code=422,
        )
    return _render(page, ctx, access.project_key, gate_id, target_date=chosen, shift_later=later)


@router.post("/projects/{project_key}/gates/{gate_id}/datum", response_class=HTMLResponse)
def move_date(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, gate_id: str
) -> Response:
    later = form_text(form, "shift_later") == "on"
    try:
        chosen = _parse(form_text(form, "date", strip=True))
    except ValueError:
        problem = FormProblem([(page.gettext(BAD_DATE), "new-date")], {})
        return _render(
            page,
            ctx,
            access.project_key,
            gate_id,
            target_date=None,
            shift_later=later,
            problem=problem,
            status_code=422,
        )
    version = form_text(form, "dates_version")
    try:
        plan = gate_dates.set_gate_target(
            ctx,
            access.actor,
            project_key=access.project_key,
            gate_id=gate_id,
            target_date=chosen,
            shift_later=later,
            expected_version=int(version) if version.isdigit() else None,
        )
    except StaleVersion as error:
        problem = FormProblem([(page.gettext(STALE_DATES), "confirm")], {})
        return _render(
            page,
            ctx,
            access.project_key,
            gate_id,
            target_date=chosen,
            shift_later=later,
            problem=problem,
            status_code=refusal_status(error),
        )
    except (DatesOutOfOrder, ValidationFailed):
        return _render(
            page, ctx, access.project_key, gate_id, target_date=chosen, shift_later=later
        )
    moved = [gate for gate, old, new in plan.moves if old != new]
    name = date_previews.move_form(ctx, access.actor, access.project_key, gate_id).gate_name
    day = datum(chosen, page.lang)
    if len(moved) > 1:
        page.flash(
            page.gettext(MOVED_MANY, gate=name, date=day, num=len(moved) - 1), kind="success"
        )
    else:
        page.flash(page.gettext(MOVED, gate=name, date=day), kind="success")
    return page.redirect(f"/projects/{quote(access.project_key, safe='')}#timeline-heading")


def _parse(text: str) -> date:
    return iso_day(text)
