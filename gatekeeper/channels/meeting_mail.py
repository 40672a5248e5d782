"""The kallelse of a styrgrupp meeting as e-mail: when and where, the agenda, and a link to
the frozen underlag in gatekeeper.

One letter per participant with an e-mail address, plain text and HTML from
`channels/templates/kallelse.*`. A `MeetingLetterBox` sends them; the e-mail
letter box of account letters (`EmailLetterBox`) is one, through the same
SMTP server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol, runtime_checkable

from gatekeeper.channels.email import build_message, render


@dataclass(frozen=True)
class MeetingLetter:
    """One participant's kallelse."""

    recipient_email: str
    recipient_name: str
    project_name: str
    title: str  # "Styrgruppsmöte 10 mars 2027 kl. 13.00"
    place: str
    agenda: tuple[str, ...]  # the points' titles, in order
    url: str  # the meeting's page, where the underlag is
    sender_name: str = ""


@runtime_checkable
class MeetingLetterBox(Protocol):
    """Sends meeting letters (the e-mail channel, or a recorder in tests)."""

    def send_meeting_letter(self, letter: MeetingLetter) -> None:
        """Send `letter`, or raise `DeliveryFailed`."""
        ...


def meeting_subject(letter: MeetingLetter) -> str:
    return f"[{letter.project_name}] Kallelse: {letter.title}"


def build_meeting_message(letter: MeetingLetter, *, mail_from: str) -> EmailMessage:
    """The e-mail of one kallelse."""
    values = {"letter": letter, "subject": meeting_subject(letter)}
    person = hashlib.sha256(f"{letter.url} {letter.recipient_email}".encode()).hexdigest()[:16]
    return build_message(
        mail_from=mail_from,
        to=(letter.recipient_name, letter.recipient_email),
        subject=meeting_subject(letter),
        text=render("kallelse.txt", **values),
        html=render("kallelse.html", **values),
        message_id=f"gatekeeper-kallelse-{person}",
    )
