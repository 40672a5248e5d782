"""A project's gate target dates: set or move the day a gate is planned for, in order.

Every relative deadline (a checklist item's `due`, a reminder's offset)
counts from its gate's target date, so moving it is a recorded change
(`GateTargetChanged`, one per gate that moves) whose consequences re-plan the
gates' reminders. Dates stay in order (`gatekeeper.core.gate_order`): a move
either takes the later gates along by the same number of days
(`shift_later`) or, when it would put a phase's end before its start, is
refused with the gates named (`DatesOutOfOrder`) before anything changes.

`dates_version` is the version of a project's gate dates as a whole (the sum
of their rows' versions, which every move raises): a preview hands it out and
the confirmation carries it back, so a move confirmed on a stale preview is
refused (`StaleVersion`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.events.projects import GateTarget as GateTargetDate
from gatekeeper.core.events.projects import GateTargetChanged
from gatekeeper.core.gate_order import MovePlan, plan_move
from gatekeeper.core.phase_model import Workflow
from gatekeeper.errors import PermissionDenied, StaleVersion
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.projects.gate_order import refuse_out_of_order
from gatekeeper.services.projects.leader import LEADER_ROLE
from gatekeeper.services.projects.project import gate_or_invalid
from gatekeeper.services.projects.standing import standing_in
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.projects.tables import GateTarget, Project


@dataclass(frozen=True)
class PlannedMove:
    """A checked move, not yet made: the plan and the dates it starts from."""

    project: Project
    workflow: Workflow
    plan: MovePlan
    targets: dict[str, date]
    dates_version: int


def _targets(*, session: Session, project: Project, lock: bool = False) -> list[GateTarget]:
    statement = select(GateTarget).where(
        GateTarget.project_id == project.id, GateTarget.lap == project.lap
    )
    if lock:
        statement = statement.with_for_update()
    return list(session.exec(statement.order_by(col(GateTarget.id))).all())


def dates_version(rows: list[GateTarget]) -> int:
    """The version of a project's gate dates as a whole: every move raises it."""
    return sum(row.row_version for row in rows)


def may_plan_dates(*, session: Session, project: Project, actor: Actor) -> bool:
    """Whether the actor moves the project's gate dates: its projektledare, an
    administrator, or gatekeeper itself."""
    if actor.kind is ActorKind.SYSTEM:
        return True
    standing = standing_in(session=session, project=project, email=actor.id)
    return standing.is_admin or standing.holds(LEADER_ROLE)


def plan_gate_move(
    *,
    session: Session,
    project_key: str,
    gate_id: str,
    target_date: date,
    shift_later: bool,
    lock: bool = False,
) -> PlannedMove:
    """What moving the gate's date would change, checked for order (inside a transaction)."""
    project = project_by_key(session=session, key=project_key, lock=lock)
    workflow = project_workflow(session=session, project=project)
    gate_or_invalid(workflow, gate_id, field="gate_id")
    rows = _targets(session=session, project=project, lock=lock)
    targets = {row.gate_id: row.target_date for row in rows}
    plan = plan_move(
        workflow, targets, gate_id=gate_id, new_date=target_date, shift_later=shift_later
    )
    refuse_out_of_order(
        workflow,
        plan.new_targets(targets),
        project.started_on,
        concerning=frozenset(gate for gate, _, _ in plan.moves),
    )
    return PlannedMove(project, workflow, plan, targets, dates_version(rows))


@audits_refusal("gate.move_date", object_type="gate", object_id="{project_key}/{gate_id}")
def set_gate_target(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    gate_id: str,
    target_date: date,
    shift_later: bool = False,
    expected_version: int | None = None,
) -> MovePlan:
    """Set or move a gate's target date (with the later gates when `shift_later`).

    Refused before anything changes when a phase would end before it starts
    (`DatesOutOfOrder`), or when `expected_version` (a preview's
    `dates_version`) is no longer the dates' version (`StaleVersion`). The
    project row is locked, so two moves of one project are serialised.
    """
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        if not may_plan_dates(session=session, project=project, actor=actor):
            raise PermissionDenied(
                f"Bara projektledaren eller en administratör kan flytta grindarnas datum "
                f"i projektet {project.name}."
            )
        planned = plan_gate_move(
            session=session,
            project_key=project_key,
            gate_id=gate_id,
            target_date=target_date,
            shift_later=shift_later,
            lock=True,
        )
        if expected_version is not None and expected_version != planned.dates_version:
            raise StaleVersion(
                "Grindarnas datum har ändrats av någon annan sedan förhandsvisningen "
                f"(version {planned.dates_version}, du hade {expected_version}). "
                "Ingenting har flyttats: se förhandsvisningen igen."
            )
        assert project.id is not None
        rows = {row.gate_id: row for row in _targets(session=session, project=project)}
        for moved_id, old, new in planned.plan.moves:
            if old == new:
                continue
            row = rows.get(moved_id)
            if row is None:
                row = GateTarget(
                    project_id=project.id, gate_id=moved_id, target_date=new, lap=project.lap
                )
                session.add(row)
                session.flush()
            else:
                row.target_date = new
            change.record(
                session,
                GateTargetChanged(
                    object_id=f"{project_key}/{moved_id}",
                    gate_id=moved_id,
                    before=GateTargetDate(old.isoformat()) if old is not None else None,
                    after=GateTargetDate(new.isoformat()),
                ),
                by=actor,
                at=now,
                project=project,
                row=row if old is not None else None,
            )
        return planned.plan
