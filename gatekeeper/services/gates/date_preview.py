"""What moving a gate's date would change, before anything changes: the preview.

`preview_move` plans the move as `gate_date.set_gate_target` would (the same
plan, checked for order in the same way, so a move that would be refused is
refused here with the same words) and reads what follows from it: the gates
that move (old → new date), the deadlines of open checklist items that follow
their gate (`due_offset_days` counted from the new date), how many planned
reminders are re-planned, and the later gates that keep their dates. It
changes nothing; its `dates_version` goes with the confirmation so that a
confirmation of a stale preview is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.gate_order import later_gates
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import PermissionDenied
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.readiness import workflow_gate
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.gate_date import may_plan_dates, plan_gate_move
from gatekeeper.services.reminders.plan_rows import OPEN_STATUSES, in_scope
from gatekeeper.services.reminders.scope import Scope
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem, GateTarget
from gatekeeper.store.reminders.tables import Reminder


@dataclass(frozen=True)
class GateDateMove:
    """One gate's date: before and after the move (`old` None: the gate had no date)."""

    gate_id: str
    name: str
    old: date | None
    new: date


@dataclass(frozen=True)
class DeadlineMove:
    """An open checklist item whose deadline follows its gate's date."""

    gate_id: str
    gate_name: str
    text: str
    old: date | None
    new: date


@dataclass(frozen=True)
class LaterGate:
    """A later gate that keeps its date (the move did not take it along)."""

    gate_id: str
    name: str
    target_date: date | None


@dataclass(frozen=True)
class DateMovePreview:
    """What moving one gate's date changes; nothing has changed yet."""

    project_key: str
    project_name: str
    gate_id: str
    gate_name: str
    new_date: date
    shift_later: bool
    offset_days: int
    moves: tuple[GateDateMove, ...]
    deadlines: tuple[DeadlineMove, ...]
    reminders: int
    kept: tuple[LaterGate, ...]
    dates_version: int


def preview_move(
    ctx: Context, project_key: str, gate_id: str, *, target_date: date, shift_later: bool
) -> DateMovePreview:
    """What `set_gate_target` would change; refused in the same words when it would be."""
    with ctx.db.read() as session:
        return preview_in(
            session=session,
            project_key=project_key,
            gate_id=gate_id,
            target_date=target_date,
            shift_later=shift_later,
        )


def preview_in(
    *, session: Session, project_key: str, gate_id: str, target_date: date, shift_later: bool
) -> DateMovePreview:
    """`preview_move` inside the caller's transaction."""
    planned = plan_gate_move(
        session=session,
        project_key=project_key,
        gate_id=gate_id,
        target_date=target_date,
        shift_later=shift_later,
    )
    project, workflow, plan = planned.project, planned.workflow, planned.plan
    assert project.id is not None
    names = {gate.id: gate.name for gate in workflow.gates}
    moves = tuple(
        GateDateMove(moved, names[moved], old, new) for moved, old, new in plan.moves if old != new
    )
    moved_gates = frozenset(move.gate_id for move in moves)
    items = session.exec(
        select(ChecklistItem, ChecklistInstance)
        .join(ChecklistInstance)
        .where(
            ChecklistInstance.project_id == project.id,
            col(ChecklistInstance.gate_id).in_(sorted(moved_gates)),
            ChecklistItem.status == ItemStatus.OPEN,
            col(ChecklistItem.due_offset_days).is_not(None),
        )
        .order_by(col(ChecklistInstance.id), col(ChecklistItem.position))
    ).all()
    by_gate = {move.gate_id: move for move in moves}
    deadlines = []
    for item, instance in items:
        offset = item.due_offset_days
        move = by_gate[instance.gate_id]
        if offset is None:
            continue
        deadlines.append(
            DeadlineMove(
                gate_id=instance.gate_id,
                gate_name=names[instance.gate_id],
                text=item.text,
                old=move.old + timedelta(days=offset) if move.old is not None else None,
                new=move.new + timedelta(days=offset),
            )
        )
    reminders = (
        session.exec(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.project_id == project.id,
                col(Reminder.status).in_(OPEN_STATUSES),
                in_scope(Scope(gates=moved_gates), project.id),
            )
        ).one()
        if moved_gates
        else 0
    )
    kept = tuple(
        LaterGate(later, names[later], planned.targets.get(later))
        for later in later_gates(workflow, gate_id)
        if later not in moved_gates
    )
    return DateMovePreview(
        project_key=project.key,
        project_name=project.name,
        gate_id=gate_id,
        gate_name=names[gate_id],
        new_date=target_date,
        shift_later=shift_later,
        offset_days=plan.offset_days,
        moves=moves,
        deadlines=tuple(deadlines),
        reminders=int(reminders),
        kept=kept,
        dates_version=planned.dates_version,
    )


@dataclass(frozen=True)
class DateMoveForm:
    """The "Flytta datum" page: the gate, its date, every gate's date, and the preview
    of the date asked for (None until one is asked for, or when it was refused)."""

    project_key: str
    project_name: str
    gate_id: str
    gate_name: str
    target_date: date | None
    dates: tuple[LaterGate, ...]  # every gate of the workflow, in order
    preview: DateMovePreview | None


def move_form(
    ctx: Context,
    actor: Actor,
    project_key: str,
    gate_id: str,
    *,
    target_date: date | None = None,
    shift_later: bool = False,
) -> DateMoveForm:
    """The page for moving a gate's date (its projektledare's or an administrator's)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        if not may_plan_dates(session=session, project=project, actor=actor):
            raise PermissionDenied(
                "Bara projektledaren eller en administratör kan flytta grindarnas datum."
            )
        workflow = project_workflow(session=session, project=project)
        gate = workflow_gate(workflow, gate_id)
        targets: dict[str, date] = {
            row.gate_id: row.target_date
            for row in session.exec(
                select(GateTarget).where(
                    GateTarget.project_id == project.id, GateTarget.lap == project.lap
                )
            ).all()
        }
        preview = (
            preview_in(
                session=session,
                project_key=project_key,
                gate_id=gate_id,
                target_date=target_date,
                shift_later=shift_later,
            )
            if target_date is not None
            else None
        )
    return DateMoveForm(
        project_key=project.key,
        project_name=project.name,
        gate_id=gate.id,
        gate_name=gate.name,
        target_date=targets.get(gate.id),
        dates=tuple(LaterGate(g.id, g.name, targets.get(g.id)) for g in workflow.gates),
        preview=preview,
    )
