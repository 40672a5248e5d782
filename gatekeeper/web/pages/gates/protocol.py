"""The printable beslutsprotokoll of a gate decision (HTML).

Readable from a web session or with an API token (tools fetch it to file it).
The projektledare (or an administrator) signed in on the web also sees a small
form to register the decision's diarienummer (`decision_reference`).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from gatekeeper.services.context import Context
from gatekeeper.services.gates import register as decision_register
from gatekeeper.web.auth import ProjectAccess
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem
from gatekeeper.web.sessions import WebOrTokenProjectReader

router = APIRouter(tags=["pages"], include_in_schema=False)


def render_protocol(
    page: Page,
    ctx: Context,
    access: ProjectAccess,
    decision_id: int,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The protocol page (with a refused diarienummer form's problem, if any)."""
    principal = access.principal
    on_the_web = principal.token_id is None and principal.can_write
    entry = decision_register.protocol(
        ctx, access.project_key, decision_id, viewer=principal.email if on_the_web else None
    )
    return page.render(
        "protocol.html",
        status_code=status_code,
        entry=entry,
        project=entry.project,
        decision=entry.decision,
        gate=entry.workflow.gate(entry.decision.gate_id),
        record=entry.decision.record,
        conditions=entry.conditions,
        problem=problem or FormProblem(),
    )


@router.get("/projects/{project_key}/decisions/{decision_id}/protocol", response_class=HTMLResponse)
def protocol_page(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, decision_id: int
) -> HTMLResponse:
    return render_protocol(page, ctx, access, decision_id)
