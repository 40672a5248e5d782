"""The channel protocol: what the dispatcher hands a channel, and what a channel promises.

A `Channel` delivers one `Notice` (a reminder as its reader sees it) and either
returns, meaning the notice left gatekeeper, or raises `DeliveryFailed` with a
short reason that is safe to store and show (never a password or token). A
`Mailer` sends one daily `Digest`. Channels hold no database state; the
dispatcher decides when to call them and records the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


class DeliveryFailed(Exception):
    """A channel could not deliver; `reason` is safe to store in `last_error`."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Notice:
    """One reminder as it is shown to its recipient."""

    reminder_id: int
    kind: str
    recipient_email: str
    recipient_name: str
    title: str  # Swedish, e.g. "Projektplan ska vara klar om 14 dagar"
    lines: tuple[str, ...]  # Swedish sentences of the body
    url: str  # absolute link to the item in the web UI ("" when there is none)
    project_key: str
    project_name: str
    due_at: datetime
    language: str = "sv"  # of the title and lines, and of the e-mail around them (sv, da, en)


@dataclass(frozen=True)
class DigestItem:
    """One inbox message listed in a digest."""

    title: str
    lines: tuple[str, ...]
    url: str
    project_name: str
    created_at: datetime


@dataclass(frozen=True)
class Digest:
    """One person's daily digest: the inbox messages since the last one."""

    recipient_email: str
    recipient_name: str
    day: date  # the local date the digest is for
    items: tuple[DigestItem, ...]
    language: str = "sv"  # the recipient's language, for the words around the items


class Channel(Protocol):
    """Delivers single reminders outside the database (e-mail, chat, …)."""

    @property
    def name(self) -> str:
        """The word stored in `Reminder.channels`, e.g. `email`."""
        ...

    @property
    def digestible(self) -> bool:
        """True if people who chose a daily digest get this channel's notices in it instead."""
        ...

    @property
    def timeout_seconds(self) -> float:
        """The longest one `deliver` may take (the dispatcher keeps that much lease in hand)."""
        ...

    def deliver(self, notice: Notice) -> None:
        """Deliver `notice`, or raise `DeliveryFailed`."""
        ...


class Mailer(Protocol):
    """Sends the daily digest e-mail."""

    def send_digest(self, digest: Digest) -> None:
        """Send `digest`, or raise `DeliveryFailed`."""
        ...
