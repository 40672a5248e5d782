"""Reminder dispatch: claim due reminders, deliver them, mark them sent, retry failures.

`dispatch_due` works in three steps, like the webhook dispatcher (the first,
claiming, lives in `services.reminder_claim`):

1. **Claim.** One short write transaction takes up to `limit` rows that are
   due — `pending` or `retrying` with `next_attempt_at <= now`, and `claimed`
   rows whose lease has run out (a dispatcher died) — and sets them `claimed`
   by this worker until `now + lease` (`claimed_until`; `next_attempt_at` is
   set to the same moment, so one indexed condition, `next_attempt_at <= now`,
   finds both due and abandoned rows). PostgreSQL: `SELECT … FOR UPDATE SKIP
   LOCKED`, so dispatchers never wait for nor take each other's rows; SQLite:
   the write transaction is exclusive (`BEGIN IMMEDIATE`). Misfire handling is
   the same query: reminders that fell due while no process ran are simply due.
2. **Deliver.** Reminders with no external channel in this run (no e-mail
   configured, or the recipient chose the daily digest) and no webhook to
   publish are marked `sent` as one group, with their inbox messages, in one
   transaction: nothing of theirs left the database. The others go one at a
   time: the external channels (e-mail) are called first, with no transaction
   open; then one transaction marks the row `sent` and, in the same commit,
   writes its in-app inbox message and its webhook outbox row
   (`reminder.sent`). On PostgreSQL, without a webhook, that transaction is
   one statement (UPDATE … RETURNING feeding the inbox INSERT) in autocommit
   on a connection held for the batch: one round trip per reminder. Every
   marking UPDATE is fenced — `WHERE id = … AND status = 'claimed' AND
   claimed_by = worker AND claimed_until = lease` — so if the lease was taken
   over meanwhile nothing is written and the loss is logged. Before each
   e-mail the dispatcher checks that the lease has more than a send's worth
   of time left; if not it hands the rest of the batch back (due at once)
   rather than race another dispatcher.
3. **Failures.** A channel that fails makes the attempt count: `attempts + 1`,
   `retrying` with a back-off of 60 s × 2^(attempts − 1) (at most 6 hours) and
   `last_error`; after `max_attempts` the row is `failed` and an audit event
   `reminder.failed` is written. Dispatch runs in the scheduler or the CLI,
   never in a user's request, so a dead SMTP server delays only reminders.

The guarantee: the in-app inbox copy and the webhook outbox row exist
**exactly once** (written in the transaction that marks the row sent; the
inbox's `reminder_id` is unique besides). E-mail is **at least once**: a
process killed mid-batch re-sends at most the one reminder whose e-mail was in
flight (handed to SMTP but not yet marked); its other claimed, unsent rows go
out once the lease has run out; nothing is lost. The duplicate e-mail carries
the same Message-ID. See docs/reminders.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
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
from sqlmodel import Session, col

from gatekeeper.channels.base import Channel, DeliveryFailed, Notice
from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import Clock
from gatekeeper.core.events.reminders import (
    Delivery,
    Failure,
    Recipient,
    ReminderFailed,
    ReminderSent,
    Subject,
)
from gatekeeper.core.status import ReminderChannel, ReminderStatus
from gatekeeper.errors import DatabaseUnavailable
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.claim import Claim, claim_due
from gatekeeper.store.audit.outbox import iso_utc, publish
from gatekeeper.store.reminders.tables import InboxMessage, Reminder
from gatekeeper.store.types import UTCDateTime

logger = logging.getLogger("gatekeeper.reminders")

ACTOR = Actor.system("reminders")
DEFAULT_LIMIT = 200
DEFAULT_LEASE = timedelta(minutes=5)
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=6)
# Kept in hand beyond the slowest channel's timeout before each send.
LEASE_MARGIN = timedelta(seconds=5)
_MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class DispatchReport:
    """What one `dispatch_due` run did."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0  # the lease was taken over before the row was marked (logged)
    released: int = 0  # handed back unsent because the lease was running out


