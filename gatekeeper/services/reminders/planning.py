"""Keeping a project's reminder rows in step with the project: re-planning.

`replan` loads one project as the pure planner (`gatekeeper.core.reminders.plan`)
needs it, with a fixed handful of column-only Core selects (no ORM objects),
and upserts the result by key with set-based statements (one executemany
INSERT, one executemany UPDATE, one cancelling UPDATE): new keys become
pending rows; planned keys whose row is pending, retrying, paused
or cancelled are brought up to date (paused and cancelled ones pending again);
open rows whose key is no longer planned are cancelled. Rows that are sent,
failed or claimed by a dispatcher are never touched. A project on hold has its
open rows paused, a terminated or closed one (or one in a final phase) has
them cancelled. `forget` is the cheap path for a tick or a vote: one UPDATE
that cancels the open rows of one subject. Both run inside the caller's
transaction, with the project row locked by the caller, and never commit.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, Text, and_, bindparam, cast, insert, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col, select

from gatekeeper.core.decision import electorate
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.reminders import business_calendar as cal
from gatekeeper.core.reminders import plan as rp
from gatekeeper.core.status import (
    ConditionStatus,
    ItemStatus,
    ProjectStatus,
    ReminderKind,
    ReminderStatus,
    ReviewStatus,
)
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.gates.tables import (
    ConflictOfInterest,
    DecisionCondition,
    GateDecision,
    GateReview,
    ReviewVote,
)
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    PhaseChange,
    Project,
    ProjectMember,
)
from gatekeeper.store.reminders.tables import Reminder

OPEN_STATUSES = (ReminderStatus.PENDING, ReminderStatus.RETRYING, ReminderStatus.PAUSED)
_KEY_CHUNK = 500  # keys per IN (...) list


@dataclass(frozen=True)
class PlanReport:
    """What one re-planning changed."""

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    paused: int = 0


def replan(*, session: Session, project: Project, now: datetime) -> PlanReport:
    """Bring the project's reminder rows in step with the project as it stands."""
    assert project.id is not None
    workflow = project_workflow(session=session, project=project)
    if project.status is ProjectStatus.ON_HOLD:
        paused = _set_status(
            session=session,
            project_id=project.id,
            now=now,
            where=(ReminderStatus.PENDING, ReminderStatus.RETRYING),
            to=ReminderStatus.PAUSED,
        )
        return PlanReport(paused=paused)
    if project.status is not ProjectStatus.ACTIVE or workflow.phase(project.phase).final:
        cancelled = _set_status(
            session=session,
            project_id=project.id,
            now=now,
            where=OPEN_STATUSES,
            to=ReminderStatus.CANCELLED,
        )
        return PlanReport(cancelled=cancelled)
    planned = rp.plan(load_state(session=session, project=project, workflow=workflow), now=now)
    return _upsert(session=session, project_id=project.id, planned=planned, now=now)


def forget(
    *,
    session: Session,
    project_id: int,
    subject_type: str,
    subject_id: str | int,
    recipient_email: str | None = None,
    now: datetime,
) -> int:
    """Cancel the open reminders of one subject (of one recipient); how many."""
    statement = (
        update(Reminder)
        .where(
            col(Reminder.project_id) == project_id,
            col(Reminder.subject_type) == subject_type,
            col(Reminder.subject_id) == str(subject_id),
            col(Reminder.status).in_([s.value for s in OPEN_STATUSES]),
        )
        .values(status=ReminderStatus.CANCELLED, updated_at=now)
    )
    if recipient_email is not None:
        statement = statement.where(col(Reminder.recipient_email) == recipient_email)
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    return int(result.rowcount or 0)


def replan_project(ctx: Context, project_key: str) -> PlanReport:
    """Re-plan one project in its own transaction."""
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        return replan(session=session, project=project, now=ctx.clock.now())


def replan_all(ctx: Context) -> int:
    """Re-plan every active project (the daily job that moves the meeting horizon on).

    One transaction per project; returns how many projects were re-planned.
    """
    with ctx.db.read() as session:
        keys = session.exec(
            select(Project.key)
            .where(Project.status == ProjectStatus.ACTIVE)
            .order_by(col(Project.id))
        ).all()
    for key in keys:
        replan_project(ctx, key)
    return len(keys)


# -- loading the project -------------------------------------------------------


