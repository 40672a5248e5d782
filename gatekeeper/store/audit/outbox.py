"""The webhook outbox: audit events become deliveries in the change's own transaction.

The change recorder (`gatekeeper.services.change.record`) calls `enqueue`
for every event it appends to the audit chain. When the event's
project has active subscriptions that want it, one `OutboxEvent` (the payload
every subscriber receives) and one pending `WebhookDelivery` per subscription
are added to the caller's session, so the change, its audit event and its
deliveries commit together or not at all: nothing is published for a change
that was rolled back, and nothing committed goes unpublished. When nothing
subscribes (the usual case) this costs one indexed query and writes nothing;
the audit log itself remains the record of every event.

`publish` does the same for an event that has no audit event: a delivered
reminder (`reminder.sent`) changes no project state, so the reminder row is
its record, and the payload's `id` is a string such as `"reminder-17"`.

Like every store helper, `enqueue` and `publish` take `session` as a
keyword-only argument and never commit.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists
from sqlmodel import Session, col, select

from gatekeeper.core.status import DeliveryStatus
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery, WebhookSubscription
from gatekeeper.store.projects.tables import Project


def iso_utc(moment: datetime) -> str:
    """A UTC instant as the API writes it: `2026-11-25T09:00:00Z`."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def wants(subscription: WebhookSubscription, event_name: str) -> bool:
    """Does `subscription` ask for events named `event_name`? (None listed: every event.)"""
    return not subscription.event_types or event_name in subscription.event_types


def payload_of(event: AuditEvent, project_key: str | None) -> dict[str, Any]:
    """What subscribers receive for one audit event (the body, before canonical JSON)."""
    return {
        "id": event.seq,
        "event": event.action,
        "occurred_at": iso_utc(event.at),
        "actor": event.actor,
        "project": project_key,
        "object": {"type": event.object_type, "id": event.object_id},
        "before": event.before,
        "after": event.after,
    }


def canonical_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_UNSUBSCRIBED = "gatekeeper.unsubscribed_projects"


def any_subscription(project_id: Any) -> ColumnElement[bool]:
    """An EXISTS clause: does the project (an id or a column) have an active subscription?

    A use case that looks its project up anyway selects this along with it and hands
    the answer to `note_subscribed`, so that `enqueue` need not ask again."""
    return exists().where(
        col(WebhookSubscription.project_id) == project_id,
        col(WebhookSubscription.active).is_(True),
    )


def note_subscribed(*, session: Session, project_id: int, subscribed: bool) -> None:
    """Remember, for this transaction, whether the project has any active subscription
    (as read by the caller's lookup with `any_subscription`)."""
    unsubscribed: set[int] = session.info.setdefault(_UNSUBSCRIBED, set())
    if subscribed:
        unsubscribed.discard(project_id)
    else:
        unsubscribed.add(project_id)


def _subscribers(*, session: Session, project_id: int, name: str) -> list[WebhookSubscription]:
    """The project's active subscriptions that want events named `name` (no query when
    this transaction's lookup already found that the project has none)."""
    if project_id in session.info.get(_UNSUBSCRIBED, ()):
        return []
    return [
        subscription
        for subscription in session.exec(
            select(WebhookSubscription)
            .where(
                WebhookSubscription.project_id == project_id,
                col(WebhookSubscription.active).is_(True),
            )
            .order_by(col(WebhookSubscription.id))
        ).all()
        if wants(subscription, name)
    ]


def _add(
    *,
    session: Session,
    subscriptions: list[WebhookSubscription],
    outbox: OutboxEvent,
) -> OutboxEvent:
    session.add(outbox)
    session.flush()
    assert outbox.id is not None
    for subscription in subscriptions:
        assert subscription.id is not None
        session.add(
            WebhookDelivery(
                subscription_id=subscription.id,
                outbox_id=outbox.id,
                status=DeliveryStatus.PENDING,
                next_attempt_at=outbox.created_at,
                created_at=outbox.created_at,
            )
        )
    session.flush()
    return outbox


def enqueue(*, session: Session, event: AuditEvent) -> OutboxEvent | None:
    """Queue `event` for every active subscription of its project that wants it.

    Returns the outbox row, or None when no subscription wants the event.
    """
    if event.project_id is None:
        return None  # subscriptions belong to a project; events outside one go nowhere
    subscriptions = _subscribers(session=session, project_id=event.project_id, name=event.action)
    if not subscriptions:
        return None
    project = session.get(Project, event.project_id)
    outbox = OutboxEvent(
        audit_seq=event.seq,
        name=event.action,
        project_id=event.project_id,
        payload=payload_of(event, project.key if project else None),
        created_at=event.at,
    )
    return _add(session=session, subscriptions=subscriptions, outbox=outbox)


def publish(
    *, session: Session, project_id: int, name: str, payload: dict[str, Any], at: datetime
) -> OutboxEvent | None:
    """Queue an event that has no audit event (e.g. `reminder.sent`) for the project's
    subscriptions that want it; `payload` is sent as it is (its `id` is the receivers'
    de-duplication key). Returns the outbox row, or None when nobody wants the event.
    """
    subscriptions = _subscribers(session=session, project_id=project_id, name=name)
    if not subscriptions:
        return None
    outbox = OutboxEvent(
        audit_seq=None, name=name, project_id=project_id, payload=payload, created_at=at
    )
    return _add(session=session, subscriptions=subscriptions, outbox=outbox)
