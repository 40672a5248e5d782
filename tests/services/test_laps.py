"""The Danish ICS loop lap by lap: each lap has fresh checklists, its own gate dates,
decisions and sigtepunkter, and lap 1's record stays as it was."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ItemStatus
from gatekeeper.errors import Conflict
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import history
from gatekeeper.services.projects import named_decision as decisions
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.projects.tables import NamedDecision
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import AT_ONCE

TEAM = Actor.user("mette.sorensen@hjorring.dk", "Mette Sørensen")
TEAM_2 = Actor.user("jens.kristensen@hjorring.dk", "Jens Kristensen")
KEY = "ics-hjorring"
# The forankring workflow has no projektledare: the dates are planned by an administrator
# (here gatekeeper itself, as the demo and an import do).
PLANNER = Actor.system("planlaegning")
LOOP = ("maling-afsluttet", "plan-godkendt", "gennemforelse-afsluttet", "ny-maling")
MEMBERS = (
    projects.MemberSpec("Mette Sørensen", TEAM.id, "forankringsteam"),
    projects.MemberSpec("Jens Kristensen", TEAM_2.id, "forankringsteam"),
    projects.MemberSpec("Hanne Madsen", "hanne.madsen@hjorring.dk", "ledelse"),
    projects.MemberSpec("Ole Nielsen", "ole.nielsen@hjorring.dk", "ledelse"),
)
LAP_1_DATES = {
    "maling-afsluttet": date(2026, 12, 18),
    "plan-godkendt": date(2027, 2, 1),
    "gennemforelse-afsluttet": date(2027, 6, 1),
    "ny-maling": date(2027, 8, 16),
}


def start_ics(ctx: Context) -> None:
    projects.create_project(
        ctx,
        TEAM,
        key=KEY,
        name="Implementering af ICS i Børne- og Familieafdelingen",
        workflow_id="forankring",
        organisation="Børne- og Familieafdelingen, Hjørring Kommune",
        started_on=date(2026, 10, 1),
        gate_targets=LAP_1_DATES,
        members=MEMBERS,
    )


def tick_all(ctx: Context, gate_id: str, actor: Actor = TEAM) -> None:
    for item in gates.gate_readiness(ctx, KEY, gate_id).items:
        checklists.update_item(
            ctx,
            actor,
            project_key=KEY,
            gate_id=gate_id,
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE,
            evidence=f"https://intra.hjorring.dk/ics/{item.row.item_id}.pdf",
        )


def approve_gate(ctx: Context, key: str, gate_id: str) -> GateDecision:
    """The forankringsteam asks for the review; the ledelse votes go until decided."""
    review = reviews.request_review(ctx, TEAM, project_key=key, gate_id=gate_id, **AT_ONCE)
    assert review.id is not None
    for seat in review_views.review_seats(ctx, key, review.id).seats:
        result = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=key,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="Ledelsen har gennemgået planen på mødet.",
        )
        if result.decision is not None:
            return result.decision
    raise AssertionError(f"{gate_id} was not decided")


def sigtepunkter(ctx: Context, title: str) -> NamedDecision:
    return decisions.record_named_decision(
        ctx,
        TEAM,
        project_key=KEY,
        key="sigtepunkter",
        title=title,
        decided_on=ctx.today(),
        reference="Sag 27.00.00-A00-1-26",
    )


def pass_gate(ctx: Context, clock: FixedClock, gate_id: str, *, sigte: str | None = None) -> None:
    tick_all(ctx, gate_id)
    if gate_id == "plan-godkendt":
        sigtepunkter(ctx, sigte or "Sigtepunkter: 1, 4 og 7")
    approve_gate(ctx, KEY, gate_id)
    clock.advance(timedelta(days=7))


def go_round(ctx: Context, clock: FixedClock, sigte: str = "Sigtepunkter: 1, 4 og 7") -> None:
    for gate_id in LOOP:
        pass_gate(ctx, clock, gate_id, sigte=sigte)


def all_decisions(ctx: Context) -> list[GateDecision]:
    with ctx.db.read() as session:
        return list(session.exec(select(GateDecision).order_by(GateDecision.id)).all())


def test_the_ics_loop_passes_two_laps_with_fresh_checklists_and_no_lapsed_lap_1_decision(
    ctx: Context, clock: FixedClock
) -> None:
    start_ics(ctx)
    go_round(ctx, clock)
    project = overviews.project_overview(ctx, KEY).project
    assert (project.phase, project.lap) == ("maling", 2)
    for gate_id in LOOP:  # lap 2 found its checklists open: lap 1's ticks do not carry it
        readiness = gates.gate_readiness(ctx, KEY, gate_id)
        assert {item.row.status for item in readiness.items} == {ItemStatus.OPEN}
        assert not any(item.row.evidence for item in readiness.items)
        assert not readiness.verdict.passed
        assert readiness.target_date is None  # lap 2's dates are planned anew
    # Planning lap 2's dates lapses nothing of lap 1.
    for gate_id, day in (("maling-afsluttet", date(2027, 9, 15)), ("ny-maling", date(2028, 6, 1))):
        gate_dates.set_gate_target(ctx, PLANNER, project_key=KEY, gate_id=gate_id, target_date=day)
    go_round(ctx, clock, sigte="Sigtepunkter: 2 og 5")
    recorded = all_decisions(ctx)
    assert [(d.gate_id, d.lap) for d in recorded] == [(g, 1) for g in LOOP] + [(g, 2) for g in LOOP]
    assert [d for d in recorded if d.lapsed_at is not None] == []
    assert all(d.record["lap"] == d.lap for d in recorded)
    assert overviews.project_overview(ctx, KEY).project.lap == 3


def test_a_lap_1_date_shows_lap_1_s_ticks_and_the_history_says_which_lap_a_tick_was(
    ctx: Context, clock: FixedClock
) -> None:
    start_ics(ctx)
    pass_gate(ctx, clock, "maling-afsluttet")
    in_lap_1 = clock.now()
    for gate_id in LOOP[1:]:
        pass_gate(ctx, clock, gate_id)
    in_lap_2 = clock.now()

    then = history.state_as_of(ctx, KEY, in_lap_1)
    now = history.state_as_of(ctx, KEY, in_lap_2)
    assert then.lap == 1 and now.lap == 2
    maling = [key for key in then.items if key.startswith("maling-afsluttet/")]
    assert maling and all(then.items[key] == "done" for key in maling)
    assert all(now.items[key] == "open" for key in now.items)
    assert set(then.named_decisions) == {"sigtepunkter"}
    assert now.gate_targets == {}  # lap 2's dates not planned yet

    laps = history.laps_of(ctx, KEY)
    assert [lap.number for lap in laps] == [1, 2]
    assert laps[0].ticks >= len(maling)
    assert laps[1].ticks == 0


def test_named_decisions_are_per_lap(ctx: Context, clock: FixedClock) -> None:
    start_ics(ctx)
    for gate_id in LOOP[:2]:
        pass_gate(ctx, clock, gate_id, sigte="Sigtepunkter: 1, 4 og 7")
    with pytest.raises(Conflict):  # once per lap
        sigtepunkter(ctx, "Sigtepunkter igen")
    for gate_id in LOOP[2:]:
        pass_gate(ctx, clock, gate_id)
    tick_all(ctx, "maling-afsluttet")
    approve_gate(ctx, KEY, "maling-afsluttet")
    tick_all(ctx, "plan-godkendt")
    verdict = gates.gate_readiness(ctx, KEY, "plan-godkendt").verdict
    taken = next(r for r in verdict.results if r.kind == "decisions_taken")
    assert not taken.passed  # lap 1's sigtepunkter are lap 1's
    second = sigtepunkter(ctx, "Sigtepunkter: 2 og 5")
    assert second.lap == 2
    assert gates.gate_readiness(ctx, KEY, "plan-godkendt").verdict.passed
    listed = decisions.list_named_decisions(ctx, KEY)
    assert [(d.key, d.lap, d.title) for d in listed] == [
        ("sigtepunkter", 1, "Sigtepunkter: 1, 4 og 7"),
        ("sigtepunkter", 2, "Sigtepunkter: 2 og 5"),
    ]
    assert decisions.get_named_decision(ctx, KEY, "sigtepunkter").lap == 2


def test_a_tick_read_in_lap_1_and_sent_after_the_lap_turned_is_refused(
    ctx: Context, clock: FixedClock
) -> None:
    """Two people at the moment the lap turns: the ledelse's deciding vote on ny-maling
    and a team member ticking an item of måling they had open on screen. Both lock the
    project row, so one goes first. If the tick comes first it is lap 1's (and the lap
    turn opens the item again); if the vote comes first, the tick carries the version
    read in lap 1 and is refused as stale: nothing of lap 1's screen lands in lap 2."""
    start_ics(ctx)
    for gate_id in LOOP[:3]:
        pass_gate(ctx, clock, gate_id)
    tick_all(ctx, "ny-maling")
    item = gates.gate_readiness(ctx, KEY, "maling-afsluttet").items[0]
    seen = item.row.row_version  # on Jens's screen in lap 1
    approve_gate(ctx, KEY, "ny-maling")  # the vote wins the race: lap 2 begins
    with pytest.raises(Conflict):
        checklists.update_item(
            ctx,
            TEAM_2,
            project_key=KEY,
            gate_id="maling-afsluttet",
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.NOT_APPLICABLE,
            expected_version=seen,
        )
    after = gates.gate_readiness(ctx, KEY, "maling-afsluttet").items[0]
    assert after.row.status is ItemStatus.OPEN  # nothing saved
    # With the lap-2 version the same tick is lap 2's.
    checklists.update_item(
        ctx,
        TEAM_2,
        project_key=KEY,
        gate_id="maling-afsluttet",
        checklist_id=item.checklist_id,
        item_id=item.row.item_id,
        status=ItemStatus.DONE,
        expected_version=after.row.row_version,
    )


