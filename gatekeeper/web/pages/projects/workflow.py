"""The workflow page (`GET /workflows/{id}`): the phase model as a picture and in words.

The picture is an inline SVG drawn from the loaded definition
(`gatekeeper.web.pages.projects.diagram`); below it every gate with its criteria in words, its
approval policy and its checklists, so that the page says everything the
picture shows. `?version=N` shows an older version (a project running on it
links there); without it, the latest. Any signed-in person may read it:
definitions are not project data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from gatekeeper.core.checklist import ChecklistTemplate
from gatekeeper.core.criteria.base import Criterion
from gatekeeper.core.phase_model import ApprovalPolicy, Gate, Workflow
from gatekeeper.web.bounds import Version
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.labels import CRITERION, QUORUM
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.projects.diagram import describe, workflow_svg
from gatekeeper.web.sessions import WebPrincipal

router = APIRouter(tags=["pages"], include_in_schema=False)


@dataclass(frozen=True)
class GateText:
    """One gate of the model in words."""

    gate: Gate
    criteria: tuple[str, ...]
    policy: tuple[str, ...]
    checklists: tuple[ChecklistTemplate, ...]


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"


def criterion_words(criterion: Criterion, page: Page) -> str:
    """What a criterion demands, as a sentence in the page's language."""
    kind = str(getattr(criterion, "kind", ""))
    if kind == "mandatory_items_done":
        return page.gettext(N_("Alla obligatoriska punkter är klara (eller ej aktuella)."))
    if kind == "completion_share":
        share = float(getattr(criterion, "min_share", 0.0))
        return page.gettext(N_("Minst %(percent)s av punkterna är klara."), percent=_percent(share))
    if kind == "max_open_risk_score":
        score = getattr(criterion, "max_score", "")
        return page.gettext(
            N_("Ingen öppen risk har högre riskvärde än %(score)s."), score=str(score)
        )
    if kind == "decisions_taken":
        names = ", ".join(getattr(criterion, "decisions", ()))
        return page.gettext(N_("Besluten %(decisions)s är fattade."), decisions=names)
    return page.gettext(CRITERION.get(kind, kind))


def policy_words(policy: ApprovalPolicy, roles: dict[str, str], page: Page) -> tuple[str, ...]:
    """The approval policy as sentences."""
    quorum = page.gettext(QUORUM[policy.quorum]) if policy.quorum in QUORUM else policy.quorum
    lines = [
        page.gettext(
            N_("Beslutas av rollen %(role)s genom röstning, beslutförhet: %(quorum)s."),
            role=roles.get(policy.deciders, policy.deciders),
            quorum=quorum,
        )
    ]
    if policy.required_roles:
        lines.append(
            page.gettext(
                N_("Ska finnas bland de godkännande: %(roles)s."),
                roles=", ".join(roles.get(r, r) for r in policy.required_roles),
            )
        )
    lines.append(
        page.gettext(N_("Den som begär granskningen får också rösta."))
        if policy.requester_may_approve
        else page.gettext(N_("Den som begär granskningen får inte rösta (åtskilda roller)."))
    )
    if policy.vote_valid_days is not None:
        lines.append(
            page.gettext(N_("En röst gäller i %(days)s dagar."), days=str(policy.vote_valid_days))
        )
    lines.append(
        page.gettext(N_("Ersättare får rösta i ordinarie ledamots ställe."))
        if policy.substitutes
        else page.gettext(N_("Ersättare får inte rösta."))
    )
    return tuple(lines)


def _gates(
    workflow: Workflow, checklists: dict[str, ChecklistTemplate], page: Page
) -> list[GateText]:
    roles = {role.id: role.name for role in workflow.roles}
    return [
        GateText(
            gate=gate,
            criteria=tuple(criterion_words(c, page) for c in gate.criteria),
            policy=policy_words(gate.approval, roles, page) if gate.approval else (),
            checklists=tuple(checklists[c] for c in gate.checklists if c in checklists),
        )
        for gate in workflow.gates
    ]


@router.get("/workflows/{workflow_id}", response_class=HTMLResponse)
def workflow_page(
    page: PageDep,
    ctx: ContextDep,
    principal: WebPrincipal,
    workflow_id: str,
    version: Annotated[Version | None, Query(ge=1)] = None,
) -> HTMLResponse:
    workflow = ctx.catalog.workflow(workflow_id, version)  # NotFound: the 404 page
    templates = {c.id: c for c in ctx.catalog.checklists(latest_only=True)}
    title = page.gettext(N_("Fasmodellen %(name)s"), name=workflow.name)
    svg = workflow_svg(
        workflow,
        title=title,
        description=page.gettext(N_("Faser och grindar: %(gates)s."), gates=describe(workflow)),
    )
    return page.render(
        "workflow.html",
        workflow=workflow,
        svg=svg,
        gates=_gates(workflow, templates, page),
        roles={role.id: role.name for role in workflow.roles},
    )
