"""Personal iCal feeds: a secret URL a calendar program polls for a person's dates.

A feed belongs to one person and covers all the projects they are a member
of, or one of them. Its URL carries a random token, shown once when the feed
is made; the database keeps only the token's SHA-256 (like API tokens), so a
leaked database gives no working feed URL. Revoking a feed makes its URL
unknown at once.

`render_feed` builds the calendar (RFC 5545, with the `icalendar` library)
from the projects as they stand when it is polled:

- the target date of every gate ("Grind: Go-live / driftstart – Införande av IBIC");
- the deadline of every open checklist item whose responsible role the person
  holds, in gates not yet passed;
- the due date of every open decision condition the person owns;
- the meetings of the workflow's cadence (`core.reminder_policy.meetings_between`)
  for the next twelve months, for the roles the person holds.

All are all-day events with stable UIDs (`gate-<project>-<gate>@gatekeeper`…),
so a calendar program updates an event when its date moves instead of adding
another. Projects that are terminated or closed contribute nothing; a paused
project keeps its dates but no meetings. `last_used_at` is written at most
once an hour, so a calendar polling every few minutes causes no write each time.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from icalendar import Calendar, Event
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.reminders import (
    CalendarFeedCreated,
    CalendarFeedRevoked,
    Feed,
    Revocation,
)
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ConditionStatus, ItemStatus, ProjectStatus
from gatekeeper.errors import NotFound
from gatekeeper.services import change
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.gates.tables import DecisionCondition
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    PhaseChange,
    Project,
    ProjectMember,
)
from gatekeeper.store.reminders.tables import CalendarFeed

if TYPE_CHECKING:
    from gatekeeper.core.reminders.policy import Meeting

TOUCH_EVERY = timedelta(hours=1)
MEETING_HORIZON_DAYS = 365
PRODID = "-//gatekeeper//Påminnelser och kalender//SV"
UID_DOMAIN = "gatekeeper"
_SETTLED = (ProjectStatus.TERMINATED, ProjectStatus.CLOSED)


@dataclass(frozen=True)
class FeedView:
    """A feed as its owner sees it: which project it covers (None: all of theirs)."""

    feed: CalendarFeed
    project_key: str | None
    project_name: str | None


class NewFeed(NamedTuple):
    """A feed just made, and the token of its URL (shown this once)."""

    view: FeedView
    token: str


def token_hash(token: str) -> str:
    """The SHA-256 (hex) the database keeps of a feed's token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _user(session: Session, email: str) -> UserAccount:
    user = session.exec(
        select(UserAccount).where(UserAccount.email == email.strip().lower())
    ).one_or_none()
    if user is None:
        raise NotFound(f"Kontot {email} finns inte.")
    return user


def _member_project(session: Session, project_key: str, email: str) -> Project:
    """A project the person is a member of; any other reads as unknown."""
    project = project_by_key(session=session, key=project_key)
    member = session.exec(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project.id, ProjectMember.email == email
        )
    ).first()
    if member is None:
        raise NotFound(f"Projektet '{project_key}' finns inte.")
    return project


def member_projects(ctx: Context, email: str) -> list[Project]:
    """The projects the person is a member of (what a one-project feed may cover), by name."""
    with ctx.db.read() as session:
        rows = session.exec(
            select(Project)
            .where(
                col(Project.id).in_(
                    select(ProjectMember.project_id).where(
                        ProjectMember.email == email.strip().lower()
                    )
                )
            )
            .order_by(col(Project.name), col(Project.key))
        ).all()
    return list(rows)


def create_feed(
    ctx: Context, actor: Actor, *, email: str, project_key: str | None = None
) -> NewFeed:
    """A new feed of the person's projects (or of one they are a member of); token shown once."""
    token = secrets.token_urlsafe(32)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        user = _user(session, email)
        assert user.id is not None
        project = (
            _member_project(session, project_key, user.email) if project_key is not None else None
        )
        feed = CalendarFeed(
            token_hash=token_hash(token),
            user_id=user.id,
            project_id=project.id if project is not None else None,
            created_at=now,
        )
        session.add(feed)
        session.flush()
        change.record(
            session,
            CalendarFeedCreated(
                object_id=str(feed.id),
                after=Feed(owner=user.email, project=project.key if project else None),
            ),
            by=actor,
            at=now,
            project_id=feed.project_id,
        )
        return NewFeed(
            FeedView(feed, project.key if project else None, project.name if project else None),
            token,
        )


def list_feeds(ctx: Context, email: str) -> list[FeedView]:
    """The person's feeds that are not revoked, oldest first."""
    with ctx.db.read() as session:
        user = _user(session, email)
        rows = session.exec(
            select(CalendarFeed, Project)
            .join(Project, col(Project.id) == col(CalendarFeed.project_id), isouter=True)
            .where(CalendarFeed.user_id == user.id, col(CalendarFeed.revoked_at).is_(None))
            .order_by(col(CalendarFeed.id))
        ).all()
    return [
        FeedView(feed, project.key if project else None, project.name if project else None)
        for feed, project in rows
    ]


def revoke_feed(ctx: Context, actor: Actor, *, email: str, feed_id: int) -> CalendarFeed:
    """Revoke one of the person's feeds; its URL answers 404 from now on."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        user = _user(session, email)
        feed = session.exec(
            select(CalendarFeed)
            .where(
                CalendarFeed.id == feed_id,
                CalendarFeed.user_id == user.id,
                col(CalendarFeed.revoked_at).is_(None),
            )
            .with_for_update()
        ).one_or_none()
        if feed is None:
            raise NotFound(f"Kalenderflödet {feed_id} finns inte.")
        feed.revoked_at = now
        session.add(feed)
        session.flush()
        change.record(
            session,
            CalendarFeedRevoked(
                object_id=str(feed.id), before=Revocation(None), after=Revocation(now.isoformat())
            ),
            by=actor,
            at=now,
            project_id=feed.project_id,
        )
        return feed


# --- the calendar -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One all-day event of the feed."""

    uid: str
    on: date
    summary: str
    description: str
    link: str
    categories: str


