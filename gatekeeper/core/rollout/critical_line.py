"""The kritisk linje of a rollout: open items with a deadline ahead or already late.

Each open item of a wave with a deadline relative to the wave's go-live is a
`Deadline`; those due within `HORIZON_DAYS` are upcoming, those past their date
are late. How many units still hold the item open is counted per wave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gatekeeper.core.rollout.rows import ItemCounts, WaveRow

HORIZON_DAYS = 28  # the kritisk linje shows deadlines in the next four weeks


@dataclass(frozen=True)
class Deadline:
    """An open item with a deadline in one wave: how many units still have it open."""

    due_on: date
    wave: WaveRow
    checklist_id: str
    item_id: str
    text: str
    category: str
    mandatory: bool
    units: int


def deadlines(
    items: Sequence[ItemCounts], waves: dict[int, WaveRow], today: date
) -> tuple[list[Deadline], list[Deadline]]:
    upcoming, late = [], []
    horizon = today + timedelta(days=HORIZON_DAYS)
    for item in items:
        wave = waves.get(item.wave_id) if item.wave_id is not None else None
        if wave is None or item.due_offset_days is None or not item.open:
            continue
        due = wave.go_live_on + timedelta(days=item.due_offset_days)
        entry = Deadline(
            due_on=due,
            wave=wave,
            checklist_id=item.checklist_id,
            item_id=item.item_id,
            text=item.text,
            category=item.category,
            mandatory=item.mandatory,
            units=item.open,
        )
        if due < today:
            late.append(entry)
        elif due <= horizon:
            upcoming.append(entry)

    def order(d: Deadline) -> tuple[date, int, int, str]:
        return (d.due_on, d.wave.position, -d.units, d.text)

    return sorted(upcoming, key=order), sorted(late, key=order)