class _RunClock:
    """The time of one run: `now` as given, moving on with real time; else the context's clock."""

    def __init__(self, clock: Clock, now: datetime | None) -> None:
        self._clock = clock
        self._start = now
        self._started = time.monotonic()

    def now(self) -> datetime:
        if self._start is None:
            return self._clock.now()
        return self._start + timedelta(seconds=time.monotonic() - self._started)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 60 s × 2^(attempts − 1), at most 6 h."""
    return min(BACKOFF_BASE * (1 << min(max(attempts - 1, 0), 20)), BACKOFF_CAP)


def absolute_link(link: str, base_url: str) -> str:
    """`link` (a path in the web UI) as a full URL under `base_url`; "" stays ""."""
    if not link or "://" in link:
        return link
    return base_url.rstrip("/") + "/" + link.lstrip("/")


def _lines(details: dict[str, Any]) -> tuple[str, ...]:
    lines = details.get("lines")
    if not isinstance(lines, list):
        return ()
    return tuple(str(line) for line in lines if str(line).strip())


def notice_of(claim: Claim, *, base_url: str) -> Notice:
    """The reminder as channels see it."""
    reminder = claim.reminder
    assert reminder.id is not None
    details = reminder.details or {}
    return Notice(
        reminder_id=reminder.id,
        kind=str(reminder.kind),
        recipient_email=reminder.recipient_email,
        recipient_name=reminder.recipient_name,
        title=reminder.title,
        lines=_lines(details),
        url=absolute_link(reminder.link, base_url),
        project_key=str(details.get("project_key") or claim.project_key),
        project_name=str(details.get("project_name") or claim.project_name),
        due_at=reminder.due_at,
    )


def _fenced(reminder_id: int, worker: str, until: datetime) -> Any:
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
                lines=list(notice.lines),
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
        "body": "\n".join(_lines(reminder.details or {})),
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
def _held_connection(ctx: Context) -> Iterator[Connection | None]:
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


def _mark_quiet(
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


def _mark_sent(
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
                "body": "\n".join(notice.lines),
            },
        ).first()
        return copied is not None
    with ctx.db.write() as session:
        connection = session.connection()  # Core statements: this runs for every reminder
        marked = connection.execute(
            _fenced(reminder.id, worker, until).values(**_sent_values(channels, at))
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


def _mark_failed(
    ctx: Context,
    claim: Claim,
    reason: str,
    *,
    worker: str,
    until: datetime,
    max_attempts: int,
    at: datetime,
) -> ReminderStatus | None:
    """Record a failed attempt: retrying with back-off, or failed; None if not ours."""
    reminder = claim.reminder
    assert reminder.id is not None
    attempts = reminder.attempts + 1
    gave_up = attempts >= max_attempts
    status = ReminderStatus.FAILED if gave_up else ReminderStatus.RETRYING
    error = reason[:_MAX_ERROR_LENGTH]
    with ctx.db.write() as session:
        marked = session.exec(
            _fenced(reminder.id, worker, until).values(
                status=status,
                attempts=attempts,
                next_attempt_at=at if gave_up else at + backoff(attempts),
                claimed_by=None,
                claimed_until=None,
                last_error=error,
                updated_at=at,
            )
        ).rowcount
        if marked != 1:
            return None
        if gave_up:
            change.record(
                session,
                ReminderFailed(
                    object_id=str(reminder.id),
                    after=Failure(
                        kind=str(reminder.kind),
                        recipient=reminder.recipient_email,
                        title=reminder.title,
                        attempts=attempts,
                        last_error=error,
                    ),
                ),
                by=ACTOR,
                at=at,
                project_id=reminder.project_id,
            )
    return status


def _release(
    session: Session, claims: Sequence[Claim], *, worker: str, until: datetime, at: datetime
) -> int:
    """Hand unsent claims back, due at once (their attempts unchanged)."""
    released = 0
    for claim in claims:
        reminder = claim.reminder
        assert reminder.id is not None
        released += session.exec(
            _fenced(reminder.id, worker, until).values(
                status=ReminderStatus.RETRYING if reminder.attempts else ReminderStatus.PENDING,
                next_attempt_at=at,
                claimed_by=None,
                claimed_until=None,
                updated_at=at,
            )
        ).rowcount
    return released


def dispatch_due(
    ctx: Context,
    *,
    worker: str,
    channels: Sequence[Channel] = (),
    limit: int = DEFAULT_LIMIT,
    lease: timedelta = DEFAULT_LEASE,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    base_url: str = DEFAULT_BASE_URL,
    now: datetime | None = None,
) -> DispatchReport:
    """Claim, deliver and mark up to `limit` due reminders; see the module docstring.

    `channels` are the external channels (e-mail); the inbox and webhooks are
    always written. `now` fixes the run's start (time then moves on with the
    real clock); by default the context's clock is used. A failing channel
    never raises here: it is a recorded attempt. Only an unreachable database
    raises (`DatabaseUnavailable`), and then nothing unsent is lost.
    """
    clock = _RunClock(ctx.clock, now)
    slowest = max((timedelta(seconds=c.timeout_seconds) for c in channels), default=timedelta(0))
    margin = min(slowest + LEASE_MARGIN, lease / 2)
    until, claims = claim_due(ctx, worker=worker, limit=limit, lease=lease, now=clock.now())
    counts = {"sent": 0, "retrying": 0, "failed": 0, "lost": 0, "released": 0}
    externals = [[c for c in channels if not (claim.digest and c.digestible)] for claim in claims]
    quiet = [c for c, ext in zip(claims, externals, strict=True) if not ext and not c.publish]
    if quiet:
        counts["sent"] = _mark_quiet(ctx, quiet, worker=worker, until=until, at=clock.now())
        counts["lost"] = len(quiet) - counts["sent"]
        if counts["lost"]:
            logger.warning(
                "%d reminder(s): the lease was taken over before they were marked; the other "
                "dispatcher sends them",
                counts["lost"],
                extra={"worker": worker},
            )
    loud = [(c, ext) for c, ext in zip(claims, externals, strict=True) if ext or c.publish]
    with _held_connection(ctx) if loud else nullcontext() as held:
        for index, (claim, external) in enumerate(loud):
            if external and clock.now() + margin >= until:
                with ctx.db.write() as session:
                    counts["released"] = _release(
                        session,
                        [c for c, _ in loud[index:]],
                        worker=worker,
                        until=until,
                        at=clock.now(),
                    )
                logger.info(
                    "lease nearly over: handed %d reminder(s) back",
                    counts["released"],
                    extra={"worker": worker},
                )
                break
            outcome = _send_one(
                ctx,
                claim,
                external,
                worker=worker,
                until=until,
                max_attempts=max_attempts,
                base_url=base_url,
                clock=clock,
                held=held,
            )
            counts[outcome] += 1
    return DispatchReport(claimed=len(claims), **counts)


def _send_one(
    ctx: Context,
    claim: Claim,
    external: list[Channel],
    *,
    worker: str,
    until: datetime,
    max_attempts: int,
    base_url: str,
    clock: _RunClock,
    held: Connection | None,
) -> str:
    """Deliver one reminder, then mark it (sent, or a failed attempt); the outcome's name."""
    notice = notice_of(claim, base_url=base_url)
    failure = _deliver(external, notice)
    if failure is None:
        ok = _mark_sent(
            ctx,
            claim,
            notice,
            worker=worker,
            until=until,
            external=[c.name for c in external],
            at=clock.now(),
            held=held,
        )
        outcome = "sent" if ok else "lost"
    else:
        status = _mark_failed(
            ctx,
            claim,
            failure,
            worker=worker,
            until=until,
            max_attempts=max_attempts,
            at=clock.now(),
        )
        outcome = "lost" if status is None else str(status)
        logger.warning(
            "reminder %s (%s) not delivered: %s; %s",
            notice.reminder_id,
            notice.kind,
            failure,
            "gave up" if status is ReminderStatus.FAILED else "will retry",
            extra={"worker": worker},
        )
    if outcome == "lost":
        logger.warning(
            "reminder %s: the lease was taken over before it was marked; the other "
            "dispatcher sends it",
            notice.reminder_id,
            extra={"worker": worker},
        )
    return outcome


def _deliver(channels: Sequence[Channel], notice: Notice) -> str | None:
    """Deliver through every channel; the first failure's reason, or None."""
    for channel in channels:
        try:
            channel.deliver(notice)
        except DeliveryFailed as error:
            return f"{channel.name}: {error.reason}"
        except Exception as error:  # a broken channel must not stop the batch
            return f"{channel.name}: {type(error).__name__}"
    return None
