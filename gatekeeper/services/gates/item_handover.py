"""Checklist items a gate decision moves: handed over to a restlista, or reopened on recycle.

A go past a gate with a receiving role hands the items still open over to
that role as a restlista; a recycle reopens the done items of the gates from
the phase it goes back to onward (evidence kept). Each moved item gets its
own `ChecklistItemDecided`, as a user's tick has.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from gatekeeper.core.events.projects import ChecklistItemDecided, DecidedItemValues
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ItemStatus
from gatekeeper.services import change
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem, Project

DECIDER = "system:beslutsordning"  # the actor of what a decision does by itself


def reopen_checklists(
    *, session: Session, project: Project, workflow: Workflow, back_to: str, at: datetime
) -> None:
    """Items of the gates from `back_to` onward are open again for review (evidence kept)."""
    later = workflow.reachable_phases(back_to)  # the stretch that is walked again
    gate_ids = [g.id for g in workflow.gates if g.source in later]
    rows = session.exec(
        select(ChecklistItem, ChecklistInstance)
        .join(ChecklistInstance)
        .where(
            ChecklistInstance.project_id == project.id,
            col(ChecklistInstance.gate_id).in_(gate_ids),
            ChecklistItem.status == ItemStatus.DONE,
        )
        .order_by(col(ChecklistItem.id))
    ).all()

    def reopen(item: ChecklistItem) -> None:
        item.status = ItemStatus.OPEN
        item.comment = "Återöppnad för ny granskning efter beslut om att gå tillbaka."

    _change_items(session=session, project=project, rows=rows, at=at, alter=reopen)


def hand_over_open_items(*, session: Session, project: Project, gate: Gate, at: datetime) -> None:
    """Items still open when the gate is passed go to the receiving role as a restlista."""
    receiver = gate.handover_to
    assert receiver is not None
    rows = session.exec(
        select(ChecklistItem, ChecklistInstance)
        .join(ChecklistInstance)
        .where(
            ChecklistInstance.project_id == project.id,
            ChecklistInstance.gate_id == gate.id,
            ChecklistItem.status == ItemStatus.OPEN,
        )
        .order_by(col(ChecklistItem.id))
    ).all()

    def hand_over(item: ChecklistItem) -> None:
        item.responsible = receiver
        item.restlista = True

    _change_items(session=session, project=project, rows=rows, at=at, alter=hand_over)


def _item_state(item: ChecklistItem) -> DecidedItemValues:
    return DecidedItemValues(
        status=item.status.value,
        evidence=item.evidence,
        comment=item.comment,
        responsible=item.responsible,
        restlista=item.restlista,
    )


def _change_items(
    *,
    session: Session,
    project: Project,
    rows: Sequence[tuple[ChecklistItem, ChecklistInstance]],
    at: datetime,
    alter: Callable[[ChecklistItem], None],
) -> None:
    """Apply `alter` to each item, with one audit event per item as a user's tick has."""
    for item, instance in rows:
        before = _item_state(item)
        alter(item)
        assert item.id is not None
        change.record(
            session,
            ChecklistItemDecided(
                object_id=f"{project.key}/{instance.gate_id}/{instance.checklist_id}/{item.item_id}",
                item_row=item.id,
                before=before,
                after=_item_state(item),
            ),
            by=DECIDER,
            at=at,
            project=project,
            row=item,
        )
