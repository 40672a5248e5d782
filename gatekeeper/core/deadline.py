"""Deadlines relative to a gate's target date: the seeds' *kritisk linje*.

A checklist item says `due: -90d` (ninety days before the gate's target date)
or `-52w`; moving the target date moves every relative deadline with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# ASCII only: `\d` alone would also accept digits such as "٩٠".
_PATTERN = re.compile(r"^([+-]?)(\d{1,4})([dw])$", re.ASCII)


@dataclass(frozen=True)
class RelativeDeadline:
    """A whole number of days before (negative) or after the target date."""

    days: int

    @classmethod
    def parse(cls, text: str) -> RelativeDeadline:
        """Read `-90d`, `-52w`, `0d` or `+14d`; raise ValueError otherwise."""
        match = _PATTERN.match(text.strip())
        if match is None:
            raise ValueError(
                f"'{text}' is not a relative deadline; write days or weeks such as -90d, -12w or 0d"
            )
        sign, number, unit = match.groups()
        days = int(number) * (7 if unit == "w" else 1)
        return cls(-days if sign == "-" else days)

    def on(self, target: date) -> date:
        """The deadline's calendar date for a given target date."""
        return target + timedelta(days=self.days)

    def __str__(self) -> str:
        if self.days % 7 == 0 and self.days != 0:
            return f"{self.days // 7:+d}w"
        return f"{self.days:+d}d"

    def describe_sv(self) -> str:
        """'T-90 dagar' in the words of a Swedish project plan."""
        if self.days == 0:
            return "på måldatum"
        sign = "-" if self.days < 0 else "+"
        return f"T{sign}{abs(self.days)} dagar"


def item_due_on(target: date | None, offset_days: int | None) -> date | None:
    """The one rule for a checklist item's dated deadline: its gate's target date moved by
    the item's offset; None when the gate has no target date or the item no deadline."""
    if target is None or offset_days is None:
        return None
    return RelativeDeadline(offset_days).on(target)
