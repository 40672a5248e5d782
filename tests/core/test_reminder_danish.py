"""Reminders of a project whose workflow is Danish: Danish holidays, Danish words.

A workflow with `country: DK` gives its reminder calendar the Danish public
holidays (store bededag up to 2023 only, as the `holidays` library has it)
and the days Danish municipal offices close (grundlovsdag, juleaftensdag,
nytårsaftensdag); a reminder due on one goes out the business day before.
Swedish projects keep the Swedish calendar. A Danish project's reminders also
carry their title and lines in Danish (`details["da"]`), with number
agreement ("1 dag", "3 dage") and dates in words ("5. juni 2026").
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatekeeper.core.reminders import business_calendar as cal
from gatekeeper.core.reminders.plan import OpenItem, Person, ProjectState, plan
from gatekeeper.core.reminders.policy import CalendarPolicy, RecurringMeeting, ReminderPolicy
from gatekeeper.core.status import ProjectStatus
from gatekeeper.core.wording import count_phrase, date_da

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
SOFIE = Person("sofie.norgaard@skanderborg.example", "Sofie Nørgaard")
METTE = Person("mette.kjaer@skanderborg.example", "Mette Kjær")
RASMUS = Person("rasmus.dahl@skanderborg.example", "Rasmus Dahl")

ITEM = OpenItem(
    id=7,
    gate_id="plan-godkendt",
    gate_name="Plan godkendt",
    checklist_id="ics-plan",
    item_id="formaal",
    text="Formål beskrevet for hvert sigtepunkt",
    responsible="forankringsteam",
    due_on=date(2026, 6, 19),
)
DANISH = ReminderPolicy(
    escalation=ReminderPolicy().escalation[:1],
    calendar=CalendarPolicy(time_zone="Europe/Copenhagen", country="DK"),
)
SWEDISH = ReminderPolicy(escalation=ReminderPolicy().escalation[:1])


def state(policy: ReminderPolicy, *, language: str = "da", **changes: object) -> ProjectState:
    base = ProjectState(
        key="ics-forankring-skanderborg",
        name="Forankring af ICS på børne- og ungeområdet",
        status=ProjectStatus.ACTIVE,
        phase="plan",
        final=False,
        started_on=date(2026, 3, 2),
        policy=policy,
        members={
            "forankringsteam": (SOFIE,),
            "ledelse": (METTE,),
            "aktivitetsansvarlig": (RASMUS,),
        },
        people={p.email: p for p in (SOFIE, METTE, RASMUS)},
        items=(ITEM,),
        role_names={
            "forankringsteam": "Implementerings-/forankringsteam",
            "ledelse": "Ledelse",
            "aktivitetsansvarlig": "Aktivitetsansvarlig",
        },
        language=language,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def local_days(planned: list[object]) -> dict[int, date]:
    """The send day (Copenhagen) of each reminder, by its level (-14, -3, 0, …)."""
    return {
        r.details["level"]: r.due_at.astimezone(COPENHAGEN).date()  # type: ignore[attr-defined]
        for r in planned
    }


# -- the calendar ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 4, 2), "Skærtorsdag"),
        (date(2026, 4, 6), "Anden påskedag"),
        (date(2026, 5, 14), "Kristi himmelfartsdag"),
        (date(2026, 5, 25), "Anden pinsedag"),
        (date(2026, 6, 5), "Grundlovsdag"),
        (date(2026, 12, 24), "Juleaftensdag"),
        (date(2026, 12, 31), "Nytårsaftensdag"),
        (date(2023, 5, 5), "Store bededag"),
    ],
)
def test_danish_holidays_and_closed_days_are_days_off(day: date, name: str) -> None:
    assert not cal.is_business_day(day, "DK")
    assert cal.holiday_name(day, "DK") == name


def test_store_bededag_is_a_working_day_from_2024() -> None:
    # The fourth Friday after Easter: 26 April 2024 and 1 May 2026, both ordinary Fridays now.
    assert cal.is_business_day(date(2024, 4, 26), "DK")
    assert cal.holiday_name(date(2024, 4, 26), "DK") is None


def test_the_two_calendars_differ_where_the_countries_do() -> None:
    # 1 May and midsommarafton are off in Sweden, working days in Denmark;
    # grundlovsdag and Kristi himmelfart (the same in both) as their laws say.
    assert not cal.is_business_day(date(2026, 5, 1), "SE")
    assert cal.is_business_day(date(2026, 5, 1), "DK")
    assert not cal.is_business_day(date(2026, 6, 19), "SE")
    assert cal.is_business_day(date(2026, 6, 19), "DK")
    assert cal.is_business_day(date(2026, 6, 5), "SE")
    assert not cal.is_business_day(date(2026, 6, 5), "DK")
    assert cal.is_business_day(date(2026, 6, 5))  # Sweden unless told otherwise


def test_an_unknown_country_is_refused() -> None:
    with pytest.raises(ValueError, match="no business calendar for 'NO'"):
        cal.is_business_day(date(2026, 6, 5), "NO")


# -- reminders of a Danish project --------------------------------------------


def test_a_danish_holiday_moves_a_reminder_to_the_business_day_before() -> None:
    # Due 19 June 2026; 14 days before is Friday 5 June, grundlovsdag.
    planned = plan(state(DANISH), now=datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    days = local_days(planned)
    assert days[-14] == date(2026, 6, 4)  # Thursday, the business day before grundlovsdag
    assert days[-3] == date(2026, 6, 16)
    assert days[0] == date(2026, 6, 22)  # the first late day (a Saturday) → after the weekend
    assert all(r.due_at.astimezone(COPENHAGEN).hour == 8 for r in planned)  # type: ignore[attr-defined]


def test_a_swedish_project_keeps_the_swedish_calendar() -> None:
    # The same dates in Sweden: 5 June is an ordinary Friday; 19 June is midsommarafton.
    planned = plan(state(SWEDISH, language="sv"), now=datetime(2026, 5, 4, 6, 0, tzinfo=UTC))
    days = {
        r.details["level"]: r.due_at.astimezone(ZoneInfo("Europe/Stockholm")).date()  # type: ignore[attr-defined]
        for r in planned
    }
    assert days[-14] == date(2026, 6, 5)
    assert days[0] == date(2026, 6, 22)
    assert all("da" not in r.details for r in planned)  # type: ignore[attr-defined]


def test_a_danish_meeting_on_juleaftensdag_is_held_the_day_before() -> None:
    policy = replace(
        DANISH,
        cadence=(
            RecurringMeeting(
                id="teammode",
                name="Møde i implementerings-/forankringsteamet",
                roles=("forankringsteam",),
                every_months=1,
            ),
        ),
    )
    planned = plan(
        state(policy, started_on=date(2026, 10, 24), items=()),
        now=datetime(2026, 11, 25, 9, 0, tzinfo=UTC),
    )
    meetings = {r.details["meeting_on"] for r in planned}  # type: ignore[attr-defined]
    assert "2026-12-23" in meetings and "2026-12-24" not in meetings


def test_a_danish_project_keeps_its_reminders_in_danish_too() -> None:
    planned = plan(state(DANISH), now=datetime(2026, 6, 23, 6, 0, tzinfo=UTC))
    late = [r for r in planned if r.kind == "overdue"]
    assert late
    for reminder in late:
        danish = reminder.details["da"]
        assert reminder.details["language"] == "da"
        assert danish["title"] == (
            "Forsinket med 3 dage: Formål beskrevet for hvert sigtepunkt – "
            "Forankring af ICS på børne- og ungeområdet"
        )
        assert danish["lines"] == [
            'Fristen for punktet "Formål beskrevet for hvert sigtepunkt" i projektet '
            "Forankring af ICS på børne- og ungeområdet var 19. juni 2026, og det er "
            "ikke færdigt."
        ]
        assert reminder.title.startswith("Försenad sedan 3 dagar:")  # Swedish kept as well
        assert reminder.details["en"]["title"].startswith("Overdue by 3 days:")
    before = [r for r in planned if r.kind == "deadline"]
    assert all(r.late for r in before)  # their days went by before this planning


def test_danish_number_agreement_and_dates() -> None:
    assert count_phrase(1, "åbent punkt", "åbne punkter") == "1 åbent punkt"
    assert count_phrase(2, "åbne punkter", "åbne punkter") == "2 åbne punkter"
    assert count_phrase(1, "dag", "dage") == "1 dag"
    assert count_phrase(3, "dag", "dage") == "3 dage"
    assert date_da(date(2026, 6, 5)) == "5. juni 2026"
    late = plan(
        state(DANISH, items=(replace(ITEM, due_on=date(2026, 6, 22)),)),
        now=datetime(2026, 6, 23, 6, 0, tzinfo=UTC),
    )
    titles = [r.details["da"]["title"] for r in late if r.kind == "overdue"]
    assert titles and all(t.startswith("Forsinket med 1 dag:") for t in titles)


@settings(max_examples=60, deadline=None)
@given(
    due_on=st.dates(min_value=date(2023, 1, 1), max_value=date(2028, 12, 31)),
    before=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=4),
    after=st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=3),
)
def test_no_reminder_of_a_danish_project_falls_on_a_danish_day_off(
    due_on: date, before: list[int], after: list[int]
) -> None:
    steps = tuple(
        replace(ReminderPolicy().escalation[0], after_days=days, notify=role)
        for days, role in zip(after, ("responsible", "forankringsteam", "ledelse"), strict=False)
    )
    policy = replace(DANISH, before_deadline=tuple(before), escalation=steps)
    now = datetime.combine(due_on - timedelta(days=70), datetime.min.time(), tzinfo=UTC)
    planned = plan(state(policy, items=(replace(ITEM, due_on=due_on),)), now=now)
    assert planned
    for reminder in planned:
        local = reminder.due_at.astimezone(COPENHAGEN).date()
        assert cal.is_business_day(local, "DK"), (local, cal.holiday_name(local, "DK"))
        assert local.weekday() < 5
