"""The decision screen's read: one review as the styrgrupp decides it, in one read transaction.

`decision_view` gathers what a decider needs and nothing more: what is asked
(the gate or the wave, and the outcome the requester asks for), the criteria in
words with whether each holds, the open mandatory items and the high risks of
the frozen underlag (the review's snapshot), the votes cast so far with who has
not voted yet, and the viewer's seats for the vote form. The vote itself is
cast by the ordinary voting use case (`services.gates.vote`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gatekeeper.core.actor import Actor
from gatekeeper.core.criteria.base import CriterionResult
from gatekeeper.core.phase_model import Gate, Workflow
from gatekeeper.core.risk import risk_band
from gatekeeper.core.status import ItemStatus, ReviewStatus, WaveStatus
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.gate_view import OpenReview, VoteRow, open_review_of
from gatekeeper.services.gates.readiness import GateItem, GateReadiness, readiness_in
from gatekeeper.services.gates.register import GateDecisionEntry, register_in
from gatekeeper.services.gates.review import review_in
from gatekeeper.services.gates.review_view import reviews_in
from gatekeeper.services.gates.seat import review_electorate
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.overview import overview_in
from gatekeeper.services.rollout.wave import waves_in
from gatekeeper.store.gates.tables import GateReview
from gatekeeper.store.projects.tables import Project
from gatekeeper.store.rollout.unit_tables import Wave

HIGH_BANDS = ("high", "very-high")  # risk values 7–16 of the 1–4 × 1–4 matrix


@dataclass(frozen=True)
class SeatLine:
    """One seat of the review: whose, with which roles, and their vote so far (if any)."""

    member: str
    roles: tuple[str, ...]
    vote: VoteRow | None  # the seat's latest vote that counts, else its latest vote


@dataclass(frozen=True)
class DecisionView:
    """Everything the decision screen shows about one review."""

    project: Project
    workflow: Workflow
    gate: Gate
    review: GateReview
    readiness: GateReadiness
    criteria: tuple[CriterionResult, ...]
    open_mandatory: tuple[GateItem, ...]  # as the frozen underlag has them
    high_risks: tuple[dict[str, Any], ...]  # title and score, from the frozen underlag
    open_risk_count: int
    seats: tuple[SeatLine, ...]
    counting: OpenReview | None  # the count and the viewer's seats; None without a policy
    decision: GateDecisionEntry | None  # once the review is decided
    names: dict[str, str]
    role_names: dict[str, str]
    earlier_phases: tuple[str, ...]
    later_waves: tuple[Wave, ...]

    @property
    def is_open(self) -> bool:
        return self.review.status is ReviewStatus.OPEN

    @property
    def wave(self) -> dict[str, Any] | None:
        """The wave a wave review decides, as the snapshot froze it."""
        wave: dict[str, Any] | None = self.review.snapshot.get("wave")
        return wave

    @property
    def not_voted(self) -> tuple[SeatLine, ...]:
        return tuple(seat for seat in self.seats if seat.vote is None)

    @property
    def my_seats(self) -> tuple[str, ...]:
        return self.counting.my_seats if self.counting is not None and self.is_open else ()

    def who(self, actor: str | None) -> str:
        """A person's name for an actor string (`user:anita@…`) or an e-mail address."""
        if not actor:
            return ""
        email = actor.rsplit("/", 1)[-1].split(":", 1)[-1] if ":" in actor else actor
        return self.names.get(email, email)


def decision_view(ctx: Context, actor: Actor, project_key: str, review_id: int) -> DecisionView:
    """The review `review_id` of the project as `actor` sees it on the decision screen."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        review = review_in(session=session, project=project, review_id=review_id)
        workflow = project_workflow(session=session, project=project)
        gate = workflow.gate(review.gate_id)
        waves = waves_in(session=session, project=project) if review.wave_id else []
        wave = next((w for w in waves if w.id == review.wave_id), None)
        readiness = readiness_in(
            session=session,
            project=project,
            workflow=workflow,
            gate=gate,
            today=ctx.today(),
            wave=wave,
        )
        overview = overview_in(session=session, project=project)
        view = next(
            v for v in reviews_in(session=session, project=project) if v.review.id == review.id
        )
        counting = None
        if gate.approval is not None:
            electorate = review_electorate(
                session=session, project=project, review=review, policy=gate.approval
            )
            counting = open_review_of(ctx, gate, view, electorate, overview.members, actor.id)
        decision = next(
            (
                entry
                for entry in register_in(session=session, project=project, workflow=workflow)
                if entry.decision.review_id == review.id
            ),
            None,
        )
    snapshot = review.snapshot
    risks = tuple(snapshot.get("open_risks", ()))
    visited = dict.fromkeys(change.to_phase for change in overview.history)
    return DecisionView(
        project=project,
        workflow=workflow,
        gate=gate,
        review=review,
        readiness=readiness,
        criteria=readiness.verdict.results,
        open_mandatory=_open_mandatory(readiness, snapshot),
        high_risks=tuple(r for r in risks if risk_band(int(r["score"])) in HIGH_BANDS),
        open_risk_count=len(risks),
        seats=_seat_lines(counting),
        counting=counting,
        decision=decision,
        names={m.email: m.name for m in overview.members},
        role_names={role.id: role.name for role in workflow.roles},
        earlier_phases=tuple(p for p in visited if p != project.phase),
        later_waves=tuple(
            w
            for w in waves
            if wave is not None and w.go_live_on > wave.go_live_on and w.status != WaveStatus.LIVE
        ),
    )


def _open_mandatory(readiness: GateReadiness, snapshot: dict[str, Any]) -> tuple[GateItem, ...]:
    """The mandatory items that were neither done nor set aside when the underlag froze."""
    frozen: dict[str, dict[str, Any]] = snapshot.get("items", {})
    open_words = {ItemStatus.OPEN.value}
    out = []
    for item in readiness.items:
        state = frozen.get(f"{item.checklist_id}/{item.row.item_id}")
        if state is None:
            status, mandatory = item.row.status.value, item.row.mandatory
        else:
            status, mandatory = state["status"], state["mandatory"]
        if mandatory and status in open_words:
            out.append(item)
    return tuple(out)


def _seat_lines(counting: OpenReview | None) -> tuple[SeatLine, ...]:
    if counting is None:
        return ()
    lines = []
    for seat in counting.seats.seats:
        mine = [v for v in counting.votes if v.member == seat.member]
        counted = [v for v in mine if v.counted]
        chosen = counted or mine
        lines.append(
            SeatLine(seat.member, tuple(sorted(seat.roles)), chosen[-1] if chosen else None)
        )
    return tuple(lines)
