"""The printable beslutsprotokoll of a gate decision (HTML).

Readable from a web session or with an API token (tools fetch it to file it).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from gatekeeper.services.gates import register as decision_register
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.page import PageDep
from gatekeeper.web.sessions import WebOrTokenProjectReader

router = APIRouter(tags=["pages"], include_in_schema=False)


@router.get("/projects/{project_key}/decisions/{decision_id}/protocol", response_class=HTMLResponse)
def protocol_page(
    page: PageDep, ctx: ContextDep, access: WebOrTokenProjectReader, decision_id: int
) -> HTMLResponse:
    entry = decision_register.protocol(ctx, access.project_key, decision_id)
    return page.render(
        "protocol.html",
        entry=entry,
        project=entry.project,
        decision=entry.decision,
        gate=entry.workflow.gate(entry.decision.gate_id),
        record=entry.decision.record,
        conditions=entry.conditions,
    )
