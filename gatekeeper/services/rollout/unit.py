"""Units of a rollout (kommun → förvaltning → enhet): add, change, remove.

A unit always sits under a unit of a higher level (see
`gatekeeper.services.rollout.unit_rule`). A unit added without a wave takes its
parent's. Every unit gets its own copy of the workflow's unit checklists (see
`gatekeeper.services.rollout.unit_checklist`); removing a unit removes its
checklist items, and the units below it when asked. Moving a unit between
waves is `gatekeeper.services.rollout.unit_move`; listing units is
`gatekeeper.services.rollout.unit_listing`. Only the projektledare (or an
administrator) manages units.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.rollout import (
    RemovedUnit,
    UnitAdded,
    UnitAddedState,
    UnitDetails,
    UnitRemoved,
    UnitUpdated,
)
from gatekeeper.core.status import UnitKind
from gatekeeper.errors import Conflict, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.rollout import readiness_item_model as readiness_items
from gatekeeper.services.rollout import readiness_model
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.services.rollout.readiness_model import NewUnit
from gatekeeper.services.rollout.unit_checklist import (
    copy_unit_checklists,
    unit_by_key,
    unit_templates,
)
from gatekeeper.services.rollout.unit_rule import check_nesting, parse_kind, responsible_email
from gatekeeper.services.rollout.unit_tree import descendants
from gatekeeper.services.rollout.wave import rollout_key, wave_by_key
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave


def add_unit(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    key: str,
    name: str,
    kind: str | UnitKind,
    parent_key: str | None = None,
    wave_key: str | None = None,
    responsible_email: str = "",
    responsible_name: str = "",
) -> Unit:
    """Add a unit under `parent_key` in `wave_key` (or its parent's wave) with its checklists."""
    key = rollout_key(key, field="key", label="Enhetens nyckel")
    name = validation.text(name, field="name", label="Enhetens namn", max_length=300)
    unit_kind = parse_kind(kind)
    email = _responsible(responsible_email)
    person = validation.text(
        responsible_name, field="responsible_name", label="Namnet", max_length=200, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        assert project.id is not None
        if session.exec(
            select(Unit.id).where(Unit.project_id == project.id, Unit.key == key)
        ).first():
            raise Conflict(f"Det finns redan en enhet med nyckeln '{key}' i projektet.")
        parent = None
        if parent_key:
            parent = unit_by_key(session=session, project=project, key=parent_key.strip())
            problem = check_nesting(unit_kind, parent.kind)
            if problem:
                raise ValidationFailed(f"{name}: {problem}.", field="parent_key")
        wave = None
        if wave_key:
            wave = wave_by_key(session=session, project=project, key=wave_key.strip())
        elif parent is not None and parent.wave_id is not None:
            wave = session.get(Wave, parent.wave_id)
        unit = Unit(
            project_id=project.id,
            key=key,
            name=name,
            kind=unit_kind,
            parent_id=parent.id if parent else None,
            wave_id=wave.id if wave else None,
            responsible_email=email,
            responsible_name=person,
            created_at=now,
        )
        session.add(unit)
        try:
            session.flush()
        except IntegrityError:
            raise Conflict(f"Det finns redan en enhet med nyckeln '{key}' i projektet.") from None
        assert unit.id is not None
        workflow = project_workflow(session=session, project=project)
        templates = unit_templates(
            ctx, session=session, project=project, workflow=workflow, actor=actor, at=now
        )
        # Units nest at most three deep (`check_nesting`): the parent's parent is the top.
        top = unit.id
        if parent is not None:
            assert parent.id is not None
            top = parent.parent_id or parent.id
        items = copy_unit_checklists(
            session=session,
            project_id=project.id,
            units=[NewUnit(unit.id, unit.wave_id, top)],
            templates=templates,
        )
        change.record(
            session,
            UnitAdded(
                object_id=f"{project.key}/{key}",
                after=UnitAddedState(
                    key=unit.key,
                    name=unit.name,
                    kind=unit.kind.value,
                    parent=parent.key if parent else None,
                    wave=wave.key if wave else None,
                    responsible_email=unit.responsible_email,
                    responsible_name=unit.responsible_name,
                    items=items,
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return unit


def _details(unit: Unit) -> UnitDetails:
    return UnitDetails(
        name=unit.name,
        responsible_email=unit.responsible_email,
        responsible_name=unit.responsible_name,
    )


def _responsible(value: str) -> str:
    return responsible_email(value) if value else ""


def update_unit(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    unit_key: str,
    name: str | None = None,
    responsible_email: str | None = None,
    responsible_name: str | None = None,
    expected_version: int | None = None,
) -> Unit:
    """Rename a unit or name its införandeansvarig; only given fields change."""
    if name is not None:
        name = validation.text(name, field="name", label="Enhetens namn", max_length=300)
    if responsible_email is not None:
        responsible_email = _responsible(responsible_email)
    if responsible_name is not None:
        responsible_name = validation.text(
            responsible_name,
            field="responsible_name",
            label="Namnet",
            max_length=200,
            required=False,
        )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        unit = unit_by_key(session=session, project=project, key=unit_key, lock=True)
        check_version(unit.row_version, expected_version, f"Enheten {unit.name}")
        before = _details(unit)
        if name is not None:
            unit.name = name
        if responsible_email is not None:
            unit.responsible_email = responsible_email
        if responsible_name is not None:
            unit.responsible_name = responsible_name
        after = _details(unit)
        if after == before:
            return unit
        change.record(
            session,
            UnitUpdated(object_id=f"{project.key}/{unit.key}", before=before, after=after),
            by=actor,
            at=now,
            project=project,
            row=unit,
        )
        return unit


def remove_unit(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    unit_key: str,
    with_children: bool = False,
) -> list[str]:
    """Remove a unit and its checklist items (and the units below it, when asked); the keys."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        unit = unit_by_key(session=session, project=project, key=unit_key, lock=True)
        below = descendants(session=session, project=project, unit=unit)
        if below and not with_children:
            raise Conflict(
                f"{unit.name} har {len(below)} underliggande enheter; ta bort dem först "
                "eller ta bort dem tillsammans med den."
            )
        doomed = [unit, *below]
        ids = [u.id for u in doomed]
        readiness_model.drop_units(session=session, unit_ids=[i for i in ids if i is not None])
        session.execute(
            delete(UnitItem)
            .where(col(UnitItem.unit_id).in_(ids))
            .execution_options(synchronize_session=False)
        )
        # Deepest first, so no row ever points at a removed parent.
        for gone in reversed(doomed):
            session.delete(gone)
            session.flush()
        assert project.id is not None
        readiness_items.recount(session=session, project_id=project.id)
        keys = [u.key for u in doomed]
        change.record(
            session,
            UnitRemoved(
                object_id=f"{project.key}/{unit.key}",
                before=RemovedUnit(name=unit.name, kind=unit.kind.value, units=keys),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return keys
