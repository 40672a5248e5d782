"""How a meeting is named where people read it: "Styrgruppsmöte 10 mars 2027 kl. 13.00"."""

from __future__ import annotations

from gatekeeper.core.meetings.meeting import MEETING_KIND_SV
from gatekeeper.core.wording import date_sv
from gatekeeper.services.meetings.meeting import local_start
from gatekeeper.store.meetings.tables import Meeting


def meeting_title(meeting: Meeting) -> str:
    """The meeting's kind, date and time in Swedish."""
    starts = local_start(meeting.starts_at)
    return f"{MEETING_KIND_SV[meeting.kind]} {date_sv(starts.date())} kl. {starts:%H.%M}"
