"""Business days (Swedish or Danish), send times and quiet hours for reminders.

A business day is a weekday that is neither a public holiday of the
project's country (`holidays`, the "SE" or "DK" calendar, cached per year)
nor one of the days on which its public offices close all the same. In
Sweden those are the three eves kept as if they were Sundays: midsommarafton,
julafton and nyårsafton. In Denmark they are grundlovsdag, juleaftensdag and
nytårsaftensdag, days off under the municipal agreements (the library lists
them only as "optional", and not in every version, so they are computed here);
store bededag is a holiday up to 2023 only, as the library has it (abolished
from 2024). Weekends are never business days, whatever a version of the
library says about Sundays. The country is the workflow's (`country:`,
default SE), carried by the reminder policy's calendar. A reminder due on a day
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
DEFAULT_COUNTRY = "SE"
COUNTRIES = ("SE", "DK")  # the calendars a workflow may name (`country:`)
_LANGUAGE = {"SE": "sv", "DK": "da"}  # holidays are named in the country's own language
_SATURDAY = 5


def _closed_days(year: int, country: str) -> dict[date, str]:
    """The days the country's public offices close besides the public holidays.

    Sweden: midsommarafton (the Friday of 19–25 June), julafton and nyårsafton.
    Denmark: grundlovsdag (5 June), juleaftensdag and nytårsaftensdag.
    """
    if country == "DK":
        return {
            date(year, 6, 5): "Grundlovsdag",
            date(year, 12, 24): "Juleaftensdag",
            date(year, 12, 31): "Nytårsaftensdag",
        }
    midsommarafton = next(
        day for day in (date(year, 6, d) for d in range(19, 26)) if day.weekday() == 4
    )
    return {
        midsommarafton: "Midsommarafton",
        date(year, 12, 24): "Julafton",
        date(year, 12, 31): "Nyårsafton",
    }


@lru_cache(maxsize=128)
def _days_off(year: int, country: str) -> dict[date, str]:
    """Public holidays and the closed days of one year (weekends aside), with names."""
    if country not in COUNTRIES:
        raise ValueError(f"no business calendar for {country!r}; use one of {COUNTRIES}")
    public = holidays.country_holidays(country, years=year, language=_LANGUAGE[country])
    return {**{day: str(name) for day, name in public.items()}, **_closed_days(year, country)}


def holiday_name(day: date, country: str = DEFAULT_COUNTRY) -> str | None:
    """The name of the holiday or closed day on `day` in `country` (in its language), if any."""
    return _days_off(day.year, country).get(day)


def is_business_day(day: date, country: str = DEFAULT_COUNTRY) -> bool:
    """A weekday that is not a holiday or closed day of `country` (Sweden by default)."""
    return day.weekday() < _SATURDAY and day not in _days_off(day.year, country)


def previous_business_day(day: date, country: str = DEFAULT_COUNTRY) -> date:
    """`day` itself if it is a business day, else the nearest business day before it."""
    while not is_business_day(day, country):
        day -= timedelta(days=1)
    return day


def next_business_day(day: date, country: str = DEFAULT_COUNTRY) -> date:
    """`day` itself if it is a business day, else the nearest business day after it."""
    while not is_business_day(day, country):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, count: int, country: str = DEFAULT_COUNTRY) -> date:
    """The `count`th business day after `day` (before it when negative).

    `count == 0` gives `day` unchanged, business day or not.
    """
    step = timedelta(days=1 if count > 0 else -1)
    remaining = abs(count)
    while remaining:
        day += step
        if is_business_day(day, country):
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
    country: str = DEFAULT_COUNTRY,
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
    if business_days and not is_business_day(day, country):
        day, moved = next_business_day(day, country), True
    if not moved:
        return instant.astimezone(UTC)
    return local_instant(day, quiet_end, tz)


__all__ = [
    "COUNTRIES",
    "DEFAULT_COUNTRY",
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
