"""Voting on a gate review, and carrying out the decision the votes resolve into.

`cast_vote` is one transaction with the project row locked: it refreshes the
readiness snapshot, checks that the voter holds a seat (or is that seat's
ersättare), records the vote, counts the votes under the approval policy
(`gatekeeper.core.decision.tally`) and, once decided, carries out the effect:
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
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.decision import OUTCOME_SV, Ballot, Outcome, Tally, tally
from gatekeeper.core.engine import Override, engine_for
from gatekeeper.core.events import EventName
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ItemStatus, ProjectStatus, label_sv
from gatekeeper.errors import Conflict, GatekeeperError, PermissionDenied, ValidationFailed
from gatekeeper.services import validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates import GateReadiness, record_phase_change, verdict_record
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.reviews import (
    approval_of,
    refresh_snapshot,
    require_open,
    review_electorate,
    review_in,
)
from gatekeeper.store import audit
from gatekeeper.store.review_tables import (
    DecisionCondition,
    GateDecision,
    GateReview,
    ReviewStatus,
    ReviewVote,
)
from gatekeeper.store.tables import (
    ChecklistInstance,
    ChecklistItem,
    PhaseChange,
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
) -> VoteResult:
    """Vote in a review; decides the gate when the policy's rule is met."""
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
        )
    except (PermissionDenied, Conflict, ValidationFailed) as refusal:
        _record_refusal(ctx, actor, project_key, review_id, outcome, refusal)
        raise
    except ValueError:
        error = ValidationFailed(
            f"'{outcome}' är inget beslutsalternativ; välj go, conditional_go, no_go, hold, "
            "recycle eller kill.",
            field="outcome",
        )
        _record_refusal(ctx, actor, project_key, review_id, outcome, error)
        raise error from None


def _record_refusal(
    ctx: Context,
    actor: Actor,
    project_key: str,
    review_id: int,
    outcome: object,
    refusal: GatekeeperError,
) -> None:
    """The only trace a refused vote leaves: an audit event of the refusal."""
    with ctx.db.write() as session:
        project = session.exec(select(Project).where(Project.key == project_key)).one_or_none()
        audit.record(
            session=session,
            at=ctx.clock.now(),
            actor=str(actor),
            action=EventName.VOTE_REFUSED,
            project_id=project.id if project else None,
            object_type="gate_review",
            object_id=str(review_id),
            after={"outcome": str(outcome), "reason": refusal.message},
        )


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
        visited = _visited_phases(session=session, project=project)
        if recycle_to is None or recycle_to not in visited or recycle_to == project.phase:
            names = ", ".join(workflow.phase(p).name for p in visited if p != project.phase)
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
        raise ValidationFailed(
            "Kriterierna är inte uppfyllda: "
            + " ".join(r.message_sv for r in readiness.verdict.failed)
            + " En röst för go kräver då en motivering till att gå vidare ändå.",
            field="override_motivation",
        )


def _visited_phases(*, session: Session, project: Project) -> list[str]:
    phases = session.exec(
        select(PhaseChange.to_phase)
        .where(PhaseChange.project_id == project.id)
        .order_by(col(PhaseChange.at), col(PhaseChange.id))
    ).all()
    return list(dict.fromkeys(phases))


def _seat_for(
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
        project = project_by_key(session=session, key=project_key, lock=True)
        review = review_in(session=session, project=project, review_id=review_id, lock=True)
        require_open(review)
        require_active(project)
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
        seat = _seat_for(
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
            snapshot_hash=review.snapshot_hash,
            cast_at=now,
        )
        session.add(vote)
        session.flush()
        audit.record(
            session=session,
            at=now,
            actor=str(actor),
            action=EventName.VOTE_CAST,
            project_id=project.id,
            object_type="gate_review",
            object_id=str(review.id),
            after={
                "member": seat,
                "cast_by": actor.id,
                "outcome": outcome.value,
                "motivation": motivation,
                "recycle_to": recycle_to,
                "override": vote.override_motivation,
                "conditions": vote.conditions,
                "snapshot_hash": review.snapshot_hash,
            },
        )
        votes = session.exec(select(ReviewVote).where(ReviewVote.review_id == review.id)).all()
        count = tally(
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
                )
                for v in votes
            ],
            now=now,
            snapshot_hash=review.snapshot_hash,
        )
        decision = None
        if count.decided is not None:
            decision = _decide(
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
                at=now,
            )
        return VoteResult(vote=vote, tally=count, decision=decision)


