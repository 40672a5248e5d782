"""Ticking the same checklist item for many units at once (e.g. "utbildning genomförd").

Each unit is judged on its own: refused with a reason (unknown, lacking the
item, not the caller's to tick, evidence missing), already so, or changed. The
changes are made in one transaction with a few set-based UPDATE statements and
one audit event listing the units, so a thousand units take a fraction of a
second. The project row is locked first, like every other tick: two bulk ticks,
or a bulk tick and a single tick, on one project are serialised, and the later
one sees what the earlier one did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, String, bindparam, literal_column, null, or_, union_all, update
from sqlalchemy import select as core_select
from sqlmodel import col

from gatekeeper.core.actor import Actor, ActorKind
from gatekeeper.core.checklist import evidence_missing as core_evidence_missing
from gatekeeper.core.events.rollout import BulkTick, UnitItemsBulkUpdated
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import require_active
from gatekeeper.services.projects.standing import locked_with_standing
from gatekeeper.services.rollout import readiness_item_model as readiness_items
from gatekeeper.services.rollout import readiness_model
from gatekeeper.services.rollout.access import manages, responsible_chain
from gatekeeper.services.rollout.readiness_item_model import ItemKey
from gatekeeper.services.rollout.unit_checklist import clean_texts
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem

_CHUNK = 500  # ids per IN (…) list: well below every driver's bound-parameter limit
MAX_UNITS = 10_000


# Built once: the project's rows of one item (of one checklist, when named) and every
# unit of the project, in one statement of two plain index scans (UNION ALL; a join
# of the two let SQLite read the item's thousand rows once per unit). An item row has
# its `id`; a unit row has none, and comes in the order of the units' ids (as the tree
# was read before).
_ITEM_ROWS = core_select(
    col(UnitItem.unit_id),
    null().label("key"),
    null().label("parent_id"),
    null().label("responsible_email"),
    null().label("wave_id"),
    col(UnitItem.id),
    col(UnitItem.status),
    col(UnitItem.evidence),
    col(UnitItem.comment),
    col(UnitItem.evidence_required),
    col(UnitItem.category),
    col(UnitItem.mandatory),
    col(UnitItem.checklist_id),
    col(UnitItem.due_offset_days),
).where(
    col(UnitItem.project_id) == bindparam("project_id"),
    col(UnitItem.item_id) == bindparam("item_id"),
    or_(
        bindparam("checklist_id", type_=String).is_(None),
        col(UnitItem.checklist_id) == bindparam("checklist_id", type_=String),
    ),
)
_UNIT_ROWS = core_select(
    col(Unit.id),
    col(Unit.key),
    col(Unit.parent_id),
    col(Unit.responsible_email),
    col(Unit.wave_id),
    null(),
    null(),
    null(),
    null(),
    null(),
    null(),
    null(),
    null(),
    null(),
).where(col(Unit.project_id) == bindparam("project_id"))
_ITEM_AND_TREE: Executable = union_all(_ITEM_ROWS, _UNIT_ROWS).order_by(
    literal_column("unit_id"), literal_column("id")
)


@dataclass(frozen=True)
class UnitRefusal:
    """A unit a bulk tick left alone, and why."""

    unit_key: str
    reason: str


@dataclass(frozen=True)
class BulkResult:
    """What a bulk tick did for each unit asked for."""

    item_id: str
    status: ItemStatus
    done: tuple[str, ...]  # changed now
    already: tuple[str, ...]  # had that status (and evidence) already
    refused: tuple[UnitRefusal, ...]


def bulk_update_items(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    item_id: str,
    unit_keys: Sequence[str],
    status: ItemStatus,
    evidence: str | None = None,
    comment: str | None = None,
    checklist_id: str | None = None,
    with_units_below: bool = False,
) -> BulkResult:
    """Set one item to `status` for many units at once, each unit judged on its own.

    `with_units_below`: a kommun or förvaltning asked for brings every unit below
    it (in tree order), so one action ticks the item for a whole kommun.

    A unit is refused (with a reason) when it does not exist, lacks the item,
    the caller is neither projektledare nor införandeansvarig of it or a unit
    above it, or the item needs evidence that neither the call nor the item
    has. The rest change in one transaction. Racing another tick of the same
    project, this waits for the project lock and then sees the other's result:
    units it already set are reported as `already`, never written twice.
    """
    status = ItemStatus(status)
    evidence, comment = clean_texts(evidence, comment)
    keys = list(dict.fromkeys(key.strip() for key in unit_keys if key.strip()))
    if not keys:
        raise ValidationFailed("Välj minst en enhet.", field="unit_keys")
    if len(keys) > MAX_UNITS:
        raise ValidationFailed("Högst 10 000 enheter åt gången.", field="unit_keys")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        # One statement: the project, locked, with the actor's roles and admin flag.
        project, standing = locked_with_standing(session=session, key=project_key, actor=actor)
        require_active(project)
        manager = actor.kind is ActorKind.SYSTEM or manages(standing)
        # The whole unit tree with each unit's rows of the item, in one statement (columns,
        # not ORM objects: a rollout's item is a thousand rows); ancestors are found in
        # memory.
        tree: list[tuple[int, str, int | None, str]] = []
        items: dict[int, list[Any]] = {}
        wave_of: dict[int, int | None] = {}
        for row in session.execute(
            _ITEM_AND_TREE,
            {"project_id": project.id, "item_id": item_id, "checklist_id": checklist_id},
        ):
            if row.id is None:
                tree.append((row.unit_id, row.key, row.parent_id, row.responsible_email))
                wave_of[row.unit_id] = row.wave_id
            else:
                items.setdefault(row.unit_id, []).append(row)
        by_key: dict[str, int] = {}
        parents: dict[int, int | None] = {}
        responsible: dict[int, str] = {}
        for node, key, parent, email in tree:
            by_key[key], parents[node], responsible[node] = node, parent, email
        if with_units_below:
            keys = _with_units_below(keys, tree, by_key)
        if not items:
            raise NotFound(f"Punkten '{item_id}' finns inte i enheternas checklistor.")

        done: list[str] = []
        already: list[str] = []
        refused: list[UnitRefusal] = []
        changing: list[int] = []
        shifts: list[tuple[int, str, ItemStatus, bool, ItemStatus]] = []
        moved: list[tuple[ItemKey, ItemStatus, ItemStatus]] = []
        for key in keys:
            unit_id = by_key.get(key)
            if unit_id is None:
                refused.append(UnitRefusal(key, "Enheten finns inte i projektet."))
                continue
            rows = items.get(unit_id, [])
            if not rows:
                refused.append(UnitRefusal(key, f"Enheten har ingen punkt '{item_id}'."))
                continue
            if len(rows) > 1:
                refused.append(
                    UnitRefusal(key, f"Punkten '{item_id}' finns i flera checklistor; ange lista.")
                )
                continue
            row = rows[0]
            if not manager and actor.id not in responsible_chain(
                unit_id, parents=parents, responsible=responsible
            ):
                refused.append(
                    UnitRefusal(
                        key, "Du är inte införandeansvarig för enheten eller en enhet över den."
                    )
                )
                continue
            if core_evidence_missing(
                status=status,
                evidence_required=row.evidence_required,
                evidence=evidence,
                stored=row.evidence,
            ):
                refused.append(UnitRefusal(key, "Punkten kräver underlag, och inget är angivet."))
                continue
            if (
                row.status is status
                and (evidence is None or (evidence or None) == row.evidence)
                and (comment is None or (comment or None) == row.comment)
            ):
                already.append(key)
                continue
            assert row.id is not None
            changing.append(row.id)
            shifts.append((unit_id, row.category, row.status, row.mandatory, status))
            what = (wave_of[unit_id], row.checklist_id, item_id, row.category, row.mandatory)
            moved.append(((*what, row.due_offset_days, row.evidence_required), row.status, status))
            done.append(key)

        values: dict[str, Any] = {
            "status": status,
            "updated_by": str(actor),
            "updated_at": now,
            "row_version": col(UnitItem.row_version) + 1,
        }
        if evidence is not None:
            values["evidence"] = evidence or None
        if comment is not None:
            values["comment"] = comment or None
        for start in range(0, len(changing), _CHUNK):
            session.execute(
                update(UnitItem)
                .where(col(UnitItem.id).in_(changing[start : start + _CHUNK]))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        readiness_model.shift(session=session, changes=shifts)
        assert project.id is not None
        readiness_items.shift(session=session, project_id=project.id, changes=moved)
        result = BulkResult(
            item_id=item_id,
            status=status,
            done=tuple(done),
            already=tuple(already),
            refused=tuple(refused),
        )
        if done:
            change.record(
                session,
                UnitItemsBulkUpdated(
                    object_id=f"{project.key}/*/{item_id}",
                    after=BulkTick(
                        item_id=item_id,
                        status=status.value,
                        evidence=evidence,
                        comment=comment,
                        units=done,
                        refused=[r.unit_key for r in refused],
                    ),
                ),
                by=actor,
                at=now,
                project=project,
            )
        return result


def _with_units_below(keys: list[str], tree: Sequence[Any], by_key: dict[str, int]) -> list[str]:
    """`keys`, each followed by the units below it (depth first, in the tree's order)."""
    children: dict[int | None, list[tuple[int, str]]] = {}
    for unit_id, key, parent, _ in tree:
        children.setdefault(parent, []).append((unit_id, key))
    out: dict[str, None] = {}
    for key in keys:
        if key not in by_key:
            out.setdefault(key)  # unknown: refused below, by its key
            continue
        stack = [(by_key[key], key)]
        while stack:
            unit_id, unit_key = stack.pop()
            out.setdefault(unit_key)
            stack.extend(reversed(children.get(unit_id, [])))
    return list(out)
