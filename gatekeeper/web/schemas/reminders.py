"""Pydantic schemas of the reminder API: the reminder log, the inbox, settings, calendar feeds.

Named by role like the other schemas (`…Public` is read, `…Update`/`…Create`
is sent). A calendar feed's token appears only in `CalendarFeedCreatedPublic`,
the answer to the POST that makes it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.services.reminders.calendar_feed import FeedView
from gatekeeper.services.reminders.inbox import InboxEntry
from gatekeeper.services.reminders.settings import ReminderSettings
from gatekeeper.store.reminders.tables import Reminder
from gatekeeper.web.bounds import Input
from gatekeeper.web.schemas.projects import Page


class ReminderPublic(BaseModel):
    """One reminder: to whom, about what, when, and how its delivery went."""

    id: int
    key: str = Field(description="What it is about and for which date; stable across re-planning.")
    kind: ReminderKind
    recipient_email: str
    recipient_name: str
    subject_type: str = Field(examples=["checklist_item", "condition", "review", "meeting"])
    subject_id: str
    title: str = Field(examples=["Om 14 dagar: Utbildningsplan klar – Införande av IBIC"])
    details: dict[str, Any]
    link: str = Field(description="Path of the item in the web UI.")
    due_at: datetime
    status: ReminderStatus
    attempts: int
    next_attempt_at: datetime | None = Field(
        description="When it goes out (pending) or is tried again (retrying)."
    )
    sent_at: datetime | None
    last_error: str | None
    channels: list[str] = Field(description="Where it was delivered: inbox, email, webhook.")

    @classmethod
    def of(cls, reminder: Reminder) -> ReminderPublic:
        assert reminder.id is not None
        waiting = reminder.status in (ReminderStatus.PENDING, ReminderStatus.RETRYING)
        return cls(
            id=reminder.id,
            key=reminder.key,
            kind=reminder.kind,
            recipient_email=reminder.recipient_email,
            recipient_name=reminder.recipient_name,
            subject_type=reminder.subject_type,
            subject_id=reminder.subject_id,
            title=reminder.title,
            details=dict(reminder.details),
            link=reminder.link,
            due_at=reminder.due_at,
            status=reminder.status,
            attempts=reminder.attempts,
            next_attempt_at=reminder.next_attempt_at if waiting else None,
            sent_at=reminder.sent_at,
            last_error=reminder.last_error,
            channels=list(reminder.channels),
        )


class InboxMessagePublic(BaseModel):
    """A message of the caller's inbox."""

    id: int
    reminder_id: int
    project_key: str
    project_name: str
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @classmethod
    def of(cls, entry: InboxEntry) -> InboxMessagePublic:
        message = entry.message
        assert message.id is not None
        return cls(
            id=message.id,
            reminder_id=message.reminder_id,
            project_key=entry.project_key,
            project_name=entry.project_name,
            title=message.title,
            body=message.body,
            link=message.link,
            created_at=message.created_at,
            read_at=message.read_at,
            unread=message.read_at is None,
        )


class InboxPagePublic(Page[InboxMessagePublic]):
    """A page of the inbox (unread first, then newest) and how many are unread in all."""

    unread: int


class MarkedPublic(BaseModel):
    """How many messages were marked read."""

    marked: int


class ReminderSettingsPublic(BaseModel):
    """The caller's reminder settings."""

    time_zone: str = Field(description="IANA time zone reminders are timed in.")
    email_digest: bool = Field(description="One e-mail a day instead of one per reminder.")

    @classmethod
    def of(cls, settings: ReminderSettings) -> ReminderSettingsPublic:
        return cls(time_zone=settings.time_zone, email_digest=settings.email_digest)


class ReminderSettingsUpdate(Input):
    """New settings; a field left out stays as it is."""

    time_zone: str | None = Field(
        default=None,
        max_length=64,
        description="An IANA time zone such as Europe/Stockholm; null: the default (Stockholm).",
        examples=["Europe/Stockholm"],
    )
    email_digest: bool | None = Field(default=None, description="One e-mail a day (07:00).")


class CalendarFeedCreate(Input):
    """Which dates the feed carries: one project, or (left out) all of the caller's."""

    project_key: str | None = Field(
        default=None,
        max_length=100,
        description="A project you are a member of; leave out for all your projects.",
        examples=["ibic-alingsas"],
    )


class CalendarFeedPublic(BaseModel):
    """A calendar feed of the caller (never its token)."""

    id: int
    project_key: str | None = Field(description="The project it covers; null: all of yours.")
    project_name: str | None
    created_at: datetime
    last_used_at: datetime | None = Field(description="Last fetched (to the hour).")

    @classmethod
    def of(cls, view: FeedView) -> CalendarFeedPublic:
        feed = view.feed
        assert feed.id is not None
        return cls(
            id=feed.id,
            project_key=view.project_key,
            project_name=view.project_name,
            created_at=feed.created_at,
            last_used_at=feed.last_used_at,
        )


class CalendarFeedCreatedPublic(CalendarFeedPublic):
    """A feed just made: its address, shown this once."""

    url: str = Field(
        description="Subscribe to this address in a calendar program. Shown this once: keep it."
    )
