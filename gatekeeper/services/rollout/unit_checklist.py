"""Each unit's own cut-over checklist: copying it, reading it with deadlines, ticking one item.

When a unit is added (or imported) it gets a copy of every checklist the
workflow's gates name under `unit_checklists`, as `UnitItem` rows. A unit
item's deadline is its wave's go-live date plus the item's offset, computed
when read, so postponing a wave moves every deadline in it. The projektledare
(or an administrator) or the införandeansvarig of the unit or one above it
changes an item (evidence where it demands it). Every write locks the project
row first and keeps the readiness read model current; bulk ticks: `bulk_tick`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.checklist import ChecklistTemplate, ItemState
from gatekeeper.core.checklist import evidence_missing as core_evidence_missing
from gatekeeper.core.events.projects import ItemValues
from gatekeeper.core.events.rollout import UnitItemUpdated
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.status import ItemStatus
from gatekeeper.definitions import to_checklist
from gatekeeper.errors import NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.projects.definition_snapshot import ensure_snapshot
from gatekeeper.services.rollout import readiness_model
from gatekeeper.services.rollout.access import may_manage
from gatekeeper.store.bulk import insert_rows
from gatekeeper.store.projects.tables import DefinitionSnapshot, Project
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave

# ---------------------------------------------------------------- copying


def unit_templates(
    ctx: Context,
    *,
    session: Session,
    project: Project,
    workflow: Workflow,
    actor: Actor,
    at: datetime,
) -> list[ChecklistTemplate]:
    """The checklist templates every unit of the project gets, in gate order.

    A project keeps the version its units already use, so units added later
    get the same checklist as the first ones; the first unit takes the
    catalog's latest version and stores its snapshot.
    """
    templates: list[ChecklistTemplate] = []
    seen: set[str] = set()
    for gate in workflow.gates:
        for checklist_id in gate.unit_checklists:
            if checklist_id in seen:
                continue
            seen.add(checklist_id)
            used = session.exec(
                select(UnitItem.checklist_version)
                .where(UnitItem.project_id == project.id, UnitItem.checklist_id == checklist_id)
                .limit(1)
            ).first()
            if used is not None:
                snapshot = session.exec(
                    select(DefinitionSnapshot).where(
                        DefinitionSnapshot.kind == "checklist",
                        DefinitionSnapshot.definition_id == checklist_id,
                        DefinitionSnapshot.version == used,
                    )
                ).one_or_none()
                if snapshot is not None:
                    templates.append(
                        to_checklist(snapshot.document, content_hash=snapshot.content_hash)
                    )
                    continue
            definition = ctx.catalog.checklist_definition(checklist_id)
            ensure_snapshot(
                session=session,
                kind="checklist",
                definition_id=definition.checklist.id,
                version=definition.checklist.version,
                content_hash=definition.checklist.content_hash,
                document=definition.document,
                actor=actor,
                at=at,
            )
            templates.append(definition.checklist)
    return templates


def copy_unit_checklists(
    *,
    session: Session,
    project_id: int,
    units: Sequence[readiness_model.NewUnit],
    templates: Sequence[ChecklistTemplate],
) -> int:
    """Insert every unit's items in one bulk statement, counted into the read models; how many."""
    items: list[dict[str, Any]] = [
        {
            "project_id": project_id,
            "checklist_id": template.id,
            "checklist_version": template.version,
            "item_id": item.id,
            "position": position,
            "text": item.text,
            "category": item.category,
            "responsible": item.responsible,
            "mandatory": item.mandatory,
            "evidence_required": item.evidence_required,
            "due_offset_days": item.due.days if item.due else None,
            "status": ItemStatus.OPEN,
            "evidence": None,
            "comment": None,
            "updated_by": None,
            "updated_at": None,
            "row_version": 1,
        }
        for template in templates
        for position, item in enumerate(template.items)
    ]
    # Unit by unit, in the order given: each wave's first unit gets its lowest item ids.
    rows = [{"unit_id": unit.id, **row} for unit in units for row in items]
    if rows:
        insert_rows(session.connection(), UnitItem.__table__, rows)  # type: ignore[attr-defined]
        readiness_model.units_added(session=session, project_id=project_id, units=units, rows=items)
    return len(rows)


# ---------------------------------------------------------------- reading


