"""The kommunikationsplan: add and revise its rows (seed 000's Tabell 6).

A row says to whom (målgrupp), what (syfte/budskap), how (kanal), when
(tidpunkt) and by whom (ansvarig) the project communicates, and whether that
is planerad, genomförd or inställd. The projektledare or an administrator
writes; members read. Ansvarig is a member (chosen by name or e-mail) or any
other name; a planerad row with a tidpunkt and an ansvarig who is a member
gets deadline reminders (`services/consequences` re-plans them on every
change, and a genomförd or inställd row's are cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.registers import (
    CommunicationCreated,
    CommunicationState,
    CommunicationUpdated,
)
from gatekeeper.core.followup.register import CommunicationStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.followup.register_tables import Communication
from gatekeeper.store.projects.tables import Project, ProjectMember


@dataclass(frozen=True)
class Responsible:
    """Ansvarig as stored: a name, and the e-mail address when the person is a member."""

    name: str
    email: str | None


def _state(row: Communication) -> CommunicationState:
    return CommunicationState(
        audience=row.audience,
        message=row.message,
        channel=row.channel,
        planned_on=row.planned_on.isoformat() if row.planned_on else None,
        responsible=row.responsible,
        status=row.status.value,
        comment=row.comment,
    )


def responsible_in(*, session: Session, project: Project, value: str) -> Responsible:
    """Ansvarig from a member's name or e-mail, or any other name (never an unknown address)."""
    value = validation.text(
        value, field="responsible", label="Ansvarig", max_length=200, required=False
    )
    if not value:
        return Responsible("", None)
    members = session.exec(
        select(ProjectMember.name, ProjectMember.email)
        .where(ProjectMember.project_id == project.id)
        .order_by(col(ProjectMember.id))
    ).all()
    for name, email in members:
        if value.lower() == email.lower() or value == name:
            return Responsible(name, email)
    if "@" in value:
        raise ValidationFailed(
            f"{value} är ingen medlem i projektet {project.name}: ange en medlem eller ett namn.",
            field="responsible",
        )
    return Responsible(value, None)


def _texts(
    audience: str | None, message: str | None, channel: str | None, comment: str | None
) -> dict[str, str]:
    out: dict[str, str] = {}
    if audience is not None:
        out["audience"] = validation.text(
            audience, field="audience", label="Målgruppen", max_length=300
        )
    if message is not None:
        out["message"] = validation.text(
            message, field="message", label="Syfte/budskap", max_length=4000, required=False
        )
    if channel is not None:
        out["channel"] = validation.text(
            channel, field="channel", label="Kanalen", max_length=300, required=False
        )
    if comment is not None:
        out["comment"] = validation.text(
            comment, field="comment", label="Kommentaren", max_length=2000, required=False
        )
    return out


@audits_refusal("communication.create", object_type="project")
def add_communication(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    audience: str,
    message: str = "",
    channel: str = "",
    planned_on: date | None = None,
    responsible: str = "",
    status: CommunicationStatus = CommunicationStatus.PLANNED,
    comment: str = "",
) -> Communication:
    """Add a row to the kommunikationsplan (the projektledare or an administrator)."""
    texts = _texts(audience, message, channel, comment)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(
            session=session, project=project, actor=actor, what="ändra kommunikationsplanen"
        )
        require_active(project)
        who = responsible_in(session=session, project=project, value=responsible)
        assert project.id is not None
        row = Communication(
            project_id=project.id,
            planned_on=planned_on,
            responsible=who.name,
            responsible_email=who.email,
            status=CommunicationStatus(status),
            audience=texts["audience"],
            message=texts["message"],
            channel=texts["channel"],
            comment=texts["comment"],
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        change.record(
            session,
            CommunicationCreated(object_id=str(row.id), after=_state(row)),
            by=actor,
            at=now,
            project=project,
        )
        return row


_UNSET: date = date.min  # "tidpunkt not given" (None clears it)


@audits_refusal("communication.update", object_type="communication", object_id="{row_id}")
def update_communication(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    row_id: int,
    audience: str | None = None,
    message: str | None = None,
    channel: str | None = None,
    planned_on: date | None = _UNSET,
    responsible: str | None = None,
    status: CommunicationStatus | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
) -> Communication:
    """Revise a kommunikationsplan row; only given fields change (`planned_on=None` clears it)."""
    texts = _texts(audience, message, channel, comment)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(
            session=session, project=project, actor=actor, what="ändra kommunikationsplanen"
        )
        require_active(project)
        row = session.exec(
            select(Communication)
            .where(Communication.id == row_id, Communication.project_id == project.id)
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound(f"Raden {row_id} finns inte i kommunikationsplanen för {project.name}.")
        check_version(row.row_version, expected_version, f"Raden '{row.audience}'")
        before, email_before = _state(row), row.responsible_email
        for name, value in texts.items():
            setattr(row, name, value)
        if planned_on is not _UNSET:
            row.planned_on = planned_on
        if responsible is not None:
            who = responsible_in(session=session, project=project, value=responsible)
            row.responsible, row.responsible_email = who.name, who.email
        if status is not None:
            row.status = CommunicationStatus(status)
        after = _state(row)
        if after == before and row.responsible_email == email_before:
            return row
        change.record(
            session,
            CommunicationUpdated(object_id=str(row.id), before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=row,
        )
        return row


def list_communications_in(*, session: Session, project: Project) -> list[Communication]:
    """The kommunikationsplan in date order (rows without a tidpunkt last)."""
    return list(
        session.exec(
            select(Communication)
            .where(Communication.project_id == project.id)
            .order_by(
                col(Communication.planned_on).is_(None),
                col(Communication.planned_on),
                col(Communication.id),
            )
        ).all()
    )


def list_communications(ctx: Context, project_key: str) -> list[Communication]:
    """`list_communications_in` in a read transaction of its own."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list_communications_in(session=session, project=project)


def get_communication(ctx: Context, project_key: str, row_id: int) -> Communication:
    """One row of the project's kommunikationsplan (NotFound when it is another's)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        row = session.exec(
            select(Communication).where(
                Communication.id == row_id, Communication.project_id == project.id
            )
        ).one_or_none()
        if row is None:
            raise NotFound(f"Raden {row_id} finns inte i kommunikationsplanen för {project.name}.")
        return row
