"""A small line chart of a goal's measurements, as numbers an SVG template draws.

Drawn server-side (no JavaScript, no style attributes: the pages' CSP): the
measurements as a line with a dot each, the baseline (nuläge) and the target
(målvärde) as dashed lines across, dates spread by time along the x axis. A
text indicator has no chart; the table beside it is the accessible version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from gatekeeper.core.followup.goal import number_text, parse_number

WIDTH = 320
HEIGHT = 160
LEFT = 44  # room for the value labels
RIGHT = 12
TOP = 12
BOTTOM = 28  # room for the date labels


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # "2027-03-31: 72,5"


@dataclass(frozen=True)
class ChartLine:
    y: float
    value: str


@dataclass(frozen=True)
class Chart:
    """The geometry of one goal's chart in a WIDTH × HEIGHT viewBox."""

    points: tuple[ChartPoint, ...]
    baseline: ChartLine | None
    target: ChartLine | None
    low: str  # the value at the bottom of the scale
    high: str  # the value at the top
    first_date: str
    last_date: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def chart(
    readings: Sequence[tuple[date, str]], *, baseline: str, target: str, numeric: bool
) -> Chart | None:
    """The chart of `readings` (date, value) in date order; None when there is nothing to draw."""
    if not numeric:
        return None
    values = [(day, parse_number(value)) for day, value in readings]
    numbers = [(day, n) for day, n in values if n is not None]
    base = parse_number(baseline)
    goal = parse_number(target)
    if not numbers:
        return None
    scale = [n for _, n in numbers] + [v for v in (base, goal) if v is not None]
    low, high = min(scale), max(scale)
    if low == high:
        low, high = low - 1, high + 1
    first, last = numbers[0][0], numbers[-1][0]
    span = (last - first).days or 1
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + inner_h * (high - value) / (high - low)

    def x_of(day: date) -> float:
        if first == last:
            return LEFT + inner_w / 2
        return LEFT + inner_w * (day - first).days / span

    return Chart(
        points=tuple(
            ChartPoint(x_of(day), y_of(n), f"{day.isoformat()}: {number_text(n)}")
            for day, n in numbers
        ),
        baseline=ChartLine(y_of(base), number_text(base)) if base is not None else None,
        target=ChartLine(y_of(goal), number_text(goal)) if goal is not None else None,
        low=number_text(low),
        high=number_text(high),
        first_date=first.isoformat(),
        last_date=last.isoformat(),
    )
