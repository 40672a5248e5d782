"""Webhooks: subscriptions per project, and the dispatcher that delivers the outbox.

A subscription names a URL, the event types it wants (none: every event of
the project) and a secret. `store.outbox.enqueue` turns each audit event into
pending deliveries in the change's own transaction; `dispatch_due` then

1. claims due deliveries in one short write transaction (PostgreSQL:
   `SELECT … FOR UPDATE SKIP LOCKED`; SQLite: the `BEGIN IMMEDIATE` write
   transaction is already exclusive) by setting a lease, `claimed_until`;
2. sends them with no transaction open (no database lock is ever held
   during HTTP), each signed with HMAC-SHA256 over `"{timestamp}.{body}"`;
3. records each outcome in its own transaction: a 2xx is delivered; anything
   else is retried after 30 s × 2^attempts (at most 6 hours) until
   `max_attempts`, then the delivery is dead.

A process killed between 1 and 3 leaves the lease to expire; the next run
sends again. Delivery is therefore at least once, and receivers de-duplicate
on the payload's `id` (the audit event's sequence number). See docs/webhooks.md.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from gatekeeper import __version__
from gatekeeper.core.actor import Actor
from gatekeeper.core.events import EventName
from gatekeeper.core.events.audit import (
    ActiveSubscription,
    AuditedUrl,
    Subscription,
    Unsubscribed,
    WebhookSubscribed,
    WebhookUnsubscribed,
)
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.errors import NotFound, ValidationFailed
from gatekeeper.services import change
from gatekeeper.services.context import Context
from gatekeeper.services.lookup import project_by_key
from gatekeeper.store.audit.outbox import canonical_body
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery, WebhookSubscription

logger = logging.getLogger("gatekeeper.webhooks")

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_TIMEOUT_SECONDS = 5.0
LEASE = timedelta(seconds=60)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)
MIN_SECRET_LENGTH = 16
MAX_SECRET_LENGTH = 200
MAX_URL_LENGTH = 2000
MAX_PAGE = 500
_MAX_ERROR_LENGTH = 500
_MAX_RESPONSE_BYTES = 64 * 1024


# --- subscriptions ----------------------------------------------------------------------


class NewSubscription(NamedTuple):
    """A subscription just made, and its secret (shown this once)."""

    subscription: WebhookSubscription
    secret: str


def _valid_url(raw: str) -> str:
    url = raw.strip()
    try:
        parts = urlsplit(url)
        usable = parts.scheme in {"http", "https"} and bool(parts.hostname)
        _ = parts.port  # a port out of range raises ValueError here
    except ValueError:
        usable = False
    if not usable or any(char.isspace() or ord(char) < 32 for char in url):
        shown = raw if len(raw) <= 100 else raw[:100] + "…"
        raise ValidationFailed(
            f"'{shown}' är ingen webbadress för en webhook: den ska börja med http:// eller "
            "https:// och ha ett värdnamn.",
            field="url",
        )
    if len(url) > MAX_URL_LENGTH:
        raise ValidationFailed(f"Webbadressen får vara högst {MAX_URL_LENGTH} tecken.", field="url")
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
    url = _valid_url(url)
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


def _subscription(
    *, session: Session, project_id: int | None, subscription_id: int, lock: bool = False
) -> WebhookSubscription:
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
        subscription = _subscription(
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


@dataclass(frozen=True)
class DeliveryView:
    """One line of the delivery log: the delivery and the event it carries."""

    delivery: WebhookDelivery
    event: str
    event_id: int | str  # the payload's `id`: the audit event's seq, or e.g. "reminder-17"


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
        _subscription(session=session, project_id=project.id, subscription_id=subscription_id)
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
    views = [DeliveryView(delivery, event.name, _event_id(event)) for delivery, event in rows]
    return views[:limit], len(views) > limit


def _event_id(event: OutboxEvent) -> int | str:
    """The payload's `id`: the audit event's seq, or the id an event without one carries."""
    if event.audit_seq is not None:
        return event.audit_seq
    return str(event.payload.get("id", f"outbox-{event.id}"))


# --- signing and sending ----------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Gatekeeper-Signature` value: `t=<unix time>,v1=<hex HMAC-SHA256>`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 30 s × 2^n, at most 6 h."""
    return min(BACKOFF_BASE * (1 << min(attempts, 20)), BACKOFF_CAP)


@dataclass(frozen=True)
class SendResult:
    """What one HTTP attempt gave: a status code, or an error where none came back."""

    status_code: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender(Protocol):
    """Sends one POST; never raises for what the network or receiver does."""

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult: ...


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: the signed body is not re-posted elsewhere."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class UrllibSender:
    """The default sender: the standard library's HTTP client, with a timeout."""

    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.timeout_seconds = timeout_seconds
        self._opener = urllib.request.build_opener(_NoRedirects())

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str]) -> SendResult:
        request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout_seconds) as response:
                response.read(_MAX_RESPONSE_BYTES)
                return SendResult(status_code=response.status)
        except urllib.error.HTTPError as error:
            try:
                return SendResult(status_code=error.code, error=f"HTTP {error.code} {error.reason}")
            finally:
                error.close()
        except urllib.error.URLError as error:
            return SendResult(error=f"{type(error.reason).__name__}: {error.reason}")
        except (OSError, http.client.HTTPException, ValueError) as error:
            return SendResult(error=f"{type(error).__name__}: {error}")


