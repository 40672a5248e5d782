"""Named decisions on a project (e.g. finansiering), which gate criteria can require.

A named decision belongs to the lap it was recorded in (`gatekeeper.core.lap`): in a
cyclic workflow the sigtepunkter of lap 2 are recorded again, beside lap 1's, and the
criteria judge the current lap's only."""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import (
    NamedDecisionRecorded,
    NamedDecisionReference,
    NamedDecisionReferenceSet,
    NamedDecisionState,
)
from gatekeeper.errors import Conflict, NotFound, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.leader import require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import NamedDecision, Project

DECISION_KEY_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,99}$"  # stated in the OpenAPI document
_DECISION_KEY = re.compile(DECISION_KEY_PATTERN)


def record_named_decision(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    key: str,
    title: str,
    decided_on: date,
    reference: str = "",
) -> NamedDecision:
    """Record that a named decision was taken, with its diarienummer if any."""
    if not _DECISION_KEY.match(key):
        raise ValidationFailed(
            "Beslutsnyckeln ska vara små bokstäver, siffror, - eller _, t.ex. finansiering.",
            field="key",
        )
    title = validation.text(title, field="title", label="Beslutet", max_length=300)
    reference = validation.text(
        reference, field="reference", label="Diarienumret", max_length=200, required=False
    )
    if decided_on > ctx.today():
        raise ValidationFailed("Ett beslut kan inte vara fattat i framtiden.", field="decided_on")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        assert project.id is not None
        existing = session.exec(
            select(NamedDecision.id).where(
                NamedDecision.project_id == project.id,
                NamedDecision.key == key,
                NamedDecision.lap == project.lap,
            )
        ).first()
        if existing is not None:
            raise Conflict(f"Beslutet '{key}' är redan registrerat i projektet.")
        decision = NamedDecision(
            project_id=project.id,
            key=key,
            lap=project.lap,
            title=title,
            decided_on=decided_on,
            reference=reference,
            recorded_by=str(actor),
            recorded_at=now,
        )
        session.add(decision)
        session.flush()
        change.record(
            session,
            NamedDecisionRecorded(
                object_id=f"{project_key}/{key}",
                after=NamedDecisionState(
                    key=key,
                    title=title,
                    decided_on=decided_on.isoformat(),
                    reference=reference,
                    lap=project.lap,
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return decision


@audits_refusal("decision.set_reference", object_type="decision", object_id="{project_key}/{key}")
def set_named_decision_reference(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    key: str,
    reference: str,
    expected_version: int | None = None,
) -> NamedDecision:
    """Register or change the diarienummer of a named decision (projektledare or administrator).

    Refused (`StaleVersion`) when `expected_version` is no longer the decision's
    version; an unchanged diarienummer changes nothing."""
    reference = validation.text(reference, field="reference", label="Diarienumret", max_length=200)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_leader(
            session=session, project=project, actor=actor, what="registrera diarienummer"
        )
        decision = _decision_in(session, project, key, lock=True)
        check_version(decision.row_version, expected_version, f"Beslutet '{decision.title}'")
        if decision.reference == reference:
            return decision
        before = NamedDecisionReference(decision.reference)
        decision.reference = reference
        change.record(
            session,
            NamedDecisionReferenceSet(
                object_id=f"{project_key}/{key}",
                before=before,
                after=NamedDecisionReference(reference),
            ),
            by=actor,
            at=now,
            project=project,
            row=decision,
        )
        return decision


def _decision_in(session: Session, project: Project, key: str, *, lock: bool) -> NamedDecision:
    """The decision `key` of the latest lap that recorded it."""
    statement = (
        select(NamedDecision)
        .where(NamedDecision.project_id == project.id, NamedDecision.key == key)
        .order_by(col(NamedDecision.lap).desc())
        .limit(1)
    )
    if lock:
        statement = statement.with_for_update()
    decision = session.exec(statement).one_or_none()
    if decision is None:
        raise NotFound(f"Beslutet '{key}' finns inte i projektet {project.name}.")
    return decision


def list_named_decisions(ctx: Context, project_key: str) -> list[NamedDecision]:
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list_named_decisions_in(session=session, project=project)


def list_named_decisions_in(*, session: Session, project: Project) -> list[NamedDecision]:
    """The project's named decisions, lap by lap, by beslutsdatum (oldest first)."""
    return list(
        session.exec(
            select(NamedDecision)
            .where(NamedDecision.project_id == project.id)
            .order_by(col(NamedDecision.lap), col(NamedDecision.decided_on), col(NamedDecision.id))
        ).all()
    )


def get_named_decision(ctx: Context, project_key: str, key: str) -> NamedDecision:
    """One named decision of the project by its key (e.g. `finansiering`)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return _decision_in(session, project, key, lock=False)
