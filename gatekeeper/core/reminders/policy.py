"""A workflow's reminder policy: who is told what, when, and its meeting cadence.

Frozen values read from the optional `reminders:` section of a workflow (see
docs/formats.md); a workflow that says nothing gets `ReminderPolicy()`, the
defaults below. `meetings_between` turns the cadence into dated meetings of
one project: recurring meetings (every N months or weeks while the project is
in given phases) and anchored follow-ups (N months after the project entered
a phase). A meeting that falls on a day off moves to the business day before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from gatekeeper.core.reminders.business_calendar import (
    DEFAULT_COUNTRY,
    DEFAULT_TIME_ZONE,
    previous_business_day,
)

RESPONSIBLE = "responsible"  # escalation target: the item's role or the condition's owner


@dataclass(frozen=True)
class EscalationStep:
    """Tell `notify` (a role, or `responsible`) once an item is `after_days` overdue."""

    after_days: int
    notify: str


DEFAULT_ESCALATION = (
    EscalationStep(0, RESPONSIBLE),
    EscalationStep(3, "projektledare"),
    EscalationStep(7, "styrgrupp"),
)


@dataclass(frozen=True)
class VotePolicy:
    """Vote requests when a review is asked for, and reminders of votes not cast."""

    request: bool = True
    remind_after_days: tuple[int, ...] = (3, 7)


@dataclass(frozen=True)
class CalendarPolicy:
    """Business days (of `country`: SE or DK), the hour reminders go out, quiet hours
    and the default zone."""

    business_days: bool = True
    send_time: time = time(8, 0)
    quiet_start: time = time(18, 0)
    quiet_end: time = time(7, 0)
    time_zone: str = DEFAULT_TIME_ZONE
    country: str = DEFAULT_COUNTRY  # whose holidays are days off: the workflow's `country:`


@dataclass(frozen=True)
class RecurringMeeting:
    """A meeting every `every_months` months or `every_weeks` weeks while the
    project is in one of `phases` (empty: every phase that is not final)."""

    id: str
    name: str
    roles: tuple[str, ...]
    every_months: int | None = None
    every_weeks: int | None = None
    phases: tuple[str, ...] = ()
    notice_days: tuple[int, ...] = (7, 1)

    def __post_init__(self) -> None:
        if (self.every_months is None) == (self.every_weeks is None):
            raise ValueError("a recurring meeting repeats every N months or every N weeks")
        if (self.every_months or self.every_weeks or 0) < 1:
            raise ValueError("a recurring meeting repeats at least every 1 month or week")


@dataclass(frozen=True)
class FollowUpMeeting:
    """Meetings `months` months after the project entered `after_phase`."""

    id: str
    name: str
    roles: tuple[str, ...]
    after_phase: str
    months: tuple[int, ...]
    notice_days: tuple[int, ...] = (7, 1)


Cadence = RecurringMeeting | FollowUpMeeting


@dataclass(frozen=True)
class ReminderPolicy:
    """Everything a workflow says about reminders; the defaults when it says nothing.

    Open conditions of a conditional go are reminded `before_deadline` days
    before their due date and escalated by `escalation` like checklist items,
    with `responsible` meaning the condition's owner. Optional items
    (`mandatory: false`) are reminded to their responsible role only, before
    the deadline and on the day they are late, and escalate no further
    (neither to the projektledare nor the styrgrupp) unless `escalate_optional`.
    """

    before_deadline: tuple[int, ...] = (14, 3)
    escalation: tuple[EscalationStep, ...] = DEFAULT_ESCALATION
    escalate_optional: bool = False
    votes: VotePolicy = field(default_factory=VotePolicy)
    calendar: CalendarPolicy = field(default_factory=CalendarPolicy)
    cadence: tuple[Cadence, ...] = ()

    def meetings_follow_phase(self, old_phase: str, new_phase: str) -> bool:
        """Whether moving from `old_phase` to `new_phase` can change the meetings:
        a recurring meeting held in one of them (or, naming no phases, in any phase)
        or a follow-up counted from entering one of them."""
        moved = {old_phase, new_phase}
        for cadence in self.cadence:
            if isinstance(cadence, RecurringMeeting):
                if not cadence.phases or moved & set(cadence.phases):
                    return True
            elif cadence.after_phase in moved:
                return True
        return False


@dataclass(frozen=True)
class Meeting:
    """One dated meeting of a project's cadence."""

    cadence_id: str
    name: str
    on: date
    roles: tuple[str, ...]


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months, kept within the month (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = (next_month - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def meetings_between(
    policy: ReminderPolicy,
    *,
    started_on: date,
    phase_entries: Mapping[str, date],
    current_phase: str,
    start: date,
    end: date,
    final_phases: frozenset[str] = frozenset(),
) -> list[Meeting]:
    """The project's meetings dated `start`..`end` (inclusive), in date order.

    A recurring meeting counts from the date the project entered the first of
    its phases it has entered (or from `started_on` when it names no phases),
    the first one a whole interval after that date, and is held only while
    `current_phase` is one of its phases (any phase not in `final_phases`
    when it names none). A follow-up counts from the date the project entered
    its `after_phase` and is held once that phase is entered. On a day off a
    meeting moves to the business day before, if the policy keeps business days.
    """
    meetings: list[Meeting] = []
    for cadence in policy.cadence:
        if isinstance(cadence, RecurringMeeting):
            dates = _recurring(cadence, started_on, phase_entries, current_phase, end, final_phases)
        else:
            anchor = phase_entries.get(cadence.after_phase)
            dates = [] if anchor is None else [add_months(anchor, m) for m in cadence.months]
        for day in dates:
            calendar = policy.calendar
            held = previous_business_day(day, calendar.country) if calendar.business_days else day
            if start <= held <= end:
                meetings.append(Meeting(cadence.id, cadence.name, held, cadence.roles))
    return sorted(meetings, key=lambda m: (m.on, m.cadence_id))


def _recurring(
    cadence: RecurringMeeting,
    started_on: date,
    phase_entries: Mapping[str, date],
    current_phase: str,
    end: date,
    final_phases: frozenset[str],
) -> list[date]:
    if cadence.phases:
        if current_phase not in cadence.phases:
            return []
        entered = [phase_entries[p] for p in cadence.phases if p in phase_entries]
        anchor = entered[0] if entered else started_on
    else:
        if current_phase in final_phases:
            return []
        anchor = started_on
    dates: list[date] = []
    step = 1
    while True:
        if cadence.every_months is not None:
            day = add_months(anchor, cadence.every_months * step)
        else:
            day = anchor + timedelta(weeks=(cadence.every_weeks or 1) * step)
        if day > end + timedelta(days=7):  # a day off moves a meeting at most a few days back
            return dates
        dates.append(day)
        step += 1


__all__ = [
    "DEFAULT_ESCALATION",
    "RESPONSIBLE",
    "Cadence",
    "CalendarPolicy",
    "EscalationStep",
    "FollowUpMeeting",
    "Meeting",
    "RecurringMeeting",
    "ReminderPolicy",
    "VotePolicy",
    "add_months",
    "meetings_between",
]
