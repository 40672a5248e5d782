"""Reminder dispatch on SQLite and PostgreSQL: e-mail, inbox, webhooks, retries, digest.

E-mail goes to a real SMTP server on 127.0.0.1 (aiosmtpd in a thread of this
process). Nothing sleeps: `dispatch_due` and `send_digests` are called directly
and the fixed clock is moved past each back-off or digest hour.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import col, select
from typer.testing import CliRunner

from gatekeeper.channels.base import Notice
from gatekeeper.channels.email import EmailChannel, SmtpConfig
from gatekeeper.channels.recording import RecordingChannel
from gatekeeper.cli import app as cli_app
from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.scheduler import (
    DIGEST_JOB_ID,
    EFFECT_JOB_ID,
    PLAN_JOB_ID,
    REMINDER_JOB_ID,
    WEBHOOK_JOB_ID,
    start_scheduler,
    stop_scheduler,
)
from gatekeeper.services.audit import webhook_delivery_log, webhook_subscription
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import claim as reminder_claim
from gatekeeper.services.reminders import digest as reminder_digest
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery
from gatekeeper.store.reminders.tables import InboxMessage, Reminder
from tests.factories import PROJEKTLEDARE, start_ibic
from tests.reminder_rows import KEY, RECIPIENT, add_due_reminders, cancel_planned

BASE = "https://gatekeeper.alingsas.se"


# --- an SMTP server --------------------------------------------------------------------------


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, parsed."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def smtp(port: int) -> EmailChannel:
    return EmailChannel(
        SmtpConfig(
            host="127.0.0.1",
            port=port,
            security="none",
            timeout_seconds=5,
            mail_from="Gatekeeper Alingsås <gatekeeper@alingsas.se>",
        )
    )


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


# --- helpers ---------------------------------------------------------------------------------


@pytest.fixture
def project(ctx: Context) -> int:
    created = start_ibic(ctx)
    cancel_planned(ctx)  # only this file's own rows are due
    assert created.id is not None
    return created.id


def dispatch(ctx: Context, *channels: Any, **options: Any) -> reminder_dispatch.DispatchReport:
    options.setdefault("worker", "test")
    options.setdefault("base_url", BASE)
    return reminder_dispatch.dispatch_due(ctx, channels=channels, **options)


def row(ctx: Context, reminder_id: int) -> Reminder:
    with ctx.db.read() as session:
        found = session.get(Reminder, reminder_id)
        assert found is not None
        return found


def inbox(ctx: Context) -> list[InboxMessage]:
    with ctx.db.read() as session:
        return list(session.exec(select(InboxMessage).order_by(col(InboxMessage.id))).all())


def add_user(ctx: Context, *, digest: bool, time_zone: str | None = None) -> None:
    with ctx.db.write() as session:
        session.add(
            UserAccount(
                email=RECIPIENT[0],
                name=RECIPIENT[1],
                created_at=ctx.clock.now(),
                email_digest=digest,
                time_zone=time_zone,
            )
        )


# --- e-mail ----------------------------------------------------------------------------------


def test_a_due_reminder_is_mailed_in_swedish_with_text_html_and_link(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now() - timedelta(minutes=5))

    report = dispatch(ctx, smtp(mailbox.port))

    assert report == reminder_dispatch.DispatchReport(claimed=1, sent=1)
    [message] = mailbox.messages
    assert mailbox.recipients == [[RECIPIENT[0]]]
    assert message["Subject"] == "[Införande av IBIC] Projektplan 0 ska vara klar om 14 dagar"
    assert message["To"] == f"{RECIPIENT[1]} <{RECIPIENT[0]}>"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == f"<gatekeeper-reminder-{reminder_id}@alingsas.se>"
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = text_and_html(message)
    link = f"{BASE}/projects/{KEY}/gates/forstudie-klar"
    assert "Hej Anita Lindqvist!" in text and link in text
    assert "ska vara klar den 9 december 2026" in text
    assert f'<a href="{link}">Öppna i gatekeeper</a>' in html
    assert "<p>Du är ansvarig som projektledare för Införande av IBIC.</p>" in html
    sent = row(ctx, reminder_id)
    assert sent.status is ReminderStatus.SENT
    assert sent.sent_at == clock.now() and sent.attempts == 1
    assert sent.channels == ["inbox", "email"]
    assert sent.claimed_by is None and sent.claimed_until is None and sent.last_error is None


def test_html_escapes_what_came_from_users(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    add_due_reminders(
        ctx,
        1,
        due=clock.now(),
        title="<b>Risk</b> & åtgärd",
        details={"lines": ["<script>alert(1)</script>"]},
        link="",
    )

    dispatch(ctx, smtp(mailbox.port))

    text, html = text_and_html(mailbox.messages[0])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Risk&lt;/b&gt; &amp; åtgärd" in html
    assert "<script>alert(1)</script>" in text  # plain text is not HTML
    assert "Öppna i gatekeeper" not in text  # no link, no line for it


def test_only_due_pending_or_retrying_reminders_are_claimed(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    now = clock.now()
    due = add_due_reminders(ctx, 2, due=now)
    add_due_reminders(ctx, 1, due=now + timedelta(seconds=1))
    for status in (ReminderStatus.PAUSED, ReminderStatus.CANCELLED, ReminderStatus.FAILED):
        add_due_reminders(ctx, 1, due=now - timedelta(days=1), status=status)
    channel = RecordingChannel()

    report = dispatch(ctx, channel)

    assert report.claimed == 2 and report.sent == 2
    assert [n.reminder_id for n in channel.notices] == due
    assert dispatch(ctx, channel).claimed == 0


# --- failures and retries --------------------------------------------------------------------


def test_an_unreachable_smtp_server_retries_with_back_off_then_fails_visibly(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())
    down = smtp(free_port())  # nothing listens there

    report = dispatch(ctx, down, max_attempts=3)

    assert report == reminder_dispatch.DispatchReport(claimed=1, retrying=1)
    first = row(ctx, reminder_id)
    assert first.status is ReminderStatus.RETRYING and first.attempts == 1
    assert first.next_attempt_at == clock.now() + timedelta(minutes=1)
    assert first.last_error is not None
    assert first.last_error.startswith("email: ConnectionRefusedError")
    assert first.claimed_by is None
    assert inbox(ctx) == []  # nothing is marked or copied until the e-mail went

    clock.advance(timedelta(seconds=59))
    assert dispatch(ctx, down, max_attempts=3).claimed == 0  # not due before its back-off
    clock.advance(timedelta(seconds=1))
    assert dispatch(ctx, down, max_attempts=3).retrying == 1
    assert row(ctx, reminder_id).next_attempt_at == clock.now() + timedelta(minutes=2)

    clock.advance(timedelta(minutes=2))
    assert dispatch(ctx, down, max_attempts=3).failed == 1
    failed = row(ctx, reminder_id)
    assert failed.status is ReminderStatus.FAILED and failed.attempts == 3
    clock.advance(timedelta(days=1))
    assert dispatch(ctx, down, max_attempts=3).claimed == 0  # given up
    with ctx.db.read() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == EventName.REMINDER_FAILED)
        ).one()
    assert event.actor == "system:reminders"
    assert event.object_id == str(reminder_id) and event.project_id == project
    assert (event.after or {})["attempts"] == 3


def test_a_reminder_waiting_for_smtp_goes_out_when_the_server_is_back(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())
    dispatch(ctx, smtp(free_port()))
    clock.advance(timedelta(minutes=1))

    assert dispatch(ctx, smtp(mailbox.port)).sent == 1

    sent = row(ctx, reminder_id)
    assert sent.status is ReminderStatus.SENT and sent.attempts == 2 and sent.last_error is None
    assert len(mailbox.messages) == 1 and len(inbox(ctx)) == 1


def test_the_smtp_password_never_reaches_the_row_or_the_log(
    ctx: Context, clock: FixedClock, project: int, caplog: pytest.LogCaptureFixture
) -> None:
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())
    channel = EmailChannel(
        SmtpConfig(
            host="127.0.0.1",
            port=free_port(),
            username="gatekeeper",
            password="hemligt-lösenord-42",
            security="starttls",
            timeout_seconds=2,
        )
    )

    dispatch(ctx, channel)

    assert "hemligt" not in (row(ctx, reminder_id).last_error or "")
    assert "hemligt" not in caplog.text and "hemligt" not in repr(channel.config)


def test_a_channel_that_breaks_unexpectedly_is_a_failed_attempt(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    class Broken(RecordingChannel):
        def deliver(self, notice: Notice) -> None:
            raise RuntimeError("token=abc123 in a message that must not be stored")

    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())

    assert dispatch(ctx, Broken()).retrying == 1
    assert row(ctx, reminder_id).last_error == "email: RuntimeError"


# --- leases ----------------------------------------------------------------------------------


def test_a_lease_taken_over_is_detected_and_the_inbox_copy_stays_single(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())
    slow = RecordingChannel(name="slow")
    fast = RecordingChannel()

    def taken_over(_notice: Notice) -> None:
        # While the first dispatcher's e-mail hangs, its lease runs out and another takes over.
        clock.advance(timedelta(minutes=6))
        assert dispatch(ctx, fast, worker="other").sent == 1

    slow.after_deliver = taken_over
    report = dispatch(ctx, slow, lease=timedelta(minutes=5))

    assert report.lost == 1 and report.sent == 0
    assert len(slow.notices) == len(fast.notices) == 1  # the one e-mail in flight, twice
    assert row(ctx, reminder_id).channels == ["inbox", "email"]
    assert len(inbox(ctx)) == 1


def test_a_batch_stops_before_its_lease_runs_out_and_hands_the_rest_back(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    ids = add_due_reminders(ctx, 10, due=clock.now())
    slow = RecordingChannel(after_deliver=lambda _: clock.advance(timedelta(seconds=50)))

    report = dispatch(ctx, slow, lease=timedelta(minutes=5))

    # 5 min lease, 6 s margin (1 s timeout + 5 s): the 7th e-mail would start at 300 s.
    assert report.sent == 6 and report.released == 4
    assert [row(ctx, i).status for i in ids[6:]] == [ReminderStatus.PENDING] * 4
    assert dispatch(ctx, RecordingChannel()).sent == 4  # due at once, for anyone


# --- inbox, digest choice and webhooks ------------------------------------------------------


def test_the_inbox_gets_one_copy_even_without_e_mail(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())

    assert dispatch(ctx).sent == 1  # no SMTP configured: inbox (and webhooks) only
    assert dispatch(ctx).claimed == 0

    [message] = inbox(ctx)
    assert message.reminder_id == reminder_id and message.recipient_email == RECIPIENT[0]
    assert message.title == "Projektplan 0 ska vara klar om 14 dagar"
    assert message.body.splitlines()[1] == (
        "Du är ansvarig som projektledare för Införande av IBIC."
    )
    assert message.link == f"/projects/{KEY}/gates/forstudie-klar"
    assert row(ctx, reminder_id).channels == ["inbox"]


def test_a_notice_whose_day_has_passed_is_cancelled_not_sent(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    # Due while no dispatcher ran: a deadline that has gone by and a meeting that
    # was held would announce the past; an overdue item's escalation still matters.
    yesterday = "2026-11-24"  # the clock says 25 November 2026
    [deadline] = add_due_reminders(
        ctx,
        1,
        due=clock.now() - timedelta(days=20),
        details={"due_on": yesterday, "lines": ["Om 14 dagar."]},
    )
    [meeting] = add_due_reminders(
        ctx,
        1,
        due=clock.now() - timedelta(days=8),
        kind=ReminderKind.MEETING,
        details={"meeting_on": "2026-11-02", "lines": ["Styrgruppsmöte."]},
    )
    [today] = add_due_reminders(
        ctx, 1, due=clock.now(), details={"due_on": "2026-11-25", "lines": ["I dag."]}
    )
    [overdue] = add_due_reminders(
        ctx,
        1,
        due=clock.now() - timedelta(days=3),
        kind=ReminderKind.OVERDUE,
        details={"due_on": "2026-11-19", "lines": ["Försenad."]},
    )

    report = dispatch(ctx)

    assert (report.claimed, report.sent) == (2, 2)
    assert {m.reminder_id for m in inbox(ctx)} == {today, overdue}
    for outdated in (deadline, meeting):
        cancelled = row(ctx, outdated)
        assert cancelled.status is ReminderStatus.CANCELLED
        assert cancelled.last_error == reminder_claim.OUTDATED_REASON
    assert dispatch(ctx).claimed == 0


def test_people_who_chose_a_digest_get_no_single_e_mail(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    add_user(ctx, digest=True)
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())

    assert dispatch(ctx, smtp(mailbox.port)).sent == 1

    assert mailbox.messages == []
    assert row(ctx, reminder_id).channels == ["inbox"]
    assert len(inbox(ctx)) == 1


def test_a_batch_mixing_digest_and_e_mail_recipients_reaches_each_once(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    add_user(ctx, digest=True)  # Anita: inbox only, marked with the batch in one transaction
    quiet = add_due_reminders(ctx, 5, due=clock.now())
    mailed = add_due_reminders(
        ctx, 3, due=clock.now(), recipient_email="bo.ek@alingsas.se", recipient_name="Bo Ek"
    )

    report = dispatch(ctx, smtp(mailbox.port))

    assert report == reminder_dispatch.DispatchReport(claimed=8, sent=8)
    assert dispatch(ctx, smtp(mailbox.port)).claimed == 0
    assert mailbox.recipients == [["bo.ek@alingsas.se"]] * 3
    assert [row(ctx, i).channels for i in quiet] == [["inbox"]] * 5
    assert [row(ctx, i).channels for i in mailed] == [["inbox", "email"]] * 3
    assert all(row(ctx, i).attempts == 1 and row(ctx, i).claimed_by is None for i in quiet)
    assert sorted(m.reminder_id for m in inbox(ctx)) == quiet + mailed
    assert {m.body.splitlines()[1] for m in inbox(ctx)} == {
        "Du är ansvarig som projektledare för Införande av IBIC."
    }


def test_reminders_another_dispatcher_holds_are_left_alone(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    ids = add_due_reminders(ctx, 4, due=clock.now())
    until, claims = reminder_claim.claim_due(
        ctx, worker="other", limit=10, lease=timedelta(minutes=5), now=clock.now()
    )
    assert [c.reminder.id for c in claims] == ids

    assert dispatch(ctx).claimed == 0  # its lease holds: nothing marked, nothing copied
    assert inbox(ctx) == []
    clock.set(until)  # the lease ran out: taken over, each sent and copied once
    assert dispatch(ctx) == reminder_dispatch.DispatchReport(claimed=4, sent=4)
    assert sorted(m.reminder_id for m in inbox(ctx)) == ids


def test_a_sent_reminder_is_published_to_webhooks_that_want_it(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    wanted = webhook_subscription.subscribe(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        url="https://hooks.alingsas.se/reminders",
        event_types=[EventName.REMINDER_SENT],
    ).subscription
    webhook_subscription.subscribe(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        url="https://hooks.alingsas.se/decisions",
        event_types=[EventName.GATE_DECIDED],
    )
    [reminder_id] = add_due_reminders(ctx, 1, due=clock.now())

    dispatch(ctx, RecordingChannel())

    with ctx.db.read() as session:
        [event] = session.exec(
            select(OutboxEvent).where(OutboxEvent.name == EventName.REMINDER_SENT)
        ).all()
        deliveries = session.exec(
            select(WebhookDelivery).where(WebhookDelivery.outbox_id == event.id)
        ).all()
    assert event.audit_seq is None
    assert event.payload["id"] == f"reminder-{reminder_id}"
    assert event.payload["project"] == KEY
    assert event.payload["after"]["link"] == f"{BASE}/projects/{KEY}/gates/forstudie-klar"
    assert event.payload["after"]["recipient"]["email"] == RECIPIENT[0]
    assert event.payload["after"]["channels"] == ["inbox", "email", "webhook"]
    assert [d.subscription_id for d in deliveries] == [wanted.id]
    assert row(ctx, reminder_id).channels == ["inbox", "email", "webhook"]
    assert wanted.id is not None
    views, _ = webhook_delivery_log.deliveries(ctx, KEY, wanted.id)
    assert [v.event_id for v in views] == [f"reminder-{reminder_id}"]


# --- the daily digest ------------------------------------------------------------------------


def test_the_digest_goes_once_a_day_at_the_persons_local_hour(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    add_user(ctx, digest=True)  # Europe/Stockholm; 07:00 there is 06:00 UTC in winter
    clock.set(datetime(2026, 11, 26, 5, 0, tzinfo=UTC))
    add_due_reminders(ctx, 3, due=clock.now())
    dispatch(ctx, smtp(mailbox.port))
    assert mailbox.messages == []
    channel = smtp(mailbox.port)

    clock.set(datetime(2026, 11, 26, 5, 59, tzinfo=UTC))
    assert reminder_digest.send_digests(ctx, mailer=channel, base_url=BASE).sent == 0
    clock.set(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    report = reminder_digest.send_digests(ctx, mailer=channel, base_url=BASE)
    assert report.sent == 1 and report.messages == 3
    assert reminder_digest.send_digests(ctx, mailer=channel, base_url=BASE).sent == 0

    [digest] = mailbox.messages
    assert digest["Subject"] == "Dagens påminnelser från gatekeeper: 3 påminnelser"
    text, html = text_and_html(digest)
    assert "1. Projektplan 0 ska vara klar om 14 dagar (Införande av IBIC)" in text
    assert f"{BASE}/projects/{KEY}/gates/forstudie-klar" in html
    assert all(m.digested_at == clock.now() for m in inbox(ctx))

    # Later the same day: new messages wait for tomorrow's digest.
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    add_due_reminders(ctx, 1, due=clock.now())
    dispatch(ctx, channel)
    assert reminder_digest.send_digests(ctx, mailer=channel, base_url=BASE).sent == 0
    clock.set(datetime(2026, 11, 27, 6, 15, tzinfo=UTC))
    assert reminder_digest.send_digests(ctx, mailer=channel, base_url=BASE).messages == 1
    assert len(mailbox.messages) == 2


def test_the_digest_follows_the_persons_time_zone_and_skips_what_was_read(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    add_user(ctx, digest=True, time_zone="America/New_York")  # 07:00 there is 12:00 UTC
    clock.set(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    add_due_reminders(ctx, 2, due=clock.now())
    dispatch(ctx)
    with ctx.db.write() as session:
        first = session.exec(select(InboxMessage).order_by(col(InboxMessage.id))).first()
        assert first is not None
        first.read_at = clock.now()
        session.add(first)
    mailer = RecordingChannel()

    clock.set(datetime(2026, 11, 26, 11, 59, tzinfo=UTC))
    assert reminder_digest.send_digests(ctx, mailer=mailer).sent == 0
    clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    assert reminder_digest.send_digests(ctx, mailer=mailer).messages == 1

    [digest] = mailer.digests
    assert [item.title for item in digest.items] == ["Projektplan 1 ska vara klar om 14 dagar"]
    assert str(digest.day) == "2026-11-26"


def test_a_digest_the_smtp_server_refused_is_tried_again(
    ctx: Context, clock: FixedClock, project: int, mailbox: Mailbox
) -> None:
    add_user(ctx, digest=True)
    clock.set(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    add_due_reminders(ctx, 2, due=clock.now())
    dispatch(ctx)

    failed = reminder_digest.send_digests(ctx, mailer=smtp(free_port()))
    assert failed.failed == 1 and failed.sent == 0
    assert all(m.digested_at is None for m in inbox(ctx))

    clock.advance(timedelta(minutes=15))
    assert reminder_digest.send_digests(ctx, mailer=smtp(mailbox.port)).sent == 1
    assert len(mailbox.messages) == 1


def test_no_digest_for_people_without_the_choice_or_disabled(
    ctx: Context, clock: FixedClock, project: int
) -> None:
    add_user(ctx, digest=False)
    clock.set(datetime(2026, 11, 26, 6, 0, tzinfo=UTC))
    add_due_reminders(ctx, 1, due=clock.now())
    dispatch(ctx)
    mailer = RecordingChannel()

    assert reminder_digest.send_digests(ctx, mailer=mailer).sent == 0

    with ctx.db.write() as session:
        person = session.exec(select(UserAccount)).one()
        person.email_digest = True
        person.disabled_at = clock.now()
        session.add(person)
    assert reminder_digest.send_digests(ctx, mailer=mailer).sent == 0
    assert mailer.digests == []


# --- scheduler and command line --------------------------------------------------------------


def test_the_scheduler_runs_the_reminder_jobs_with_fixed_ids(ctx: Context) -> None:
    settings = Settings(
        webhook_dispatch=False,
        retention_purge=False,
        reminder_interval_seconds=3600,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
    )
    scheduler = start_scheduler(ctx, settings)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) <= {REMINDER_JOB_ID, DIGEST_JOB_ID, PLAN_JOB_ID, EFFECT_JOB_ID}
        assert {DIGEST_JOB_ID, PLAN_JOB_ID, EFFECT_JOB_ID} <= set(jobs)
        assert jobs[DIGEST_JOB_ID].trigger.interval == timedelta(minutes=15)
        assert jobs[PLAN_JOB_ID].trigger.interval == timedelta(days=1)
        assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())
    finally:
        stop_scheduler(scheduler)

    without_mail = start_scheduler(ctx, Settings(reminder_interval_seconds=3600))
    try:
        ids = {job.id for job in without_mail.get_jobs()}
        assert DIGEST_JOB_ID not in ids and WEBHOOK_JOB_ID in ids and PLAN_JOB_ID in ids
    finally:
        stop_scheduler(without_mail)


def test_the_command_line_drains_due_reminders_and_lists_them(
    ctx: Context, database_url: str, project: int
) -> None:
    add_due_reminders(ctx, 3, due=datetime.now(UTC) - timedelta(hours=1))
    runner = CliRunner()

    drained = runner.invoke(
        cli_app, ["reminders", "dispatch", "--once", "--database-url", database_url]
    )
    assert drained.exit_code == 0, drained.output
    assert "claimed 3, sent 3" in drained.output

    listed = runner.invoke(
        cli_app,
        ["reminders", "list", "--project", KEY, "--status", "sent", "--database-url", database_url],
    )
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("Projektplan") == 3

    unknown = runner.invoke(
        cli_app, ["reminders", "list", "--project", "finns-inte", "--database-url", database_url]
    )
    assert unknown.exit_code == 1
    bad = runner.invoke(cli_app, ["reminders", "list", "--project", KEY, "--status", "skickad"])
    assert bad.exit_code == 2
