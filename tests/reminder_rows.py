"""Reminder rows made directly, as the planner would make them (tests need no planner).

`add_due_reminders` inserts any number of rows in bulk, Swedish and shaped like
the seeds (a checklist item's deadline for a projektledare, with body lines and
a link into the web UI); `reminder_ids` and `inbox_count` read them back.
`cancel_planned` cancels what the planner made when the project started, so a
dispatch test counts only its own rows. `open_reminders` gives the reminders
still to be sent as what a recipient would see, to compare two plannings.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import col, select

from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.reminders.plan_rows import OPEN_STATUSES
from gatekeeper.store.reminders.tables import InboxMessage, Reminder

KEY = "ibic-alingsas"
RECIPIENT = ("anita.lindqvist@alingsas.se", "Anita Lindqvist")
CHUNK = 5_000


def reminder_values(project_id: int, due: datetime, n: int, **overrides: Any) -> dict[str, Any]:
    """One row's values: a deadline 14 days ahead of checklist item number `n`."""
    values: dict[str, Any] = {
        "project_id": project_id,
        "key": f"test/{uuid.uuid4().hex}/{n}",
        "kind": ReminderKind.DEADLINE,
        "recipient_email": RECIPIENT[0],
        "recipient_name": RECIPIENT[1],
        "subject_type": "checklist_item",
        "subject_id": f"forstudie/punkt-{n}",
        "title": f"Projektplan {n} ska vara klar om 14 dagar",
        "details": {
            "lines": [
                f"Punkten ”Projektplan {n}” i grinden Förstudie klar ska vara klar "
                "den 9 december 2026.",
                "Du är ansvarig som projektledare för Införande av IBIC.",
            ],
            "project_key": KEY,
            "project_name": "Införande av IBIC",
        },
        "link": f"/projects/{KEY}/gates/forstudie-klar",
        "due_at": due,
        "status": ReminderStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": due,
        "channels": [],
        "created_at": due - timedelta(days=14),
        "updated_at": due - timedelta(days=14),
    }
    values.update(overrides)
    return values


def add_due_reminders(
    ctx: Context, count: int, *, due: datetime, project_key: str = KEY, **overrides: Any
) -> list[int]:
    """Insert `count` reminders due at `due` (in bulk); their ids, in order."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
    assert project.id is not None
    before = set(reminder_ids(ctx))
    for start in range(0, count, CHUNK):
        rows = [
            reminder_values(project.id, due, n, **overrides)
            for n in range(start, min(start + CHUNK, count))
        ]
        with ctx.db.write() as session:
            session.execute(insert(Reminder), rows)
    return [id_ for id_ in reminder_ids(ctx) if id_ not in before]


def cancel_planned(ctx: Context) -> None:
    """Cancel every reminder there is (those the planner made for a new project)."""
    with ctx.db.write() as session:
        session.execute(update(Reminder).values(status=ReminderStatus.CANCELLED))


def reminder_ids(ctx: Context, status: ReminderStatus | None = None) -> list[int]:
    """Ids of every reminder (in `status`), in order."""
    with ctx.db.read() as session:
        statement = select(Reminder.id).order_by(col(Reminder.id))
        if status is not None:
            statement = statement.where(Reminder.status == status)
        return [id_ for id_ in session.exec(statement).all() if id_ is not None]


def inbox_count(ctx: Context) -> int:
    """How many inbox messages exist."""
    with ctx.db.read() as session:
        return session.exec(select(func.count()).select_from(InboxMessage)).one()


def open_reminders(ctx: Context, project_id: int | None = None) -> set[tuple[Any, ...]]:
    """Every reminder still to be sent (of one project, or of all), as the values a
    recipient would see: not those cancelled, nor the log of the past (sent, failed
    or missed)."""
    query = select(Reminder).where(col(Reminder.status).in_(OPEN_STATUSES))
    if project_id is not None:
        query = query.where(Reminder.project_id == project_id)
    with ctx.db.read() as session:
        return {
            (
                r.key,
                r.kind,
                r.status,
                r.recipient_email,
                r.recipient_name,
                r.subject_type,
                r.subject_id,
                r.title,
                r.link,
                r.due_at,
                r.next_attempt_at,
                repr(sorted(r.details.items())),
            )
            for r in session.exec(query).all()
        }