def _decide(
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
) -> GateDecision:
    """Record the decision in the register and carry out its effect on the project."""
    assert count.decided is not None and project.id is not None and review.id is not None
    outcome = count.decided
    counted_ids = {(b.member, b.cast_at) for b in count.counted}
    counted_votes = [v for v in votes if (v.member, v.cast_at) in counted_ids]
    approving = [v for v in counted_votes if v.outcome in (Outcome.GO, Outcome.CONDITIONAL_GO)]
    overrides = [v.override_motivation for v in approving if v.override_motivation]
    override = outcome in (Outcome.GO, Outcome.CONDITIONAL_GO) and not readiness.verdict.passed
    from_phase = project.phase
    reconfirming = gate.dest == project.phase  # a lapsed decision reviewed again
    to_phase = _target_phase(outcome, gate, count, from_phase, reconfirming)
    actor = "system:beslutsordning"
    record: dict[str, Any] = {
        "gate_name": gate.name,
        "outcome_sv": OUTCOME_SV[outcome],
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
        "snapshot": review.snapshot,
        "snapshot_hash": review.snapshot_hash,
        "votes": [_vote_record(v, counted=(v.member, v.cast_at) in counted_ids) for v in votes],
        "discarded": [
            {"member": b.member, "outcome": b.outcome.value, "reason": reason}
            for b, reason in count.discarded
        ],
        "excluded": voters_excluded,
        "overrides": overrides,
        "verdict": verdict_record(readiness.verdict),
    }
    decision = GateDecision(
        review_id=review.id,
        project_id=project.id,
        gate_id=gate.id,
        outcome=outcome,
        recycle_to=count.recycle_to,
        decided_at=at,
        from_phase=from_phase,
        to_phase=to_phase,
        reason=count.reason_sv,
        criteria_passed=readiness.verdict.passed,
        override=override,
        record=record,
        valid_for_target=(
            readiness.target_date if outcome in (Outcome.GO, Outcome.CONDITIONAL_GO) else None
        ),
    )
    session.add(decision)
    review.status = ReviewStatus.DECIDED
    review.row_version += 1
    session.add(review)
    session.flush()
    assert decision.id is not None
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
    audit.record(
        session=session,
        at=at,
        actor=actor,
        action=EventName.GATE_DECIDED,
        project_id=project.id,
        object_type="gate_decision",
        object_id=str(decision.id),
        after={
            "gate": gate.id,
            "review": review.id,
            "outcome": outcome.value,
            "recycle_to": count.recycle_to,
            "reason": count.reason_sv,
            "override": override,
            "criteria_passed": readiness.verdict.passed,
            "from_phase": from_phase,
            "to_phase": to_phase,
        },
    )
    motivation = f"Beslut {OUTCOME_SV[outcome].lower()}: {count.reason_sv}"
    if to_phase != from_phase:
        if outcome in (Outcome.GO, Outcome.CONDITIONAL_GO):
            engine_for(workflow).pass_gate(
                from_phase,
                gate.id,
                readiness.verdict,
                override=Override("; ".join(overrides)) if override else None,
            )
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
    if outcome is Outcome.RECYCLE:
        _reopen_checklists(
            session=session, project=project, workflow=workflow, back_to=to_phase, at=at
        )
    if outcome in (Outcome.HOLD, Outcome.KILL):
        _set_status(
            session=session,
            project=project,
            status=ProjectStatus.ON_HOLD if outcome is Outcome.HOLD else ProjectStatus.TERMINATED,
            at=at,
            actor=actor,
            reason=motivation,
        )
    return decision


