"""The unit × category counts of a rollout readiness review, and the items lacking evidence.

One pass over the covering index groups unit × category (10,000 cells for 49
kommuner × 20 units × 40 items, overdue items included); only the few items
done without the evidence they demand are read from the table, and moved from
satisfied to lacking. A deadline is the wave's go-live date plus the item's
offset, so "overdue" is an offset below a per-wave bound (a CASE on the unit's
wave): no date arithmetic in SQL, the same on SQLite and PostgreSQL. The
summary path sums the cells as they stream, per unit and per kommun × category.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, func, or_
from sqlmodel import Session, col
from sqlmodel.sql.expression import Select

from gatekeeper.core.rollout.forecast import (
    PACE_WEEKS,
)
from gatekeeper.core.rollout.rows import (
    CellCounts,
    UnitRow,
    WaveRow,
)
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.rollout.readiness_scope import select_columns, units_in_scope
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem


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


def cell_counts(
    session: Session,
    project_id: int,
    now: datetime,
    today: date,
    waves: Sequence[WaveRow],
    scope: tuple[WaveRow | None, list[int] | None],
) -> list[CellCounts]:
    """Unit × category counts in one pass over the covering index `ix_unit_item_review`.
    Mandatory items done count as satisfied here; `lacking_items` takes off those without the
    evidence they demand (that needs the evidence text, which the index does not hold)."""
    return [
        CellCounts(uid, category, t, d, m, s, 0, o, r, pos)
        for uid, category, t, d, m, s, r, o, pos in session.exec(
            cell_statement(project_id, now, today, waves, scope)
        )
    ]


def cell_statement(
    project_id: int,
    now: datetime,
    today: date,
    waves: Sequence[WaveRow],
    scope: tuple[WaveRow | None, list[int] | None],
) -> Select[*tuple[Any, ...]]:
    """Unit × category: id, category, total, done, mandatory, mandatory done, mandatory
    done recently, overdue, the category's first position."""
    status = col(UnitItem.status)
    counts = status != ItemStatus.NOT_APPLICABLE
    done = status == ItemStatus.DONE
    mandatory = col(UnitItem.mandatory).is_(True)
    recent = col(UnitItem.updated_at) > now - timedelta(weeks=PACE_WEEKS)
    statement = select_columns(
        Unit.id,
        UnitItem.category,
        func.count().filter(counts),
        func.count().filter(done),
        func.count().filter(and_(mandatory, counts)),
        func.count().filter(and_(mandatory, done)),
        func.count().filter(and_(mandatory, done, recent)),
        func.count().filter(and_(mandatory, status == ItemStatus.OPEN, past_due(waves, today))),
        func.min(col(UnitItem.position)),
    )
    # Grouped in the order the units' index (project, wave) and the items' index deliver
    # the rows, so SQLite streams the groups instead of sorting 40,000 rows first.
    return units_in_scope(statement, project_id, *scope).group_by(
        col(Unit.wave_id), col(Unit.id), col(UnitItem.category)
    )


def units_ready(session: Session, project_id: int) -> tuple[int, int]:
    """(units ready, units with items) of the whole project, by the review's definition: one
    pass grouped per unit (not per unit × category), the items done without the evidence
    they demand taken off as in `summed`."""
    status = col(UnitItem.status)
    mandatory = and_(col(UnitItem.mandatory).is_(True), status != ItemStatus.NOT_APPLICABLE)
    statement = units_in_scope(
        select_columns(
            Unit.id,
            func.count().filter(mandatory),
            func.count().filter(and_(mandatory, status == ItemStatus.DONE)),
        ),
        project_id,
        None,
        None,
    ).group_by(col(Unit.wave_id), col(Unit.id))
    short: dict[int, int] = {}
    for uid, total, done in session.connection().execute(statement):
        short[uid] = total - done
    for item in lacking_items(session, project_id, (None, None)):
        if item.mandatory and item.unit_id in short:
            short[item.unit_id] += 1
    return sum(1 for left in short.values() if left == 0), len(short)


def summed(
    session: Session,
    statement: Select[*tuple[Any, ...]],
    tops: dict[int, UnitRow],
    lacking: Sequence[Lacking],
) -> tuple[dict[int, list[int]], dict[int, dict[str, list[int]]], list[str]]:
    """The unit × category rows summed as they stream, without a record per cell: per
    unit, per kommun × category (as `build_summary` takes them), and the categories in
    checklist order; the mandatory items done without evidence moved to lacking."""
    units: dict[int, list[int]] = {}
    kommuner: dict[int, dict[str, list[int]]] = {}
    first: dict[str, int] = {}
    # Core rows, not ORM ones: ten thousand of them, read once.
    for uid, category, t, d, m, s, r, o, pos in session.connection().execute(statement):
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


@dataclass(frozen=True)
class Lacking:
    """One item done without the evidence it demands."""

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
    """Items done without the evidence they demand: few rows, read from the table."""
    statement = select_columns(
        UnitItem.unit_id,
        UnitItem.category,
        Unit.wave_id,
        UnitItem.checklist_id,
        UnitItem.item_id,
        UnitItem.mandatory,
        UnitItem.due_offset_days,
        UnitItem.id,
    )
    statement = units_in_scope(statement, project_id, *scope).where(
        col(UnitItem.status) == ItemStatus.DONE,
        col(UnitItem.evidence_required).is_(True),
        evidence_missing(),
    )
    return [Lacking(*row) for row in session.exec(statement)]


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
