"""Checklist items: tick, untick or mark not applicable, with evidence and comment.

An item that requires evidence is ticked done only with evidence: the same rule
as for a rollout's unit items (`gatekeeper.core.checklist.evidence_missing`).
"""

from __future__ import annotations

from gatekeeper.core.actor import Actor
from gatekeeper.core.checklist import evidence_missing
from gatekeeper.core.events.projects import ChecklistItemUpdated, ItemValues
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, checklist_item, project_by_key, require_active
from gatekeeper.store.projects.tables import ChecklistItem


def _state(item: ChecklistItem) -> ItemValues:
    return ItemValues(status=item.status.value, evidence=item.evidence, comment=item.comment)


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
        if evidence_missing(
            status=status,
            evidence_required=item.evidence_required,
            evidence=evidence,
            stored=item.evidence,
        ):
            raise ValidationFailed(
                f"Punkten '{item.text}' kräver underlag (länk eller referens) för att bockas av.",
                field="evidence",
            )
        before = _state(item)
        item.status = status
        if evidence is not None:
            item.evidence = evidence or None
        if comment is not None:
            item.comment = comment or None
        after = _state(item)
        if after == before:
            return item
        assert item.id is not None
        change.record(
            session,
            ChecklistItemUpdated(
                object_id=f"{project_key}/{gate_id}/{checklist_id}/{item_id}",
                item_row=item.id,
                gate_id=gate_id,
                checklist_item=f"{checklist_id}/{item_id}",
                before=before,
                after=after,
            ),
            by=actor,
            at=now,
            project=project,
            row=item,
        )
        return item
