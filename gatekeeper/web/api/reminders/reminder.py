"""Reminders through the API: a project's reminder log, and the caller's inbox, settings and feeds.

`/projects/{key}/reminders` is read by the project's members; putting a
failed reminder back (`…/requeue`) is for the projektledare or an
administrator. Everything under `/me/` concerns the caller only: their inbox
(a token limited to some projects sees those projects' messages), their time
zone and digest choice, and their personal iCal feeds, whose address is shown
once, in the answer to the POST that makes it. Changes need a write token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from gatekeeper.core.access import Principal
from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.reminders import calendar_feed as calendar_feeds
from gatekeeper.services.reminders import inbox
from gatekeeper.services.reminders import log as reminder_log
from gatekeeper.services.reminders import settings as reminder_settings
from gatekeeper.web.auth import PrincipalDep, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, Limit, id_cursor, paginate
from gatekeeper.web.schemas.projects import Page
from gatekeeper.web.schemas.reminders import (
    CalendarFeedCreate,
    CalendarFeedCreatedPublic,
    CalendarFeedPublic,
    InboxMessagePublic,
    InboxPagePublic,
    MarkedPublic,
    ReminderPublic,
    ReminderSettingsPublic,
    ReminderSettingsUpdate,
)

router = APIRouter(tags=["reminders"])


def _writer(principal: PrincipalDep) -> Principal:
    if not principal.can_write:
        raise PermissionDenied("Tokenet får bara läsa; skapa ett token med skrivrätt.")
    return principal


MeWriter = Annotated[Principal, Depends(_writer)]


def feed_url(request: Request, token: str) -> str:
    """The absolute address of a calendar feed."""
    return f"{str(request.base_url).rstrip('/')}/calendar/{token}.ics"


# --- the project's reminder log ---------------------------------------------------------


@router.get(
    "/projects/{project_key}/reminders",
    response_model=Page[ReminderPublic],
    summary="The project's reminders, newest first: to whom, when, delivered or failed",
)
def list_reminders(
    ctx: ContextDep,
    access: ProjectReader,
    status_filter: Annotated[
        ReminderStatus | None, Query(alias="status", description="Only reminders in this state.")
    ] = None,
    kind: Annotated[ReminderKind | None, Query(description="Only reminders of this kind.")] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[ReminderPublic]:
    before_id = id_cursor(cursor)
    rows, more = reminder_log.list_reminders(
        ctx, access.project_key, status=status_filter, kind=kind, limit=limit, before_id=before_id
    )
    return Page[ReminderPublic](
        items=[ReminderPublic.of(row) for row in rows],
        next_cursor=str(rows[-1].id) if more and rows else None,
    )


@router.post(
    "/projects/{project_key}/reminders/{reminder_id}/requeue",
    response_model=ReminderPublic,
    summary="Send a failed reminder again (projektledare or admin): pending now, attempts reset",
)
def requeue_reminder(ctx: ContextDep, access: ProjectWriter, reminder_id: RowId) -> ReminderPublic:
    return ReminderPublic.of(
        reminder_log.requeue(
            ctx, access.actor, project_key=access.project_key, reminder_id=reminder_id
        )
    )


# --- the caller's inbox -----------------------------------------------------------------


@router.get(
    "/me/inbox",
    response_model=InboxPagePublic,
    summary="Your inbox: unread messages first, then the newest",
)
def list_inbox(
    ctx: ContextDep,
    principal: PrincipalDep,
    unread: Annotated[bool, Query(description="Only unread messages.")] = False,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> InboxPagePublic:
    entries = inbox.messages(ctx, principal.email, unread_only=unread, projects=principal.projects)
    rows, next_cursor = paginate(entries, cursor=cursor, limit=limit)
    return InboxPagePublic(
        items=[InboxMessagePublic.of(entry) for entry in rows],
        next_cursor=next_cursor,
        unread=inbox.unread_count(ctx, principal.email, projects=principal.projects),
    )


@router.post(
    "/me/inbox/{message_id}/read",
    response_model=InboxMessagePublic,
    summary="Mark one of your messages read",
)
def mark_read(ctx: ContextDep, principal: MeWriter, message_id: RowId) -> InboxMessagePublic:
    return InboxMessagePublic.of(
        inbox.mark_read(ctx, principal.email, message_id, projects=principal.projects)
    )


@router.post(
    "/me/inbox/read-all",
    response_model=MarkedPublic,
    summary="Mark all your unread messages read",
)
def mark_all_read(ctx: ContextDep, principal: MeWriter) -> MarkedPublic:
    return MarkedPublic(
        marked=inbox.mark_all_read(ctx, principal.email, projects=principal.projects)
    )


# --- the caller's settings --------------------------------------------------------------


@router.get(
    "/me/settings",
    response_model=ReminderSettingsPublic,
    summary="Your reminder settings: time zone and daily digest",
)
def get_settings(ctx: ContextDep, principal: PrincipalDep) -> ReminderSettingsPublic:
    return ReminderSettingsPublic.of(reminder_settings.settings_of(ctx, principal.email))


@router.put(
    "/me/settings",
    response_model=ReminderSettingsPublic,
    summary="Change your time zone or daily digest (fields left out stay as they are)",
)
def put_settings(
    ctx: ContextDep, principal: MeWriter, body: ReminderSettingsUpdate
) -> ReminderSettingsPublic:
    current = reminder_settings.settings_of(ctx, principal.email)
    given = body.model_fields_set
    return ReminderSettingsPublic.of(
        reminder_settings.update_settings(
            ctx,
            principal.actor(),
            email=principal.email,
            time_zone=body.time_zone if "time_zone" in given else current.time_zone,
            email_digest=(
                body.email_digest
                if "email_digest" in given and body.email_digest is not None
                else current.email_digest
            ),
        )
    )


# --- the caller's calendar feeds --------------------------------------------------------


@router.get(
    "/me/calendar-feeds",
    response_model=Page[CalendarFeedPublic],
    summary="Your iCal feeds (never their addresses)",
)
def list_feeds(
    ctx: ContextDep, principal: PrincipalDep, cursor: Cursor = None, limit: Limit = 100
) -> Page[CalendarFeedPublic]:
    rows, next_cursor = paginate(
        calendar_feeds.list_feeds(ctx, principal.email), cursor=cursor, limit=limit
    )
    return Page[CalendarFeedPublic](
        items=[CalendarFeedPublic.of(view) for view in rows], next_cursor=next_cursor
    )


@router.post(
    "/me/calendar-feeds",
    response_model=CalendarFeedCreatedPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Make an iCal feed of your projects (or one); its address is shown once",
)
def create_feed(
    ctx: ContextDep,
    principal: MeWriter,
    body: CalendarFeedCreate,
    request: Request,
    response: Response,
) -> CalendarFeedCreatedPublic:
    key = body.project_key
    if principal.projects is not None and (key is None or key not in principal.projects):
        raise PermissionDenied(
            "Tokenet gäller bara vissa projekt: ange ett av dem som project_key."
        )
    made = calendar_feeds.create_feed(
        ctx, principal.actor(), email=principal.email, project_key=key
    )
    response.headers["Location"] = "/api/v1/me/calendar-feeds"
    # The address is a secret: not cached, not kept by Idempotency-Key replays.
    response.headers["Cache-Control"] = "no-store"
    return CalendarFeedCreatedPublic(
        **CalendarFeedPublic.of(made.view).model_dump(), url=feed_url(request, made.token)
    )


@router.delete(
    "/me/calendar-feeds/{feed_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke one of your iCal feeds: its address stops working at once",
)
def delete_feed(ctx: ContextDep, principal: MeWriter, feed_id: RowId) -> Response:
    calendar_feeds.revoke_feed(ctx, principal.actor(), email=principal.email, feed_id=feed_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
