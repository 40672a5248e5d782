"""Reminder e-mails as a municipality would send them, caught by a real SMTP server.

Planned by the planner and sent by the dispatcher (not rows made by hand):
the greeting names the person, never their address; an escalation names the
role by its label ("Projektledare"), not its id; dates are written in words;
counts agree in number ("Försenad sedan 1 dag", "6 dagar", "1 påminnelse");
someone who chose English gets the subject and the text in English.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from gatekeeper.channels.base import Digest, DigestItem
from gatekeeper.channels.email import EmailChannel, SmtpConfig, build_digest_message
from gatekeeper.core.clock import FixedClock
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.reminders import digest as reminder_digest
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.store.access.tables import UserAccount
from tests.factories import IBIC_MEMBERS, PROJEKTLEDARE

BASE = "https://gatekeeper.alingsas.se"
ANITA = ("anita.lindqvist@alingsas.se", "Anita Lindqvist")
TARGETS = {
    "forstudie-klar": date(2026, 11, 20),
    "beslut-om-genomforande": date(2026, 12, 10),
    "go-live": date(2027, 9, 1),
    "driftoverlamning-godkand": date(2027, 12, 1),
}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ROLE_IDS = ("projektledare", "styrgrupp", "bestallare", "forvaltningsledare")


@dataclass
class Mailbox:
    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(port=port)
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def smtp(port: int) -> EmailChannel:
    return EmailChannel(SmtpConfig(host="127.0.0.1", port=port, security="none", timeout_seconds=5))


def enter_project(ctx: Context) -> None:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="ibic-alingsas",
        name="Införande av IBIC",
        workflow_id="inforande",
        started_on=date(2026, 3, 2),
        gate_targets=TARGETS,
        members=IBIC_MEMBERS,
    )


def account(ctx: Context, *, language: str | None = None, digest: bool = False) -> None:
    with ctx.db.write() as session:
        session.add(
            UserAccount(
                email=ANITA[0],
                name=ANITA[1],
                created_at=ctx.clock.now(),
                language=language,
                email_digest=digest,
            )
        )


def plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text: str = body.get_content()
    return text


def html(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    text: str = body.get_content()
    return text


def send(ctx: Context, mailbox: Mailbox) -> list[EmailMessage]:
    reminder_dispatch.dispatch_due(ctx, worker="test", channels=[smtp(mailbox.port)], base_url=BASE)
    assert mailbox.messages
    return mailbox.messages


def test_escalations_name_the_person_and_the_role_and_write_dates_in_words(
    ctx: Context, mailbox: Mailbox
) -> None:
    enter_project(ctx)  # on 25 November; items of the beslut gate were due on 19 November
    for message in send(ctx, mailbox):
        text = plain(message)
        assert message["Subject"].startswith("[Införande av IBIC] Försenad sedan 6 dagar:")
        assert text.startswith("Hej Anita Lindqvist!")
        assert "Du får den i rollen Projektledare." in text
        assert "var 19 november 2026 och den är inte klar" in text
        body = text.split("Öppna i gatekeeper:")[0]  # the link carries the gate's id
        assert "@" not in body and not ISO_DATE.search(body)
        assert not any(f"rollen {role}" in text for role in ROLE_IDS)
        assert '<html lang="sv">' in html(message)


def test_one_day_late_is_1_dag(ctx: Context, clock: FixedClock, mailbox: Mailbox) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))  # the first day the items are late
    enter_project(ctx)
    subjects = [m["Subject"] for m in send(ctx, mailbox)]
    late = [s for s in subjects if "Försenad" in s]
    # (a long subject is folded in encoded words, which may take the space after the colon)
    assert late and all("Försenad sedan 1 dag:" in s for s in late)
    assert not any("1 dagar" in s for s in subjects)


def test_someone_who_chose_english_gets_english_subject_and_text(
    ctx: Context, mailbox: Mailbox
) -> None:
    account(ctx, language="en")
    enter_project(ctx)
    for message in send(ctx, mailbox):
        text = plain(message)
        assert message["Subject"].startswith("[Införande av IBIC] Overdue by 6 days:")
        assert text.startswith("Hello Anita Lindqvist!")
        assert "was 19 November 2026 and it is not done. You get it as Projektledare." in text
        assert "Open in gatekeeper: " in text and "Öppna" not in text
        assert "This is an automatic reminder from gatekeeper about the project" in text
        assert '<html lang="en">' in html(message)


def test_the_digest_counts_its_reminders_in_words(
    ctx: Context, clock: FixedClock, mailbox: Mailbox
) -> None:
    account(ctx, digest=True)
    enter_project(ctx)
    reminder_dispatch.dispatch_due(ctx, worker="test", channels=[smtp(mailbox.port)])
    assert mailbox.messages == []  # a digest person gets no single e-mail
    report = reminder_digest.send_digests(ctx, mailer=smtp(mailbox.port), base_url=BASE)
    [digest] = mailbox.messages
    assert report.messages > 1
    count = f"{report.messages} påminnelser"
    assert digest["Subject"] == f"Dagens påminnelser från gatekeeper: {count}"
    assert f"Här är dina påminnelser från gatekeeper ({count})." in plain(digest)
    assert " st)" not in plain(digest)

    one = Digest(
        recipient_email=ANITA[0],
        recipient_name=ANITA[1],
        day=date(2026, 11, 25),
        items=(
            DigestItem(
                title="Styrgruppsmöte 30 december 2026 – Införande av IBIC",
                lines=(),
                url="",
                project_name="Införande av IBIC",
                created_at=clock.now(),
            ),
        ),
    )
    message = build_digest_message(one, mail_from="gatekeeper@alingsas.se")
    assert message["Subject"] == "Dagens påminnelser från gatekeeper: 1 påminnelse"
    english = build_digest_message(
        Digest(**{**one.__dict__, "language": "en"}), mail_from="gatekeeper@alingsas.se"
    )
    assert english["Subject"] == "Today's reminders from gatekeeper: 1 reminder"