def test_lap_2_s_open_items_get_reminders_and_lap_1_s_are_not_sent_again(
    ctx: Context, clock: FixedClock
) -> None:
    start_ics(ctx)
    go_round(ctx, clock)

    def open_item_reminders() -> list[Reminder]:
        with ctx.db.read() as session:
            return list(
                session.exec(
                    select(Reminder).where(
                        Reminder.subject_type == "checklist_item",
                        Reminder.status.in_(("pending", "retrying")),  # type: ignore[attr-defined]
                    )
                ).all()
            )

    # Lap 2 has no dates yet: nothing is reminded on lap 1's deadlines.
    assert open_item_reminders() == []
    gate_dates.set_gate_target(
        ctx, PLANNER, project_key=KEY, gate_id="maling-afsluttet", target_date=date(2027, 9, 15)
    )
    planned = open_item_reminders()
    assert planned, "lap 2's open items are reminded on lap 2's dates"
    assert all(
        datetime.fromisoformat(r.key.split(":")[3]).date() >= date(2027, 8, 1) for r in planned
    )


def test_a_workflow_without_a_loop_stays_in_lap_1(ctx: Context, catalog: object) -> None:
    from tests.factories import start_ibic

    project = start_ibic(ctx)
    assert project.lap == 1


def test_a_go_on_ny_maling_that_waits_for_its_day_starts_lap_2_on_that_day(
    ctx: Context, clock: FixedClock
) -> None:
    from gatekeeper.services.gates import effect

    start_ics(ctx)
    for gate_id in LOOP[:3]:
        pass_gate(ctx, clock, gate_id)
    tick_all(ctx, "ny-maling")
    review = reviews.request_review(ctx, TEAM, project_key=KEY, gate_id="ny-maling")
    assert review.id is not None
    decision = None
    for seat in review_views.review_seats(ctx, KEY, review.id).seats:
        decision = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=KEY,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="Ny måling i august, som planlagt.",
        ).decision
        if decision is not None:
            break
    assert decision is not None and decision.effective_on == LAP_1_DATES["ny-maling"]
    project = overviews.project_overview(ctx, KEY).project
    assert (project.phase, project.lap) == ("opfolgning", 1)  # waiting for its day

    effect.apply_due_decisions(ctx, today=LAP_1_DATES["ny-maling"])

    project = overviews.project_overview(ctx, KEY).project
    assert (project.phase, project.lap) == ("maling", 2)
    assert not gates.gate_readiness(ctx, KEY, "maling-afsluttet").verdict.passed
    assert [d for d in all_decisions(ctx) if d.lapsed_at is not None] == []
