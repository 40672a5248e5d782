"""Tables of webhooks: subscriptions, the outbox of events, and deliveries.

Every audit event is put in the outbox in the same transaction as the change
it records, with one delivery row per matching subscription; deliveries are
then claimed, sent, and retried with back-off by the dispatcher. A crash
between claim and send leaves the claim to expire, so the event is sent again
(at least once; receivers de-duplicate on the event id).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from gatekeeper.core.status import DeliveryStatus
from gatekeeper.store.types import TextEnum, UTCDateTime


class WebhookSubscription(SQLModel, table=True):
    """Where to send which events of one project."""

    __tablename__ = "webhook_subscription"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=200)
    event_types: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True
    created_by: str = Field(max_length=320)
    created_at: datetime = Field(sa_type=UTCDateTime)


class OutboxEvent(SQLModel, table=True):
    """One event to publish, written with the change (its audit event's seq).

    Reminder deliveries (`reminder.sent`) are published without an audit event
    (a reminder changes no project state), so their `audit_seq` is empty.
    """

    __tablename__ = "outbox_event"

    id: int | None = Field(default=None, primary_key=True)
    audit_seq: int | None = Field(default=None, unique=True, nullable=True)
    name: str = Field(max_length=100)
    project_id: int | None = Field(default=None, index=True)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UTCDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event to one subscription: attempts, next try, outcome."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "outbox_id"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        # The retention job asks which outbox rows no delivery refers to any more.
        Index("ix_webhook_delivery_outbox", "outbox_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="webhook_subscription.id")
    outbox_id: int = Field(foreign_key="outbox_event.id")
    status: DeliveryStatus = Field(default=DeliveryStatus.PENDING, sa_type=TextEnum(DeliveryStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
