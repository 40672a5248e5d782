"""Read models of the web pages' summaries: the Översikt rows, a project's latest events.

The overview shows every project a person may see with its next gate, the
gate's readiness, blockers, overdue items and reviews waiting for the
person's vote. It is built for hundreds of projects: a fixed number of
queries for all projects at once (projects, targets, the next gates' items,
open risks, named decisions, open conditions, open reviews and the person's
seats and votes in them), selecting plain columns rather than rows; the core
criteria are then judged on that data in memory, so `blockers` is exactly
what the gate page would say fails.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from gatekeeper.core.access import Principal
from gatekeeper.core.checklist import ItemState
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.criteria.base import GateContext
from gatekeeper.core.gate import evaluate_gate
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ConditionStatus, ProjectStatus, ReviewStatus, RiskStatus
from gatekeeper.core.tally import electorate
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects import project as projects
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import (
    ConflictOfInterest,
    DecisionCondition,
    GateReview,
    ReviewVote,
)
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    NamedDecision,
    Project,
    ProjectMember,
    Risk,
)

SortKey = Literal["name", "target", "readiness"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "target", "readiness")
_SETTLED = (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)


@dataclass(frozen=True)
class NextGate:
    """The gate a project heads for, and how ready it is."""

    gate_id: str
    name: str
    target_date: date | None
    items_done: int
    items_total: int  # items that count (not those marked not applicable)
    blockers: int  # failing criteria
    passed: bool

    @property
    def percent(self) -> int:
        """The share done in whole percent, rounded down (79.5 % never reads 80 %)."""
        if self.items_total == 0:
            return 100
        return math.floor(self.items_done * 100 / self.items_total + 1e-9)


@dataclass(frozen=True)
class WaitingReview:
    """An open review in which the person holds a seat and has no counting vote."""

    review_id: int
    gate_id: str
    gate_name: str


@dataclass(frozen=True)
class DashboardRow:
    """One project of the overview."""

    key: str
    name: str
    organisation: str
    status: ProjectStatus
    phase: str
    phase_name: str
    next_gate: NextGate | None
    overdue_items: int  # items of the next gate(s) past their deadline
    overdue_conditions: int  # open conditions past their due date
    waiting: tuple[WaitingReview, ...]

    @property
    def overdue(self) -> int:
        return self.overdue_items + self.overdue_conditions


@dataclass(frozen=True)
class Dashboard:
    """The overview: the rows asked for, out of how many visible, and the phases to filter on."""

    rows: tuple[DashboardRow, ...]
    visible: int
    phases: tuple[tuple[str, str], ...]  # (phase id, name) of the visible projects' workflows


@dataclass(frozen=True)
class _Loaded:
    """Batch-loaded data of many projects, keyed by project id."""

    targets: dict[tuple[int, str], date]
    items: dict[tuple[int, str], list[ItemState]]
    risks: dict[int, list[RiskState]]
    decisions: dict[int, set[str]]
    conditions: dict[int, list[tuple[str, date | None]]]
    waiting: dict[int, list[tuple[int, str]]]


def _in(column: Any, values: Iterable[Any]) -> ColumnElement[bool]:
    return col(column).in_(sorted(set(values)))


def _columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """A select of plain columns (any number: sqlmodel's `select` is typed up to four)."""
    return Select(*(col(column) for column in columns))


def _load(
    session: Session,
    projects_: list[tuple[Project, Workflow]],
    principal: Principal,
    now: datetime,
) -> _Loaded:
    ids = [p.id for p, _ in projects_ if p.id is not None]
    wanted = {
        (p.id, gate.id): gate
        for p, workflow in projects_
        if p.status not in _SETTLED
        for gate in workflow.gates_from(p.phase)
    }
    targets = {
        (pid, gid): day
        for pid, gid, day in session.exec(
            _columns(GateTarget.project_id, GateTarget.gate_id, GateTarget.target_date).where(
                _in(GateTarget.project_id, ids)
            )
        ).all()
    }
    items: dict[tuple[int, str], list[ItemState]] = defaultdict(list)
    if wanted:
        rows = session.exec(
            _columns(
                ChecklistInstance.project_id,
                ChecklistInstance.gate_id,
                ChecklistInstance.checklist_id,
                ChecklistItem.item_id,
                ChecklistItem.text,
                ChecklistItem.category,
                ChecklistItem.mandatory,
                ChecklistItem.evidence_required,
                ChecklistItem.status,
                ChecklistItem.evidence,
                ChecklistItem.due_offset_days,
            )
            .join(ChecklistInstance, col(ChecklistItem.instance_id) == col(ChecklistInstance.id))
            .where(
                _in(ChecklistInstance.project_id, {pid for pid, _ in wanted}),
                _in(ChecklistInstance.gate_id, {gid for _, gid in wanted}),
            )
            .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
        ).all()
        for pid, gid, checklist, item, text, category, mandatory, needs, status, ev, off in rows:
            if (pid, gid) not in wanted:
                continue
            target = targets.get((pid, gid))
            items[(pid, gid)].append(
                ItemState(
                    checklist_id=checklist,
                    item_id=item,
                    text=text,
                    category=category,
                    mandatory=mandatory,
                    evidence_required=needs,
                    status=status,
                    has_evidence=bool(ev and ev.strip()),
                    due_on=target + timedelta(days=off)
                    if target is not None and off is not None
                    else None,
                )
            )
    risks: dict[int, list[RiskState]] = defaultdict(list)
    for pid, title, probability, consequence, status in session.exec(
        _columns(
            Risk.project_id, Risk.title, Risk.probability, Risk.consequence, Risk.status
        ).where(_in(Risk.project_id, ids), Risk.status == RiskStatus.OPEN)
    ).all():
        risks[pid].append(RiskState(title, probability, consequence, status))
    decisions: dict[int, set[str]] = defaultdict(set)
    for pid, key in session.exec(
        _columns(NamedDecision.project_id, NamedDecision.key).where(
            _in(NamedDecision.project_id, ids)
        )
    ).all():
        decisions[pid].add(key)
    conditions: dict[int, list[tuple[str, date | None]]] = defaultdict(list)
    for pid, text, due in session.exec(
        _columns(DecisionCondition.project_id, DecisionCondition.text, DecisionCondition.due_on)
        .where(
            _in(DecisionCondition.project_id, ids),
            DecisionCondition.status == ConditionStatus.OPEN,
        )
        .order_by(col(DecisionCondition.id))
    ).all():
        conditions[pid].append((text, due))
    return _Loaded(
        targets=targets,
        items=items,
        risks=risks,
        decisions=decisions,
        conditions=conditions,
        waiting=_waiting_votes(session, projects_, ids, principal, now),
    )


def _waiting_votes(
    session: Session,
    projects_: list[tuple[Project, Workflow]],
    ids: list[int],
    principal: Principal,
    now: datetime,
) -> dict[int, list[tuple[int, str]]]:
    """Open reviews (id, gate) per project where the person holds a seat and has not voted
    (or whose vote no longer counts: cast on an older snapshot, or expired)."""
    reviews = session.exec(
        _columns(
            GateReview.id,
            GateReview.project_id,
            GateReview.gate_id,
            GateReview.requested_by,
            GateReview.snapshot_hash,
        ).where(_in(GateReview.project_id, ids), GateReview.status == ReviewStatus.OPEN)
    ).all()
    if not reviews:
        return {}
    me = principal.email
    roles: dict[int, set[str]] = defaultdict(set)
    for pid, role in session.exec(
        _columns(ProjectMember.project_id, ProjectMember.role).where(
            ProjectMember.email == me,
            col(ProjectMember.substitute_for).is_(None),
            _in(ProjectMember.project_id, {r[1] for r in reviews}),
        )
    ).all():
        roles[pid].add(role)
    review_ids = [r[0] for r in reviews if r[1] in roles]
    if not review_ids:
        return {}
    conflicts = {
        rid: reason
        for rid, reason in session.exec(
            _columns(ConflictOfInterest.review_id, ConflictOfInterest.reason).where(
                ConflictOfInterest.member == me, _in(ConflictOfInterest.review_id, review_ids)
            )
        ).all()
    }
    votes: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for rid, snapshot_hash, cast_at in session.exec(
        _columns(ReviewVote.review_id, ReviewVote.snapshot_hash, ReviewVote.cast_at).where(
            ReviewVote.member == me, _in(ReviewVote.review_id, review_ids)
        )
    ).all():
        votes[rid].append((snapshot_hash, cast_at))
    workflows = {p.id: workflow for p, workflow in projects_}
    waiting: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rid, pid, gate_id, requested_by, snapshot_hash in reviews:
        if rid not in review_ids:
            continue
        try:
            policy = workflows[pid].gate(gate_id).approval
        except KeyError:
            continue
        if policy is None:
            continue
        seats = electorate(
            policy,
            {me: frozenset(roles[pid])},
            requester=requested_by,
            conflicts={me: conflicts[rid]} if rid in conflicts else None,
        )
        if seats.seat(me) is None:
            continue
        valid_days = policy.vote_valid_days
        counting = any(
            cast_hash == snapshot_hash
            and (valid_days is None or now <= cast_at + timedelta(days=valid_days))
            for cast_hash, cast_at in votes[rid]
        )
        if not counting:
            waiting[pid].append((rid, gate_id))
    return waiting


def _main_gate(gates: tuple[Gate, ...], loaded: _Loaded, pid: int) -> Gate:
    """Of several gates leaving a phase, the one with the earliest target date (else the first)."""
    dated = [
        (loaded.targets[(pid, g.id)], i)
        for i, g in enumerate(gates)
        if (pid, g.id) in loaded.targets
    ]
    return gates[min(dated)[1]] if dated else gates[0]


def _row(project: Project, workflow: Workflow, loaded: _Loaded, today: date) -> DashboardRow:
    assert project.id is not None
    pid = project.id
    try:
        phase_name = workflow.phase(project.phase).name
    except KeyError:
        phase_name = project.phase
    gates = () if project.status in _SETTLED else workflow.gates_from(project.phase)
    next_gate = None
    overdue_items = 0
    if gates:
        for gate in gates:
            overdue_items += sum(
                1 for i in loaded.items.get((pid, gate.id), ()) if i.overdue(today)
            )
        gate = _main_gate(gates, loaded, pid)
        states = loaded.items.get((pid, gate.id), [])
        context = GateContext(
            items=states,
            risks=loaded.risks.get(pid, ()),
            decisions=frozenset(loaded.decisions.get(pid, ())),
            today=today,
            open_conditions=tuple(text for text, _ in loaded.conditions.get(pid, ())),
        )
        verdict = evaluate_gate(gate, context)
        counted = [state for state in states if state.counts]
        next_gate = NextGate(
            gate_id=gate.id,
            name=gate.name,
            target_date=loaded.targets.get((pid, gate.id)),
            items_done=sum(1 for state in counted if state.done),
            items_total=len(counted),
            blockers=len(verdict.failed),
            passed=verdict.passed,
        )
    waiting = []
    for review_id, gate_id in loaded.waiting.get(pid, ()):
        try:
            gate_name = workflow.gate(gate_id).name
        except KeyError:
            gate_name = gate_id
        waiting.append(WaitingReview(review_id, gate_id, gate_name))
    return DashboardRow(
        key=project.key,
        name=project.name,
        organisation=project.organisation,
        status=project.status,
        phase=project.phase,
        phase_name=phase_name,
        next_gate=next_gate,
        overdue_items=overdue_items,
        overdue_conditions=sum(
            1 for _, due in loaded.conditions.get(pid, ()) if due is not None and due < today
        ),
        waiting=tuple(waiting),
    )


def _matches(row: DashboardRow, text: str) -> bool:
    needle = text.casefold()
    return any(needle in field.casefold() for field in (row.name, row.organisation, row.key))


def _sorted(rows: list[DashboardRow], sort: SortKey, descending: bool) -> list[DashboardRow]:
    by_name = sorted(rows, key=lambda r: (swedish_sort_key(r.name), r.key))
    if sort == "name":
        return list(reversed(by_name)) if descending else by_name
    if sort == "target":
        dated = [r for r in by_name if r.next_gate and r.next_gate.target_date]
        undated = [r for r in by_name if not (r.next_gate and r.next_gate.target_date)]
        dated.sort(key=lambda r: r.next_gate.target_date, reverse=descending)  # type: ignore[union-attr,return-value,arg-type]
        return dated + undated  # projects without a date last, either way
    gated = [r for r in by_name if r.next_gate]
    ungated = [r for r in by_name if not r.next_gate]
    gated.sort(key=lambda r: r.next_gate.percent, reverse=descending)  # type: ignore[union-attr]
    return gated + ungated


def dashboard(
    ctx: Context,
    principal: Principal,
    *,
    phase: str | None = None,
    waiting_only: bool = False,
    text: str = "",
    sort: SortKey = "name",
    descending: bool = False,
) -> Dashboard:
    """The projects `principal` may see, with next gate, readiness, blockers, overdue
    items and reviews waiting for their vote; filtered and sorted as asked."""
    visible = projects.list_projects(ctx, visible_to=principal)
    today = ctx.today()
    now = ctx.clock.now()
    with ctx.db.read() as session:
        loaded_projects: list[tuple[Project, Workflow]] = []
        for project in visible:
            try:
                loaded_projects.append(
                    (project, project_workflow(session=session, project=project))
                )
            except NotFound:  # a project whose definition is missing is left out, not an error
                continue
        loaded = _load(session, loaded_projects, principal, now)
    phases: dict[str, str] = {}
    for _, workflow in loaded_projects:
        for known in workflow.phases_in_order():
            phases.setdefault(known.id, known.name)
    rows = [_row(project, workflow, loaded, today) for project, workflow in loaded_projects]
    if phase:
        rows = [row for row in rows if row.phase == phase]
    if waiting_only:
        rows = [row for row in rows if row.waiting]
    if text.strip():
        rows = [row for row in rows if _matches(row, text.strip())]
    return Dashboard(
        rows=tuple(_sorted(rows, sort, descending)),
        visible=len(loaded_projects),
        phases=tuple(phases.items()),
    )


def recent_events(ctx: Context, project_key: str, *, limit: int = 10) -> list[AuditEvent]:
    """The project's latest `limit` audit events, newest first."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list(
            session.exec(
                select(AuditEvent)
                .where(AuditEvent.project_id == project.id)
                .order_by(col(AuditEvent.seq).desc())
                .limit(limit)
            ).all()
        )
