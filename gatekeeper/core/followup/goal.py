"""Goals, benefits and their measurements: what a value means against the last one,
the baseline (nuläge) and the target (målvärde).

A goal is an effektmål, projektmål or delmål (a delmål may belong to a goal
above it), or a nytta of the nyttoregister (DIGG's shape: nytta, indikator,
mätmetod, nuläge, målvärde, tidpunkt, nyttoansvarig). All share one
measurement model: a value on a date, with its källa and a comment. A goal's
indicator is numeric (a percentage, a count, days, the Danish barometer 1–5)
or free text; numbers are written the Swedish way or the English way
("72,5" or "72.5").

The comparison rule, in one place: a target above the baseline is reached at
or above it, a target below the baseline at or below it (fewer days of
waiting, say), and without a baseline a target is reached at or above it. A
text target is reached when the latest value says the same (case aside).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class GoalKind(StrEnum):
    """The kinds of goal the seeds keep, and the nyttoregister's nytta."""

    EFFEKTMAL = "effektmal"
    PROJEKTMAL = "projektmal"
    DELMAL = "delmal"
    NYTTA = "nytta"


GOAL_KIND_SV: dict[GoalKind, str] = {
    GoalKind.EFFEKTMAL: "Effektmål",
    GoalKind.PROJEKTMAL: "Projektmål",
    GoalKind.DELMAL: "Delmål",
    GoalKind.NYTTA: "Nytta",
}

_NUMBER = re.compile(r"^[+-]?(\d{1,15}([.,]\d{1,6})?|[.,]\d{1,6})$")


def parse_number(text: str) -> float | None:
    """The number `text` states ("72,5", "72.5", "-3", "1 200"), or None when it is no number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    value = float(cleaned.replace(",", "."))
    return value if math.isfinite(value) else None


def number_text(value: float) -> str:
    """A number as Swedish text: 72,5; 4; -3,25 (no trailing zeros)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def target_reached(value: float, target: float, baseline: float | None) -> bool:
    """Whether `value` has reached `target`, going the way from `baseline` to the target."""
    if baseline is not None and target < baseline:
        return value <= target
    return value >= target


@dataclass(frozen=True)
class Reading:
    """One measurement as the comparison and the criteria see it."""

    measured_on: date
    value: str


@dataclass(frozen=True)
class Comparison:
    """A measurement against the previous one, the baseline and the target (numbers only)."""

    change: float | None  # since the previous measurement
    from_baseline: float | None
    to_target: float | None  # how far is left to the target (0 once reached)
    reached: bool | None  # None: no target to reach, or not a number


def compare(
    value: str, *, previous: str | None, baseline: str, target: str, numeric: bool
) -> Comparison:
    """`value` against the `previous` measurement, the baseline and the target."""
    if not numeric:
        reached = value.strip().casefold() == target.strip().casefold() if target.strip() else None
        return Comparison(None, None, None, reached)
    number = parse_number(value)
    if number is None:
        return Comparison(None, None, None, None)
    before = parse_number(previous) if previous is not None else None
    base = parse_number(baseline)
    goal = parse_number(target)
    reached = target_reached(number, goal, base) if goal is not None else None
    left = None
    if goal is not None:
        left = 0.0 if reached else abs(goal - number)
    return Comparison(
        change=number - before if before is not None else None,
        from_baseline=number - base if base is not None else None,
        to_target=left,
        reached=reached,
    )


@dataclass(frozen=True)
class GoalState:
    """What the gate criteria need to know about one goal or nytta."""

    key: str
    title: str
    kind: GoalKind
    numeric: bool
    baseline: str
    target: str
    measure_points: tuple[date, ...]
    readings: tuple[Reading, ...]  # in date order

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None

    def missing_points(self, today: date | None) -> tuple[date, ...]:
        """The mätpunkter passed by `today` (all, without a date) with no measurement
        on or after them."""
        return tuple(
            point
            for point in self.measure_points
            if (today is None or point <= today)
            and not any(reading.measured_on >= point for reading in self.readings)
        )

    def reached(self) -> bool:
        """Whether the latest measurement has reached the target (never without either)."""
        latest = self.latest
        if latest is None or not self.target.strip():
            return False
        outcome = compare(
            latest.value,
            previous=None,
            baseline=self.baseline,
            target=self.target,
            numeric=self.numeric,
        )
        return bool(outcome.reached)


def next_point(points: Sequence[date], today: date) -> date | None:
    """The first mätpunkt on or after `today`."""
    return min((point for point in points if point >= today), default=None)
