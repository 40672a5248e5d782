"""Drafting and changing a meeting: who is called, when and where, and its agenda.

`create_meeting` drafts a styrgruppsmöte (or the avslutningsmöte) with its
agenda from what is due at its date (`agenda.due_points_in`); without named
participants it calls the project's styrgrupp, beställare and projektledare,
with the beställare as ordförande, the projektledare as sekreterare and the
first styrgrupp member as justerare. `update_meeting` lets the projektledare
move it, change who comes and edit the agenda (add, remove, reorder, free
points) until the kallelse is sent; after that the meeting is frozen. Only the
projektledare or an administrator prepares meetings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.meetings import MeetingCreated, MeetingState, MeetingUpdated
from gatekeeper.core.meetings.meeting import (
    MeetingKind,
    MeetingStatus,
    Participant,
    PointKind,
    participants_of,
    roles_problem,
)
from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.meetings.agenda import due_points_in, numbered
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.meetings.tables import Meeting
from gatekeeper.store.projects.tables import Project, ProjectMember

MAX_POINTS = 40
MAX_PARTICIPANTS = 60
CALLED_ROLES = ("bestallare", "styrgrupp", "projektledare")


def state_of(meeting: Meeting) -> MeetingState:
    people = participants_of(meeting.participants)
    return MeetingState(
        kind=meeting.kind.value,
        starts_at=meeting.starts_at.isoformat(),
        place=meeting.place,
        status=meeting.status.value,
        participants=tuple(p.name for p in people),
        chair=next((p.name for p in people if p.chair), ""),
        secretary=next((p.name for p in people if p.secretary), ""),
        justerare=tuple(p.name for p in people if p.justerare),
        agenda=tuple(str(point.get("title", "")) for point in meeting.agenda),
    )


def local_start(starts_at: datetime) -> datetime:
    """A meeting's time as it is written: Swedish time (a time without zone is taken as such)."""
    if starts_at.tzinfo is None:
        return starts_at.replace(tzinfo=LOCAL_ZONE)
    return starts_at.astimezone(LOCAL_ZONE)


def meeting_in(
    *, session: Session, project: Project, meeting_id: int, lock: bool = False
) -> Meeting:
    """The project's meeting `meeting_id`, or NotFound in words."""
    statement = select(Meeting).where(Meeting.id == meeting_id, Meeting.project_id == project.id)
    if lock:
        statement = statement.with_for_update()
    meeting = session.exec(statement).one_or_none()
    if meeting is None:
        raise NotFound(f"Mötet {meeting_id} finns inte i projektet {project.name}.")
    return meeting


def previous_start(*, session: Session, project: Project, before: datetime) -> datetime | None:
    """When the project's last meeting before `before` was held (its agenda's "since")."""
    return session.exec(
        select(Meeting.starts_at)
        .where(
            Meeting.project_id == project.id,
            Meeting.starts_at < before,
            Meeting.status != MeetingStatus.DRAFT,
        )
        .order_by(col(Meeting.starts_at).desc())
        .limit(1)
    ).first()


def _default_participants(session: Session, project: Project) -> list[Participant]:
    roles = {r.id: r.name for r in project_workflow(session=session, project=project).roles}
    members = session.exec(
        select(ProjectMember)
        .where(ProjectMember.project_id == project.id, col(ProjectMember.substitute_for).is_(None))
        .order_by(col(ProjectMember.id))
    ).all()
    called: list[Participant] = []
    seen: set[str] = set()
    for role in CALLED_ROLES:
        for member in members:
            if member.role != role or member.email in seen:
                continue
            seen.add(member.email)
            called.append(
                Participant(
                    name=member.name,
                    email=member.email,
                    role=roles.get(role, role),
                    chair=role == "bestallare" and not any(p.chair for p in called),
                    secretary=role == "projektledare" and not any(p.secretary for p in called),
                    justerare=role == "styrgrupp" and not any(p.justerare for p in called),
                )
            )
    return called


def clean_participants(people: Sequence[Participant]) -> list[Participant]:
    """Each participant's name and e-mail checked; the roles of the meeting checked together."""
    if len(people) > MAX_PARTICIPANTS:
        raise ValidationFailed(
            f"Ett möte har högst {MAX_PARTICIPANTS} deltagare.", field="participants"
        )
    cleaned = [
        Participant(
            name=validation.text(
                p.name, field="participants", label="Deltagarens namn", max_length=200
            ),
            email=validation.email(p.email, field="participants") if p.email.strip() else "",
            role=validation.text(
                p.role, field="participants", label="Rollen", max_length=200, required=False
            ),
            chair=p.chair,
            secretary=p.secretary,
            justerare=p.justerare,
        )
        for p in people
    ]
    problem = roles_problem(cleaned)
    if problem is not None:
        raise ValidationFailed(problem[1], field=problem[0])
    return cleaned


