"""Skicka kallelse: the agenda and underlag frozen, and the participants mailed.

In one transaction the meeting's agenda is frozen with what each point shows
now (`underlag`: JSON, so later changes in the project never change what was
sent) and `MeetingSent` is recorded with the underlag's hash; after the
commit each participant with an e-mail address gets the kallelse, so a mail
server that is down never undoes the freezing (the answer says how many left).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from urllib.parse import quote

from gatekeeper.channels.base import DeliveryFailed
from gatekeeper.channels.meeting_mail import MeetingLetter, MeetingLetterBox
from gatekeeper.core.actor import Actor
from gatekeeper.core.events.meetings import Kallelse, MeetingSent
from gatekeeper.core.meetings.meeting import MeetingStatus, participants_of
from gatekeeper.errors import Conflict
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.meetings.agenda import describe, due_points_in
from gatekeeper.services.meetings.meeting import local_start, meeting_in, previous_start
from gatekeeper.services.meetings.wording import meeting_title
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.meetings.tables import Meeting


@dataclass(frozen=True)
class Sent:
    """A meeting whose kallelse went out: how many of its letters left gatekeeper."""

    meeting: Meeting
    recipients: int  # participants with an e-mail address
    delivered: int


def meeting_url(base_url: str, project_key: str, meeting_id: int) -> str:
    return f"{base_url.rstrip('/')}/projects/{quote(project_key, safe='')}/meetings/{meeting_id}"


@audits_refusal("meeting.send", object_type="meeting", object_id="{meeting_id}")
def send_kallelse(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    meeting_id: int,
    expected_version: int | None = None,
    letters: MeetingLetterBox | None = None,
    base_url: str = "",
) -> Sent:
    """Freeze the agenda and underlag of a drafted meeting and mail the participants."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="skicka kallelser")
        require_active(project)
        meeting = meeting_in(session=session, project=project, meeting_id=meeting_id, lock=True)
        check_version(meeting.row_version, expected_version, "Mötet")
        if meeting.status is not MeetingStatus.DRAFT:
            raise Conflict("Kallelsen till mötet är redan skickad; underlaget är fruset.")
        starts = local_start(meeting.starts_at)
        since = previous_start(session=session, project=project, before=meeting.starts_at)
        due = due_points_in(
            session=session, project=project, on=starts.date(), since=since, today=ctx.today()
        )
        underlag = describe(meeting.agenda, due)
        meeting.underlag = underlag
        meeting.status = MeetingStatus.SENT
        meeting.sent_at = now
        meeting.sent_by = str(actor)
        people = participants_of(meeting.participants)
        recipients = [p for p in people if p.email]
        digest = hashlib.sha256(
            json.dumps(underlag, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        change.record(
            session,
            MeetingSent(
                object_id=str(meeting.id),
                after=Kallelse(
                    agenda=tuple(str(p["title"]) for p in underlag),
                    recipients=tuple(p.name for p in recipients),
                    underlag_hash=digest,
                ),
            ),
            by=actor,
            at=now,
            project=project,
            row=meeting,
        )
        assert meeting.id is not None
        sender = next((p.name for p in people if p.email == actor.id), actor.name or "")
        template = MeetingLetter(
            recipient_email="",
            recipient_name="",
            project_name=project.name,
            title=meeting_title(meeting),
            place=meeting.place,
            agenda=tuple(str(p["title"]) for p in underlag),
            url=meeting_url(base_url, project.key, meeting.id),
            sender_name=sender,
        )
    delivered = 0
    if letters is not None:
        for person in recipients:
            try:
                letters.send_meeting_letter(
                    replace(template, recipient_email=person.email, recipient_name=person.name)
                )
            except DeliveryFailed:
                continue
            delivered += 1
    return Sent(meeting, len(recipients), delivered)
