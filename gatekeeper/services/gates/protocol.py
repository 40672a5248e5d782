"""The beslutsprotokoll's read: a decision with every seat, late votes and reservations.

Every seat of the decision is listed (the seats frozen with the decision, or
for older decisions the review's electorate now): who voted and how (an
ersättare named for the seat they voted for), who did not vote, who voted
late, who was out of it (jäv, requester) and the project's ersättare. People
are shown by name and roles by label. The viewer's own late-vote seats and
whether they may enter a reservation decide which forms the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import col, select

from gatekeeper.core.criteria.base import NOT_APPLICABLE
from gatekeeper.core.effect import may_reserve
from gatekeeper.core.outcome import Outcome
from gatekeeper.services.context import Context
from gatekeeper.services.definitions import project_workflow
from gatekeeper.services.gates.register import GateDecisionEntry, entry_of
from gatekeeper.services.gates.review import approval_of, review_in
from gatekeeper.services.gates.seat import review_electorate
from gatekeeper.services.lookup import project_by_key
from gatekeeper.services.projects.leader import may_lead_in
from gatekeeper.store.gates.tables import DecisionReservation, ReviewVote
from gatekeeper.store.projects.tables import ProjectMember


@dataclass(frozen=True)
class SeatLine:
    """One seat of the decision as the protocol lists it."""

    member: str
    name: str
    roles: tuple[str, ...]  # labels
    state: str  # voted | late | not_voted | excluded
    outcome: str | None = None
    cast_by: str | None = None  # the ersättare's name when one voted for the seat
    counted: bool = False
    reason: str | None = None  # why out of the decision (jäv, requester)


@dataclass(frozen=True)
class ProtocolView:
    """Everything the printed beslutsprotokoll shows, and what the viewer may add."""

    entry: GateDecisionEntry
    seats: tuple[SeatLine, ...]
    substitutes: tuple[tuple[str, str], ...]  # (ersättare's name, for whom)
    late_votes: tuple[ReviewVote, ...]
    reservations: tuple[DecisionReservation, ...]
    names: dict[str, str]
    role_names: dict[str, str]
    my_late_seats: tuple[str, ...]  # seats the viewer may still cast a late vote for
    may_reserve: bool
    viewer: str = ""

    def who(self, email: str | None) -> str:
        return self.names.get(email or "", email or "")

    @property
    def decided_on(self) -> date:
        decision = self.entry.decision
        return decision.decided_on or decision.decided_at.date()


def criterion_applies(criterion: dict[str, Any]) -> bool:
    """Whether a frozen criterion applied to the project (a rollout criterion on a
    project without units does not: it is shown as "Gäller inte", not "Uppfyllt")."""
    return str(criterion.get("measured", "")) != NOT_APPLICABLE


def protocol_view(ctx: Context, project_key: str, decision_id: int, viewer: str) -> ProtocolView:
    """The beslutsprotokoll of one decision as `viewer` (an e-mail) sees it."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        workflow = project_workflow(session=session, project=project)
        entry = entry_of(
            session=session, project=project, workflow=workflow, decision_id=decision_id
        )
        if may_lead_in(session=session, project=project, email=viewer):
            entry = replace(entry, may_set_reference=True)
        decision = entry.decision
        review = review_in(session=session, project=project, review_id=decision.review_id)
        members = session.exec(
            select(ProjectMember).where(ProjectMember.project_id == project.id)
        ).all()
        votes = session.exec(
            select(ReviewVote)
            .where(ReviewVote.review_id == review.id)
            .order_by(col(ReviewVote.cast_at), col(ReviewVote.id))
        ).all()
        reservations = session.exec(
            select(DecisionReservation)
            .where(DecisionReservation.decision_id == decision.id)
            .order_by(col(DecisionReservation.entered_at), col(DecisionReservation.id))
        ).all()
        electorate = review_electorate(
            session=session,
            project=project,
            review=review,
            policy=approval_of(workflow.gate(review.gate_id)),
        )
    names = {m.email: m.name for m in members}
    role_names = {role.id: role.name for role in workflow.roles}
    record = decision.record
    frozen = record.get("seats") or [
        {"member": s.member, "roles": sorted(s.roles)} for s in electorate.seats
    ]
    excluded = record.get("excluded") or [
        {"member": e.member, "reason": e.reason_sv} for e in electorate.excluded
    ]
    counted = {v["member"]: v for v in record.get("votes", []) if v.get("counted")}
    late = {v.member: v for v in votes if v.late}
    roles_of: dict[str, list[str]] = {}
    for m in members:
        if m.substitute_for is None:
            roles_of.setdefault(m.email, []).append(role_names.get(m.role, m.role))
    lines: list[SeatLine] = []
    for seat in frozen:
        email = seat["member"]
        roles = tuple(role_names.get(r, r) for r in seat["roles"])
        name = names.get(email, email)
        if email in counted:
            vote = counted[email]
            lines.append(
                SeatLine(
                    email,
                    name,
                    roles,
                    "voted",
                    outcome=vote["outcome"],
                    cast_by=names.get(vote["cast_by"], vote["cast_by"])
                    if vote["cast_by"] != email
                    else None,
                    counted=True,
                )
            )
        elif email in late:
            vote = late[email]
            lines.append(
                SeatLine(
                    email,
                    name,
                    roles,
                    "late",
                    outcome=vote.outcome.value,
                    cast_by=names.get(vote.cast_by, vote.cast_by)
                    if vote.cast_by != email
                    else None,
                )
            )
        else:
            lines.append(SeatLine(email, name, roles, "not_voted"))
    for out in excluded:
        email = out["member"]
        lines.append(
            SeatLine(
                email,
                names.get(email, email),
                tuple(roles_of.get(email, ())),
                "excluded",
                reason=out["reason"],
            )
        )
    seat_ids = {s["member"] for s in frozen}
    voted = {v.member for v in votes}
    mine = tuple(
        seat
        for seat in sorted(seat_ids - voted)
        if seat == viewer or any(m.email == viewer and m.substitute_for == seat for m in members)
    )
    own = [v for v in votes if v.member == viewer]
    reserved = any(r.member == viewer for r in reservations)
    return ProtocolView(
        entry=entry,
        seats=tuple(lines),
        substitutes=tuple(
            (m.name, names.get(m.substitute_for, m.substitute_for))
            for m in members
            if m.substitute_for is not None and m.substitute_for in seat_ids
        ),
        late_votes=tuple(v for v in votes if v.late),
        reservations=tuple(reservations),
        names=names,
        role_names=role_names,
        my_late_seats=mine,
        viewer=viewer,
        may_reserve=bool(own)
        and not reserved
        and may_reserve(Outcome(own[-1].outcome), decision.outcome),
    )
