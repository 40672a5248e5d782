"""A person's reminder settings on SQLite and PostgreSQL: time zone, digest, audit."""

from __future__ import annotations

import pytest
from sqlmodel import select

from gatekeeper.core.events import EventName
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import settings as reminder_settings
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.audit.tables import AuditEvent
from tests.factories import ADMIN, PROJEKTLEDARE

ANITA = PROJEKTLEDARE.id


@pytest.fixture
def anita(ctx: Context) -> Context:
    accounts.create_user(ctx, ADMIN, email=ANITA, name="Anita Lindqvist")
    return ctx


def _events(ctx: Context) -> list[AuditEvent]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(AuditEvent).where(
                    AuditEvent.action == EventName.REMINDER_SETTINGS_CHANGED.value
                )
            )
        )


def test_the_default_is_stockholm_and_single_mails(anita: Context) -> None:
    settings = reminder_settings.settings_of(anita, ANITA)

    assert settings.time_zone == "Europe/Stockholm" and not settings.email_digest


def test_a_person_chooses_a_zone_and_the_digest_audited(anita: Context) -> None:
    settings = reminder_settings.update_settings(
        anita, PROJEKTLEDARE, email=ANITA, time_zone="Europe/Helsinki", email_digest=True
    )

    assert settings.time_zone == "Europe/Helsinki" and settings.email_digest
    assert reminder_settings.settings_of(anita, ANITA) == settings
    (event,) = _events(anita)
    assert event.before == {"time_zone": None, "email_digest": False}
    assert event.after == {"time_zone": "Europe/Helsinki", "email_digest": True}
    assert event.project_id is None and event.object_id == ANITA


def test_saving_unchanged_settings_writes_no_event(anita: Context) -> None:
    reminder_settings.update_settings(
        anita, PROJEKTLEDARE, email=ANITA, time_zone="Europe/Stockholm", email_digest=False
    )

    assert _events(anita) == []
    with anita.db.read() as session:
        user = session.exec(select(UserAccount).where(UserAccount.email == ANITA)).one()
    assert user.time_zone is None  # "the default", not a copy of it


@pytest.mark.parametrize(
    "zone", ["Europe/Alingsås", "Stockholm", "../../etc/passwd", "UTC+1", "x" * 300]
)
def test_an_unknown_zone_is_refused_in_swedish(anita: Context, zone: str) -> None:
    with pytest.raises(ValidationFailed, match="ingen känd tidszon") as refused:
        reminder_settings.update_settings(
            anita, PROJEKTLEDARE, email=ANITA, time_zone=zone, email_digest=True
        )

    assert refused.value.field == "time_zone"
    assert reminder_settings.settings_of(anita, ANITA).email_digest is False
    assert _events(anita) == []


def test_a_blank_zone_means_the_default(anita: Context) -> None:
    reminder_settings.update_settings(
        anita, PROJEKTLEDARE, email=ANITA, time_zone="America/New_York", email_digest=False
    )

    settings = reminder_settings.update_settings(
        anita, PROJEKTLEDARE, email=ANITA, time_zone="  ", email_digest=False
    )

    assert settings.time_zone == "Europe/Stockholm"


def test_an_unknown_account_is_not_found(anita: Context) -> None:
    with pytest.raises(NotFound):
        reminder_settings.settings_of(anita, "kalle.nilsson@boras.se")
