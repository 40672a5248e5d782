"""The gate page's read: everything shown about one gate, in one read transaction.

`gate_view` gathers the gate's readiness (every criterion passed or failed),
its checklists by category, the open review with its seats and the votes
counted under the gate's approval policy, the decisions taken on the gate and
what the viewer may do (request a review, vote for which seats, or why they
are out of the decision). Pages and the API show these figures; they count
nothing themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatekeeper.core.actor import Actor
from gatekeeper.core.lap import is_cyclic
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.status import ProjectStatus, ReviewStatus, WaveStatus
from gatekeeper.core.tally import Ballot, Electorate, Tally, tally_votes
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.effect import pending_in
from gatekeeper.services.gates.readiness import (
    GateItem,
    GateReadiness,
    may_pass,
    readiness_in,
    workflow_gate,
)
from gatekeeper.services.gates.register import GateDecisionEntry, register_in
from gatekeeper.services.gates.request_right import may_request
from gatekeeper.services.gates.review_view import ReviewView, reviews_in
from gatekeeper.services.gates.seat import review_electorate
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.gate_date import may_plan_dates
from gatekeeper.services.projects.overview import overview_in
from gatekeeper.services.projects.tick_right import tick_right
from gatekeeper.services.rollout.wave import waves_in
from gatekeeper.store.gates.tables import GateDecision
from gatekeeper.store.projects.tables import ProjectMember
from gatekeeper.store.rollout.unit_tables import Wave


@dataclass(frozen=True)
class VoteRow:
    """A vote as it is shown: counted or not, and why not.

    `why_not` is the tally's reason for leaving the vote out, or None when a
    later vote for the same seat replaced it (or when it counts)."""

    member: str
    cast_by: str
    outcome: str
    recycle_to: str | None
    motivation: str
    override: str | None
    conditions: list[dict[str, Any]]
    cast_at: datetime
    counted: bool
    why_not: str | None


@dataclass(frozen=True)
class OpenReview:
    """The open review of the gate, with its seats and the count so far."""

    view: ReviewView
    seats: Electorate
    votes: tuple[VoteRow, ...]
    count: Tally
    my_seats: tuple[str, ...]  # the seats the viewer may vote for ("" = their own)
    my_exclusion: str | None  # why the viewer is out of this decision


@dataclass(frozen=True)
class GateView:
    """Everything the gate page shows."""

    readiness: GateReadiness
    workflow: Workflow
    gate: Gate
    categories: tuple[tuple[str, tuple[GateItem, ...]], ...]
    names: dict[str, str]
    role_names: dict[str, str]
    review: OpenReview | None
    decisions: tuple[GateDecisionEntry, ...]  # newest first
    can_request: bool
    earlier_phases: tuple[str, ...]
    later_waves: tuple[Wave, ...] = ()  # a wave review: where excluded units may move
    pending: GateDecision | None = None  # a go decided, waiting for its effective date
    # Row ids of the items the viewer may tick (gets the form; the use case refuses the others).
    tickable: frozenset[int] = frozenset()
    late: frozenset[int] = frozenset()  # row ids of the items past their deadline

    can_move_date: bool = False  # the viewer may move the gates' dates
    cyclic: bool = False  # the workflow goes round in laps: the page says which lap
    can_pass: bool = False  # no approval policy, the gate is next, the viewer passes it
    passer_role: str = ""  # the role that passes a gate without approval policy (its name)

    def who(self, actor: str | None) -> str:
        """A person's name for an actor string (`user:anita@…`) or an e-mail address."""
        if not actor:
            return ""
        email = actor.rsplit("/", 1)[-1].split(":", 1)[-1] if ":" in actor else actor
        return self.names.get(email, email)


