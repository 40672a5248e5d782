"""Keeping a project's reminder rows in step with the project: re-planning.

`replan` loads one project as the pure planner (`gatekeeper.core.reminders.plan`)
needs it (`plan_state`), with a fixed handful of column-only Core selects (no
ORM objects), and upserts the result by key with set-based statements
(`plan_rows`: one executemany INSERT, one executemany UPDATE, one cancelling
UPDATE). Given a `Scope`, it reads and rewrites only the reminders of the
subjects the scope covers (how a change re-plans; one reopened item, the
common case, is read with the members in one select, and with nothing to
plan its open rows are cancelled with one UPDATE, no read first); without,
all of the project's (the daily job). New keys become
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

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Text, bindparam, cast, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import CursorResult
from sqlmodel import Session, col, select

from gatekeeper.core.reminders import plan as rp
from gatekeeper.core.status import (
    ProjectStatus,
    ReminderStatus,
)
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.reminders.plan_rows import (
    OPEN_STATUSES,
    PlanReport,
    set_status,
    upsert,
)
from gatekeeper.services.reminders.plan_state import load_state
from gatekeeper.services.reminders.scope import EVERYTHING, Scope
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem, Project
from gatekeeper.store.reminders.tables import Reminder


def replan(
    *, session: Session, project: Project, now: datetime, scope: Scope = EVERYTHING
) -> PlanReport:
    """Bring the project's reminder rows (of the subjects in `scope`) in step with it."""
    assert project.id is not None
    workflow = project_workflow(session=session, project=project)
    if project.status is ProjectStatus.ON_HOLD:
        paused = set_status(
            session=session,
            project_id=project.id,
            now=now,
            where=(ReminderStatus.PENDING, ReminderStatus.RETRYING),
            to=ReminderStatus.PAUSED,
        )
        return PlanReport(paused=paused)
    if project.status is not ProjectStatus.ACTIVE or workflow.phase(project.phase).final:
        cancelled = set_status(
            session=session,
            project_id=project.id,
            now=now,
            where=OPEN_STATUSES,
            to=ReminderStatus.CANCELLED,
        )
        return PlanReport(cancelled=cancelled)
    state = load_state(session=session, project=project, workflow=workflow, scope=scope)
    planned = rp.plan(state, now=now, parts=scope.parts)
    if not planned and scope.single_item is not None:
        # Nothing to plan for the one item (no deadline ahead, nobody to remind): what
        # the diff would do, cancel its open rows, is one UPDATE, with no read first.
        cancelled = forget(
            session=session,
            project_id=project.id,
            subject_type="checklist_item",
            subject_id=scope.single_item,
            now=now,
        )
        return PlanReport(cancelled=cancelled)
    return upsert(session=session, project_id=project.id, planned=planned, now=now, scope=scope)


_FORGET_SUBJECT = (
    update(Reminder)
    .where(
        col(Reminder.project_id) == bindparam("of_project"),
        col(Reminder.status).in_([s.value for s in OPEN_STATUSES]),
        col(Reminder.subject_type) == bindparam("of_type"),
        col(Reminder.subject_id) == bindparam("of_subject"),
    )
    .values(status=ReminderStatus.CANCELLED, updated_at=bindparam("cancelled_at"))
)


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
    if recipient_email is None:  # the common case (a tick): one statement built once,
        # run on the connection as the plan's own writes are (`plan_rows.upsert`)
        result = session.connection().execute(
            _FORGET_SUBJECT,
            {
                "of_project": project_id,
                "of_type": subject_type,
                "of_subject": str(subject_id),
                "cancelled_at": now,
            },
        )
        return int(result.rowcount or 0)
    who = [col(Reminder.recipient_email) == recipient_email]
    return _cancel_open(
        session,
        project_id,
        now,
        col(Reminder.subject_type) == subject_type,
        col(Reminder.subject_id) == str(subject_id),
        *who,
    )


# Built once: the items of some gates (not on a restlista), and the cancelling of the
# open reminders of some items; the lists are expanding parameters.
_ITEMS_OF_GATES = (
    core_select(cast(col(ChecklistItem.id), Text))
    .join(ChecklistInstance, col(ChecklistInstance.id) == col(ChecklistItem.instance_id))
    .where(
        col(ChecklistItem.project_id) == bindparam("project_id"),
        col(ChecklistInstance.project_id) == bindparam("project_id"),
        col(ChecklistInstance.gate_id).in_(bindparam("gate_ids", expanding=True)),
        col(ChecklistItem.restlista).is_(False),
    )
)
_FORGET_ITEMS = (
    update(Reminder)
    .where(
        col(Reminder.project_id) == bindparam("of_project"),
        col(Reminder.status).in_([s.value for s in OPEN_STATUSES]),
        col(Reminder.subject_type) == "checklist_item",
        col(Reminder.subject_id).in_(bindparam("items", expanding=True)),
    )
    .values(status=ReminderStatus.CANCELLED, updated_at=bindparam("cancelled_at"))
)


_GATE_ITEMS = "gatekeeper.gate_items"


def note_gate_items(
    *, session: Session, project_id: int, gate_id: str, items: Sequence[ChecklistItem]
) -> None:
    """Remember, for this transaction, every item of one gate as read (as ORM rows) by
    the caller (a gate judged before it is passed), so that `forget_gates` need not read
    them again."""
    session.info.setdefault(_GATE_ITEMS, {})[(project_id, gate_id)] = tuple(items)


def forget_gates(
    *, session: Session, project_id: int, gate_ids: frozenset[str], now: datetime
) -> int:
    """Cancel the open reminders of the items of gates left behind (not those on a
    restlista, which are reminded until done); how many.

    Two statements: the items' ids, then one UPDATE naming them. (One UPDATE with
    the items as a subquery lets PostgreSQL's planner, on a table not yet analysed,
    pick a nested loop that reads the project's items once per reminder.)
    """
    session.flush()  # an item put on the restlista in this transaction keeps its reminders
    connection = session.connection()
    known: dict[tuple[int, str], Sequence[ChecklistItem]] = session.info.get(_GATE_ITEMS, {})
    items: Sequence[str]
    if all((project_id, gate) in known for gate in gate_ids):
        # The gates were judged in this transaction: their items (ORM rows, so a
        # restlista set since shows) are at hand, and need not be read again.
        items = [
            str(item.id)
            for gate in sorted(gate_ids)
            for item in known[(project_id, gate)]
            if not item.restlista
        ]
    else:
        items = (
            connection.execute(
                _ITEMS_OF_GATES, {"project_id": project_id, "gate_ids": sorted(gate_ids)}
            )
            .scalars()
            .all()
        )
    if not items:
        return 0
    result = connection.execute(
        _FORGET_ITEMS, {"of_project": project_id, "items": list(items), "cancelled_at": now}
    )
    return int(result.rowcount or 0)


def _cancel_open(session: Session, project_id: int, now: datetime, *where: Any) -> int:
    """One UPDATE: the project's open reminders that meet `where` are cancelled; how many."""
    result: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        update(Reminder)
        .where(
            col(Reminder.project_id) == project_id,
            col(Reminder.status).in_([s.value for s in OPEN_STATUSES]),
            *where,
        )
        .values(status=ReminderStatus.CANCELLED, updated_at=now)
    )
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
