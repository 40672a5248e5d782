"""Gates: readiness (the verdict on every criterion) and passing a gate.

Readiness is computed from the project's own rows at the moment it is asked
for. Passing a gate judges the criteria again inside the write transaction,
with the project row locked, so two people passing the same gate at once give
one phase change and one clear refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from sqlalchemy import BindParameter, and_, bindparam
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.checklist import ItemState
from gatekeeper.core.criteria.base import GateContext, UnitScope
from gatekeeper.core.deadline import item_due_on
from gatekeeper.core.engine import Override, engine_for
from gatekeeper.core.gate import GateVerdict, evaluate_gate
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.risk import RiskState
from gatekeeper.core.status import ConditionStatus
from gatekeeper.errors import NotFound, PermissionDenied, TransitionRefused
from gatekeeper.services import validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.followup.goal_state import goal_states_in, judges_goals
from gatekeeper.services.gates.phase_change import record_phase_change
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.projects.standing import locked_with_standing
from gatekeeper.services.projects.subproject import states_in as subproject_states_in
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.services.reminders import planning
from gatekeeper.services.rollout.wave_scope import judges_units, unit_scope
from gatekeeper.store.gates.tables import DecisionCondition
from gatekeeper.store.projects.tables import (
    ChecklistInstance,
    ChecklistItem,
    GateTarget,
    NamedDecision,
    PhaseChange,
    Project,
    ProjectMember,
    Risk,
)
from gatekeeper.store.rollout.unit_tables import Wave


@dataclass(frozen=True)
class GateItem:
    """A checklist item as the gate sees it: the row and its dated deadline."""

    row: ChecklistItem
    checklist_id: str
    checklist_name: str
    due_on: date | None

    def state(self) -> ItemState:
        """The item as the criteria see it (made once: the verdict, the overdue items and
        the page all ask, for each of a gate's hundreds of items)."""
        return self._state

    @cached_property
    def _state(self) -> ItemState:
        return ItemState(
            checklist_id=self.checklist_id,
            item_id=self.row.item_id,
            text=self.row.text,
            category=self.row.category,
            mandatory=self.row.mandatory,
            evidence_required=self.row.evidence_required,
            status=self.row.status,
            has_evidence=bool(self.row.evidence and self.row.evidence.strip()),
            due_on=self.due_on,
        )


@dataclass(frozen=True)
class GateReadiness:
    """A gate of a project: its items, target date and the verdict on its criteria."""

    project: Project
    gate: Gate
    target_date: date | None
    items: tuple[GateItem, ...]
    verdict: GateVerdict
    is_current: bool
    today: date
    wave: Wave | None = None  # a rollout's go-live judged for one wave
    units: UnitScope | None = None  # the units the unit criteria judged (None: none)
    # The project's risks, when a criterion judged them or the caller asked (None: not read).
    risks: tuple[Risk, ...] | None = None

    @property
    def overdue(self) -> tuple[GateItem, ...]:
        return tuple(item for item in self.items if item.state().overdue(self.today))


# Built once (bound parameters): building a statement costs more than running it, and a
# gate is judged on every pass, vote and page.
_PROJECT: BindParameter[int] = bindparam("project_id")
_ITEMS = (
    select(
        ChecklistItem,
        col(ChecklistInstance.checklist_id),
        col(ChecklistInstance.name),
        col(GateTarget.target_date),
    )
    .join(ChecklistInstance, col(ChecklistInstance.id) == col(ChecklistItem.instance_id))
    .outerjoin(
        GateTarget,
        and_(
            col(GateTarget.project_id) == _PROJECT,
            col(GateTarget.gate_id) == bindparam("gate_id"),
            col(GateTarget.lap) == bindparam("lap"),
        ),
    )
    .where(
        col(ChecklistInstance.project_id) == _PROJECT,
        col(ChecklistInstance.gate_id) == bindparam("gate_id"),
    )
    .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
)
_TARGET = select(col(GateTarget.target_date)).where(
    col(GateTarget.project_id) == _PROJECT,
    col(GateTarget.gate_id) == bindparam("gate_id"),
    col(GateTarget.lap) == bindparam("lap"),
)
_RISKS = select(Risk).where(col(Risk.project_id) == _PROJECT).order_by(col(Risk.id))
_DECISIONS = select(col(NamedDecision.key)).where(
    col(NamedDecision.project_id) == _PROJECT, col(NamedDecision.lap) == bindparam("lap")
)
_OPEN_CONDITIONS = (
    select(col(DecisionCondition.text))
    .where(
        col(DecisionCondition.project_id) == _PROJECT,
        col(DecisionCondition.status) == ConditionStatus.OPEN,
    )
    .order_by(col(DecisionCondition.id))
)


def workflow_gate(workflow: Workflow, gate_id: str) -> Gate:
    """The workflow's gate `gate_id`, or NotFound in words."""
    try:
        return workflow.gate(gate_id)
    except KeyError:
        raise NotFound(f"Grinden '{gate_id}' finns inte i fasmodellen {workflow.name}.") from None


def readiness_in(
    *,
    session: Session,
    project: Project,
    workflow: Workflow,
    gate: Gate,
    today: date,
    wave: Wave | None = None,
    with_risks: bool = False,
) -> GateReadiness:
    """The gate's verdict on the project as it stands (for a rollout: on `wave`'s units,
    or without a wave on the units of the waves not yet live).

    A handful of statements built once: the gate's items with its target date, the
    open conditions and, only where a criterion judges them (or `with_risks`), the
    risks and the named decisions.
    """
    params = {"project_id": project.id, "gate_id": gate.id, "lap": project.lap}
    rows = session.execute(_ITEMS, params).all()
    # A gate without items: its target date on its own.
    target = rows[0][3] if rows else session.execute(_TARGET, params).scalar_one_or_none()
    items = tuple(
        GateItem(
            row=item,
            checklist_id=checklist_id,
            checklist_name=checklist_name,
            due_on=item_due_on(target, item.due_offset_days),
        )
        for item, checklist_id, checklist_name, _ in rows
    )
    assert project.id is not None
    planning.note_gate_items(
        session=session, project_id=project.id, gate_id=gate.id, items=[i.row for i in items]
    )
    kinds = {getattr(criterion, "kind", "") for criterion in gate.criteria}
    risks = (
        tuple(session.execute(_RISKS, params).scalars().all())
        if with_risks or "max_open_risk_score" in kinds
        else None
    )
    decisions = (
        session.execute(_DECISIONS, params).scalars().all() if "decisions_taken" in kinds else ()
    )
    open_conditions = session.execute(_OPEN_CONDITIONS, params).scalars().all()
    units = (
        unit_scope(session=session, project=project, wave=wave)
        if wave is not None or judges_units(gate)
        else None
    )
    context = GateContext(
        items=tuple(item.state() for item in items),
        risks=tuple(
            RiskState(
                title=r.title, probability=r.probability, consequence=r.consequence, status=r.status
            )
            for r in risks or ()
        ),
        decisions=frozenset(decisions),
        today=today,
        open_conditions=tuple(open_conditions),
        units=units,
        goals=goal_states_in(session=session, project=project) if judges_goals(gate) else (),
        subprojects=(
            subproject_states_in(session=session, project=project)
            if "subprojects_handed_over" in kinds
            else ()
        ),
    )
    return GateReadiness(
        project=project,
        gate=gate,
        target_date=target,
        items=items,
        verdict=evaluate_gate(gate, context),
        is_current=gate.source == project.phase,
        today=today,
        wave=wave,
        units=units,
        risks=risks,
    )


def gate_readiness(ctx: Context, project_key: str, gate_id: str) -> GateReadiness:
    """Every criterion of the gate judged on the project as it stands now."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        gate = workflow_gate(workflow, gate_id)
        return readiness_in(
            session=session, project=project, workflow=workflow, gate=gate, today=ctx.today()
        )


def gate_item(
    ctx: Context, project_key: str, gate_id: str, checklist_id: str, item_id: str
) -> GateItem:
    """One checklist item of a gate, with its dated deadline (one query, not the readiness)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        row = session.exec(
            select(ChecklistItem, ChecklistInstance)
            .join(ChecklistInstance)
            .where(
                ChecklistInstance.project_id == project.id,
                ChecklistInstance.gate_id == gate_id,
                ChecklistInstance.checklist_id == checklist_id,
                ChecklistItem.item_id == item_id,
            )
        ).one_or_none()
        if row is None:
            raise NotFound(
                f"Punkten '{item_id}' finns inte i checklistan '{checklist_id}' "
                f"för grinden '{gate_id}'."
            )
        item, instance = row
        target_row = session.exec(
            select(GateTarget).where(
                GateTarget.project_id == project.id,
                GateTarget.gate_id == gate_id,
                GateTarget.lap == project.lap,
            )
        ).first()
        target = target_row.target_date if target_row is not None else None
        return GateItem(
            row=item,
            checklist_id=instance.checklist_id,
            checklist_name=instance.name,
            due_on=item_due_on(target, item.due_offset_days),
        )


def all_gates(ctx: Context, project_key: str) -> list[GateReadiness]:
    """Readiness of every gate of the project's workflow, in the workflow's order."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        return [
            readiness_in(
                session=session, project=project, workflow=workflow, gate=gate, today=ctx.today()
            )
            for gate in workflow.gates
        ]


def next_gates(ctx: Context, project_key: str) -> list[GateReadiness]:
    """Readiness of each gate leaving the project's current phase."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        return next_gates_in(session=session, project=project, workflow=workflow, today=ctx.today())


def next_gates_in(
    *, session: Session, project: Project, workflow: Workflow, today: date
) -> list[GateReadiness]:
    """`next_gates` inside the caller's transaction."""
    return [
        readiness_in(session=session, project=project, workflow=workflow, gate=gate, today=today)
        for gate in workflow.gates_from(project.phase)
    ]


def may_pass(*, session: Session, project: Project, gate: Gate, actor: Actor) -> bool:
    """Whether the actor passes this gate: it has no approval policy and the actor holds
    the role that passes it (`passed_by`, default projektledare), or is gatekeeper itself."""
    if gate.approval is not None:
        return False
    if actor.kind is ActorKind.SYSTEM:
        return True
    return (
        session.exec(
            select(ProjectMember.id).where(
                ProjectMember.project_id == project.id,
                ProjectMember.email == actor.id,
                ProjectMember.role == gate.passer_role,
            )
        ).first()
        is not None
    )


@audits_refusal("gate.pass", object_type="gate", object_id="{project_key}/{gate_id}")
def pass_gate(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    gate_id: str,
    motivation: str,
    override_motivation: str | None = None,
) -> PhaseChange:
    """Move the project through a gate that has no approval policy, if its criteria hold.

    Gates with an approval policy are decided by their deciders' votes
    (`gatekeeper.services.gates.vote`); this refuses them. Refused with every
    failing criterion in words (`TransitionRefused`) and nothing changed; the
    project row is locked for the whole decision.
    """
    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000
    )
    override = None
    if override_motivation is not None:
        override = Override(
            validation.text(
                override_motivation,
                field="override_motivation",
                label="Motiveringen till att gå vidare trots ej uppfyllda kriterier",
                max_length=4000,
            )
        )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        # One statement: the project, locked, with the actor's roles in it.
        project, standing = locked_with_standing(session=session, key=project_key, actor=actor)
        require_active(project)
        workflow = project_workflow(session=session, project=project)
        engine = engine_for(workflow)
        gate = engine.gate_leaving(project.phase, gate_id)
        if gate.approval is not None:
            raise TransitionRefused(
                f"Grinden '{gate.name}' beslutas av rollen {gate.approval.deciders}: "
                "begär en granskning så att de kan rösta."
            )
        if actor.kind is not ActorKind.SYSTEM and not standing.holds(gate.passer_role):
            role = next(
                (r.name for r in workflow.roles if r.id == gate.passer_role), gate.passer_role
            )
            raise PermissionDenied(f"Bara rollen {role} kan passera grinden '{gate.name}'.")
        readiness = readiness_in(
            session=session, project=project, workflow=workflow, gate=gate, today=ctx.today()
        )
        new_phase = engine.next_phase(project.phase, gate.id, readiness.verdict, override=override)
        phase_change = record_phase_change(
            session=session,
            project=project,
            gate_id=gate.id,
            to_phase=new_phase,
            actor=str(actor),
            at=now,
            motivation=motivation,
            verdict=readiness.verdict,
            override_motivation=override.motivation if override else None,
        )
        return phase_change