def gate_view(
    ctx: Context, actor: Actor, project_key: str, gate_id: str, review_id: int | None = None
) -> GateView:
    """The gate page of `gate_id` as `actor` sees it. The open review shown is the
    project's own, or the wave review `review_id` when asked for."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        gate = workflow_gate(workflow, gate_id)
        readiness = readiness_in(
            session=session, project=project, workflow=workflow, gate=gate, today=ctx.today()
        )
        overview = overview_in(session=session, project=project)
        open_views = [
            v
            for v in reviews_in(session=session, project=project)
            if v.review.gate_id == gate.id and v.review.status is ReviewStatus.OPEN
        ]
        own = next((v for v in open_views if v.review.wave_id is None), None)
        chosen = next((v for v in open_views if review_id and v.review.id == review_id), None)
        current = chosen or own
        later_waves: tuple[Wave, ...] = ()
        if current is not None and current.review.wave_id is not None:
            all_waves = waves_in(session=session, project=project)
            this = next(w for w in all_waves if w.id == current.review.wave_id)
            later_waves = tuple(
                w
                for w in all_waves
                if w.go_live_on > this.go_live_on and w.status != WaveStatus.LIVE
            )
        review = None
        if current is not None and gate.approval is not None:
            seats = review_electorate(
                session=session, project=project, review=current.review, policy=gate.approval
            )
            review = open_review_of(ctx, gate, current, seats, overview.members, actor.id)
        tickable = tick_right(session=session, project=project, actor=actor).of(
            item.row for item in readiness.items
        )
        can_move_date = project.status == ProjectStatus.ACTIVE and may_plan_dates(
            session=session, project=project, actor=actor
        )
        can_pass = (
            project.status == ProjectStatus.ACTIVE
            and readiness.is_current
            and may_pass(session=session, project=project, gate=gate, actor=actor)
        )
        decisions = [
            entry
            for entry in register_in(session=session, project=project, workflow=workflow)
            if entry.decision.gate_id == gate.id
        ]
        pending = pending_in(session=session, project=project)
        may_ask = may_request(
            session=session, project=project, workflow=workflow, gate=gate, actor=actor
        )
    visited = dict.fromkeys(change.to_phase for change in overview.history)
    return GateView(
        pending=pending,
        readiness=readiness,
        workflow=workflow,
        gate=gate,
        categories=_categories(readiness.items, len(gate.checklists) > 1),
        names={m.email: m.name for m in overview.members},
        role_names={role.id: role.name for role in workflow.roles},
        review=review,
        decisions=tuple(reversed(decisions)),
        can_request=(
            own is None
            and pending is None
            and gate.approval is not None
            and project.status == ProjectStatus.ACTIVE
            and (
                readiness.is_current
                or (bool(decisions) and decisions[-1].decision.lapsed_at is not None)
            )
            and may_ask
        ),
        earlier_phases=tuple(p for p in visited if p != project.phase),
        later_waves=later_waves,
        tickable=tickable,
        late=frozenset(item.row.id for item in readiness.overdue if item.row.id is not None),
        can_move_date=can_move_date,
        cyclic=is_cyclic(workflow),
        can_pass=can_pass,
        passer_role=next(
            (r.name for r in workflow.roles if r.id == gate.passer_role), gate.passer_role
        ),
    )


def _categories(
    items: Sequence[GateItem], several: bool
) -> tuple[tuple[str, tuple[GateItem, ...]], ...]:
    grouped: dict[str, list[GateItem]] = {}
    for item in items:
        heading = f"{item.row.category} ({item.checklist_name})" if several else item.row.category
        grouped.setdefault(heading, []).append(item)
    return tuple((heading, tuple(group)) for heading, group in grouped.items())


def open_review_of(
    ctx: Context,
    gate: Gate,
    view: ReviewView,
    seats: Electorate,
    members: Sequence[ProjectMember],
    viewer: str,
) -> OpenReview:
    """The votes counted under the gate's approval policy, and the viewer's part in it."""
    review = view.review
    assert gate.approval is not None
    count = tally_votes(
        gate.approval,
        seats,
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
            for v in view.votes
        ],
        now=ctx.clock.now(),
        snapshot_hash=review.snapshot_hash,
    )
    counted = {b.sequence for b in count.counted}
    why = {b.sequence: reason for b, reason in count.discarded}
    rows = tuple(
        VoteRow(
            member=v.member,
            cast_by=v.cast_by,
            outcome=v.outcome.value,
            recycle_to=v.recycle_to,
            motivation=v.motivation,
            override=v.override_motivation,
            conditions=list(v.conditions),
            cast_at=v.cast_at,
            counted=(v.id or 0) in counted,
            why_not=why.get(v.id or 0),
        )
        for v in view.votes
    )
    mine: list[str] = []
    if seats.seat(viewer) is not None:
        mine.append("")
    if gate.approval.substitutes:
        mine.extend(
            m.substitute_for
            for m in members
            if m.email == viewer and m.substitute_for and seats.seat(m.substitute_for)
        )
    exclusion = next((e.reason_sv for e in seats.excluded if e.member == viewer), None)
    return OpenReview(view, seats, rows, count, tuple(dict.fromkeys(mine)), exclusion)
