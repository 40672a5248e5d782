"""The daily digest is sent at least once, on SQLite and PostgreSQL: a crash loses none.

Five people chose a digest; a real SMTP server (aiosmtpd, `tests.smtp_box`)
takes the e-mails. A mailer that "dies" mid-batch (raises something other
than `DeliveryFailed`, as a process being stopped would end the run) leaves
the digest in flight to its lease; a second run after the lease has run out
completes the batch. Each person then has exactly one digest, but for the one
in flight when the SMTP server had already taken it: that one may come twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from gatekeeper.channels.base import Digest
from gatekeeper.channels.email import EmailChannel
from gatekeeper.core.clock import FixedClock
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import digest as reminder_digest
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.reminders.tables import InboxMessage
from tests.factories import start_ibic
from tests.reminder_rows import add_due_reminders, cancel_planned
from tests.smtp_box import Mailbox, smtp_server

PEOPLE = [f"handlaggare{n}@alingsas.se" for n in range(1, 6)]
MORNING = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 07:00 in Stockholm


class ProcessDied(Exception):
    """Stands for the process being killed: not a `DeliveryFailed`, so nothing handles it."""


class DyingMailer:
    """Sends through `channel` until the `dies_at`-th digest, then raises instead.

    `after_accept`: the SMTP server takes that digest first (the worst moment to
    die: sent, not yet marked); otherwise the process dies before it is sent.
    """

    def __init__(self, channel: EmailChannel, *, dies_at: int, after_accept: bool) -> None:
        self.channel = channel
        self.dies_at = dies_at
        self.after_accept = after_accept
        self.calls = 0

    def send_digest(self, digest: Digest) -> None:
        self.calls += 1
        if self.calls == self.dies_at:
            if self.after_accept:
                self.channel.send_digest(digest)
            raise ProcessDied(digest.recipient_email)
        self.channel.send_digest(digest)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def inboxes(ctx: Context, clock: FixedClock) -> None:
    """Five digest readers with two new inbox messages each, at 07:00 Stockholm."""
    start_ibic(ctx)
    cancel_planned(ctx)
    clock.set(MORNING)
    with ctx.db.write() as session:
        for email in PEOPLE:
            session.add(
                UserAccount(
                    email=email,
                    name=email.split("@")[0].title(),
                    created_at=clock.now(),
                    email_digest=True,
                )
            )
    for email in PEOPLE:
        add_due_reminders(
            ctx, 2, due=clock.now(), recipient_email=email, recipient_name=email.split("@")[0]
        )
    reminder_dispatch.dispatch_due(ctx, worker="test", channels=())


def recipients(mailbox: Mailbox) -> list[str]:
    return sorted(str(message["To"]).split("<")[-1].rstrip(">") for message in mailbox.messages)


def undigested(ctx: Context) -> list[str]:
    with ctx.db.read() as session:
        return sorted(
            session.exec(
                select(InboxMessage.recipient_email).where(col(InboxMessage.digested_at).is_(None))
            ).all()
        )


def test_a_run_that_dies_before_the_third_send_loses_no_digest(
    ctx: Context, clock: FixedClock, inboxes: None, mailbox: Mailbox
) -> None:
    channel = mailbox.letters().channel
    dying = DyingMailer(channel, dies_at=3, after_accept=False)

    with pytest.raises(ProcessDied):
        reminder_digest.send_digests(ctx, mailer=dying)

    assert recipients(mailbox) == PEOPLE[:2]
    assert undigested(ctx) == sorted(PEOPLE[2:] * 2)  # the one in flight is not marked
    # Another process at once leaves the digest in flight alone (its lease holds)…
    clock.advance(timedelta(minutes=1))
    report = reminder_digest.send_digests(ctx, mailer=channel)
    assert report.sent == 2 and recipients(mailbox) == sorted(PEOPLE[:2] + PEOPLE[3:])
    # … and sends it once the lease has run out.
    clock.advance(reminder_digest.LEASE)
    assert reminder_digest.send_digests(ctx, mailer=channel).sent == 1

    assert recipients(mailbox) == PEOPLE  # each exactly once
    assert undigested(ctx) == []
    clock.advance(timedelta(minutes=15))
    assert reminder_digest.send_digests(ctx, mailer=channel).sent == 0


def test_a_run_that_dies_after_the_smtp_server_took_a_digest_resends_that_one_only(
    ctx: Context, clock: FixedClock, inboxes: None, mailbox: Mailbox
) -> None:
    channel = mailbox.letters().channel
    dying = DyingMailer(channel, dies_at=3, after_accept=True)

    with pytest.raises(ProcessDied):
        reminder_digest.send_digests(ctx, mailer=dying)
    clock.advance(reminder_digest.LEASE + timedelta(minutes=10))  # the next digest run
    report = reminder_digest.send_digests(ctx, mailer=channel)

    assert report.sent == 3
    assert recipients(mailbox) == sorted([*PEOPLE, PEOPLE[2]])  # the one in flight, twice
    assert undigested(ctx) == []


def test_a_digest_sent_after_its_lease_was_taken_over_is_not_marked_twice(
    ctx: Context, clock: FixedClock, inboxes: None, mailbox: Mailbox
) -> None:
    """A slow process whose lease ran out: the process that took over marks the messages."""
    channel = mailbox.letters().channel
    with ctx.db.read() as session:
        first = session.exec(select(UserAccount).where(UserAccount.email == PEOPLE[0])).one()
    assert first.id is not None
    slow = reminder_digest._claim(
        ctx, first.id, now=clock.now(), hour=7, base_url="", lease=reminder_digest.LEASE
    )
    assert slow is not None

    clock.advance(reminder_digest.LEASE + timedelta(seconds=1))
    assert reminder_digest.send_digests(ctx, mailer=channel).sent == len(PEOPLE)
    assert not reminder_digest._finish(ctx, slow, sent=True, at=clock.now())

    assert undigested(ctx) == []
    assert recipients(mailbox) == PEOPLE


def test_the_lease_runs_from_the_claim_not_from_the_start_of_a_long_run(
    ctx: Context, clock: FixedClock, inboxes: None, mailbox: Mailbox
) -> None:
    channel = mailbox.letters().channel
    clock.advance(timedelta(minutes=10))  # the run began ten minutes ago, at MORNING
    dying = DyingMailer(channel, dies_at=1, after_accept=False)

    with pytest.raises(ProcessDied):
        reminder_digest.send_digests(ctx, mailer=dying, now=MORNING)

    with ctx.db.read() as session:
        held = session.exec(select(UserAccount).where(UserAccount.email == PEOPLE[0])).one()
    assert held.digest_claimed_until == clock.now() + reminder_digest.LEASE
    assert reminder_digest.send_digests(ctx, mailer=channel).sent == len(PEOPLE) - 1
    assert PEOPLE[0] not in recipients(mailbox)
