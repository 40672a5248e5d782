"""The meeting pages' reads: the project's meetings, and one meeting with everything its
page, kallelse and protocol show, each in one read transaction.

Before the kallelse the agenda's points show their underlag as it stands now;
after it, the frozen underlag exactly as it was sent. The decisions listed
are the protocol's (frozen with it) or, before there is one, those with the
meeting's date as beslutsdatum. People are named, never shown by address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select

from gatekeeper.core.access import Principal
from gatekeeper.core.meetings.meeting import (
    MEETING_KIND_SV,
    STATUS_SV,
    MeetingStatus,
    Participant,
    may_justera,
    participants_of,
    signers,
)
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.meetings.agenda import describe, due_points_in
from gatekeeper.services.meetings.meeting import local_start, meeting_in, previous_start
from gatekeeper.services.meetings.protocol import decisions_on, signatures_in
from gatekeeper.services.meetings.wording import meeting_title
from gatekeeper.services.projects.leader import may_lead_in
from gatekeeper.store.meetings.tables import Meeting, MeetingJustering
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class MemberChoice:
    """A project member as the meeting forms offer them."""

    name: str
    email: str
    role: str  # label
    substitute_for: str = ""  # the name of whom an ersättare sits in for


@dataclass(frozen=True)
class MeetingLine:
    meeting: Meeting
    title: str
    status: str


@dataclass(frozen=True)
class MeetingsView:
    """The project's meetings page."""

    project: Project
    meetings: tuple[MeetingLine, ...]
    members: tuple[MemberChoice, ...]
    may_lead: bool
    today: date


@dataclass(frozen=True)
class MeetingView:
    """One meeting as its page, its kallelse and its protocol show it."""

    project: Project
    meeting: Meeting
    title: str
    kind_label: str
    status_label: str
    starts: datetime  # Swedish time
    participants: tuple[Participant, ...]
    points: tuple[dict[str, Any], ...]  # id, kind, ref, title, text, details
    frozen: bool  # the underlag as sent
    decisions: tuple[dict[str, Any], ...]
    signatures: tuple[MeetingJustering, ...]
    substitutes: tuple[MemberChoice, ...]  # the project's ersättare
    members: tuple[MemberChoice, ...]  # the project's members who are no ersättare
    sent_by: str  # a name
    may_lead: bool
    may_justera: bool  # the viewer signs and has not yet
    viewer_signed: bool

    @property
    def chair(self) -> str:
        return next((p.name for p in self.participants if p.chair), "")

    @property
    def secretary(self) -> str:
        return next((p.name for p in self.participants if p.secretary), "")

    @property
    def justerare(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.participants if p.justerare)

    @property
    def signers(self) -> tuple[Participant, ...]:
        return signers(self.participants)

    @property
    def protocol(self) -> dict[str, Any]:
        return self.meeting.protocol or {}

    @property
    def locked(self) -> bool:
        return bool(self.signatures)

    def note(self, point_id: str) -> str:
        return str(self.protocol.get("notes", {}).get(point_id, ""))


def _choices(
    project: Project, members: list[ProjectMember], roles: dict[str, str]
) -> tuple[MemberChoice, ...]:
    names = {m.email: m.name for m in members}
    seen: set[str] = set()
    out: list[MemberChoice] = []
    for member in members:
        if member.email in seen:
            continue
        seen.add(member.email)
        out.append(
            MemberChoice(
                name=member.name,
                email=member.email,
                role=roles.get(member.role, member.role),
                substitute_for=names.get(member.substitute_for or "", member.substitute_for or ""),
            )
        )
    return tuple(out)


def meetings_view(ctx: Context, viewer: Principal, project_key: str) -> MeetingsView:
    """The project's meetings, latest first, and what the viewer may do."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        roles = {r.id: r.name for r in project_workflow(session=session, project=project).roles}
        members = list(
            session.exec(
                select(ProjectMember)
                .where(ProjectMember.project_id == project.id)
                .order_by(col(ProjectMember.id))
            ).all()
        )
        meetings = session.exec(
            select(Meeting)
            .where(Meeting.project_id == project.id)
            .order_by(col(Meeting.starts_at).desc(), col(Meeting.id).desc())
        ).all()
        return MeetingsView(
            project=project,
            meetings=tuple(MeetingLine(m, meeting_title(m), STATUS_SV[m.status]) for m in meetings),
            members=_choices(project, members, roles),
            may_lead=viewer.can_write
            and may_lead_in(session=session, project=project, email=viewer.email),
            today=ctx.today(),
        )


def meeting_view(ctx: Context, viewer: Principal, project_key: str, meeting_id: int) -> MeetingView:
    """One meeting with its points and underlag, protocol, signatures and the viewer's rights."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        meeting = meeting_in(session=session, project=project, meeting_id=meeting_id)
        roles = {r.id: r.name for r in project_workflow(session=session, project=project).roles}
        members = list(
            session.exec(
                select(ProjectMember)
                .where(ProjectMember.project_id == project.id)
                .order_by(col(ProjectMember.id))
            ).all()
        )
        starts = local_start(meeting.starts_at)
        if meeting.underlag is not None:
            points = meeting.underlag
        else:
            since = previous_start(session=session, project=project, before=meeting.starts_at)
            due = due_points_in(
                session=session, project=project, on=starts.date(), since=since, today=ctx.today()
            )
            points = describe(meeting.agenda, due)
        decisions = (
            meeting.protocol.get("decisions", [])
            if meeting.protocol is not None
            else decisions_on(session=session, project=project, day=starts.date())
        )
        people = participants_of(meeting.participants)
        signed = tuple(signatures_in(session, meeting))
        viewer_signed = any(s.email == viewer.email for s in signed)
        names = {m.email: m.name for m in members}
        choices = _choices(project, members, roles)
        sent_by = (meeting.sent_by or "").split(":", 1)[-1]
        return MeetingView(
            project=project,
            meeting=meeting,
            title=meeting_title(meeting),
            kind_label=MEETING_KIND_SV[meeting.kind],
            status_label=STATUS_SV[meeting.status],
            starts=starts,
            participants=people,
            points=tuple(points),
            frozen=meeting.underlag is not None,
            decisions=tuple(decisions),
            signatures=signed,
            substitutes=tuple(c for c in choices if c.substitute_for),
            members=tuple(c for c in choices if not c.substitute_for),
            sent_by=names.get(sent_by, ""),
            may_lead=viewer.can_write
            and may_lead_in(session=session, project=project, email=viewer.email),
            may_justera=viewer.can_write
            and meeting.status is MeetingStatus.HELD
            and may_justera(people, viewer.email)
            and not viewer_signed,
            viewer_signed=viewer_signed,
        )
