"""Jäv in a gate review: a decider declares a conflict of interest and is out of the decision.

A declared conflict is stored with its reason (`ConflictDeclared`); the
review's electorate, and so its quorum, is counted without the member.
"""

from __future__ import annotations

from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.gates import ConflictDeclared, Jav
from gatekeeper.errors import Conflict, PermissionDenied
from gatekeeper.services import change, validation
from gatekeeper.services.context import Context
from gatekeeper.services.gates.review import require_open, review_in
from gatekeeper.services.gates.seat import member_roles
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.gates.tables import ConflictOfInterest


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
