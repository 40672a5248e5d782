"""The meetings pages of a project: the list with a form to draft one, and a meeting's own
page where the projektledare edits the agenda and who comes, and sends the kallelse.

`GET /projects/{key}/meetings` lists the meetings (latest first) and, for the
projektledare or an administrator, the form to draft one (kind, date, time,
place; the people and the agenda are drafted by gatekeeper). `GET
…/meetings/{id}` shows the meeting: people, agenda with underlag, and the
forms the viewer may use (agenda and people while drafted, Skicka kallelse;
the protocol and justering are `pages/meetings/protocol`'s). Every form posts
to one use case; a refusal shows the page again with the field linked and
nothing saved. Works without JavaScript.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from gatekeeper.channels.meeting_mail import MeetingLetterBox
from gatekeeper.core.meetings.meeting import MEETING_KIND_SV, MeetingKind, Participant
from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.meetings import meeting as meetings
from gatekeeper.services.meetings import sending
from gatekeeper.services.meetings.meeting_view import MeetingView, meeting_view, meetings_view
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep, PostboxDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.pages.projects.work_form import form_date, form_version
from gatekeeper.web.sessions import WebProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

MEETING_DRAFTED = N_("Mötet är skapat med en dagordning utifrån vad som är aktuellt.")
AGENDA_SAVED = N_("Dagordningen är sparad.")
PEOPLE_SAVED = N_("Deltagarna är sparade.")
KALLELSE_SENT = N_("Kallelsen är skickad: %(delivered)d av %(recipients)d e-brev gick iväg.")
BAD_TIME = "Ange tiden som TT:MM, t.ex. 13:00."


def meetings_url(project_key: str, meeting_id: int | None = None) -> str:
    url = f"/projects/{quote(project_key, safe='')}/meetings"
    return url if meeting_id is None else f"{url}/{meeting_id}"


def render_meeting(
    page: Page,
    ctx: Context,
    project_key: str,
    meeting_id: int,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The meeting's page as the signed-in person sees it (with a refused form's problem)."""
    assert page.principal is not None
    view = meeting_view(ctx, page.principal, project_key, meeting_id)
    return page.render(
        "meeting.html",
        status_code=status_code,
        view=view,
        project=view.project,
        meeting=view.meeting,
        problem=problem or FormProblem(),
    )


def _list(
    page: Page,
    ctx: Context,
    project_key: str,
    problem: FormProblem | None = None,
    status: int = 200,
) -> HTMLResponse:
    assert page.principal is not None
    view = meetings_view(ctx, page.principal, project_key)
    return page.render(
        "meetings.html",
        status_code=status,
        view=view,
        project=view.project,
        kinds=[(k.value, MEETING_KIND_SV[k]) for k in MeetingKind],
        problem=problem or FormProblem(),
    )


def _time(value: str) -> time:
    try:
        hours, minutes = (int(part) for part in value.split(":"))
        return time(hours, minutes)
    except ValueError:
        raise ValidationFailed(BAD_TIME, field="time") from None


@router.get("/projects/{project_key}/meetings", response_class=HTMLResponse)
def meetings_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> Response:
    return _list(page, ctx, access.project_key)


