"""Decisions that take effect when they should: a go's effective date, the scheduler's
deferred phase change (exactly once), beslutsdatum, late votes and reservations.

IBIC's förstudie gate has its target date on 15 December 2026; the clock stands
at 25 November 2026. Lars Carlsson and Aniko Szabo sit in the styrgrupp; a
third member, Sara Holm, joins it so that a majority decides before she votes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.effect import (
    EffectiveFrom,
    check_decided_on,
    deferred,
    effective_on,
    may_reserve,
)
from gatekeeper.core.outcome import APPROVALS, Outcome
from gatekeeper.errors import Conflict, PermissionDenied, ValidationFailed
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import effect
from gatekeeper.services.gates import late_vote as late_votes
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import overview as overviews
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.projects.tables import PhaseChange
from tests.factories import (
    AT_ONCE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    start_ibic,
    tick_gate,
)

KEY = "ibic-alingsas"
GATE = "forstudie-klar"
TARGET = date(2026, 12, 15)
SARA = Actor.user("sara.holm@alingsas.se", "Sara Holm")
OUTSIDER = Actor.user("kim.nyberg@alingsas.se", "Kim Nyberg")


def _review(ctx: Context, **terms: str) -> int:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, **terms)
    assert review.id is not None
    return review.id


def _vote(
    ctx: Context, who: Actor, review_id: int, outcome: Outcome = Outcome.GO, **extra: object
) -> voting.VoteResult:
    return voting.cast_vote(
        ctx,
        who,
        project_key=KEY,
        review_id=review_id,
        outcome=outcome,
        motivation=f"{who.name} har läst underlaget.",
        **extra,  # type: ignore[arg-type]
    )


def _decide_go(ctx: Context, review_id: int) -> GateDecision:
    _vote(ctx, STYRGRUPP, review_id)
    decision = _vote(ctx, STYRGRUPP_2, review_id).decision
    assert decision is not None
    return decision


def _phase(ctx: Context) -> str:
    return overviews.project_overview(ctx, KEY).project.phase


def _on_target_day(clock: FixedClock) -> None:
    clock.set(datetime(2026, 12, 15, 6, 0, tzinfo=UTC))


# --- the effective date ------------------------------------------------------------


def test_a_go_before_the_target_date_waits_for_its_day(ctx: Context, clock: FixedClock) -> None:
    review_id = _review(ctx)
    decision = _decide_go(ctx, review_id)

    assert decision.effective_on == TARGET and decision.effective_at is None
    assert _phase(ctx) == "forstudie"
    with ctx.db.read() as session:
        project = overviews.project_overview(ctx, KEY).project
        pending = effect.pending_in(session=session, project=project)
    assert pending is not None and pending.effective_on == TARGET
    # No second review of the gate while its go waits.
    with pytest.raises(Conflict, match="gäller från 2026-12-15"):
        reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE)

    assert effect.apply_due_decisions(ctx) == 0  # not yet its day
    assert _phase(ctx) == "forstudie"

    _on_target_day(clock)
    assert effect.apply_due_decisions(ctx) == 1
    assert _phase(ctx) == "beslut"
    assert effect.apply_due_decisions(ctx) == 0  # a re-run changes nothing
    with ctx.db.read() as session:
        changes = session.exec(select(PhaseChange).where(PhaseChange.gate_id == GATE)).all()
        stored = session.get(GateDecision, decision.id)
    assert len(changes) == 1 and changes[0].to_phase == "beslut"
    assert stored is not None and stored.effective_at is not None
    assert stored.row_version == decision.row_version + 1
    took = [
        e
        for e in audit_log.list_events(ctx, project_key=KEY, limit=500)
        if e.action == "gate.decision_took_effect"
    ]
    assert len(took) == 1
    assert took[0].after == {
        "effective_on": "2026-12-15",
        "gate": GATE,
        "from_phase": "forstudie",
        "to_phase": "beslut",
        "in_effect": True,
    }


def test_immediately_must_be_chosen_and_motivated(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    with pytest.raises(ValidationFailed) as missing:
        reviews.request_review(
            ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, effective_from="immediately"
        )
    assert missing.value.field == "effective_motivation"
    with pytest.raises(ValidationFailed) as unknown:
        reviews.request_review(
            ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, effective_from="snart"
        )
    assert unknown.value.field == "effective_from"

    review = reviews.request_review(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, **AT_ONCE)
    assert review.effective_from == "immediately"
    assert review.id is not None
    decision = _decide_go(ctx, review.id)
    assert decision.effective_on is None and decision.effective_at is not None
    assert _phase(ctx) == "beslut"


def test_a_go_whose_target_date_has_passed_takes_effect_at_once(
    ctx: Context, clock: FixedClock
) -> None:
    review_id = _review(ctx)
    clock.set(datetime(2026, 12, 16, 9, 0, tzinfo=UTC))  # the day after the target date
    decision = _decide_go(ctx, review_id)
    assert decision.effective_on == TARGET and decision.effective_at is not None
    assert _phase(ctx) == "beslut"
    assert effect.apply_due_decisions(ctx) == 0


def test_a_no_go_is_not_deferred(ctx: Context) -> None:
    review_id = _review(ctx)
    _vote(ctx, STYRGRUPP, review_id, Outcome.NO_GO)
    decision = _vote(ctx, STYRGRUPP_2, review_id, Outcome.NO_GO).decision
    assert decision is not None
    assert decision.effective_on is None and decision.effective_at is not None
    assert _phase(ctx) == "forstudie"


def test_two_workers_on_the_day_change_the_phase_once(ctx: Context, clock: FixedClock) -> None:
    """Two scheduler processes run the step at the same moment: the project row lock
    (BEGIN IMMEDIATE on SQLite, SELECT … FOR UPDATE on PostgreSQL) serialises them
    and the second finds `effective_at` set under the lock; the decision's row_version
    is bumped once."""
    review_id = _review(ctx)
    decision = _decide_go(ctx, review_id)
    _on_target_day(clock)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(
            pool.map(
                lambda _: effect.take_effect(
                    ctx, project_key=KEY, decision_id=decision.id or 0, today=TARGET
                ),
                range(2),
            )
        )

    assert sorted(results) == [False, True]
    with ctx.db.read() as session:
        changes = session.exec(select(PhaseChange).where(PhaseChange.gate_id == GATE)).all()
        stored = session.get(GateDecision, decision.id)
    assert len(changes) == 1
    assert stored is not None and stored.row_version == decision.row_version + 1


# --- beslutsdatum --------------------------------------------------------------------


def test_beslutsdatum_defaults_to_the_recording_day_and_is_checked(
    ctx: Context, clock: FixedClock
) -> None:
    review_id = _review(ctx, **AT_ONCE)
    with pytest.raises(ValidationFailed) as future:
        _vote(ctx, STYRGRUPP, review_id, decided_on=date(2026, 11, 26))
    assert future.value.field == "decided_on"
    with pytest.raises(ValidationFailed) as before:
        _vote(ctx, STYRGRUPP, review_id, decided_on=date(2026, 11, 24))
    assert before.value.field == "decided_on"

    clock.advance(timedelta(days=3))  # recorded on the 28th, after the meeting on the 26th
    _vote(ctx, STYRGRUPP, review_id, decided_on=date(2026, 11, 26))
    decision = _vote(ctx, STYRGRUPP_2, review_id, decided_on=date(2026, 11, 26)).decision
    assert decision is not None
    assert decision.decided_on == date(2026, 11, 26)
    assert decision.decided_at.date() == date(2026, 11, 28)


# --- late votes and reservations -----------------------------------------------------


def _three_seats_decided(ctx: Context) -> GateDecision:
    review_id = _review(ctx, **AT_ONCE)
    members.add_member(
        ctx, PROJEKTLEDARE, project_key=KEY, name=SARA.name, email=SARA.id, role="styrgrupp"
    )
    return _decide_go(ctx, review_id)  # 2 of 3: a majority


def test_a_remaining_seat_votes_late_and_reserves(ctx: Context) -> None:
    decision = _three_seats_decided(ctx)

    late = late_votes.cast_late_vote(
        ctx,
        SARA,
        project_key=KEY,
        review_id=decision.review_id,
        outcome=Outcome.NO_GO,
        motivation="Utbildningsplanen är inte klar.",
    )
    assert late.late is True
    assert _phase(ctx) == "beslut"  # the decision stands
    with ctx.db.read() as session:
        stored = session.get(GateDecision, decision.id)
    assert stored is not None and stored.outcome is Outcome.GO

    with pytest.raises(Conflict, match="redan röstat"):
        late_votes.cast_late_vote(
            ctx,
            SARA,
            project_key=KEY,
            review_id=decision.review_id,
            outcome=Outcome.GO,
            motivation="Ändrar mig.",
        )
    reservation = late_votes.enter_reservation(
        ctx,
        SARA,
        project_key=KEY,
        decision_id=decision.id or 0,
        text="Jag reserverar mig: utbildningen hinns inte.",
    )
    assert reservation.member == SARA.id
    with pytest.raises(Conflict, match="redan reserverat"):
        late_votes.enter_reservation(
            ctx, SARA, project_key=KEY, decision_id=decision.id or 0, text="Igen."
        )


def test_only_a_member_who_voted_against_may_reserve(ctx: Context) -> None:
    decision = _three_seats_decided(ctx)
    for who in (STYRGRUPP, SARA):  # voted for it; has not voted at all
        with pytest.raises(PermissionDenied, match="röstade emot"):
            late_votes.enter_reservation(
                ctx, who, project_key=KEY, decision_id=decision.id or 0, text="Reservation."
            )


def test_a_late_vote_without_a_seat_is_refused_and_audited(ctx: Context) -> None:
    decision = _three_seats_decided(ctx)
    with pytest.raises(PermissionDenied):
        late_votes.cast_late_vote(
            ctx,
            OUTSIDER,
            project_key=KEY,
            review_id=decision.review_id,
            outcome=Outcome.NO_GO,
            motivation="Jag tycker annorlunda.",
        )
    refused = [
        e
        for e in audit_log.list_events(ctx, project_key=KEY, limit=500)
        if e.action == "gate.vote_refused"
    ]
    assert refused and refused[-1].actor.endswith(OUTSIDER.id)


def test_a_late_vote_before_the_decision_is_refused(ctx: Context) -> None:
    review_id = _review(ctx, **AT_ONCE)
    with pytest.raises(Conflict, match="rösta som vanligt"):
        late_votes.cast_late_vote(
            ctx,
            STYRGRUPP,
            project_key=KEY,
            review_id=review_id,
            outcome=Outcome.GO,
            motivation="För tidigt.",
        )


# --- the rules combined --------------------------------------------------------------

DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    outcome=st.sampled_from(list(Outcome)),
    chosen=st.sampled_from(list(EffectiveFrom)),
    target=st.none() | DAYS,
    today=DAYS,
)
def test_only_a_go_on_the_target_date_after_today_waits(
    outcome: Outcome, chosen: EffectiveFrom, target: date | None, today: date
) -> None:
    waits = deferred(effective_on(outcome, chosen, target), today)
    assert waits == (
        outcome in APPROVALS
        and chosen is EffectiveFrom.TARGET_DATE
        and target is not None
        and target > today
    )


@given(vote=st.sampled_from(list(Outcome)), decided=st.sampled_from(list(Outcome)))
def test_a_reservation_is_for_the_other_side_only(vote: Outcome, decided: Outcome) -> None:
    same_side = vote == decided or {vote, decided} <= APPROVALS
    assert may_reserve(vote, decided) is not same_side


@given(decided_on=st.none() | DAYS, opened_on=DAYS, today=DAYS)
def test_beslutsdatum_lies_between_the_review_and_today(
    decided_on: date | None, opened_on: date, today: date
) -> None:
    try:
        chosen = check_decided_on(decided_on, opened_on=opened_on, today=today)
    except ValidationFailed as refused:
        assert refused.field == "decided_on"
        assert decided_on is not None and not opened_on <= decided_on <= today
    else:
        assert chosen == (decided_on or today)
        assert decided_on is None or opened_on <= chosen <= today
