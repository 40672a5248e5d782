"""Gate reviews: asking the deciders to decide a gate, on a frozen readiness snapshot.

The snapshot is what the deciders approve: criteria results, item completion,
the state of every item, open risks and open conditions. Its hash travels with
every vote; when readiness changes during a review the snapshot is refreshed
and votes cast on the old one no longer count (a reviewer approved something
else than what now stands).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.engine import engine_for
from gatekeeper.core.events.gates import (
    ConflictDeclared,
    Jav,
    ReviewOpened,
    ReviewRequested,
    ReviewSnapshotChanged,
    ReviewStatusState,
    ReviewWithdrawn,
    Snapshot,
    WaveReadiness,
)
from gatekeeper.core.phase_model import ApprovalPolicy, Gate, Workflow
from gatekeeper.core.status import ReviewStatus, RiskStatus
from gatekeeper.core.tally import Electorate, electorate
from gatekeeper.definitions import content_hash
from gatekeeper.errors import Conflict, NotFound, PermissionDenied, TransitionRefused
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.lapse import latest_decision
from gatekeeper.services.gates.readiness import GateReadiness, readiness_in
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.store.gates.tables import ConflictOfInterest, GateReview, ReviewVote
from gatekeeper.store.projects.tables import Project, ProjectMember, Risk
from gatekeeper.store.rollout.unit_tables import Wave


def snapshot_of(readiness: GateReadiness, *, session: Session) -> dict[str, Any]:
    """The readiness the deciders look at, as plain data (no timestamps)."""
    risks = session.exec(
        select(Risk)
        .where(Risk.project_id == readiness.project.id, Risk.status == RiskStatus.OPEN)
        .order_by(col(Risk.score).desc(), col(Risk.id))
    ).all()
    items = readiness.items
    counted = [item for item in items if item.state().counts]
    return {
        "gate": readiness.gate.id,
        "phase": readiness.project.phase,
        "target_date": readiness.target_date.isoformat() if readiness.target_date else None,
        "passed": readiness.verdict.passed,
        "criteria": [
            {
                "kind": r.kind,
                "passed": r.passed,
                "measured": r.measured,
                "required": r.required,
                "message_sv": r.message_sv,
                "details": list(r.details),
            }
            for r in readiness.verdict.results
        ],
        "items_total": len(counted),
        "items_done": sum(1 for item in counted if item.state().done),
        "items": {
            f"{item.checklist_id}/{item.row.item_id}": {
                "status": item.row.status.value,
                "mandatory": item.row.mandatory,
                "evidence": bool(item.row.evidence),
            }
            for item in items
        },
        "open_risks": [{"title": r.title, "score": r.score} for r in risks],
        **_wave_part(readiness),
    }


def _wave_part(readiness: GateReadiness) -> dict[str, Any]:
    """A wave review also freezes the wave and whether each of its units is ready (not
    their item counts: a tick that leaves every unit as ready as it was lapses no vote)."""
    wave, scope = readiness.wave, readiness.units
    if wave is None or scope is None:
        return {}
    return {
        "wave": {
            "key": wave.key,
            "name": wave.name,
            "go_live_on": wave.go_live_on.isoformat(),
            "status": wave.status.value,
        },
        "units": [{"key": u.key, "name": u.name, "ready": u.ready} for u in scope.units],
        "units_total": len(scope.units),
        "units_ready": sum(1 for u in scope.units if u.ready),
        "required_units": [
            {"key": u.key, "name": u.name, "ready": u.ready} for u in scope.required
        ],
    }


def member_roles(*, session: Session, project: Project) -> dict[str, frozenset[str]]:
    """Ordinary members (not ersättare) and the roles each holds."""
    roles: dict[str, set[str]] = defaultdict(set)
    for member in session.exec(
        select(ProjectMember).where(
            ProjectMember.project_id == project.id, col(ProjectMember.substitute_for).is_(None)
        )
    ).all():
        roles[member.email].add(member.role)
    return {email: frozenset(held) for email, held in roles.items()}


def review_electorate(
    *, session: Session, project: Project, review: GateReview, policy: ApprovalPolicy
) -> Electorate:
    conflicts = {
        c.member: c.reason
        for c in session.exec(
            select(ConflictOfInterest).where(ConflictOfInterest.review_id == review.id)
        ).all()
    }
    return electorate(
        policy,
        member_roles(session=session, project=project),
        requester=review.requested_by,
        conflicts=conflicts,
    )


def approval_of(gate: Gate) -> ApprovalPolicy:
    if gate.approval is None:
        raise TransitionRefused(
            f"Grinden '{gate.name}' har ingen beslutsordning; den passeras direkt när "
            "kriterierna är uppfyllda."
        )
    return gate.approval


def reviewable_gate(
    workflow: Workflow, project: Project, gate_id: str, *, session: Session
) -> Gate:
    """The gate, if it leaves the current phase or its latest decision has lapsed."""
    try:
        gate = workflow.gate(gate_id)
    except KeyError:
        raise NotFound(f"Grinden '{gate_id}' finns inte i fasmodellen {workflow.name}.") from None
    if gate.source == project.phase:
        return gate
    if (
        gate.dest == project.phase
        and latest_decision(session=session, project=project, gate_id=gate.id) is not None
        and _lapsed(session=session, project=project, gate_id=gate.id)
    ):
        return gate  # a lapsed decision is reviewed again from where the project stands
    engine_for(workflow).gate_leaving(project.phase, gate.id)  # raises the clear refusal
    return gate


def _lapsed(*, session: Session, project: Project, gate_id: str) -> bool:
    decision = latest_decision(session=session, project=project, gate_id=gate_id)
    return decision is not None and decision.lapsed_at is not None


def open_review(*, session: Session, project: Project, gate_id: str) -> GateReview | None:
    return session.exec(
        select(GateReview).where(
            GateReview.project_id == project.id,
            GateReview.gate_id == gate_id,
            GateReview.status == ReviewStatus.OPEN,
            col(GateReview.wave_id).is_(None),
        )
    ).first()


def member_emails(*, session: Session, project: Project) -> set[str]:
    return set(
        session.exec(
            select(ProjectMember.email).where(ProjectMember.project_id == project.id)
        ).all()
    )


def request_review(
    ctx: Context, actor: Actor, *, project_key: str, gate_id: str, message: str = ""
) -> GateReview:
    """Ask the deciders to review a gate; freezes the readiness they will decide on."""
    message = validation.text(
        message, field="message", label="Meddelandet", max_length=4000, required=False
    )
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        if actor.id not in member_emails(session=session, project=project):
            raise PermissionDenied(
                f"{actor.id} är inte med i projektet {project.name} och kan inte begära granskning."
            )
        workflow = project_workflow(session=session, project=project)
        gate = reviewable_gate(workflow, project, gate_id, session=session)
        approval_of(gate)
        if open_review(session=session, project=project, gate_id=gate.id) is not None:
            raise Conflict(f"Grinden '{gate.name}' har redan en öppen granskning.")
        return start_review(
            session=session,
            ctx=ctx,
            actor=actor,
            project=project,
            workflow=workflow,
            gate=gate,
            message=message,
            now=now,
        )


def start_review(
    *,
    session: Session,
    ctx: Context,
    actor: Actor,
    project: Project,
    workflow: Workflow,
    gate: Gate,
    message: str,
    now: datetime,
    wave: Wave | None = None,
) -> GateReview:
    """Freeze the gate's readiness (judged on one wave's units, if given) in a new open review.

    The caller has checked that the review may be asked for; this records it,
    its audit event, and re-plans the reminders (vote requests to the seats).
    """
    readiness = readiness_in(
        session=session, project=project, workflow=workflow, gate=gate, today=ctx.today(), wave=wave
    )
    snapshot = snapshot_of(readiness, session=session)
    assert project.id is not None
    review = GateReview(
        project_id=project.id,
        gate_id=gate.id,
        wave_id=wave.id if wave is not None else None,
        requested_by=actor.id,
        requested_at=now,
        message=message,
        snapshot=snapshot,
        snapshot_hash=content_hash(snapshot),
        snapshot_at=now,
    )
    session.add(review)
    session.flush()
    assert review.id is not None
    opened = ReviewOpened(
        gate=gate.id,
        message=message,
        snapshot_hash=review.snapshot_hash,
        criteria_passed=snapshot["passed"],
        wave=None
        if wave is None
        else WaveReadiness(
            wave=wave.key,
            units_ready=snapshot.get("units_ready"),
            units_total=snapshot.get("units_total"),
        ),
    )
    change.record(
        session,
        ReviewRequested(object_id=str(review.id), review_row=review.id, after=opened),
        by=actor,
        at=now,
        project=project,
    )
    return review


def refresh_snapshot(
    *,
    session: Session,
    project: Project,
    workflow: Workflow,
    review: GateReview,
    ctx: Context,
    actor: Actor,
    at: datetime,
) -> GateReadiness:
    """Re-judge readiness; if it changed since the snapshot, replace the snapshot."""
    gate = workflow.gate(review.gate_id)
    wave = session.get(Wave, review.wave_id) if review.wave_id is not None else None
    readiness = readiness_in(
        session=session,
        project=project,
        workflow=workflow,
        gate=gate,
        today=ctx.today(),
        wave=wave,
    )
    snapshot = snapshot_of(readiness, session=session)
    fresh_hash = content_hash(snapshot)
    if fresh_hash != review.snapshot_hash:
        before = Snapshot(
            snapshot_hash=review.snapshot_hash, criteria_passed=review.snapshot["passed"]
        )
        review.snapshot = snapshot
        review.snapshot_hash = fresh_hash
        review.snapshot_at = at
        change.record(
            session,
            ReviewSnapshotChanged(
                object_id=str(review.id),
                before=before,
                after=Snapshot(snapshot_hash=fresh_hash, criteria_passed=snapshot["passed"]),
            ),
            by=actor,
            at=at,
            project=project,
            row=review,
        )
    return readiness


def review_in(
    *, session: Session, project: Project, review_id: int, lock: bool = False
) -> GateReview:
    statement = select(GateReview).where(
        GateReview.id == review_id, GateReview.project_id == project.id
    )
    if lock:
        statement = statement.with_for_update()
    review = session.exec(statement).one_or_none()
    if review is None:
        raise NotFound(f"Granskningen {review_id} finns inte i projektet {project.name}.")
    return review


def require_open(review: GateReview) -> None:
    if review.status is not ReviewStatus.OPEN:
        raise Conflict(
            f"Granskningen {review.id} är inte öppen längre "
            f"({'beslutad' if review.status is ReviewStatus.DECIDED else 'återkallad'})."
        )


def declare_conflict(
    ctx: Context, actor: Actor, *, project_key: str, review_id: int, reason: str
) -> ConflictOfInterest:
    """A decider declares jäv: out of this decision, the quorum counted without them."""
    reason = validation.text(reason, field="reason", label="Skälet till jäv", max_length=2000)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        review = review_in(session=session, project=project, review_id=review_id)
        require_open(review)
        if actor.id not in member_roles(session=session, project=project):
            raise PermissionDenied(f"{actor.id} är inte ledamot i projektet {project.name}.")
        duplicate = session.exec(
            select(ConflictOfInterest.id).where(
                ConflictOfInterest.review_id == review.id, ConflictOfInterest.member == actor.id
            )
        ).first()
        if duplicate is not None:
            raise Conflict(f"{actor.id} har redan anmält jäv i granskningen.")
        assert review.id is not None
        conflict = ConflictOfInterest(
            review_id=review.id, member=actor.id, reason=reason, declared_at=now
        )
        session.add(conflict)
        session.flush()
        change.record(
            session,
            ConflictDeclared(
                object_id=str(review.id),
                review_row=review.id,
                after=Jav(member=actor.id, reason=reason),
            ),
            by=actor,
            at=now,
            project=project,
        )
        return conflict


def withdraw_review(ctx: Context, actor: Actor, *, project_key: str, review_id: int) -> GateReview:
    """The requester (or a decider) withdraws an open review; its votes lapse with it."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        review = review_in(session=session, project=project, review_id=review_id, lock=True)
        require_open(review)
        workflow = project_workflow(session=session, project=project)
        policy = approval_of(workflow.gate(review.gate_id))
        roles = member_roles(session=session, project=project).get(actor.id, frozenset())
        if actor.id != review.requested_by and policy.deciders not in roles:
            raise PermissionDenied(
                "Bara den som begärde granskningen eller en beslutande ledamot kan återkalla den."
            )
        review.status = ReviewStatus.WITHDRAWN
        assert review.id is not None
        change.record(
            session,
            ReviewWithdrawn(
                object_id=str(review.id),
                review_row=review.id,
                before=ReviewStatusState("open"),
                after=ReviewStatusState("withdrawn"),
            ),
            by=actor,
            at=now,
            project=project,
            row=review,
        )
        return review


