"""E-mail over SMTP: one message per reminder, or one daily digest, in the recipient's
language (Swedish; English for those who chose it; Danish for the projects whose
workflow is Danish).

Each message is multipart/alternative: plain text and HTML, both rendered from
the Jinja2 templates in `channels/templates/`, with the link to the item. The
Message-ID is derived from the reminder (or the digest's person and day), so
the rare duplicate that at-least-once delivery allows carries the same id and
mail clients can fold it. `Auto-Submitted: auto-generated` keeps autoresponders
quiet. SMTP runs with STARTTLS, TLS from the start, or plain (a local relay),
with an optional login and a timeout; failures become `DeliveryFailed` with a
reason that never contains the password.
"""

from __future__ import annotations

import functools
import hashlib
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Any, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from gatekeeper.channels.base import DeliveryFailed, Digest, Notice
from gatekeeper.config import Settings
from gatekeeper.core.wording import DEFAULT_LANGUAGE, count_phrase

TEMPLATES = Path(__file__).parent / "templates"
_MAX_REASON = 300

Security = Literal["starttls", "ssl", "none"]


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send e-mail."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    security: Security = "starttls"
    timeout_seconds: float = 10.0
    mail_from: str = "gatekeeper@localhost"

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        """The configuration the settings describe; None when no SMTP host is set."""
        if not settings.smtp_host:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            security=settings.smtp_security,
            timeout_seconds=settings.smtp_timeout_seconds,
            mail_from=settings.mail_from,
        )


@functools.cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **values: Any) -> str:
    """One of `channels/templates/` rendered with `values`."""
    return _environment().get_template(name).render(**values)


def _domain(mail_from: str) -> str:
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"


def build_message(
    *, mail_from: str, to: tuple[str, str], subject: str, text: str, html: str, message_id: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = formataddr(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = f"<{message_id}@{_domain(mail_from)}>"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


# The words around a reminder, in the recipient's language (its own words come with it).
WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "lang": "sv",
        "hello": "Hej",
        "open": "Öppna i gatekeeper",
        "automatic": "Det här är en automatisk påminnelse från gatekeeper",
        "about_project": "om projektet",
        "choose_digest": "Du kan välja en daglig sammanfattning i stället under Inställningar.",
        "digest_intro": "Här är dina påminnelser från gatekeeper",
        "digest_footer": "Du får den här sammanfattningen en gång om dagen eftersom du har "
        "valt det under Inställningar.",
    },
    "en": {
        "lang": "en",
        "hello": "Hello",
        "open": "Open in gatekeeper",
        "automatic": "This is an automatic reminder from gatekeeper",
        "about_project": "about the project",
        "choose_digest": "You can choose a daily digest instead under Settings.",
        "digest_intro": "Here are your reminders from gatekeeper",
        "digest_footer": "You get this digest once a day because you chose it under Settings.",
    },
    "da": {
        "lang": "da",
        "hello": "Hej",
        "open": "Åbn i gatekeeper",
        "automatic": "Dette er en automatisk påmindelse fra gatekeeper",
        "about_project": "om projektet",
        "choose_digest": "Du kan i stedet vælge en daglig oversigt under Indstillinger.",
        "digest_intro": "Her er dine påmindelser fra gatekeeper",
        "digest_footer": "Du får denne oversigt én gang om dagen, fordi du har valgt det "
        "under Indstillinger.",
    },
}

# "1 påminnelse", "1 påmindelse", "1 reminder": the noun by language, singular and plural.
_REMINDER_NOUNS = {
    "sv": ("påminnelse", "påminnelser"),
    "da": ("påmindelse", "påmindelser"),
    "en": ("reminder", "reminders"),
}
_DIGEST_SUBJECTS = {
    "sv": "Dagens påminnelser från gatekeeper: {count}",
    "da": "Dagens påmindelser fra gatekeeper: {count}",
    "en": "Today's reminders from gatekeeper: {count}",
}


def words(language: str) -> dict[str, str]:
    """The e-mail's own words in `language` (Swedish for any language we do not have)."""
    return WORDS.get(language, WORDS[DEFAULT_LANGUAGE])


def reminder_count(count: int, language: str) -> str:
    """'1 påminnelse', '3 påminnelser' (da: '1 påmindelse', '3 påmindelser';
    en: '1 reminder', '3 reminders')."""
    singular, plural = _REMINDER_NOUNS.get(language, _REMINDER_NOUNS[DEFAULT_LANGUAGE])
    return count_phrase(count, singular, plural)


