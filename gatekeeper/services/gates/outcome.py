"""What a gate decision does: the register entry and its effect on the project.

go / conditional_go move the phase (conditions become tracked actions);
no_go stays (or, for a lapsed go reviewed again, steps back before the gate);
hold pauses the project until a decider resumes it
(`gatekeeper.services.gates.resume`); recycle goes back to a named earlier
phase and reopens the checklists of the gates passed since, and a go hands
the items still open over to a restlista
(`gatekeeper.services.gates.item_handover`); kill terminates the project. A
wave's go-live decision moves the wave, not the phase
(`gatekeeper.services.gates.wave_outcome`). All of it inside the voting
transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.effect import EffectiveFrom, deferred, effective_on
from gatekeeper.core.engine import Override, Standing, engine_for
from gatekeeper.core.events.gates import Decided, GateDecided
from gatekeeper.core.outcome import OUTCOME_SV, Outcome
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ReviewStatus
from gatekeeper.core.tally import Tally
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.gates import wave_outcome as wave_outcomes
from gatekeeper.services.gates.item_handover import (
    DECIDER,
    hand_over_open_items,
    reopen_checklists,
)
from gatekeeper.services.gates.phase_change import record_phase_change, verdict_record
from gatekeeper.services.gates.readiness import GateReadiness
from gatekeeper.services.gates.resume import set_status
from gatekeeper.store.gates.tables import DecisionCondition, GateDecision, GateReview, ReviewVote
from gatekeeper.store.projects.tables import PhaseChange, Project


def decide(
    *,
    session: Session,
    ctx: Context,
    project: Project,
    workflow: Workflow,
    gate: Gate,
    review: GateReview,
    readiness: GateReadiness,
    votes: Sequence[ReviewVote],
    count: Tally,
    voters_excluded: list[dict[str, str]],
    at: datetime,
    seats: list[dict[str, Any]] | None = None,
) -> GateDecision:
    """Record the decision in the register and carry out its effect on the project."""
    assert count.decided is not None and project.id is not None and review.id is not None
    outcome = count.decided
    counted_ids = {b.sequence for b in count.counted}
    counted_votes = [v for v in votes if v.id in counted_ids]
    approving = [v for v in counted_votes if v.outcome in (Outcome.GO, Outcome.CONDITIONAL_GO)]
    overrides = [v.override_motivation for v in approving if v.override_motivation]
    override = outcome in (Outcome.GO, Outcome.CONDITIONAL_GO) and not readiness.verdict.passed
    from_phase = project.phase
    reconfirming = gate.dest == project.phase  # a lapsed decision reviewed again
    # A wave's go-live moves the wave, never the project's phase.
    wave_effect = (
        wave_outcomes.resolve(
            session=session,
            project=project,
            review=review,
            outcome=outcome,
            counted=counted_votes,
            split=count.split,
        )
        if review.wave_id is not None
        else None
    )
    # The engine alone says where the decision leaves the project.
    after = engine_for(workflow).after_decision(
        Standing(from_phase, project.status),
        gate.id,
        outcome,
        verdict=readiness.verdict,
        override=Override("; ".join(overrides)) if override and overrides else None,
        recycle_to=count.recycle_to,
        visited=visited_phases(session=session, project=project)
        if outcome is Outcome.RECYCLE
        else (),
        wave=wave_effect is not None,
    )
    to_phase = after.phase
    actor = DECIDER
    # A go decided before its effective date moves the phase on that day
    # (`gatekeeper.services.gates.effect`), not now.
    effective = (
        effective_on(
            outcome,
            EffectiveFrom(review.effective_from),
            readiness.target_date if wave_effect is None and not reconfirming else None,
        )
        if wave_effect is None
        else None
    )
    waiting = deferred(effective, ctx.today())
    decided_on = max(
        (v.decided_on for v in counted_votes if v.decided_on is not None), default=ctx.today()
    )
    record: dict[str, Any] = {
        "gate_name": gate.name,
        "outcome_sv": OUTCOME_SV[outcome],
        "lap": project.lap,
        "policy": {
            "deciders": gate.approval.deciders if gate.approval else None,
            "quorum": gate.approval.quorum if gate.approval else None,
            "required_roles": list(gate.approval.required_roles) if gate.approval else [],
            "votes_needed": count.needed,
            "seats": count.seats,
        },
        "split": count.split,
        "requested_by": review.requested_by,
        "requested_at": review.requested_at.isoformat(),
        "effective_from": review.effective_from,
        "effective_motivation": review.effective_motivation,
        "snapshot": review.snapshot,
        "snapshot_hash": review.snapshot_hash,
        "votes": [_vote_record(v, counted=v.id in counted_ids) for v in votes],
        "discarded": [
            {"member": b.member, "outcome": b.outcome.value, "reason": reason}
            for b, reason in count.discarded
        ],
        "excluded": voters_excluded,
        "seats": seats or [],
        "overrides": overrides,
        "verdict": verdict_record(readiness.verdict),
    }
    if wave_effect is not None:
        record["wave"] = wave_effect.record
    decision = GateDecision(
        review_id=review.id,
        project_id=project.id,
        gate_id=gate.id,
        wave_id=review.wave_id,
        outcome=outcome,
        recycle_to=count.recycle_to,
        decided_at=at,
        decided_on=decided_on,
        effective_on=effective,
        effective_at=None if waiting else at,
        from_phase=from_phase,
        to_phase=to_phase,
        reason=count.reason_sv,
        criteria_passed=readiness.verdict.passed,
        override=override,
        record=record,
        lap=project.lap,
        valid_for_target=(
            (readiness.wave.go_live_on if readiness.wave is not None else readiness.target_date)
            if outcome in (Outcome.GO, Outcome.CONDITIONAL_GO)
            else None
        ),
    )
    session.add(decision)
    session.flush()
    assert decision.id is not None
    # After the flush: the review's status and version are written in one UPDATE (the
    # recorder's, below).
    review.status = ReviewStatus.DECIDED
    if outcome is Outcome.CONDITIONAL_GO:
        for vote in approving:
            for condition in vote.conditions:
                session.add(
                    DecisionCondition(
                        decision_id=decision.id,
                        project_id=project.id,
                        text=condition["text"],
                        owner=condition["owner"],
                        due_on=date.fromisoformat(condition["due_on"]),
                    )
                )
    change.record(
        session,
        GateDecided(
            object_id=str(decision.id),
            review_row=review.id,
            after=Decided(
                gate=gate.id,
                wave=wave_effect.record["key"] if wave_effect is not None else None,
                review=review.id,
                outcome=outcome.value,
                recycle_to=count.recycle_to,
                reason=count.reason_sv,
                override=override,
                criteria_passed=readiness.verdict.passed,
                from_phase=from_phase,
                to_phase=to_phase,
                decided_on=decided_on.isoformat(),
                effective_on=effective.isoformat() if effective else None,
                lap=project.lap,
            ),
        ),
        by=actor,
        at=at,
        project=project,
        row=review,
    )
    motivation = f"Beslut {OUTCOME_SV[outcome].lower()}: {count.reason_sv}"
    if waiting:
        return decision  # the phase moves on `effective`: `effect.apply_due_decisions`
    if to_phase != from_phase:
        record_phase_change(
            session=session,
            project=project,
            gate_id=gate.id,
            to_phase=to_phase,
            actor=actor,
            at=at,
            motivation=motivation,
            verdict=readiness.verdict,
            override_motivation="; ".join(overrides) if override else None,
        )
    if (
        outcome in (Outcome.GO, Outcome.CONDITIONAL_GO)
        and gate.handover_to
        and not reconfirming
        and wave_effect is None
    ):
        hand_over_open_items(session=session, project=project, gate=gate, at=at)
    if outcome is Outcome.RECYCLE:
        reopen_checklists(
            session=session, project=project, workflow=workflow, back_to=to_phase, at=at
        )
    if after.status is not project.status:
        set_status(
            session=session,
            project=project,
            status=after.status,
            at=at,
            actor=actor,
            reason=motivation,
        )
    if wave_effect is not None:
        wave_outcomes.apply(
            session=session,
            project=project,
            effect=wave_effect,
            decision_id=decision.id,
            at=at,
            actor=actor,
        )
    return decision


def visited_phases(*, session: Session, project: Project) -> list[str]:
    """The phases the project has been in, in the order it first entered them."""
    phases = session.exec(
        select(PhaseChange.to_phase)
        .where(PhaseChange.project_id == project.id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ).all()
    return list(dict.fromkeys(phases))


def _vote_record(vote: ReviewVote, *, counted: bool) -> dict[str, Any]:
    return {
        "member": vote.member,
        "cast_by": vote.cast_by,
        "outcome": vote.outcome.value,
        "motivation": vote.motivation,
        "recycle_to": vote.recycle_to,
        "override": vote.override_motivation,
        "conditions": vote.conditions,
        "cast_at": vote.cast_at.isoformat(),
        "decided_on": vote.decided_on.isoformat() if vote.decided_on else None,
        "counted": counted,
        **(
            {
                "exclude_units": vote.exclude_units,
                "move_to_wave": vote.move_to_wave,
                "postpone_to": vote.postpone_to.isoformat() if vote.postpone_to else None,
            }
            if vote.exclude_units or vote.postpone_to
            else {}
        ),
    }