@router.post("/projects/{project_key}/meetings", response_class=HTMLResponse)
def draft_meeting(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard
) -> Response:
    values = {name: form_text(form, name, strip=True) for name in ("kind", "day", "time", "place")}
    try:
        day = form_date(values["day"], field="day", label="datumet")
        if day is None:
            raise ValidationFailed("Ange mötets datum.", field="day")
        try:
            kind = MeetingKind(values["kind"] or MeetingKind.STEERING.value)
        except ValueError:
            raise ValidationFailed(
                "Välj styrgruppsmöte eller avslutningsmöte.", field="kind"
            ) from None
        meeting = meetings.create_meeting(
            ctx,
            access.actor,
            project_key=access.project_key,
            kind=kind,
            starts_at=datetime.combine(day, _time(values["time"] or "13:00"), tzinfo=LOCAL_ZONE),
            place=values["place"],
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        target = f"new-meeting-{getattr(error, 'field', None) or 'day'}"
        problem = FormProblem([(error.message, target)], values, "new-meeting")
        return _list(page, ctx, access.project_key, problem, refusal_status(error))
    page.flash(page.gettext(MEETING_DRAFTED), kind="success")
    return page.redirect(meetings_url(access.project_key, meeting.id))


@router.get("/projects/{project_key}/meetings/{meeting_id}", response_class=HTMLResponse)
def meeting_page(
    page: PageDep, ctx: ContextDep, access: WebProjectReader, meeting_id: RowId
) -> Response:
    return render_meeting(page, ctx, access.project_key, meeting_id)


def _edited_agenda(form: FormData, view: MeetingView) -> list[dict[str, Any]]:
    """The agenda as the form left it: points removed, re-titled, re-ordered, one added."""
    kept: list[tuple[float, int, dict[str, Any]]] = []
    for index, point in enumerate(view.meeting.agenda):
        pid = str(point["id"])
        if form_text(form, f"remove-{pid}"):
            continue
        order = form_text(form, f"order-{pid}", strip=True)
        try:
            position = float(order) if order else float(index + 1)
        except ValueError:
            raise ValidationFailed(
                f"Ange punktens plats som ett tal, t.ex. {index + 1}.", field=f"order-{pid}"
            ) from None
        title = form_text(form, f"title-{pid}", strip=True) or str(point["title"])
        kept.append((position, index, {**point, "title": title}))
    agenda = [point for _, _, point in sorted(kept, key=lambda k: (k[0], k[1]))]
    new_title = form_text(form, "new-title", strip=True)
    if new_title:
        extra = {
            "kind": "free",
            "title": new_title,
            "text": form_text(form, "new-text", strip=True),
        }
        new_order = form_text(form, "new-order", strip=True)
        at = int(new_order) - 1 if new_order.isdigit() and int(new_order) > 0 else len(agenda)
        agenda.insert(min(at, len(agenda)), extra)
    return agenda


@router.post("/projects/{project_key}/meetings/{meeting_id}/agenda", response_class=HTMLResponse)
def save_agenda(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, meeting_id: RowId
) -> Response:
    assert page.principal is not None
    try:
        view = meeting_view(ctx, page.principal, access.project_key, meeting_id)
        meetings.update_meeting(
            ctx,
            access.actor,
            project_key=access.project_key,
            meeting_id=meeting_id,
            agenda=_edited_agenda(form, view),
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        field = getattr(error, "field", None) or "agenda"
        target = field if field.startswith("order-") else "agenda-form"
        return render_meeting(
            page,
            ctx,
            access.project_key,
            meeting_id,
            problem=FormProblem([(error.message, target)], {}, "agenda"),
            status_code=refusal_status(error),
        )
    page.flash(page.gettext(AGENDA_SAVED), kind="success")
    return page.redirect(meetings_url(access.project_key, meeting_id) + "#agenda-heading")


def _people(form: FormData, view: MeetingView) -> list[Participant]:
    chosen = set(form.getlist("participant"))
    chair = form_text(form, "chair")
    secretary = form_text(form, "secretary")
    justerare = {form_text(form, "justerare1"), form_text(form, "justerare2")} - {""}
    people = [
        Participant(
            name=m.name,
            email=m.email,
            role=m.role,
            chair=m.email == chair,
            secretary=m.email == secretary,
            justerare=m.email in justerare,
        )
        for m in view.members
        if m.email in chosen or m.email in justerare or m.email in (chair, secretary)
    ]
    for line in form_text(form, "guests").splitlines():
        name, _, role = line.partition(",")
        if name.strip():
            people.append(Participant(name=name.strip(), role=role.strip()))
    return people


@router.post("/projects/{project_key}/meetings/{meeting_id}/people", response_class=HTMLResponse)
def save_people(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, meeting_id: RowId
) -> Response:
    assert page.principal is not None
    try:
        view = meeting_view(ctx, page.principal, access.project_key, meeting_id)
        meetings.update_meeting(
            ctx,
            access.actor,
            project_key=access.project_key,
            meeting_id=meeting_id,
            participants=_people(form, view),
            place=form_text(form, "place", strip=True),
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        field = getattr(error, "field", None) or "participants"
        target = {"justerare": "people-justerare1", "chair": "people-chair"}.get(
            field, "people-participants"
        )
        return render_meeting(
            page,
            ctx,
            access.project_key,
            meeting_id,
            problem=FormProblem([(error.message, target)], {}, "people"),
            status_code=refusal_status(error),
        )
    page.flash(page.gettext(PEOPLE_SAVED), kind="success")
    return page.redirect(meetings_url(access.project_key, meeting_id) + "#people-heading")


@router.post("/projects/{project_key}/meetings/{meeting_id}/send", response_class=HTMLResponse)
def send_kallelse(
    page: PageDep,
    ctx: ContextDep,
    access: WebProjectWriter,
    postbox: PostboxDep,
    form: FormGuard,
    meeting_id: RowId,
) -> Response:
    letters = postbox.letters if isinstance(postbox.letters, MeetingLetterBox) else None
    try:
        sent = sending.send_kallelse(
            ctx,
            access.actor,
            project_key=access.project_key,
            meeting_id=meeting_id,
            expected_version=form_version(form),
            letters=letters,
            base_url=postbox.base_url,
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return render_meeting(
            page,
            ctx,
            access.project_key,
            meeting_id,
            problem=FormProblem([(error.message, "send-button")], {}, "send"),
            status_code=refusal_status(error),
        )
    page.flash(
        page.gettext(KALLELSE_SENT, delivered=sent.delivered, recipients=sent.recipients),
        kind="success",
    )
    return page.redirect(meetings_url(access.project_key, meeting_id))
