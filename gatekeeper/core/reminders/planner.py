"""The reminder planner's workbench: who is reminded, at which moment, under which key.

`Planner` holds one project's state and the moment of planning; the families
of reminders (`deadline_reminders`, `vote_reminders`, `meeting_reminders`)
add `PlannedReminder`s to it through `make` and `add`. A moment on a day off
moves to the business day before (when the policy counts business days), at
the policy's send time in the recipient's time zone. A key says what a
notice is about, the date it hangs on and to whom it goes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gatekeeper.core.reminders import business_calendar as cal
from gatekeeper.core.reminders.policy import RESPONSIBLE
from gatekeeper.core.reminders.project_state import Person, ProjectState
from gatekeeper.core.wording import count_phrase

# Meeting notices are planned for the meetings of the next two months: the next
# meeting of every cadence of up to two months, and its notices well before they
# fall due. The daily job re-plans every project and so moves the window on; a
# farther horizon only added rows (a year of notices) to every phase change.
HORIZON_DAYS = 62
FORGET_AFTER = timedelta(days=30)  # older missed moments are not planned (nor logged) at all
TITLE_MAX = 500


@dataclass(frozen=True)
class PlannedReminder:
    """One notice to one person, as the planner wants it."""

    key: str
    kind: str  # a ReminderKind value
    recipient_email: str
    recipient_name: str
    subject_type: str
    subject_id: str
    title: str
    details: dict[str, Any]
    link: str
    due_at: datetime
    late: bool = False  # its send day went by before it was planned: logged as missed, not sent


def days_sv(count: int) -> str:
    """'1 dag', '3 dagar'."""
    return count_phrase(count, "dag", "dagar")


def days_da(count: int) -> str:
    """'1 dag', '3 dage'."""
    return count_phrase(count, "dag", "dage")


def days_en(count: int) -> str:
    """'1 day', '3 days'."""
    return count_phrase(count, "day", "days")


class Planner:
    """One planning of one project: the reminders found so far, by key."""

    def __init__(self, project: ProjectState, now: datetime) -> None:
        self.project = project
        self.policy = project.policy
        self.calendar = project.policy.calendar
        self.now = now.astimezone(UTC)
        self.out: dict[str, PlannedReminder] = {}
        # Many notices share a day and a zone: each moment is worked out once per plan.
        self._on_memo: dict[tuple[date, str | None], datetime] = {}
        self._after_memo: dict[tuple[date, int], date] = {}

    # -- people and moments -------------------------------------------------

    def role(self, role: str) -> tuple[Person, ...]:
        return self.project.members.get(role, ())

    def role_name(self, role: str) -> str:
        """The role's name as the workflow writes it ("Styrgrupp"), never its id."""
        return self.project.role_names.get(role, role)

    def person(self, email: str) -> Person:
        return self.project.people.get(email) or Person(email=email, name="")

    def zone(self, person: Person) -> ZoneInfo:
        return cal.zone(person.time_zone, default=self.calendar.time_zone)

    def on_day(self, day: date, person: Person) -> datetime:
        """The send time on `day` (the business day before, if `day` is off) for `person`."""
        memo = (day, person.time_zone)
        found = self._on_memo.get(memo)
        if found is None:
            if self.calendar.business_days:
                day = cal.previous_business_day(day, self.calendar.country)
            found = cal.local_instant(day, self.calendar.send_time, self.zone(person))
            self._on_memo[memo] = found
        return found

    def missed(self, due_at: datetime, person: Person) -> bool:
        """Whether `due_at` fell on a day before today, both in `person`'s time zone.

        The boundary of "too late to send": a notice due today goes out even if
        its hour has passed; one due yesterday or earlier is logged as missed.
        """
        zone = self.zone(person)
        return due_at.astimezone(zone).date() < self.now.astimezone(zone).date()

    def after(self, start: date, days: int) -> date:
        memo = (start, days)
        found = self._after_memo.get(memo)
        if found is None:
            if self.calendar.business_days:
                country = self.calendar.country
                found = cal.add_business_days(cal.next_business_day(start, country), days, country)
            else:
                found = start + timedelta(days=days)
            self._after_memo[memo] = found
        return found

    def add(self, reminder: PlannedReminder) -> None:
        if reminder.late and reminder.due_at < self.now - FORGET_AFTER:
            return  # too old to matter even if a row for it still waits
        self.out.setdefault(reminder.key, reminder)

    def make(
        self,
        *,
        key: str,
        kind: str,
        person: Person,
        subject: tuple[str, str],
        title: str,
        lines: list[str],
        title_en: str,
        lines_en: list[str],
        title_da: str,
        lines_da: list[str],
        link: str,
        due_at: datetime,
        late: bool,
        **details: Any,
    ) -> PlannedReminder:
        body = {
            "project_key": self.project.key,
            "project_name": self.project.name,
            "lines": lines,
            # For recipients who chose English: the same notice in their words.
            "en": {"title": clip(f"{title_en} – {self.project.name}"), "lines": lines_en},
            **details,
        }
        if self.project.language == "da":
            # A Danish project: Danish for everyone who has not chosen a language.
            body["language"] = "da"
            body["da"] = {"title": clip(f"{title_da} – {self.project.name}"), "lines": lines_da}
        return PlannedReminder(
            key=key,
            kind=kind,
            recipient_email=person.email,
            recipient_name=person.name,
            subject_type=subject[0],
            subject_id=subject[1],
            title=clip(f"{title} – {self.project.name}"),
            details=body,
            link=link,
            due_at=due_at,
            late=late,
        )

    def recipients(self, notify: str, responsible: tuple[Person, ...]) -> tuple[Person, ...]:
        if notify != RESPONSIBLE:
            return self.role(notify)
        if responsible:
            return responsible
        # Nobody holds the role: the first role the escalation names hears of it instead.
        for step in self.policy.escalation:
            if step.notify != RESPONSIBLE and self.role(step.notify):
                return self.role(step.notify)
        return ()

    def today(self) -> date:
        """The planning day in the policy's time zone."""
        return self.now.astimezone(cal.zone(self.calendar.time_zone)).date()


def unique(people: Iterable[Person]) -> list[Person]:
    seen: dict[str, Person] = {}
    for person in people:
        seen.setdefault(person.email, person)
    return list(seen.values())


def clip(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"
