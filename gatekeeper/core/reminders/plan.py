"""The reminder planner: from a project as it stands to the notices it should send.

Pure: `plan(project, now=...)` takes a `ProjectState` of plain values and
returns `PlannedReminder`s; the service `gatekeeper.services.reminders.planning`
loads the state and keeps the database rows in step by `key`. A key says
what a notice is about, the date it hangs on and to whom it goes
(`deadline:item:123:2026-12-09:-14:anita.lindqvist@alingsas.se`), so
planning an unchanged project twice gives the same keys and moving a date
gives new ones. Reminders whose moment went by before anyone planned them are
returned with `late=True`: an existing row may still go out, but no new row is
made for them, so a project imported late does not get a pile of old mails.
Of the overdue escalation steps already passed only the latest is fresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gatekeeper.core.reminders import business_calendar as cal
from gatekeeper.core.reminders.policy import RESPONSIBLE, ReminderPolicy, meetings_between
from gatekeeper.core.status import ProjectStatus

HORIZON_DAYS = 400  # meetings are planned this far ahead (the daily job moves it on)
GRACE = timedelta(days=1)  # a moment passed by less than this is still sent
FORGET_AFTER = timedelta(days=30)  # older moments are not planned at all
TITLE_MAX = 500


@dataclass(frozen=True)
class Person:
    """A project member who can be reminded."""

    email: str
    name: str
    time_zone: str | None = None


@dataclass(frozen=True)
class OpenItem:
    """A checklist item that is neither done nor not applicable."""

    id: int
    gate_id: str
    gate_name: str
    checklist_id: str
    item_id: str
    text: str
    responsible: str  # a role
    due_on: date | None


@dataclass(frozen=True)
class OpenReview:
    """A gate review waiting for votes."""

    id: int
    gate_id: str
    gate_name: str
    requested_at: datetime
    seats: tuple[str, ...]  # e-mails of the members who may vote
    voted: frozenset[str] = frozenset()
    conflicted: frozenset[str] = frozenset()  # declared jäv


@dataclass(frozen=True)
class OpenCondition:
    """An open condition of a conditional go."""

    id: int
    text: str
    owner: str  # e-mail
    due_on: date | None
    gate_name: str = ""


@dataclass(frozen=True)
class ProjectState:
    """What the planner needs to know about one project."""

    key: str
    name: str
    status: ProjectStatus
    phase: str
    final: bool  # the phase is final
    started_on: date
    policy: ReminderPolicy
    members: Mapping[str, tuple[Person, ...]]  # role -> ordinary members (no ersättare)
    people: Mapping[str, Person] = field(default_factory=dict)  # e-mail -> anyone known
    items: tuple[OpenItem, ...] = ()
    reviews: tuple[OpenReview, ...] = ()
    conditions: tuple[OpenCondition, ...] = ()
    phase_entries: Mapping[str, date] = field(default_factory=dict)
    final_phases: frozenset[str] = frozenset()


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
    late: bool = False  # went by before it was planned: keep a row, add none


@dataclass(frozen=True)
class Parts:
    """Which kinds of notice to plan: a change re-plans only what it touches."""

    items: bool = True
    conditions: bool = True
    reviews: bool = True
    meetings: bool = True


ALL_PARTS = Parts()


def plan(
    project: ProjectState, *, now: datetime, parts: Parts = ALL_PARTS
) -> list[PlannedReminder]:
    """Every reminder (of the kinds in `parts`) the project should have now, sorted by key.

    With fewer `parts` the state need only hold what those parts read (the
    items of a few gates, say): each part plans from its own fields alone.
    """
    if project.status is not ProjectStatus.ACTIVE or project.final:
        return []
    planner = _Planner(project, now)
    if parts.items:
        planner.items()
    if parts.conditions:
        planner.conditions()
    if parts.reviews:
        planner.reviews()
    if parts.meetings:
        planner.meetings()
    return sorted(planner.out.values(), key=lambda r: r.key)


def days_sv(count: int) -> str:
    """'1 dag', '3 dagar'."""
    return f"{count} dag" if count == 1 else f"{count} dagar"


class _Planner:
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

    def _role(self, role: str) -> tuple[Person, ...]:
        return self.project.members.get(role, ())

    def _person(self, email: str) -> Person:
        return self.project.people.get(email) or Person(email=email, name="")

    def _zone(self, person: Person) -> ZoneInfo:
        return cal.zone(person.time_zone, default=self.calendar.time_zone)

    def _on(self, day: date, person: Person) -> datetime:
        """The send time on `day` (the business day before, if `day` is off) for `person`."""
        memo = (day, person.time_zone)
        found = self._on_memo.get(memo)
        if found is None:
            if self.calendar.business_days:
                day = cal.previous_business_day(day)
            found = cal.local_instant(day, self.calendar.send_time, self._zone(person))
            self._on_memo[memo] = found
        return found

    def _after(self, start: date, days: int) -> date:
        memo = (start, days)
        found = self._after_memo.get(memo)
        if found is None:
            if self.calendar.business_days:
                found = cal.add_business_days(cal.next_business_day(start), days)
            else:
                found = start + timedelta(days=days)
            self._after_memo[memo] = found
        return found

    def _add(self, reminder: PlannedReminder) -> None:
        if reminder.late and reminder.due_at < self.now - FORGET_AFTER:
            return  # too old to matter even if a row for it still waits
        self.out.setdefault(reminder.key, reminder)

    def _make(
        self,
        *,
        key: str,
        kind: str,
        person: Person,
        subject: tuple[str, str],
        title: str,
        lines: list[str],
        link: str,
        due_at: datetime,
        late: bool,
        **details: Any,
    ) -> PlannedReminder:
        body = {
            "project_key": self.project.key,
            "project_name": self.project.name,
            "lines": lines,
            **details,
        }
        return PlannedReminder(
            key=key,
            kind=kind,
            recipient_email=person.email,
            recipient_name=person.name,
            subject_type=subject[0],
            subject_id=subject[1],
            title=_clip(f"{title} – {self.project.name}"),
            details=body,
            link=link,
            due_at=due_at,
            late=late,
        )

    def _recipients(self, notify: str, responsible: tuple[Person, ...]) -> tuple[Person, ...]:
        if notify != RESPONSIBLE:
            return self._role(notify)
        if responsible:
            return responsible
        # Nobody holds the role: the first role the escalation names hears of it instead.
        for step in self.policy.escalation:
            if step.notify != RESPONSIBLE and self._role(step.notify):
                return self._role(step.notify)
        return ()

    # -- what reminds -------------------------------------------------------

    def items(self) -> None:
        for item in self.project.items:
            if item.due_on is None:
                continue
            anchor = f"item-{item.checklist_id}-{item.item_id}"
            link = f"/projects/{self.project.key}/gates/{item.gate_id}#{anchor}"
            self._deadline(
                prefix=f"item:{item.id}",
                subject=("checklist_item", str(item.id)),
                due_on=item.due_on,
                text=item.text,
                responsible=self._role(item.responsible),
                link=link,
                kind_before="deadline",
                kind_after="overdue",
                extra={
                    "item_text": item.text,
                    "gate_id": item.gate_id,
                    "gate_name": item.gate_name,
                    "role": item.responsible,
                },
                label="",
            )

    def conditions(self) -> None:
        for condition in self.project.conditions:
            if condition.due_on is None:
                continue
            self._deadline(
                prefix=f"condition:{condition.id}",
                subject=("condition", str(condition.id)),
                due_on=condition.due_on,
                text=condition.text,
                responsible=(self._person(condition.owner),),
                link=f"/projects/{self.project.key}",
                kind_before="condition",
                kind_after="condition",
                extra={"condition_text": condition.text, "gate_name": condition.gate_name},
                label="Villkor: ",
            )

    def _deadline(
        self,
        *,
        prefix: str,
        subject: tuple[str, str],
        due_on: date,
        text: str,
        responsible: tuple[Person, ...],
        link: str,
        kind_before: str,
        kind_after: str,
        extra: dict[str, Any],
        label: str,
    ) -> None:
        what = "villkoret" if subject[0] == "condition" else "punkten"
        for days in self.policy.before_deadline:
            day = due_on - timedelta(days=days)
            for person in self._recipients(RESPONSIBLE, responsible):
                due_at = self._on(day, person)
                when = "I dag" if days == 0 else "I morgon" if days == 1 else f"Om {days} dagar"
                self._add(
                    self._make(
                        key=f"{kind_before}:{prefix}:{due_on.isoformat()}:-{days}:{person.email}",
                        kind=kind_before,
                        person=person,
                        subject=subject,
                        title=f"{label}{when}: {text}",
                        lines=[
                            f'Deadline för {what} "{text}" i projektet '
                            f"{self.project.name} är {due_on.isoformat()}.",
                            "Markera den som klar i gatekeeper när den är gjord.",
                        ],
                        link=link,
                        due_at=due_at,
                        late=due_at < self.now - GRACE,
                        due_on=due_on.isoformat(),
                        level=-days,
                        **extra,
                    )
                )
        first_late_day = due_on + timedelta(days=1)
        steps = [
            (step, self._after(first_late_day, step.after_days)) for step in self.policy.escalation
        ]
        today = self.now.astimezone(cal.zone(self.calendar.time_zone)).date()
        passed = [day for _, day in steps if day <= today]
        latest_passed = max(passed) if passed else None
        for step, day in steps:
            late_by = (day - due_on).days
            for person in self._recipients(step.notify, responsible):
                due_at = self._on(day, person)
                role = "" if step.notify == RESPONSIBLE else f" Du får den som {step.notify}."
                self._add(
                    self._make(
                        key=f"{kind_after}:{prefix}:{due_on.isoformat()}:+{step.after_days}:"
                        f"{person.email}",
                        kind=kind_after,
                        person=person,
                        subject=subject,
                        title=f"{label}Försenad sedan {days_sv(late_by)}: {text}",
                        lines=[
                            f'Deadline för {what} "{text}" i projektet {self.project.name} '
                            f"var {due_on.isoformat()} och den är inte klar.{role}",
                        ],
                        link=link,
                        due_at=due_at,
                        late=day <= today and day != latest_passed,
                        due_on=due_on.isoformat(),
                        level=step.after_days,
                        notify=step.notify,
                        **extra,
                    )
                )

    def reviews(self) -> None:
        votes = self.policy.votes
        for review in self.project.reviews:
            link = f"/projects/{self.project.key}/gates/{review.gate_id}"
            waiting = [
                seat
                for seat in review.seats
                if seat not in review.voted and seat not in review.conflicted
            ]
            asked_on = review.requested_at.astimezone(cal.zone(self.calendar.time_zone)).date()
            for email in waiting:
                person = self._person(email)
                common = {
                    "review_id": review.id,
                    "gate_id": review.gate_id,
                    "gate_name": review.gate_name,
                }
                if votes.request:
                    due_at = cal.outside_quiet_hours(
                        review.requested_at,
                        self._zone(person),
                        quiet_start=self.calendar.quiet_start,
                        quiet_end=self.calendar.quiet_end,
                        business_days=self.calendar.business_days,
                    )
                    self._add(
                        self._make(
                            key=f"vote_request:review:{review.id}:{email}",
                            kind="vote_request",
                            person=person,
                            subject=("review", str(review.id)),
                            title=f"Din röst behövs: {review.gate_name}",
                            lines=[
                                f"Styrgruppen ombeds besluta om grinden {review.gate_name} "
                                f"i projektet {self.project.name}.",
                                "Granska underlaget och lägg din röst i gatekeeper.",
                            ],
                            link=link,
                            due_at=due_at,
                            late=False,
                            **common,
                        )
                    )
                for days in votes.remind_after_days:
                    day = self._after(asked_on, days)
                    due_at = self._on(day, person)
                    self._add(
                        self._make(
                            key=f"vote_reminder:review:{review.id}:+{days}:{email}",
                            kind="vote_reminder",
                            person=person,
                            subject=("review", str(review.id)),
                            title=f"Påminnelse – din röst behövs: {review.gate_name}",
                            lines=[
                                f"Granskningen av grinden {review.gate_name} begärdes "
                                f"{asked_on.isoformat()} och din röst saknas fortfarande.",
                            ],
                            link=link,
                            due_at=due_at,
                            late=due_at < self.now - GRACE,
                            level=days,
                            **common,
                        )
                    )

    def meetings(self) -> None:
        today = self.now.astimezone(cal.zone(self.calendar.time_zone)).date()
        project = self.project
        notice = {c.id: c.notice_days for c in self.policy.cadence}
        for meeting in meetings_between(
            self.policy,
            started_on=project.started_on,
            phase_entries=project.phase_entries,
            current_phase=project.phase,
            start=today - FORGET_AFTER,
            end=today + timedelta(days=HORIZON_DAYS),
            final_phases=project.final_phases,
        ):
            people = _unique(p for role in meeting.roles for p in self._role(role))
            for days in notice[meeting.cadence_id]:
                for person in people:
                    due_at = self._on(meeting.on - timedelta(days=days), person)
                    on = meeting.on.isoformat()
                    self._add(
                        self._make(
                            key=f"meeting:{project.key}:{meeting.cadence_id}:{on}:-{days}:"
                            f"{person.email}",
                            kind="meeting",
                            person=person,
                            subject=("meeting", f"{meeting.cadence_id}:{on}"),
                            title=f"{meeting.name} {on}",
                            lines=[
                                f"{meeting.name} i projektet {project.name} hålls {on}.",
                            ],
                            link=f"/projects/{project.key}",
                            due_at=due_at,
                            late=due_at < self.now - GRACE,
                            meeting_on=on,
                            cadence_id=meeting.cadence_id,
                            level=-days,
                        )
                    )


def _unique(people: Iterable[Person]) -> list[Person]:
    seen: dict[str, Person] = {}
    for person in people:
        seen.setdefault(person.email, person)
    return list(seen.values())


def _clip(text: str) -> str:
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


__all__ = [
    "GRACE",
    "HORIZON_DAYS",
    "OpenCondition",
    "OpenItem",
    "OpenReview",
    "Person",
    "PlannedReminder",
    "ProjectState",
    "days_sv",
    "plan",
]
