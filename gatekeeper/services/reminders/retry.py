"""A reminder not delivered: a retry after a back-off, giving up, or handing it back.

A channel that fails makes the attempt count: `attempts + 1`, `retrying` with
a back-off of 60 s × 2^(attempts − 1) (at most 6 hours) and `last_error`;
after `max_attempts` the row is `failed` and `reminder.failed` is recorded.
Claims the dispatcher has no time left to send (its lease is running out)
are handed back unsent, due at once, their attempts unchanged. Every UPDATE
is fenced by the claim (`claim.fenced`): a row whose lease was taken over is
left alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session

from gatekeeper.core.events.reminders import Failure, ReminderFailed
from gatekeeper.core.status import ReminderStatus
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.claim import ACTOR, Claim, fenced

BACKOFF_BASE = timedelta(seconds=60)
BACKOFF_CAP = timedelta(hours=6)
_MAX_ERROR_LENGTH = 500


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 60 s × 2^(attempts − 1), at most 6 h."""
    return min(BACKOFF_BASE * (1 << min(max(attempts - 1, 0), 20)), BACKOFF_CAP)


def mark_failed(
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
            fenced(reminder.id, worker, until).values(
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


def release(
    session: Session, claims: Sequence[Claim], *, worker: str, until: datetime, at: datetime
) -> int:
    """Hand unsent claims back, due at once (their attempts unchanged)."""
    released = 0
    for claim in claims:
        reminder = claim.reminder
        assert reminder.id is not None
        released += session.exec(
            fenced(reminder.id, worker, until).values(
                status=ReminderStatus.RETRYING if reminder.attempts else ReminderStatus.PENDING,
                next_attempt_at=at,
                claimed_by=None,
                claimed_until=None,
                updated_at=at,
            )
        ).rowcount
    return released
