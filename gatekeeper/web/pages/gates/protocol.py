"""The printable beslutsprotokoll of a gate decision (HTML), with the late-vote and
reservation forms for the seat holders who may still use them.

Readable from a web session or with an API token (tools fetch it to file it).
`POST …/decisions/{id}/late-vote` records a seat's vote after the decision;
`POST …/decisions/{id}/reservation` enters a reservation mot beslutet. A
refusal shows the protocol again with the reason linked to its field. The
projektledare (or an administrator) also sees a small form to register the
decision's diarienummer (`decision_reference`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from gatekeeper.errors import GatekeeperError, NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.gates import late_vote as late_votes
from gatekeeper.services.gates import protocol as protocols
from gatekeeper.web.bounds import RowId
from gatekeeper.web.csrf import FormGuard
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem, form_text, refusal_status
from gatekeeper.web.pdf import pdf_response
from gatekeeper.web.sessions import WebOrTokenProjectReader, WebProjectWriter

if TYPE_CHECKING:
    from gatekeeper.web.auth import ProjectAccess

router = APIRouter(tags=["pages"], include_in_schema=False)

LATE_VOTE_SAVED = N_("Din sena röst är registrerad. Den ändrar inte beslutet.")
RESERVATION_SAVED = N_("Din reservation mot beslutet är registrerad.")
_PROTOCOL = "/projects/{project_key}/decisions/{decision_id}/protocol"


def _render(
    page: Page,
    ctx: Context,
    project_key: str,
    decision_id: int,
    viewer: str,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = protocols.protocol_view(ctx, project_key, decision_id, viewer)
    entry = view.entry
    return page.render(
        "protocol.html",
        status_code=status_code,
        view=view,
        entry=entry,
        project=entry.project,
        decision=entry.decision,
        gate=entry.workflow.gate(entry.decision.gate_id),
        record=entry.decision.record,
        conditions=entry.conditions,
        applies=protocols.criterion_applies,
        problem=problem or FormProblem(),
    )


def render_protocol(
    page: Page,
    ctx: Context,
    access: ProjectAccess,
    decision_id: int,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The protocol page as the person of `access` sees it (with a refused form's problem)."""
    return _render(
        page, ctx, access.project_key, decision_id, access.principal.email, problem, status_code
    )


@router.get(_PROTOCOL, response_class=HTMLResponse)
def protocol_page(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, decision_id: RowId
) -> HTMLResponse:
    return _render(page, ctx, access.project_key, decision_id, access.principal.email)


@router.post(
    "/projects/{project_key}/decisions/{decision_id}/late-vote", response_class=HTMLResponse
)
def late_vote(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, decision_id: RowId
) -> Response:
    view = protocols.protocol_view(ctx, access.project_key, decision_id, access.principal.email)
    seat = form_text(form, "seat")
    values = {
        "outcome": form_text(form, "outcome"),
        "motivation": form_text(form, "motivation"),
        "seat": seat,
    }
    try:
        late_votes.cast_late_vote(
            ctx,
            access.actor,
            project_key=access.project_key,
            review_id=view.entry.decision.review_id,
            outcome=values["outcome"],
            motivation=values["motivation"],
            on_behalf_of=seat if seat and seat != access.principal.email else None,
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        fields = {"outcome": "late-outcome", "motivation": "late-motivation"}
        target = fields.get(getattr(error, "field", None) or "", "late-vote")
        return _render(
            page,
            ctx,
            access.project_key,
            decision_id,
            access.principal.email,
            FormProblem([(error.message, target)], values, "late-vote"),
            refusal_status(error),
        )
    page.flash(page.gettext(LATE_VOTE_SAVED), kind="success")
    return page.redirect(_PROTOCOL.format(project_key=access.project_key, decision_id=decision_id))


@router.post(
    "/projects/{project_key}/decisions/{decision_id}/reservation", response_class=HTMLResponse
)
def reservation(
    page: PageDep, ctx: ContextDep, access: WebProjectWriter, form: FormGuard, decision_id: RowId
) -> Response:
    values = {"text": form_text(form, "text")}
    try:
        late_votes.enter_reservation(
            ctx,
            access.actor,
            project_key=access.project_key,
            decision_id=decision_id,
            text=values["text"],
        )
    except GatekeeperError as error:
        if isinstance(error, NotFound):
            raise
        return _render(
            page,
            ctx,
            access.project_key,
            decision_id,
            access.principal.email,
            FormProblem([(error.message, "reservation-text")], values, "reservation"),
            refusal_status(error),
        )
    page.flash(page.gettext(RESERVATION_SAVED), kind="success")
    return page.redirect(_PROTOCOL.format(project_key=access.project_key, decision_id=decision_id))


@router.get(_PROTOCOL + ".pdf")
def protocol_pdf(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, decision_id: RowId
) -> Response:
    """The beslutsprotokoll as a PDF/A document, for the diarium."""
    html = _render(page, ctx, access.project_key, decision_id, access.principal.email)
    return pdf_response(
        html.body, filename=f"beslutsprotokoll-{access.project_key}-{decision_id}.pdf"
    )
