"""Readiness of one unit, one category and one kommun in a rollout, from counted cells.

The one definition of readiness, used by every view and export (the review,
the heatmaps, the report, the files, the project's row on Översikt):

- a unit is *ready* when every mandatory item that counts is done, with
  evidence where the item demands it; items marked not applicable are left
  out of every share, exactly as for a project's own gate checklists
  (`core.checklist.ItemState.counts`);
- a kommun's figure (a kommun is a unit's top-level ancestor) is its units
  ready of its units; a wave's is its units ready of its units; the project's
  is all units ready of all units (`rows.Counts`); a kommun or wave is ready
  when all its units are;
- the mandatory items done are a detail beside that figure, never the figure.

What one item adds to its unit × category cell is `item_tally`, and what a unit's
items add to its cells `category_tallies` (the read model `readiness_cell` keeps
these sums, the review reads them).

A heatmap cell (unit or kommun × category) reads as one `CellState` and, for
its share of items done, one `Grade`. The whole review is assembled in
`core.rollout.readiness`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from gatekeeper.core.rollout.rows import (
    CellCounts,
    Counts,
    UnitRow,
    WaveRow,
    percent,
    share_of,
)
from gatekeeper.core.status import ItemStatus

READINESS_SV = (
    "En enhet är redo när alla dess obligatoriska punkter är klara, med underlag där det "
    "krävs (punkter som inte är aktuella räknas inte). En kommuns och en vågs beredskap är "
    "andelen av dess enheter som är redo."
)
READINESS_EN = (
    "A unit is ready when all its mandatory items are done, with evidence where it is "
    "demanded (items not applicable do not count). A kommun's and a wave's readiness is the "
    "share of its units that are ready."
)


def item_tally(status: ItemStatus, mandatory: bool) -> tuple[int, int, int, int]:
    """What one item adds to its unit × category cell: (counts, done, mandatory that counts,
    mandatory done). An item marked not applicable adds nothing; evidence is judged apart,
    from the item itself (it needs the evidence text)."""
    if status == ItemStatus.NOT_APPLICABLE:
        return (0, 0, 0, 0)
    done = int(status == ItemStatus.DONE)
    return (1, done, int(mandatory), done if mandatory else 0)


def category_tallies(
    items: Iterable[tuple[str, ItemStatus, bool]],
) -> dict[str, tuple[int, int, int, int]]:
    """What one unit's items (category, status, mandatory) add to its cells, per category:
    `item_tally` summed."""
    sums: dict[str, list[int]] = {}
    for category, status, mandatory in items:
        cell = sums.setdefault(category, [0, 0, 0, 0])
        for n, added in enumerate(item_tally(status, mandatory)):
            cell[n] += added
    return {category: (t, d, m, s) for category, (t, d, m, s) in sums.items()}


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


# A heatmap cell's share of items done, graded in five steps (lower bound, upper bound in %).
GRADES: tuple[tuple[int, int], ...] = ((0, 24), (25, 49), (50, 74), (75, 99), (100, 100))


def grade(done: int, total: int) -> int | None:
    """The step (0 to 4, see `GRADES`) of `done` of `total` items; None when there are none.
    Only all done reaches the top step: 99.9 % is step 3."""
    if total <= 0:
        return None
    if done >= total:
        return len(GRADES) - 1
    share = percent(done / total)
    return next(step for step, (low, high) in enumerate(GRADES) if low <= share <= high)


def abbreviations(categories: Sequence[str], shortest: int = 3) -> dict[str, str]:
    """A short, unique label per category for a heatmap's column heads (the legend spells
    them out): the shortest prefix of at least `shortest` letters no other category shares;
    a name of up to five letters is kept whole."""
    found: dict[str, str] = {}
    for name in categories:
        if len(name) <= 5:
            found[name] = name
            continue
        others = [o.casefold() for o in categories if o != name]
        length = shortest
        while length < len(name) and any(o.startswith(name[:length].casefold()) for o in others):
            length += 1
        found[name] = name[:length].rstrip() + ("." if length < len(name) else "")
    return found


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
    def name(self) -> str:
        return self.unit.name

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


def top_of(unit_id: int, parent_of: Mapping[int, int | None]) -> int:
    """The id of a unit's top-level ancestor, its kommun (itself at the top), by each unit's
    parent id in `parent_of`; the climb stops at a parent not in it, or where a cycle
    comes back."""
    seen = {unit_id}
    top = unit_id
    while (parent := parent_of.get(top)) is not None and parent in parent_of and parent not in seen:
        top = parent
        seen.add(top)
    return top


def kommun_of(units: dict[int, UnitRow]) -> dict[int, UnitRow]:
    """Each unit's top-level ancestor (itself for a top-level unit); cycles stop where seen."""
    parent_of = {unit.id: unit.parent_id for unit in units.values()}
    return {unit_id: units[top_of(unit_id, parent_of)] for unit_id in units}


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
