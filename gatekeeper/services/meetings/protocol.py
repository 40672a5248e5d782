"""A meeting's protocol and its justering.

`record_protocol` (the projektledare, once the kallelse is sent) writes down
who was närvarande, which ersättare sat in for whom, a note per agenda point,
and the decisions taken at the meeting: the gate decisions and named
decisions whose beslutsdatum is the meeting's date, each with its
diarienummer (`decisions_on`). It may be corrected until the first
signature. `justera` is the justerare's (or the ordförande's) signature: each
signs once (a second time is refused in words, and the database refuses it
too); with the last signature the protocol is justerat and locked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.meetings import (
    Justering,
    MeetingJusterad,
    MeetingProtocolRecorded,
    ProtocolState,
)
from gatekeeper.core.meetings.meeting import (
    MeetingStatus,
    justering_done,
    may_justera,
    participants_of,
)
from gatekeeper.core.outcome import OUTCOME_SV
from gatekeeper.core.wording import date_sv
from gatekeeper.errors import Conflict, PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.meetings.meeting import local_start, meeting_in
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.meetings.tables import Meeting, MeetingJustering
from gatekeeper.store.projects.tables import NamedDecision, Project, ProjectMember


def decisions_on(*, session: Session, project: Project, day: date) -> list[dict[str, Any]]:
    """The gate decisions and named decisions of the project with beslutsdatum `day`."""
    workflow = project_workflow(session=session, project=project)
    out: list[dict[str, Any]] = []
    for decision in session.exec(
        select(GateDecision)
        .where(GateDecision.project_id == project.id)
        .order_by(col(GateDecision.id))
    ).all():
        decided = decision.decided_on or decision.decided_at.astimezone(LOCAL_ZONE).date()
        if decided != day:
            continue
        try:
            gate_name = workflow.gate(decision.gate_id).name
        except KeyError:
            gate_name = decision.gate_id
        out.append(
            {
                "kind": "gate",
                "id": decision.id,
                "title": f"{gate_name}: {OUTCOME_SV[decision.outcome]}",
                "reference": decision.reference,
                "decided_on": decided.isoformat(),
            }
        )
    for named in session.exec(
        select(NamedDecision)
        .where(NamedDecision.project_id == project.id, NamedDecision.decided_on == day)
        .order_by(col(NamedDecision.id))
    ).all():
        out.append(
            {
                "kind": "named",
                "id": named.id,
                "title": named.title,
                "reference": named.reference,
                "decided_on": named.decided_on.isoformat(),
            }
        )
    return out


def _state(protocol: Mapping[str, Any]) -> ProtocolState:
    decisions = tuple(
        f"{d['title']} ({d['reference'] or 'utan diarienummer'})"
        for d in protocol.get("decisions", [])
    )
    return ProtocolState(
        present=tuple(protocol.get("present", [])),
        substitutes=tuple(f"{s['name']} för {s['for']}" for s in protocol.get("substitutes", [])),
        decisions=decisions,
        notes=sum(1 for text in protocol.get("notes", {}).values() if text),
    )


def _substitutes(session: Session, project: Project, chosen: Sequence[str]) -> list[dict[str, str]]:
    """The ersättare named (by e-mail), each with the name of whom they sat in for."""
    members = session.exec(
        select(ProjectMember).where(ProjectMember.project_id == project.id)
    ).all()
    names = {m.email: m.name for m in members}
    seats = {m.email: m.substitute_for for m in members if m.substitute_for}
    out: list[dict[str, str]] = []
    for email in dict.fromkeys(chosen):
        seat = seats.get(email)
        if seat is None:
            raise ValidationFailed(
                "Bara projektets ersättare kan vara närvarande som ersättare.", field="substitutes"
            )
        out.append({"email": email, "name": names[email], "for": names.get(seat, seat)})
    return out


@audits_refusal("meeting.protocol", object_type="meeting", object_id="{meeting_id}")
def record_protocol(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    meeting_id: int,
    present: Sequence[str],
    substitutes: Sequence[str] = (),
    notes: Mapping[str, str] | None = None,
    expected_version: int | None = None,
) -> Meeting:
    """Write down the meeting's närvarande, ersättare, decisions and notes per point."""
    notes = dict(notes or {})
    for point_id, text in notes.items():
        notes[point_id] = validation.text(
            text, field="notes", label="Anteckningen", max_length=10_000, required=False
        )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(session=session, project=project, actor=actor, what="föra protokoll")
        meeting = meeting_in(session=session, project=project, meeting_id=meeting_id, lock=True)
        check_version(meeting.row_version, expected_version, "Mötet")
        if meeting.status is MeetingStatus.DRAFT:
            raise Conflict("Skicka kallelsen först: protokollet förs över det frysta underlaget.")
        if signatures_in(session, meeting):
            raise Conflict("Protokollet är justerat och låst; det kan inte ändras.")
        names = [p.name for p in participants_of(meeting.participants)]
        unknown = [name for name in present if name not in names]
        if unknown:
            raise ValidationFailed(
                f"{unknown[0]} är inte kallad till mötet; välj närvarande bland deltagarna.",
                field="present",
            )
        points = {str(p["id"]) for p in (meeting.underlag or meeting.agenda)}
        if set(notes) - points:
            raise ValidationFailed("En anteckning gäller en punkt som inte finns.", field="notes")
        protocol = {
            "present": [name for name in names if name in set(present)],
            "substitutes": _substitutes(session, project, substitutes),
            "notes": {k: v for k, v in notes.items() if v},
            "decisions": decisions_on(
                session=session, project=project, day=local_start(meeting.starts_at).date()
            ),
        }
        before = _state(meeting.protocol) if meeting.protocol is not None else None
        meeting.protocol = protocol
        meeting.status = MeetingStatus.HELD
        change.record(
            session,
            MeetingProtocolRecorded(
                object_id=str(meeting.id), before=before, after=_state(protocol)
            ),
            by=actor,
            at=now,
            project=project,
            row=meeting,
        )
        return meeting


