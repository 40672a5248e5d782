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
from sqlmodel import col, select

from gatekeeper.core.gate_order import later_gates
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.projects.gate_date import plan_gate_move
from gatekeeper.services.reminders.plan_rows import OPEN_STATUSES, in_scope
from gatekeeper.services.reminders.scope import Scope
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem
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
            GateDateMove(moved, names[moved], old, new)
            for moved, old, new in plan.moves
            if old != new
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
        deadlines = tuple(
            DeadlineMove(
                gate_id=instance.gate_id,
                gate_name=names[instance.gate_id],
                text=item.text,
                old=(
                    by_gate[instance.gate_id].old + timedelta(days=item.due_offset_days)
                    if by_gate[instance.gate_id].old is not None
                    else None
                ),
                new=by_gate[instance.gate_id].new + timedelta(days=item.due_offset_days),
            )
            for item, instance in items
            if item.due_offset_days is not None
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
            deadlines=deadlines,
            reminders=int(reminders),
            kept=kept,
            dates_version=planned.dates_version,
        )
