"""The reminder backlog: how many reminders are due and not yet sent (for monitoring).

Read at scrape time by the metrics endpoint; a backlog that keeps growing means
no process runs the dispatcher, or its channels keep failing.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from gatekeeper.core.status import ReminderStatus
from gatekeeper.services.context import Context
from gatekeeper.store.reminders.tables import Reminder

WAITING = (ReminderStatus.PENDING, ReminderStatus.RETRYING, ReminderStatus.CLAIMED)


def due_unsent(ctx: Context) -> int:
    """Reminders whose time to go out has come (pending, retrying or claimed) but not sent."""
    with ctx.db.read() as session:
        return session.exec(
            select(func.count())
            .select_from(Reminder)
            .where(
                col(Reminder.status).in_(WAITING),
                col(Reminder.next_attempt_at) <= ctx.clock.now(),
            )
        ).one()
