"""The daily digest: one e-mail a day listing a person's new inbox messages.

People who chose a digest (`UserAccount.email_digest`) get no single reminder
e-mails; their reminders reach the in-app inbox only, and `send_digests`
(the scheduler's `reminders.digest` job, every 15 minutes) sends each of them
one e-mail a day, at or after the digest hour in their own time zone (default
07:00, Europe/Stockholm), listing the unread messages not yet in a digest.

Claim, then send: one short write transaction per person locks their account
row (so two processes take turns), checks that today's digest has not gone
out, and stamps `digested_at` on the messages it will list; the e-mail is then
sent with no transaction open. If the SMTP server refuses or cannot be reached,
the stamps are taken back (only those this run set) and the next run tries
again. So a digest goes out **at most once** per person and day, whatever the
number of processes; a process killed between the claim and the SMTP server's
acceptance loses that one digest e-mail (at most one, the one in flight), while
its messages stay in the inbox and every other digest is unaffected.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, update
from sqlmodel import col, select

from gatekeeper.channels.base import DeliveryFailed, Digest, DigestItem, Mailer
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.notice import DEFAULT_BASE_URL, absolute_link
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import InboxMessage

logger = logging.getLogger("gatekeeper.reminders")

DEFAULT_HOUR = 7
DEFAULT_ZONE = "Europe/Stockholm"


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


def _claim(ctx: Context, user_id: int, *, now: datetime, hour: int, base_url: str) -> Digest | None:
    """Stamp and return one person's digest, or None when none is due now."""
    with ctx.db.write() as session:
        person = session.exec(
            select(UserAccount).where(UserAccount.id == user_id).with_for_update()
        ).one_or_none()
        if person is None or not person.email_digest or person.disabled_at is not None:
            return None
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
        session.exec(
            update(InboxMessage)
            .where(col(InboxMessage.id).in_([message.id for message, _ in rows]))
            .values(digested_at=now)
            .execution_options(synchronize_session=False)
        )
        unread = [(m, name) for m, name in rows if m.read_at is None]
        if not unread:
            return None  # all read in the app already: nothing to mail, marked all the same
        return Digest(
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
        )


def _unclaim(ctx: Context, email: str, *, stamped: datetime) -> None:
    """Take back the stamps of a digest that did not go out."""
    with ctx.db.write() as session:
        session.exec(
            update(InboxMessage)
            .where(
                func.lower(InboxMessage.recipient_email) == email,
                col(InboxMessage.digested_at) == stamped,
            )
            .values(digested_at=None)
            .execution_options(synchronize_session=False)
        )


def send_digests(
    ctx: Context,
    *,
    mailer: Mailer,
    now: datetime | None = None,
    hour: int = DEFAULT_HOUR,
    base_url: str = DEFAULT_BASE_URL,
) -> DigestReport:
    """Send every digest that is due at `now` (default: the context's clock); see above."""
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
        digest = _claim(ctx, user_id, now=now, hour=hour, base_url=base_url)
        if digest is None:
            continue
        try:
            mailer.send_digest(digest)
        except DeliveryFailed as error:
            failed += 1
            _unclaim(ctx, digest.recipient_email, stamped=now)
            logger.warning("digest for user %s not sent: %s; will retry", user_id, error.reason)
            continue
        sent += 1
        messages += len(digest.items)
    return DigestReport(sent=sent, messages=messages, failed=failed)