@dataclass(frozen=True)
class ReviewView:
    """An open or past review with its votes, for pages and the API."""

    review: GateReview
    votes: tuple[ReviewVote, ...]
    conflicts: tuple[ConflictOfInterest, ...]


def _view(session: Session, review: GateReview) -> ReviewView:
    return ReviewView(
        review=review,
        votes=tuple(
            session.exec(
                select(ReviewVote)
                .where(ReviewVote.review_id == review.id)
                .order_by(col(ReviewVote.cast_at), col(ReviewVote.id))
            ).all()
        ),
        conflicts=tuple(
            session.exec(
                select(ConflictOfInterest)
                .where(ConflictOfInterest.review_id == review.id)
                .order_by(col(ConflictOfInterest.declared_at), col(ConflictOfInterest.id))
            ).all()
        ),
    )


def reviews_of(ctx: Context, project_key: str) -> list[ReviewView]:
    """Every review of the project with its votes and conflicts, oldest first."""
    with ctx.db.read() as session:
        return reviews_in(session=session, project=project_by_key(session=session, key=project_key))


def reviews_in(*, session: Session, project: Project) -> list[ReviewView]:
    """`reviews_of` inside the caller's transaction."""
    reviews = session.exec(
        select(GateReview)
        .where(GateReview.project_id == project.id)
        .order_by(col(GateReview.requested_at), col(GateReview.id))
    ).all()
    return [_view(session, review) for review in reviews]


def review_view(ctx: Context, project_key: str, review_id: int) -> ReviewView:
    """One review of the project with its votes and declared conflicts."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return _view(session, review_in(session=session, project=project, review_id=review_id))


def review_seats(ctx: Context, project_key: str, review_id: int) -> Electorate:
    """Who may vote in a review (and who is out of it, and why)."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        review = review_in(session=session, project=project, review_id=review_id)
        workflow = project_workflow(session=session, project=project)
        policy = approval_of(workflow.gate(review.gate_id))
        return review_electorate(session=session, project=project, review=review, policy=policy)
