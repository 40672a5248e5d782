"""The Enheter page's filters: whose units, which kommun, which wave, how ready.

A filter is a plain value that the page keeps in its address (`visa=mina`,
`kommun=boras`, `wave=vag-1`, `beredskap=forsenad`); a unit is listed when it
matches every part that is set. What a unit is judged on (`UnitFacts`) is
worked out by the service: its kommun (top-level unit), its wave, whether the
viewer answers for it (as its införandeansvarig or that of a unit above it:
the rule that lets them tick it) and its readiness state, which follows the
rollout's one readiness rule (`core.rollout.unit_readiness.UnitReadiness`):
ready when every mandatory item is satisfied, late (*försenad*) when a
mandatory item is open past its deadline, otherwise not ready. A late unit is
also not ready.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Show(StrEnum):
    """Whose units: the viewer's own (`mina`) or everyone's (`alla`)."""

    MINE = "mina"
    ALL = "alla"


class UnitState(StrEnum):
    """A unit's readiness, in the words of the address."""

    READY = "redo"
    NOT_READY = "inte-redo"
    OVERDUE = "forsenad"


def unit_state(*, ready: bool, overdue: int) -> UnitState:
    """The state of a unit the readiness rule has judged (`ready`, mandatory items late)."""
    if ready:
        return UnitState.READY
    return UnitState.OVERDUE if overdue else UnitState.NOT_READY


@dataclass(frozen=True)
class UnitFacts:
    """What the filters look at of one unit."""

    kommun: str  # the key of its top-level unit (itself for a kommun)
    wave: str | None
    mine: bool
    state: UnitState | None  # None: the unit holds no checklist items


@dataclass(frozen=True)
class UnitFilter:
    """The filters in force; None (or False) leaves that part open."""

    mine: bool = False
    kommun: str | None = None
    wave: str | None = None
    readiness: UnitState | None = None

    @property
    def narrowed(self) -> bool:
        """Whether any part is set."""
        return self.mine or any(v is not None for v in (self.kommun, self.wave, self.readiness))

    def matches(self, facts: UnitFacts) -> bool:
        """Whether a unit with `facts` passes every part that is set. "inte-redo" takes the
        late units too (a late unit is not ready); "forsenad" only those."""
        if self.mine and not facts.mine:
            return False
        if self.kommun is not None and facts.kommun != self.kommun:
            return False
        if self.wave is not None and facts.wave != self.wave:
            return False
        if self.readiness is UnitState.NOT_READY:
            return facts.state in (UnitState.NOT_READY, UnitState.OVERDUE)
        if self.readiness is not None:
            return facts.state is self.readiness
        return True
