"""Clocks: time comes from an injectable clock; tests move it instead of sleeping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from gatekeeper.core.clock import Clock, FixedClock, SystemClock

START = datetime(2025, 3, 12, 9, 0, tzinfo=UTC)


def read(clock: Clock) -> datetime:
    return clock.now()


def test_fixed_clock_stands_still() -> None:
    clock = FixedClock(START)
    assert read(clock) == START
    assert read(clock) == START


def test_fixed_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2025, 3, 12, 9, 0))


def test_fixed_clock_refuses_a_naive_set() -> None:
    clock = FixedClock(START)
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.set(datetime(2025, 9, 1, 8, 0))
    assert clock.now() == START


def test_advance_moves_time_forward() -> None:
    clock = FixedClock(START)
    clock.advance(timedelta(days=90))
    assert clock.now() == datetime(2025, 6, 10, 9, 0, tzinfo=UTC)
    clock.advance(timedelta(hours=1, minutes=30))
    assert clock.now() == datetime(2025, 6, 10, 10, 30, tzinfo=UTC)


def test_set_jumps_to_a_given_time() -> None:
    clock = FixedClock(START)
    go_live = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)
    clock.set(go_live)
    assert clock.now() == go_live


def test_set_accepts_any_aware_time_zone() -> None:
    clock = FixedClock(START)
    stockholm_summer = timezone(timedelta(hours=2))
    clock.set(datetime(2025, 9, 1, 10, 0, tzinfo=stockholm_summer))
    assert clock.now() == datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def test_system_clock_is_aware_utc() -> None:
    now = read(SystemClock())
    assert now.tzinfo is not None
    assert now.utcoffset() == timedelta(0)
