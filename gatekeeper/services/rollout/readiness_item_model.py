"""Keeping the wave × item read model (`readiness_item`) current, in the writer's transaction.

The readiness review's blockers and kritisk linje need, per wave and item, how
many units still have it open. A tick or bulk tick shifts the item's row of
its unit's wave by one (an atomic `open = open + delta`); units added (one, or
an import's thousand) shift the rows of their waves by how many units each
gained, inserting those not there yet; what changes which wave a unit's items
count in (units removed or moved to another wave; rare) counts the project's
rows afresh from its items.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Insert, Update, bindparam, delete, exists, func, insert, select, update
from sqlmodel import Session, col

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.rollout.readiness_scope import select_columns
from gatekeeper.store.rollout.readiness_tables import ReadinessItem
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem

_KEY = ("wave_id", "checklist_id", "item_id", "category", "mandatory", "due_offset_days")

# (wave id, checklist id, item id, category, mandatory, offset, demands evidence)
ItemKey = tuple[int | None, str, str, str, bool, int | None, bool]


def shift(
    *, session: Session, project_id: int, changes: Iterable[tuple[ItemKey, ItemStatus, ItemStatus]]
) -> None:
    """Shift the rows of changed items: each change is (the item's key, status before,
    status after). A row not found is counted afresh with the whole project."""
    deltas: dict[tuple[Any, ...], list[int]] = {}
    for key, before, after in changes:
        d = _open(after) - _open(before)
        if d:
            sums = deltas.setdefault(key[:6], [0, 0])
            sums[0] += d
            sums[1] += d if key[6] else 0
    rows = [_params(project_id, key, o, e) for key, (o, e) in deltas.items() if o or e]
    if not rows:
        return
    statement = _shifted()
    connection = session.connection()
    found = sum(connection.execute(statement, row).rowcount for row in rows)
    if found < len(rows):
        recount(session=session, project_id=project_id)


def add(
    *,
    session: Session,
    project_id: int,
    added: Iterable[tuple[ItemKey, ItemStatus, int, int]],
) -> None:
    """Shift the rows by the items of units just added, each given as (the item's key, its
    status, how many units got it, the first of those units: the one with the lowest
    item id). Two executemany statements: shift the rows there are, then insert those
    there are not, whose first item is that unit's (one row read by its unique key);
    the new items are not counted again."""
    sums_of: dict[tuple[Any, ...], list[int]] = {}
    for key, status, count, first_unit in added:
        sums = sums_of.setdefault(key[:6], [0, 0, first_unit])
        sums[0] += count * _open(status)
        sums[1] += count * _open(status) if key[6] else 0
    rows = [{**_params(project_id, key, o, e), "u": u} for key, (o, e, u) in sums_of.items()]
    if rows:
        connection = session.connection()
        connection.execute(_shifted(), rows)
        connection.execute(_inserted_if_missing(), rows)


def key_of(wave_id: int | None, item: Mapping[str, Any]) -> ItemKey:
    """The key of a unit item row (the columns of `UnitItem`) in the unit's wave."""
    return (
        wave_id,
        item["checklist_id"],
        item["item_id"],
        item["category"],
        item["mandatory"],
        item["due_offset_days"],
        item["evidence_required"],
    )


def _open(status: ItemStatus) -> int:
    """What one item adds to its row's `open`."""
    return int(status == ItemStatus.OPEN)


def _params(project_id: int, key: tuple[Any, ...], open_: int, evidence: int) -> dict[str, Any]:
    return {
        "p": project_id,
        **{f"k_{n}": v for n, v in zip(_KEY, key, strict=True)},
        "d": open_,
        "e": evidence,
    }


def _same_row() -> list[Any]:
    """The stored row of the parameters' project and key (NULL wave or offset matched)."""
    table = ReadinessItem.__table__  # type: ignore[attr-defined]
    return [
        table.c.project_id == bindparam("p"),
        *(
            table.c[n].is_not_distinct_from(bindparam(f"k_{n}", type_=table.c[n].type))
            for n in _KEY
        ),
    ]


