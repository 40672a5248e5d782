"""Gate reviews: asking the deciders to decide a gate, and withdrawing the request.

A review is asked for by a project member on a gate that leaves the current
phase (or whose latest decision has lapsed); it opens on a frozen readiness
snapshot (`gatekeeper.services.gates.review_snapshot`) and stays open until
it is decided or withdrawn. Withdrawing it lapses its votes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.effect import EffectiveFrom
from gatekeeper.core.engine import engine_for
from gatekeeper.core.events.gates import (
    ReviewOpened,
    ReviewRequested,
    ReviewStatusState,
    ReviewWithdrawn,
    WaveReadiness,
)
from gatekeeper.core.phase_model import ApprovalPolicy, Gate, Workflow
from gatekeeper.core.status import ReviewStatus
from gatekeeper.definitions import content_hash
from gatekeeper.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationFailed,
)
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.lapse import latest_decision
from gatekeeper.services.gates.readiness import readiness_in
from gatekeeper.services.gates.request_right import require_requester
from gatekeeper.services.gates.review_snapshot import snapshot_of
from gatekeeper.services.gates.seat import member_roles
from gatekeeper.services.lookup import project_by_key, require_active
from gatekeeper.services.refusal import audits_refusal
from gatekeeper.store.audit import outbox
from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Wave


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


def effect_terms(effective_from: str, motivation: str | None) -> tuple[EffectiveFrom, str | None]:
    """From when a go takes effect, checked: "immediately" must be motivated."""
    try:
        chosen = EffectiveFrom(effective_from)
    except ValueError:
        raise ValidationFailed(
            "Ange från när ett go gäller: target_date (grindens måldatum) eller immediately "
            "(omedelbart).",
            field="effective_from",
        ) from None
    if chosen is EffectiveFrom.TARGET_DATE:
        return chosen, None
    text = validation.text(
        motivation or "",
        field="effective_motivation",
        label="Motiveringen till att beslutet gäller omedelbart",
        max_length=2000,
    )
    return chosen, text


@audits_refusal("review.request", object_type="gate", object_id="{project_key}/{gate_id}")
def request_review(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    gate_id: str,
    message: str = "",
    effective_from: str = EffectiveFrom.TARGET_DATE,
    effective_motivation: str | None = None,
) -> GateReview:
    """Ask the deciders to review a gate; freezes the readiness they will decide on.

    `effective_from` says from when a go takes effect: the gate's target date
    (default) or `immediately`, which needs `effective_motivation`.
    """
    message = validation.text(
        message, field="message", label="Meddelandet", max_length=4000, required=False
    )
    effect = effect_terms(effective_from, effective_motivation)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key, lock=True)
        require_active(project)
        workflow = project_workflow(session=session, project=project)
        gate = reviewable_gate(workflow, project, gate_id, session=session)
        approval_of(gate)
        require_requester(
            session=session, project=project, workflow=workflow, gate=gate, actor=actor
        )
        if open_review(session=session, project=project, gate_id=gate.id) is not None:
            raise Conflict(f"Grinden '{gate.name}' har redan en öppen granskning.")
        pending = latest_decision(session=session, project=project, gate_id=gate.id)
        if pending is not None and pending.effective_at is None and pending.lapsed_at is None:
            raise Conflict(
                f"Grinden '{gate.name}' har redan ett go som gäller från "
                f"{pending.effective_on.isoformat() if pending.effective_on else '?'}."
            )
        return start_review(
            session=session,
            ctx=ctx,
            actor=actor,
            project=project,
            workflow=workflow,
            gate=gate,
            message=message,
            now=now,
            effect=effect,
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
    effect: tuple[EffectiveFrom, str | None] = (EffectiveFrom.TARGET_DATE, None),
) -> GateReview:
    """Freeze the gate's readiness (judged on one wave's units, if given) in a new open review.

    The caller has checked that the review may be asked for; this records it,
    its audit event, and re-plans the reminders (vote requests to the seats).
    """
    readiness = readiness_in(
        session=session,
        project=project,
        workflow=workflow,
        gate=gate,
        today=ctx.today(),
        wave=wave,
        with_risks=True,
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
        effective_from=effect[0].value,
        effective_motivation=effect[1],
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
        effective_from=effect[0].value,
        effective_motivation=effect[1],
    )
    change.record(
        session,
        ReviewRequested(object_id=str(review.id), review_row=review.id, after=opened),
        by=actor,
        at=now,
        project=project,
    )
    return review


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


# Built once: the project and one of its reviews, both locked, and whether anyone
# subscribes to the project's webhooks.
_PROJECT_AND_REVIEW = (
    select(Project, GateReview, outbox.any_subscription(Project.id).label("subscribed"))
    .join(
        GateReview,
        and_(
            col(GateReview.project_id) == Project.id,
            col(GateReview.id) == bindparam("review_id"),
        ),
    )
    .where(col(Project.key) == bindparam("key"))
    .with_for_update(of=[Project, GateReview])
)


def project_and_review(*, session: Session, key: str, review_id: int) -> tuple[Project, GateReview]:
    """The project `key` and its review `review_id`, both locked: one statement (the same
    answer as `project_by_key(lock=True)` and `review_in(lock=True)`, which refuse, in
    their words, what is not there). Whether the project has webhook subscribers is read
    along and handed to the outbox, which then need not ask."""
    found = session.execute(_PROJECT_AND_REVIEW, {"key": key, "review_id": review_id}).first()
    if found is None:
        project = project_by_key(session=session, key=key, lock=True)
        return project, review_in(session=session, project=project, review_id=review_id, lock=True)
    project, review, subscribed = found
    assert project.id is not None
    outbox.note_subscribed(session=session, project_id=project.id, subscribed=bool(subscribed))
    return project, review


def require_open(review: GateReview) -> None:
    if review.status is not ReviewStatus.OPEN:
        raise Conflict(
            f"Granskningen {review.id} är inte öppen längre "
            f"({'beslutad' if review.status is ReviewStatus.DECIDED else 'återkallad'})."
        )


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
