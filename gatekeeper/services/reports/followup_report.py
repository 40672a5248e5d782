"""The follow-up report of a date ("uppföljning per 31 mars"), per project and across projects.

Seed 002's report is a table of aktivitet, slutdatum, status (Genomfört, Pågår,
Ej påbörjat, Skjuts till …), kommentar and ansvarig as it stood on one day. The
report is rebuilt from the audit log, not read from the current rows: the
project's state at the end of that Swedish day comes from the one replay there
is (`services/projects/history.state_in`), so a report for 31 mars shows what
the log says was true then, whatever changed after. Its head says where the
project stood: phase, the next gate with its target date and checklist
progress, the gates decided so far and the open high risks (risk value 7–16,
the matrix's high and very high bands).

A date after today, or before the project was created in gatekeeper (the log
begins there), is refused naming `date`. The cross-project report is the same
report for every project the person may see (optionally one organisation's:
a förvaltning's portfolio), one section each; a project created after the date
is named, not reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from gatekeeper.core.access import Principal
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.risk import risk_band
from gatekeeper.core.status import ActivityStatus, ItemStatus, ProjectStatus
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.history import ProjectState, state_in
from gatekeeper.services.projects.overview import list_projects_in
from gatekeeper.store.projects.tables import Project

HIGH_BANDS = ("high", "very-high")  # risk values 7–16 of the 1–4 × 1–4 matrix
SETTLED = (ProjectStatus.TERMINATED.value, ProjectStatus.CLOSED.value)
_RUNNING = (ActivityStatus.NOT_STARTED, ActivityStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ReportActivity:
    """One line of the aktivitetsplan as it stood on the report's date."""

    activity_id: int
    title: str
    start: date | None
    end: date | None  # slutdatum
    responsible: str  # ansvarig, a person's name
    status: ActivityStatus
    postponed_to: date | None  # with status postponed: "Skjuts till <datum>"
    comment: str
    late: bool  # its slutdatum had passed while it was not started or in progress


@dataclass(frozen=True)
class DecidedGate:
    """A gate decision taken by the report's date."""

    gate_id: str
    gate_name: str
    outcome: str
    decided_on: date | None


@dataclass(frozen=True)
class HighRisk:
    """An open risk in the high or very high band on the report's date."""

    title: str
    score: int
    owner: str


@dataclass(frozen=True)
class GateThen:
    """The gate the project headed for on the report's date, and its checklists then."""

    gate_id: str
    name: str
    target_date: date | None
    items_done: int
    items_counted: int  # items that count (not those marked not applicable)

    @property
    def percent(self) -> int:
        """The share done in whole percent, rounded down (79.5 % never reads 80 %)."""
        if self.items_counted == 0:
            return 100
        return math.floor(self.items_done * 100 / self.items_counted + 1e-9)


@dataclass(frozen=True)
class ProjectHeading:
    """What a report's page names its project by."""

    key: str
    name: str
    organisation: str


@dataclass(frozen=True)
class FollowupReport:
    """One project's follow-up report of `on`, rebuilt from its audit log."""

    project_key: str
    project_name: str
    organisation: str
    on: date
    phase_id: str
    phase_name: str
    status: str  # active, on_hold, terminated or closed
    next_gate: GateThen | None
    decided: tuple[DecidedGate, ...]
    high_risks: tuple[HighRisk, ...]
    activities: tuple[ReportActivity, ...]
    events: int  # how many audit events were replayed

    @property
    def heading(self) -> ProjectHeading:
        return ProjectHeading(self.project_key, self.project_name, self.organisation)


