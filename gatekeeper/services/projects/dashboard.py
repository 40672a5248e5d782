"""The Översikt listing: its rows filtered and sorted, and a project's latest events.

The overview shows every project a person may see with its next gate, the
gate's readiness, blockers, overdue items and reviews waiting for the
person's vote. It is built for hundreds of projects: the next gates come
from `next_gate`'s batch load, and the reviews waiting for the person are
found in a fixed number of queries too (open reviews, the person's seats,
conflicts and votes in them); the rows are then filtered and sorted in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlmodel import Session, col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ProjectStatus, ReviewStatus
from gatekeeper.core.tally import electorate
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects import next_gate as next_gates
from gatekeeper.services.projects import overview
from gatekeeper.services.projects.next_gate import GateData, NextGate, among, columns
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.gates.tables import ConflictOfInterest, GateReview, ReviewVote
from gatekeeper.store.projects.tables import Project, ProjectMember

SortKey = Literal["name", "target", "readiness"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "target", "readiness")


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
        columns(
            GateReview.id,
            GateReview.project_id,
            GateReview.gate_id,
            GateReview.requested_by,
            GateReview.snapshot_hash,
        ).where(among(GateReview.project_id, ids), GateReview.status == ReviewStatus.OPEN)
    ).all()
    if not reviews:
        return {}
    me = principal.email
    roles: dict[int, set[str]] = defaultdict(set)
    for pid, role in session.exec(
        columns(ProjectMember.project_id, ProjectMember.role).where(
            ProjectMember.email == me,
            col(ProjectMember.substitute_for).is_(None),
            among(ProjectMember.project_id, {r[1] for r in reviews}),
        )
    ).all():
        roles[pid].add(role)
    review_ids = [r[0] for r in reviews if r[1] in roles]
    if not review_ids:
        return {}
    conflicts = {
        rid: reason
        for rid, reason in session.exec(
            columns(ConflictOfInterest.review_id, ConflictOfInterest.reason).where(
                ConflictOfInterest.member == me, among(ConflictOfInterest.review_id, review_ids)
            )
        ).all()
    }
    votes: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for rid, snapshot_hash, cast_at in session.exec(
        columns(ReviewVote.review_id, ReviewVote.snapshot_hash, ReviewVote.cast_at).where(
            ReviewVote.member == me, among(ReviewVote.review_id, review_ids)
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


def _row(
    project: Project,
    workflow: Workflow,
    loaded: GateData,
    waiting_reviews: dict[int, list[tuple[int, str]]],
    today: date,
) -> DashboardRow:
    assert project.id is not None
    pid = project.id
    try:
        phase_name = workflow.phase(project.phase).name
    except KeyError:
        phase_name = project.phase
    next_gate, overdue_items = next_gates.next_gate(project, workflow, loaded, today)
    waiting = []
    for review_id, gate_id in waiting_reviews.get(pid, ()):
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
    visible = overview.list_projects(ctx, visible_to=principal)
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
        loaded = next_gates.load_gates(session, loaded_projects)
        ids = [p.id for p, _ in loaded_projects if p.id is not None]
        waiting = _waiting_votes(session, loaded_projects, ids, principal, now)
    phases: dict[str, str] = {}
    for _, workflow in loaded_projects:
        for known in workflow.phases_in_order():
            phases.setdefault(known.id, known.name)
    rows = [
        _row(project, workflow, loaded, waiting, today) for project, workflow in loaded_projects
    ]
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
        return recent_events_in(session=session, project=project, limit=limit)


def recent_events_in(*, session: Session, project: Project, limit: int = 10) -> list[AuditEvent]:
    """`recent_events` inside the caller's transaction."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.project_id == project.id)
            .order_by(col(AuditEvent.seq).desc())
            .limit(limit)
        ).all()
    )
