"""Units of a rollout (kommun → förvaltning → enhet): add, change, move between waves, remove, list.

Units nest: a kommun holds förvaltningar, which hold enheter (an enhet may
also sit directly under a kommun); a unit always sits under a unit of a higher
level, so the tree can have no cycles. A unit added without a wave takes its
parent's. Every unit gets its own copy of the workflow's unit checklists (see
`gatekeeper.services.rollout.unit_checklist`).

Moving a unit to a later wave postpones its go-live: it is a recorded decision
with a motivation, and its audit event names the wave before and after and who
decided. Units below it that were in the same wave follow it. Only the
projektledare (or an administrator) manages units.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.rollout import (
    RemovedUnit,
    UnitAdded,
    UnitAddedState,
    UnitDetails,
    UnitMove,
    UnitMoved,
    UnitPlace,
    UnitRemoved,
    UnitUpdated,
)
from gatekeeper.core.status import ItemStatus, UnitKind
from gatekeeper.errors import Conflict, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.lookup import check_version, project_by_key, require_active
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.services.rollout.unit_checklist import (
    ancestors_of,
    copy_unit_checklists,
    unit_by_key,
    unit_templates,
)
from gatekeeper.services.rollout.wave import rollout_key, wave_by_key, waves_in
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave

LEVEL = {UnitKind.KOMMUN: 0, UnitKind.FORVALTNING: 1, UnitKind.ENHET: 2}
KIND_LABEL_SV = {
    UnitKind.KOMMUN: "Kommun",
    UnitKind.FORVALTNING: "Förvaltning",
    UnitKind.ENHET: "Enhet",
}
_KIND_WORDS = {
    "kommun": UnitKind.KOMMUN,
    "forvaltning": UnitKind.FORVALTNING,
    "förvaltning": UnitKind.FORVALTNING,
    "enhet": UnitKind.ENHET,
}


def parse_kind(value: str | UnitKind) -> UnitKind:
    """kommun, förvaltning (or forvaltning) or enhet, in any case."""
    kind = _KIND_WORDS.get(str(value).strip().lower())
    if kind is None:
        raise ValidationFailed(
            f"'{value}' är ingen enhetstyp; skriv kommun, förvaltning eller enhet.", field="kind"
        )
    return kind


def check_nesting(child: UnitKind, parent: UnitKind | None) -> str | None:
    """Why `child` cannot sit under `parent` (None when it can)."""
    if parent is None:
        return None
    if LEVEL[child] <= LEVEL[parent]:
        return (
            f"en {KIND_LABEL_SV[child].lower()} kan inte ligga under en "
            f"{KIND_LABEL_SV[parent].lower()} (kommun → förvaltning → enhet)"
        )
    return None


def responsible_email(value: str, *, field: str = "responsible_email") -> str:
    """An införandeansvarig's e-mail (empty when none is named yet)."""
    return validation.email(value, field=field) if value.strip() else ""


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
        items = copy_unit_checklists(
            session=session, project_id=project.id, unit_ids=[unit.id], templates=templates
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


def _descendants(*, session: Session, project: Project, unit: Unit) -> list[Unit]:
    """Every unit below `unit`, parents before children."""
    rows = session.exec(select(Unit).where(Unit.project_id == project.id)).all()
    children: dict[int | None, list[Unit]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    found: list[Unit] = []
    frontier = [unit.id]
    while frontier:
        current = frontier.pop(0)
        for child in children.get(current, []):
            found.append(child)
            frontier.append(child.id)
    return found


def move_unit(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    unit_key: str,
    wave_key: str,
    motivation: str = "",
    expected_version: int | None = None,
) -> Unit:
    """Move a unit (and the units below it in the same wave) to another wave.

    A move to a wave that goes live later postpones the unit's driftstart: a
    decision that needs a motivation, recorded with who decided.
    """
    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        unit = unit_by_key(session=session, project=project, key=unit_key, lock=True)
        check_version(unit.row_version, expected_version, f"Enheten {unit.name}")
        target = wave_by_key(session=session, project=project, key=wave_key.strip())
        current = session.get(Wave, unit.wave_id) if unit.wave_id is not None else None
        if current is not None and current.id == target.id:
            return unit
        later = current is not None and target.go_live_on > current.go_live_on
        if later and not motivation:
            raise ValidationFailed(
                f"Att flytta {unit.name} till en senare våg skjuter upp driftstarten; "
                "skriv en motivering till beslutet.",
                field="motivation",
            )
        followers = [
            child
            for child in _descendants(session=session, project=project, unit=unit)
            if child.wave_id == unit.wave_id
        ]
        for moved in (unit, *followers):
            moved.wave_id = target.id
        change.record(
            session,
            UnitMoved(
                object_id=f"{project.key}/{unit.key}",
                before=UnitPlace(
                    wave=current.key if current else None,
                    go_live_on=current.go_live_on.isoformat() if current else None,
                ),
                after=UnitMove(
                    wave=target.key,
                    go_live_on=target.go_live_on.isoformat(),
                    later=later,
                    motivation=motivation or None,
                    decided_by=str(actor),
                    units=[unit.key, *(child.key for child in followers)],
                ),
            ),
            by=actor,
            at=now,
            project=project,
            row=[unit, *followers],
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
        below = _descendants(session=session, project=project, unit=unit)
        if below and not with_children:
            raise Conflict(
                f"{unit.name} har {len(below)} underliggande enheter; ta bort dem först "
                "eller ta bort dem tillsammans med den."
            )
        doomed = [unit, *below]
        ids = [u.id for u in doomed]
        session.execute(
            delete(UnitItem)
            .where(col(UnitItem.unit_id).in_(ids))
            .execution_options(synchronize_session=False)
        )
        # Deepest first, so no row ever points at a removed parent.
        for gone in reversed(doomed):
            session.delete(gone)
            session.flush()
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


@dataclass(frozen=True)
class UnitRow:
    """A unit in tree order, with what a list shows next to it."""

    unit: Unit
    depth: int
    parent_key: str | None
    wave_key: str | None
    items_done: int
    items_total: int  # not counting items marked not applicable


@dataclass(frozen=True)
class WaveGroup:
    """A wave with its units in tree order (wave None: units not yet in a wave)."""

    wave: Wave | None
    units: tuple[UnitRow, ...]


def _rows(*, session: Session, project: Project) -> list[UnitRow]:
    units = session.exec(
        select(Unit).where(Unit.project_id == project.id).order_by(col(Unit.name), col(Unit.id))
    ).all()
    waves = {w.id: w.key for w in waves_in(session=session, project=project)}
    counts: dict[int, list[int]] = {}
    for unit_id, status, number in session.exec(
        select(UnitItem.unit_id, UnitItem.status, func.count())
        .where(UnitItem.project_id == project.id)
        .group_by(col(UnitItem.unit_id), col(UnitItem.status))
    ).all():
        done_total = counts.setdefault(unit_id, [0, 0])
        if status is not ItemStatus.NOT_APPLICABLE:
            done_total[1] += number
        if status is ItemStatus.DONE:
            done_total[0] += number
    by_id = {u.id: u for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent, []).append(unit)
    rows: list[UnitRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            done, total = counts.get(unit.id or 0, [0, 0])
            rows.append(
                UnitRow(
                    unit=unit,
                    depth=depth,
                    parent_key=by_id[unit.parent_id].key if unit.parent_id in by_id else None,
                    wave_key=waves.get(unit.wave_id),
                    items_done=done,
                    items_total=total,
                )
            )
            walk(unit.id, depth + 1)

    walk(None, 0)
    return rows


def list_units(ctx: Context, project_key: str, *, wave_key: str | None = None) -> list[UnitRow]:
    """The project's units in tree order (kommun, its förvaltningar, their enheter…)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        if wave_key is not None:
            wave_by_key(session=session, project=project, key=wave_key)
        rows = _rows(session=session, project=project)
        if wave_key is not None:
            rows = [row for row in rows if row.wave_key == wave_key]
        return rows


def units_by_wave(ctx: Context, project_key: str) -> list[WaveGroup]:
    """Each wave in order with its units in tree order; units without a wave come last."""
    with ctx.db.read() as session:
        return wave_groups_in(
            session=session, project=project_by_key(session=session, key=project_key)
        )


def wave_groups_in(*, session: Session, project: Project) -> list[WaveGroup]:
    """`units_by_wave` inside the caller's transaction."""
    waves = waves_in(session=session, project=project)
    rows = _rows(session=session, project=project)
    groups = [
        WaveGroup(wave, tuple(row for row in rows if row.wave_key == wave.key)) for wave in waves
    ]
    loose = tuple(row for row in rows if row.wave_key is None)
    if loose:
        groups.append(WaveGroup(None, loose))
    return groups


def get_unit(ctx: Context, project_key: str, unit_key: str) -> UnitRow:
    """One unit with its parent, wave, depth and progress."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        unit = unit_by_key(session=session, project=project, key=unit_key)
        ancestors = ancestors_of(session=session, unit=unit)
        wave = session.get(Wave, unit.wave_id) if unit.wave_id is not None else None
        done = total = 0
        for status, number in session.exec(
            select(UnitItem.status, func.count())
            .where(UnitItem.unit_id == unit.id)
            .group_by(col(UnitItem.status))
        ).all():
            if status is not ItemStatus.NOT_APPLICABLE:
                total += number
            if status is ItemStatus.DONE:
                done += number
        return UnitRow(
            unit=unit,
            depth=len(ancestors),
            parent_key=ancestors[-1].key if ancestors else None,
            wave_key=wave.key if wave else None,
            items_done=done,
            items_total=total,
        )
