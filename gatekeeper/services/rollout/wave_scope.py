"""The units a rollout's go-live gate is judged on, and the units each wave requires.

A wave review judges the units of that wave; the project's own review of the
gate judges the units of the waves not yet live (once every wave is live there
is nothing left to judge, and the unit criteria pass). A project without waves
has no unit scope: the unit criteria do not apply. A unit is ready when every
mandatory item of its checklists that counts (not marked not applicable) is
done, with evidence where demanded, as in the readiness review
(`gatekeeper.core.rollout.readiness`); one grouped query counts it.

The units a wave names as required (criterion `named_units_ready`) are set by
the projektledare per wave; only units in the wave can be named, and a named
unit that later leaves the wave no longer counts for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from gatekeeper.core.actor import Actor
from gatekeeper.core.criteria.base import UnitScope, UnitState
from gatekeeper.core.events.rollout import RequiredUnits, WaveRequiredUnitsChanged
from gatekeeper.core.phase_model import Gate
from gatekeeper.core.status import ItemStatus, WaveStatus
from gatekeeper.errors import Conflict, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.rollout.access import require_manager
from gatekeeper.services.rollout.wave import wave_by_key
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave
from gatekeeper.store.rollout.wave_tables import WaveRequiredUnit

UNIT_CRITERIA = frozenset({"units_ready_share", "named_units_ready"})
PROJECT_SCOPE_SV = "vågorna som inte gått i drift"


def judges_units(gate: Gate) -> bool:
    """Whether any criterion of the gate looks at units."""
    return any(getattr(c, "kind", "") in UNIT_CRITERIA for c in gate.criteria)


def _columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    return Select(*columns)


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def unit_states(*, session: Session, project_id: int, wave_ids: Sequence[int]) -> list[UnitState]:
    """Ready or not, for every unit with checklist items in the given waves (by name)."""
    if not wave_ids:
        return []
    status = col(UnitItem.status)
    mandatory = and_(col(UnitItem.mandatory).is_(True), status != ItemStatus.NOT_APPLICABLE)
    evidence = col(UnitItem.evidence)
    satisfied = and_(
        col(UnitItem.mandatory).is_(True),
        status == ItemStatus.DONE,
        or_(
            col(UnitItem.evidence_required).is_(False),
            and_(evidence.is_not(None), evidence != ""),
        ),
    )
    rows = session.exec(
        _columns(Unit.id, Unit.key, Unit.name, _count(mandatory), _count(satisfied))
        .join(UnitItem, col(UnitItem.unit_id) == col(Unit.id))
        .where(col(Unit.project_id) == project_id, col(Unit.wave_id).in_(list(wave_ids)))
        .group_by(col(Unit.id), col(Unit.key), col(Unit.name))
    ).all()
    states = [UnitState(key, name, int(done) == int(total)) for _, key, name, total, done in rows]
    return sorted(states, key=lambda s: (s.name.casefold(), s.key))


def required_of(*, session: Session, wave_ids: Iterable[int]) -> list[Unit]:
    """The units the waves require that are still in them, by name."""
    ids = list(wave_ids)
    if not ids:
        return []
    units = session.exec(
        select(Unit)
        .join(WaveRequiredUnit, col(WaveRequiredUnit.unit_id) == col(Unit.id))
        .where(
            col(WaveRequiredUnit.wave_id).in_(ids),
            col(Unit.wave_id) == col(WaveRequiredUnit.wave_id),
        )
    ).all()
    return sorted(units, key=lambda u: (u.name.casefold(), u.key))


def unit_scope(*, session: Session, project: Project, wave: Wave | None) -> UnitScope | None:
    """The units a rollout gate is judged on: `wave`'s, or (None) the not-live waves'."""
    assert project.id is not None
    if wave is not None:
        chosen, label = [wave], wave.name
    else:
        waves = session.exec(select(Wave).where(Wave.project_id == project.id)).all()
        if not waves:
            return None
        chosen = [w for w in waves if w.status is not WaveStatus.LIVE]
        label = PROJECT_SCOPE_SV
    ids = [w.id for w in chosen if w.id is not None]
    states = unit_states(session=session, project_id=project.id, wave_ids=ids)
    by_key = {state.key: state for state in states}
    # A required unit without checklist items has nothing left to do: ready.
    required = tuple(
        by_key.get(unit.key, UnitState(unit.key, unit.name, True))
        for unit in required_of(session=session, wave_ids=ids)
    )
    return UnitScope(label_sv=label, units=tuple(states), required=required)


def set_required_units(
    ctx: Context, actor: Actor, *, project_key: str, wave_key: str, unit_keys: Sequence[str]
) -> list[Unit]:
    """Name the units the wave cannot go live without (replacing the earlier list)."""
    keys = list(dict.fromkeys(key.strip() for key in unit_keys if key.strip()))
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        require_manager(session=session, project=project, actor=actor)
        wave = wave_by_key(session=session, project=project, key=wave_key, lock=True)
        assert wave.id is not None
        if wave.status is WaveStatus.LIVE:
            raise Conflict(f"{wave.name} är redan i drift; kraven kan inte ändras.")
        units = {
            u.key: u
            for u in session.exec(
                select(Unit).where(Unit.project_id == project.id, col(Unit.key).in_(keys))
            ).all()
        }
        for key in keys:
            unit = units.get(key)
            if unit is None:
                raise ValidationFailed(
                    f"Enheten '{key}' finns inte i projektet {project.name}.", field="unit_keys"
                )
            if unit.wave_id != wave.id:
                raise ValidationFailed(
                    f"{unit.name} ingår inte i {wave.name} och kan inte krävas för vågen.",
                    field="unit_keys",
                )
        rows = session.exec(
            select(WaveRequiredUnit).where(WaveRequiredUnit.wave_id == wave.id)
        ).all()
        before = sorted(u.key for u in required_of(session=session, wave_ids=[wave.id]))
        for row in rows:
            session.delete(row)
        session.flush()
        for key in keys:
            unit_id = units[key].id
            assert unit_id is not None
            session.add(WaveRequiredUnit(wave_id=wave.id, unit_id=unit_id))
        session.flush()
        after = sorted(keys)
        if after != before:
            change.record(
                session,
                WaveRequiredUnitsChanged(
                    object_id=f"{project.key}/{wave.key}",
                    before=RequiredUnits(before),
                    after=RequiredUnits(after),
                ),
                by=actor,
                at=now,
                project=project,
                row=wave,
            )
        return sorted(units.values(), key=lambda u: (u.name.casefold(), u.key))


def required_units(ctx: Context, project_key: str, wave_key: str) -> list[Unit]:
    """The units the wave names as required (those still in it), by name."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        wave = wave_by_key(session=session, project=project, key=wave_key)
        assert wave.id is not None
        return required_of(session=session, wave_ids=[wave.id])
