"""A project's phase change: the history row, the audit event and, when the change took
a cyclic workflow's loop-closing gate, the start of the next lap.

Every way through a gate ends here: a pass without approval
(`readiness.pass_gate`), a decision (`outcome.decide`) and a go taking effect on its
day (`effect`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from gatekeeper.core.events.gates import PhaseAfter, PhaseBefore, PhaseChanged
from gatekeeper.core.gate import GateVerdict
from gatekeeper.services import change
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.projects.lap import start_next_lap_if_closing
from gatekeeper.store.projects.tables import PhaseChange, Project


def verdict_record(verdict: GateVerdict) -> list[dict[str, object]]:
    """The verdict as plain data, kept with phase changes and decisions."""
    return [
        {
            "kind": result.kind,
            "passed": result.passed,
            "measured": result.measured,
            "required": result.required,
            "message_sv": result.message_sv,
            "details": list(result.details),
        }
        for result in verdict.results
    ]


def record_phase_change(
    *,
    session: Session,
    project: Project,
    gate_id: str | None,
    to_phase: str,
    actor: str,
    at: datetime,
    motivation: str,
    verdict: GateVerdict | None,
    override_motivation: str | None = None,
) -> PhaseChange:
    """Move the project's phase and write the history row and the audit event."""
    assert project.id is not None
    old_phase = project.phase
    project.phase = to_phase
    phase_change = PhaseChange(
        project_id=project.id,
        gate_id=gate_id,
        from_phase=old_phase,
        to_phase=to_phase,
        at=at,
        actor=actor,
        motivation=motivation,
        override_motivation=override_motivation,
        verdict=verdict_record(verdict) if verdict is not None else [],
    )
    session.add(phase_change)
    change.record(
        session,
        PhaseChanged(
            object_id=project.key,
            before=PhaseBefore(old_phase),
            after=PhaseAfter(
                phase=to_phase,
                gate=gate_id,
                motivation=motivation,
                override=override_motivation,
                criteria_passed=verdict.passed if verdict is not None else None,
            ),
        ),
        by=actor,
        at=at,
        project=project,
        row=project,
    )
    start_next_lap_if_closing(
        session=session,
        project=project,
        workflow=project_workflow(session=session, project=project),
        gate_id=gate_id,
        from_phase=old_phase,
        actor=actor,
        at=at,
    )
    return phase_change