def load_state(*, session: Session, project: Project, workflow: Workflow) -> rp.ProjectState:
    """The project as the planner sees it: a handful of column-only Core selects."""
    assert project.id is not None
    pid = project.id
    session.flush()  # the caller's pending changes are what we plan from
    connection = session.connection()
    tz = cal.zone(workflow.reminders.calendar.time_zone)
    member_rows = connection.execute(
        core_select(
            col(ProjectMember.email),
            col(ProjectMember.name),
            col(ProjectMember.role),
            col(ProjectMember.substitute_for),
            col(UserAccount.time_zone),
        )
        .select_from(ProjectMember)
        .outerjoin(UserAccount, col(UserAccount.email) == col(ProjectMember.email))
        .where(col(ProjectMember.project_id) == pid)
        .order_by(col(ProjectMember.id))
    ).all()
    gate_names = {gate.id: gate.name for gate in workflow.gates}
    condition_rows = connection.execute(
        core_select(
            col(DecisionCondition.id),
            col(DecisionCondition.text),
            col(DecisionCondition.owner),
            col(DecisionCondition.due_on),
            col(GateDecision.gate_id),
            col(UserAccount.time_zone),
        )
        .select_from(DecisionCondition)
        .join(GateDecision, col(GateDecision.id) == col(DecisionCondition.decision_id))
        .outerjoin(UserAccount, col(UserAccount.email) == col(DecisionCondition.owner))
        .where(
            col(DecisionCondition.project_id) == pid,
            col(DecisionCondition.status) == ConditionStatus.OPEN,
        )
        .order_by(col(DecisionCondition.id))
    ).all()
    people: dict[str, rp.Person] = {}
    by_role: dict[str, list[rp.Person]] = defaultdict(list)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for email, name, _, _, zone in member_rows:
        people[email] = rp.Person(email=email, name=name, time_zone=zone or None)
    for email, _, role, substitute_for, _ in member_rows:
        if substitute_for is None:
            by_role[role].append(people[email])
            roles_of[email].add(role)
    for _, _, owner, _, _, zone in condition_rows:
        people.setdefault(owner, rp.Person(owner, "", zone or None))
    return rp.ProjectState(
        key=project.key,
        name=project.name,
        status=project.status,
        phase=project.phase,
        final=workflow.phase(project.phase).final,
        started_on=project.started_on,
        policy=workflow.reminders,
        members={role: tuple(held) for role, held in by_role.items()},
        people=people,
        items=_open_items(
            connection=connection, project=project, workflow=workflow, gate_names=gate_names
        ),
        reviews=_open_reviews(
            connection=connection,
            project_id=pid,
            workflow=workflow,
            roles_of={email: frozenset(roles) for email, roles in roles_of.items()},
        ),
        conditions=tuple(
            rp.OpenCondition(
                id=id_ or 0,
                text=text,
                owner=owner,
                due_on=due_on,
                gate_name=gate_names.get(gate_id, gate_id),
            )
            for id_, text, owner, due_on, gate_id, _ in condition_rows
        ),
        phase_entries=_phase_entries(connection=connection, project_id=pid, tz=tz),
        final_phases=frozenset(p.id for p in workflow.phases if p.final),
    )


def _open_items(
    *, connection: Connection, project: Project, workflow: Workflow, gate_names: dict[str, str]
) -> tuple[rp.OpenItem, ...]:
    """Open items with a deadline, of the gates still ahead (and any restlista).

    One select: the item's gate target is joined in, so items of a gate with
    no target date never leave the database.
    """
    ahead = sorted(g.id for g in workflow.gates if g.source in _reachable(workflow, project.phase))
    rows = connection.execute(
        core_select(
            col(ChecklistItem.id),
            col(ChecklistItem.item_id),
            col(ChecklistItem.text),
            col(ChecklistItem.responsible),
            col(ChecklistItem.due_offset_days),
            col(ChecklistInstance.gate_id),
            col(ChecklistInstance.checklist_id),
            col(GateTarget.target_date),
        )
        .select_from(ChecklistItem)
        .join(ChecklistInstance, col(ChecklistInstance.id) == col(ChecklistItem.instance_id))
        .join(
            GateTarget,
            and_(
                col(GateTarget.project_id) == col(ChecklistInstance.project_id),
                col(GateTarget.gate_id) == col(ChecklistInstance.gate_id),
            ),
        )
        .where(
            col(ChecklistItem.project_id) == project.id,
            col(ChecklistInstance.project_id) == project.id,
            col(ChecklistItem.status) == ItemStatus.OPEN,
            col(ChecklistItem.due_offset_days).is_not(None),
            or_(col(ChecklistInstance.gate_id).in_(ahead), col(ChecklistItem.restlista)),
        )
        .order_by(col(ChecklistItem.id))
    ).all()
    return tuple(
        rp.OpenItem(
            id=id_ or 0,
            gate_id=gate_id,
            gate_name=gate_names.get(gate_id, gate_id),
            checklist_id=checklist_id,
            item_id=item_id,
            text=text,
            responsible=responsible,
            due_on=target + timedelta(days=offset or 0),  # never None: filtered above
        )
        for id_, item_id, text, responsible, offset, gate_id, checklist_id, target in rows
    )


