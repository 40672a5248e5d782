"""The decision register: gate decisions, their conditions, diarienummer and lapses.

Every decided review is an entry with its votes, override, conditions and
the readiness snapshot it was decided on; `protocol` gathers what a printed
beslutsprotokoll shows. A go decision lapses when the gate's target date slips
past the date it was given for, or when a mandatory item it relied on is
unticked; the gate then needs a new review.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.gates import (
    ConditionClosed,
    ConditionWaived,
    DecisionReferenceSet,
    OpenCondition,
    Reference,
    SettledCondition,
)
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ConditionStatus
from gatekeeper.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.seat import member_roles
from gatekeeper.services.lookup import check_version, project_by_key
from gatekeeper.services.projects.leader import may_lead_in, require_leader
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.gates.tables import DecisionCondition, GateDecision
from gatekeeper.store.projects.tables import Project


@dataclass(frozen=True)
class GateDecisionEntry:
    """One entry of the register, with what the protocol needs around it."""

    project: Project
    workflow: Workflow
    decision: GateDecision
    conditions: tuple[DecisionCondition, ...]
    may_set_reference: bool = False  # whether the viewer may register the diarienummer

    @property
    def gate_name(self) -> str:
        return self.workflow.gate(self.decision.gate_id).name

    def phase_name(self, phase: str) -> str:
        return self.workflow.phase(phase).name


def register(ctx: Context, project_key: str) -> list[GateDecisionEntry]:
    """Every gate decision of the project, oldest first."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        return register_in(session=session, project=project, workflow=workflow)


def register_in(
    *, session: Session, project: Project, workflow: Workflow
) -> list[GateDecisionEntry]:
    """`register` inside the caller's transaction."""
    decisions = session.exec(
        select(GateDecision)
        .where(GateDecision.project_id == project.id)
        .order_by(col(GateDecision.decided_at), col(GateDecision.id))
    ).all()
    return [_entry(session, project, workflow, d) for d in decisions]


def protocol(
    ctx: Context, project_key: str, decision_id: int, viewer: str | None = None
) -> GateDecisionEntry:
    """One decision with everything its beslutsprotokoll shows (`viewer`: an e-mail address)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        decision = _decision(session, project, decision_id)
        entry = _entry(
            session, project, project_workflow(session=session, project=project), decision
        )
        if viewer is not None and may_lead_in(session=session, project=project, email=viewer):
            return replace(entry, may_set_reference=True)
        return entry


def entry_of(
    *, session: Session, project: Project, workflow: Workflow, decision_id: int
) -> GateDecisionEntry:
    """One decision's register entry inside the caller's transaction."""
    return _entry(session, project, workflow, _decision(session, project, decision_id))


def _entry(
    session: Session, project: Project, workflow: Workflow, decision: GateDecision
) -> GateDecisionEntry:
    conditions = session.exec(
        select(DecisionCondition)
        .where(DecisionCondition.decision_id == decision.id)
        .order_by(col(DecisionCondition.id))
    ).all()
    return GateDecisionEntry(project, workflow, decision, tuple(conditions))


def _decision(
    session: Session, project: Project, decision_id: int, *, lock: bool = False
) -> GateDecision:
    statement = select(GateDecision).where(
        GateDecision.id == decision_id, GateDecision.project_id == project.id
    )
    if lock:
        statement = statement.with_for_update()
    decision = session.exec(statement).one_or_none()
    if decision is None:
        raise NotFound(f"Beslutet {decision_id} finns inte i projektet {project.name}.")
    return decision


def open_conditions(ctx: Context, project_key: str) -> list[DecisionCondition]:
    """Conditions of conditional go decisions that are neither met nor waived."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return open_conditions_in(session=session, project=project)


def open_conditions_in(*, session: Session, project: Project) -> list[DecisionCondition]:
    """`open_conditions` inside the caller's transaction."""
    return list(
        session.exec(
            select(DecisionCondition)
            .where(
                DecisionCondition.project_id == project.id,
                DecisionCondition.status == ConditionStatus.OPEN,
            )
            .order_by(col(DecisionCondition.due_on), col(DecisionCondition.id))
        ).all()
    )


@audits_refusal("decision.set_reference", object_type="decision", object_id="{decision_id}")
def set_reference(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    decision_id: int,
    reference: str,
    expected_version: int | None = None,
) -> GateDecision:
    """Record the municipality's diarienummer on a decision (projektledare or administrator)."""
    reference = validation.text(reference, field="reference", label="Diarienumret", max_length=200)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        require_leader(
            session=session, project=project, actor=actor, what="registrera diarienummer"
        )
        decision = _decision(session, project, decision_id, lock=True)
        check_version(decision.row_version, expected_version, "Beslutet")
        before = Reference(decision.reference)
        decision.reference = reference
        change.record(
            session,
            DecisionReferenceSet(
                object_id=str(decision.id), before=before, after=Reference(reference)
            ),
            by=actor,
            at=now,
            project=project,
            row=decision,
        )
        return decision


def settle_condition(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    condition_id: int,
    status: ConditionStatus,
    note: str,
) -> DecisionCondition:
    """Close a met condition (its owner or a decider) or waive it (a decider only)."""
    status = ConditionStatus(status)
    if status is ConditionStatus.OPEN:
        raise ValidationFailed("Ett villkor kan stängas eller efterskänkas.", field="status")
    note = validation.text(note, field="note", label="Kommentaren", max_length=2000)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        condition = session.exec(
            select(DecisionCondition)
            .where(DecisionCondition.id == condition_id, DecisionCondition.project_id == project.id)
            .with_for_update()
        ).one_or_none()
        if condition is None:
            raise NotFound(f"Villkoret {condition_id} finns inte i projektet {project.name}.")
        if condition.status is not ConditionStatus.OPEN:
            raise Conflict(f"Villkoret '{condition.text}' är redan avslutat.")
        workflow = project_workflow(session=session, project=project)
        deciders = {g.approval.deciders for g in workflow.gates if g.approval}
        is_decider = bool(
            member_roles(session=session, project=project).get(actor.id, frozenset()) & deciders
        )
        if status is ConditionStatus.WAIVED and not is_decider:
            raise PermissionDenied("Bara en beslutande ledamot kan efterskänka ett villkor.")
        if status is ConditionStatus.CLOSED and not (is_decider or actor.id == condition.owner):
            raise PermissionDenied("Villkoret stängs av sin ansvarige eller en beslutande ledamot.")
        condition.status = status
        condition.closed_by = actor.id
        condition.closed_at = now
        condition.note = note
        assert condition.id is not None
        settled = ConditionWaived if status is ConditionStatus.WAIVED else ConditionClosed
        change.record(
            session,
            settled(
                object_id=str(condition.id),
                condition_row=condition.id,
                before=OpenCondition(),
                after=SettledCondition(status=status.value, note=note),
            ),
            by=actor,
            at=now,
            project=project,
            row=condition,
        )
        return condition
