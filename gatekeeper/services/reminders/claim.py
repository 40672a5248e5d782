"""Claiming due reminders: the first step of dispatch, one short write transaction.

`claim_due` takes up to `limit` rows that are due — `pending` or `retrying`
with `next_attempt_at <= now`, and `claimed` rows whose lease has run out (a
dispatcher died) — and sets them `claimed` by one worker until the lease's
end. PostgreSQL selects them `FOR UPDATE SKIP LOCKED`, so dispatchers neither
wait for nor take each other's rows; on SQLite the write transaction is
exclusive. Notices of a deadline or meeting whose day has already passed are
cancelled here instead of being handed on. What the dispatcher does with the
claims is in `services.reminders.dispatch`; `fenced` is the UPDATE that
only touches a row while its claim still holds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Integer, any_, bindparam, update
from sqlalchemy import select as core_select
from sqlalchemy.dialects import postgresql
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events import EventName
from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.audit.outbox import wants
from gatekeeper.store.audit.webhook_tables import WebhookSubscription
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import Reminder

logger = logging.getLogger("gatekeeper.reminders")

ACTOR = Actor.system("reminders")  # who the dispatcher records changes as

OUTDATED_REASON = "Inaktuell: dagen den gällde hade redan passerat när den skulle skickas."
_DUE = (ReminderStatus.PENDING, ReminderStatus.RETRYING, ReminderStatus.CLAIMED)


class Held(NamedTuple):
    """The columns of a claimed reminder the dispatcher reads (a Core row, not an ORM object)."""

    id: int
    project_id: int
    kind: ReminderKind
    recipient_email: str
    recipient_name: str
    subject_type: str
    subject_id: str
    title: str
    details: dict[str, Any]
    link: str
    due_at: datetime
    attempts: int
    next_attempt_at: datetime


HELD_COLUMNS = [getattr(Reminder, name) for name in Held._fields]


@dataclass(frozen=True)
class Claim:
    """A reminder this dispatcher holds: all it needs to deliver and mark it."""

    reminder: Held
    project_key: str
    project_name: str
    digest: bool  # the recipient chose a daily digest instead of single e-mails
    publish: bool  # the project had a webhook wanting `reminder.sent` when the batch was claimed
    language: str | None = None  # the language the recipient chose on their account, if any


def fenced(reminder_id: int, worker: str, until: datetime) -> Any:
    """The UPDATE of a row this dispatcher still holds, and only then."""
    return (
        update(Reminder)
        .where(
            col(Reminder.id) == reminder_id,
            col(Reminder.status) == ReminderStatus.CLAIMED,
            col(Reminder.claimed_by) == worker,
            col(Reminder.claimed_until) == until,
        )
        .execution_options(synchronize_session=False)
    )


def claim_due(
    ctx: Context, *, worker: str, limit: int, lease: timedelta, now: datetime
) -> tuple[datetime, list[Claim]]:
    """Claim up to `limit` due reminders (and abandoned claims) in one write transaction.

    Returns the lease's end and the claims, oldest due first.
    """
    until = now + lease
    with ctx.db.write() as session:
        connection = session.connection()  # Core rows: an ORM object per reminder costs
        # Ids first, straight off the (status, next_attempt_at) index without a sort, so
        # a claim costs the same with a backlog of 100 or 100,000. Rows another
        # dispatcher is claiming right now are skipped, not waited for.
        picked = connection.execute(
            core_select(col(Reminder.id), col(Reminder.status))
            .where(col(Reminder.status).in_(_DUE), col(Reminder.next_attempt_at) <= now)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not picked:
            return until, []
        ids = [id_ for id_, _ in picked if id_ is not None]
        abandoned = [id_ for id_, status in picked if status is ReminderStatus.CLAIMED]
        if abandoned:
            logger.warning(
                "taking over %d reminder(s) whose dispatcher's lease ran out: %s",
                len(abandoned),
                abandoned[:20],
                extra={"worker": worker},
            )
        held = sorted(
            (
                Held(*row)
                for row in connection.execute(
                    update(Reminder)
                    .where(_among(ids, sqlite=ctx.db.is_sqlite))
                    .values(
                        status=ReminderStatus.CLAIMED,
                        claimed_by=worker,
                        claimed_until=until,
                        next_attempt_at=until,
                        updated_at=now,
                    )
                    .returning(*HELD_COLUMNS)
                )
            ),
            key=lambda r: (r.next_attempt_at, r.id),
        )
        outdated = [r.id for r in held if _outdated(r, now)]
        if outdated:
            _cancel_outdated(connection, outdated, sqlite=ctx.db.is_sqlite, now=now)
            held = [r for r in held if r.id not in set(outdated)]
        project_ids = {r.project_id for r in held}
        projects = {
            id_: (key, name)
            for id_, key, name in connection.execute(
                core_select(col(Project.id), col(Project.key), col(Project.name)).where(
                    col(Project.id).in_(project_ids)
                )
            )
        }
        digest: set[str] = set()
        languages: dict[str, str] = {}
        for email, wants_digest, language in connection.execute(
            core_select(
                col(UserAccount.email), col(UserAccount.email_digest), col(UserAccount.language)
            ).where(col(UserAccount.email).in_({r.recipient_email.lower() for r in held}))
        ):
            if wants_digest:
                digest.add(email)
            if language:
                languages[email] = language
        publishing = _publishing_projects(session, project_ids)
        return until, [
            Claim(
                reminder=r,
                project_key=projects[r.project_id][0],
                project_name=projects[r.project_id][1],
                digest=r.recipient_email.lower() in digest,
                publish=r.project_id in publishing,
                language=languages.get(r.recipient_email.lower()),
            )
            for r in held
        ]


def _outdated(reminder: Held, now: datetime) -> bool:
    """A notice of something ahead whose day has passed: a meeting held, a deadline gone by.

    Such a row can be due late (no dispatcher ran for a while, the project was
    paused, it was planned under an earlier clock); sent now it would announce
    the past. Overdue items have escalation reminders of their own.
    """
    ahead = {ReminderKind.DEADLINE: "due_on", ReminderKind.MEETING: "meeting_on"}
    field = ahead.get(reminder.kind)
    raw = reminder.details.get(field) if field else None
    if not isinstance(raw, str):
        return False
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return False
    return day < now.astimezone(LOCAL_ZONE).date()


def _cancel_outdated(connection: Any, ids: list[int], *, sqlite: bool, now: datetime) -> None:
    """Cancel claimed notices that came too late to be of use (kept, with the reason)."""
    connection.execute(
        update(Reminder)
        .where(_among(ids, sqlite=sqlite))
        .values(
            status=ReminderStatus.CANCELLED,
            claimed_by=None,
            claimed_until=None,
            last_error=OUTDATED_REASON,
            updated_at=now,
        )
    )
    logger.info("cancelled %d reminder(s) whose day had passed before they could go out", len(ids))


def _among(ids: list[int], *, sqlite: bool) -> Any:
    """`reminder.id` is one of `ids`: on PostgreSQL one array parameter (`= ANY(...)`).

    A short statement psycopg parses once and the server prepares once, where
    `IN (…200 parameters…)` is a new statement text for every batch size.
    """
    if sqlite:
        return col(Reminder.id).in_(ids)
    return col(Reminder.id) == any_(bindparam("ids", ids, type_=postgresql.ARRAY(Integer)))


def _publishing_projects(session: Session, project_ids: set[int]) -> set[int]:
    """Those of `project_ids` with an active webhook subscription that wants `reminder.sent`.

    Read once per batch: a query per reminder would cost a fifth of the throughput.
    """
    subscriptions = session.exec(
        select(WebhookSubscription).where(
            col(WebhookSubscription.project_id).in_(project_ids),
            col(WebhookSubscription.active).is_(True),
        )
    ).all()
    return {s.project_id for s in subscriptions if wants(s, EventName.REMINDER_SENT.value)}
