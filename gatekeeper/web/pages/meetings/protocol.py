"""A meeting's protocol on its page: the projektledare's protocol form, the justerare's
justering, and the printable kallelse (with its frozen underlag) and protocol, as HTML for
print and as PDF/A for the diarium.

`POST …/meetings/{id}/protocol` records närvarande (a checkbox per
participant), the ersättare who sat in and a note per agenda point;
`POST …/meetings/{id}/justering` is a signer's justering (a second one is
refused in words). `GET …/meetings/{id}/kallelse` and `…/protokoll` are the
printable documents, `.pdf` the same through `gatekeeper.web.pdf`.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError, NotFound, PermissionDenied
from gatekeeper.services.context import Context
from gatekeeper.services.meetings import protocol as protocols
from gatekeeper.services.meetings.meeting_view import meeting_view
from gatekeeper.web.auth import ProjectAccess
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.pages.meetings.meeting import meetings_url, render_meeting
from gatekeeper.web.pages.projects.work_form import form_version
from gatekeeper.web.pdf import pdf_response
from gatekeeper.web.sessions import WebOrTokenProjectReader, WebProjectWriter

router = APIRouter(tags=["pages"], include_in_schema=False)

PROTOCOL_SAVED = N_("Protokollet är sparat.")
JUSTERAT = N_("Du har justerat protokollet.")
_MEETING = "/projects/{project_key}/meetings/{meeting_id}"


@router.post(_MEETING + "/protocol", response_class=HTMLResponse)
def save_protocol(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, meeting_id: RowId
) -> Response:
    assert page.principal is not None
    view = meeting_view(ctx, page.principal, access.project_key, meeting_id)
    notes = {str(p["id"]): form_text(form, f"note-{p['id']}") for p in view.points}
    try:
        protocols.record_protocol(
            ctx,
            access.actor,
            project_key=access.project_key,
            meeting_id=meeting_id,
            present=[str(v) for v in form.getlist("present") if isinstance(v, str)],
            substitutes=[str(v) for v in form.getlist("substitute") if isinstance(v, str)],
            notes=notes,
            expected_version=form_version(form),
        )
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return render_meeting(
            page,
            ctx,
            access.project_key,
            meeting_id,
            problem=FormProblem([(error.message, "protocol-form")], {}, "protocol"),
            status_code=refusal_status(error),
        )
    page.flash(page.gettext(PROTOCOL_SAVED), kind="success")
    return page.redirect(meetings_url(access.project_key, meeting_id) + "#protocol-heading")


@router.post(_MEETING + "/justering", response_class=HTMLResponse)
def justera(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, meeting_id: RowId
) -> Response:
    try:
        protocols.justera(ctx, access.actor, project_key=access.project_key, meeting_id=meeting_id)
    except (PermissionDenied, NotFound):
        raise
    except GatekeeperError as error:
        return render_meeting(
            page,
            ctx,
            access.project_key,
            meeting_id,
            problem=FormProblem([(error.message, "justering-heading")], {}, "justering"),
            status_code=refusal_status(error),
        )
    page.flash(page.gettext(JUSTERAT), kind="success")
    return page.redirect(meetings_url(access.project_key, meeting_id) + "#justering-heading")


def _document(
    page: Page, ctx: Context, access: ProjectAccess, meeting_id: int, which: str
) -> HTMLResponse:
    view = meeting_view(ctx, access.principal, access.project_key, meeting_id)
    if which == "protokoll" and view.meeting.protocol is None:
        raise NotFound("Mötet har inget protokoll ännu.")
    return page.render(
        "meeting_print.html", view=view, project=view.project, meeting=view.meeting, which=which
    )


@router.get(_MEETING + "/kallelse", response_class=HTMLResponse)
def kallelse_page(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, meeting_id: RowId
) -> Response:
    return _document(page, ctx, access, meeting_id, "kallelse")


@router.get(_MEETING + "/protokoll", response_class=HTMLResponse)
def protocol_page(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, meeting_id: RowId
) -> Response:
    return _document(page, ctx, access, meeting_id, "protokoll")


@router.get(_MEETING + "/kallelse.pdf")
def kallelse_pdf(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, meeting_id: RowId
) -> Response:
    """The kallelse with its frozen underlag as a PDF/A document."""
    html = _document(page, ctx, access, meeting_id, "kallelse")
    return pdf_response(html.body, filename=f"kallelse-{access.project_key}-{meeting_id}.pdf")


@router.get(_MEETING + "/protokoll.pdf")
def protocol_pdf(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, meeting_id: RowId
) -> Response:
    """The meeting's protocol as a PDF/A document, for the diarium."""
    html = _document(page, ctx, access, meeting_id, "protokoll")
    return pdf_response(html.body, filename=f"protokoll-{access.project_key}-{meeting_id}.pdf")
