"""Events of reminders: deliveries, failures, requeues, personal settings and iCal feeds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


@dataclass(frozen=True)
class Subject:
    type: str  # checklist_item, condition, review, meeting
    id: str


@dataclass(frozen=True)
class Delivery:
    kind: str
    title: str
    lines: Sequence[str]
    recipient: Recipient
    subject: Subject
    due_at: str  # ISO instant, UTC
    link: str
    channels: Sequence[str]  # email, inbox, webhook


@dataclass(frozen=True, kw_only=True)
class ReminderSent(Event):
    """Published to webhooks only (the reminder row is its log); the payload's `id`
    is `reminder-<id>`."""

    name = EventName.REMINDER_SENT
    object_type = "reminder"
    before: None = None
    after: Delivery


@dataclass(frozen=True)
class Failure:
    kind: str
    recipient: str  # e-mail
    title: str
    attempts: int
    last_error: str


@dataclass(frozen=True, kw_only=True)
class ReminderFailed(Event):
    name = EventName.REMINDER_FAILED
    object_type = "reminder"
    before: None = None
    after: Failure


@dataclass(frozen=True)
class FailedState:
    status: str
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class RequeuedState:
    status: str
    attempts: int
    next_attempt_at: str  # ISO instant


@dataclass(frozen=True, kw_only=True)
class ReminderRequeued(Event):
    name = EventName.REMINDER_REQUEUED
    object_type = "reminder"
    before: FailedState
    after: RequeuedState


@dataclass(frozen=True)
class ReminderSettings:
    time_zone: str | None  # an IANA zone; None: the default, Europe/Stockholm
    email_digest: bool


@dataclass(frozen=True, kw_only=True)
class ReminderSettingsChanged(Event):
    """`object.id` is the person's e-mail."""

    name = EventName.REMINDER_SETTINGS_CHANGED
    object_type = "user_account"
    before: ReminderSettings
    after: ReminderSettings


@dataclass(frozen=True)
class Feed:
    owner: str  # e-mail
    project: str | None  # the project's key; None: all the owner's projects


@dataclass(frozen=True, kw_only=True)
class CalendarFeedCreated(Event):
    name = EventName.CALENDAR_FEED_CREATED
    object_type = "calendar_feed"
    before: None = None
    after: Feed


@dataclass(frozen=True)
class Revocation:
    revoked_at: str | None  # ISO instant


@dataclass(frozen=True, kw_only=True)
class CalendarFeedRevoked(Event):
    name = EventName.CALENDAR_FEED_REVOKED
    object_type = "calendar_feed"
    before: Revocation
    after: Revocation


EVENTS: tuple[type[Event], ...] = (
    ReminderSent,
    ReminderFailed,
    ReminderRequeued,
    ReminderSettingsChanged,
    CalendarFeedCreated,
    CalendarFeedRevoked,
)
