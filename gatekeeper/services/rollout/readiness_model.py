"""Keeping the readiness read model (`readiness_cell`) current, in the writer's transaction.

Every write of unit items goes through here before it commits: a tick or a
bulk tick shifts the cells of the items it changed by what each item adds
before and after (`core.rollout.unit_readiness.item_tally`, the one
definition), as an atomic `count = count + delta` so two transactions never
lose each other's change; adding units (one, or an import's thousand) counts
their cells in Python from the item rows being inserted (all open and the same
for every unit: `category_tallies`) and shifts the wave × item rows by the
units each wave gained, without counting the new items again in SQL; removing
units drops their cells. `recount_project` rebuilds a project's cells from its
items (the migration's back-fill does the same in SQL) and `cells_of` is what
the readiness review reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, insert, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from gatekeeper.core.rollout.unit_readiness import category_tallies, item_tally
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.rollout import readiness_item_model as items
from gatekeeper.services.rollout.readiness_scope import select_columns
from gatekeeper.store.bulk import insert_rows
from gatekeeper.store.rollout.readiness_tables import ReadinessCell
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem

_CHUNK = 500  # ids per IN list
_COUNTS = ("total", "done", "mandatory", "mandatory_done")

Tally = tuple[int, int, int, int]


def shift(
    *, session: Session, changes: Iterable[tuple[int, str, ItemStatus, bool, ItemStatus]]
) -> None:
    """Shift the cells of changed items: each change is (unit id, category, status before,
    mandatory, status after). One UPDATE per category and shift (each an atomic increment
    of the cells it names); a cell not found (never counted) is counted afresh from its
    unit's items."""
    deltas: dict[tuple[int, str], list[int]] = {}
    for unit_id, category, before, mandatory, after in changes:
        old, new = item_tally(before, mandatory), item_tally(after, mandatory)
        if old == new:
            continue
        sums = deltas.setdefault((unit_id, category), [0, 0, 0, 0])
        for n in range(4):
            sums[n] += new[n] - old[n]
    # Cells shifted alike (a bulk tick: one item, a thousand units) share one statement.
    alike: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    for (unit_id, category), sums in deltas.items():
        if any(sums):
            alike.setdefault((category, tuple(sums)), []).append(unit_id)
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    missing: set[int] = set()
    for (category, shifted), unit_ids in alike.items():
        for start in range(0, len(unit_ids), _CHUNK):
            chunk = unit_ids[start : start + _CHUNK]
            statement = (
                update(table)
                .where(table.c.unit_id.in_(chunk), table.c.category == category)
                .values({name: table.c[name] + d for name, d in zip(_COUNTS, shifted, strict=True)})
            )
            if connection.execute(statement).rowcount < len(chunk):
                missing.update(chunk)
    if missing:
        # A cell the model never held (an item written behind its back): count the units.
        recount(session=session, unit_ids=sorted(missing))


def ticked(*, session: Session, item: UnitItem, wave_id: int | None, before: ItemStatus) -> None:
    """Keep both read models current after one item went from `before` to its status."""
    shift(
        session=session,
        changes=[(item.unit_id, item.category, before, item.mandatory, item.status)],
    )
    key = (wave_id, item.checklist_id, item.item_id, item.category, item.mandatory)
    items.shift(
        session=session,
        project_id=item.project_id,
        changes=[((*key, item.due_offset_days, item.evidence_required), before, item.status)],
    )


def _tally_columns() -> list[Any]:
    """The SQL twin of `item_tally`, summed over a group of items."""
    status = col(UnitItem.status)
    counts = status != ItemStatus.NOT_APPLICABLE
    done = status == ItemStatus.DONE
    mandatory: ColumnElement[bool] = col(UnitItem.mandatory).is_(True)
    return [
        func.count().filter(counts),
        func.count().filter(done),
        func.count().filter(and_(mandatory, counts)),
        func.count().filter(and_(mandatory, done)),
    ]


