"""A styrgrupp meeting's words and rules: its kind, its status, its agenda points and who
justerar its protocol.

A meeting is drafted (kallelse not sent), sent (the agenda and underlag frozen
and mailed to the participants), held (its protocol recorded) and justerad
(every justerare, and the ordförande, has signed: the protocol is locked).
These are values and rules only; the store keeps them and the services apply
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class MeetingKind(StrEnum):
    """Styrgruppsmöte (seed 000: every second month) or the project's avslutningsmöte (seed 004)."""

    STEERING = "styrgruppsmote"
    EXIT = "avslutningsmote"


class MeetingStatus(StrEnum):
    """Where a meeting stands: drafted, kallelse sent, protocol recorded, justerad."""

    DRAFT = "draft"
    SENT = "sent"
    HELD = "held"
    JUSTERAD = "justerad"


class PointKind(StrEnum):
    """What an agenda point takes up. All but `free` are drafted from what is due."""

    OPENING = "opening"  # mötets öppnande, val av justerare
    REVIEW = "review"  # an open gate review: a decision to take at the meeting
    GATE = "gate"  # a gate whose target date is near: a decision wanted soon
    CONDITION = "condition"  # a condition of a conditional go due
    RISK = "risk"  # an open risk at or over the project's threshold
    LATE_ITEMS = "late_items"  # mandatory checklist items past their deadline
    ACTIVITIES = "activities"  # the aktivitetsplan's changes since the last meeting
    FREE = "free"  # a point the projektledare wrote


MEETING_KIND_SV = {MeetingKind.STEERING: "Styrgruppsmöte", MeetingKind.EXIT: "Avslutningsmöte"}
STATUS_SV = {
    MeetingStatus.DRAFT: "Utkast",
    MeetingStatus.SENT: "Kallelse skickad",
    MeetingStatus.HELD: "Protokoll fört",
    MeetingStatus.JUSTERAD: "Justerat",
}

MAX_JUSTERARE = 2
NEAR_DAYS = 62  # a gate due within two months is a decision the next meeting must prepare
HIGH_RISK_SCORE = 7  # the matrix's "hög" band, where the gates name no limit of their own


@dataclass(frozen=True)
class Participant:
    """One person called to the meeting: a project member (with e-mail) or a guest by name."""

    name: str
    email: str = ""
    role: str = ""  # the role's label, or what a guest is there as
    chair: bool = False  # ordförande
    secretary: bool = False  # sekreterare
    justerare: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "role": self.role,
            "chair": self.chair,
            "secretary": self.secretary,
            "justerare": self.justerare,
        }

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> Participant:
        return cls(
            name=str(data.get("name", "")),
            email=str(data.get("email", "")),
            role=str(data.get("role", "")),
            chair=bool(data.get("chair", False)),
            secretary=bool(data.get("secretary", False)),
            justerare=bool(data.get("justerare", False)),
        )


def participants_of(rows: Iterable[Mapping[str, Any]]) -> tuple[Participant, ...]:
    return tuple(Participant.of(row) for row in rows)


def signers(participants: Sequence[Participant]) -> tuple[Participant, ...]:
    """Who signs the protocol: the justerare and the ordförande (each once)."""
    return tuple(p for p in participants if p.justerare or p.chair)


def may_justera(participants: Sequence[Participant], email: str) -> bool:
    """Whether the person with `email` is one of those who sign the protocol."""
    return bool(email) and any(p.email == email for p in signers(participants))


def justering_done(participants: Sequence[Participant], signed: Iterable[str]) -> bool:
    """Whether everyone who signs (by e-mail) has signed."""
    done = set(signed)
    return all(p.email in done for p in signers(participants))


def roles_problem(participants: Sequence[Participant]) -> tuple[str, str] | None:
    """What is wrong with the meeting's roles, as (field, Swedish sentence), or None."""
    names = [p.name for p in participants]
    if not participants:
        return "participants", "Ange minst en deltagare."
    if len(set(names)) != len(names):
        return "participants", "Två deltagare har samma namn; skriv ut namnen så att de skiljs åt."
    if sum(1 for p in participants if p.chair) > 1:
        return "chair", "Mötet har en ordförande."
    if sum(1 for p in participants if p.secretary) > 1:
        return "secretary", "Mötet har en sekreterare."
    count = sum(1 for p in participants if p.justerare)
    if not 1 <= count <= MAX_JUSTERARE:
        return "justerare", "Välj en eller två justerare bland deltagarna."
    for p in participants:
        if (p.justerare or p.chair) and not p.email:
            return (
                "justerare" if p.justerare else "chair",
                f"{p.name} justerar protokollet och behöver vara med i projektet.",
            )
        if p.justerare and p.secretary:
            return "justerare", "Sekreteraren kan inte justera sitt eget protokoll."
    return None
