"""Checklist items: tick, untick or mark not applicable, with evidence and comment.

Only the roles the item's definition allows may change it (`tick_right`); a
refusal leaves one trace, a `checklist.item.refused` audit event.
An item that requires evidence is ticked done only with evidence: the same rule
as for a rollout's unit items (`gatekeeper.core.checklist.evidence_missing`).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from gatekeeper.core.actor import Actor
from gatekeeper.core.checklist import evidence_missing
from gatekeeper.core.events.projects import (
    ChecklistItemRefused,
    ChecklistItemUpdated,
    ItemValues,
    TickRefusal,
)
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import check_version, require_active
from gatekeeper.services.projects.tick_right import item_to_tick
from gatekeeper.store.projects.tables import ChecklistItem, Project


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
    """Set an item's status; evidence and comment are kept as given (None leaves them).

    Refused (PermissionDenied, audited) for anyone the item's `may_tick` leaves out."""
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
        # One statement reads the project and the item, both locked, and the actor's
        # right to tick there.
        project, item, right = item_to_tick(
            session=session,
            key=project_key,
            gate_id=gate_id,
            checklist_id=checklist_id,
            item_id=item_id,
            actor=actor,
        )
        require_active(project)
        refusal = None
        if not right.allows(item):
            # Refused, but the refusal itself is committed: no raising inside the transaction.
            refusal = PermissionDenied(
                f"{actor.name} får inte ändra punkten '{item.text}': den bockas av av "
                "den ansvariga rollen eller projektledaren."
            )
            change.record(
                session,
                ChecklistItemRefused(
                    object_id=f"{project_key}/{gate_id}/{checklist_id}/{item_id}",
                    after=TickRefusal(status=status.value, reason=refusal.message),
                ),
                by=actor,
                at=now,
                project_id=project.id,
            )
        else:
            check_version(item.row_version, expected_version, f"Punkten '{item.text}'")
            if evidence_missing(
                status=status,
                evidence_required=item.evidence_required,
                evidence=evidence,
                stored=item.evidence,
            ):
                raise ValidationFailed(
                    f"Punkten '{item.text}' kräver underlag (länk eller referens) "
                    "för att bockas av.",
                    field="evidence",
                )
            _apply(
                session,
                item,
                ItemValues(status=status.value, evidence=evidence, comment=comment),
                path=(gate_id, checklist_id),
                by=actor,
                at=now,
                project=project,
            )
    if refusal is not None:
        raise refusal
    return item


def _apply(
    session: Session,
    item: ChecklistItem,
    wanted: ItemValues,
    *,
    path: tuple[str, str],
    by: Actor,
    at: datetime,
    project: Project,
) -> None:
    """Set the item's status, and its evidence and comment where given (None leaves them)."""
    before = _state(item)
    item.status = ItemStatus(wanted.status)
    if wanted.evidence is not None:
        item.evidence = wanted.evidence or None
    if wanted.comment is not None:
        item.comment = wanted.comment or None
    after = _state(item)
    if after == before:
        return
    assert item.id is not None
    gate_id, checklist_id = path
    change.record(
        session,
        ChecklistItemUpdated(
            object_id=f"{project.key}/{gate_id}/{checklist_id}/{item.item_id}",
            item_row=item.id,
            gate_id=gate_id,
            checklist_item=f"{checklist_id}/{item.item_id}",
            before=before,
            after=after,
        ),
        by=by,
        at=at,
        project=project,
        row=item,
    )
