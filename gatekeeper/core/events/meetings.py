"""Events of steering-group meetings: drafted, changed, kallelse sent, protocol recorded,
justerad."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class MeetingState:
    """A meeting as the audit log keeps it: people by name, points by title."""

    kind: str
    starts_at: str  # ISO date and time, UTC
    place: str
    status: str
    participants: tuple[str, ...]  # names
    chair: str
    secretary: str
    justerare: tuple[str, ...]
    agenda: tuple[str, ...]  # the points' titles, in order


@dataclass(frozen=True, kw_only=True)
class MeetingCreated(Event):
    name = EventName.MEETING_CREATED
    object_type = "meeting"
    before: None = None
    after: MeetingState


@dataclass(frozen=True, kw_only=True)
class MeetingUpdated(Event):
    name = EventName.MEETING_UPDATED
    object_type = "meeting"
    before: MeetingState
    after: MeetingState


@dataclass(frozen=True)
class Kallelse:
    """What was sent: the frozen agenda and to whom."""

    agenda: tuple[str, ...]
    recipients: tuple[str, ...]  # names of the participants with an e-mail address
    underlag_hash: str  # sha256 of the frozen underlag's JSON


@dataclass(frozen=True, kw_only=True)
class MeetingSent(Event):
    name = EventName.MEETING_SENT
    object_type = "meeting"
    before: None = None
    after: Kallelse


@dataclass(frozen=True)
class ProtocolState:
    present: tuple[str, ...]
    substitutes: tuple[str, ...]  # "Per Ek för Lars Carlsson"
    decisions: tuple[str, ...]  # the decisions taken, with diarienummer
    notes: int  # how many points carry a note


@dataclass(frozen=True, kw_only=True)
class MeetingProtocolRecorded(Event):
    name = EventName.MEETING_PROTOCOL_RECORDED
    object_type = "meeting"
    before: ProtocolState | None
    after: ProtocolState


@dataclass(frozen=True)
class Justering:
    justerare: str  # the signer's name
    complete: bool  # every signer has now signed: the protocol is locked


@dataclass(frozen=True, kw_only=True)
class MeetingJusterad(Event):
    name = EventName.MEETING_JUSTERAD
    object_type = "meeting"
    before: None = None
    after: Justering


EVENTS: tuple[type[Event], ...] = (
    MeetingCreated,
    MeetingUpdated,
    MeetingSent,
    MeetingProtocolRecorded,
    MeetingJusterad,
)