def due_on(item: UnitItem, wave: Wave | None) -> date | None:
    """The item's deadline: its wave's go-live date plus the item's offset."""
    if wave is None or item.due_offset_days is None:
        return None
    return wave.go_live_on + timedelta(days=item.due_offset_days)


def item_state(item: UnitItem, wave: Wave | None) -> ItemState:
    """What readiness rules need to know of one unit item."""
    return ItemState(
        checklist_id=item.checklist_id,
        item_id=item.item_id,
        text=item.text,
        category=item.category,
        mandatory=item.mandatory,
        evidence_required=item.evidence_required,
        status=item.status,
        has_evidence=bool(item.evidence),
        due_on=due_on(item, wave),
    )


@dataclass(frozen=True)
class UnitItemView:
    """A unit item with its computed deadline."""

    row: UnitItem
    due_on: date | None

    def overdue(self, today: date) -> bool:
        return (
            self.due_on is not None and self.row.status is ItemStatus.OPEN and self.due_on < today
        )


@dataclass(frozen=True)
class UnitChecklist:
    """One unit's checklist: the unit, its wave, the units above it and its items."""

    project: Project
    unit: Unit
    wave: Wave | None
    ancestors: tuple[Unit, ...]  # from the top (kommun) down to the parent
    items: tuple[UnitItemView, ...]
    may_tick: bool
    role_names: dict[str, str] = field(default_factory=dict)  # the workflow's roles by id

    @property
    def answering_above(self) -> Unit | None:
        """The nearest unit above whose införandeansvarig answers for this unit, when it
        names none of its own (a förvaltning's or kommun's answers for its enheter)."""
        if self.unit.responsible_email or self.unit.responsible_name:
            return None
        for above in reversed(self.ancestors):
            if above.responsible_email or above.responsible_name:
                return above
        return None

    def by_category(self) -> list[tuple[str, list[UnitItemView]]]:
        """The items grouped under their categories, in checklist order."""
        grouped: dict[str, list[UnitItemView]] = {}
        for view in self.items:
            grouped.setdefault(view.row.category, []).append(view)
        return list(grouped.items())


def unit_by_key(*, session: Session, project: Project, key: str, lock: bool = False) -> Unit:
    """The project's unit `key`; NotFound otherwise."""
    statement = select(Unit).where(Unit.project_id == project.id, Unit.key == key)
    if lock:
        statement = statement.with_for_update()
    unit = session.exec(statement).one_or_none()
    if unit is None:
        raise NotFound(f"Enheten '{key}' finns inte i projektet {project.name}.")
    return unit


def ancestors_of(*, session: Session, unit: Unit) -> list[Unit]:
    """The units above `unit`, from the top down."""
    chain: list[Unit] = []
    seen = {unit.id}
    parent_id = unit.parent_id
    while parent_id is not None and parent_id not in seen:
        parent = session.get(Unit, parent_id)
        if parent is None:
            break
        seen.add(parent_id)
        chain.append(parent)
        parent_id = parent.parent_id
    return list(reversed(chain))


def _may_tick(*, session: Session, project: Project, actor: Actor, chain: Sequence[Unit]) -> bool:
    if any(u.responsible_email and u.responsible_email == actor.id for u in chain):
        return True
    return may_manage(session=session, project=project, actor=actor)


def unit_checklist(
    ctx: Context, project_key: str, unit_key: str, *, viewer: Actor | None = None
) -> UnitChecklist:
    """One unit's checklist items in order, with deadlines from its wave (and, for
    `viewer`, whether they may tick them): everything the unit page shows."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        unit = unit_by_key(session=session, project=project, key=unit_key)
        wave = session.get(Wave, unit.wave_id) if unit.wave_id is not None else None
        ancestors = ancestors_of(session=session, unit=unit)
        rows = session.exec(
            select(UnitItem)
            .where(UnitItem.unit_id == unit.id)
            .order_by(col(UnitItem.checklist_id), col(UnitItem.position))
        ).all()
        may_tick = viewer is not None and _may_tick(
            session=session, project=project, actor=viewer, chain=[unit, *ancestors]
        )
        return UnitChecklist(
            project=project,
            unit=unit,
            wave=wave,
            ancestors=tuple(ancestors),
            items=tuple(UnitItemView(row, due_on(row, wave)) for row in rows),
            may_tick=may_tick,
            role_names={
                role.id: role.name
                for role in project_workflow(session=session, project=project).roles
            },
        )


def unit_item_ids(ctx: Context, project_key: str) -> list[tuple[str, str, str]]:
    """The distinct (checklist id, item id, text) of the project's unit items, in order."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return unit_item_ids_in(session=session, project=project)