def clean_agenda(points: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """An edited agenda: known kinds, a title each, numbered anew in its order."""
    if len(points) > MAX_POINTS:
        raise ValidationFailed(f"En dagordning har högst {MAX_POINTS} punkter.", field="agenda")
    out: list[dict[str, Any]] = []
    for n, point in enumerate(points, start=1):
        try:
            kind = PointKind(str(point.get("kind", PointKind.FREE.value)))
        except ValueError:
            raise ValidationFailed(
                f"Punkt {n} på dagordningen är av ett okänt slag.", field="agenda"
            ) from None
        title = validation.text(
            str(point.get("title", "")),
            field="agenda",
            label=f"Rubriken på punkt {n}",
            max_length=300,
        )
        text = validation.text(
            str(point.get("text", "") or ""),
            field="agenda",
            label=f"Texten på punkt {n}",
            max_length=4000,
            required=False,
        )
        ref = validation.text(
            str(point.get("ref", "") or ""),
            field="agenda",
            label="Hänvisningen",
            max_length=100,
            required=False,
        )
        entry: dict[str, Any] = {"id": f"p{n}", "kind": kind.value, "ref": ref, "title": title}
        if text:
            entry["text"] = text
        out.append(entry)
    return out


@audits_refusal("meeting.create", object_type="project")
def create_meeting(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    kind: MeetingKind = MeetingKind.STEERING,
    starts_at: datetime,
    place: str = "",
    participants: Sequence[Participant] | None = None,
) -> Meeting:
    """Draft a meeting with its agenda from what is due at its date."""
    place = validation.text(place, field="place", label="Platsen", max_length=300, required=False)
    people = clean_participants(participants) if participants is not None else None
    starts = local_start(starts_at)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="förbereda möten")
        require_active(project)
        assert project.id is not None
        if people is None:
            people = clean_participants(_default_participants(session, project))
        since = previous_start(session=session, project=project, before=starts)
        due = due_points_in(
            session=session,
            project=project,
            on=starts.date(),
            since=since,
            today=ctx.today(),
            kind=MeetingKind(kind),
        )
        meeting = Meeting(
            project_id=project.id,
            kind=MeetingKind(kind),
            starts_at=starts,
            place=place,
            participants=[p.as_dict() for p in people],
            agenda=numbered(due),
            created_at=now,
            updated_at=now,
            updated_by=str(actor),
        )
        session.add(meeting)
        session.flush()
        change.record(
            session,
            MeetingCreated(object_id=str(meeting.id), after=state_of(meeting)),
            by=actor,
            at=now,
            project=project,
        )
        return meeting


@audits_refusal("meeting.update", object_type="meeting", object_id="{meeting_id}")
def update_meeting(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    meeting_id: int,
    kind: MeetingKind | None = None,
    starts_on: date | None = None,
    at: time | None = None,
    place: str | None = None,
    participants: Sequence[Participant] | None = None,
    agenda: Sequence[Mapping[str, Any]] | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """Move (day and/or Swedish time), re-people or re-order a drafted meeting; only given
    fields change."""
    if place is not None:
        place = validation.text(
            place, field="place", label="Platsen", max_length=300, required=False
        )
    people = clean_participants(participants) if participants is not None else None
    points = clean_agenda(agenda) if agenda is not None else None
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="förbereda möten")
        meeting = meeting_in(session=session, project=project, meeting_id=meeting_id, lock=True)
        check_version(meeting.row_version, expected_version, "Mötet")
        if meeting.status is not MeetingStatus.DRAFT:
            raise Conflict("Kallelsen är skickad: mötets tid, deltagare och dagordning är låsta.")
        before = state_of(meeting)
        if kind is not None:
            meeting.kind = MeetingKind(kind)
        if starts_on is not None or at is not None:
            was = local_start(meeting.starts_at)
            meeting.starts_at = datetime.combine(
                starts_on or was.date(), at or was.timetz().replace(tzinfo=None), tzinfo=LOCAL_ZONE
            )
        if place is not None:
            meeting.place = place
        if people is not None:
            meeting.participants = [p.as_dict() for p in people]
        if points is not None:
            meeting.agenda = points
        after = state_of(meeting)
        if after == before and points is None:
            return meeting
        change.record(
            session,
            MeetingUpdated(object_id=str(meeting.id), before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=meeting,
        )
        return meeting


def exit_meeting_in(*, session: Session, project: Project) -> Meeting | None:
    """The project's latest avslutningsmöte (the slutrapport refers to it), if any."""
    return session.exec(
        select(Meeting)
        .where(Meeting.project_id == project.id, Meeting.kind == MeetingKind.EXIT)
        .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        .limit(1)
    ).first()


def list_meetings(ctx: Context, project_key: str) -> list[Meeting]:
    """The project's meetings, the latest first."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list(
            session.exec(
                select(Meeting)
                .where(Meeting.project_id == project.id)
                .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
            ).all()
        )


def get_meeting(ctx: Context, project_key: str, meeting_id: int) -> Meeting:
    """One meeting of the project."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return meeting_in(session=session, project=project, meeting_id=meeting_id)
