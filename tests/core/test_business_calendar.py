"""Swedish business days, send instants and quiet hours, as a Swede expects them.

Public holidays come from `holidays`; julafton, midsommarafton and nyårsafton
are days off too (offices close; the library calls them de facto holidays),
so a reminder due on juldagen 2026 goes out on 23 December.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.core.reminders import business_calendar as cal

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "Nyårsdagen"),
        (date(2026, 1, 6), "Trettondedag jul"),
        (date(2026, 4, 3), "Långfredagen"),
        (date(2026, 4, 6), "Annandag påsk"),
        (date(2026, 5, 1), "Första maj"),
        (date(2026, 5, 14), "Kristi himmelsfärdsdag"),
        (date(2027, 6, 6), "Nationaldagen"),  # a Sunday in 2027, a Saturday in 2026
        (date(2026, 6, 19), "Midsommarafton"),
        (date(2026, 6, 20), "Midsommardagen"),
        (date(2026, 12, 24), "Julafton"),
        (date(2026, 12, 25), "Juldagen"),
        (date(2026, 12, 31), "Nyårsafton"),
        (date(2025, 6, 6), "Nationaldagen"),
    ],
)
def test_swedish_holidays_and_closed_eves_are_days_off(day: date, name: str) -> None:
    assert not cal.is_business_day(day)
    assert cal.holiday_name(day) == name


def test_ordinary_weekdays_are_business_days_and_weekends_are_not() -> None:
    assert cal.is_business_day(date(2026, 11, 25))  # a Wednesday
    assert cal.holiday_name(date(2026, 11, 25)) is None
    assert not cal.is_business_day(date(2026, 11, 28))  # Saturday
    assert not cal.is_business_day(date(2026, 11, 29))  # Sunday
    # skärtorsdagen and valborg are half days, not days off
    assert cal.is_business_day(date(2026, 4, 2))
    assert cal.is_business_day(date(2026, 4, 30))


def test_a_reminder_due_on_a_holiday_goes_out_the_business_day_before() -> None:
    assert cal.previous_business_day(date(2026, 12, 25)) == date(2026, 12, 23)
    assert cal.previous_business_day(date(2026, 6, 20)) == date(2026, 6, 18)
    assert cal.previous_business_day(date(2027, 1, 1)) == date(2026, 12, 30)
    assert cal.previous_business_day(date(2026, 4, 6)) == date(2026, 4, 2)  # påsk
    assert cal.previous_business_day(date(2026, 11, 25)) == date(2026, 11, 25)
    assert cal.next_business_day(date(2026, 12, 24)) == date(2026, 12, 28)
    assert cal.next_business_day(date(2026, 11, 25)) == date(2026, 11, 25)


def test_adding_business_days_skips_weekends_and_holidays() -> None:
    assert cal.add_business_days(date(2026, 12, 22), 0) == date(2026, 12, 22)
    assert cal.add_business_days(date(2026, 12, 27), 0) == date(2026, 12, 27)  # unchanged
    assert cal.add_business_days(date(2026, 12, 23), 1) == date(2026, 12, 28)
    assert cal.add_business_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert cal.add_business_days(date(2026, 12, 23), 4) == date(2027, 1, 4)
    assert cal.add_business_days(date(2027, 1, 4), -1) == date(2026, 12, 30)
    assert cal.add_business_days(date(2026, 11, 30), -1) == date(2026, 11, 27)


def test_local_send_time_becomes_utc_across_summer_time() -> None:
    assert cal.local_instant(date(2026, 1, 15), time(8), STOCKHOLM) == datetime(
        2026, 1, 15, 7, tzinfo=UTC
    )
    assert cal.local_instant(date(2026, 7, 15), time(8), STOCKHOLM) == datetime(
        2026, 7, 15, 6, tzinfo=UTC
    )
    helsinki = cal.zone("Europe/Helsinki")
    assert cal.local_instant(date(2026, 1, 15), time(8), helsinki) == datetime(
        2026, 1, 15, 6, tzinfo=UTC
    )
    # 02:30 on the spring-forward night does not exist; it lands an hour later
    assert cal.local_instant(date(2026, 3, 29), time(2, 30), STOCKHOLM) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )


def test_unknown_or_missing_zones_fall_back() -> None:
    assert cal.zone(None) == STOCKHOLM
    assert cal.zone("Mars/Olympus") == STOCKHOLM
    assert cal.zone(None, default="Europe/Copenhagen") == ZoneInfo("Europe/Copenhagen")
    assert cal.is_time_zone("Europe/Stockholm")
    assert not cal.is_time_zone("Europe/Stokholm")
    assert not cal.is_time_zone("../etc/passwd")


def _quiet(instant: datetime, **kwargs: object) -> datetime:
    return cal.outside_quiet_hours(
        instant, STOCKHOLM, quiet_start=time(18), quiet_end=time(7), **kwargs
    )


def test_event_driven_notices_wait_for_the_end_of_quiet_hours() -> None:
    at = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # Wednesday 10:30
    assert _quiet(at) == at
    # Wednesday 19:00 local → Thursday 07:00 local
    assert _quiet(datetime(2026, 11, 25, 18, tzinfo=UTC)) == datetime(2026, 11, 26, 6, tzinfo=UTC)
    # Thursday 05:00 local → the same morning at 07:00
    assert _quiet(datetime(2026, 11, 26, 4, tzinfo=UTC)) == datetime(2026, 11, 26, 6, tzinfo=UTC)
    # Friday evening → Monday morning
    assert _quiet(datetime(2026, 11, 27, 20, tzinfo=UTC)) == datetime(2026, 11, 30, 6, tzinfo=UTC)
    # Saturday noon → Monday morning; on julafton → 28 December
    assert _quiet(datetime(2026, 11, 28, 11, tzinfo=UTC)) == datetime(2026, 11, 30, 6, tzinfo=UTC)
    assert _quiet(datetime(2026, 12, 24, 10, tzinfo=UTC)) == datetime(2026, 12, 28, 6, tzinfo=UTC)
    # without business days only the hours count
    saturday = datetime(2026, 11, 28, 11, tzinfo=UTC)
    assert _quiet(saturday, business_days=False) == saturday


def test_quiet_windows_within_a_day_and_empty_ones() -> None:
    assert cal.in_quiet_hours(time(12, 30), start=time(12), end=time(13))
    assert not cal.in_quiet_hours(time(13), start=time(12), end=time(13))
    assert not cal.in_quiet_hours(time(3), start=time(7), end=time(7))
    lunch = cal.outside_quiet_hours(
        datetime(2026, 11, 25, 11, 30, tzinfo=UTC),
        STOCKHOLM,
        quiet_start=time(12),
        quiet_end=time(13),
    )
    assert lunch == datetime(2026, 11, 25, 12, tzinfo=UTC)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@given(days)
def test_previous_business_day_is_a_business_day_on_or_before(day: date) -> None:
    found = cal.previous_business_day(day)
    assert cal.is_business_day(found) and found <= day
    assert all(
        not cal.is_business_day(found + timedelta(days=n)) for n in range(1, (day - found).days + 1)
    )


@given(days)
def test_next_business_day_is_a_business_day_on_or_after(day: date) -> None:
    found = cal.next_business_day(day)
    assert cal.is_business_day(found) and found >= day
    assert (found - day).days <= 5


@given(days, st.integers(min_value=-30, max_value=30))
def test_adding_business_days_counts_exactly(day: date, count: int) -> None:
    found = cal.add_business_days(day, count)
    if count == 0:
        assert found == day
        return
    assert cal.is_business_day(found)
    low, high = sorted((day, found))
    between = [low + timedelta(days=n) for n in range(1, (high - low).days + 1) if count > 0] or [
        low + timedelta(days=n) for n in range((high - low).days)
    ]
    assert sum(cal.is_business_day(d) for d in between) == abs(count)


@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC)
    )
)
def test_a_deferred_notice_is_never_in_quiet_hours_or_on_a_day_off(instant: datetime) -> None:
    moved = _quiet(instant)
    local = moved.astimezone(STOCKHOLM)
    assert moved >= instant
    assert cal.is_business_day(local.date())
    assert not cal.in_quiet_hours(local.time(), start=time(18), end=time(7))
