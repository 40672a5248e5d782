"""After the decision: late votes of the remaining seats, and reservations against it.

Once a review is decided, a seat holder (or their ersättare) who has not voted
may still record a vote: it is kept as a late vote (`late`), shown in the
protocol as "sen röst", and never changes the decision. A member whose vote
went against the decision (`gatekeeper.core.effect.may_reserve`) may enter a
reservation (reservation mot beslutet) with a text, once. A late vote from
someone without a seat is refused and the refusal audited, as for any vote.
"""

from __future__ import annotations

from sqlmodel import col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.effect import may_reserve
from gatekeeper.core.events.gates import LateVote, LateVoteCast, Reservation, ReservationEntered
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ReviewStatus
from gatekeeper.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.refusal import record_refusal
from gatekeeper.services.gates.review import approval_of, review_in
from gatekeeper.services.gates.seat import review_electorate
from gatekeeper.services.gates.vote import seat_for
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.gates.tables import DecisionReservation, GateDecision, ReviewVote


def cast_late_vote(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    review_id: int,
    outcome: Outcome | str,
    motivation: str,
    on_behalf_of: str | None = None,
) -> ReviewVote:
    """Record a seat's vote after the decision: kept as a late vote, never counted."""
    try:
        return _cast_late(
            ctx,
            actor,
            project_key=project_key,
            review_id=review_id,
            outcome=outcome,
            motivation=motivation,
            on_behalf_of=on_behalf_of,
        )
    except (PermissionDenied, Conflict, ValidationFailed) as refusal:
        record_refusal(ctx, actor, project_key, review_id, outcome, refusal)
        raise


def _cast_late(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    review_id: int,
    outcome: Outcome | str,
    motivation: str,
    on_behalf_of: str | None,
) -> ReviewVote:
    try:
        outcome = Outcome(outcome)
    except ValueError:
        raise ValidationFailed(
            f"'{outcome}' är inget beslutsalternativ; välj go, conditional_go, no_go, hold, "
            "recycle eller kill.",
            field="outcome",
        ) from None
    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        review = review_in(session=session, project=project, review_id=review_id, lock=True)
        if review.status is not ReviewStatus.DECIDED:
            raise Conflict(
                "En sen röst läggs först när granskningen är beslutad"
                + ("; rösta som vanligt." if review.status is ReviewStatus.OPEN else ".")
            )
        decision = session.exec(
            select(GateDecision).where(GateDecision.review_id == review.id)
        ).one()
        workflow = project_workflow(session=session, project=project)
        policy = approval_of(workflow.gate(review.gate_id))
        seat = seat_for(
            session=session,
            project=project,
            actor=actor,
            on_behalf_of=on_behalf_of,
            substitutes=policy.substitutes,
        )
        voters = review_electorate(session=session, project=project, review=review, policy=policy)
        if voters.seat(seat) is None:
            excluded = next((e for e in voters.excluded if e.member == seat), None)
            reason = excluded.reason_sv if excluded else f"{seat} har ingen plats i beslutet."
            raise PermissionDenied(f"Rösten tas inte emot: {reason}")
        voted = session.exec(
            select(ReviewVote.id).where(
                ReviewVote.review_id == review.id, ReviewVote.member == seat
            )
        ).first()
        if voted is not None:
            raise Conflict(f"{seat} har redan röstat i granskningen {review.id}.")
        assert review.id is not None and decision.id is not None
        vote = ReviewVote(
            review_id=review.id,
            member=seat,
            cast_by=actor.id,
            outcome=outcome,
            motivation=motivation,
            snapshot_hash=review.snapshot_hash,
            cast_at=now,
            decided_on=ctx.today(),
            late=True,
        )
        session.add(vote)
        session.flush()
        change.record(
            session,
            LateVoteCast(
                object_id=str(review.id),
                review_row=review.id,
                voter=seat,
                after=LateVote(
                    member=seat,
                    cast_by=actor.id,
                    outcome=outcome.value,
                    motivation=motivation,
                    decision=decision.id,
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return vote


def enter_reservation(
    ctx: Context, actor: Actor, *, project_key: str, decision_id: int, text: str
) -> DecisionReservation:
    """Reservation mot beslutet by a member whose vote (counted or late) went against it."""
    text = validation.text(text, field="text", label="Reservationen", max_length=4000)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        decision = session.exec(
            select(GateDecision)
            .where(GateDecision.id == decision_id, GateDecision.project_id == project.id)
            .with_for_update()
        ).one_or_none()
        if decision is None:
            raise NotFound(f"Beslutet {decision_id} finns inte i projektet {project.name}.")
        vote = session.exec(
            select(ReviewVote)
            .where(ReviewVote.review_id == decision.review_id, ReviewVote.member == actor.id)
            .order_by(col(ReviewVote.cast_at).desc(), col(ReviewVote.id).desc())
        ).first()
        if vote is None or not may_reserve(vote.outcome, decision.outcome):
            raise PermissionDenied(
                "Bara en ledamot som röstade emot beslutet kan reservera sig mot det."
            )
        existing = session.exec(
            select(DecisionReservation.id).where(
                DecisionReservation.decision_id == decision.id,
                DecisionReservation.member == actor.id,
            )
        ).first()
        if existing is not None:
            raise Conflict("Du har redan reserverat dig mot beslutet.")
        assert decision.id is not None
        reservation = DecisionReservation(
            decision_id=decision.id,
            member=actor.id,
            entered_by=actor.id,
            text=text,
            entered_at=now,
        )
        session.add(reservation)
        session.flush()
        change.record(
            session,
            ReservationEntered(
                object_id=str(decision.id), after=Reservation(member=actor.id, text=text)
            ),
            by=actor,
            at=now,
            project=project,
        )
        return reservation
