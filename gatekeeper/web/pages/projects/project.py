"""The project page (`GET /projects/{project_key}`): where a project stands, for every reader.

Header with status and current phase; the phase timeline planned against
actual as an inline SVG and as a table; members and roles; open conditions;
the risk matrix (probability × consequence) and the risk list; the
aktivitetsplan; the next gate(s) with their readiness; the decision register;
the named decisions with their diarienummer (a form for the projektledare); the
latest audit events. The other forms live on the gate, risk and activity pages.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from gatekeeper.core.events import EventName
from gatekeeper.core.risk import risk_band
from gatekeeper.services.context import Context
from gatekeeper.services.gates.project_view import project_view
from gatekeeper.web.auth import ProjectAccess
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import Page, PageDep
from gatekeeper.web.pages.forms import FormProblem
from gatekeeper.web.pages.projects.timeline import build_timeline, timeline_svg
from gatekeeper.web.sessions import WebProjectReader
from gatekeeper.web.templating import STOCKHOLM

router = APIRouter(tags=["pages"], include_in_schema=False)

# The words of the risk bands (told by word and cell pattern, not colour alone).
BAND_WORDS = {
    "low": N_("Låg"),
    "medium": N_("Måttlig"),
    "high": N_("Hög"),
    "very-high": N_("Mycket hög"),
}
PROBABILITY = {1: N_("Liten"), 2: N_("Möjlig"), 3: N_("Trolig"), 4: N_("Mycket trolig")}
CONSEQUENCE = {1: N_("Lindrig"), 2: N_("Måttlig"), 3: N_("Allvarlig"), 4: N_("Mycket allvarlig")}
EVENT = {
    EventName.PROJECT_CREATED.value: N_("Projektet startades"),
    EventName.PROJECT_UPDATED.value: N_("Projektuppgifter ändrades"),
    EventName.MEMBER_ADDED.value: N_("Medlem tillagd"),
    EventName.MEMBER_REMOVED.value: N_("Medlem borttagen"),
    EventName.GATE_TARGET_CHANGED.value: N_("Måldatum ändrat"),
    EventName.PHASE_CHANGED.value: N_("Ny fas"),
    EventName.CHECKLIST_ITEM_UPDATED.value: N_("Checklistepunkt ändrad"),
    EventName.RISK_CREATED.value: N_("Risk registrerad"),
    EventName.RISK_UPDATED.value: N_("Risk ändrad"),
    EventName.GOAL_CREATED.value: N_("Mål registrerat"),
    EventName.GOAL_UPDATED.value: N_("Mål ändrat"),
    EventName.MEASUREMENT_RECORDED.value: N_("Mätning registrerad"),
    EventName.MEASUREMENT_UPDATED.value: N_("Mätning rättad"),
    EventName.ACTIVITY_CREATED.value: N_("Aktivitet tillagd"),
    EventName.ACTIVITY_UPDATED.value: N_("Aktivitet ändrad"),
    EventName.DECISION_RECORDED.value: N_("Beslut registrerat"),
    EventName.NAMED_DECISION_REFERENCE_SET.value: N_("Diarienummer registrerat"),
    EventName.CHANGE_REFUSED.value: N_("Ändring nekad"),
    EventName.REVIEW_REQUESTED.value: N_("Granskning begärd"),
    EventName.REVIEW_WITHDRAWN.value: N_("Granskning återkallad"),
    EventName.REVIEW_SNAPSHOT_CHANGED.value: N_("Underlaget för granskningen ändrades"),
    EventName.CONFLICT_DECLARED.value: N_("Jäv anmält"),
    EventName.VOTE_CAST.value: N_("Röst lagd"),
    EventName.VOTE_REFUSED.value: N_("Röst nekad"),
    EventName.GATE_DECIDED.value: N_("Grind beslutad"),
    EventName.DECISION_LAPSED.value: N_("Beslut förfallet"),
    EventName.DECISION_REFERENCE_SET.value: N_("Diarienummer registrerat"),
    EventName.CONDITION_CLOSED.value: N_("Villkor uppfyllt"),
    EventName.CONDITION_WAIVED.value: N_("Villkor efterskänkt"),
    EventName.PROJECT_PAUSED.value: N_("Projektet pausades"),
    EventName.PROJECT_RESUMED.value: N_("Projektet återupptogs"),
    EventName.PROJECT_TERMINATED.value: N_("Projektet avbröts"),
    EventName.LAP_STARTED.value: N_("Ett nytt varv började"),
    EventName.WEBHOOK_SUBSCRIBED.value: N_("Webhook tillagd"),
    EventName.WEBHOOK_UNSUBSCRIBED.value: N_("Webhook borttagen"),
}


def band(score: int) -> tuple[str, str]:
    """The band of a risk value: (css name, Swedish word)."""
    name = risk_band(score)
    return name, BAND_WORDS[name]


@router.get("/projects/{project_key}", response_class=HTMLResponse)
def project_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> HTMLResponse:
    return render_project(page, ctx, access)


def render_project(
    page: Page,
    ctx: Context,
    access: ProjectAccess,
    *,
    problem: FormProblem | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The project page as the person of `access` sees it (with a refused form's problem)."""
    view = project_view(ctx, access.principal, access.project_key)
    project, workflow = view.project, view.workflow
    timeline = build_timeline(
        workflow,
        targets=view.gate_targets,
        history=[(change.at, change.gate_id, change.to_phase) for change in view.history],
        current_phase=project.phase,
        started_on=project.started_on,
        today=view.today,
        ended_on=project.updated_at.astimezone(STOCKHOLM).date() if view.settled else None,
    )
    names = view.names
    return page.render(
        "project.html",
        status_code=status_code,
        problem=problem or FormProblem(),
        named_decisions=view.named_decisions,
        may_lead=view.may_lead,
        closing=view.closing,
        cyclic=view.cyclic,
        laps=view.laps,
        gate_names={gate.id: gate.name for gate in workflow.gates},
        project=project,
        workflow=workflow,
        phase_name=view.phase_name,
        pending=view.pending,
        today=view.today,
        timeline=timeline,
        timeline_svg=timeline_svg(
            timeline,
            page.lang,
            label=page.gettext("Tidslinje för %(name)s: planerat och verkligt", name=project.name),
        ),
        members=view.members,
        names=names,
        roles=view.role_names,
        next_gates=view.next_gates,
        can_move_dates=view.can_move_dates,
        conditions=view.conditions,
        matrix=view.matrix,
        risks=view.risks,
        open_risks=view.open_risks,
        band=band,
        band_words=BAND_WORDS,
        probability_words=PROBABILITY,
        consequence_words=CONSEQUENCE,
        activities=view.activities,
        register=view.register,
        events=view.events,
        has_units=view.has_units,
        reminders=view.reminders,
        event_words=EVENT,
        phase_names=view.phase_names,
        actor_name=lambda actor: _actor_name(actor, names),
        parent=view.parent,
        subprojects=view.subprojects,
        subproject_choices=view.subproject_choices,
    )


def _actor_name(actor: str, names: dict[str, str]) -> str:
    """`user:anita@…` as the member's name when known, else the stored actor."""
    kind, _, who = actor.partition(":")
    if kind == "user" and who in names:
        return names[who]
    return who if kind == "user" else actor
