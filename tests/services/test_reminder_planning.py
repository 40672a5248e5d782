"""Re-planning reminders through the use cases, on SQLite and PostgreSQL.

Creating the IBIC project plans its deadline reminders; moving a gate's
target date re-plans them under new keys; hold pauses, resume revives and
kill cancels; a tick cancels the item's reminders and an untick brings them
back; a review asks each decider for a vote and a vote stops the reminders
of that decider; the conditions of a conditional go are reminded; and
re-planning an unchanged project changes nothing.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ConditionStatus, ItemStatus, ReminderKind, ReminderStatus
from gatekeeper.errors import NotFound
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import register as decision_register
from gatekeeper.services.gates import resume as resumes
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import member as members
from gatekeeper.services.reminders.planning import PlanReport, forget, replan_all, replan_project
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.reminders.tables import Reminder
from tests.factories import (
    AT_ONCE,
    BESTALLARE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    approve_gate,
    start_ibic,
    tick_gate,
)

KEY = "ibic-alingsas"


def _rows(ctx: Context, **where: object) -> list[Reminder]:
    with ctx.db.read() as session:
        statement = select(Reminder).order_by(col(Reminder.key))
        for name, value in where.items():
            statement = statement.where(getattr(Reminder, name) == value)
        return list(session.exec(statement).all())


def _open(ctx: Context) -> list[Reminder]:
    return [r for r in _rows(ctx) if r.status in ("pending", "retrying")]


def _first_item(ctx: Context, gate_id: str = "forstudie-klar") -> gates.GateItem:
    """The item of the gate with the latest deadline (still ahead on DEMO_NOW)."""
    dated = [i for i in gates.gate_readiness(ctx, KEY, gate_id).items if i.due_on]
    return max(dated, key=lambda i: (i.due_on or date.min, -(i.row.id or 0)))


def test_creating_the_ibic_project_plans_deadline_reminders(ctx: Context) -> None:
    start_ibic(ctx)
    rows = _rows(ctx)
    assert rows and {r.status for r in rows} == {ReminderStatus.PENDING, ReminderStatus.MISSED}
    # Entered on 25 November with a start in September: the days already gone are
    # logged as missed, the rest (from today on) wait to be sent.
    today = date(2026, 11, 25)
    local = __import__("zoneinfo").ZoneInfo("Europe/Stockholm")
    for row in rows:
        gone = row.due_at.astimezone(local).date() < today
        assert (row.status is ReminderStatus.MISSED) == gone, row.key
    rows = [r for r in rows if r.status is ReminderStatus.PENDING]
    item = _first_item(ctx)
    assert item.due_on is not None
    mine = [r for r in rows if r.subject_id == str(item.row.id)]
    kinds = {r.kind for r in mine}
    assert ReminderKind.DEADLINE in kinds and ReminderKind.OVERDUE in kinds
    deadline = next(r for r in mine if r.kind == ReminderKind.DEADLINE and ":-3:" in r.key)
    assert deadline.key.startswith(f"deadline:item:{item.row.id}:{item.due_on.isoformat()}:-3:")
    assert deadline.next_attempt_at == deadline.due_at
    assert deadline.title.startswith("Om 3 dagar: ") and deadline.title.endswith(
        " – Införande av IBIC"
    )
    assert deadline.details["project_key"] == KEY
    assert deadline.details["due_on"] == item.due_on.isoformat()
    assert deadline.details["lines"]
    assert deadline.link == (
        f"/projects/{KEY}/gates/forstudie-klar#item-{item.checklist_id}-{item.row.item_id}"
    )
    # 08:00 in Stockholm on a business day
    local = deadline.due_at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Stockholm"))
    assert (local.hour, local.minute) == (8, 0) and local.weekday() < 5
    # nothing is planned for people outside the responsible role
    assert all("@alingsas.se" in r.recipient_email for r in rows)


def test_replanning_an_unchanged_project_changes_nothing(ctx: Context) -> None:
    start_ibic(ctx)
    before = [(r.key, r.status, r.due_at) for r in _rows(ctx)]
    assert replan_project(ctx, KEY) == PlanReport()
    assert [(r.key, r.status, r.due_at) for r in _rows(ctx)] == before
    assert replan_all(ctx) == 1
    assert [(r.key, r.status, r.due_at) for r in _rows(ctx)] == before


def test_moving_a_target_date_replans_under_new_keys(ctx: Context) -> None:
    start_ibic(ctx)
    item = _first_item(ctx)
    old = {r.key for r in _open(ctx) if r.subject_id == str(item.row.id)}
    gate_dates.set_gate_target(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", target_date=date(2027, 1, 15)
    )
    moved = _first_item(ctx)
    new = {r.key for r in _open(ctx) if r.subject_id == str(item.row.id)}
    assert new and not (new & old)
    assert all(moved.due_on is not None and moved.due_on.isoformat() in key for key in new)
    cancelled = {r.key for r in _rows(ctx, status=ReminderStatus.CANCELLED)}
    assert old <= cancelled
    # moving it back revives the cancelled rows instead of making new ones
    gate_dates.set_gate_target(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        target_date=date(2026, 12, 15),
    )
    assert {r.key for r in _open(ctx) if r.subject_id == str(item.row.id)} == old


def test_ticking_cancels_and_reopening_replans(ctx: Context) -> None:
    start_ibic(ctx)
    item = _first_item(ctx)
    where = {"subject_type": "checklist_item", "subject_id": str(item.row.id)}
    missed = {r.id for r in _rows(ctx, **where) if r.status is ReminderStatus.MISSED}
    assert missed  # its first reminder's day had gone by when the project was entered

    def statuses() -> set[ReminderStatus]:
        rows = _rows(ctx, **where)
        assert {r.id for r in rows if r.status is ReminderStatus.MISSED} == missed
        return {r.status for r in rows if r.id not in missed}

    assert statuses() == {ReminderStatus.PENDING}
    change = {
        "project_key": KEY,
        "gate_id": "forstudie-klar",
        "checklist_id": item.checklist_id,
        "item_id": item.row.item_id,
    }
    checklists.update_item(ctx, PROJEKTLEDARE, status=ItemStatus.DONE, evidence="x", **change)
    assert statuses() == {ReminderStatus.CANCELLED}
    checklists.update_item(ctx, PROJEKTLEDARE, status=ItemStatus.OPEN, **change)
    assert statuses() == {ReminderStatus.PENDING}
    checklists.update_item(ctx, PROJEKTLEDARE, status=ItemStatus.NOT_APPLICABLE, **change)
    assert statuses() == {ReminderStatus.CANCELLED}


def test_sent_rows_are_never_touched(ctx: Context) -> None:
    start_ibic(ctx)
    row = _open(ctx)[0]
    with ctx.db.write() as session:
        stored = session.get(Reminder, row.id)
        assert stored is not None
        stored.status = ReminderStatus.SENT
        session.add(stored)
    gate_dates.set_gate_target(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", target_date=date(2027, 2, 1)
    )
    gate_dates.set_gate_target(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="go-live", target_date=date(2027, 10, 1)
    )
    (after,) = _rows(ctx, id=row.id)
    assert after.status == ReminderStatus.SENT and after.due_at == row.due_at


def test_a_review_asks_each_decider_and_a_vote_stops_their_reminders(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar")
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    asked = _rows(ctx, kind=ReminderKind.VOTE_REQUEST)
    seats = {s.member for s in review_views.review_seats(ctx, KEY, review.id or 0).seats}
    assert {r.recipient_email for r in asked} == seats
    assert all(r.title.startswith("Din röst behövs: Förstudie klar") for r in asked)
    assert all(r.subject_type == "review" and r.subject_id == str(review.id) for r in asked)
    # DEMO_NOW is a Wednesday 10:00 in Stockholm: not quiet hours, so due now
    assert all(r.due_at == ctx.clock.now() for r in asked)
    reminders_of_votes = _rows(ctx, kind=ReminderKind.VOTE_REMINDER)
    assert {r.details["level"] for r in reminders_of_votes} == {3, 7}
    voting.cast_vote(
        ctx,
        STYRGRUPP,
        project_key=KEY,
        review_id=review.id or 0,
        outcome=Outcome.GO,
        motivation="Bra underlag.",
    )
    voted = [r for r in _rows(ctx, subject_type="review") if r.recipient_email == STYRGRUPP.id]
    others = [r for r in _rows(ctx, subject_type="review") if r.recipient_email != STYRGRUPP.id]
    assert {r.status for r in voted} == {ReminderStatus.CANCELLED}
    assert {r.status for r in others} == {ReminderStatus.PENDING}
    reviews.withdraw_review(ctx, PROJEKTLEDARE, project_key=KEY, review_id=review.id or 0)
    assert {r.status for r in _rows(ctx, subject_type="review")} == {ReminderStatus.CANCELLED}


def test_a_request_in_quiet_hours_waits_for_the_morning(ctx: Context, clock: object) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar")
    # Friday 2026-11-27 20:30 in Stockholm: waits until Monday 07:00
    clock.set(datetime(2026, 11, 27, 19, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE)
    asked = _rows(ctx, kind=ReminderKind.VOTE_REQUEST)
    assert asked and {r.due_at for r in asked} == {datetime(2026, 11, 30, 6, 0, tzinfo=UTC)}


def test_hold_pauses_resume_revives_and_kill_cancels(ctx: Context) -> None:
    start_ibic(ctx)
    planned = {r.key for r in _open(ctx)}
    tick_gate(ctx, KEY, "forstudie-klar")
    approve_gate(ctx, KEY, "forstudie-klar", outcome=Outcome.HOLD)
    assert _open(ctx) == []
    paused = {r.key for r in _rows(ctx, status=ReminderStatus.PAUSED)}
    assert paused and paused <= planned
    resumes.resume_project(ctx, STYRGRUPP, project_key=KEY, motivation="Finansieringen klar.")
    revived = {r.key for r in _open(ctx)}
    assert revived and _rows(ctx, status=ReminderStatus.PAUSED) == []
    approve_gate(ctx, KEY, "forstudie-klar", outcome=Outcome.KILL)
    assert _open(ctx) == [] and _rows(ctx, status=ReminderStatus.PAUSED) == []


def test_passing_a_gate_drops_its_items_and_plans_meetings(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar", mandatory_only=True)
    first_gate_items = {
        str(i.row.id) for i in gates.gate_readiness(ctx, KEY, "forstudie-klar").items
    }
    approve_gate(ctx, KEY, "forstudie-klar", override="Styrgruppen tar risken.")
    left = [r for r in _open(ctx) if r.subject_id in first_gate_items]
    assert left == []
    meetings = [r for r in _open(ctx) if r.kind == ReminderKind.MEETING]
    assert meetings
    first = min(meetings, key=lambda r: r.details["meeting_on"])
    assert first.title.startswith("Styrgruppsmöte ")
    # every second month from the day the project entered beslut (2026-11-25)
    assert first.details["meeting_on"] == "2027-01-25"
    recipients = {
        r.recipient_email for r in meetings if r.details["cadence_id"] == "styrgruppsmote"
    }
    assert {STYRGRUPP.id, STYRGRUPP_2.id, BESTALLARE.id, PROJEKTLEDARE.id} <= recipients


def test_a_phase_change_leaves_the_reminders_a_full_replan_would(ctx: Context) -> None:
    """A phase change re-plans only the gates it brings back and the meetings of its
    phases, and cancels the items of the gates it leaves: the daily full re-plan then
    finds nothing to change, forward and back (a recycle reopens the förstudie)."""
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar", mandatory_only=True)
    approve_gate(ctx, KEY, "forstudie-klar", override="Styrgruppen tar risken.")
    assert replan_project(ctx, KEY) == PlanReport()
    assert not [r for r in _open(ctx) if r.details.get("gate_id") == "forstudie-klar"]

    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="beslut-om-genomforande", **AT_ONCE
    )
    assert review.id is not None
    decided = None
    for seat in review_views.review_seats(ctx, KEY, review.id).seats:
        decided = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=KEY,
            review_id=review.id,
            outcome=Outcome.RECYCLE,
            recycle_to="forstudie",
            motivation="Förstudien behöver kompletteras med kostnaderna.",
        ).decision
        if decided is not None:
            break
    assert decided is not None and decided.to_phase == "forstudie"
    assert replan_project(ctx, KEY) == PlanReport()
    reopened = {str(i.row.id) for i in gates.gate_readiness(ctx, KEY, "forstudie-klar").items}
    assert {r.subject_id for r in _open(ctx) if r.subject_type == "checklist_item"} & reopened


def test_conditions_of_a_conditional_go_are_reminded_and_forgotten(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar")
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    condition = voting.ConditionSpec(
        text="Utbildningsplanen kompletteras med nyanställda",
        owner=PROJEKTLEDARE.id,
        due_on=date(2027, 1, 29),
    )
    for seat in review_views.review_seats(ctx, KEY, review.id or 0).seats:
        result = voting.cast_vote(
            ctx,
            Actor.user(seat.member),
            project_key=KEY,
            review_id=review.id or 0,
            outcome=Outcome.CONDITIONAL_GO,
            motivation="Go med villkor.",
            conditions=[condition],
        )
        if result.decision is not None:
            break
    rows = _rows(ctx, subject_type="condition")
    assert rows and {r.kind for r in rows} == {ReminderKind.CONDITION}
    assert {r.recipient_email for r in rows if r.details["level"] < 1} == {PROJEKTLEDARE.id}
    before = next(r for r in rows if ":-14:" in r.key)
    assert before.title.startswith("Villkor: Om 14 dagar: Utbildningsplanen")
    for open_condition in decision_register.open_conditions(ctx, KEY):  # one per approving vote
        decision_register.settle_condition(
            ctx,
            PROJEKTLEDARE,
            project_key=KEY,
            condition_id=open_condition.id or 0,
            status=ConditionStatus.CLOSED,
            note="Klart.",
        )
    assert {r.status for r in _rows(ctx, subject_type="condition")} == {ReminderStatus.CANCELLED}


def test_a_project_planned_late_logs_the_days_gone_as_missed(ctx: Context, clock: object) -> None:
    start_ibic(ctx)
    # four weeks after the first gate's items were due: every step has passed
    clock.set(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))  # type: ignore[attr-defined]
    with ctx.db.write() as session:
        for row in session.exec(select(Reminder)).all():
            session.delete(row)
    report = replan_project(ctx, KEY)
    assert report.missed > 0
    dated = gates.gate_readiness(ctx, KEY, "forstudie-klar").items
    item = max(
        (i for i in dated if i.due_on and i.row.mandatory),
        key=lambda i: (i.due_on or date.min, -(i.row.id or 0)),
    )
    mine = _rows(ctx, subject_id=str(item.row.id))
    # The escalation of the last 30 days is logged, the older notices not at all.
    assert {r.kind for r in mine} == {ReminderKind.OVERDUE}
    assert {3, 7} <= {r.details["level"] for r in mine}
    assert {r.status for r in mine} == {ReminderStatus.MISSED}
    assert STYRGRUPP.id in {r.recipient_email for r in mine}
    # Planning again adds nothing and leaves them missed.
    assert replan_project(ctx, KEY) == PlanReport()
    assert {r.status for r in _rows(ctx, subject_id=str(item.row.id))} == {ReminderStatus.MISSED}


def test_members_come_and_go_with_their_reminders(ctx: Context) -> None:
    start_ibic(ctx)
    members.add_member(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        name="Sara Nilsson",
        email="sara.nilsson@alingsas.se",
        role="styrgrupp",
    )
    assert _rows(ctx, recipient_email="sara.nilsson@alingsas.se")
    members.remove_member(
        ctx, PROJEKTLEDARE, project_key=KEY, email="sara.nilsson@alingsas.se", role="styrgrupp"
    )
    left = {r.status for r in _rows(ctx, recipient_email="sara.nilsson@alingsas.se")}
    # What was still to come is cancelled; what her days gone by missed stays missed.
    assert ReminderStatus.CANCELLED in left
    assert left <= {ReminderStatus.CANCELLED, ReminderStatus.MISSED}


def test_clock_moving_on_keeps_due_rows_until_dispatched(ctx: Context, clock: object) -> None:
    start_ibic(ctx)
    first = min(_open(ctx), key=lambda r: r.due_at)
    # the dispatcher was down: two days after the reminder fell due it is still wanted
    clock.set(first.due_at + timedelta(days=2))  # type: ignore[attr-defined]
    replan_project(ctx, KEY)
    (again,) = _rows(ctx, id=first.id)
    assert again.status == ReminderStatus.PENDING


def test_claimed_rows_are_left_to_their_dispatcher(ctx: Context) -> None:
    start_ibic(ctx)
    item = _first_item(ctx)
    row = next(r for r in _open(ctx) if r.subject_id == str(item.row.id))
    with ctx.db.write() as session:
        stored = session.get(Reminder, row.id)
        assert stored is not None
        stored.status = ReminderStatus.CLAIMED
        session.add(stored)
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        checklist_id=item.checklist_id,
        item_id=item.row.item_id,
        status=ItemStatus.NOT_APPLICABLE,
    )
    approve_gate(ctx, KEY, "forstudie-klar", outcome=Outcome.KILL)
    (after,) = _rows(ctx, id=row.id)
    assert after.status == ReminderStatus.CLAIMED


def test_forget_cancels_one_subject_of_one_recipient_only(ctx: Context) -> None:
    start_ibic(ctx)
    item = _first_item(ctx)
    with ctx.db.write() as session:
        project = session.exec(select(Project).where(Project.key == KEY)).one()
        assert project.id is not None
        gone = forget(
            session=session,
            project_id=project.id,
            subject_type="checklist_item",
            subject_id=item.row.id or 0,
            recipient_email="nobody@alingsas.se",
            now=ctx.clock.now(),
        )
        assert gone == 0
        gone = forget(
            session=session,
            project_id=project.id,
            subject_type="checklist_item",
            subject_id=item.row.id or 0,
            now=ctx.clock.now(),
        )
    rows = _rows(ctx, subject_id=str(item.row.id))
    assert gone == len([r for r in rows if r.status is not ReminderStatus.MISSED]) > 0
    assert all(
        r.status in (ReminderStatus.PENDING, ReminderStatus.MISSED)
        for r in _rows(ctx, subject_type="checklist_item")
        if r.subject_id != str(item.row.id)
    )


def test_replan_all_skips_stopped_projects(ctx: Context) -> None:
    start_ibic(ctx)
    start_ibic(ctx, key="ibic-vargarda")
    assert replan_all(ctx) == 2
    tick_gate(ctx, "ibic-vargarda", "forstudie-klar")
    approve_gate(ctx, "ibic-vargarda", "forstudie-klar", outcome=Outcome.KILL)
    assert replan_all(ctx) == 1


def test_concurrent_replans_give_one_row_per_key(ctx: Context) -> None:
    start_ibic(ctx)
    with ctx.db.write() as session:
        for row in session.exec(select(Reminder)).all():
            session.delete(row)
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: replan_project(ctx, KEY), range(4)))
    assert sum(r.created + r.missed for r in reports) == len(_rows(ctx)) > 0
    assert sorted(r.created for r in reports)[:3] == [0, 0, 0]


def test_replanning_an_unknown_project_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound):
        replan_project(ctx, "finns-inte")
