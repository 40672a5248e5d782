"""Voting on a gate review, and carrying out the decision the votes resolve into.

`cast_vote` is one transaction with the project row locked: it refreshes the
readiness snapshot, checks that the voter holds a seat (or is that seat's
ersättare), records the vote, counts the votes under the approval policy
(`gatekeeper.core.tally.tally_votes`) and, once decided, carries out the effect:
go / conditional_go move the phase (conditions become tracked actions),
no_go stays, hold pauses the project, recycle goes back to a named earlier
phase and reopens the checklists of the gates passed since, kill terminates.
Fifty deciders voting at the same instant give one decision and at most one
phase change. A refused vote changes nothing but leaves an audit event saying
who tried and why it was refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.effect import check_decided_on
from gatekeeper.core.engine import engine_for
from gatekeeper.core.events.gates import CastVote, VoteCast, WaveTerms
from gatekeeper.core.outcome import Outcome
from gatekeeper.core.phase_model import Workflow
from gatekeeper.core.tally import Ballot, Tally, tally_votes
from gatekeeper.errors import Conflict, OverrideRequired, PermissionDenied, ValidationFailed
from gatekeeper.services import change, validation
from gatekeeper.services.context import LOCAL_ZONE, Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates import outcome as outcomes
from gatekeeper.services.gates import wave_terms
from gatekeeper.services.gates.readiness import GateReadiness
from gatekeeper.services.gates.refusal import record_refusal
from gatekeeper.services.gates.review import approval_of, project_and_review, require_open
from gatekeeper.services.gates.review_snapshot import refresh_snapshot
from gatekeeper.services.gates.seat import review_electorate
from gatekeeper.services.lookup import require_active
from gatekeeper.store.gates.tables import (
    GateDecision,
    ReviewVote,
)
from gatekeeper.store.projects.tables import (
    Project,
    ProjectMember,
)


@dataclass(frozen=True)
class ConditionSpec:
    """A condition of a conditional go: what, who answers for it, by when."""

    text: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class VoteResult:
    """The vote as recorded, the count after it, and the decision if it was decided."""

    vote: ReviewVote
    tally: Tally
    decision: GateDecision | None


def cast_vote(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    review_id: int,
    outcome: Outcome,
    motivation: str,
    recycle_to: str | None = None,
    override_motivation: str | None = None,
    conditions: Sequence[ConditionSpec] = (),
    on_behalf_of: str | None = None,
    exclude_units: Sequence[str] = (),
    move_to_wave: str | None = None,
    postpone_to: date | None = None,
    decided_on: date | None = None,
) -> VoteResult:
    """Vote in a review; decides the gate when the policy's rule is met.

    `decided_on` is the beslutsdatum (the meeting's date when recorded afterwards;
    default the recording day); the decision carries the latest of its votes'.

    In a wave review a vote may carry wave terms (`gatekeeper.services.gates.wave_terms`):
    go without `exclude_units` (moved to `move_to_wave`), or no_go with `postpone_to`.
    """
    try:
        outcome = Outcome(outcome)
        return _cast(
            ctx,
            actor,
            project_key=project_key,
            review_id=review_id,
            outcome=outcome,
            motivation=motivation,
            recycle_to=recycle_to,
            override_motivation=override_motivation,
            conditions=conditions,
            on_behalf_of=on_behalf_of,
            terms=wave_terms.WaveTerms(tuple(exclude_units), move_to_wave, postpone_to),
            decided_on=decided_on,
        )
    except (PermissionDenied, Conflict, ValidationFailed) as refusal:
        record_refusal(ctx, actor, project_key, review_id, outcome, refusal)
        raise
    except ValueError:
        error = ValidationFailed(
            f"'{outcome}' är inget beslutsalternativ; välj go, conditional_go, no_go, hold, "
            "recycle eller kill.",
            field="outcome",
        )
        record_refusal(ctx, actor, project_key, review_id, outcome, error)
        raise error from None


def _check_ballot_input(
    workflow: Workflow,
    project: Project,
    readiness: GateReadiness,
    *,
    session: Session,
    outcome: Outcome,
    recycle_to: str | None,
    override_motivation: str | None,
    conditions: Sequence[ConditionSpec],
) -> None:
    if outcome is Outcome.RECYCLE:
        visited = outcomes.visited_phases(session=session, project=project)
        targets = engine_for(workflow).recycle_targets(project.phase, visited)
        if recycle_to not in targets:
            names = ", ".join(workflow.phase(p).name for p in targets)
            raise ValidationFailed(
                "Ange vilken tidigare fas projektet ska gå tillbaka till"
                + (f" ({names})." if names else "; projektet har ingen tidigare fas."),
                field="recycle_to",
            )
    elif recycle_to is not None:
        raise ValidationFailed("recycle_to anges bara vid recycle.", field="recycle_to")
    if outcome is Outcome.CONDITIONAL_GO and not conditions:
        raise ValidationFailed(
            "Go med villkor kräver minst ett villkor med ansvarig och datum.", field="conditions"
        )
    if outcome is not Outcome.CONDITIONAL_GO and conditions:
        raise ValidationFailed("Villkor anges bara vid go med villkor.", field="conditions")
    approving = outcome in (Outcome.GO, Outcome.CONDITIONAL_GO)
    if approving and not readiness.verdict.passed and not override_motivation:
        raise OverrideRequired(
            "Kriterierna är inte uppfyllda: "
            + " ".join(r.message_sv for r in readiness.verdict.failed)
            + " En röst för go kräver då en motivering till att gå vidare ändå.",
            verdict=readiness.verdict,
        )


def seat_for(
    *, session: Session, project: Project, actor: Actor, on_behalf_of: str | None, substitutes: bool
) -> str:
    """The seat the vote counts for: the actor's own, or their principal's as ersättare."""
    if on_behalf_of is None:
        return actor.id
    if not substitutes:
        raise PermissionDenied("Beslutsordningen för grinden tillåter inte ersättare.")
    substitute = session.exec(
        select(ProjectMember.id).where(
            ProjectMember.project_id == project.id,
            ProjectMember.email == actor.id,
            ProjectMember.substitute_for == on_behalf_of,
        )
    ).first()
    if substitute is None:
        raise PermissionDenied(f"{actor.id} är inte ersättare för {on_behalf_of} i projektet.")
    return on_behalf_of


def _cast(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    review_id: int,
    outcome: Outcome,
    motivation: str,
    recycle_to: str | None,
    override_motivation: str | None,
    conditions: Sequence[ConditionSpec],
    on_behalf_of: str | None,
    terms: wave_terms.WaveTerms,
    decided_on: date | None,
) -> VoteResult:
    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000
    )
    if override_motivation is not None:
        override_motivation = (
            validation.text(
                override_motivation,
                field="override_motivation",
                label="Motiveringen till att gå vidare ändå",
                max_length=4000,
                required=False,
            )
            or None
        )
    for index, condition in enumerate(conditions):
        validation.text(
            condition.text, field=f"conditions[{index}].text", label="Villkoret", max_length=1000
        )
        validation.email(condition.owner, field=f"conditions[{index}].owner")
    now = ctx.clock.now()
    with ctx.db.write() as session:
        # One statement: the project and the review, both locked.
        project, review = project_and_review(session=session, key=project_key, review_id=review_id)
        require_open(review)
        require_active(project)
        decided_on = check_decided_on(
            decided_on,
            opened_on=review.requested_at.astimezone(LOCAL_ZONE).date(),
            today=ctx.today(),
        )
        workflow = project_workflow(session=session, project=project)
        gate = workflow.gate(review.gate_id)
        policy = approval_of(gate)
        readiness = refresh_snapshot(
            session=session,
            project=project,
            workflow=workflow,
            review=review,
            ctx=ctx,
            actor=actor,
            at=now,
        )
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
            reason = (
                excluded.reason_sv if excluded else f"{seat} har inte rätt att besluta om grinden."
            )
            raise PermissionDenied(f"Rösten tas inte emot: {reason}")
        terms = wave_terms.check_terms(
            session=session,
            project=project,
            review=review,
            outcome=outcome,
            exclude_units=terms.exclude_units,
            move_to_wave=terms.move_to_wave,
            postpone_to=terms.postpone_to,
            today=ctx.today(),
        )
        _check_ballot_input(
            workflow,
            project,
            readiness,
            session=session,
            outcome=outcome,
            recycle_to=recycle_to,
            override_motivation=override_motivation,
            conditions=conditions,
        )
        assert review.id is not None
        vote = ReviewVote(
            review_id=review.id,
            member=seat,
            cast_by=actor.id,
            outcome=outcome,
            motivation=motivation,
            recycle_to=recycle_to,
            override_motivation=override_motivation
            if outcome in (Outcome.GO, Outcome.CONDITIONAL_GO)
            else None,
            conditions=[
                {
                    "text": c.text.strip(),
                    "owner": c.owner.strip().lower(),
                    "due_on": c.due_on.isoformat(),
                }
                for c in conditions
            ],
            exclude_units=list(terms.exclude_units),
            move_to_wave=terms.move_to_wave,
            postpone_to=terms.postpone_to,
            snapshot_hash=review.snapshot_hash,
            cast_at=now,
            decided_on=decided_on,
        )
        session.add(vote)
        session.flush()
        assert review.id is not None
        change.record(
            session,
            VoteCast(
                object_id=str(review.id),
                review_row=review.id,
                voter=seat,
                after=CastVote(
                    member=seat,
                    cast_by=actor.id,
                    outcome=outcome.value,
                    motivation=motivation,
                    recycle_to=recycle_to,
                    override=vote.override_motivation,
                    conditions=vote.conditions,
                    snapshot_hash=review.snapshot_hash,
                    wave=None
                    if review.wave_id is None
                    else WaveTerms(
                        exclude_units=vote.exclude_units,
                        move_to_wave=vote.move_to_wave,
                        postpone_to=terms.postpone_to.isoformat() if terms.postpone_to else None,
                    ),
                    decided_on=decided_on.isoformat(),
                ),
            ),
            by=actor,
            at=now,
            project=project,
        )
        votes = session.exec(
            select(ReviewVote)
            .where(ReviewVote.review_id == review.id, col(ReviewVote.late).is_(False))
            .order_by(col(ReviewVote.cast_at), col(ReviewVote.id))
        ).all()
        count = tally_votes(
            policy,
            voters,
            [
                Ballot(
                    member=v.member,
                    outcome=v.outcome,
                    cast_at=v.cast_at,
                    snapshot_hash=v.snapshot_hash,
                    recycle_to=v.recycle_to,
                    cast_by=v.cast_by,
                    sequence=v.id or 0,
                )
                for v in votes
            ],
            now=now,
            snapshot_hash=review.snapshot_hash,
        )
        decision = None
        if count.decided is not None:
            decision = outcomes.decide(
                session=session,
                ctx=ctx,
                project=project,
                workflow=workflow,
                gate=gate,
                review=review,
                readiness=readiness,
                votes=votes,
                count=count,
                voters_excluded=[
                    {"member": e.member, "reason": e.reason_sv} for e in voters.excluded
                ],
                seats=[{"member": s.member, "roles": sorted(s.roles)} for s in voters.seats],
                at=now,
            )
        return VoteResult(vote=vote, tally=count, decision=decision)
