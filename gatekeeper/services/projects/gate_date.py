"""A project's gate target dates: set or move the day a gate is planned for.

Every relative deadline (a checklist item's `due`, a reminder's offset)
counts from its gate's target date, so moving it is one recorded change
(`GateTargetChanged`) whose consequences re-plan the gate's reminders.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.projects import GateTarget as GateTargetDate
from gatekeeper.core.events.projects import GateTargetChanged
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.projects.project import gate_or_invalid
from gatekeeper.store.projects.tables import GateTarget


def set_gate_target(
    ctx: Context, actor: Actor, *, project_key: str, gate_id: str, target_date: date
) -> GateTarget:
    """Set or move a gate's target date; every relative deadline follows it."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        gate_or_invalid(
            project_workflow(session=session, project=project), gate_id, field="gate_id"
        )
        assert project.id is not None
        target = session.exec(
            select(GateTarget)
            .where(GateTarget.project_id == project.id, GateTarget.gate_id == gate_id)
            .with_for_update()
        ).one_or_none()
        before = GateTargetDate(target.target_date.isoformat()) if target else None
        if target is None:
            target = GateTarget(project_id=project.id, gate_id=gate_id, target_date=target_date)
            session.add(target)
            session.flush()
        else:
            target.target_date = target_date
        change.record(
            session,
            GateTargetChanged(
                object_id=f"{project_key}/{gate_id}",
                gate_id=gate_id,
                before=before,
                after=GateTargetDate(target_date.isoformat()),
            ),
            by=actor,
            at=now,
            project=project,
            row=target if before is not None else None,
        )
        return target