def signatures_in(session: Session, meeting: Meeting) -> list[MeetingJustering]:
    return list(
        session.exec(
            select(MeetingJustering)
            .where(MeetingJustering.meeting_id == meeting.id)
            .order_by(col(MeetingJustering.id))
        ).all()
    )


def signatures(ctx: Context, project_key: str, meeting_id: int) -> list[MeetingJustering]:
    """Who has justerat the meeting's protocol, and when, in order."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return signatures_in(
            session, meeting_in(session=session, project=project, meeting_id=meeting_id)
        )


@audits_refusal("meeting.justera", object_type="meeting", object_id="{meeting_id}")
def justera(ctx: Context, actor: Actor, *, project_key: str, meeting_id: int) -> Meeting:
    """The justerare's (or ordförande's) signature of the protocol; the last one locks it."""
    now = ctx.clock.now()
    try:
        with ctx.db.write() as session:
            project = project_by_key(session=session, key=project_key)
            meeting = meeting_in(session=session, project=project, meeting_id=meeting_id, lock=True)
            people = participants_of(meeting.participants)
            if not may_justera(people, actor.id):
                raise PermissionDenied("Bara mötets justerare och ordförande justerar protokollet.")
            signed = signatures_in(session, meeting)
            mine = next((s for s in signed if s.email == actor.id), None)
            if mine is not None:
                raise ValidationFailed(
                    f"Du har redan justerat protokollet ({date_sv(mine.signed_at.date())}); "
                    "en justering görs en gång.",
                    field="justering",
                )
            if meeting.status is MeetingStatus.JUSTERAD:
                raise ValidationFailed("Protokollet är redan justerat.", field="justering")
            if meeting.status is not MeetingStatus.HELD:
                raise ValidationFailed(
                    "Protokollet är inte fört ännu; det justeras när det är skrivet.",
                    field="justering",
                )
            me = next(p for p in people if p.email == actor.id)
            assert meeting.id is not None
            session.add(
                MeetingJustering(meeting_id=meeting.id, email=actor.id, name=me.name, signed_at=now)
            )
            session.flush()
            complete = justering_done(people, [s.email for s in signed] + [actor.id])
            if complete:
                meeting.status = MeetingStatus.JUSTERAD
            change.record(
                session,
                MeetingJusterad(
                    object_id=str(meeting.id), after=Justering(justerare=me.name, complete=complete)
                ),
                by=actor,
                at=now,
                project=project,
                row=meeting,
            )
            return meeting
    except IntegrityError:
        raise ValidationFailed(
            "Du har redan justerat protokollet; en justering görs en gång.", field="justering"
        ) from None
