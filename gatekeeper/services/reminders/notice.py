"""The notice of a reminder: what channels are handed, with its link made absolute.

A claimed reminder becomes a `channels.base.Notice` (title, lines, recipient,
project and a full URL under the server's base URL) before it is delivered;
the daily digest builds its links the same way. The lines of a reminder are
kept in its `details` (the English ones under `details["en"]`, the Danish ones
of a Danish project under `details["da"]`); `notice_lines` reads them for the
notice and for the in-app inbox copy alike.
"""

from __future__ import annotations

from typing import Any

from gatekeeper.channels.base import Notice
from gatekeeper.services.reminders.claim import Claim

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def absolute_link(link: str, base_url: str) -> str:
    """`link` (a path in the web UI) as a full URL under `base_url`; "" stays ""."""
    if not link or "://" in link:
        return link
    return base_url.rstrip("/") + "/" + link.lstrip("/")


def notice_lines(details: dict[str, Any]) -> tuple[str, ...]:
    """The non-blank lines kept in a reminder's `details`."""
    lines = details.get("lines")
    if not isinstance(lines, list):
        return ()
    return tuple(str(line) for line in lines if str(line).strip())


def notice_of(claim: Claim, *, base_url: str) -> Notice:
    """The reminder as channels see it, in the recipient's language.

    The recipient's language is the one they chose on their account, else the
    project's (`details["language"]`: "da" for a project whose workflow is
    Danish), else Swedish. English and Danish take the title and lines the
    planner kept with the reminder (`details["en"]`, `details["da"]`); a
    reminder planned before they were kept, or a language it does not have,
    gets the Swedish ones.
    """
    reminder = claim.reminder
    assert reminder.id is not None
    details = reminder.details or {}
    title, lines, language = reminder.title, notice_lines(details), "sv"
    wanted = claim.language or str(details.get("language") or "sv")
    other = details.get(wanted) if wanted != "sv" else None
    if isinstance(other, dict) and other.get("title"):
        title, lines, language = str(other["title"]), notice_lines(other), wanted
    return Notice(
        reminder_id=reminder.id,
        kind=str(reminder.kind),
        recipient_email=reminder.recipient_email,
        recipient_name=reminder.recipient_name,
        title=title,
        lines=lines,
        language=language,
        url=absolute_link(reminder.link, base_url),
        project_key=str(details.get("project_key") or claim.project_key),
        project_name=str(details.get("project_name") or claim.project_name),
        due_at=reminder.due_at,
    )