def _shifted() -> Update:
    """Shift the parameters' row by `d` open and `e` open demanding evidence."""
    table = ReadinessItem.__table__  # type: ignore[attr-defined]
    return (
        update(table)
        .where(*_same_row())
        .values(
            open=table.c.open + bindparam("d"), open_evidence=table.c.open_evidence + bindparam("e")
        )
    )


def _inserted_if_missing() -> Insert:
    """Insert the parameters' row unless it is there, its first item that of unit `u`."""
    table = ReadinessItem.__table__  # type: ignore[attr-defined]
    values = [
        bindparam(name, type_=table.c[column].type)
        for name, column in (
            ("p", "project_id"),
            *((f"k_{n}", n) for n in _KEY),
            ("d", "open"),
            ("e", "open_evidence"),
        )
    ]
    source = select(*values, col(UnitItem.id)).where(
        col(UnitItem.unit_id) == bindparam("u"),
        col(UnitItem.checklist_id) == bindparam("k_checklist_id"),
        col(UnitItem.item_id) == bindparam("k_item_id"),
        ~exists().where(*_same_row()),
    )
    return insert(table).from_select(
        ["project_id", *_KEY, "open", "open_evidence", "first_id"], source
    )


def _item_key_columns() -> tuple[Any, ...]:
    """A stored row's key (`_KEY`) as the unit items and their units give it."""
    return (
        col(Unit.wave_id),
        col(UnitItem.checklist_id),
        col(UnitItem.item_id),
        col(UnitItem.category),
        col(UnitItem.mandatory),
        col(UnitItem.due_offset_days),
    )


def recount(*, session: Session, project_id: int) -> None:
    """Count the project's wave × item rows afresh from its unit items."""
    table = ReadinessItem.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    connection.execute(delete(table).where(table.c.project_id == project_id))
    status = col(UnitItem.status)
    keys = _item_key_columns()
    source = (
        select_columns(
            col(UnitItem.project_id),
            *keys,
            func.count().filter(status == ItemStatus.OPEN),
            func.count().filter(
                status == ItemStatus.OPEN, col(UnitItem.evidence_required).is_(True)
            ),
            func.min(col(UnitItem.id)),
        )
        .select_from(UnitItem)
        .join(Unit, col(Unit.id) == col(UnitItem.unit_id))
        .where(col(UnitItem.project_id) == project_id)
        .group_by(col(UnitItem.project_id), *keys)
    )
    connection.execute(
        insert(table).from_select(
            ["project_id", *_KEY, "open", "open_evidence", "first_id"], source
        )
    )


def open_items(
    session: Session, project_id: int
) -> list[tuple[int | None, str, str, str, bool, int | None, int, int, int]]:
    """The stored rows with something open: the key, open, open demanding evidence, the
    id of one of its unit items."""
    table = ReadinessItem.__table__  # type: ignore[attr-defined]
    statement = select_columns(
        *(table.c[n] for n in _KEY), table.c.open, table.c.open_evidence, table.c.first_id
    ).where(table.c.project_id == project_id, table.c.open > 0)
    return [tuple(row) for row in session.connection().execute(statement)]


def counted_afresh(session: Session, project_id: int) -> dict[tuple[Any, ...], tuple[int, int]]:
    """The open counts as the items give them now (what tests compare the rows with)."""
    status = col(UnitItem.status)
    keys = _item_key_columns()
    statement = (
        select_columns(
            *keys,
            func.count(),
            func.count().filter(col(UnitItem.evidence_required).is_(True)),
        )
        .select_from(UnitItem)
        .join(Unit, col(Unit.id) == col(UnitItem.unit_id))
        .where(col(UnitItem.project_id) == project_id, status == ItemStatus.OPEN)
        .group_by(*keys)
    )
    return {tuple(row[:6]): (row[6], row[7]) for row in session.connection().execute(statement)}
