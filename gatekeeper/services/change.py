"""Recording a change: the one way a use case writes down what it changed.

`record(session, event, by=..., at=..., project=..., row=...)` runs inside the
use case's transaction and does everything a change brings with it, so that
no call site does any of it by hand: it bumps the changed row's version and
stamps who and when (where the row keeps them), appends the typed event
record to the audit chain, adds the webhook outbox rows of the event, and
lets the change's consequences follow (`consequences.follow`: reminders
re-planned for the event's subject, decisions lapsed), recording in turn the
events those bring. The change, its audit events, its deliveries and its
consequences commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.base import Event
from gatekeeper.services import consequences
from gatekeeper.store.audit import chain, outbox
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.database import before_commit, note_recorded
from gatekeeper.store.projects.tables import Project


class Versioned(Protocol):
    """A row users change: it carries a version for optimistic concurrency."""

    row_version: int


def record(
    session: Session,
    event: Event,
    *,
    by: Actor | str,
    at: datetime,
    project: Project | None = None,
    project_id: int | None = None,
    row: Versioned | Sequence[Versioned] | None = None,
) -> AuditEvent:
    """Record `event` (the change already made to `row`) in the caller's transaction.

    `project`: the project the change belongs to, locked by the caller; its
    consequences follow only when it is given. `project_id` names the project
    of a change that has none loaded (a reminder's, say). `row`: the row (or
    rows: a unit and the units that move with it, say) the change altered.
    """
    actor = str(by)
    rows = () if row is None else row if isinstance(row, Sequence) else (row,)
    for changed in rows:
        changed.row_version += 1
        if hasattr(changed, "updated_by"):
            changed.updated_by = actor
        if hasattr(changed, "updated_at"):
            changed.updated_at = at
        session.add(changed)
    if rows:
        session.flush()
    if project is not None:
        project_id = project.id
    audit_event = chain.record(
        session=session,
        at=at,
        actor=actor,
        action=event.name,
        object_type=event.object_kind(),
        object_id=event.object_id,
        project_id=project_id,
        before=event.before_payload(),
        after=event.after_payload(),
    )
    outbox.enqueue(session=session, event=audit_event)
    note_recorded(session, event.name)
    if project is not None:
        consequences.expect(session, consequences.Change(event, project, at, actor))
        before_commit(session, _settle)
    return audit_event


def _settle(session: Session) -> None:
    """Let the consequences of the transaction's changes follow, recording what they bring."""
    for follow_up in consequences.follow(session):
        record(
            session,
            follow_up.event,
            by=follow_up.by,
            at=follow_up.at,
            project=follow_up.project,
            row=follow_up.row,
        )
