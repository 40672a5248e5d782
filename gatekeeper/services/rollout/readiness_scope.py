"""What a rollout readiness review counts: the project's units and waves, and the filter.

The units and waves are read once as plain rows (`gatekeeper.core.rollout.rows`);
a filter on a wave and/or a kommun (a top-level unit, found through the unit
tree resolved once) narrows the units counted. `units_in_scope` reaches the
items from the project's units through the covering index
`ix_unit_item_review` (unit, category, status, mandatory, evidence flag,
deadline offset, updated, position, item), so that counting reads no table rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col
from sqlmodel.sql.expression import Select

from gatekeeper.core.rollout.rows import (
    UnitRow,
    WaveRow,
)
from gatekeeper.errors import ValidationFailed
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem, Wave


def select_columns(*columns: Any) -> Select[*tuple[Any, ...]]:
    """A select of plain columns and aggregates (sqlmodel's `select` is typed up to four)."""
    return Select(*columns)


def load_units(session: Session, project_id: int) -> list[UnitRow]:
    return [
        UnitRow(uid, key, name, kind.value, parent, wave)
        for uid, key, name, kind, parent, wave in session.exec(
            select_columns(
                Unit.id, Unit.key, Unit.name, Unit.kind, Unit.parent_id, Unit.wave_id
            ).where(col(Unit.project_id) == project_id)
        ).all()
    ]


def load_waves(session: Session, project_id: int) -> list[WaveRow]:
    return [
        WaveRow(wid, key, name, go_live, position, status.value)
        for wid, key, name, go_live, position, status in session.exec(
            select_columns(
                Wave.id, Wave.key, Wave.name, Wave.go_live_on, Wave.position, Wave.status
            ).where(col(Wave.project_id) == project_id)
        ).all()
    ]


def choose_scope(
    units: list[UnitRow],
    waves: list[WaveRow],
    tops: dict[int, UnitRow],
    wave: str | None,
    kommun: str | None,
) -> tuple[WaveRow | None, UnitRow | None, list[int] | None]:
    """The wave and kommun filtered on, and the ids of the kommun's units (None: no kommun)."""
    chosen_wave = None
    if wave:
        chosen_wave = next((w for w in waves if w.key == wave), None)
        if chosen_wave is None:
            raise ValidationFailed(f"Vågen '{wave}' finns inte i projektet.", field="wave")
    chosen_kommun = None
    if kommun:
        chosen_kommun = next((u for u in units if u.key == kommun), None)
        if chosen_kommun is None or tops[chosen_kommun.id].id != chosen_kommun.id:
            raise ValidationFailed(
                f"'{kommun}' är ingen kommun (enhet på högsta nivån) i projektet.", field="kommun"
            )
    if chosen_kommun is None:
        return chosen_wave, None, None
    ids = [u.id for u in units if tops[u.id].id == chosen_kommun.id]
    return chosen_wave, chosen_kommun, ids


def evidence_missing() -> ColumnElement[bool]:
    """No evidence given; writes trim it, so blank is ''."""
    evidence = col(UnitItem.evidence)
    return or_(evidence.is_(None), evidence == "")


def units_in_scope(
    statement: Select[*tuple[Any, ...]],
    project_id: int,
    wave: WaveRow | None,
    ids: list[int] | None,
) -> Select[*tuple[Any, ...]]:
    """Items reached from the project's units (through `ix_unit_item_review`), filtered."""
    statement = statement.select_from(Unit).join(UnitItem, col(UnitItem.unit_id) == col(Unit.id))
    statement = statement.where(col(Unit.project_id) == project_id)
    if wave is not None:
        statement = statement.where(col(Unit.wave_id) == wave.id)
    if ids is not None:
        statement = statement.where(col(Unit.id).in_(ids))
    return statement
