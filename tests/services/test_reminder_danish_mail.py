"""Reminder e-mails of a Danish project, planned, sent and caught by a real SMTP server.

The ICS forankring project of Skanderborg Kommune runs on the Danish workflow
(`language: da`): its reminders go out in Danish (subject, text, the mail's
own words, `<html lang="da">`) to everyone who has not chosen a language; a
person who chose Swedish or English on their account gets their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email.message import EmailMessage

import pytest

from gatekeeper.channels.email import EmailChannel, SmtpConfig
from gatekeeper.core.clock import FixedClock
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.store.access.tables import UserAccount
from tests.factories import PROJEKTLEDARE
from tests.smtp_box import Mailbox, smtp_server

BASE = "https://gatekeeper.skanderborg.example"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NAME = "Forankring af ICS på børne- og ungeområdet"
SOFIE = ("sofie.norgaard@skanderborg.example", "Sofie Nørgaard")
ANDERS = ("anders.hojgaard@skanderborg.example", "Anders Højgaard")
MEMBERS = (
    projects.MemberSpec("Mette Kjær", "mette.kjaer@skanderborg.example", "ledelse"),
    projects.MemberSpec("Lars Mikkelsen", "lars.mikkelsen@skanderborg.example", "ledelse"),
    projects.MemberSpec(SOFIE[1], SOFIE[0], "forankringsteam"),
    projects.MemberSpec(ANDERS[1], ANDERS[0], "forankringsteam"),
    projects.MemberSpec("Rasmus Dahl", "rasmus.dahl@skanderborg.example", "aktivitetsansvarlig"),
)
# Måling afsluttet on 26 November: the item due a week before (19 November) is late.
TARGETS = {
    "maling-afsluttet": date(2026, 11, 26),
    "plan-godkendt": date(2027, 2, 11),
    "gennemforelse-afsluttet": date(2027, 9, 30),
    "ny-maling": date(2027, 12, 9),
}


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def smtp(port: int) -> EmailChannel:
    return EmailChannel(SmtpConfig(host="127.0.0.1", port=port, security="none", timeout_seconds=5))


def part(message: EmailMessage, kind: str) -> str:
    body = message.get_body(preferencelist=(kind,))
    assert body is not None
    return str(body.get_content())


def plain(message: EmailMessage) -> str:
    return part(message, "plain")


def html(message: EmailMessage) -> str:
    return part(message, "html")


def enter_project(ctx: Context) -> None:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="ics-forankring-skanderborg",
        name=NAME,
        workflow_id="forankring",
        organisation="Børn og Familie, Skanderborg Kommune",
        started_on=date(2026, 8, 17),
        gate_targets=TARGETS,
        members=MEMBERS,
    )


def account(ctx: Context, person: tuple[str, str], language: str | None) -> None:
    with ctx.db.write() as session:
        session.add(
            UserAccount(
                email=person[0], name=person[1], created_at=ctx.clock.now(), language=language
            )
        )


def send(ctx: Context, box: Mailbox) -> dict[str, list[EmailMessage]]:
    reminder_dispatch.dispatch_due(ctx, worker="test", channels=[smtp(box.port)], base_url=BASE)
    assert box.messages
    by_person: dict[str, list[EmailMessage]] = {}
    for message in box.messages:
        by_person.setdefault(str(message["To"]), []).append(message)
    return by_person


def test_a_danish_projects_reminders_are_mailed_in_danish(
    ctx: Context, clock: FixedClock, mailbox: Mailbox
) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))  # the first day the item is late
    enter_project(ctx)
    sent = send(ctx, mailbox)
    sofie = sent[f"{SOFIE[1]} <{SOFIE[0]}>"]
    late = [m for m in sofie if "Forsinket" in m["Subject"]]
    assert late
    for message in late:
        text = plain(message)
        assert message["Subject"].startswith(f"[{NAME}] Forsinket med 1 dag:")
        assert text.startswith(f"Hej {SOFIE[1]}!")
        assert "var 19. november 2026, og det er ikke færdigt." in text
        assert f"Åbn i gatekeeper: {BASE}/projects/ics-forankring-skanderborg/gates/" in text
        assert f"Dette er en automatisk påmindelse fra gatekeeper om projektet {NAME}." in text
        assert "Du kan i stedet vælge en daglig oversigt under Indstillinger." in text
        body = text.split("Åbn i gatekeeper:")[0]
        assert "@" not in body and not ISO_DATE.search(body)
        assert not any(word in text for word in ("Försenad", "Deadline för", "Öppna", "dagar"))
        page = html(message)
        assert '<html lang="da">' in page and "Åbn i gatekeeper</a>" in page


def test_the_escalation_names_the_role_by_its_danish_label(ctx: Context, mailbox: Mailbox) -> None:
    enter_project(ctx)  # 25 November: 3 business days after the first late day
    sent = send(ctx, mailbox)
    for message in sent[f"{ANDERS[1]} <{ANDERS[0]}>"]:
        text = plain(message)
        assert message["Subject"].startswith(f"[{NAME}] Forsinket med 6 dage:")
        assert "Du får påmindelsen i rollen Implementerings-/forankringsteam." in text
        assert "rollen forankringsteam" not in text


def test_a_chosen_language_still_wins(ctx: Context, clock: FixedClock, mailbox: Mailbox) -> None:
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    account(ctx, SOFIE, "sv")
    account(ctx, ANDERS, "en")
    enter_project(ctx)
    sent = send(ctx, mailbox)
    for message in sent[f"{SOFIE[1]} <{SOFIE[0]}>"]:
        assert "Försenad sedan 1 dag:" in message["Subject"]
        assert plain(message).startswith("Hej Sofie Nørgaard!")
        assert "Öppna i gatekeeper:" in plain(message)
        assert '<html lang="sv">' in html(message)
    for message in sent[f"{ANDERS[1]} <{ANDERS[0]}>"]:
        assert "Overdue by 1 day:" in message["Subject"]
        assert "Open in gatekeeper:" in plain(message)
