"""The daily digest: one e-mail a day listing a person's new inbox messages.

People who chose a digest (`UserAccount.email_digest`) get no single reminder
e-mails; their reminders reach the in-app inbox only, and `send_digests`
(the scheduler's `reminders.digest` job, every 15 minutes) sends each of them
one e-mail a day, at or after the digest hour in their own time zone (default
07:00, Europe/Stockholm), listing the unread messages not yet in a digest.

Claim, send, then mark — like the reminder dispatcher. One short write
transaction per person locks their account row (so two processes take turns),
checks that today's digest has not gone out and that no other process holds
it, and takes a lease on it (`UserAccount.digest_claimed_until`, `LEASE`);
the e-mail is then sent with no transaction open; only after the SMTP server
took it are the listed messages stamped `digested_at` (and the lease let go),
in a transaction of its own, if the lease is still ours. If the SMTP server
refuses or cannot be reached, the lease is let go and the next run tries
again. A process that dies between claim and mark leaves the lease to run
out, and a later run sends that digest again. So a digest goes out **at least
once** per person and day, whatever the number of processes: a crash loses
none, and re-sends at most the one in flight (if the SMTP server had taken it
just before the crash); every other digest goes out once.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from gatekeeper.channels.base import DeliveryFailed, Digest, DigestItem, Mailer
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.notice import DEFAULT_BASE_URL, absolute_link
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import InboxMessage

logger = logging.getLogger("gatekeeper.reminders")

DEFAULT_HOUR = 7
DEFAULT_ZONE = "Europe/Stockholm"
# How long one process holds a person's digest: far longer than one SMTP
# conversation takes, far shorter than the day a lost digest would cost.
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Claim:
    """A digest this process holds until `until`, and the messages it lists."""

    user_id: int
    digest: Digest
    message_ids: tuple[int, ...]
    until: datetime


@dataclass(frozen=True)
class DigestReport:
    """What one `send_digests` run did."""

    sent: int = 0  # digest e-mails handed to the SMTP server
    messages: int = 0  # inbox messages listed in them
    failed: int = 0  # digests the SMTP server did not take (tried again next run)


def zone_of(name: str | None) -> ZoneInfo:
    """A person's time zone; Europe/Stockholm when unset or unknown."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def digest_moment(now: datetime, zone: ZoneInfo, hour: int) -> tuple[date, datetime]:
    """Today's date in `zone` and the UTC instant of today's digest hour there."""
    day = now.astimezone(zone).date()
    return day, datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


def _claim(
    ctx: Context, user_id: int, *, now: datetime, hour: int, base_url: str, lease: timedelta
) -> Claim | None:
    """Take a lease on one person's digest and return it, or None when none is due now."""
    with ctx.db.write() as session:
        person = session.exec(
            select(UserAccount).where(UserAccount.id == user_id).with_for_update()
        ).one_or_none()
        if person is None or not person.email_digest or person.disabled_at is not None:
            return None
        # The lease runs on the clock, not on the run's `now`: a long batch must
        # not hand out a lease that has already run out.
        clock_now = ctx.clock.now()
        if person.digest_claimed_until is not None and person.digest_claimed_until > clock_now:
            return None  # another process is sending it
        day, moment = digest_moment(now, zone_of(person.time_zone), hour)
        if now < moment:
            return None
        email = person.email
        recipient = func.lower(InboxMessage.recipient_email) == email
        already = session.exec(
            select(func.count())
            .select_from(InboxMessage)
            .where(recipient, col(InboxMessage.digested_at) >= moment)
        ).one()
        if already:
            return None  # today's digest went out
        rows = session.exec(
            select(InboxMessage, Project.name)
            .join(Project, col(Project.id) == col(InboxMessage.project_id))
            .where(
                recipient,
                col(InboxMessage.digested_at).is_(None),
                col(InboxMessage.created_at) <= now,
            )
            .order_by(col(InboxMessage.created_at), col(InboxMessage.id))
        ).all()
        if not rows:
            return None
        unread = [(m, name) for m, name in rows if m.read_at is None]
        if not unread:
            # All read in the app already: nothing to mail, marked all the same.
            _stamp(session, [message.id for message, _ in rows], at=now)
            return None
        until = clock_now + lease
        person.digest_claimed_until = until
        session.add(person)
        return Claim(
            user_id=user_id,
            message_ids=tuple(message.id for message, _ in rows if message.id is not None),
            until=until,
            digest=Digest(
                recipient_email=email,
                recipient_name=person.name,
                day=day,
                language=person.language or "sv",
                items=tuple(
                    DigestItem(
                        title=message.title,
                        lines=tuple(line for line in message.body.splitlines() if line.strip()),
                        url=absolute_link(message.link, base_url),
                        project_name=name,
                        created_at=message.created_at,
                    )
                    for message, name in unread
                ),
            ),
        )


def _stamp(session: Session, message_ids: Sequence[int | None], *, at: datetime) -> None:
    session.exec(
        update(InboxMessage)
        .where(col(InboxMessage.id).in_(message_ids), col(InboxMessage.digested_at).is_(None))
        .values(digested_at=at)
        .execution_options(synchronize_session=False)
    )


def _finish(ctx: Context, claim: Claim, *, sent: bool, at: datetime) -> bool:
    """Let the lease go; after a send, stamp the listed messages. False if not ours."""
    with ctx.db.write() as session:
        person = session.exec(
            select(UserAccount).where(UserAccount.id == claim.user_id).with_for_update()
        ).one_or_none()
        if person is None or person.digest_claimed_until != claim.until:
            return False  # the lease ran out and another run took the digest over
        if sent:
            _stamp(session, claim.message_ids, at=at)
        person.digest_claimed_until = None
        session.add(person)
        return True


def send_digests(
    ctx: Context,
    *,
    mailer: Mailer,
    now: datetime | None = None,
    hour: int = DEFAULT_HOUR,
    base_url: str = DEFAULT_BASE_URL,
    lease: timedelta = LEASE,
) -> DigestReport:
    """Send every digest that is due at `now` (default: the context's clock); see above.

    Anything but `DeliveryFailed` from the mailer (a bug, the process being
    stopped) is raised, the digest in flight left to its lease.
    """
    now = now or ctx.clock.now()
    with ctx.db.read() as session:
        people = session.exec(
            select(UserAccount.id)
            .where(col(UserAccount.email_digest).is_(True), col(UserAccount.disabled_at).is_(None))
            .order_by(col(UserAccount.id))
        ).all()
    sent = messages = failed = 0
    for user_id in people:
        assert user_id is not None
        claim = _claim(ctx, user_id, now=now, hour=hour, base_url=base_url, lease=lease)
        if claim is None:
            continue
        try:
            mailer.send_digest(claim.digest)
        except DeliveryFailed as error:
            failed += 1
            _finish(ctx, claim, sent=False, at=now)
            logger.warning("digest for user %s not sent: %s; will retry", user_id, error.reason)
            continue
        if not _finish(ctx, claim, sent=True, at=now):
            logger.warning("digest for user %s sent after its lease ran out", user_id)
        sent += 1
        messages += len(claim.digest.items)
    return DigestReport(sent=sent, messages=messages, failed=failed)
