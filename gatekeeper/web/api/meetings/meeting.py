"""Steering-group meetings through the API: list, draft, change, send the kallelse, record
the protocol, justera.

A meeting is versioned: GET and every change answer an `ETag`, and a change
with `If-Match` on an older version is refused with 412. Only the
projektledare or an administrator drafts, sends and records (403 for other
members); the justerare and the ordförande justerar; anyone outside the
project gets 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response, status

from gatekeeper.channels.meeting_mail import MeetingLetterBox
from gatekeeper.services.meetings import meeting as meetings
from gatekeeper.services.meetings import protocol as protocols
from gatekeeper.services.meetings import sending
from gatekeeper.services.meetings.meeting_view import meeting_view
from gatekeeper.web.auth import IfMatch, ProjectReader, ProjectWriter
from gatekeeper.web.bounds import RowId
from gatekeeper.web.deps import ContextDep, PostboxDep
from gatekeeper.web.etag import set_etag
from gatekeeper.web.pagination import Cursor, Limit, paginate
from gatekeeper.web.schemas.meetings import (
    KallelseSent,
    MeetingCreate,
    MeetingPublic,
    MeetingUpdate,
    ProtocolRecord,
    clock_time,
    local,
)
from gatekeeper.web.schemas.projects import Page

router = APIRouter(tags=["meetings"])

_MEETINGS = "/projects/{project_key}/meetings"
_MEETING = _MEETINGS + "/{meeting_id}"

MeetingCreateBody = Annotated[
    MeetingCreate,
    Body(
        openapi_examples={
            "styrgrupp": {
                "summary": "The styrgrupp's meeting, people from the project",
                "value": {"starts_on": "2027-02-10", "time": "13:00", "place": "Stadshuset"},
            }
        }
    ),
]


def _public(ctx: ContextDep, access: ProjectReader, meeting_id: int) -> MeetingPublic:
    view = meeting_view(ctx, access.principal, access.project_key, meeting_id)
    return MeetingPublic.of(view.meeting, view)


@router.get(
    _MEETINGS,
    response_model=Page[MeetingPublic],
    summary="The project's meetings, latest first (signatures on each meeting's own GET)",
)
def list_meetings(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[MeetingPublic]:
    rows, next_cursor = paginate(
        meetings.list_meetings(ctx, access.project_key), cursor=cursor, limit=limit
    )
    return Page[MeetingPublic](items=[MeetingPublic.of(m) for m in rows], next_cursor=next_cursor)


@router.post(
    _MEETINGS,
    response_model=MeetingPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Draft a meeting: its agenda is drafted from what is due at its date",
)
def create_meeting(
    ctx: ContextDep, access: ProjectWriter, body: MeetingCreateBody, response: Response
) -> MeetingPublic:
    meeting = meetings.create_meeting(
        ctx,
        access.actor,
        project_key=access.project_key,
        kind=body.kind,
        starts_at=local(body.starts_on, body.time),
        place=body.place,
        participants=(
            [p.participant() for p in body.participants] if body.participants is not None else None
        ),
    )
    assert meeting.id is not None
    response.headers["Location"] = f"/api/v1/projects/{access.project_key}/meetings/{meeting.id}"
    set_etag(response, meeting.row_version)
    return _public(ctx, access, meeting.id)


@router.get(
    _MEETING, response_model=MeetingPublic, summary="One meeting with its underlag (with ETag)"
)
def get_meeting(
    ctx: ContextDep, access: ProjectReader, meeting_id: RowId, response: Response
) -> MeetingPublic:
    public = _public(ctx, access, meeting_id)
    set_etag(response, public.row_version)
    return public


@router.patch(
    _MEETING,
    response_model=MeetingPublic,
    summary="Move, re-people or edit the agenda of a drafted meeting (If-Match honoured)",
)
def update_meeting(
    ctx: ContextDep,
    access: ProjectWriter,
    meeting_id: RowId,
    body: MeetingUpdate,
    if_match: IfMatch,
    response: Response,
) -> MeetingPublic:
    meeting = meetings.update_meeting(
        ctx,
        access.actor,
        project_key=access.project_key,
        meeting_id=meeting_id,
        kind=body.kind,
        starts_on=body.starts_on,
        at=clock_time(body.time) if body.time is not None else None,
        place=body.place,
        participants=(
            [p.participant() for p in body.participants] if body.participants is not None else None
        ),
        agenda=[p.model_dump() for p in body.agenda] if body.agenda is not None else None,
        expected_version=if_match,
    )
    set_etag(response, meeting.row_version)
    return _public(ctx, access, meeting_id)


@router.post(
    _MEETING + "/send",
    response_model=KallelseSent,
    summary="Skicka kallelse: freeze the agenda and underlag and mail the participants",
)
def send_kallelse(
    ctx: ContextDep,
    access: ProjectWriter,
    postbox: PostboxDep,
    meeting_id: RowId,
    if_match: IfMatch,
    response: Response,
) -> KallelseSent:
    letters = postbox.letters if isinstance(postbox.letters, MeetingLetterBox) else None
    sent = sending.send_kallelse(
        ctx,
        access.actor,
        project_key=access.project_key,
        meeting_id=meeting_id,
        expected_version=if_match,
        letters=letters,
        base_url=postbox.base_url,
    )
    set_etag(response, sent.meeting.row_version)
    return KallelseSent(
        meeting=_public(ctx, access, meeting_id),
        recipients=sent.recipients,
        delivered=sent.delivered,
    )


@router.put(
    _MEETING + "/protocol",
    response_model=MeetingPublic,
    summary="Record the protocol: närvarande, ersättare, notes; the day's decisions are added",
)
def record_protocol(
    ctx: ContextDep,
    access: ProjectWriter,
    meeting_id: RowId,
    body: ProtocolRecord,
    if_match: IfMatch,
    response: Response,
) -> MeetingPublic:
    meeting = protocols.record_protocol(
        ctx,
        access.actor,
        project_key=access.project_key,
        meeting_id=meeting_id,
        present=body.present,
        substitutes=[str(s) for s in body.substitutes],
        notes=body.notes,
        expected_version=if_match,
    )
    set_etag(response, meeting.row_version)
    return _public(ctx, access, meeting_id)


@router.post(
    _MEETING + "/justering",
    response_model=MeetingPublic,
    summary="Justera the protocol (a justerare or the ordförande, once each)",
)
def justera(
    ctx: ContextDep, access: ProjectWriter, meeting_id: RowId, response: Response
) -> MeetingPublic:
    meeting = protocols.justera(
        ctx, access.actor, project_key=access.project_key, meeting_id=meeting_id
    )
    set_etag(response, meeting.row_version)
    return _public(ctx, access, meeting_id)