def notice_subject(notice: Notice) -> str:
    """The subject line: the project's name in brackets, then the reminder's title."""
    return f"[{notice.project_name}] {notice.title}" if notice.project_name else notice.title


def build_notice_message(notice: Notice, *, mail_from: str) -> EmailMessage:
    """The e-mail for one reminder, in the notice's language."""
    values = {
        "notice": notice,
        "subject": notice_subject(notice),
        "words": words(notice.language),
    }
    return build_message(
        mail_from=mail_from,
        to=(notice.recipient_name, notice.recipient_email),
        subject=notice_subject(notice),
        text=render("notice.txt", **values),
        html=render("notice.html", **values),
        message_id=f"gatekeeper-reminder-{notice.reminder_id}",
    )


def digest_subject(digest: Digest) -> str:
    """The digest's subject line, e.g. "Dagens påminnelser från gatekeeper: 3 påminnelser"
    ("Today's reminders from gatekeeper: 1 reminder" for someone who chose English)."""
    count = reminder_count(len(digest.items), digest.language)
    subject = _DIGEST_SUBJECTS.get(digest.language, _DIGEST_SUBJECTS[DEFAULT_LANGUAGE])
    return subject.format(count=count)


def build_digest_message(digest: Digest, *, mail_from: str) -> EmailMessage:
    """The daily digest e-mail of one person."""
    values = {
        "digest": digest,
        "subject": digest_subject(digest),
        "words": words(digest.language),
        "count": reminder_count(len(digest.items), digest.language),
    }
    person = hashlib.sha256(digest.recipient_email.encode()).hexdigest()[:16]
    return build_message(
        mail_from=mail_from,
        to=(digest.recipient_name, digest.recipient_email),
        subject=digest_subject(digest),
        text=render("digest.txt", **values),
        html=render("digest.html", **values),
        message_id=f"gatekeeper-digest-{person}-{digest.day.isoformat()}",
    )


def _reason(error: BaseException) -> str:
    """A short cause for `last_error`: the error's type and the server's words, no secrets."""
    if isinstance(error, smtplib.SMTPResponseException):
        detail = error.smtp_error
        text = detail.decode(errors="replace") if isinstance(detail, bytes) else str(detail)
        reason = f"{type(error).__name__}: {error.smtp_code} {text}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        reason = f"{type(error).__name__}: the recipient was refused"
    else:
        reason = f"{type(error).__name__}: {error}"
    return " ".join(reason.split())[:_MAX_REASON]


class EmailChannel:
    """Sends reminders and digests through one SMTP server (a connection per message)."""

    name = "email"
    digestible = True

    def __init__(self, config: SmtpConfig, *, tls_context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self._tls_context = tls_context

    @property
    def timeout_seconds(self) -> float:
        return self.config.timeout_seconds

    def _tls(self) -> ssl.SSLContext:
        """The TLS settings (the system's CA certificates), made on the first message that
        needs them and kept: loading the certificates costs about 10 ms of CPU, which
        every message paid before, TLS or not. SSLContext is safe to share between threads.
        """
        if self._tls_context is None:
            self._tls_context = ssl.create_default_context()
        return self._tls_context

    def deliver(self, notice: Notice) -> None:
        """Send the e-mail for one reminder, or raise `DeliveryFailed`."""
        self.send(build_notice_message(notice, mail_from=self.config.mail_from))

    def send_digest(self, digest: Digest) -> None:
        """Send one person's daily digest, or raise `DeliveryFailed`."""
        self.send(build_digest_message(digest, mail_from=self.config.mail_from))

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the SMTP server, or raise `DeliveryFailed`."""
        config = self.config
        try:
            client: smtplib.SMTP
            if config.security == "ssl":
                client = smtplib.SMTP_SSL(
                    config.host, config.port, timeout=config.timeout_seconds, context=self._tls()
                )
            else:
                client = smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds)
            with client:
                if config.security == "starttls":
                    client.starttls(context=self._tls())
                if config.username:
                    client.login(config.username, config.password or "")
                client.send_message(message)
        except (smtplib.SMTPException, OSError, ValueError) as error:
            raise DeliveryFailed(_reason(error)) from None


def email_channel(settings: Settings) -> EmailChannel | None:
    """The e-mail channel the settings describe; None when no SMTP host is set."""
    config = SmtpConfig.from_settings(settings)
    return EmailChannel(config) if config else None