def _target_phase(
    outcome: Outcome, gate: Gate, count: Tally, from_phase: str, reconfirming: bool
) -> str:
    if outcome in (Outcome.GO, Outcome.CONDITIONAL_GO):
        return gate.dest
    if outcome is Outcome.RECYCLE:
        assert count.recycle_to is not None
        return count.recycle_to
    if outcome is Outcome.NO_GO and reconfirming:
        return gate.source  # the lapsed go is withdrawn: back before the gate
    return from_phase


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
        "counted": counted,
    }


def _set_status(
    *,
    session: Session,
    project: Project,
    status: ProjectStatus,
    at: datetime,
    actor: str,
    reason: str,
) -> None:
    before = project.status
    project.status = status
    project.updated_at = at
    project.row_version += 1
    session.add(project)
    session.flush()
    action = {
        ProjectStatus.ON_HOLD: EventName.PROJECT_PAUSED,
        ProjectStatus.TERMINATED: EventName.PROJECT_TERMINATED,
        ProjectStatus.ACTIVE: EventName.PROJECT_RESUMED,
    }[status]
    audit.record(
        session=session,
        at=at,
        actor=actor,
        action=action,
        project_id=project.id,
        object_type="project",
        object_id=project.key,
        before={"status": before.value},
        after={"status": status.value, "reason": reason},
    )


def _reopen_checklists(
    *, session: Session, project: Project, workflow: Workflow, back_to: str, at: datetime
) -> None:
    """Items of the gates from `back_to` onward are open again for review (evidence kept)."""
    later = _phases_after(workflow, back_to)
    gate_ids = [g.id for g in workflow.gates if g.source in later]
    items = session.exec(
        select(ChecklistItem)
        .join(ChecklistInstance)
        .where(
            ChecklistInstance.project_id == project.id,
            col(ChecklistInstance.gate_id).in_(gate_ids),
            ChecklistItem.status == ItemStatus.DONE,
        )
    ).all()
    for item in items:
        item.status = ItemStatus.OPEN
        item.comment = "Återöppnad för ny granskning efter beslut om att gå tillbaka."
        item.updated_by = "system:beslutsordning"
        item.updated_at = at
        item.row_version += 1
        session.add(item)
    session.flush()
    if items:
        audit.record(
            session=session,
            at=at,
            actor="system:beslutsordning",
            action=EventName.CHECKLIST_ITEM_UPDATED,
            project_id=project.id,
            object_type="checklist",
            object_id=f"{project.key}/{','.join(gate_ids)}",
            before={"done": len(items)},
            after={"reopened": sorted(f"{i.instance_id}/{i.item_id}" for i in items)},
        )


def _phases_after(workflow: Workflow, start: str) -> set[str]:
    """`start` and every phase reachable from it (the stretch that is walked again)."""
    seen = {start}
    frontier = [start]
    while frontier:
        for gate in workflow.gates_from(frontier.pop()):
            if gate.dest not in seen:
                seen.add(gate.dest)
                frontier.append(gate.dest)
    return seen


def resume_project(ctx: Context, actor: Actor, *, project_key: str, motivation: str) -> Project:
    """Resume a paused project; only a member of a deciding role may."""
    from gatekeeper.services.reviews import member_roles

    motivation = validation.text(
        motivation, field="motivation", label="Motiveringen", max_length=4000
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        if project.status is not ProjectStatus.ON_HOLD:
            state = label_sv(project.status).lower()
            raise Conflict(
                f"Projektet {project.name} är {state}, inte pausat, och kan inte återupptas."
            )
        workflow = project_workflow(session=session, project=project)
        deciders = {g.approval.deciders for g in workflow.gates if g.approval}
        roles = member_roles(session=session, project=project).get(actor.id, frozenset())
        if not roles & deciders:
            raise PermissionDenied(
                "Bara en beslutande ledamot ("
                + ", ".join(sorted(deciders))
                + ") kan återuppta projektet."
            )
        _set_status(
            session=session,
            project=project,
            status=ProjectStatus.ACTIVE,
            at=now,
            actor=str(actor),
            reason=motivation,
        )
        return project