# --- dispatching ------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A delivery this dispatcher holds until `claimed_until`: all it needs to send."""

    delivery_id: int
    subscription_id: int
    url: str
    secret: str = field(repr=False)
    event: str
    body: bytes
    claimed_until: datetime


@dataclass(frozen=True)
class DispatchReport:
    """What one `dispatch_due` run did."""

    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    lost: int = 0  # the claim had lapsed, or the subscription was removed, before the result


def claim_due(
    ctx: Context, *, limit: int = 100, lease_per_delivery: timedelta = timedelta(0)
) -> list[Claim]:
    """Claim up to `limit` due deliveries in one short write transaction.

    The lease is `LEASE` plus `lease_per_delivery` for each claimed delivery,
    so that a batch sent one by one is never claimed again while it is sent.
    """
    now = ctx.clock.now()
    with ctx.db.write() as session:
        rows = session.exec(
            select(WebhookDelivery, WebhookSubscription, OutboxEvent)
            .join(
                WebhookSubscription,
                col(WebhookSubscription.id) == col(WebhookDelivery.subscription_id),
            )
            .join(OutboxEvent, col(OutboxEvent.id) == col(WebhookDelivery.outbox_id))
            .where(
                WebhookDelivery.status == DeliveryStatus.PENDING,
                col(WebhookDelivery.next_attempt_at) <= now,
                or_(
                    col(WebhookDelivery.claimed_until).is_(None),
                    col(WebhookDelivery.claimed_until) <= now,
                ),
                col(WebhookSubscription.active).is_(True),
            )
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(limit)
            # Rows another dispatcher is claiming right now are skipped, not waited for.
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        ).all()
        until = now + LEASE + lease_per_delivery * len(rows)
        claims = []
        for delivery, subscription, event in rows:
            assert delivery.id is not None
            delivery.claimed_until = until
            session.add(delivery)
            claims.append(
                Claim(
                    delivery_id=delivery.id,
                    subscription_id=delivery.subscription_id,
                    url=subscription.url,
                    secret=subscription.secret,
                    event=event.name,
                    body=canonical_body(event.payload),
                    claimed_until=until,
                )
            )
        return claims


def _send(ctx: Context, claim: Claim, sender: Sender) -> SendResult:
    timestamp = int(ctx.clock.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"gatekeeper-webhooks/{__version__}",
        "X-Gatekeeper-Event": claim.event,
        "X-Gatekeeper-Delivery": str(claim.delivery_id),
        "X-Gatekeeper-Signature": sign(claim.secret, timestamp, claim.body),
    }
    try:
        return sender(claim.url, claim.body, headers)
    except Exception as error:  # a broken sender must not stop the other deliveries
        return SendResult(error=f"{type(error).__name__}: {error}")


def _record(
    ctx: Context, claim: Claim, result: SendResult, *, max_attempts: int
) -> DeliveryStatus | None:
    """Write one attempt's outcome; None if the claim was no longer ours."""
    now = ctx.clock.now()
    with ctx.db.write() as session:
        delivery = session.exec(
            select(WebhookDelivery).where(WebhookDelivery.id == claim.delivery_id).with_for_update()
        ).one_or_none()
        if (
            delivery is None
            or delivery.status is not DeliveryStatus.PENDING
            or delivery.claimed_until != claim.claimed_until
        ):
            return None
        delivery.attempts += 1
        delivery.claimed_until = None
        delivery.last_status_code = result.status_code
        if result.ok:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.last_error = None
        else:
            delivery.last_error = (result.error or f"HTTP {result.status_code}")[:_MAX_ERROR_LENGTH]
            if delivery.attempts >= max_attempts:
                delivery.status = DeliveryStatus.DEAD
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        session.add(delivery)
        return delivery.status


def dispatch_due(
    ctx: Context,
    *,
    limit: int = 100,
    worker: str = "dispatcher",
    sender: Sender | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> DispatchReport:
    """Claim, send and record up to `limit` due deliveries; see the module docstring.

    What receivers and networks do never raises here: every failure is a
    recorded attempt. Only a database that cannot be reached raises
    (`DatabaseUnavailable`), and then nothing was sent that is not retried.
    """
    send = sender or UrllibSender(timeout_seconds)
    claims = claim_due(ctx, limit=limit, lease_per_delivery=timedelta(seconds=timeout_seconds + 1))
    counts = {status: 0 for status in DeliveryStatus}
    lost = 0
    for claim in claims:
        result = _send(ctx, claim, send)
        outcome = _record(ctx, claim, result, max_attempts=max_attempts)
        if outcome is None:
            lost += 1
            continue
        counts[outcome] += 1
        if not result.ok:
            # Never the URL itself: chat tools keep a credential in it.
            logger.warning(
                "webhook delivery %s (subscription %s, %s) failed: %s; %s",
                claim.delivery_id,
                claim.subscription_id,
                claim.event,
                result.error or f"HTTP {result.status_code}",
                "gave up" if outcome is DeliveryStatus.DEAD else "will retry",
                extra={"worker": worker},
            )
    return DispatchReport(
        claimed=len(claims),
        delivered=counts[DeliveryStatus.DELIVERED],
        retrying=counts[DeliveryStatus.PENDING],
        dead=counts[DeliveryStatus.DEAD],
        lost=lost,
    )
