"""The printable beslutsprotokoll of a gate decision (HTML)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from gatekeeper.core.criteria import CRITERION_KINDS
from gatekeeper.core.decision import OUTCOME_SV
from gatekeeper.core.gate import OPEN_CONDITIONS
from gatekeeper.services import decision_register
from gatekeeper.store.review_tables import ConditionStatus
from gatekeeper.web.auth import ProjectReader
from gatekeeper.web.deps import ContextDep

router = APIRouter(tags=["pages"], include_in_schema=False)

CRITERION_SV = {kind: cls.title_sv for kind, cls in CRITERION_KINDS.items()}
CRITERION_SV[OPEN_CONDITIONS] = "Villkor från tidigare beslut"
QUORUM_SV = {"all": "alla", "majority": "majoritet", "any": "någon"}

CONDITION_SV = {
    ConditionStatus.OPEN.value: "Öppet",
    ConditionStatus.CLOSED.value: "Uppfyllt",
    ConditionStatus.WAIVED.value: "Efterskänkt",
}


@router.get("/projects/{project_key}/decisions/{decision_id}/protocol", response_class=HTMLResponse)
def protocol_page(
    request: Request, ctx: ContextDep, access: ProjectReader, decision_id: int
) -> HTMLResponse:
    entry = decision_register.protocol(ctx, access.project_key, decision_id)
    template = request.app.state.templates.get_template("protocol.html")
    html = template.render(
        entry=entry,
        project=entry.project,
        decision=entry.decision,
        gate=entry.workflow.gate(entry.decision.gate_id),
        record=entry.decision.record,
        conditions=entry.conditions,
        outcome_sv={outcome.value: label for outcome, label in OUTCOME_SV.items()},
        condition_sv=CONDITION_SV,
        criterion_sv=CRITERION_SV,
        quorum_sv=QUORUM_SV,
    )
    return HTMLResponse(html)
