"""The wave × item counts of a rollout readiness review: what is still open, item by item.

The open items per wave × item are the read model `readiness_item` (for a
wave or kommun, grouped from the units' items in a covering index), the items
done without the evidence they demand are added to them, and each item's text
is read once, from one of its rows; `gatekeeper.core.rollout.readiness` judges
which items hold a wave back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col

from gatekeeper.core.rollout.rows import (
    ItemCounts,
    WaveRow,
)
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.rollout import readiness_item_model
from gatekeeper.services.rollout.readiness_count import Lacking
from gatekeeper.services.rollout.readiness_scope import select_columns, units_in_scope
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem

_ITEM_KEY = (
    Unit.wave_id,
    UnitItem.checklist_id,
    UnitItem.item_id,
    UnitItem.category,
    UnitItem.mandatory,
    UnitItem.due_offset_days,
)


def _scoped(project_id: int, scope: tuple[WaveRow | None, list[int] | None]) -> Any:
    """Wave × item counts of the open items of the units in scope (a wave or a kommun)."""
    statement = select_columns(
        *_ITEM_KEY,
        func.count(),
        func.count().filter(col(UnitItem.evidence_required).is_(True)),
        func.min(col(UnitItem.id)),
        func.min(col(UnitItem.position)),
    )
    # From the units in scope through their items (the covering index ix_unit_item_review).
    return (
        units_in_scope(statement, project_id, *scope)
        .where(col(UnitItem.status) == ItemStatus.OPEN)
        .group_by(*(col(c) for c in _ITEM_KEY))
    )


def item_counts(
    session: Session,
    project_id: int,
    scope: tuple[WaveRow | None, list[int] | None],
    lacking: Sequence[Lacking],
) -> list[ItemCounts]:
    """Wave × item counts of what is open (the read model `readiness_item`, of the units in
    scope counted from the items), with the items done without evidence added; each
    item's text is read once, from one of its rows."""
    found: dict[tuple[Any, ...], list[int]] = {}
    if scope == (None, None):
        for row in readiness_item_model.open_items(session, project_id):
            found[tuple(row[:6])] = [int(row[6]), int(row[7]), 0, int(row[8]), 0]
    else:
        for row in session.connection().execute(_scoped(project_id, scope)):
            found[tuple(row[:6])] = [int(row[6]), int(row[7]), 0, int(row[8]), int(row[9])]
    for r in lacking:
        key = (r.wave_id, r.checklist_id, r.item_id, r.category, r.mandatory, r.due_offset_days)
        entry = found.setdefault(key, [0, 0, 0, r.id, 0])
        entry[2] += 1
    texts: dict[int, tuple[str, int]] = {}
    if found:
        first_rows = sorted({entry[3] for entry in found.values()})
        texts = {
            i: (text, position)
            for i, text, position in session.exec(
                select_columns(UnitItem.id, UnitItem.text, UnitItem.position).where(
                    col(UnitItem.id).in_(first_rows)
                )
            )
        }
    return [
        ItemCounts(
            wave_id=wave_id,
            checklist_id=checklist_id,
            item_id=item_id,
            category=category,
            mandatory=bool(mandatory),
            due_offset_days=offset,
            text=texts[first][0],
            position=texts[first][1],
            open=open_,
            open_evidence=open_evidence,
            lacking_evidence=lacking_,
        )
        for (wave_id, checklist_id, item_id, category, mandatory, offset), (
            open_,
            open_evidence,
            lacking_,
            first,
            _,
        ) in found.items()
    ]
