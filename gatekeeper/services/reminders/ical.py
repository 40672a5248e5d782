"""The iCalendar document a feed's URL answers with (RFC 5545, `icalendar` library).

`render_feed` finds the live feed whose URL carries the token, gathers the
entries (`services.reminders.calendar_entry`) of the projects it covers as
they stand when it is polled, and writes them as all-day, transparent events.
Projects that are terminated or closed contribute nothing. `last_used_at` is
written at most once an hour, so a calendar polling every few minutes causes
no write each time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from gatekeeper.core.status import ProjectStatus
from gatekeeper.errors import NotFound
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.reminders.calendar_entry import CalendarEntry, project_entries
from gatekeeper.services.reminders.calendar_feed import token_hash
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.projects.tables import Project, ProjectMember
from gatekeeper.store.reminders.tables import CalendarFeed

if TYPE_CHECKING:
    from icalendar import Calendar

TOUCH_EVERY = timedelta(hours=1)
PRODID = "-//gatekeeper//Påminnelser och kalender//SV"
_SETTLED = (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)


def _feed_by_token(session: Session, token: str) -> tuple[CalendarFeed, UserAccount]:
    row = session.exec(
        select(CalendarFeed, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(CalendarFeed.user_id))
        .where(CalendarFeed.token_hash == token_hash(token))
    ).one_or_none()
    if row is None or row[0].revoked_at is not None or row[1].disabled_at is not None:
        raise NotFound("Kalenderflödet finns inte (adressen är okänd eller återkallad).")
    return row


def _touch(ctx: Context, feed_id: int, now: datetime) -> None:
    with ctx.db.write() as session:
        feed = session.get(CalendarFeed, feed_id)
        if feed is not None and (
            feed.last_used_at is None or now - feed.last_used_at >= TOUCH_EVERY
        ):
            feed.last_used_at = now
            session.add(feed)


def render_feed(
    ctx: Context, token: str, *, now: datetime | None = None, base_url: str = ""
) -> bytes:
    """The iCalendar document of the feed whose URL carries `token`; `NotFound` if none is live.

    `base_url` (e.g. `https://gatekeeper.alingsas.se`) makes the events' links absolute.
    """
    now = now or ctx.clock.now()
    today = now.astimezone(LOCAL_ZONE).date()
    with ctx.db.read() as session:
        feed, user = _feed_by_token(session, token)
        memberships = session.exec(
            select(ProjectMember, Project)
            .join(Project)
            .where(ProjectMember.email == user.email)
            .order_by(col(Project.key))
        ).all()
        roles: dict[int, set[str]] = defaultdict(set)
        projects: dict[int, Project] = {}
        for member, project in memberships:
            if feed.project_id is not None and project.id != feed.project_id:
                continue
            assert project.id is not None
            projects[project.id] = project
            if member.substitute_for is None:
                roles[project.id].add(member.role)
        entries: list[CalendarEntry] = []
        for project_id, project in projects.items():
            if project.status in _SETTLED:
                continue
            entries.extend(project_entries(session, project, user.email, roles[project_id], today))
        title = (
            f"gatekeeper – {projects[feed.project_id].name}"
            if feed.project_id is not None and feed.project_id in projects
            else f"gatekeeper – {user.name}"
        )
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_EVERY:
        assert feed.id is not None
        _touch(ctx, feed.id, now)
    document: bytes = _calendar(title, entries, now, base_url.rstrip("/")).to_ical()
    return document


def _calendar(title: str, entries: list[CalendarEntry], now: datetime, base_url: str) -> Calendar:
    # icalendar (a tenth of a second to import) is loaded on a feed's first request.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", title)
    calendar.add("x-wr-timezone", LOCAL_ZONE.key)
    stamp = now.astimezone(UTC).replace(microsecond=0)  # RFC 5545: DTSTAMP in UTC
    for entry in sorted(entries, key=lambda e: (e.on, e.uid)):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + timedelta(days=1))
        event.add("summary", entry.summary)
        description = entry.description
        if base_url:
            event.add("url", base_url + entry.link)
            description += f"\n{base_url}{entry.link}"
        event.add("description", description)
        event.add("categories", [entry.categories])
        event.add("transp", "TRANSPARENT")  # a date to remember, not time that is taken
        calendar.add_component(event)
    return calendar
