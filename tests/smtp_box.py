"""A real SMTP server in a thread of the test process (aiosmtpd) that keeps what it accepts.

Used by the invitation tests (API, pages and the browser journey) to catch the
e-mail with the one-time link exactly as a mail server would receive it.
"""

from __future__ import annotations

import email
import email.policy
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from gatekeeper.channels.account_mail import EmailLetterBox
from gatekeeper.channels.email import EmailChannel, SmtpConfig

LINK = re.compile(r"https?://\S+/password/[A-Za-z0-9_-]+")


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, parsed."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def text(self, index: int = -1) -> str:
        body = self.messages[index].get_body(preferencelist=("plain",))
        assert body is not None
        return str(body.get_content())

    def link(self, index: int = -1) -> str:
        found = LINK.search(self.text(index))
        assert found, "no password link in the e-mail"
        return found.group(0)

    def letters(self) -> EmailLetterBox:
        """Account letters sent to this server, as the app sends them."""
        config = SmtpConfig(
            host="127.0.0.1",
            port=self.port,
            security="none",
            timeout_seconds=5,
            mail_from="Gatekeeper Alingsås <gatekeeper@alingsas.se>",
        )
        return EmailLetterBox(EmailChannel(config))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
