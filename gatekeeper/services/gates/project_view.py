"""The project page's read: everything shown about one project, in one read transaction.

`project_view` gathers the project with its workflow, members (sorted as the
page lists them), gate target dates and phase history; the next gates with
their readiness and the items done, counted and overdue; open conditions; the
risks with the 4 × 4 matrix of the open ones; the aktivitetsplan; the
decision register (newest first); the named decisions (finansiering…); the
latest audit events; its parent and delprojekt (and what the viewer may link
under it); whether the project rolls out to units; the reminders
section for the viewer and what the viewer may change. It
lives in gates because it reads gates, rollout and projects (gates may use
the other two, never back). Pages show these figures; they count nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from gatekeeper.core.access import Principal
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.lap import is_cyclic
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reports.slutrapport import closing_phases
from gatekeeper.core.risk import MatrixCell, risk_matrix
from gatekeeper.core.status import ProjectStatus, RiskStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates.effect import pending_in
from gatekeeper.services.gates.readiness import GateReadiness, next_gates_in
from gatekeeper.services.gates.register import (
    GateDecisionEntry,
    open_conditions_in,
    register_in,
)
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.activity import list_activities_in
from gatekeeper.services.projects.dashboard import recent_events_in
from gatekeeper.services.projects.gate_date import may_plan_dates
from gatekeeper.services.projects.history import LapRecord, laps_in
from gatekeeper.services.projects.leader import may_lead_in
from gatekeeper.services.projects.named_decision import list_named_decisions_in
from gatekeeper.services.projects.overview import overview_in
from gatekeeper.services.projects.risk import list_risks_in
from gatekeeper.services.projects.subproject import (
    Subproject,
    link_choices_in,
    parent_in,
    subprojects_in,
)
from gatekeeper.services.reminders.log import ReminderSection, reminder_section_in
from gatekeeper.services.rollout.readiness_review import has_units_in
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import DecisionCondition, GateDecision
from gatekeeper.store.projects.tables import (
    Activity,
    NamedDecision,
    PhaseChange,
    Project,
    ProjectMember,
    Risk,
)

RECENT_EVENTS = 10


@dataclass(frozen=True)
class GateSummary:
    """A next gate as the project page shows it: readiness and the items counted."""

    readiness: GateReadiness
    done: int
    total: int  # items that count (not those marked not applicable)
    overdue: int

    @property
    def percent(self) -> int:
        """The share done in whole percent, rounded down (79.5 % never reads 80 %)."""
        return math.floor(self.done * 100 / self.total + 1e-9) if self.total else 100


def gate_summary(readiness: GateReadiness) -> GateSummary:
    """Count a gate's items done, counted and overdue."""
    counted = [state for state in (item.state() for item in readiness.items) if state.counts]
    return GateSummary(
        readiness=readiness,
        done=sum(1 for state in counted if state.done),
        total=len(counted),
        overdue=len(readiness.overdue),
    )


@dataclass(frozen=True)
class ProjectView:
    """Everything the project page shows."""

    project: Project
    workflow: Workflow
    phase_name: str
    settled: bool  # terminated or closed: no next gates
    today: date
    members: tuple[ProjectMember, ...]  # by role, ordinary before ersättare, by name
    names: dict[str, str]  # e-mail → member name
    role_names: dict[str, str]
    phase_names: dict[str, str]
    gate_targets: dict[str, date]
    history: tuple[PhaseChange, ...]
    next_gates: tuple[GateSummary, ...]
    conditions: tuple[DecisionCondition, ...]
    risks: tuple[Risk, ...]  # highest score first
    open_risks: int
    matrix: tuple[tuple[MatrixCell[Risk], ...], ...]
    activities: tuple[Activity, ...]
    register: tuple[GateDecisionEntry, ...]  # newest first
    events: tuple[AuditEvent, ...]  # newest first
    has_units: bool
    reminders: ReminderSection
    pending: GateDecision | None = None  # a go decided, waiting for its effective date
    can_move_dates: bool = False  # the viewer may move the gates' dates
    named_decisions: tuple[NamedDecision, ...] = ()  # e.g. finansiering, by beslutsdatum
    may_lead: bool = False  # projektledare or admin: registers diarienummer
    closing: bool = False  # in its last phases: the slutrapport is due
    cyclic: bool = False  # the workflow goes round in laps (varv)
    laps: tuple[LapRecord, ...] = ()  # a cyclic workflow's laps, from the audit log
    parent: Project | None = None  # the project this one is a delprojekt of
    subprojects: tuple[Subproject, ...] = ()  # its delprojekt, with phase and handover
    subproject_choices: tuple[Project, ...] = ()  # what the viewer may link under it


def project_view(ctx: Context, viewer: Principal, project_key: str) -> ProjectView:
    """Everything the project page shows `viewer` about the project, read at one moment."""
    today = ctx.today()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        overview = overview_in(session=session, project=project)
        workflow = overview.workflow
        settled = project.status in (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)
        try:
            phase_name = workflow.phase(project.phase).name
        except KeyError:
            phase_name = project.phase
        risks = list_risks_in(session=session, project=project)
        next_gates = (
            ()
            if settled
            else tuple(
                gate_summary(readiness)
                for readiness in next_gates_in(
                    session=session, project=project, workflow=workflow, today=today
                )
            )
        )
        return ProjectView(
            project=project,
            workflow=workflow,
            phase_name=phase_name,
            settled=settled,
            today=today,
            members=tuple(
                sorted(
                    overview.members,
                    key=lambda m: (m.role, m.substitute_for is not None, swedish_sort_key(m.name)),
                )
            ),
            names={member.email: member.name for member in overview.members},
            role_names={role.id: role.name for role in workflow.roles},
            phase_names={phase.id: phase.name for phase in workflow.phases},
            gate_targets=overview.gate_targets,
            history=overview.history,
            next_gates=next_gates,
            conditions=tuple(open_conditions_in(session=session, project=project)),
            risks=tuple(risks),
            open_risks=sum(1 for r in risks if r.status is RiskStatus.OPEN),
            matrix=risk_matrix(risks),
            activities=tuple(list_activities_in(session=session, project=project)),
            register=tuple(
                reversed(register_in(session=session, project=project, workflow=workflow))
            ),
            events=tuple(recent_events_in(session=session, project=project, limit=RECENT_EVENTS)),
            has_units=has_units_in(session=session, project=project),
            reminders=reminder_section_in(session=session, project=project, viewer=viewer.email),
            pending=pending_in(session=session, project=project),
            can_move_dates=not settled
            and may_plan_dates(session=session, project=project, actor=viewer.actor()),
            named_decisions=tuple(list_named_decisions_in(session=session, project=project)),
            may_lead=viewer.can_write
            and may_lead_in(session=session, project=project, email=viewer.email),
            closing=project.phase in closing_phases(workflow),
            cyclic=is_cyclic(workflow),
            laps=tuple(laps_in(session=session, project=project)) if is_cyclic(workflow) else (),
            parent=parent_in(session=session, project=project),
            subprojects=tuple(subprojects_in(session=session, project=project)),
            subproject_choices=(
                link_choices_in(session=session, project=project, email=viewer.email)
                if viewer.can_write
                and not settled
                and may_lead_in(session=session, project=project, email=viewer.email)
                else ()
            ),
        )
