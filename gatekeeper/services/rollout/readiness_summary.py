"""The readiness review's summary counts, summed by the database from the read model.

The summary (the review without its unit rows: what the API answers by
default and the page shows for a whole region) needs each unit's counts and
each kommun's counts per category, not the 10,000 unit × category cells. So
the stored cells (`readiness_cell`) are summed in SQL per unit and per kommun
× category (each cell holds its unit's kommun), and the day-bound counts are
folded in: the few overdue items per unit × category, the thousands of items
done lately summed by the database per unit and per kommun × category. A tree
deeper than kommun → förvaltning → enhet (never made by the services) falls
back to summing the cells with the kommuner `kommun_of` finds.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Integer, bindparam, func, text
from sqlmodel import Session

from gatekeeper.core.rollout.forecast import PACE_WEEKS
from gatekeeper.core.rollout.rows import UnitRow, WaveRow
from gatekeeper.services.rollout.readiness_count import (
    Lacking,
    cell_rows,
    overdue_cells,
    summed,
)
from gatekeeper.services.rollout.readiness_scope import select_columns
from gatekeeper.store.rollout.readiness_tables import ReadinessCell
from gatekeeper.store.rollout.unit_tables import DONE_MANDATORY, Unit, UnitItem
from gatekeeper.store.types import UTCDateTime

Sums = tuple[dict[int, list[int]], dict[int, dict[str, list[int]]], list[str]]


def _shallow(units: Sequence[UnitRow]) -> bool:
    """Whether every unit sits at most two levels below its kommun."""
    parent = {u.id: u.parent_id for u in units}
    for unit in units:
        above = parent.get(unit.parent_id) if unit.parent_id is not None else None
        if above is not None and parent.get(above) is not None:
            return False
    return True


def summary_sums(
    session: Session,
    project_id: int,
    now: datetime,
    today: date,
    waves: Sequence[WaveRow],
    units: Sequence[UnitRow],
    tops: dict[int, UnitRow],
    lacking: Sequence[Lacking],
) -> Sums:
    """Per unit (total, done, mandatory, satisfied, lacking, overdue, done recent), per kommun
    × category (the same seven and the category's first position), and the categories in
    checklist order: what `core.rollout.readiness.build_summary` takes."""
    if not _shallow(units):
        return summed(cell_rows(session, project_id, now, today, waves, None), tops, lacking)
    per_unit, per_kommun, lately_per_unit, lately_per_kommun = _statements()
    connection = session.connection()
    unit_sums: dict[int, list[int]] = {
        uid: [int(t), int(d), int(m), int(s), 0, 0, 0]
        for uid, t, d, m, s in connection.execute(per_unit, {"project_id": project_id})
    }
    kommun_sums: dict[int, dict[str, list[int]]] = {}
    first: dict[str, int] = {}
    for kid, category, t, d, m, s, pos in connection.execute(
        per_kommun, {"project_id": project_id}
    ):
        kommun_sums.setdefault(kid, {})[category] = [int(t), int(d), int(m), int(s), 0, 0, 0, pos]
        if pos < first.get(category, pos + 1):
            first[category] = pos
    # The overdue items are few: counted per unit × category, folded in.
    for (uid, category), n in overdue_cells(session, project_id, today, waves, None).items():
        if uid in unit_sums:
            unit_sums[uid][5] += n
            kommun_sums[tops[uid].id][category][5] += n
    # The items done lately are thousands: counted per unit and per kommun × category.
    lately = {"project_id": project_id, "since": now - timedelta(weeks=PACE_WEEKS)}
    for uid, n in connection.execute(lately_per_unit, lately):
        if uid in unit_sums:
            unit_sums[uid][6] += int(n)
    for kid, category, n in connection.execute(lately_per_kommun, lately):
        if category in kommun_sums.get(kid, {}):
            kommun_sums[kid][category][6] += int(n)
    for item in lacking:
        if item.mandatory and item.unit_id in unit_sums:
            kommun_cell = kommun_sums[tops[item.unit_id].id][item.category]
            for sums in (unit_sums[item.unit_id], kommun_cell):
                sums[3] -= 1
                sums[4] += 1
    return unit_sums, kommun_sums, sorted(first, key=lambda category: (first[category], category))


@cache
def _statements() -> tuple[Any, Any, Any, Any]:
    """The summary's statements, built once (building them costs more than the database
    takes to answer some), with the project and the day as bound parameters: the cells
    summed per unit and per kommun × category, and the items done lately, the same two."""
    cell = ReadinessCell.__table__  # type: ignore[attr-defined]
    project = bindparam("project_id", type_=Integer)
    counts = [func.sum(cell.c[name]) for name in ("total", "done", "mandatory", "mandatory_done")]
    per_unit = (
        select_columns(cell.c.unit_id, *counts)
        .where(cell.c.project_id == project)
        .group_by(cell.c.unit_id)
    )
    per_kommun = (
        select_columns(cell.c.kommun_id, cell.c.category, *counts, func.min(cell.c.position))
        .where(cell.c.project_id == project)
        .group_by(cell.c.kommun_id, cell.c.category)
    )
    return per_unit, per_kommun, *_done_lately(project)


def _done_lately(project: BindParameter[int]) -> tuple[Any, Any]:
    """Mandatory items done since `:since`, counted per unit and per kommun × category (a
    few hundred rows each, not the thousands of unit × category groups), each through the
    partial index `ix_unit_item_done_recent`. Two statements, not one UNION: PostgreSQL
    runs a union of two such scans in parallel workers, which costs it more than it
    saves. The kommun is the unit's top-level ancestor through at most two parents
    (`_shallow`)."""
    item = UnitItem.__table__  # type: ignore[attr-defined]
    units = Unit.__table__  # type: ignore[attr-defined]
    lately = (
        item.c.project_id == project,
        item.c.updated_at > bindparam("since", type_=UTCDateTime),
        text(DONE_MANDATORY),  # in the words of the partial index
    )
    per_unit = select_columns(item.c.unit_id, func.count()).where(*lately).group_by(item.c.unit_id)
    unit, parent, top = units.alias("u"), units.alias("p"), units.alias("t")
    kommun = func.coalesce(top.c.id, parent.c.id, unit.c.id)
    per_kommun = (
        select_columns(kommun, item.c.category, func.count())
        .select_from(
            item.join(unit, unit.c.id == item.c.unit_id)
            .outerjoin(parent, parent.c.id == unit.c.parent_id)
            .outerjoin(top, top.c.id == parent.c.parent_id)
        )
        .where(*lately)
        .group_by(kommun, item.c.category)
    )
    return per_unit, per_kommun
