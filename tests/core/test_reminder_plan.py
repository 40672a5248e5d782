"""The pure reminder planner and the reminder policy, on plain data.

Keys are stable for an unchanged project and change when a date moves;
before-deadline reminders go out at 08:00 local on the business day before a
day off; overdue items escalate step by step, and a project planned late has
every reminder whose day has gone by marked missed (a reminder due today is
still sent); optional items escalate no further than their own role unless
the policy says so; vote requests wait out quiet hours; each person's
time zone decides their 08:00; the cadence gives dated meetings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gatekeeper.core.reminders.plan import (
    OpenCondition,
    OpenItem,
    OpenReview,
    Person,
    ProjectState,
    plan,
)
from gatekeeper.core.reminders.policy import (
    CalendarPolicy,
    EscalationStep,
    FollowUpMeeting,
    RecurringMeeting,
    ReminderPolicy,
    add_months,
    meetings_between,
)
from gatekeeper.core.status import ProjectStatus

ANITA = Person("anita.lindqvist@alingsas.se", "Anita Lindqvist")
LARS = Person("lars.carlsson@alingsas.se", "Lars Carlsson")
ANIKO = Person("aniko.szabo@alingsas.se", "Aniko Szabo", time_zone="America/New_York")
KARIN = Person("karin.ek@alingsas.se", "Karin Ek")  # utbildningsansvarig

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 10:00 in Stockholm

ITEM = OpenItem(
    id=123,
    gate_id="go-live",
    gate_name="Go-live / driftstart",
    checklist_id="inforandestart",
    item_id="utbildningsplan",
    text="Utbildningsplan klar",
    responsible="utbildningsansvarig",
    due_on=date(2026, 12, 9),
)

CADENCE = (
    RecurringMeeting(
        id="styrgruppsmote",
        name="Styrgruppsmöte",
        roles=("styrgrupp", "projektledare"),
        every_months=2,
        phases=("beslut", "genomforande", "driftoverlamning"),
    ),
    RecurringMeeting(
        id="projektgrupp",
        name="Central projektgrupp",
        roles=("projektledare",),
        every_weeks=2,
        phases=("genomforande",),
        notice_days=(1,),
    ),
    FollowUpMeeting(
        id="uppfoljning",
        name="Uppföljning",
        roles=("projektledare",),
        after_phase="uppfoljning",
        months=(3, 6, 9, 12),
        notice_days=(7,),
    ),
)


def state(**changes: object) -> ProjectState:
    base = ProjectState(
        key="ibic-alingsas",
        name="Införande av IBIC",
        status=ProjectStatus.ACTIVE,
        phase="genomforande",
        final=False,
        started_on=date(2026, 9, 1),
        policy=ReminderPolicy(),
        members={
            "projektledare": (ANITA,),
            "styrgrupp": (LARS, ANIKO),
            "utbildningsansvarig": (KARIN,),
        },
        people={p.email: p for p in (ANITA, LARS, ANIKO, KARIN)},
        items=(ITEM,),
        phase_entries={"forstudie": date(2026, 9, 1), "genomforande": date(2026, 11, 2)},
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def keys(reminders: list[object]) -> list[str]:
    return [r.key for r in reminders]  # type: ignore[attr-defined]


def test_deadline_keys_say_what_when_and_to_whom() -> None:
    planned = [r for r in plan(state(), now=NOW) if r.subject_id == "123"]
    assert "deadline:item:123:2026-12-09:-14:karin.ek@alingsas.se" in keys(planned)
    before = next(r for r in planned if r.key.endswith(":-14:karin.ek@alingsas.se"))
    assert before.kind == "deadline" and before.subject_type == "checklist_item"
    assert before.title == "Om 14 dagar: Utbildningsplan klar – Införande av IBIC"
    # 2026-11-25 at 08:00 in Stockholm (UTC+1): already passed by an hour, within grace
    assert before.due_at == datetime(2026, 11, 25, 7, tzinfo=UTC)
    assert not before.late
    assert before.details["item_text"] == "Utbildningsplan klar"
    assert before.details["due_on"] == "2026-12-09"
    assert before.details["project_name"] == "Införande av IBIC"
    assert (
        before.link == "/projects/ibic-alingsas/gates/go-live#item-inforandestart-utbildningsplan"
    )
    assert all(isinstance(line, str) for line in before.details["lines"])


def test_planning_twice_gives_the_same_reminders() -> None:
    assert plan(state(), now=NOW) == plan(state(), now=NOW)


def test_moving_the_date_changes_every_key_of_the_item() -> None:
    first = {r.key for r in plan(state(), now=NOW) if r.subject_id == "123"}
    moved = state(items=(replace(ITEM, due_on=date(2026, 12, 16)),))
    second = {r.key for r in plan(moved, now=NOW) if r.subject_id == "123"}
    assert first and second and not first & second


def test_a_reminder_due_on_a_weekend_goes_out_on_friday() -> None:
    # 2026-12-09 - 3 days = Sunday 6 December → Friday 4 December 08:00
    three = next(r for r in plan(state(), now=NOW) if ":-3:" in r.key)
    assert three.due_at == datetime(2026, 12, 4, 7, tzinfo=UTC)
    assert three.title.startswith("Om 3 dagar: ")


def test_each_person_gets_08_00_in_their_own_time_zone() -> None:
    item = replace(ITEM, responsible="styrgrupp")
    planned = [r for r in plan(state(items=(item,)), now=NOW) if ":-3:" in r.key]
    by_person = {r.recipient_email: r.due_at for r in planned}
    assert by_person[LARS.email] == datetime(2026, 12, 4, 7, tzinfo=UTC)
    assert by_person[ANIKO.email] == datetime(2026, 12, 4, 13, tzinfo=UTC)  # 08:00 in New York


def test_overdue_items_escalate_in_business_days() -> None:
    planned = [r for r in plan(state(), now=NOW) if r.kind == "overdue"]
    steps = {(r.details["level"], r.recipient_email): r for r in planned}
    # due Wednesday 9 Dec: late from Thursday 10 Dec; +3 business days = Tuesday 15 Dec
    assert steps[(0, KARIN.email)].due_at == datetime(2026, 12, 10, 7, tzinfo=UTC)
    assert steps[(3, ANITA.email)].due_at == datetime(2026, 12, 15, 7, tzinfo=UTC)
    # +7 business days = Monday 21 Dec
    assert steps[(7, LARS.email)].due_at == datetime(2026, 12, 21, 7, tzinfo=UTC)
    assert steps[(7, ANIKO.email)].due_at == datetime(2026, 12, 21, 13, tzinfo=UTC)
    assert steps[(3, ANITA.email)].title == (
        "Försenad sedan 6 dagar: Utbildningsplan klar – Införande av IBIC"
    )
    assert steps[(3, ANITA.email)].key == (
        "overdue:item:123:2026-12-09:+3:anita.lindqvist@alingsas.se"
    )
    assert not any(r.late for r in planned)


def test_a_late_plan_marks_every_day_gone_by_as_missed() -> None:
    late_now = datetime(2026, 12, 16, 12, 0, tzinfo=UTC)  # after step +3, before +7
    planned = [r for r in plan(state(), now=late_now) if r.subject_id == "123"]
    fresh = {(r.kind, r.details["level"]) for r in planned if not r.late}
    assert fresh == {("overdue", 7)}
    assert {(r.kind, r.details["level"]) for r in planned if r.late} == {
        ("deadline", -14),
        ("deadline", -3),
        ("overdue", 0),
        ("overdue", 3),  # Tuesday 15 December: yesterday, so missed
    }
    # long after: everything is more than 30 days gone, so nothing is planned at all
    much_later = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    assert [r for r in plan(state(), now=much_later) if r.subject_id == "123"] == []


def test_a_reminder_due_today_is_sent_even_after_its_hour_and_yesterdays_is_missed() -> None:
    # Step +3 goes out Tuesday 15 December 08:00 Stockholm (07:00 UTC).
    def step_three(now: datetime) -> bool:
        planned = plan(state(), now=now)
        return next(
            r for r in planned if r.key.startswith("overdue:item:123:") and ":+3:" in r.key
        ).late

    assert not step_three(datetime(2026, 12, 15, 6, 0, tzinfo=UTC))  # before its hour
    assert not step_three(datetime(2026, 12, 15, 22, 59, tzinfo=UTC))  # 23:59 the same day
    assert step_three(datetime(2026, 12, 15, 23, 0, tzinfo=UTC))  # 00:00 Wednesday, Stockholm


def test_nobody_in_the_responsible_role_falls_back_to_the_escalation() -> None:
    item = replace(ITEM, responsible="kommunikator")
    planned = [r for r in plan(state(items=(item,)), now=NOW) if r.kind == "deadline"]
    assert {r.recipient_email for r in planned} == {ANITA.email}


def test_undated_items_and_stopped_projects_plan_nothing() -> None:
    assert [r for r in plan(state(items=(replace(ITEM, due_on=None),)), now=NOW)] == []
    for status in (ProjectStatus.ON_HOLD, ProjectStatus.TERMINATED, ProjectStatus.CLOSED):
        assert plan(state(status=status), now=NOW) == []
    assert plan(state(final=True), now=NOW) == []


def test_vote_requests_wait_for_the_morning_and_skip_who_voted() -> None:
    review = OpenReview(
        id=7,
        gate_id="go-live",
        gate_name="Go-live / driftstart",
        requested_at=datetime(2026, 11, 27, 19, 30, tzinfo=UTC),  # Friday 20:30
        seats=(ANITA.email, LARS.email, ANIKO.email),
        voted=frozenset({ANITA.email}),
        conflicted=frozenset(),
    )
    planned = [r for r in plan(state(items=(), reviews=(review,)), now=NOW) if r.kind]
    requests = {r.recipient_email: r for r in planned if r.kind == "vote_request"}
    assert set(requests) == {LARS.email, ANIKO.email}
    # Lars: Monday 07:00 Stockholm. Aniko (New York): Friday 14:30 there, so at once
    assert requests[LARS.email].due_at == datetime(2026, 11, 30, 6, tzinfo=UTC)
    assert requests[ANIKO.email].due_at == review.requested_at
    assert requests[LARS.email].title == "Din röst behövs: Go-live / driftstart – Införande av IBIC"
    assert requests[LARS.email].key == "vote_request:review:7:lars.carlsson@alingsas.se"
    assert requests[LARS.email].details["review_id"] == 7
    # One click from the e-mail or the inbox to the decision screen of the review.
    assert {r.link for r in planned if r.kind.startswith("vote_")} == {
        "/projects/ibic-alingsas/reviews/7"
    }
    later = sorted(
        (r.details["level"], r.due_at)
        for r in planned
        if r.recipient_email == LARS.email and r.kind == "vote_reminder"
    )
    # requested on Friday 27 Nov: +3 business days = Wed 2 Dec, +7 = Tue 8 Dec
    assert later == [
        (3, datetime(2026, 12, 2, 7, tzinfo=UTC)),
        (7, datetime(2026, 12, 8, 7, tzinfo=UTC)),
    ]
    conflicted = replace(review, conflicted=frozenset({LARS.email}))
    planned = plan(state(items=(), reviews=(conflicted,)), now=NOW)
    assert LARS.email not in {r.recipient_email for r in planned}


def test_conditions_remind_their_owner_and_escalate() -> None:
    condition = OpenCondition(
        id=5,
        text="Supportorganisationen bemannad",
        owner="jonas.berg@alingsas.se",
        due_on=date(2027, 1, 29),
        gate_name="Go-live / driftstart",
    )
    planned = plan(state(items=(), conditions=(condition,)), now=NOW)
    assert {r.kind for r in planned} == {"condition"}
    owner = [r for r in planned if r.recipient_email == "jonas.berg@alingsas.se"]
    assert {r.details["level"] for r in owner} == {-14, -3, 0}
    assert next(r for r in owner if r.details["level"] == -14).title == (
        "Villkor: Om 14 dagar: Supportorganisationen bemannad – Införande av IBIC"
    )
    assert next(r for r in owner if r.details["level"] == -14).details["condition_text"] == (
        condition.text
    )
    assert {r.details["level"] for r in planned if r.recipient_email == LARS.email} == {7}


def test_cadence_gives_meetings_and_their_notices() -> None:
    policy = ReminderPolicy(cadence=CADENCE)
    planned = [r for r in plan(state(items=(), policy=policy), now=NOW) if r.kind == "meeting"]
    styrgrupp = sorted({r.details["meeting_on"] for r in planned if "styrgruppsmote" in r.key})
    # every second month from entering genomforande on 2 Nov 2026; 2 Jan 2027 is a
    # Saturday after nyårsdagen and nyårsafton, 2 May a Sunday
    assert styrgrupp == ["2026-12-30"]  # the meetings of the next two months only
    # the daily job, planning again later, moves the window on
    later = [
        sorted(
            {
                r.details["meeting_on"]
                for r in plan(state(items=(), policy=policy), now=NOW + timedelta(days=days))
                if "styrgruppsmote" in r.key
            }
        )
        for days in (40, 100)
    ]
    assert later == [["2026-12-30", "2027-03-02"], ["2027-03-02", "2027-04-30"]]
    first = next(r for r in planned if r.key.startswith("meeting:ibic-alingsas:styrgruppsmote:"))
    assert first.title.startswith("Styrgruppsmöte 30 december 2026") and first.title.endswith(
        " – Införande av IBIC"
    )
    assert {r.recipient_email for r in planned if "styrgruppsmote" in r.key} == {
        ANITA.email,
        LARS.email,
        ANIKO.email,
    }
    assert not [r for r in planned if "uppfoljning" in r.key]  # not yet in uppfoljning


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
    ],
)
def test_add_months_stays_in_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_meetings_between_recurring_and_follow_ups() -> None:
    policy = ReminderPolicy(cadence=CADENCE)
    meetings = meetings_between(
        policy,
        started_on=date(2026, 9, 1),
        phase_entries={"genomforande": date(2026, 11, 2)},
        current_phase="genomforande",
        start=date(2026, 11, 1),
        end=date(2027, 1, 31),
    )
    styrgrupp = [m.on for m in meetings if m.cadence_id == "styrgruppsmote"]
    # 2 Jan 2027 is a Saturday, 1 Jan nyårsdagen and 31 Dec nyårsafton: held 30 Dec
    assert styrgrupp == [date(2026, 12, 30)]
    grupp = [m.on for m in meetings if m.cadence_id == "projektgrupp"]
    assert grupp[0] == date(2026, 11, 16) and len(grupp) == 6
    assert all(m.roles for m in meetings)
    follow = meetings_between(
        policy,
        started_on=date(2026, 9, 1),
        phase_entries={"uppfoljning": date(2027, 12, 1)},
        current_phase="uppfoljning",
        start=date(2027, 1, 1),
        end=date(2029, 1, 1),
    )
    assert [m.on for m in follow] == [
        date(2028, 3, 1),
        date(2028, 6, 1),
        date(2028, 9, 1),
        date(2028, 12, 1),
    ]


def test_recurring_meetings_without_phases_skip_final_phases() -> None:
    monthly = RecurringMeeting(id="m", name="Möte", roles=("projektledare",), every_months=1)
    policy = ReminderPolicy(
        cadence=(monthly,), calendar=CalendarPolicy(business_days=False, send_time=time(9))
    )
    args = {
        "started_on": date(2026, 1, 10),
        "phase_entries": {},
        "start": date(2026, 1, 1),
        "end": date(2026, 4, 30),
    }
    assert [m.on for m in meetings_between(policy, current_phase="x", **args)] == [  # type: ignore[arg-type]
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 10),
    ]
    assert (
        meetings_between(policy, current_phase="x", final_phases=frozenset({"x"}), **args)  # type: ignore[arg-type]
        == []
    )


def test_policy_values_refuse_impossible_cadence() -> None:
    with pytest.raises(ValueError, match="every N months or every N weeks"):
        RecurringMeeting(id="m", name="Möte", roles=("a",))
    with pytest.raises(ValueError, match="at least every 1"):
        RecurringMeeting(id="m", name="Möte", roles=("a",), every_weeks=0)
    assert ReminderPolicy().escalation[1] == EscalationStep(3, "projektledare")


PHASES = ("forstudie", "beslut", "genomforande", "driftoverlamning", "uppfoljning")


@given(
    cadence=st.lists(st.sampled_from(CADENCE), max_size=3, unique_by=lambda c: c.id),
    old=st.sampled_from(PHASES),
    new=st.sampled_from(PHASES),
    entered=st.dictionaries(
        st.sampled_from(PHASES), st.dates(date(2026, 9, 1), date(2027, 6, 30)), max_size=4
    ),
    today=st.dates(date(2026, 9, 1), date(2027, 12, 31)),
)
def test_a_phase_change_the_cadence_does_not_follow_moves_no_meeting(
    cadence: list[RecurringMeeting | FollowUpMeeting],
    old: str,
    new: str,
    entered: dict[str, date],
    today: date,
) -> None:
    """`meetings_follow_phase` is how a phase change knows it need not re-plan the
    meetings: when it says no, the meetings before and after the change are the same."""
    policy = ReminderPolicy(cadence=tuple(cadence))
    if policy.meetings_follow_phase(old, new):
        return
    window = {"started_on": date(2026, 9, 1), "start": today, "end": today + timedelta(days=60)}
    before = meetings_between(policy, phase_entries=entered, current_phase=old, **window)  # type: ignore[arg-type]
    after = meetings_between(
        policy,
        phase_entries={new: today, **entered},
        current_phase=new,
        **window,  # type: ignore[arg-type]
    )
    assert before == after
