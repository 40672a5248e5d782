"""Request and response models of steering-group meetings (`/api/v1/projects/{key}/meetings`).

A meeting's time is its date (`starts_on`) and Swedish local time (`time`,
HH:MM); participants are named, with the e-mail address of those who are
members (the kallelse goes there, and a justerare signs with it). Each agenda
point carries the underlag it shows: as it stands now until the kallelse is
sent, then as it was sent (`frozen`).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from gatekeeper.core.meetings.meeting import (
    MEETING_KIND_SV,
    STATUS_SV,
    MeetingKind,
    MeetingStatus,
    Participant,
    PointKind,
    participants_of,
)
from gatekeeper.services.context import LOCAL_ZONE
from gatekeeper.services.meetings.meeting_view import MeetingView
from gatekeeper.store.meetings.tables import Meeting
from gatekeeper.web.bounds import Day, Input

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class _In(Input):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ParticipantIn(_In):
    name: str = Field(min_length=1, max_length=200, examples=["Lars Carlsson"])
    email: EmailStr | None = Field(
        default=None, description="A member's address (the kallelse goes there); none for a guest."
    )
    role: str = Field(default="", max_length=200, examples=["Styrgrupp"])
    chair: bool = Field(default=False, description="Ordförande (one).")
    secretary: bool = Field(default=False, description="Sekreterare (one).")
    justerare: bool = Field(default=False, description="Justerare (one or two, with e-mail).")

    def participant(self) -> Participant:
        return Participant(
            name=self.name,
            email=str(self.email or ""),
            role=self.role,
            chair=self.chair,
            secretary=self.secretary,
            justerare=self.justerare,
        )


class AgendaPointIn(_In):
    kind: PointKind = PointKind.FREE
    ref: str = Field(default="", max_length=100, description="What a drafted point refers to.")
    title: str = Field(min_length=1, max_length=300, examples=["Information från leverantören"])
    text: str = Field(default="", max_length=4000)


def clock_time(at: str) -> time:
    """HH:MM (checked by `TIME_PATTERN`) as a time of day."""
    hours, minutes = (int(part) for part in at.split(":"))
    return time(hours, minutes)


def local(day: date, at: str) -> datetime:
    """A day and HH:MM in Swedish time."""
    return datetime.combine(day, clock_time(at), tzinfo=LOCAL_ZONE)


class MeetingCreate(_In):
    kind: MeetingKind = MeetingKind.STEERING
    starts_on: Day = Field(examples=["2027-02-10"])
    time: str = Field(default="13:00", pattern=TIME_PATTERN, description="Swedish time, HH:MM.")
    place: str = Field(default="", max_length=300, examples=["Stadshuset, rum Mjörn"])
    participants: list[ParticipantIn] | None = Field(
        default=None,
        max_length=60,
        description="Without: the styrgrupp, beställare (ordförande), projektledare "
        "(sekreterare) and the first styrgrupp member as justerare.",
    )


class MeetingUpdate(_In):
    kind: MeetingKind | None = None
    starts_on: Day | None = None
    time: str | None = Field(default=None, pattern=TIME_PATTERN)
    place: str | None = Field(default=None, max_length=300)
    participants: list[ParticipantIn] | None = Field(default=None, max_length=60)
    agenda: list[AgendaPointIn] | None = Field(
        default=None, max_length=40, description="The whole agenda in its new order."
    )


class ProtocolRecord(_In):
    present: list[str] = Field(
        max_length=60, description="Names of the participants who were there."
    )
    substitutes: list[EmailStr] = Field(
        default_factory=list, max_length=60, description="Ersättare who sat in (their e-mail)."
    )
    notes: dict[str, str] = Field(
        default_factory=dict, max_length=40, description="Agenda point id → the note on it."
    )


class ParticipantPublic(BaseModel):
    name: str
    email: str | None
    role: str
    chair: bool
    secretary: bool
    justerare: bool


class PointPublic(BaseModel):
    id: str
    kind: PointKind
    ref: str
    title: str
    text: str
    details: list[str]
    note: str


class DecisionLine(BaseModel):
    kind: str = Field(description="gate (a gate decision) or named (e.g. finansiering).")
    id: int
    title: str
    reference: str = Field(description="Diarienummer ('' until registered).")
    decided_on: date


class SignaturePublic(BaseModel):
    name: str
    signed_at: datetime


class MeetingPublic(BaseModel):
    """A meeting with its agenda and underlag, protocol and justering."""

    id: int
    kind: MeetingKind
    kind_sv: str
    starts_at: datetime
    place: str
    status: MeetingStatus
    status_sv: str
    participants: list[ParticipantPublic]
    agenda: list[PointPublic]
    frozen: bool = Field(description="The underlag as sent with the kallelse.")
    sent_at: datetime | None
    present: list[str] | None
    substitutes: list[str] | None = Field(description="'Per Ek för Lars Carlsson'.")
    decisions: list[DecisionLine]
    signatures: list[SignaturePublic]
    row_version: int

    @classmethod
    def of(cls, meeting: Meeting, view: MeetingView | None = None) -> MeetingPublic:
        protocol: dict[str, Any] = meeting.protocol or {}
        notes = protocol.get("notes", {})
        points = view.points if view is not None else (meeting.underlag or meeting.agenda)
        return cls(
            id=meeting.id or 0,
            kind=meeting.kind,
            kind_sv=MEETING_KIND_SV[meeting.kind],
            starts_at=meeting.starts_at,
            place=meeting.place,
            status=meeting.status,
            status_sv=STATUS_SV[meeting.status],
            participants=[
                ParticipantPublic(
                    name=p.name,
                    email=p.email or None,
                    role=p.role,
                    chair=p.chair,
                    secretary=p.secretary,
                    justerare=p.justerare,
                )
                for p in participants_of(meeting.participants)
            ],
            agenda=[
                PointPublic(
                    id=str(p["id"]),
                    kind=PointKind(str(p["kind"])),
                    ref=str(p.get("ref", "")),
                    title=str(p["title"]),
                    text=str(p.get("text", "")),
                    details=[str(line) for line in p.get("details", [])],
                    note=str(notes.get(p["id"], "")),
                )
                for p in points
            ],
            frozen=meeting.underlag is not None,
            sent_at=meeting.sent_at,
            present=protocol.get("present") if meeting.protocol is not None else None,
            substitutes=(
                [f"{s['name']} för {s['for']}" for s in protocol.get("substitutes", [])]
                if meeting.protocol is not None
                else None
            ),
            decisions=[
                DecisionLine(**d)
                for d in (view.decisions if view is not None else protocol.get("decisions", []))
            ],
            signatures=[
                SignaturePublic(name=s.name, signed_at=s.signed_at)
                for s in (view.signatures if view is not None else ())
            ],
            row_version=meeting.row_version,
        )


class KallelseSent(BaseModel):
    """The kallelse went out: the meeting frozen, and how many letters left gatekeeper."""

    meeting: MeetingPublic
    recipients: int = Field(description="Participants with an e-mail address.")
    delivered: int = Field(description="Letters the mail server accepted.")
