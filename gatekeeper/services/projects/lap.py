"""Starting a new lap (varv) of a cyclic workflow: fresh checklists for the loop's gates.

When a project takes its workflow's loop-closing gate (the ICS loop's "Ny måling",
back to "Måling"), the phase change calls `start_next_lap_if_closing` in the same
transaction. The project's lap goes up by one and every checklist item of the
loop's gates starts open again, without evidence or comment. The item rows are the
live state of the current lap; what lap 1 ticked stays in the audit log (the
`ChecklistItemUpdated` events before the `LapStarted` event), which `state?at`
and the project's history replay. One event for the whole lap turn keeps the
lap-1 record readable and the tick itself untouched: a tick is no slower in lap 5
than in lap 1. Every item of the loop gets a new version, so a form or If-Match
read in the previous lap is refused (`StaleVersion`) instead of ticking the new
lap on what the person saw in the old one.

Gate dates, gate decisions and named decisions carry the lap they were made in
(`GateTarget.lap`, `GateDecision.lap`, `NamedDecision.lap`); readers take the
current lap's, so planning lap 2 never lapses lap 1's decisions.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from gatekeeper.core.events.projects import LapBegun, LapNumber, LapStarted
from gatekeeper.core.lap import closes_loop, loop_gates
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ItemStatus
from gatekeeper.services import change
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem, Project


def start_next_lap_if_closing(
    *,
    session: Session,
    project: Project,
    workflow: Workflow,
    gate_id: str | None,
    from_phase: str,
    actor: str,
    at: datetime,
) -> bool:
    """Start the next lap if the phase change just made took the loop-closing gate
    (forward, from its source to its destination); whether it did."""
    if gate_id is None:
        return False
    gate = workflow.gate(gate_id)
    if not closes_loop(workflow, gate) or from_phase != gate.source or project.phase != gate.dest:
        return False
    gates = tuple(g.id for g in loop_gates(workflow, gate))
    rows = session.exec(
        select(ChecklistItem, ChecklistInstance)
        .join(ChecklistInstance)
        .where(
            ChecklistInstance.project_id == project.id,
            col(ChecklistInstance.gate_id).in_(gates),
        )
        .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
    ).all()
    reopened: list[str] = []
    for item, instance in rows:
        if item.status is not ItemStatus.OPEN:
            reopened.append(f"{instance.gate_id}/{instance.checklist_id}/{item.item_id}")
        item.status = ItemStatus.OPEN
        item.evidence = None
        item.comment = None
        item.restlista = False
    before = project.lap
    project.lap += 1
    change.record(
        session,
        LapStarted(
            object_id=project.key,
            before=LapNumber(before),
            after=LapBegun(lap=project.lap, gate=gate.id, gates=gates, items=tuple(reopened)),
        ),
        by=actor,
        at=at,
        project=project,
        row=[project, *(item for item, _ in rows)],
    )
    return True
