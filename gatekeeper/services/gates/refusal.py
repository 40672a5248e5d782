"""The only trace a refused vote (or late vote) leaves: an audit event of the refusal."""

from __future__ import annotations

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.gates import Refusal, VoteRefused
from gatekeeper.errors import GatekeeperError
from gatekeeper.services.context import Context
from gatekeeper.services.refusal import record_refused


def record_refusal(
    ctx: Context,
    actor: Actor,
    project_key: str,
    review_id: int,
    outcome: object,
    refusal: GatekeeperError,
) -> None:
    """Record, in a transaction of its own, that `actor`'s vote was refused and why."""
    record_refused(
        ctx,
        actor,
        project_key=project_key,
        event=VoteRefused(
            object_id=str(review_id),
            after=Refusal(outcome=str(outcome), reason=refusal.message),
        ),
    )
