"""The only trace a refused vote (or late vote) leaves: an audit event of the refusal."""

from __future__ import annotations

from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.gates import Refusal, VoteRefused
from gatekeeper.errors import GatekeeperError
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.store.projects.tables import Project


def record_refusal(
    ctx: Context,
    actor: Actor,
    project_key: str,
    review_id: int,
    outcome: object,
    refusal: GatekeeperError,
) -> None:
    """Record, in a transaction of its own, that `actor`'s vote was refused and why."""
    with ctx.db.write() as session:
        project = session.exec(select(Project).where(Project.key == project_key)).one_or_none()
        change.record(
            session,
            VoteRefused(
                object_id=str(review_id),
                after=Refusal(outcome=str(outcome), reason=refusal.message),
            ),
            by=actor,
            at=ctx.clock.now(),
            project_id=project.id if project else None,
        )
