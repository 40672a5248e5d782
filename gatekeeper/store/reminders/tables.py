"""Tables of reminders: what is due to whom, the in-app inbox, and iCal feed tokens.

A `Reminder` row is one notice to one person (a deadline ahead, an overdue
item at one escalation step, an open condition, a vote request or a vote not
cast, a recurring meeting). The planner (`services.reminder_planning`) keeps
the rows of a project in step with its state: its `key` says what the notice
is about and for which date, so re-planning is an idempotent upsert and
moving a date makes a new key. The dispatcher (`services.reminder_dispatch`)
claims due rows, delivers them and marks them sent; the row itself is the
delivery log (attempts, last error, channels used).

`InboxMessage.reminder_id` is unique, so the in-app copy of a reminder exists
at most once whatever happens to the dispatchers. Calendar feeds are stored
as a SHA-256 hash of their URL token, like API tokens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.store.types import TextEnum, UTCDateTime


class Reminder(SQLModel, table=True):
    """One notice to one person, planned for one moment."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("key"),
        Index("ix_reminder_due", "status", "next_attempt_at"),
        Index("ix_reminder_subject", "project_id", "subject_type", "subject_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    key: str = Field(max_length=400)
    kind: ReminderKind = Field(sa_type=TextEnum(ReminderKind))
    recipient_email: str = Field(max_length=320, index=True)
    recipient_name: str = Field(default="", max_length=200)
    subject_type: str = Field(max_length=50)  # checklist_item, condition, review, meeting
    subject_id: str = Field(max_length=100)
    title: str = Field(max_length=500)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    link: str = Field(default="", max_length=500)  # path in the web UI, e.g. /projekt/ibic/...
    due_at: datetime = Field(sa_type=UTCDateTime)
    status: ReminderStatus = Field(default=ReminderStatus.PENDING, sa_type=TextEnum(ReminderStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=200, nullable=True)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_error: str | None = Field(default=None, max_length=500, nullable=True)
    channels: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class InboxMessage(SQLModel, table=True):
    """A reminder as it appears in a person's in-app inbox (Inkorg)."""

    __tablename__ = "inbox_message"
    __table_args__ = (Index("ix_inbox_message_recipient", "recipient_email", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    reminder_id: int = Field(foreign_key="reminder.id", unique=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    recipient_email: str = Field(max_length=320)
    title: str = Field(max_length=500)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    link: str = Field(default="", max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    # Set when the message went out in a daily digest e-mail (people who chose a digest).
    digested_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)


class CalendarFeed(SQLModel, table=True):
    """A secret iCal feed URL of one person: all their projects, or one project."""

    __tablename__ = "calendar_feed"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", nullable=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
