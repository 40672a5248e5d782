"""Webhook subscriptions of a project and their delivery log.

The secret that signs deliveries is shown once, in the answer to the POST
that creates the subscription; lists never show it again. Callers who may
only read the project see each URL masked (`core.masked_url`): chat tools
keep a credential in the path or query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from gatekeeper.core.masked_url import masked_url
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.services.audit import webhook_delivery_log, webhook_resend, webhook_subscription
from gatekeeper.store.audit.webhook_tables import WebhookSubscription
from gatekeeper.web.auth import ProjectReader, ProjectWriter
from gatekeeper.web.bounds import Input, RowId
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.pagination import Cursor, Limit, id_cursor, paginate
from gatekeeper.web.schemas.projects import Page

router = APIRouter(tags=["webhooks"])


class WebhookCreate(Input):  # no stripping: the secret is taken byte for byte
    url: str = Field(
        min_length=1,
        max_length=webhook_subscription.MAX_URL_LENGTH,
        description=(
            "Where to POST the events: an https:// URL (http:// in demo mode only) without "
            "user name or password, whose host is a public address (or in "
            "GATEKEEPER_WEBHOOK_ALLOWED_NETWORKS)."
        ),
        examples=["https://intranat.alingsas.se/hooks/gatekeeper"],
    )
    event_types: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Event names to send (see the reference); empty: every event of the project.",
        examples=[["gate.decided", "phase.changed"]],
    )
    secret: str | None = Field(
        default=None,
        min_length=webhook_subscription.MIN_SECRET_LENGTH,
        max_length=webhook_subscription.MAX_SECRET_LENGTH,
        description="Signing secret; leave out and one is made (and shown once).",
    )


class WebhookPublic(BaseModel):
    id: int
    url: str = Field(
        description=(
            "The URL; for callers who may only read the project, masked after the first path "
            "segment and in the query's values (`https://hooks.example.se/services/***?key=***`)."
        )
    )
    event_types: list[str]
    active: bool
    created_by: str
    created_at: datetime

    @classmethod
    def of(cls, subscription: WebhookSubscription, *, masked: bool = False) -> WebhookPublic:
        assert subscription.id is not None
        return cls(
            id=subscription.id,
            url=masked_url(subscription.url) if masked else subscription.url,
            event_types=list(subscription.event_types),
            active=subscription.active,
            created_by=subscription.created_by,
            created_at=subscription.created_at,
        )


class WebhookCreatedPublic(WebhookPublic):
    secret: str = Field(
        description="Signs every delivery (X-Gatekeeper-Signature). Shown this once: keep it."
    )


class DeliveryPublic(BaseModel):
    id: int
    event: str
    event_id: int | str = Field(
        description=(
            "The payload's `id`: the audit event's number, or a string such as `reminder-17` "
            "for `reminder.sent`. De-duplicate on it."
        )
    )
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None = Field(description="When the next try is due (pending).")
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, view: webhook_delivery_log.DeliveryView) -> DeliveryPublic:
        delivery = view.delivery
        assert delivery.id is not None
        return cls(
            id=delivery.id,
            event=view.event,
            event_id=view.event_id,
            status=delivery.status,
            attempts=delivery.attempts,
            next_attempt_at=(
                delivery.next_attempt_at if delivery.status is DeliveryStatus.PENDING else None
            ),
            last_status_code=delivery.last_status_code,
            last_error=view.error,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
        )


@router.post(
    "/projects/{project_key}/webhooks",
    response_model=WebhookCreatedPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Subscribe a URL to the project's events (the secret is shown once)",
)
def create_webhook(
    ctx: ContextDep, access: ProjectWriter, body: WebhookCreate, response: Response
) -> WebhookCreatedPublic:
    subscription, secret = webhook_subscription.subscribe(
        ctx,
        access.actor,
        project_key=access.project_key,
        url=body.url,
        event_types=body.event_types,
        secret=body.secret,
    )
    response.headers["Location"] = (
        f"/api/v1/projects/{access.project_key}/webhooks/{subscription.id}/deliveries"
    )
    # The signing secret is shown once: not cached, not kept by Idempotency-Key replays.
    response.headers["Cache-Control"] = "no-store"
    return WebhookCreatedPublic(**WebhookPublic.of(subscription).model_dump(), secret=secret)


@router.get(
    "/projects/{project_key}/webhooks",
    response_model=Page[WebhookPublic],
    summary="The project's webhook subscriptions (without secrets)",
)
def list_webhooks(
    ctx: ContextDep, access: ProjectReader, cursor: Cursor = None, limit: Limit = 100
) -> Page[WebhookPublic]:
    rows, next_cursor = paginate(
        webhook_subscription.list_subscriptions(ctx, access.project_key), cursor=cursor, limit=limit
    )
    masked = not access.principal.can_write
    return Page[WebhookPublic](
        items=[WebhookPublic.of(s, masked=masked) for s in rows], next_cursor=next_cursor
    )


@router.delete(
    "/projects/{project_key}/webhooks/{subscription_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a subscription; deliveries not yet made are cancelled",
)
def delete_webhook(ctx: ContextDep, access: ProjectWriter, subscription_id: RowId) -> Response:
    webhook_subscription.unsubscribe(
        ctx, access.actor, project_key=access.project_key, subscription_id=subscription_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/projects/{project_key}/webhooks/{subscription_id}/deliveries",
    response_model=Page[DeliveryPublic],
    summary="Delivery log of a subscription, newest first: attempts, outcomes, next try",
)
def list_deliveries(
    ctx: ContextDep,
    access: ProjectReader,
    subscription_id: RowId,
    status_filter: Annotated[
        DeliveryStatus | None, Query(alias="status", description="Only deliveries in this state.")
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[DeliveryPublic]:
    before_id = id_cursor(cursor)
    views, more = webhook_delivery_log.deliveries(
        ctx,
        access.project_key,
        subscription_id,
        status=status_filter,
        before_id=before_id,
        limit=limit,
    )
    return Page[DeliveryPublic](
        items=[DeliveryPublic.of(view) for view in views],
        next_cursor=str(views[-1].delivery.id) if more and views else None,
    )


@router.post(
    "/projects/{project_key}/webhooks/{subscription_id}/deliveries/{delivery_id}/resend",
    response_model=DeliveryPublic,
    summary="Send a dead delivery again: pending now, attempts from zero (409 if not dead)",
)
def resend_delivery(
    ctx: ContextDep, access: ProjectWriter, subscription_id: RowId, delivery_id: RowId
) -> DeliveryPublic:
    return DeliveryPublic.of(
        webhook_resend.resend(
            ctx,
            access.actor,
            project_key=access.project_key,
            subscription_id=subscription_id,
            delivery_id=delivery_id,
        )
    )
