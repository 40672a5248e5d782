"""Reminder dispatch: claim due reminders, deliver them, mark them sent, retry failures.

`dispatch_due` works in three steps, like the webhook dispatcher (the first,
claiming, lives in `services.reminders.claim`, the marking in
`services.reminders.delivery` and `services.reminders.retry`):

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
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from gatekeeper.channels.base import Channel, DeliveryFailed, Notice
from gatekeeper.core.clock import Clock
from gatekeeper.core.status import ReminderStatus
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.claim import Claim, claim_due
from gatekeeper.services.reminders.delivery import held_connection, mark_quiet, mark_sent
from gatekeeper.services.reminders.notice import DEFAULT_BASE_URL, notice_of
from gatekeeper.services.reminders.retry import mark_failed, release

logger = logging.getLogger("gatekeeper.reminders")

DEFAULT_LIMIT = 200
DEFAULT_LEASE = timedelta(minutes=5)
DEFAULT_MAX_ATTEMPTS = 8
# Kept in hand beyond the slowest channel's timeout before each send.
LEASE_MARGIN = timedelta(seconds=5)


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
        counts["sent"] = mark_quiet(ctx, quiet, worker=worker, until=until, at=clock.now())
        counts["lost"] = len(quiet) - counts["sent"]
        if counts["lost"]:
            logger.warning(
                "%d reminder(s): the lease was taken over before they were marked; the other "
                "dispatcher sends them",
                counts["lost"],
                extra={"worker": worker},
            )
    loud = [(c, ext) for c, ext in zip(claims, externals, strict=True) if ext or c.publish]
    with held_connection(ctx) if loud else nullcontext() as held:
        for index, (claim, external) in enumerate(loud):
            if external and clock.now() + margin >= until:
                with ctx.db.write() as session:
                    counts["released"] = release(
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
        ok = mark_sent(
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
        status = mark_failed(
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
