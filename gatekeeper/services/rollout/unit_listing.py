"""The listing of a rollout's units: each unit in tree order with its wave and progress.

Read use cases for lists and pages: the project's units in tree order (a
kommun, its förvaltningar, their enheter), optionally of one wave; the units
grouped by wave; and one unit with its parent, wave, depth and how many of its
checklist items are done (items marked not applicable not counted).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout.unit_checklist import (
    ancestors_of,
    unit_by_key,
)
from gatekeeper.services.rollout.wave import wave_by_key, waves_in
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave


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