def _reachable(workflow: Workflow, phase: str) -> set[str]:
    seen = {phase}
    frontier = [phase]
    while frontier:
        for gate in workflow.gates_from(frontier.pop()):
            if gate.dest not in seen:
                seen.add(gate.dest)
                frontier.append(gate.dest)
    return seen


def _open_reviews(
    *,
    connection: Connection,
    project_id: int,
    workflow: Workflow,
    roles_of: dict[str, frozenset[str]],
) -> tuple[rp.OpenReview, ...]:
    reviews = connection.execute(
        core_select(
            col(GateReview.id),
            col(GateReview.gate_id),
            col(GateReview.requested_by),
            col(GateReview.requested_at),
        )
        .where(
            col(GateReview.project_id) == project_id,
            col(GateReview.status) == ReviewStatus.OPEN,
        )
        .order_by(col(GateReview.id))
    ).all()
    if not reviews:
        return ()
    ids = [id_ for id_, _, _, _ in reviews]
    voted: dict[int, set[str]] = defaultdict(set)
    for review_id, member in connection.execute(
        core_select(col(ReviewVote.review_id), col(ReviewVote.member)).where(
            col(ReviewVote.review_id).in_(ids)
        )
    ).all():
        voted[review_id].add(member)
    conflicts: dict[int, dict[str, str]] = defaultdict(dict)
    for review_id, member, reason in connection.execute(
        core_select(
            col(ConflictOfInterest.review_id),
            col(ConflictOfInterest.member),
            col(ConflictOfInterest.reason),
        ).where(col(ConflictOfInterest.review_id).in_(ids))
    ).all():
        conflicts[review_id][member] = reason
    out: list[rp.OpenReview] = []
    for id_, gate_id, requested_by, requested_at in reviews:
        review_id = id_ or 0
        gate = workflow.gate(gate_id)
        if gate.approval is None:
            continue
        seats = electorate(
            gate.approval,
            roles_of,
            requester=requested_by,
            conflicts=conflicts[review_id],
        ).seats
        out.append(
            rp.OpenReview(
                id=review_id,
                gate_id=gate.id,
                gate_name=gate.name,
                requested_at=requested_at,
                seats=tuple(seat.member for seat in seats),
                voted=frozenset(voted[review_id]),
                conflicted=frozenset(conflicts[review_id]),
            )
        )
    return tuple(out)


def _phase_entries(*, connection: Connection, project_id: int, tz: Any) -> dict[str, date]:
    """The local date the project last entered each phase."""
    entries: dict[str, date] = {}
    for phase, at in connection.execute(
        core_select(col(PhaseChange.to_phase), col(PhaseChange.at))
        .where(col(PhaseChange.project_id) == project_id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ).all():
        entries[phase] = at.astimezone(tz).date()
    return entries


# -- writing the rows ------------------------------------------------------------

# What re-planning compares and rewrites, read as plain tuples (never ORM objects).
_COLUMNS = (
    col(Reminder.id),
    col(Reminder.key),
    col(Reminder.status),
    col(Reminder.recipient_name),
    col(Reminder.title),
    # The stored JSON text, compared with the planned details' own text: a fraction of
    # the cost of decoding every open row (see `_same_details`).
    cast(col(Reminder.details), Text).label("details"),
    col(Reminder.link),
    col(Reminder.due_at),
    col(Reminder.next_attempt_at),
)
_REFRESHABLE = (*OPEN_STATUSES, ReminderStatus.CANCELLED)
_UPDATE = (
    update(Reminder)
    .where(col(Reminder.id) == bindparam("row_id"))
    .values(
        recipient_name=bindparam("recipient_name"),
        title=bindparam("title"),
        details=bindparam("details"),
        link=bindparam("link"),
        due_at=bindparam("due_at"),
        next_attempt_at=bindparam("next_attempt_at"),
        status=bindparam("status"),
        updated_at=bindparam("updated_at"),
    )
)


def _set_status(
    *,
    session: Session,
    project_id: int,
    now: datetime,
    where: Sequence[ReminderStatus],
    to: ReminderStatus,
) -> int:
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Reminder)
        .where(
            col(Reminder.project_id) == project_id,
            col(Reminder.status).in_([s.value for s in where]),
        )
        .values(status=to, updated_at=now)
    )
    return int(result.rowcount or 0)


