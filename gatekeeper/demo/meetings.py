"""The demo's styrgrupp meetings (seed 000: every second month): the IBIC project gets one
held and justerad meeting with its protocol, and the next one with a drafted agenda.

The held meeting is 15 October 2026, the day the styrgrupp decided on the
migration (Dnr 2026.203 VON), so its protocol lists that decision; the next
is two weeks ahead of the day the demo is built, its agenda drafted from what
is due then. Everything goes through the meetings' use cases.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from gatekeeper.core.actor import Actor
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.meetings import meeting as meetings
from gatekeeper.services.meetings import protocol as protocols
from gatekeeper.services.meetings import sending

PROJECT = "ibic-alingsas"
HELD_AT = datetime(2026, 10, 15, 13, 0, tzinfo=LOCAL_ZONE)
PLACE = "Stadshuset Alingsås, sammanträdesrum Mjörn"
NOTES = {
    "p1": "Ordföranden Anna Lindqvist öppnade mötet. Henrik Sjöberg valdes till justerare.",
}


def _email(spec: dict[str, Any], role: str) -> Actor:
    member = next(m for m in spec["members"] if m["role"] == role)
    return Actor.user(member["email"], member["name"])


def add_demo_meetings(ctx: Context, spec: dict[str, Any]) -> None:
    """The IBIC project's meetings (other demo projects get none)."""
    if spec["key"] != PROJECT:
        return
    leader = _email(spec, "projektledare")
    held = meetings.create_meeting(ctx, leader, project_key=PROJECT, starts_at=HELD_AT, place=PLACE)
    assert held.id is not None
    sending.send_kallelse(ctx, leader, project_key=PROJECT, meeting_id=held.id)
    present = [p["name"] for p in held.participants if p["name"] != "Per Almqvist"]
    last = held.agenda[-2]["id"]  # Övriga frågor
    protocols.record_protocol(
        ctx,
        leader,
        project_key=PROJECT,
        meeting_id=held.id,
        present=present,
        notes=NOTES
        | {last: "Utbildningen av IBIC-ombud flyttas till januari; styrgruppen noterar."},
    )
    signers = [p for p in held.participants if p["justerare"] or p["chair"]]
    for person in signers:
        protocols.justera(
            ctx,
            Actor.user(person["email"], person["name"]),
            project_key=PROJECT,
            meeting_id=held.id,
        )
    next_day = ctx.today() + timedelta(days=14)
    meetings.create_meeting(
        ctx,
        leader,
        project_key=PROJECT,
        starts_at=datetime.combine(next_day, time(13, 0), tzinfo=LOCAL_ZONE),
        place=PLACE,
    )
