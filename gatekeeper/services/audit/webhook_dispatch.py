"""The webhook dispatcher: claims due deliveries of the outbox, sends them, records each.

`store.audit.outbox` turns each audit event into pending deliveries for the
project's subscriptions (`services.audit.webhook_subscription`) in the
change's own transaction; `dispatch_due` then

1. claims due deliveries in one short write transaction (PostgreSQL:
   `SELECT … FOR UPDATE SKIP LOCKED`; SQLite: the `BEGIN IMMEDIATE` write
   transaction is already exclusive) by setting a lease, `claimed_until`;
2. sends them with no transaction open (no database lock is ever held
   during HTTP), each signed with HMAC-SHA256 over `"{timestamp}.{body}"`
   (`services.audit.webhook_sender`, which keeps to the egress policy):
   receivers in parallel (up to `concurrency` at once), the deliveries of
   one receiver (scheme, host, port) one after another, so that a receiver
   that hangs costs only its own deliveries their timeout;
3. records each outcome in its own transaction: a 2xx is delivered; anything
   else is retried after 30 s × 2^attempts (at most 6 hours) until
   `max_attempts`, then the delivery is dead. Errors are stored and logged
   without the URL's credentials (`core.masked_url.redacted`).

A process killed between 1 and 3 leaves the lease to expire; the next run
sends again. Delivery is therefore at least once, and receivers de-duplicate
on the payload's `id` (the audit event's sequence number). See docs/webhooks.md.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_
from sqlmodel import col, select

from gatekeeper import __version__
from gatekeeper.core.masked_url import redacted
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.services.audit.webhook_sender import (
    DEFAULT_TIMEOUT_SECONDS,
    GuardedSender,
    Sender,
    SendResult,
    sign,
)
from gatekeeper.services.context import Context
from gatekeeper.store.audit.outbox import canonical_body
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery, WebhookSubscription
from gatekeeper.store.database import note_recorded

logger = logging.getLogger("gatekeeper.webhooks")
# Not an audit event: the name under which a failed attempt reaches the commit observers.
WEBHOOK_DELIVERY_FAILED = "webhook.delivery_failed"

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_CONCURRENCY = 8
LEASE = timedelta(seconds=60)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)
_MAX_ERROR_LENGTH = 500


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 30 s × 2^n, at most 6 h."""
    return min(BACKOFF_BASE * (1 << min(attempts, 20)), BACKOFF_CAP)


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
        result = sender(claim.url, claim.body, headers)
    except Exception as error:  # a broken sender must not stop the other deliveries
        result = SendResult(error=f"{type(error).__name__}: {error}")
    if result.error is not None:  # an error may quote the URL: never its credentials
        return SendResult(result.status_code, redacted(result.error, claim.url))
    return result


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
            note_recorded(session, WEBHOOK_DELIVERY_FAILED)  # counted in the metrics
        session.add(delivery)
        return delivery.status


def receiver_of(url: str) -> str:
    """The receiver a URL names, for the one-at-a-time rule: scheme, host and port."""
    try:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname}:{parts.port}"
    except ValueError:  # a port out of range: such a URL fails alone
        return url


def _by_receiver(claims: list[Claim]) -> list[list[Claim]]:
    """The claims grouped by receiver, each group and the groups in claim order."""
    groups: dict[str, list[Claim]] = {}
    for claim in claims:
        groups.setdefault(receiver_of(claim.url), []).append(claim)
    return list(groups.values())


def dispatch_due(
    ctx: Context,
    *,
    limit: int = 100,
    worker: str = "dispatcher",
    sender: Sender | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> DispatchReport:
    """Claim, send and record up to `limit` due deliveries; see the module docstring.

    What receivers and networks do never raises here: every failure is a
    recorded attempt. Only a database that cannot be reached raises
    (`DatabaseUnavailable`), and then nothing was sent that is not retried.
    """
    send = sender or GuardedSender(timeout_seconds, ctx.webhook_egress)
    claims = claim_due(ctx, limit=limit, lease_per_delivery=timedelta(seconds=timeout_seconds + 1))
    groups = _by_receiver(claims)
    outcomes: list[DeliveryStatus | None] = []
    if groups:
        with ThreadPoolExecutor(
            max_workers=max(1, min(concurrency, len(groups))), thread_name_prefix="webhook"
        ) as pool:
            # Every group runs to its end before a failure (even one that kills the
            # process) is raised here: what was sent is recorded as far as it can be.
            runs = [
                pool.submit(_deliver_in_turn, ctx, group, send, max_attempts, worker)
                for group in groups
            ]
            for run in runs:
                outcomes.extend(run.result())
    counts = {status: 0 for status in DeliveryStatus}
    for outcome in outcomes:
        if outcome is not None:
            counts[outcome] += 1
    return DispatchReport(
        claimed=len(claims),
        delivered=counts[DeliveryStatus.DELIVERED],
        retrying=counts[DeliveryStatus.PENDING],
        dead=counts[DeliveryStatus.DEAD],
        lost=outcomes.count(None),
    )


def _deliver_in_turn(
    ctx: Context, group: list[Claim], send: Sender, max_attempts: int, worker: str
) -> list[DeliveryStatus | None]:
    """Send one receiver's claims one after another, recording each before the next."""
    outcomes: list[DeliveryStatus | None] = []
    for claim in group:
        result = _send(ctx, claim, send)
        outcome = _record(ctx, claim, result, max_attempts=max_attempts)
        if outcome is not None and not result.ok:
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
        outcomes.append(outcome)
    return outcomes
