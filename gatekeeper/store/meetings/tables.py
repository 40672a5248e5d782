"""The tables of steering-group meetings: the meeting (its people, agenda, frozen underlag
and protocol as JSON) and one row per signature of its justering.

The participants, agenda points, underlag and protocol are JSON: they are read
and written whole with their meeting, and the underlag must stay exactly as it
was sent. A signature is its own row so that the database itself refuses a
second signature by the same person (`uq_meeting_justering`), even when two
justerare sign at once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.meetings.meeting import MeetingKind, MeetingStatus
from gatekeeper.store.types import TextEnum, UTCDateTime


class Meeting(SQLModel, table=True):
    """A styrgruppsmöte or avslutningsmöte of a project."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    kind: MeetingKind = Field(sa_type=TextEnum(MeetingKind))
    starts_at: datetime = Field(sa_type=UTCDateTime)
    place: str = Field(default="", max_length=300)
    status: MeetingStatus = Field(default=MeetingStatus.DRAFT, sa_type=TextEnum(MeetingStatus))
    participants: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    agenda: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    underlag: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSON))
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    sent_by: str | None = Field(default=None, max_length=200)
    protocol: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    updated_by: str = Field(default="", max_length=200)
    row_version: int = Field(default=1)


class MeetingJustering(SQLModel, table=True):
    """One signature of a meeting's protocol (a justerare's or the ordförande's)."""

    __tablename__ = "meeting_justering"
    __table_args__ = (UniqueConstraint("meeting_id", "email", name="uq_meeting_justering"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    email: str = Field(max_length=320)
    name: str = Field(max_length=200)
    signed_at: datetime = Field(sa_type=UTCDateTime)
