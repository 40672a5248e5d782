"""What is still open per unit of a rollout: each item that keeps a unit from being ready.

An item is open when it is neither done nor marked not applicable, or when it
is done without the evidence it demands (`readiness_count.evidence_missing`):
exactly what the one readiness definition counts against a unit. Each row
names the unit, its kommun, the item's text, its deadline (the wave's go-live
plus the item's offset), and the unit's införandeansvarig by name (the
address only where no name was given), inherited from the nearest unit above
when the unit has none of its own. The exports
(`readiness_export.open_item_table`) write them as CSV and XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_
from sqlmodel import col

from gatekeeper.core.collation import swedish_sort_key
from gatekeeper.core.rollout.unit_readiness import kommun_of
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.rollout.readiness_count import evidence_missing
from gatekeeper.services.rollout.readiness_scope import (
    choose_scope,
    load_units,
    load_waves,
    select_columns,
    units_in_scope,
)
from gatekeeper.store.rollout.unit_tables import Unit, UnitItem


@dataclass(frozen=True)
class OpenItem:
    """One item that holds a unit back."""

    kommun: str
    unit: str
    unit_key: str
    wave: str
    text: str
    category: str
    mandatory: bool
    due_on: date | None
    overdue: bool
    lacking_evidence: bool  # done, but without the evidence demanded
    responsible_role: str
    responsible: str  # the införandeansvarig's name, "" when nobody is named
    inherited_from: str  # the unit it is inherited from, "" when the unit's own


def open_items(
    ctx: Context, project_key: str, *, wave: str | None = None, kommun: str | None = None
) -> list[OpenItem]:
    """The open items of the units in scope, by kommun, unit and checklist order."""
    today = ctx.today()
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        assert project.id is not None
        waves = load_waves(session, project.id)
        units = load_units(session, project.id)
        tops = kommun_of({u.id: u for u in units})
        chosen_wave, _, ids = choose_scope(units, waves, tops, wave, kommun)
        # The införandeansvarig by name; the address only where no name was given.
        people = {
            uid: name or email
            for uid, name, email in session.exec(
                select_columns(Unit.id, Unit.responsible_name, Unit.responsible_email).where(
                    col(Unit.project_id) == project.id
                )
            )
        }
        status = col(UnitItem.status)
        statement = units_in_scope(
            select_columns(
                Unit.id,
                UnitItem.text,
                UnitItem.category,
                UnitItem.mandatory,
                UnitItem.due_offset_days,
                UnitItem.responsible,
                status,
                UnitItem.position,
            ),
            project.id,
            chosen_wave,
            ids,
        ).where(
            or_(
                status == ItemStatus.OPEN,
                and_(
                    status == ItemStatus.DONE,
                    col(UnitItem.evidence_required).is_(True),
                    evidence_missing(),
                ),
            )
        )
        rows = list(session.exec(statement))
    by_id = {u.id: u for u in units}
    wave_by_id = {w.id: w for w in waves}

    def responsible(uid: int) -> tuple[str, str]:
        seen: set[int] = set()
        current: int | None = uid
        while current is not None and current not in seen:
            seen.add(current)
            if people.get(current):
                return people[current], "" if current == uid else by_id[current].name
            current = by_id[current].parent_id
        return "", ""

    found: list[tuple[tuple[str, int, str, int, int], OpenItem]] = []
    for uid, text, category, mandatory, offset, role, state, position in rows:
        unit = by_id[uid]
        unit_wave = wave_by_id.get(unit.wave_id) if unit.wave_id is not None else None
        due = (
            unit_wave.go_live_on + timedelta(days=offset)
            if unit_wave is not None and offset is not None
            else None
        )
        lacking = state == ItemStatus.DONE
        name, via = responsible(uid)
        top = tops[uid]
        order = (
            swedish_sort_key(top.name),
            int(uid != top.id),
            swedish_sort_key(unit.name),
            uid,
            position,
        )
        found.append(
            (
                order,
                OpenItem(
                    kommun=top.name,
                    unit=unit.name,
                    unit_key=unit.key,
                    wave=unit_wave.name if unit_wave else "",
                    text=text,
                    category=category,
                    mandatory=bool(mandatory),
                    due_on=due,
                    overdue=not lacking and due is not None and due < today,
                    lacking_evidence=lacking,
                    responsible_role=role,
                    responsible=name,
                    inherited_from=via,
                ),
            )
        )
    found.sort(key=lambda pair: pair[0])
    return [item for _, item in found]
