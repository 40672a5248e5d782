"""Marking a delivered reminder sent: its inbox copy and webhook row, exactly once.

After its external channels have taken a reminder, one transaction marks the
row `sent` and, in the same commit, writes its in-app inbox message and (if
the project publishes) its `reminder.sent` webhook outbox row; reminders with
no channel outside the database are marked as one group. Every marking
UPDATE is fenced by the claim (`claim.fenced`), so a row whose lease was taken
over is left alone and reported as not ours. On PostgreSQL, without a
webhook, the marking is one statement (UPDATE … RETURNING feeding the inbox
INSERT) in autocommit on a connection held for the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Connection,
    Text,
    bindparam,
    insert,
    literal_column,
    update,
)
from sqlalchemy import select as core_select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import col

from gatekeeper.channels.base import Notice
from gatekeeper.core.events.reminders import (
    Delivery,
    Recipient,
    ReminderSent,
    Subject,
)
from gatekeeper.core.status import ReminderChannel, ReminderStatus
from gatekeeper.errors import DatabaseUnavailable
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.claim import ACTOR, Claim, fenced
from gatekeeper.services.reminders.notice import notice_lines
from gatekeeper.store.audit.outbox import iso_utc, publish
from gatekeeper.store.reminders.tables import InboxMessage, Reminder
from gatekeeper.store.types import UTCDateTime


def _reminder_payload(
    claim: Claim, notice: Notice, channels: list[str], at: datetime
) -> dict[str, Any]:
    """The `reminder.sent` webhook payload (shaped like the audit events' payloads)."""
    reminder = claim.reminder
    return {
        "id": f"reminder-{reminder.id}",
        "event": ReminderSent.name.value,
        "occurred_at": iso_utc(at),
        "actor": str(ACTOR),
        "project": claim.project_key,
        "object": {"type": "reminder", "id": str(reminder.id)},
        "before": None,
        "after": ReminderSent(
            object_id=str(reminder.id),
            after=Delivery(
                kind=str(reminder.kind),
                title=reminder.title,
                lines=list(notice_lines(reminder.details or {})),
                recipient=Recipient(email=reminder.recipient_email, name=reminder.recipient_name),
                subject=Subject(type=reminder.subject_type, id=reminder.subject_id),
                due_at=iso_utc(reminder.due_at),
                link=notice.url,
                channels=channels,
            ),
        ).after_payload(),
    }


def _sent_values(channels: list[str], at: datetime) -> dict[str, Any]:
    return {
        "status": ReminderStatus.SENT,
        "attempts": Reminder.attempts + 1,
        "sent_at": at,
        "claimed_by": None,
        "claimed_until": None,
        "last_error": None,
        "channels": channels,
        "updated_at": at,
    }


def _inbox_values(claim: Claim, at: datetime) -> dict[str, Any]:
    reminder = claim.reminder
    return {
        "reminder_id": reminder.id,
        "project_id": reminder.project_id,
        "recipient_email": reminder.recipient_email,
        "title": reminder.title,
        "body": "\n".join(notice_lines(reminder.details or {})),
        "link": reminder.link,
        "created_at": at,
    }


def _mark_at_once_statement() -> Any:
    """PostgreSQL: the fenced UPDATE to sent and the inbox INSERT as one statement.

    Run in autocommit it is its own transaction — one round trip per reminder,
    commit included — and as atomic as the two-statement transaction: the inbox
    row exists if and only if this dispatcher still held the row and marked it.
    Built once; the bound values are passed per reminder.
    """
    marked = (
        update(Reminder)
        .where(
            col(Reminder.id) == bindparam("rid"),
            col(Reminder.status) == ReminderStatus.CLAIMED,
            col(Reminder.claimed_by) == bindparam("worker"),
            col(Reminder.claimed_until) == bindparam("until", type_=UTCDateTime),
        )
        .values(
            status=ReminderStatus.SENT,
            attempts=Reminder.attempts + 1,
            sent_at=bindparam("at", type_=UTCDateTime),
            claimed_by=None,
            claimed_until=None,
            last_error=None,
            channels=bindparam("channels", type_=JSON),
            updated_at=bindparam("at", type_=UTCDateTime),
        )
        .returning(
            col(Reminder.id),
            col(Reminder.project_id),
            col(Reminder.recipient_email),
            col(Reminder.title),
            col(Reminder.link),
        )
        .cte("marked")
    )
    copy = core_select(
        marked.c.id,
        marked.c.project_id,
        marked.c.recipient_email,
        marked.c.title,
        bindparam("body", type_=Text),
        marked.c.link,
        bindparam("at", type_=UTCDateTime),
    )
    columns = ["reminder_id", "project_id", "recipient_email", "title", "body", "link"]
    return (
        insert(InboxMessage)
        .from_select([*columns, "created_at"], copy)
        .returning(literal_column("1"))
    )


_MARK_AT_ONCE = _mark_at_once_statement()


@contextmanager
def held_connection(ctx: Context) -> Iterator[Connection | None]:
    """PostgreSQL: one autocommit connection for the whole batch; SQLite: None.

    Checked out (and pinged) once per batch instead of once per reminder.
    SQLite keeps one write transaction per reminder (`ctx.db.write()`: its
    writer lock and `BEGIN IMMEDIATE`); it has one writer anyway.
    """
    if ctx.db.is_sqlite:
        yield None
        return
    try:
        with ctx.db.engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")
    except (OperationalError, InterfaceError) as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise DatabaseUnavailable(
            f"The database {ctx.db.display_url} is unavailable: {reason}"
        ) from None


def mark_quiet(
    ctx: Context, claims: Sequence[Claim], *, worker: str, until: datetime, at: datetime
) -> int:
    """Mark reminders with no channel outside the database sent, all in one transaction.

    Nothing of theirs left the database, so one commit for the group keeps
    "exactly once": the fenced UPDATE marks the rows still held, and only
    those get their inbox message. How many were marked.
    """
    with ctx.db.write() as session:
        connection = session.connection()
        marked = set(
            connection.execute(
                update(Reminder)
                .where(
                    col(Reminder.id).in_([c.reminder.id for c in claims]),
                    col(Reminder.status) == ReminderStatus.CLAIMED,
                    col(Reminder.claimed_by) == worker,
                    col(Reminder.claimed_until) == until,
                )
                .values(**_sent_values([ReminderChannel.INBOX.value], at))
                .returning(col(Reminder.id))
            ).scalars()
        )
        rows = [_inbox_values(c, at) for c in claims if c.reminder.id in marked]
        if rows:
            connection.execute(insert(InboxMessage), rows)
        return len(rows)


def mark_sent(
    ctx: Context,
    claim: Claim,
    notice: Notice,
    *,
    worker: str,
    until: datetime,
    external: list[str],
    at: datetime,
    held: Connection | None,
) -> bool:
    """Mark one reminder sent with its inbox message and webhook row; False if not ours."""
    reminder = claim.reminder
    assert reminder.id is not None
    channels = [ReminderChannel.INBOX.value, *external]
    if held is not None and not claim.publish:
        copied = held.execute(
            _MARK_AT_ONCE,
            {
                "rid": reminder.id,
                "worker": worker,
                "until": until,
                "at": at,
                "channels": channels,
                # The inbox keeps the Swedish words, like its title (the e-mail may be English).
                "body": "\n".join(notice_lines(reminder.details or {})),
            },
        ).first()
        return copied is not None
    with ctx.db.write() as session:
        connection = session.connection()  # Core statements: this runs for every reminder
        marked = connection.execute(
            fenced(reminder.id, worker, until).values(**_sent_values(channels, at))
        ).rowcount
        if marked != 1:
            return False
        connection.execute(insert(InboxMessage).values(**_inbox_values(claim, at)))
        if not claim.publish:
            return True
        webhook = ReminderChannel.WEBHOOK.value
        published = publish(
            session=session,
            project_id=reminder.project_id,
            name=ReminderSent.name.value,
            payload=_reminder_payload(claim, notice, [*channels, webhook], at),
            at=at,
        )
        if published is not None:
            session.exec(
                update(Reminder)
                .where(col(Reminder.id) == reminder.id)
                .values(channels=[*channels, webhook])
                .execution_options(synchronize_session=False)
            )
        return True