def _insert_counted(session: Session, where: ColumnElement[bool]) -> None:
    """Count the items matching `where` into cells, with each unit's kommun (its top-level
    ancestor: units nest at most three deep, kommun → förvaltning → enhet)."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    unit, parent, top = aliased(Unit), aliased(Unit), aliased(Unit)
    kommun = func.coalesce(top.id, parent.id, unit.id)
    keys = (col(UnitItem.unit_id), col(UnitItem.category), col(UnitItem.project_id), kommun)
    source = (
        select_columns(*keys, *_tally_columns(), func.min(col(UnitItem.position)))
        .select_from(UnitItem)
        .join(unit, col(unit.id) == col(UnitItem.unit_id))
        .outerjoin(parent, col(parent.id) == col(unit.parent_id))
        .outerjoin(top, col(top.id) == col(parent.parent_id))
        .where(where)
        .group_by(*keys)
    )
    session.connection().execute(
        insert(table).from_select(
            ["unit_id", "category", "project_id", "kommun_id", *_COUNTS, "position"], source
        )
    )


@dataclass(frozen=True)
class NewUnit:
    """A unit just added, as its read-model rows need it."""

    id: int
    wave_id: int | None
    kommun_id: int  # its top-level ancestor (`core.rollout.unit_readiness.top_of`)


def units_added(
    *,
    session: Session,
    project_id: int,
    units: Sequence[NewUnit],
    rows: Sequence[Mapping[str, Any]],
) -> None:
    """Count the cells of `units`, each just given the unit item rows `rows` (the columns
    of `UnitItem` but the unit's id), and shift the wave × item rows by them: from these
    rows alone, one statement of cells and two executemany of wave × item rows."""
    if not units or not rows:
        return
    tallies = category_tallies(
        (row["category"], ItemStatus(row["status"]), row["mandatory"]) for row in rows
    )
    first: dict[str, int] = {}
    for row in rows:
        first[row["category"]] = min(first.get(row["category"], row["position"]), row["position"])
    insert_rows(
        session.connection(),
        ReadinessCell.__table__,  # type: ignore[attr-defined]
        [
            {
                "unit_id": unit.id,
                "category": category,
                "project_id": project_id,
                "kommun_id": unit.kommun_id,
                **dict(zip(_COUNTS, counts, strict=True)),
                "position": first[category],
            }
            for unit in units
            for category, counts in tallies.items()
        ],
    )
    per_wave: dict[int | None, list[int]] = {}
    for unit in units:
        per_wave.setdefault(unit.wave_id, []).append(unit.id)
    items.add(
        session=session,
        project_id=project_id,
        added=[
            (items.key_of(wave_id, row), ItemStatus(row["status"]), len(ids), ids[0])
            for wave_id, ids in per_wave.items()
            for row in rows
        ],
    )


def recount(*, session: Session, unit_ids: Sequence[int]) -> None:
    """Count the cells of `unit_ids` afresh from their items (cells a shift found missing:
    items written behind the model's back)."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    for start in range(0, len(unit_ids), _CHUNK):
        chunk = list(unit_ids[start : start + _CHUNK])
        connection.execute(delete(table).where(table.c.unit_id.in_(chunk)))
        _insert_counted(session, col(UnitItem.unit_id).in_(chunk))


def recount_project(*, session: Session, project_id: int) -> None:
    """Rebuild every cell of the project from its items (after a data fix, or a load that
    wrote items behind the services' back)."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    session.connection().execute(delete(table).where(table.c.project_id == project_id))
    _insert_counted(session, col(UnitItem.project_id) == project_id)
    items.recount(session=session, project_id=project_id)


def drop_units(*, session: Session, unit_ids: Sequence[int]) -> None:
    """Remove the cells of units about to be removed."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    for start in range(0, len(unit_ids), _CHUNK):
        session.connection().execute(
            delete(table).where(table.c.unit_id.in_(list(unit_ids[start : start + _CHUNK])))
        )


def cells_of(
    session: Session, project_id: int, unit_ids: Sequence[int] | None = None
) -> list[tuple[int, str, int, int, int, int, int]]:
    """The stored cells: (unit id, category, total, done, mandatory, mandatory done,
    position), of the project or of `unit_ids`."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    statement = select_columns(
        table.c.unit_id,
        table.c.category,
        *(table.c[name] for name in _COUNTS),
        table.c.position,
    ).where(table.c.project_id == project_id)
    if unit_ids is not None:
        statement = statement.where(table.c.unit_id.in_(list(unit_ids)))
    return [tuple(row) for row in session.connection().execute(statement)]


def short_per_unit(session: Session, project_id: int) -> list[tuple[int, int]]:
    """(unit id, mandatory items not done) of every unit with cells, summed by the database."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    left = func.sum(table.c.mandatory) - func.sum(table.c.mandatory_done)
    statement = (
        select_columns(table.c.unit_id, left)
        .where(table.c.project_id == project_id)
        .group_by(table.c.unit_id)
    )
    return [(u, int(n)) for u, n in session.connection().execute(statement)]


def kommun_ids(session: Session, project_id: int) -> list[tuple[int, int]]:
    """(unit id, kommun id) of every unit with cells, as stored."""
    table = ReadinessCell.__table__  # type: ignore[attr-defined]
    statement = (
        select_columns(table.c.unit_id, table.c.kommun_id)
        .where(table.c.project_id == project_id)
        .distinct()
    )
    return [(u, k) for u, k in session.connection().execute(statement)]


def counted_afresh(
    session: Session, project_id: int
) -> dict[tuple[int, str], tuple[int, int, int, int, int]]:
    """The cells as the items count them now, without the model (what tests compare)."""
    statement = (
        select_columns(
            col(UnitItem.unit_id),
            col(UnitItem.category),
            *_tally_columns(),
            func.min(col(UnitItem.position)),
        )
        .where(col(UnitItem.project_id) == project_id)
        .group_by(col(UnitItem.unit_id), col(UnitItem.category))
    )
    rows = session.connection().execute(statement)
    return {(u, c): (t, d, m, s, p) for u, c, t, d, m, s, p in rows}
