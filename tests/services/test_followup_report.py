"""The follow-up report of a date matches what the audit log says was true then.

Seed 002's "uppföljning per 31 mars" for IBIC in Alingsås: the aktivitetsplan
is changed after a day D, and the report of D still shows the old values while
today's shows the new ones; the head (phase, next gate, decisions, high risks,
checklist progress) is the one of that day too. A hypothesis test runs random
sequences of activity changes over days and compares each day's report with
the changes made up to that day and with the state replayed from the log.
Bad dates are refused naming `date`; the cross-project report shows only the
projects a person may see.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatekeeper.core.access import Principal
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ActivityStatus, ItemStatus, RiskStatus
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.context import Context
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import history
from gatekeeper.services.projects import project as projects
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.reports import followup_report as reports
from tests.factories import PROJEKTLEDARE, approve_gate, start_ibic, tick_gate

KEY = "ibic-alingsas"


def _person(email: str) -> Principal:
    return Principal(email=email, name=email, is_admin=False, can_write=True)


D0 = date(2026, 11, 25)  # the day start_ibic creates the project (the test clock's day)


def _line(report: reports.FollowupReport, title: str) -> reports.ReportActivity:
    return next(a for a in report.activities if a.title == title)


def _add(ctx: Context, title: str, **fields: Any) -> int:
    row = activities.add_activity(ctx, PROJEKTLEDARE, project_key=KEY, title=title, **fields)
    assert row.id is not None
    return row.id


def test_the_report_of_a_past_day_shows_the_aktivitetsplan_as_it_stood_then(
    ctx: Context, clock: FixedClock
) -> None:
    start_ibic(ctx)
    utbildning = _add(
        ctx,
        "Ökad kunskap i IBIC – utbildnings- och träningsinsats",
        start=date(2026, 2, 2),
        end=date(2026, 11, 30),
        responsible="Anita Lindqvist",
        status=ActivityStatus.IN_PROGRESS,
        comment="Första omgången klar.",
    )
    handledning = _add(
        ctx,
        "Handledning i dokumentation för utförare",
        start=date(2026, 9, 1),
        end=date(2026, 12, 18),
        responsible="Jonas Berg",
    )
    clock.advance(timedelta(days=6))  # 2026-12-01: the day D of the report
    day = ctx.today()
    activities.update_activity(
        ctx, PROJEKTLEDARE, project_key=KEY, activity_id=utbildning, comment="Halvvägs."
    )
    clock.advance(timedelta(days=9))  # 2026-12-10: everything changes after D
    activities.update_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        activity_id=utbildning,
        status=ActivityStatus.DONE,
        comment="Genomfört enligt plan.",
    )
    activities.update_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        activity_id=handledning,
        status=ActivityStatus.POSTPONED,
        postponed_to=date(2027, 3, 1),
        comment="Handledarna är fullbokade under hösten.",
        responsible="Malin Holmberg",
    )
    _add(ctx, "Uppföljning av IBIC-utbildningen", end=date(2027, 2, 26))

    then = reports.followup_report(ctx, KEY, day)
    now = reports.followup_report(ctx, KEY, ctx.today())

    old = _line(then, "Ökad kunskap i IBIC – utbildnings- och träningsinsats")
    assert (old.status, old.comment, old.late) == (ActivityStatus.IN_PROGRESS, "Halvvägs.", True)
    waiting = _line(then, "Handledning i dokumentation för utförare")
    assert (waiting.status, waiting.postponed_to, waiting.responsible, waiting.comment) == (
        ActivityStatus.NOT_STARTED,
        None,
        "Jonas Berg",
        "",
    )
    assert [a.title for a in then.activities] == [
        "Ökad kunskap i IBIC – utbildnings- och träningsinsats",
        "Handledning i dokumentation för utförare",
    ]

    new = _line(now, "Ökad kunskap i IBIC – utbildnings- och träningsinsats")
    assert (new.status, new.comment, new.late) == (
        ActivityStatus.DONE,
        "Genomfört enligt plan.",
        False,
    )
    moved = _line(now, "Handledning i dokumentation för utförare")
    assert (moved.status, moved.postponed_to, moved.responsible) == (
        ActivityStatus.POSTPONED,
        date(2027, 3, 1),
        "Malin Holmberg",
    )
    assert now.activities[-1].title == "Uppföljning av IBIC-utbildningen"  # undated start: last

    # What the audit log says was true at the end of D is what the report shows.
    replayed = history.state_as_of(ctx, KEY, reports.end_of_day(day)).activities
    assert {int(k): (v["status"], v["comment"]) for k, v in replayed.items()} == {
        a.activity_id: (a.status.value, a.comment) for a in then.activities
    }


def test_the_head_says_where_the_project_stood_that_day(ctx: Context, clock: FixedClock) -> None:
    start_ibic(ctx)  # 2026-11-25, förstudie
    clock.advance(timedelta(days=1))  # 2026-11-26
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        checklist_id="forstudie",
        item_id="intervjuer",
        status=ItemStatus.DONE,
    )
    risk = risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Verksamhetssystemet stöder inte IBIC-dokumentationen",
        probability=3,
        consequence=3,
        owner="Jonas Berg",
    )
    risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=KEY, title="Lokaler saknas", probability=1, consequence=2
    )
    clock.advance(timedelta(days=1))  # 2026-11-27
    tick_gate(ctx, KEY, "forstudie-klar")
    approve_gate(ctx, KEY, "forstudie-klar")
    assert risk.id is not None
    risks.update_risk(
        ctx, PROJEKTLEDARE, project_key=KEY, risk_id=risk.id, status=RiskStatus.CLOSED
    )

    first = reports.followup_report(ctx, KEY, D0)
    second = reports.followup_report(ctx, KEY, D0 + timedelta(days=1))
    third = reports.followup_report(ctx, KEY, D0 + timedelta(days=2))

    assert (first.phase_name, second.phase_name, third.phase_name) == (
        "Förstudie",
        "Förstudie",
        "Beslut",
    )
    assert first.next_gate is not None and second.next_gate is not None
    assert first.next_gate.name == second.next_gate.name == "Förstudie klar"
    assert first.next_gate.target_date == date(2026, 12, 15)
    assert first.next_gate.items_done == 0
    assert second.next_gate.items_done == 1
    assert second.next_gate.items_counted == first.next_gate.items_counted > 1
    assert third.next_gate is not None and third.next_gate.name == "Beslut om genomförande"
    assert first.decided == second.decided == ()
    assert [(d.gate_name, d.outcome) for d in third.decided] == [("Förstudie klar", "go")]
    assert first.high_risks == ()
    assert [(r.title, r.score) for r in second.high_risks] == [
        ("Verksamhetssystemet stöder inte IBIC-dokumentationen", 9)
    ]
    assert third.high_risks == ()  # closed by then


def test_a_day_after_today_or_before_the_project_existed_is_refused(ctx: Context) -> None:
    start_ibic(ctx)
    with pytest.raises(ValidationFailed) as future:
        reports.followup_report(ctx, KEY, D0 + timedelta(days=1))
    assert future.value.field == "date"
    assert "ligger i framtiden" in future.value.message
    with pytest.raises(ValidationFailed) as before:
        reports.followup_report(ctx, KEY, D0 - timedelta(days=1))
    assert before.value.field == "date"
    assert "fanns inte i gatekeeper den 2026-11-24" in before.value.message
    with pytest.raises(ValidationFailed) as portfolio:
        reports.portfolio_report(ctx, _person("x@alingsas.se"), D0 + timedelta(days=1))
    assert portfolio.value.field == "date"


def _boras(ctx: Context) -> None:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="boras-tes",
        name="Införande av TES i hemtjänsten",
        workflow_id="inforande",
        organisation="Vård- och äldreförvaltningen, Borås stad",
        started_on=date(2026, 10, 1),
        members=(
            projects.MemberSpec("Karin Ström", "karin.strom@boras.se", "projektledare"),
            projects.MemberSpec("Anita Lindqvist", "anita.lindqvist@alingsas.se", "styrgrupp"),
        ),
    )


def test_across_projects_each_person_sees_their_own_projects_one_section_each(
    ctx: Context, clock: FixedClock
) -> None:
    start_ibic(ctx)
    clock.advance(timedelta(days=2))
    _boras(ctx)
    today = ctx.today()

    anita = reports.portfolio_report(ctx, _person("anita.lindqvist@alingsas.se"), today)
    karin = reports.portfolio_report(ctx, _person("karin.strom@boras.se"), today)
    earlier = reports.portfolio_report(ctx, _person("anita.lindqvist@alingsas.se"), D0)
    alingsas = reports.portfolio_report(
        ctx,
        _person("anita.lindqvist@alingsas.se"),
        today,
        organisation="Vård- och omsorgsförvaltningen, Alingsås kommun",
    )
    stranger = reports.portfolio_report(ctx, _person("okand@example.se"), today)

    assert [s.project_name for s in anita.sections] == [
        "Införande av IBIC",
        "Införande av TES i hemtjänsten",
    ]
    assert anita.organisations == (
        "Vård- och omsorgsförvaltningen, Alingsås kommun",
        "Vård- och äldreförvaltningen, Borås stad",
    )
    assert [s.project_key for s in karin.sections] == ["boras-tes"]
    assert [s.project_key for s in earlier.sections] == [KEY]
    assert earlier.not_yet == ("Införande av TES i hemtjänsten",)
    assert [s.project_key for s in alingsas.sections] == [KEY]
    assert stranger.sections == () and stranger.organisations == ()


_keys = itertools.count(1)
STATUSES = list(ActivityStatus)
COMMENTS = ("", "Enligt plan.", "Försenad: leverantören väntar på beslut.", "Klart – se rapport.")
ENDS = (None, date(2026, 12, 31), date(2027, 3, 31), date(2027, 6, 30))
Step = tuple[int, int, ActivityStatus, str, date | None, str]


def _expected_line(status: ActivityStatus, comment: str, end: date | None, who: str) -> Any:
    postponed = date(2027, 9, 1) if status is ActivityStatus.POSTPONED else None
    return (status, postponed, comment, end, who)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2),  # days to wait before the change
            st.integers(min_value=0, max_value=2),  # which activity
            st.sampled_from(STATUSES),
            st.sampled_from(COMMENTS),
            st.sampled_from(ENDS),
            st.sampled_from(("Anita Lindqvist", "Jonas Berg", "")),
        ),
        min_size=1,
        max_size=7,
    )
)
def test_each_days_report_equals_the_changes_made_up_to_that_day(
    ctx: Context, clock: FixedClock, steps: list[Step]
) -> None:
    key = f"ibic-{next(_keys)}"
    start_ibic(ctx, key=key)
    first_day = ctx.today()
    ids: dict[int, int] = {}
    current: dict[int, Any] = {}
    expected: dict[date, dict[int, Any]] = {first_day: {}}
    for wait, which, status, comment, end, who in steps:
        clock.advance(timedelta(days=wait))
        postponed = date(2027, 9, 1) if status is ActivityStatus.POSTPONED else None
        if which not in ids:
            row = activities.add_activity(
                ctx,
                PROJEKTLEDARE,
                project_key=key,
                title=f"Aktivitet {which + 1}",
                end=end,
                responsible=who,
                status=status,
                comment=comment,
                postponed_to=postponed,
            )
            assert row.id is not None
            ids[which] = row.id
            current[which] = _expected_line(status, comment, end, who)
        else:
            activities.update_activity(
                ctx,
                PROJEKTLEDARE,
                project_key=key,
                activity_id=ids[which],
                status=status,
                comment=comment,
                postponed_to=postponed,
                responsible=who,
                **({"end": end} if end is not None else {}),
            )
            kept_end = end if end is not None else current[which][3]
            current[which] = _expected_line(status, comment, kept_end, who)
        expected[ctx.today()] = {ids[w]: line for w, line in current.items()}

    day, seen = first_day, expected[first_day]
    while day <= ctx.today():
        seen = expected.get(day, seen)
        report = reports.followup_report(ctx, key, day)
        got = {
            a.activity_id: (a.status, a.postponed_to, a.comment, a.end, a.responsible)
            for a in report.activities
        }
        assert got == seen, day
        replayed = history.state_as_of(ctx, key, reports.end_of_day(day)).activities
        assert {int(k): v["status"] for k, v in replayed.items()} == {
            i: line[0].value for i, line in seen.items()
        }
        day += timedelta(days=1)
