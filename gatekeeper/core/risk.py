"""Risks as the seeds score them: probability 1–4 times consequence 1–4."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.core.status import RiskStatus

SCALE = range(1, 5)


def risk_score(probability: int, consequence: int) -> int:
    """The risk value (riskvärde), 1 to 16; raise ValueError outside the scale."""
    if probability not in SCALE or consequence not in SCALE:
        raise ValueError("probability and consequence are each scored 1 to 4")
    return probability * consequence


@dataclass(frozen=True)
class RiskState:
    """What the gate criteria need to know about one risk."""

    title: str
    probability: int
    consequence: int
    status: RiskStatus

    @property
    def score(self) -> int:
        return risk_score(self.probability, self.consequence)

    @property
    def is_open(self) -> bool:
        return self.status is RiskStatus.OPEN
