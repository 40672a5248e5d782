"""The delivery log of a webhook subscription: what was sent, when, and how it went.

One page at a time, newest first, of a subscription's deliveries (also of a
removed subscription), each with the event it carries and the payload's `id`
receivers de-duplicate on: the audit event's sequence number, or the id an
event without one carries (e.g. `reminder-17`). Each error is shown without
the URL's credentials, also one stored before errors were redacted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from gatekeeper.core.masked_url import redacted
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.services.audit.webhook_subscription import subscription_in_project
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery

MAX_PAGE = 500


@dataclass(frozen=True)
class DeliveryView:
    """One line of the delivery log: the delivery and the event it carries."""

    delivery: WebhookDelivery
    event: str
    event_id: int | str  # the payload's `id`: the audit event's seq, or e.g. "reminder-17"
    error: str | None = None  # the last attempt's error, without the URL's credentials


def deliveries(
    ctx: Context,
    project_key: str,
    subscription_id: int,
    *,
    status: DeliveryStatus | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> tuple[list[DeliveryView], bool]:
    """The delivery log of a subscription (also a removed one), newest first.

    Returns one page and whether more follow (pass the last id as `before_id`).
    """
    limit = max(1, min(limit, MAX_PAGE))
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        url = subscription_in_project(
            session=session, project_id=project.id, subscription_id=subscription_id
        ).url
        statement = (
            select(WebhookDelivery, OutboxEvent)
            .join(OutboxEvent, col(OutboxEvent.id) == col(WebhookDelivery.outbox_id))
            .where(WebhookDelivery.subscription_id == subscription_id)
        )
        if status is not None:
            statement = statement.where(WebhookDelivery.status == DeliveryStatus(status))
        if before_id is not None:
            statement = statement.where(col(WebhookDelivery.id) < before_id)
        rows = session.exec(
            statement.order_by(col(WebhookDelivery.id).desc()).limit(limit + 1)
        ).all()
    views = [
        DeliveryView(
            delivery,
            event.name,
            event_id_of(event),
            redacted(delivery.last_error, url) if delivery.last_error else None,
        )
        for delivery, event in rows
    ]
    return views[:limit], len(views) > limit


def event_id_of(event: OutboxEvent) -> int | str:
    """The payload's `id`: the audit event's seq, or the id an event without one carries."""
    if event.audit_seq is not None:
        return event.audit_seq
    return str(event.payload.get("id", f"outbox-{event.id}"))
