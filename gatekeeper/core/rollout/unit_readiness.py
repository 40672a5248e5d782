"""Readiness of one unit, one category and one kommun in a rollout, from counted cells.

A unit is *ready* when every mandatory item that counts is done, with evidence
where the item demands it; items marked not applicable are left out of every
share, exactly as for a project's own gate checklists
(`core.checklist.ItemState.counts`). A kommun is a unit's top-level ancestor;
it is ready when all its units are. A heatmap cell (unit × category) reads as
one `CellState`. The whole review is assembled in `core.rollout.readiness`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from gatekeeper.core.rollout.rows import (
    CellCounts,
    Counts,
    UnitRow,
    WaveRow,
    share_of,
)


class CellState(StrEnum):
    """How a heatmap cell reads; the page shows a word and a symbol, never colour alone."""

    DONE = "done"
    OVERDUE = "overdue"
    EVIDENCE = "evidence"
    PARTIAL = "partial"
    OPEN = "open"
    EMPTY = "empty"


def cell_state(cell: CellCounts) -> CellState:
    """The state of one unit × category cell; what is late or lacks evidence comes first."""
    if cell.total == 0:
        return CellState.EMPTY
    if cell.overdue:
        return CellState.OVERDUE
    if cell.lacking_evidence:
        return CellState.EVIDENCE
    if cell.done == cell.total and cell.mandatory_satisfied == cell.mandatory:
        return CellState.DONE
    return CellState.PARTIAL if cell.done else CellState.OPEN


@dataclass(frozen=True)
class UnitReadiness:
    """One unit that holds checklist items: its cells and whether it is ready."""

    unit: UnitRow
    kommun: UnitRow
    wave: WaveRow | None
    cells: dict[str, CellCounts]
    total: int
    done: int
    mandatory: int
    mandatory_satisfied: int
    lacking_evidence: int
    overdue: int
    done_recent: int

    @property
    def ready(self) -> bool:
        return self.mandatory_satisfied == self.mandatory

    @property
    def share(self) -> float:
        """Mandatory items satisfied, 0 to 1."""
        return share_of(self.mandatory_satisfied, self.mandatory)

    def counts(self) -> Counts:
        return Counts(1, int(self.ready), self.mandatory, self.mandatory_satisfied)


@dataclass(frozen=True)
class CategoryReadiness:
    """Items of one category across the units: done of all that count."""

    category: str
    total: int
    done: int

    @property
    def share(self) -> float:
        return share_of(self.done, self.total)


@dataclass(frozen=True)
class KommunReadiness:
    """A kommun (top-level unit), its units' readiness and its row of the kommun heatmap:
    per category, its units' cells summed (a cell is overdue if any unit's is, and so on)."""

    kommun: UnitRow
    counts: Counts
    wave_keys: tuple[str, ...]
    cells: dict[str, CellCounts] = field(default_factory=dict)


def kommun_of(units: dict[int, UnitRow]) -> dict[int, UnitRow]:
    """Each unit's top-level ancestor (itself for a top-level unit); cycles stop where seen."""
    found: dict[int, UnitRow] = {}
    for unit in units.values():
        seen = {unit.id}
        top = unit
        while top.parent_id is not None and top.parent_id in units and top.parent_id not in seen:
            top = units[top.parent_id]
            seen.add(top.id)
        found[unit.id] = top
    return found


def unit_readiness(
    unit: UnitRow, kommun: UnitRow, wave: WaveRow | None, cells: list[CellCounts]
) -> UnitReadiness:
    # One pass rather than a sum() per field: a rollout has thousands of cells.
    total = done = mandatory = satisfied = lacking = overdue = recent = 0
    for c in cells:
        total += c.total
        done += c.done
        mandatory += c.mandatory
        satisfied += c.mandatory_satisfied
        lacking += c.lacking_evidence
        overdue += c.overdue
        recent += c.done_recent
    return UnitReadiness(
        unit=unit,
        kommun=kommun,
        wave=wave,
        cells={cell.category: cell for cell in cells},
        total=total,
        done=done,
        mandatory=mandatory,
        mandatory_satisfied=satisfied,
        lacking_evidence=lacking,
        overdue=overdue,
        done_recent=recent,
    )
