"""Re-sending a dead webhook delivery: back in the queue, its attempts from zero.

A delivery is dead when it used up its attempts (the receiver was down longer
than the back-off allows) or its subscription was removed. Whoever
administers the project's webhooks (a writing member or an administrator,
the same people who subscribe and unsubscribe) may put a dead delivery of an
active subscription back in the queue once the receiver works again: pending,
due now, attempts 0, the last error cleared. The dispatcher then sends it like
any other (the same payload and `id`, so a receiver that did get it after all
de-duplicates). The change is recorded as `webhook.delivery_requeued`, with
the last error shown without the URL's credentials.

A delivery that is not dead (pending, in flight or delivered) is refused with
`Conflict`, and so is one whose subscription was removed (nothing would send
it); a delivery the subscription does not have is `NotFound`. The row is
locked, so two administrators pressing at once requeue it once: the second
finds it pending.
"""

from __future__ import annotations

from sqlmodel import select

from gatekeeper.core.actor import Actor
from gatekeeper.core.events.audit import DeadDelivery, RequeuedDelivery, WebhookDeliveryRequeued
from gatekeeper.core.masked_url import redacted
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.errors import Conflict, NotFound
from gatekeeper.services import change
from gatekeeper.services.audit.webhook_delivery_log import DeliveryView, event_id_of
from gatekeeper.services.audit.webhook_subscription import subscription_in_project
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.audit.outbox import iso_utc
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery


def resend(
    ctx: Context, actor: Actor, *, project_key: str, subscription_id: int, delivery_id: int
) -> DeliveryView:
    """Put a dead delivery back in the queue (pending now, attempts 0); see the module."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        subscription = subscription_in_project(
            session=session, project_id=project.id, subscription_id=subscription_id
        )
        delivery = session.exec(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.subscription_id == subscription_id,
            )
            .with_for_update()
        ).one_or_none()
        if delivery is None:
            raise NotFound(f"Leveransen {delivery_id} finns inte för webhooken {subscription_id}.")
        if delivery.status is not DeliveryStatus.DEAD:
            raise Conflict(
                f"Leveransen {delivery_id} är inte död (status: {delivery.status.value}); "
                "bara leveranser som gett upp kan skickas igen."
            )
        if not subscription.active:
            raise Conflict(
                f"Webhooken {subscription_id} är borttagen; dess leveranser kan inte skickas igen."
            )
        error = redacted(delivery.last_error, subscription.url) if delivery.last_error else None
        before = DeadDelivery(
            subscription_id=subscription_id,
            status=delivery.status.value,
            attempts=delivery.attempts,
            last_error=error,
        )
        delivery.status = DeliveryStatus.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = now
        delivery.claimed_until = None
        delivery.last_error = None
        delivery.last_status_code = None
        session.add(delivery)
        session.flush()
        change.record(
            session,
            WebhookDeliveryRequeued(
                object_id=str(delivery_id),
                before=before,
                after=RequeuedDelivery(
                    status=DeliveryStatus.PENDING.value, attempts=0, next_attempt_at=iso_utc(now)
                ),
            ),
            by=actor,
            at=now,
            project_id=project.id,
        )
        event = session.get(OutboxEvent, delivery.outbox_id)
        assert event is not None
        return DeliveryView(delivery, event.name, event_id_of(event))
