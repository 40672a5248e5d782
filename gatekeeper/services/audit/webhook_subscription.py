"""Webhook subscriptions: a project's URLs that want its events, made and removed.

A subscription names a URL, the event types it wants (none: every event of
the project) and a secret, shown once, with which every delivery is signed.
The URL must be one a webhook may reach (`core.egress`: https outside demo
mode, no user name or password, no internal address unless the installation
allows its network); a refused URL changes nothing.
Its creation and removal are recorded (`webhook.subscribed`,
`webhook.unsubscribed`) with the URL's origin and fingerprint only, as chat
tools keep a credential in the URL. Removing a subscription cancels its
deliveries not yet made. `store.audit.outbox` turns each audit event into
pending deliveries; `services.audit.webhook_dispatch` sends them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from sqlalchemy import update
from sqlmodel import Session, col, select

from gatekeeper.core.actor import Actor
from gatekeeper.core.egress import EgressPolicy
from gatekeeper.core.events import EventName
from gatekeeper.core.events.audit import (
    ActiveSubscription,
    AuditedUrl,
    Subscription,
    Unsubscribed,
    WebhookSubscribed,
    WebhookUnsubscribed,
)
from gatekeeper.core.masked_url import masked_url
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.audit.webhook_tables import WebhookDelivery, WebhookSubscription

MIN_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 200
MAX_URL_LENGTH = 2000


class NewSubscription(NamedTuple):
    """A subscription just made, and its secret (shown this once)."""

    subscription: WebhookSubscription
    secret: str


def _valid_url(raw: str, policy: EgressPolicy) -> str:
    """The URL, stripped; refused (422 naming `url`) unless it is one a webhook may reach
    (`core.egress`: https, no user:password, no internal address). Shown without any
    credential it may hold."""
    url = raw.strip()
    try:
        parts = urlsplit(url)
        usable = parts.scheme in {"http", "https"} and bool(parts.hostname)
        _ = parts.port  # a port out of range raises ValueError here
    except ValueError:
        usable = False
    if not usable or any(char.isspace() or ord(char) < 32 for char in url):
        shown = masked_url(url) if usable else re.sub(r"//[^/?#]*@", "//", raw)
        shown = shown if len(shown) <= 100 else shown[:100] + "…"
        raise ValidationFailed(
            f"'{shown}' är ingen webbadress för en webhook: den ska börja med http:// eller "
            "https:// och ha ett värdnamn.",
            field="url",
        )
    if len(url) > MAX_URL_LENGTH:
        raise ValidationFailed(f"Webbadressen får vara högst {MAX_URL_LENGTH} tecken.", field="url")
    refusal = policy.url_refusal(url)
    if refusal is not None:
        raise ValidationFailed(
            f"Webbadressen {masked_url(url)} kan inte användas för en webhook: {refusal}.",
            field="url",
        )
    return url


def _valid_event_types(names: Sequence[str]) -> list[str]:
    known = {event.value for event in EventName}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValidationFailed(
            "Okända händelsetyper: "
            + ", ".join(unknown)
            + ". Kända: "
            + ", ".join(event.value for event in EventName)
            + ".",
            field="event_types",
        )
    return list(dict.fromkeys(names))  # without repeats, in the order given


def _valid_secret(secret: str) -> str:
    if not MIN_SECRET_LENGTH <= len(secret) <= MAX_SECRET_LENGTH or secret != secret.strip():
        raise ValidationFailed(
            f"Hemligheten ska vara {MIN_SECRET_LENGTH}–{MAX_SECRET_LENGTH} tecken utan "
            "inledande eller avslutande blanksteg (utelämna den så skapas en).",
            field="secret",
        )
    return secret


def _audited_url(url: str) -> AuditedUrl:
    """The URL as the audit log keeps it: its origin and a fingerprint.

    Chat and automation tools put a credential in the path or query of their
    webhook URLs, and the audit log is kept for ever; the origin says where
    events go, the fingerprint proves which URL it was.
    """
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"  # without any user:password
    return AuditedUrl(url=origin, url_sha256=hashlib.sha256(url.encode()).hexdigest())


def subscribe(
    ctx: Context,
    actor: Actor,
    *,
    project_key: str,
    url: str,
    event_types: Sequence[str] = (),
    secret: str | None = None,
) -> NewSubscription:
    """Send the project's events (those named, or all) to `url`, signed with a secret.

    The secret is made here unless given, and returned this once.
    """
    url = _valid_url(url, ctx.webhook_egress)
    types = _valid_event_types(event_types)
    secret = _valid_secret(secret) if secret is not None else secrets.token_urlsafe(32)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        assert project.id is not None
        subscription = WebhookSubscription(
            project_id=project.id,
            url=url,
            secret=secret,
            event_types=types,
            active=True,
            created_by=str(actor),
            created_at=now,
        )
        session.add(subscription)
        session.flush()
        # Recorded after the subscription exists, so that a subscription to
        # `webhook.subscribed` (or to everything) receives its own creation: a ping.
        audited = _audited_url(url)
        change.record(
            session,
            WebhookSubscribed(
                object_id=str(subscription.id),
                after=Subscription(
                    url=audited.url, url_sha256=audited.url_sha256, event_types=types
                ),
            ),
            by=actor,
            at=now,
            project_id=project.id,
        )
        return NewSubscription(subscription, secret)


def subscription_in_project(
    *, session: Session, project_id: int | None, subscription_id: int, lock: bool = False
) -> WebhookSubscription:
    """The project's subscription (also a removed one); `NotFound` if it has none such."""
    statement = select(WebhookSubscription).where(
        WebhookSubscription.id == subscription_id, WebhookSubscription.project_id == project_id
    )
    if lock:
        statement = statement.with_for_update()
    subscription = session.exec(statement).one_or_none()
    if subscription is None:
        raise NotFound(f"Webhooken {subscription_id} finns inte i projektet.")
    return subscription


def unsubscribe(
    ctx: Context, actor: Actor, *, project_key: str, subscription_id: int
) -> WebhookSubscription:
    """Stop a subscription; deliveries not yet made are cancelled (marked dead)."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        project = project_by_key(session=session, key=project_key)
        subscription = subscription_in_project(
            session=session, project_id=project.id, subscription_id=subscription_id, lock=True
        )
        if not subscription.active:
            raise NotFound(f"Webhooken {subscription_id} finns inte i projektet.")
        subscription.active = False
        session.add(subscription)
        cancelled = session.exec(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.subscription_id) == subscription_id,
                col(WebhookDelivery.status) == DeliveryStatus.PENDING,
            )
            .values(
                status=DeliveryStatus.DEAD,
                claimed_until=None,
                last_error="cancelled: the subscription was removed",
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        session.flush()
        audited = _audited_url(subscription.url)
        change.record(
            session,
            WebhookUnsubscribed(
                object_id=str(subscription_id),
                before=ActiveSubscription(
                    url=audited.url, url_sha256=audited.url_sha256, active=True
                ),
                after=Unsubscribed(active=False, cancelled_deliveries=cancelled),
            ),
            by=actor,
            at=now,
            project_id=project.id,
        )
        return subscription


def list_subscriptions(ctx: Context, project_key: str) -> list[WebhookSubscription]:
    """The project's active subscriptions, oldest first."""
    with ctx.db.read() as session:
        project = project_by_key(session=session, key=project_key)
        return list(
            session.exec(
                select(WebhookSubscription)
                .where(
                    WebhookSubscription.project_id == project.id,
                    col(WebhookSubscription.active).is_(True),
                )
                .order_by(col(WebhookSubscription.id))
            ).all()
        )
