"""The unit × category counts of a rollout readiness review, and the items lacking evidence.

The day-free counts per unit × category are the read model's stored cells
(`gatekeeper.services.rollout.readiness_model`, 10,000 for 49 kommuner × 20
units × 40 items): no count over 45,000 item states on a read. What depends on
the day is counted from the items it concerns: open mandatory items past
their deadline, and mandatory items done in the last PACE_WEEKS weeks. Only
the few items done without the evidence they demand are read from the table,
and moved from satisfied to lacking. A deadline is the wave's go-live date plus
the item's offset, so "overdue" is an offset below a per-wave bound (a CASE on
the unit's wave): no date arithmetic in SQL, the same on SQLite and
PostgreSQL. The summary path sums the cells per unit and per kommun × category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, case, false, func, or_, text
from sqlmodel import Session, col

from gatekeeper.core.rollout.forecast import (
    PACE_WEEKS,
)
from gatekeeper.core.rollout.rows import (
    CellCounts,
    UnitRow,
    WaveRow,
)
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.rollout import readiness_model
from gatekeeper.services.rollout.readiness_scope import select_columns
from gatekeeper.store.rollout.unit_tables import DONE_MANDATORY, LACKING_EVIDENCE, Unit, UnitItem


def evidence_missing() -> ColumnElement[bool]:
    """No evidence given; writes trim it, so blank is ''."""
    evidence = col(UnitItem.evidence)
    return or_(evidence.is_(None), evidence == "")


def past_due(waves: Sequence[WaveRow], today: date) -> ColumnElement[bool]:
    """An item's deadline (its wave's go-live plus its offset) is before `today`: the offset
    is below a per-wave bound, so no date arithmetic in SQL (the same on both databases)."""
    if not waves:
        return false()
    bound = case({w.id: (today - w.go_live_on).days for w in waves}, value=col(Unit.wave_id))
    return col(UnitItem.due_offset_days) < bound


Cell = tuple[int, str, int, int, int, int, int, int, int]


def cell_rows(
    session: Session,
    project_id: int,
    now: datetime,
    today: date,
    waves: Sequence[WaveRow],
    units: set[int] | None,
) -> list[Cell]:
    """Unit × category, of `units` (None: every unit): id, category, total, done, mandatory,
    mandatory done, mandatory done recently, overdue, the category's first position.

    The day-free counts are the read model's stored cells (`readiness_model`); what depends
    on the day is counted from the items it concerns (open mandatory items past their
    deadline, mandatory items done in the last PACE_WEEKS weeks) through narrow indexes."""
    few = units is not None and len(units) <= 200
    ids = sorted(units) if few and units is not None else None
    late = overdue_cells(session, project_id, today, waves, ids)
    recent = recent_cells(session, project_id, now, ids)
    found: list[Cell] = []
    for uid, category, t, d, m, s, pos in readiness_model.cells_of(session, project_id, ids):
        if units is not None and uid not in units:
            continue
        key = (uid, category)
        found.append((uid, category, t, d, m, s, recent.get(key, 0), late.get(key, 0), pos))
    return found


def overdue_cells(
    session: Session,
    project_id: int,
    today: date,
    waves: Sequence[WaveRow],
    ids: list[int] | None,
) -> dict[tuple[int, str], int]:
    """Open mandatory items past their deadline, per unit × category."""
    if not waves:
        return {}
    bound = max((today - w.go_live_on).days for w in waves)
    statement = (
        select_columns(col(UnitItem.unit_id), col(UnitItem.category), func.count())
        .select_from(UnitItem)
        .join(Unit, col(Unit.id) == col(UnitItem.unit_id))
        .where(
            _of(project_id, ids),
            col(UnitItem.status) == ItemStatus.OPEN,
            col(UnitItem.due_offset_days) < bound,
            col(UnitItem.mandatory).is_(True),
            past_due(waves, today),
        )
        .group_by(col(UnitItem.unit_id), col(UnitItem.category))
    )
    return {(u, c): n for u, c, n in session.connection().execute(statement)}


def _of(project_id: int, ids: list[int] | None) -> ColumnElement[bool]:
    """The project's items, or those of a few units (reached through the units' index, not
    through every item of the project)."""
    if ids is None:
        return col(UnitItem.project_id) == project_id
    return col(UnitItem.unit_id).in_(ids)


def recent_cells(
    session: Session, project_id: int, now: datetime, ids: list[int] | None
) -> dict[tuple[int, str], int]:
    """Mandatory items done in the last PACE_WEEKS weeks, per unit × category."""
    statement = (
        select_columns(col(UnitItem.unit_id), col(UnitItem.category), func.count())
        .where(
            _of(project_id, ids),
            col(UnitItem.updated_at) > now - timedelta(weeks=PACE_WEEKS),
            text(DONE_MANDATORY),  # in the words of the partial index ix_unit_item_done_recent
        )
        .group_by(col(UnitItem.unit_id), col(UnitItem.category))
    )
    return {(u, c): n for u, c, n in session.connection().execute(statement)}


def cell_counts(rows: Sequence[Cell]) -> list[CellCounts]:
    """The rows of `cell_rows` as cells (mandatory done counted as satisfied: `with_lacking`
    takes off those without the evidence they demand)."""
    return [
        CellCounts(uid, category, t, d, m, s, 0, o, r, pos)
        for uid, category, t, d, m, s, r, o, pos in rows
    ]


def units_ready(session: Session, project_id: int) -> tuple[int, int]:
    """(units ready, units with items) of the whole project, by the review's definition: the
    read model's cells summed per unit by the database, the items done without the
    evidence they demand taken off as in `summed`."""
    short = dict(readiness_model.short_per_unit(session, project_id))
    for item in lacking_items(session, project_id, (None, None)):
        if item.mandatory and item.unit_id in short:
            short[item.unit_id] += 1
    return sum(1 for left in short.values() if left == 0), len(short)


def summed(
    rows: Sequence[Cell],
    tops: dict[int, UnitRow],
    lacking: Sequence[Lacking],
) -> tuple[dict[int, list[int]], dict[int, dict[str, list[int]]], list[str]]:
    """The unit × category rows summed as they stream, without a record per cell: per
    unit, per kommun × category (as `build_summary` takes them), and the categories in
    checklist order; the mandatory items done without evidence moved to lacking."""
    units: dict[int, list[int]] = {}
    kommuner: dict[int, dict[str, list[int]]] = {}
    first: dict[str, int] = {}
    for uid, category, t, d, m, s, r, o, pos in rows:
        unit = units.get(uid)
        if unit is None:
            units[uid] = [t, d, m, s, 0, o, r]
        else:
            unit[0] += t
            unit[1] += d
            unit[2] += m
            unit[3] += s
            unit[5] += o
            unit[6] += r
        kid = tops[uid].id
        row = kommuner.get(kid)
        if row is None:
            row = kommuner[kid] = {}
        cell = row.get(category)
        if cell is None:
            row[category] = [t, d, m, s, 0, o, r, pos]
        else:
            cell[0] += t
            cell[1] += d
            cell[2] += m
            cell[3] += s
            cell[5] += o
            cell[6] += r
            if pos < cell[7]:
                cell[7] = pos
        if pos < first.get(category, pos + 1):
            first[category] = pos
    for item in lacking:
        if item.mandatory and item.unit_id in units:
            for sums in (units[item.unit_id], kommuner[tops[item.unit_id].id][item.category]):
                sums[3] -= 1
                sums[4] += 1
    return units, kommuner, sorted(first, key=lambda category: (first[category], category))


class Lacking(NamedTuple):
    """One item done without the evidence it demands (a named tuple: hundreds per review,
    made straight from the rows)."""

    unit_id: int
    category: str
    wave_id: int | None
    checklist_id: str
    item_id: str
    mandatory: bool
    due_offset_days: int | None
    id: int


def lacking_items(
    session: Session, project_id: int, scope: tuple[WaveRow | None, list[int] | None]
) -> list[Lacking]:
    """Items done without the evidence they demand: few rows, through the partial index
    `ix_unit_item_lacking` (its condition, `LACKING_EVIDENCE`, in the same words)."""
    statement = (
        select_columns(
            UnitItem.unit_id,
            UnitItem.category,
            Unit.wave_id,
            UnitItem.checklist_id,
            UnitItem.item_id,
            UnitItem.mandatory,
            UnitItem.due_offset_days,
            UnitItem.id,
        )
        .select_from(UnitItem)
        .join(Unit, col(Unit.id) == col(UnitItem.unit_id))
        .where(col(UnitItem.project_id) == project_id, text(LACKING_EVIDENCE))
    )
    wave, ids = scope
    if wave is not None:
        statement = statement.where(col(Unit.wave_id) == wave.id)
    if ids is not None:
        statement = statement.where(col(Unit.id).in_(ids))
    return [Lacking._make(row) for row in session.connection().execute(statement)]


def with_lacking(cells: list[CellCounts], lacking: Sequence[Lacking]) -> list[CellCounts]:
    """Cells with the mandatory items done without evidence moved from satisfied to lacking."""
    per_cell: dict[tuple[int, str], int] = defaultdict(int)
    for row in lacking:
        if row.mandatory:
            per_cell[row.unit_id, row.category] += 1
    if not per_cell:
        return cells
    return [
        replace(
            cell,
            mandatory_satisfied=cell.mandatory_satisfied - n,
            lacking_evidence=n,
        )
        if (n := per_cell.get((cell.unit_id, cell.category), 0))
        else cell
        for cell in cells
    ]


def category_order(cells: Sequence[CellCounts]) -> list[str]:
    first: dict[str, int] = {}
    for cell in cells:
        if cell.position < first.get(cell.category, cell.position + 1):
            first[cell.category] = cell.position
    return sorted(first, key=lambda category: (first[category], category))
