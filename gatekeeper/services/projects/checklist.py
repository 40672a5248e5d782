"""Checklist items: tick, untick or mark not applicable, with evidence and comment."""

from __future__ import annotations

from gatekeeper.core.actor import Actor
from gatekeeper.core.events import EventName
from gatekeeper.core.status import ItemStatus
from gatekeeper.services import validation
from gatekeeper.services.context import Context
from gatekeeper.services.gates.register import lapse_if_relied_on
from gatekeeper.services.lookup import check_version, checklist_item, project_by_key, require_active
from gatekeeper.services.reminders import planning as reminder_planning
from gatekeeper.store.audit import chain as audit
from gatekeeper.store.projects.tables import ChecklistItem


def _snapshot(item: ChecklistItem) -> dict[str, str | None]:
    return {"status": item.status.value, "evidence": item.evidence, "comment": item.comment}


def update_item(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    gate_id: str,
    checklist_id: str,
    item_id: str,
    status: ItemStatus,
    evidence: str | None = None,
    comment: str | None = None,
    expected_version: int | None = None,
) -> ChecklistItem:
    """Set an item's status; evidence and comment are kept as given (None leaves them)."""
    status = ItemStatus(status)
    if evidence is not None:
        evidence = validation.text(
            evidence, field="evidence", label="Underlaget", max_length=2000, required=False
        )
    if comment is not None:
        comment = validation.text(
            comment, field="comment", label="Kommentaren", max_length=4000, required=False
        )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        # The project row is locked so that a tick and a vote on the same project
        # are serialised: a decision is always taken on the readiness that stands.
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        item = checklist_item(
            session=session,
            project=project,
            gate_id=gate_id,
            checklist_id=checklist_id,
            item_id=item_id,
            lock=True,
        )
        check_version(item.row_version, expected_version, f"Punkten '{item.text}'")
        before = _snapshot(item)
        item.status = status
        if evidence is not None:
            item.evidence = evidence or None
        if comment is not None:
            item.comment = comment or None
        after = _snapshot(item)
        if after == before:
            return item
        item.updated_by = str(actor)
        item.updated_at = now
        item.row_version += 1
        session.add(item)
        session.flush()
        audit.record(
            session=session,
            at=now,
            actor=str(actor),
            action=EventName.CHECKLIST_ITEM_UPDATED,
            project_id=project.id,
            object_type="checklist_item",
            object_id=f"{project_key}/{gate_id}/{checklist_id}/{item_id}",
            before=before,
            after=after,
        )
        if before["status"] == ItemStatus.DONE.value and item.status is not ItemStatus.DONE:
            lapse_if_relied_on(
                session=session,
                project=project,
                gate_id=gate_id,
                at=now,
                actor=str(actor),
                unticked_item=f"{checklist_id}/{item_id}",
            )
        assert project.id is not None and item.id is not None
        if item.status is ItemStatus.OPEN:
            if before["status"] != ItemStatus.OPEN.value:  # reopened: its reminders come back
                reminder_planning.replan(session=session, project=project, now=now)
        elif before["status"] == ItemStatus.OPEN.value:
            reminder_planning.forget(
                session=session,
                project_id=project.id,
                subject_type="checklist_item",
                subject_id=item.id,
                now=now,
            )
        return item