@dataclass(frozen=True)
class PortfolioReport:
    """The follow-up report of `on` for every project a person may see."""

    on: date
    organisation: str | None
    sections: tuple[FollowupReport, ...]
    not_yet: tuple[str, ...]  # names of projects created after `on`
    organisations: tuple[str, ...]  # the organisations of the projects the person sees


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in Swedish time, in UTC (what happened that day counts)."""
    end = datetime.combine(day + timedelta(days=1), time.min, LOCAL_ZONE)
    return (end - timedelta(microseconds=1)).astimezone(UTC)


def _created_on(project: Project) -> date:
    created = project.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created.astimezone(LOCAL_ZONE).date()


def _check_not_future(ctx: Context, on: date) -> None:
    if on > ctx.today():
        raise ValidationFailed(
            f"Rapportdatumet {on.isoformat()} ligger i framtiden: välj i dag "
            f"({ctx.today().isoformat()}) eller ett tidigare datum.",
            field="date",
        )


def _day(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def _activities(state: ProjectState, on: date) -> tuple[ReportActivity, ...]:
    lines = []
    for key, values in state.activities.items():
        status = ActivityStatus(values.get("status", ActivityStatus.NOT_STARTED.value))
        end = _day(values.get("end"))
        lines.append(
            ReportActivity(
                activity_id=int(key),
                title=str(values.get("title", "")),
                start=_day(values.get("start")),
                end=end,
                responsible=str(values.get("responsible") or ""),
                status=status,
                postponed_to=_day(values.get("postponed_to")),
                comment=str(values.get("comment") or ""),
                late=end is not None and end < on and status in _RUNNING,
            )
        )
    return tuple(sorted(lines, key=lambda a: (a.start is None, a.start or date.min, a.activity_id)))


def _next_gate(state: ProjectState, workflow: Workflow) -> GateThen | None:
    if state.phase is None or state.status in SETTLED:
        return None
    gates = workflow.gates_from(state.phase)
    if not gates:
        return None
    dated = [(_day(state.gate_targets.get(g.id)), i) for i, g in enumerate(gates)]
    with_dates = [(day, i) for day, i in dated if day is not None]
    gate = gates[min(with_dates)[1]] if with_dates else gates[0]
    statuses = [s for key, s in state.items.items() if key.startswith(f"{gate.id}/")]
    counted = [s for s in statuses if s != ItemStatus.NOT_APPLICABLE.value]
    return GateThen(
        gate_id=gate.id,
        name=gate.name,
        target_date=_day(state.gate_targets.get(gate.id)),
        items_done=sum(1 for s in counted if s == ItemStatus.DONE.value),
        items_counted=len(counted),
    )


def _gate_name(workflow: Workflow, gate_id: str) -> str:
    try:
        return workflow.gate(gate_id).name
    except KeyError:
        return gate_id


def _phase_name(workflow: Workflow, phase_id: str) -> str:
    try:
        return workflow.phase(phase_id).name
    except KeyError:
        return phase_id


def report_in(*, session: Session, project: Project, on: date) -> FollowupReport:
    """The report of `on` inside the caller's transaction (the date already checked)."""
    state = state_in(session=session, project=project, at=end_of_day(on))
    workflow = project_workflow(session=session, project=project)
    phase = state.phase or project.phase
    risks = [
        HighRisk(
            title=str(r.get("title", "")),
            score=int(r["score"]),
            owner=str(r.get("owner") or ""),
        )
        for r in state.risks.values()
        if r.get("status") == "open" and risk_band(int(r.get("score", 0))) in HIGH_BANDS
    ]
    return FollowupReport(
        project_key=project.key,
        project_name=state.name or project.name,
        organisation=project.organisation,
        on=on,
        phase_id=phase,
        phase_name=_phase_name(workflow, phase),
        status=state.status or ProjectStatus.ACTIVE.value,
        next_gate=_next_gate(state, workflow),
        decided=tuple(
            DecidedGate(
                gate_id=str(d.get("gate", "")),
                gate_name=_gate_name(workflow, str(d.get("gate", ""))),
                outcome=str(d.get("outcome", "")),
                decided_on=_day(d.get("decided_on")),
            )
            for d in state.gate_decisions
        ),
        high_risks=tuple(sorted(risks, key=lambda r: (-r.score, r.title))),
        activities=_activities(state, on),
        events=state.events,
    )


def followup_report(ctx: Context, project_key: str, on: date) -> FollowupReport:
    """The follow-up report of one project on `on` (from its audit log).

    Refused naming `date`: a day after today, or one before the project was
    created in gatekeeper (its log begins there).
    """
    _check_not_future(ctx, on)
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        created = _created_on(project)
        if on < created:
            raise ValidationFailed(
                f"Projektet {project.name} fanns inte i gatekeeper den {on.isoformat()}: "
                f"det lades upp {created.isoformat()}. Välj ett datum från och med då.",
                field="date",
            )
        return report_in(session=session, project=project, on=on)


def portfolio_report(
    ctx: Context, principal: Principal, on: date, *, organisation: str | None = None
) -> PortfolioReport:
    """The follow-up report of `on` for every project `principal` may see, by name
    (only `organisation`'s when given); a day after today is refused naming `date`."""
    _check_not_future(ctx, on)
    wanted = (organisation or "").strip() or None
    with ctx.db.read() as session:
        projects = sorted(
            list_projects_in(session=session, visible_to=principal),
            key=lambda p: (p.name.casefold(), p.key),
        )
        chosen = [p for p in projects if wanted is None or p.organisation == wanted]
        return PortfolioReport(
            on=on,
            organisation=wanted,
            sections=tuple(
                report_in(session=session, project=p, on=on) for p in chosen if _created_on(p) <= on
            ),
            not_yet=tuple(p.name for p in chosen if _created_on(p) > on),
            organisations=tuple(sorted({p.organisation for p in projects if p.organisation})),
        )


def project_heading(ctx: Context, project_key: str) -> ProjectHeading:
    """The project's key, name and organisation (a refused report's page still names it)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return ProjectHeading(project.key, project.name, project.organisation)


def organisations_of(ctx: Context, principal: Principal) -> tuple[str, ...]:
    """The organisations of the projects `principal` may see (the portfolio's filter)."""
    with ctx.db.read() as session:
        projects = list_projects_in(session=session, visible_to=principal)
        return tuple(sorted({p.organisation for p in projects if p.organisation}))