def _upsert(
    *, session: Session, project_id: int, planned: list[rp.PlannedReminder], now: datetime
) -> PlanReport:
    """Diff the plan against the rows by key; at most four set-based writes.

    Every row read here is read `FOR UPDATE` (a no-op on SQLite, where the
    write transaction holds the database): a dispatcher claiming with SKIP
    LOCKED passes over them until we commit, and one that claimed a row
    first makes us wait and then see it claimed, so a claimed row is never
    overwritten.
    """
    session.flush()
    connection = session.connection()
    rows: dict[str, Any] = {  # key -> Row of _COLUMNS
        row.key: row
        for row in connection.execute(
            core_select(*_COLUMNS)
            .where(
                col(Reminder.project_id) == project_id,
                col(Reminder.status).in_([s.value for s in OPEN_STATUSES]),
            )
            .with_for_update()
        )
    }
    # A late reminder never gets a new row nor revives a cancelled one, so only the
    # keys that could be inserted or revived are looked for among the other rows.
    keys = [p.key for p in planned if p.key not in rows and not p.late]
    for start in range(0, len(keys), _KEY_CHUNK):
        for row in connection.execute(
            core_select(*_COLUMNS)
            .where(col(Reminder.key).in_(keys[start : start + _KEY_CHUNK]))
            .with_for_update()
        ):
            rows[row.key] = row
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    wanted: set[str] = set()
    for reminder in planned:
        wanted.add(reminder.key)
        found = rows.get(reminder.key)
        if found is None:
            if not reminder.late:
                inserts.append(_new_row(project_id, reminder, now))
        elif found.status in _REFRESHABLE:
            if found.status is ReminderStatus.CANCELLED and reminder.late:
                continue
            change = _refresh(found, reminder, now)
            if change is not None:
                updates.append(change)
    obsolete = [
        row.id for key, row in rows.items() if key not in wanted and row.status in OPEN_STATUSES
    ]
    if inserts:
        connection.execute(insert(Reminder), inserts)
    if updates:
        connection.execute(_UPDATE, updates)
    for start in range(0, len(obsolete), _KEY_CHUNK):
        connection.execute(
            update(Reminder)
            .where(col(Reminder.id).in_(obsolete[start : start + _KEY_CHUNK]))
            .values(status=ReminderStatus.CANCELLED, updated_at=now)
        )
    return PlanReport(created=len(inserts), updated=len(updates), cancelled=len(obsolete))


def _new_row(project_id: int, reminder: rp.PlannedReminder, now: datetime) -> dict[str, Any]:
    return {
        "project_id": project_id,
        "key": reminder.key,
        "kind": ReminderKind(reminder.kind),
        "recipient_email": reminder.recipient_email,
        "recipient_name": reminder.recipient_name,
        "subject_type": reminder.subject_type,
        "subject_id": reminder.subject_id,
        "title": reminder.title,
        "details": reminder.details,
        "link": reminder.link,
        "due_at": reminder.due_at,
        "status": ReminderStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": reminder.due_at,
        "claimed_by": None,
        "claimed_until": None,
        "sent_at": None,
        "last_error": None,
        "channels": [],
        "created_at": now,
        "updated_at": now,
    }


def _same_details(stored: str | None, planned: dict[str, Any]) -> bool:
    """Whether a row's stored details (JSON text) are the planned ones.

    The text is written by `json.dumps` (SQLAlchemy's and psycopg's default), so
    an unchanged row nearly always matches it verbatim; otherwise the values
    are compared, so a difference in spelling alone changes nothing.
    """
    if stored is None:
        return False
    return stored == json.dumps(planned) or json.loads(stored) == planned


def _refresh(row: Row[Any], reminder: rp.PlannedReminder, now: datetime) -> dict[str, Any] | None:
    """The row's values as planned now (parameters of `_UPDATE`), or None if unchanged."""
    status: ReminderStatus = row.status
    next_attempt_at: datetime = row.next_attempt_at
    changed = (
        row.recipient_name != reminder.recipient_name
        or row.title != reminder.title
        or row.link != reminder.link
        or not _same_details(row.details, reminder.details)
    )
    if row.due_at != reminder.due_at:
        if status is not ReminderStatus.RETRYING:
            next_attempt_at = reminder.due_at
        changed = True
    if status in (ReminderStatus.PAUSED, ReminderStatus.CANCELLED):
        status = ReminderStatus.PENDING
        next_attempt_at = reminder.due_at
        changed = True
    if not changed:
        return None
    return {
        "row_id": row.id,
        "recipient_name": reminder.recipient_name,
        "title": reminder.title,
        "details": reminder.details,
        "link": reminder.link,
        "due_at": reminder.due_at,
        "next_attempt_at": next_attempt_at,
        "status": status,
        "updated_at": now,
    }


__all__ = [
    "OPEN_STATUSES",
    "PlanReport",
    "forget",
    "load_state",
    "replan",
    "replan_all",
    "replan_project",
]