def unit_item_ids_in(*, session: Session, project: Project) -> list[tuple[str, str, str]]:
    """`unit_item_ids` inside the caller's transaction."""
    rows = session.exec(
        select(UnitItem.checklist_id, UnitItem.item_id, UnitItem.text, UnitItem.position)
        .where(UnitItem.project_id == project.id)
        .distinct()
        .order_by(col(UnitItem.checklist_id), col(UnitItem.position))
    ).all()
    seen: dict[tuple[str, str], str] = {}
    for checklist_id, item_id, text, _ in rows:
        seen.setdefault((checklist_id, item_id), text)
    return [(c, i, t) for (c, i), t in seen.items()]


# ---------------------------------------------------------------- ticking one item


def clean_texts(evidence: str | None, comment: str | None) -> tuple[str | None, str | None]:
    """Evidence and comment trimmed and checked for length (None stays None)."""
    if evidence is not None:
        evidence = validation.text(
            evidence, field="evidence", label="Underlaget", max_length=2000, required=False
        )
    if comment is not None:
        comment = validation.text(
            comment, field="comment", label="Kommentaren", max_length=4000, required=False
        )
    return evidence, comment


def _item_of(
    *, session: Session, unit: Unit, item_id: str, checklist_id: str | None, lock: bool
) -> UnitItem:
    statement = select(UnitItem).where(UnitItem.unit_id == unit.id, UnitItem.item_id == item_id)
    if checklist_id is not None:
        statement = statement.where(UnitItem.checklist_id == checklist_id)
    if lock:
        statement = statement.with_for_update()
    found = session.exec(statement).all()
    if not found:
        raise NotFound(f"Punkten '{item_id}' finns inte i checklistan för enheten {unit.name}.")
    if len(found) > 1:
        raise ValidationFailed(
            f"Punkten '{item_id}' finns i flera checklistor för enheten; ange checklist_id.",
            field="checklist_id",
        )
    return found[0]


def evidence_missing(item: UnitItem, status: ItemStatus, evidence: str | None) -> bool:
    """Whether setting `status` would leave an item that demands evidence without any."""
    return core_evidence_missing(
        status=status,
        evidence_required=item.evidence_required,
        evidence=evidence,
        stored=item.evidence,
    )


def _state(item: UnitItem) -> ItemValues:
    return ItemValues(status=item.status.value, evidence=item.evidence, comment=item.comment)


def update_unit_item(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    unit_key: str,
    item_id: str,
    status: ItemStatus,
    evidence: str | None = None,
    comment: str | None = None,
    checklist_id: str | None = None,
    expected_version: int | None = None,
) -> UnitItem:
    """Tick, untick or set N/A one item of one unit (evidence where the item demands it)."""
    status = ItemStatus(status)
    evidence, comment = clean_texts(evidence, comment)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        unit = unit_by_key(session=session, project=project, key=unit_key)
        chain = [unit, *ancestors_of(session=session, unit=unit)]
        if not _may_tick(session=session, project=project, actor=actor, chain=chain):
            raise PermissionDenied(
                f"{actor.id} är inte införandeansvarig för {unit.name} (eller en enhet över den) "
                "och inte projektledare."
            )
        item = _item_of(
            session=session, unit=unit, item_id=item_id, checklist_id=checklist_id, lock=True
        )
        check_version(item.row_version, expected_version, f"Punkten '{item.text}'")
        if evidence_missing(item, status, evidence):
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
        was = ItemStatus(before.status)
        readiness_model.ticked(session=session, item=item, wave_id=unit.wave_id, before=was)
        change.record(
            session,
            UnitItemUpdated(
                object_id=f"{project.key}/{unit.key}/{item.checklist_id}/{item.item_id}",
                before=before,
                after=after,
            ),
            by=actor,
            at=now,
            project=project,
            row=item,
        )
        return item
