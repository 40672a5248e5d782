"""Risks as the seeds score them: probability 1–4 times consequence 1–4, banded in a matrix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

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


# Risk value bands of the 1–4 × 1–4 matrix: (highest value in the band, its name).
BANDS = ((3, "low"), (6, "medium"), (9, "high"), (16, "very-high"))


def risk_band(score: int) -> str:
    """The band of a risk value: low, medium, high or very-high."""
    for limit, name in BANDS:
        if score <= limit:
            return name
    return BANDS[-1][1]


class Scored(Protocol):
    """Anything scored like a risk (a stored risk row, a `RiskState`)."""

    @property
    def probability(self) -> int: ...
    @property
    def consequence(self) -> int: ...
    @property
    def status(self) -> RiskStatus: ...


R = TypeVar("R", bound=Scored)


@dataclass(frozen=True)
class MatrixCell(Generic[R]):
    """One cell of the risk matrix with the open risks scored into it."""

    probability: int
    consequence: int
    score: int
    band: str
    risks: tuple[R, ...]


def risk_matrix(risks: Sequence[R]) -> tuple[tuple[MatrixCell[R], ...], ...]:
    """Open risks in a 4 × 4 grid: rows probability 4 down to 1, columns consequence 1 to 4."""
    return tuple(
        tuple(
            MatrixCell(
                probability=probability,
                consequence=consequence,
                score=probability * consequence,
                band=risk_band(probability * consequence),
                risks=tuple(
                    r
                    for r in risks
                    if r.status is RiskStatus.OPEN
                    and r.probability == probability
                    and r.consequence == consequence
                ),
            )
            for consequence in SCALE
        )
        for probability in reversed(SCALE)
    )
