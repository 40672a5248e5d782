"""Wave reviews: asking the steering group to decide the go-live of one wave of a rollout.

A rollout's go-live gate (the gate with `unit_checklists`) is decided per
wave: the review freezes the gate's readiness judged on that wave's units
(each unit ready or not, the wave's required units, every criterion) and is
voted on like any review, under the gate's approval policy unchanged (quorum,
required roles, jäv, ersättare, separation of duties). One open review per
wave at a time. The project's own review of the gate stays a separate
decision, taken when the rollout is done.

A vote lapses when the wave's snapshot changes: a unit becoming ready (or
not), the wave's required units or go-live date, or the project's own
checklist items and risks. A tick that leaves every unit as ready as it was
changes nothing in the snapshot and lapses no vote.
"""

from __future__ import annotations

from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.engine import engine_for
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ReviewStatus, WaveStatus
from gatekeeper.errors import Conflict, NotFound
from gatekeeper.services import validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.request_right import may_request, require_requester
from gatekeeper.services.gates.review import approval_of, start_review
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.services.rollout.wave import wave_by_key
from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.rollout.unit_tables import Wave


def rollout_gate(workflow: Workflow) -> Gate:
    """The gate decided per wave: the first gate with unit checklists and an approval."""
    for gate in workflow.gates:
        if gate.unit_checklists and gate.approval is not None:
            return gate
    raise NotFound(
        f"Fasmodellen {workflow.name} har ingen grind som beslutas per våg "
        "(en grind med unit_checklists och beslutsordning)."
    )


@audits_refusal("review.request", object_type="wave", object_id="{project_key}/{wave_key}")
def request_wave_review(
    ctx: Context, actor: Actor, *, project_key: str, wave_key: str, message: str = ""
) -> GateReview:
    """Ask the deciders to decide one wave's go-live; freezes the wave's readiness."""
    message = validation.text(
        message, field="message", label="Meddelandet", max_length=4000, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        workflow = project_workflow(session=session, project=project)
        gate = rollout_gate(workflow)
        approval_of(gate)
        require_requester(
            session=session, project=project, workflow=workflow, gate=gate, actor=actor
        )
        engine_for(workflow).gate_leaving(project.phase, gate.id)
        wave = wave_by_key(session=session, project=project, key=wave_key, lock=True)
        if wave.status is not WaveStatus.PLANNED:
            state = "redan i drift" if wave.status is WaveStatus.LIVE else "pausad"
            raise Conflict(f"{wave.name} är {state} och kan inte beslutas om nu.")
        already = session.exec(
            select(GateReview.id).where(
                GateReview.wave_id == wave.id, GateReview.status == ReviewStatus.OPEN
            )
        ).first()
        if already is not None:
            raise Conflict(f"{wave.name} har redan en öppen granskning ({already}).")
        return start_review(
            session=session,
            ctx=ctx,
            actor=actor,
            project=project,
            workflow=workflow,
            gate=gate,
            message=message,
            now=now,
            wave=wave,
        )


def open_wave_reviews(ctx: Context, project_key: str) -> dict[str, int]:
    """The open review of each wave that has one: wave key → review id."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        rows = session.exec(
            select(Wave.key, GateReview.id)
            .join(GateReview, col(GateReview.wave_id) == col(Wave.id))
            .where(Wave.project_id == project.id, GateReview.status == ReviewStatus.OPEN)
        ).all()
        return {key: review_id for key, review_id in rows if review_id is not None}


def may_request_wave_review(ctx: Context, actor: Actor, project_key: str) -> bool:
    """Whether `actor` may ask for a wave's go-live decision (the wave page's forms)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        try:
            gate = rollout_gate(workflow)
        except NotFound:
            return False
        return may_request(
            session=session, project=project, workflow=workflow, gate=gate, actor=actor
        )


def wave_gate_id(ctx: Context, project_key: str) -> str | None:
    """The id of the gate the project's waves are decided at (None: not a rollout workflow)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
    try:
        return rollout_gate(workflow).id
    except NotFound:
        return None
