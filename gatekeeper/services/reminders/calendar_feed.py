"""Personal iCal feeds: the secret URLs a person makes, lists and revokes.

A feed belongs to one person and covers all the projects they are a member
of, or one of them. Its URL carries a random token, shown once when the feed
is made; the database keeps only the token's SHA-256 (like API tokens), so a
leaked database gives no working feed URL. Revoking a feed makes its URL
unknown at once. What a calendar program gets when it polls the URL is built
in `services.reminders.ical`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import NamedTuple

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.reminders import (
    CalendarFeedCreated,
    CalendarFeedRevoked,
    Feed,
    Revocation,
)
from gatekeeper.errors import NotFound
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.projects.tables import Project, ProjectMember
from gatekeeper.store.reminders.tables import CalendarFeed


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