def _passed_order(workflow: Workflow) -> dict[str, int]:
    return {phase.id: index for index, phase in enumerate(workflow.phases)}


def _gates_ahead(workflow: Workflow, current_phase: str) -> set[str]:
    """Gates leaving the current phase or a later one (by the workflow's phase order)."""
    order = _passed_order(workflow)
    here = order.get(current_phase, 0)
    return {gate.id for gate in workflow.gates if order.get(gate.source, -1) >= here}


def _meetings(
    workflow: Workflow,
    project: Project,
    phase_entries: Mapping[str, date],
    today: date,
) -> list[Meeting]:
    """The cadence's meetings of the next twelve months."""
    from gatekeeper.core.reminders.policy import meetings_between  # the planner's; kept lazy

    return meetings_between(
        workflow.reminders,
        started_on=project.started_on,
        phase_entries=phase_entries,
        current_phase=project.phase,
        start=today,
        end=today + timedelta(days=MEETING_HORIZON_DAYS),
        final_phases=frozenset(phase.id for phase in workflow.phases if phase.final),
    )


def _project_entries(
    session: Session, project: Project, email: str, roles: set[str], today: date
) -> Iterable[_Entry]:
    workflow = project_workflow(session=session, project=project)
    key, name = project.key, project.name
    page = f"/projects/{key}"
    gate_names = {gate.id: gate.name for gate in workflow.gates}
    role_names = {role.id: role.name for role in workflow.roles}
    targets = {
        row.gate_id: row.target_date
        for row in session.exec(select(GateTarget).where(GateTarget.project_id == project.id))
    }
    for gate in workflow.gates:
        if gate.id in targets:
            yield _Entry(
                uid=f"gate-{key}-{gate.id}@{UID_DOMAIN}",
                on=targets[gate.id],
                summary=f"Grind: {gate.name} – {name}",
                description=f"Måldatum för grinden {gate.name} i projektet {name}.",
                link=f"{page}/gates/{gate.id}",
                categories="Grind",
            )
    ahead = _gates_ahead(workflow, project.phase)
    if roles and ahead:
        items = session.exec(
            select(ChecklistItem, ChecklistInstance)
            .join(ChecklistInstance)
            .where(
                ChecklistInstance.project_id == project.id,
                col(ChecklistInstance.gate_id).in_(sorted(ahead)),
                ChecklistItem.status == ItemStatus.OPEN,
                col(ChecklistItem.responsible).in_(sorted(roles)),
                col(ChecklistItem.due_offset_days).is_not(None),
            )
            .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
        ).all()
        for item, instance in items:
            target = targets.get(instance.gate_id)
            if target is None or item.due_offset_days is None:
                continue
            gate_name = gate_names.get(instance.gate_id, instance.gate_id)
            yield _Entry(
                uid=f"item-{key}-{instance.gate_id}-{instance.checklist_id}-{item.item_id}"
                f"@{UID_DOMAIN}",
                on=target + timedelta(days=item.due_offset_days),
                summary=f"Deadline: {item.text} – {name}",
                description=(
                    f"Checklistepunkt inför grinden {gate_name} ({instance.name}). "
                    f"Ansvarig roll: {role_names.get(item.responsible, item.responsible)}."
                ),
                link=f"{page}/gates/{instance.gate_id}#item-{instance.checklist_id}-{item.item_id}",
                categories="Deadline",
            )
    conditions = session.exec(
        select(DecisionCondition).where(
            DecisionCondition.project_id == project.id,
            DecisionCondition.owner == email,
            DecisionCondition.status == ConditionStatus.OPEN,
            col(DecisionCondition.due_on).is_not(None),
        )
    ).all()
    for condition in conditions:
        assert condition.due_on is not None
        yield _Entry(
            uid=f"condition-{key}-{condition.id}@{UID_DOMAIN}",
            on=condition.due_on,
            summary=f"Villkor: {condition.text} – {name}",
            description=f"Villkor i ett beslut om go med villkor i {name}; du är ansvarig.",
            link=f"{page}#conditions-heading",
            categories="Villkor",
        )
    if project.status is ProjectStatus.ON_HOLD:
        return
    entries: dict[str, date] = {}
    for phase_change in session.exec(
        select(PhaseChange)
        .where(PhaseChange.project_id == project.id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ):
        entries[phase_change.to_phase] = phase_change.at.astimezone(LOCAL_ZONE).date()
    for meeting in _meetings(workflow, project, entries, today):
        meeting_roles = set(meeting.roles)
        if meeting_roles and not meeting_roles & roles:
            continue
        yield _Entry(
            uid=f"meeting-{key}-{meeting.cadence_id}-{meeting.on.isoformat()}@{UID_DOMAIN}",
            on=meeting.on,
            summary=f"{meeting.name} – {name}",
            description=f"Återkommande möte i projektet {name}.",
            link=page,
            categories="Möte",
        )


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
        entries: list[_Entry] = []
        for project_id, project in projects.items():
            if project.status in _SETTLED:
                continue
            entries.extend(_project_entries(session, project, user.email, roles[project_id], today))
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


def _calendar(title: str, entries: list[_Entry], now: datetime, base_url: str) -> Calendar:
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
