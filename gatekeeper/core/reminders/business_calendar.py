"""Swedish business days, send times and quiet hours for reminders.

A business day is a weekday that is neither a public holiday (`holidays`, the
"SE" calendar, cached per year) nor one of the three eves on which Swedish
offices close as if it were a Sunday: midsommarafton, julafton and nyårsafton
(the library lists them only as "de facto" holidays, and not in every
version, so they are computed here). Weekends are never business days,
whatever a version of the library says about Sundays. A reminder due on a day
off goes out on the business day before; an event-driven notice (a vote
request) that arises in quiet hours or on a day off waits until the end of
quiet hours on the next business day. Times are turned into UTC instants with
`zoneinfo`, so a person's own time zone decides when "08:00" is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

DEFAULT_TIME_ZONE = "Europe/Stockholm"
_SATURDAY = 5


def _eves(year: int) -> dict[date, str]:
    """The eves Swedish workplaces treat as days off: the Friday of 19–25 June, 24 and 31 Dec."""
    midsommarafton = next(
        day for day in (date(year, 6, d) for d in range(19, 26)) if day.weekday() == 4
    )
    return {
        midsommarafton: "Midsommarafton",
        date(year, 12, 24): "Julafton",
        date(year, 12, 31): "Nyårsafton",
    }


@lru_cache(maxsize=64)
def _days_off(year: int) -> dict[date, str]:
    """Public holidays and the closed eves of one year (weekends aside), with names."""
    public = holidays.country_holidays("SE", years=year, language="sv")
    return {**{day: str(name) for day, name in public.items()}, **_eves(year)}


def holiday_name(day: date) -> str | None:
    """The Swedish name of the holiday or closed eve on `day`, if any."""
    return _days_off(day.year).get(day)


def is_business_day(day: date) -> bool:
    """A weekday that is not a Swedish holiday or closed eve."""
    return day.weekday() < _SATURDAY and day not in _days_off(day.year)


def previous_business_day(day: date) -> date:
    """`day` itself if it is a business day, else the nearest business day before it."""
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def next_business_day(day: date) -> date:
    """`day` itself if it is a business day, else the nearest business day after it."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int) -> date:
    """The `count`th business day after `day` (before it when negative).

    `count == 0` gives `day` unchanged, business day or not.
    """
    step = timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_business_day(day):
            remaining -= 1
    return day


def zone(name: str | None, *, default: str = DEFAULT_TIME_ZONE) -> ZoneInfo:
    """The IANA zone `name`, or `default` when it is missing or unknown."""
    for candidate in (name, default, DEFAULT_TIME_ZONE):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    raise ZoneInfoNotFoundError(default)  # pragma: no cover - Europe/Stockholm always exists


def is_time_zone(name: str) -> bool:
    """Whether `name` is a real IANA time zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a local date and wall-clock time in `tz`.

    A wall time skipped by a DST change is read with the offset before the
    change (zoneinfo's `fold=0`), so it lands an hour later in local time.
    """
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def in_quiet_hours(moment: time, *, start: time, end: time) -> bool:
    """Whether a local wall time lies in the quiet window [start, end), which may span midnight."""
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def outside_quiet_hours(
    instant: datetime,
    tz: ZoneInfo,
    *,
    quiet_start: time,
    quiet_end: time,
    business_days: bool = True,
) -> datetime:
    """When an event-driven notice arising at `instant` may go out (UTC).

    Unchanged outside quiet hours on a business day; otherwise the end of
    quiet hours on the next business day (the same morning if it arose after
    midnight on a business day).
    """
    local = instant.astimezone(tz)
    day, wall = local.date(), local.time().replace(tzinfo=None)
    moved = False
    if in_quiet_hours(wall, start=quiet_start, end=quiet_end):
        moved = True
        if quiet_start > quiet_end and wall >= quiet_start:
            day += timedelta(days=1)  # the evening part of an overnight window
    if business_days and not is_business_day(day):
        day, moved = next_business_day(day), True
    if not moved:
        return instant.astimezone(UTC)
    return local_instant(day, quiet_end, tz)


__all__ = [
    "DEFAULT_TIME_ZONE",
    "add_business_days",
    "holiday_name",
    "in_quiet_hours",
    "is_business_day",
    "is_time_zone",
    "local_instant",
    "next_business_day",
    "outside_quiet_hours",
    "previous_business_day",
    "zone",
]
