"""Retention: what gatekeeper forgets, and when — webhook deliveries, outbox events, idempotency.

The audit log is kept for ever (it is the record; see docs/security.md). What
only serves delivery is not:

- a **delivered** webhook delivery goes `delivered` days after it was
  delivered (default 30), a **dead** one `dead` days after its last attempt
  (default 90: time to look into it, or send it again);
- an **outbox event** goes once none of its deliveries is left;
- an **Idempotency-Key record** goes `idempotency` after its request
  (default and least: the 24 hours in which a retry gets its answer replayed).

A pending delivery — due, waiting for its retry, or claimed by a dispatcher
right now — is never purged, nor is the outbox event it carries: the
statements name the finished statuses only, and check them again as they
delete.

`purge` deletes in batches of `batch` rows, each batch in a short write
transaction of its own, so that a large backlog never holds a long lock (a
dispatcher, a re-send or a request waits for one batch at most). Any number of
processes may purge at once: on PostgreSQL each batch is chosen with `SELECT …
FOR UPDATE SKIP LOCKED`, so two purgers take different rows and neither waits
for the other; on SQLite the write transaction is exclusive, so they take
turns. A row is deleted once, and the counts of all purgers add up to what
there was to delete (tests/services/test_retention.py runs two at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlmodel import col, delete, select

from gatekeeper.core.status import DeliveryStatus
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import IdempotencyRecord
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery

DEFAULT_BATCH = 500


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of row is kept (see the module docstring)."""

    delivered: timedelta = timedelta(days=30)
    dead: timedelta = timedelta(days=90)
    idempotency: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class PurgeReport:
    """What one `purge` deleted, and whether rows past their time were left for a next run."""

    deliveries: int = 0
    outbox_events: int = 0
    idempotency_records: int = 0
    more: bool = False  # stopped at `max_batches`: more to delete


def _finished_deliveries(policy: RetentionPolicy, now: datetime) -> Any:
    """Deliveries past their time: delivered or dead, never pending."""
    delivered_before = now - policy.delivered
    dead_before = now - policy.dead
    return or_(
        and_(
            col(WebhookDelivery.status) == DeliveryStatus.DELIVERED,
            # next_attempt_at (indexed with the status) is never after delivered_at
            col(WebhookDelivery.next_attempt_at) <= delivered_before,
            col(WebhookDelivery.delivered_at) <= delivered_before,
        ),
        and_(
            col(WebhookDelivery.status) == DeliveryStatus.DEAD,
            col(WebhookDelivery.next_attempt_at) <= dead_before,  # its last attempt
        ),
    )


def _delete_batch(ctx: Context, table: Any, condition: Any, batch: int) -> int:
    """Delete up to `batch` rows of `table` that meet `condition`, oldest id first, in one
    short transaction; the condition is checked again as they are deleted."""
    with ctx.db.write() as session:
        ids = session.exec(
            select(table.id)
            .where(condition)
            .order_by(col(table.id))
            .limit(batch)
            .with_for_update(skip_locked=True)
        ).all()
        if not ids:
            return 0
        deleted: int = session.exec(delete(table).where(col(table.id).in_(ids), condition)).rowcount
        return deleted


def _purge_deliveries(ctx: Context, policy: RetentionPolicy, now: datetime, batch: int) -> int:
    return _delete_batch(ctx, WebhookDelivery, _finished_deliveries(policy, now), batch)


def _purge_outbox(ctx: Context, policy: RetentionPolicy, now: datetime, batch: int) -> int:
    """Outbox events no delivery refers to any more (their last one was purged)."""
    orphan = ~exists().where(col(WebhookDelivery.outbox_id) == col(OutboxEvent.id))
    return _delete_batch(ctx, OutboxEvent, orphan, batch)


def _purge_idempotency(ctx: Context, policy: RetentionPolicy, now: datetime, batch: int) -> int:
    expired = col(IdempotencyRecord.created_at) <= now - policy.idempotency
    return _delete_batch(ctx, IdempotencyRecord, expired, batch)


Step = Callable[[Context, RetentionPolicy, datetime, int], int]


def _in_batches(
    step: Step, ctx: Context, policy: RetentionPolicy, now: datetime, batch: int, limit: int | None
) -> tuple[int, bool]:
    """Run `step` until a batch comes back short (or `limit` batches); (deleted, more)."""
    total = rounds = 0
    while limit is None or rounds < limit:
        deleted = step(ctx, policy, now, batch)
        total += deleted
        rounds += 1
        if deleted < batch:
            return total, False
    return total, True


def purge(
    ctx: Context,
    policy: RetentionPolicy = RetentionPolicy(),
    *,
    batch: int = DEFAULT_BATCH,
    max_batches: int | None = None,
    now: datetime | None = None,
) -> PurgeReport:
    """Delete what is past its time under `policy`, `batch` rows per transaction.

    With `max_batches`, at most that many batches of each kind (a scheduled
    run stays short; `more` says that rows were left for the next run).
    """
    now = now or ctx.clock.now()
    batch = max(1, batch)
    deliveries, more_deliveries = _in_batches(
        _purge_deliveries, ctx, policy, now, batch, max_batches
    )
    outbox, more_outbox = _in_batches(_purge_outbox, ctx, policy, now, batch, max_batches)
    records, more_records = _in_batches(_purge_idempotency, ctx, policy, now, batch, max_batches)
    return PurgeReport(
        deliveries=deliveries,
        outbox_events=outbox,
        idempotency_records=records,
        more=more_deliveries or more_outbox or more_records,
    )
