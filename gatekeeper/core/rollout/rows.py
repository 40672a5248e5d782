"""The rows a rollout's readiness is computed from: waves, units, counted cells and items, risks.

They arrive already counted from the database (per unit × category, per wave
× item), so `core.rollout.readiness` works on a few thousand small records
rather than tens of thousands of item states. `Counts` adds up units ready and
mandatory items satisfied at any level (unit, wave, kommun).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

HIGH_RISK_SCORE = 12  # probability × consequence from here up is "mycket hög" (12–16)


def percent(share: float) -> int:
    """A share in whole percent, rounded down (79.5 % never reads 80 %)."""
    return math.floor(share * 100 + 1e-9)


def tal(number: int) -> str:
    """A count as Swedish writes it: thousands set off by a no-break space (1 004)."""
    return f"{number:,}".replace(",", "\u00a0")


def share_of(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


# --- input rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveRow:
    """A wave of the rollout."""

    id: int
    key: str
    name: str
    go_live_on: date
    position: int = 0
    status: str = "planned"


@dataclass(frozen=True)
class UnitRow:
    """A unit (kommun, förvaltning or enhet) with its parent and wave."""

    id: int
    key: str
    name: str
    kind: str
    parent_id: int | None = None
    wave_id: int | None = None


@dataclass(frozen=True)
class CellCounts:
    """One unit's items of one category, counted (items marked not applicable left out)."""

    unit_id: int
    category: str
    total: int = 0
    done: int = 0
    mandatory: int = 0
    mandatory_satisfied: int = 0  # done, with evidence where demanded
    lacking_evidence: int = 0  # mandatory, done, but without the evidence demanded
    overdue: int = 0  # mandatory, open and past its deadline
    done_recent: int = 0  # mandatory, done in the last PACE_WEEKS weeks
    position: int = 0  # of the category's first item in the checklist (orders the columns)


@dataclass(frozen=True)
class ItemCounts:
    """One checklist item across the units of one wave, counted."""

    wave_id: int | None
    checklist_id: str
    item_id: str
    text: str
    category: str
    mandatory: bool
    due_offset_days: int | None
    open: int = 0  # units where it is not done (and not marked not applicable)
    lacking_evidence: int = 0  # units where it is done without the evidence demanded
    open_evidence: int = 0  # units where it is open and demands evidence
    position: int = 0


@dataclass(frozen=True)
class HighRisk:
    """An open risk scored at or above `HIGH_RISK_SCORE`."""

    title: str
    score: int


# --- the review ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """Units ready of units, and mandatory items satisfied of mandatory items."""

    units: int = 0
    ready: int = 0
    mandatory: int = 0
    mandatory_satisfied: int = 0

    @property
    def share_ready(self) -> float:
        return share_of(self.ready, self.units)

    @property
    def share_items(self) -> float:
        return share_of(self.mandatory_satisfied, self.mandatory)

    @property
    def all_ready(self) -> bool:
        return self.ready == self.units

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.units + other.units,
            self.ready + other.ready,
            self.mandatory + other.mandatory,
            self.mandatory_satisfied + other.mandatory_satisfied,
        )
