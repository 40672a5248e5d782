"""A go decided before its effective date takes effect on the day: the scheduler's step.

`outcome.decide` records a go whose effective date (`gatekeeper.core.effect`)
lies ahead with `effective_at` null and leaves the phase alone. Once a day
(and when the scheduler starts) `apply_due_decisions` finds the decisions
whose day has come and `take_effect` carries out each in one transaction:
the project row and the decision row are locked, `effective_at` is checked
again under the lock (a second scheduler process, or a re-run, finds it set
and does nothing), the engine (`PhaseEngine.after_decision`) says where the
project goes from where it stands now, and the phase change, the
`gate.decision_took_effect` event and the restlista follow, exactly once.
The recorder bumps the decision's `row_version`. A decision the engine
refuses (the project is paused, or no longer stands before the gate) stays
pending and is tried again on the next run; a lapsed decision never takes effect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.criteria.base import CriterionResult
from gatekeeper.core.engine import Override, Standing, engine_for
from gatekeeper.core.events.gates import DecisionTookEffect, Effect, PendingEffect
from gatekeeper.core.gate import GateVerdict
from gatekeeper.core.outcome import OUTCOME_SV
from gatekeeper.errors import GatekeeperError
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.item_handover import DECIDER, hand_over_open_items
from gatekeeper.services.gates.phase_change import record_phase_change
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.overview import ProjectOverview, overview_in
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.projects.tables import Project

logger = logging.getLogger("gatekeeper.decisions")


def due_decisions(ctx: Context, *, today: date) -> list[tuple[int, str]]:
    """(decision id, project key) of every pending decision whose day has come."""
    with ctx.db.read() as session:
        rows = session.exec(
            select(GateDecision.id, Project.key)
            .join(Project, col(Project.id) == col(GateDecision.project_id))
            .where(
                col(GateDecision.effective_at).is_(None),
                col(GateDecision.effective_on) <= today,
                col(GateDecision.lapsed_at).is_(None),
            )
            .order_by(col(GateDecision.effective_on), col(GateDecision.id))
        ).all()
    return [(decision_id, key) for decision_id, key in rows if decision_id is not None]


def apply_due_decisions(ctx: Context, *, today: date | None = None) -> int:
    """The scheduler's daily step: every due decision takes effect; how many did now."""
    today = today or ctx.today()
    applied = 0
    for decision_id, project_key in due_decisions(ctx, today=today):
        try:
            applied += take_effect(
                ctx, project_key=project_key, decision_id=decision_id, today=today
            )
        except GatekeeperError as error:
            logger.warning("decision %s of %s waits: %s", decision_id, project_key, error.message)
    return applied


def take_effect(ctx: Context, *, project_key: str, decision_id: int, today: date) -> bool:
    """Carry out one pending decision if its day has come; False when there is nothing to do
    (not due, lapsed, or already in effect: another worker got there first)."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        decision = session.exec(
            select(GateDecision)
            .where(GateDecision.id == decision_id, GateDecision.project_id == project.id)
            .with_for_update()
        ).one()
        effective = decision.effective_on
        if (
            decision.effective_at is not None
            or decision.lapsed_at is not None
            or effective is None
            or effective > today
        ):
            return False
        workflow = project_workflow(session=session, project=project)
        gate = workflow.gate(decision.gate_id)
        verdict = GateVerdict(
            gate.id,
            tuple(
                CriterionResult(
                    kind=r["kind"],
                    passed=r["passed"],
                    measured=r["measured"],
                    required=r["required"],
                    message_sv=r["message_sv"],
                    message_en=r["message_sv"],
                    details=tuple(r.get("details", ())),
                )
                for r in decision.record.get("verdict", [])
            ),
        )
        overrides = "; ".join(decision.record.get("overrides", []))
        from_phase = project.phase
        after = engine_for(workflow).after_decision(
            Standing(from_phase, project.status),
            gate.id,
            decision.outcome,
            verdict=verdict,
            override=Override(overrides) if decision.override and overrides else None,
        )
        decision.effective_at = now
        change.record(
            session,
            DecisionTookEffect(
                object_id=str(decision.id),
                before=PendingEffect(effective_on=effective.isoformat()),
                after=Effect(
                    effective_on=effective.isoformat(),
                    gate=gate.id,
                    from_phase=from_phase,
                    to_phase=after.phase,
                ),
            ),
            by=DECIDER,
            at=now,
            project=project,
            row=decision,
        )
        if after.phase != from_phase:
            record_phase_change(
                session=session,
                project=project,
                gate_id=gate.id,
                to_phase=after.phase,
                actor=DECIDER,
                at=now,
                motivation=(
                    f"Beslut {OUTCOME_SV[decision.outcome].lower()} "
                    f"gäller från {effective.isoformat()}: {decision.reason}"
                ),
                verdict=verdict,
                override_motivation=overrides if decision.override else None,
            )
        if gate.handover_to:
            hand_over_open_items(session=session, project=project, gate=gate, at=now)
        return True


def pending_in(*, session: Session, project: Project) -> GateDecision | None:
    """The project's go that is decided but waits for its effective date, if any."""
    return session.exec(
        select(GateDecision)
        .where(
            GateDecision.project_id == project.id,
            col(GateDecision.effective_at).is_(None),
            col(GateDecision.lapsed_at).is_(None),
            col(GateDecision.wave_id).is_(None),
        )
        .order_by(col(GateDecision.effective_on), col(GateDecision.id))
    ).first()


@dataclass(frozen=True)
class ProjectState:
    """The project as the API shows it, with the go that waits for its day (if any)."""

    overview: ProjectOverview
    pending: GateDecision | None


def project_state(ctx: Context, project_key: str) -> ProjectState:
    """The project's overview and its pending go, read at one moment."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return ProjectState(
            overview=overview_in(session=session, project=project),
            pending=pending_in(session=session, project=project),
        )
