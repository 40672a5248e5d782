"""Events of webhook subscriptions (the audit capability publishes every event)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gatekeeper.core.events.base import Event
from gatekeeper.core.events.names import EventName


@dataclass(frozen=True)
class AuditedUrl:
    """A receiver's address as the audit log keeps it (a credential may be in it)."""

    url: str  # its origin only: scheme, host and port
    url_sha256: str  # a fingerprint of the whole URL


@dataclass(frozen=True)
class Subscription(AuditedUrl):
    event_types: Sequence[str]  # the event names it wants; empty: all


@dataclass(frozen=True, kw_only=True)
class WebhookSubscribed(Event):
    name = EventName.WEBHOOK_SUBSCRIBED
    object_type = "webhook_subscription"
    before: None = None
    after: Subscription


@dataclass(frozen=True)
class ActiveSubscription(AuditedUrl):
    active: bool


@dataclass(frozen=True)
class Unsubscribed:
    active: bool
    cancelled_deliveries: int  # pending deliveries that will not be sent


@dataclass(frozen=True, kw_only=True)
class WebhookUnsubscribed(Event):
    name = EventName.WEBHOOK_UNSUBSCRIBED
    object_type = "webhook_subscription"
    before: ActiveSubscription
    after: Unsubscribed


@dataclass(frozen=True)
class DeadDelivery:
    subscription_id: int
    status: str
    attempts: int
    last_error: str | None  # without the URL's credentials


@dataclass(frozen=True)
class RequeuedDelivery:
    status: str
    attempts: int
    next_attempt_at: str  # ISO instant


@dataclass(frozen=True, kw_only=True)
class WebhookDeliveryRequeued(Event):
    name = EventName.WEBHOOK_DELIVERY_REQUEUED
    object_type = "webhook_delivery"
    before: DeadDelivery
    after: RequeuedDelivery


EVENTS: tuple[type[Event], ...] = (
    WebhookSubscribed,
    WebhookUnsubscribed,
    WebhookDeliveryRequeued,
)
