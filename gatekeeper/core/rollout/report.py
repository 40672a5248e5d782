"""The steering group's readiness report, per wave: a row per kommun, its units not ready.

Each wave's units are grouped under their kommun with the one readiness
definition (`core.rollout.unit_readiness`): a kommun's row in a wave is its
units in that wave ready of its units in that wave, so the rows of a wave add
up to the wave's figure. Under each kommun the units not ready are named
with their mandatory items done; where most of a kommun's units are not ready,
the few that are ready are named instead ("alla utom …"), so that a printed
report of a thousand units stays a few pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gatekeeper.core.rollout.readiness import WaveReadiness
from gatekeeper.core.rollout.rows import Counts, UnitRow
from gatekeeper.core.rollout.unit_readiness import UnitReadiness


@dataclass(frozen=True)
class KommunInWave:
    """One kommun's units in one wave: ready of all, what holds them back, which are not."""

    kommun: UnitRow
    counts: Counts
    overdue: int  # mandatory items past their deadline, over its units
    lacking_evidence: int  # mandatory items done without the evidence demanded
    not_ready: tuple[UnitReadiness, ...]
    ready: tuple[UnitReadiness, ...]

    @property
    def name_the_ready(self) -> bool:
        """Fewer names to print by naming the units that are ready ("alla utom …")."""
        return len(self.ready) < len(self.not_ready)


def kommuner_in_wave(
    wave: WaveReadiness,
    units: Sequence[UnitReadiness],
    sort_key: Callable[[str], str] = str.casefold,
) -> tuple[KommunInWave, ...]:
    """The wave's units grouped under their kommun, kommuner in name order."""
    groups: dict[int, list[UnitReadiness]] = {}
    for u in units:
        if u.wave is not None and u.wave.id == wave.wave.id:
            groups.setdefault(u.kommun.id, []).append(u)
    rows = []
    for members in groups.values():
        counts = Counts()
        for u in members:
            counts += u.counts()
        rows.append(
            KommunInWave(
                kommun=members[0].kommun,
                counts=counts,
                overdue=sum(u.overdue for u in members),
                lacking_evidence=sum(u.lacking_evidence for u in members),
                not_ready=tuple(u for u in members if not u.ready),
                ready=tuple(u for u in members if u.ready),
            )
        )
    rows.sort(key=lambda r: (sort_key(r.kommun.name), r.kommun.id))
    return tuple(rows)
