"""E-mail with a one-time password link: an invitation to gatekeeper, or a password reset.

The letter carries the link (the token lives only in it and in this message,
never in the database, the audit log or a log line) and when it stops
working. Both texts are Swedish, plain text and HTML, rendered from
`channels/templates/account_link.*`. A letter is sent at once, not queued: the
person is waiting for it, and the link can always be asked for again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal, Protocol

from gatekeeper.channels.email import EmailChannel, build_message, render
from gatekeeper.channels.meeting_mail import MeetingLetter, build_meeting_message

LinkKind = Literal["invitation", "reset"]


@dataclass(frozen=True)
class AccountLetter:
    """One link to set a password, as its recipient reads it."""

    kind: LinkKind
    recipient_email: str
    recipient_name: str
    url: str = field(repr=False)  # holds the token: never logged
    expires_on: str  # Swedish date, e.g. "14 december 2026"
    project_name: str = ""  # the project the person was invited to ("" for a reset)
    inviter_name: str = ""


class LetterBox(Protocol):
    """Sends account letters (the e-mail channel, or a recorder in tests)."""

    def send_account_letter(self, letter: AccountLetter) -> None:
        """Send `letter`, or raise `DeliveryFailed`."""
        ...


def letter_subject(letter: AccountLetter) -> str:
    if letter.kind == "invitation":
        where = f" till {letter.project_name}" if letter.project_name else ""
        return f"Inbjudan{where} i gatekeeper"
    return "Välj ett nytt lösenord till gatekeeper"


def build_letter_message(letter: AccountLetter, *, mail_from: str) -> EmailMessage:
    """The e-mail of one account letter."""
    values = {"letter": letter, "subject": letter_subject(letter)}
    return build_message(
        mail_from=mail_from,
        to=(letter.recipient_name, letter.recipient_email),
        subject=letter_subject(letter),
        text=render("account_link.txt", **values),
        html=render("account_link.html", **values),
        message_id=f"gatekeeper-{letter.kind}-{secrets.token_hex(12)}",
    )


class EmailLetterBox:
    """Account letters through the e-mail channel's SMTP server."""

    def __init__(self, channel: EmailChannel) -> None:
        self.channel = channel

    def send_account_letter(self, letter: AccountLetter) -> None:
        self.channel.send(build_letter_message(letter, mail_from=self.channel.config.mail_from))

    def send_meeting_letter(self, letter: MeetingLetter) -> None:
        """A meeting's kallelse, through the same SMTP server."""
        self.channel.send(build_meeting_message(letter, mail_from=self.channel.config.mail_from))
