"""A person's reminder settings: their time zone and whether e-mail comes as a daily digest.

The time zone decides when a reminder reaches them (a send time of 08:00 is
08:00 where they are); no zone stored means Europe/Stockholm. It must be an
IANA zone the server knows (`zoneinfo`). With the digest on, reminders still
reach the inbox at once but e-mail comes as one mail a day. A change is
audited (`user.reminder_settings_changed`); saving unchanged settings is not.
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass

from sqlmodel import Session, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.reminders import ReminderSettings as SettingsState
from gatekeeper.core.events.reminders import ReminderSettingsChanged
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import UserAccount

DEFAULT_TIME_ZONE = "Europe/Stockholm"


@dataclass(frozen=True)
class ReminderSettings:
    """What a person chose; `time_zone` is the zone in force (the default when none is stored)."""

    email: str
    time_zone: str
    email_digest: bool


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone the server knows, sorted (for the settings page's list)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def valid_time_zone(name: str | None) -> str | None:
    """`name` as a known IANA zone; None (or blank) for the default; `ValidationFailed` else."""
    if name is None or not name.strip():
        return None
    name = name.strip()
    if name not in time_zones():
        shown = name if len(name) <= 64 else name[:64] + "…"
        raise ValidationFailed(
            f"'{shown}' är ingen känd tidszon; ange en IANA-tidszon som Europe/Stockholm.",
            field="time_zone",
        )
    return name


def _account(session: Session, email: str) -> UserAccount:
    user = session.exec(
        select(UserAccount).where(UserAccount.email == email.strip().lower())
    ).one_or_none()
    if user is None:
        raise NotFound(f"Kontot {email} finns inte.")
    return user


def _view(user: UserAccount) -> ReminderSettings:
    return ReminderSettings(
        email=user.email,
        time_zone=user.time_zone or DEFAULT_TIME_ZONE,
        email_digest=user.email_digest,
    )


def settings_of(ctx: Context, email: str) -> ReminderSettings:
    """The person's reminder settings."""
    with ctx.db.read() as session:
        return _view(_account(session, email))


def update_settings(
    ctx: Context, actor: Actor, *, email: str, time_zone: str | None, email_digest: bool
) -> ReminderSettings:
    """Set the person's time zone (None: the default) and digest choice; audited if changed."""
    zone = valid_time_zone(time_zone)
    if zone == DEFAULT_TIME_ZONE:
        zone = None  # stored as "the default", so a changed default reaches them too
    now = ctx.clock.now()
    with ctx.db.write() as session:
        user = _account(session, email)
        before = SettingsState(time_zone=user.time_zone, email_digest=user.email_digest)
        after = SettingsState(time_zone=zone, email_digest=bool(email_digest))
        if before != after:
            user.time_zone = zone
            user.email_digest = bool(email_digest)
            session.add(user)
            session.flush()
            change.record(
                session,
                ReminderSettingsChanged(object_id=user.email, before=before, after=after),
                by=actor,
                at=now,
            )
        return _view(user)
