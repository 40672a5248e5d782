"""The project page (`GET /projects/{project_key}`): where a project stands, for every reader.

Header with status and current phase; the phase timeline planned against
actual as an inline SVG and as a table; members and roles; open conditions;
the risk matrix (probability × consequence) and the risk list; the
aktivitetsplan; the next gate(s) with their readiness; the decision register;
the latest audit events. Read-only: the forms live on the gate page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.events import EventName
from gatekeeper.core.status import ProjectStatus, RiskStatus
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates.readiness import GateReadiness
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import dashboard
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.rollout import readiness_review as rollout_review
from gatekeeper.store.projects.tables import ProjectMember, Risk
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.i18n import N_
from gatekeeper.web.page import PageDep
from gatekeeper.web.pages.projects.timeline import build_timeline, timeline_svg
from gatekeeper.web.pages.reminders.log import reminder_section
from gatekeeper.web.sessions import WebProjectReader
from gatekeeper.web.templating import STOCKHOLM

router = APIRouter(tags=["pages"], include_in_schema=False)

SCALE = (1, 2, 3, 4)
# Risk value bands of the 1–4 × 1–4 matrix, told by word and cell pattern, not colour alone.
BANDS = (
    (3, "low", N_("Låg")),
    (6, "medium", N_("Måttlig")),
    (9, "high", N_("Hög")),
    (16, "very-high", N_("Mycket hög")),
)
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
    EventName.ACTIVITY_CREATED.value: N_("Aktivitet tillagd"),
    EventName.ACTIVITY_UPDATED.value: N_("Aktivitet ändrad"),
    EventName.DECISION_RECORDED.value: N_("Beslut registrerat"),
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
    EventName.WEBHOOK_SUBSCRIBED.value: N_("Webhook tillagd"),
    EventName.WEBHOOK_UNSUBSCRIBED.value: N_("Webhook borttagen"),
}


def band(score: int) -> tuple[str, str]:
    """The band of a risk value: (css name, Swedish word)."""
    for limit, name, word in BANDS:
        if score <= limit:
            return name, word
    return BANDS[-1][1], BANDS[-1][2]


@dataclass(frozen=True)
class MatrixCell:
    probability: int
    consequence: int
    score: int
    band: str
    band_label: str
    risks: tuple[Risk, ...]


def risk_matrix(rows: list[Risk]) -> list[list[MatrixCell]]:
    """Open risks in a 4 × 4 grid: rows probability 4 down to 1, columns consequence 1 to 4."""
    grid = []
    for probability in reversed(SCALE):
        line = []
        for consequence in SCALE:
            score = probability * consequence
            name, word = band(score)
            line.append(
                MatrixCell(
                    probability=probability,
                    consequence=consequence,
                    score=score,
                    band=name,
                    band_label=word,
                    risks=tuple(
                        r
                        for r in rows
                        if r.status is RiskStatus.OPEN
                        and r.probability == probability
                        and r.consequence == consequence
                    ),
                )
            )
        grid.append(line)
    return grid


@dataclass(frozen=True)
class GateSummary:
    """A next gate as the project page shows it."""

    readiness: GateReadiness
    done: int
    total: int
    overdue: int

    @property
    def percent(self) -> int:
        return math.floor(self.done * 100 / self.total + 1e-9) if self.total else 100


def gate_summary(readiness: GateReadiness) -> GateSummary:
    counted = [item.state() for item in readiness.items]
    counted = [state for state in counted if state.counts]
    return GateSummary(
        readiness=readiness,
        done=sum(1 for state in counted if state.done),
        total=len(counted),
        overdue=len(readiness.overdue),
    )


def _names(members: tuple[ProjectMember, ...]) -> dict[str, str]:
    return {member.email: member.name for member in members}


@router.get("/projects/{project_key}", response_class=HTMLResponse)
def project_page(page: PageDep, ctx: ContextDep, access: WebProjectReader) -> HTMLResponse:
    key = access.project_key
    overview = overviews.project_overview(ctx, key)
    project, workflow = overview.project, overview.workflow
    today = ctx.today()
    settled = project.status in (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)
    timeline = build_timeline(
        workflow,
        targets=overview.gate_targets,
        history=[(change.at, change.gate_id, change.to_phase) for change in overview.history],
        current_phase=project.phase,
        started_on=project.started_on,
        today=today,
        ended_on=project.updated_at.astimezone(STOCKHOLM).date() if settled else None,
    )
    try:
        phase_name = workflow.phase(project.phase).name
    except KeyError:
        phase_name = project.phase
    risk_rows = risks.list_risks(ctx, key)
    names = _names(overview.members)
    roles = {role.id: role.name for role in workflow.roles}
    return page.render(
        "project.html",
        project=project,
        workflow=workflow,
        phase_name=phase_name,
        today=today,
        timeline=timeline,
        timeline_svg=timeline_svg(
            timeline,
            page.lang,
            label=page.gettext("Tidslinje för %(name)s: planerat och verkligt", name=project.name),
        ),
        members=sorted(
            overview.members,
            key=lambda m: (
                m.role,
                m.substitute_for is not None,
                swedish_sort_key(m.name),
            ),
        ),
        names=names,
        roles=roles,
        next_gates=[] if settled else [gate_summary(r) for r in gates.next_gates(ctx, key)],
        conditions=decision_register.open_conditions(ctx, key),
        matrix=risk_matrix(risk_rows),
        risks=risk_rows,
        open_risks=sum(1 for r in risk_rows if r.status is RiskStatus.OPEN),
        band=band,
        probability_words=PROBABILITY,
        consequence_words=CONSEQUENCE,
        activities=activities.list_activities(ctx, key),
        register=list(reversed(decision_register.register(ctx, key))),
        events=dashboard.recent_events(ctx, key, limit=10),
        has_units=rollout_review.has_units(ctx, key),
        reminders=reminder_section(ctx, key, access.principal.email),
        event_words=EVENT,
        phase_names={phase.id: phase.name for phase in workflow.phases},
        actor_name=lambda actor: _actor_name(actor, names),
    )


def _actor_name(actor: str, names: dict[str, str]) -> str:
    """`user:anita@…` as the member's name when known, else the stored actor."""
    kind, _, who = actor.partition(":")
    if kind == "user" and who in names:
        return names[who]
    return who if kind == "user" else actor


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today
