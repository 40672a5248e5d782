"""Retention on SQLite and PostgreSQL: what is purged, what never is, batches, two purgers at once.

Rows are written directly (a delivery log of months is not made by sending):
one subscription of the IBIC project, outbox events, and deliveries delivered,
dead or pending at chosen times. The clock is fixed; nothing sleeps.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from gatekeeper.cli import app as cli_app
from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import DeliveryStatus
from gatekeeper.scheduler import (
    RETENTION_JOB_ID,
    purge_expired,
    retention_policy,
    start_scheduler,
    stop_scheduler,
)
from gatekeeper.services import retention
from gatekeeper.services.context import Context
from gatekeeper.store.access.tables import IdempotencyRecord
from gatekeeper.store.audit.webhook_tables import OutboxEvent, WebhookDelivery, WebhookSubscription
from tests.factories import start_ibic

POLICY = retention.RetentionPolicy(
    delivered=timedelta(days=30), dead=timedelta(days=90), idempotency=timedelta(hours=24)
)


def add_subscription(ctx: Context, project_id: int | None) -> int:
    with ctx.db.write() as session:
        row = WebhookSubscription(
            project_id=project_id,
            url="https://intranat.alingsas.se/hooks/gk",
            secret="s" * 32,
            created_by="anita.lindqvist@alingsas.se",
            created_at=ctx.clock.now(),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


@pytest.fixture
def subscription(ctx: Context) -> int:
    return add_subscription(ctx, start_ibic(ctx).id)


def event(ctx: Context, *, at: datetime) -> int:
    """One outbox event (without deliveries yet), made at `at`."""
    with ctx.db.write() as session:
        row = OutboxEvent(name="risk.created", project_id=None, payload={"id": 1}, created_at=at)
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def delivery(
    ctx: Context,
    subscription: int,
    outbox: int,
    status: DeliveryStatus,
    *,
    last: datetime,
    claimed_until: datetime | None = None,
) -> int:
    """A delivery in `status` whose last attempt (or, pending, next one) is at `last`."""
    with ctx.db.write() as session:
        row = WebhookDelivery(
            subscription_id=subscription,
            outbox_id=outbox,
            status=status,
            attempts=0 if status is DeliveryStatus.PENDING else 3,
            next_attempt_at=last,
            claimed_until=claimed_until,
            delivered_at=last if status is DeliveryStatus.DELIVERED else None,
            created_at=last - timedelta(hours=1),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def one(ctx: Context, subscription: int, status: DeliveryStatus, *, last: datetime) -> int:
    """An outbox event with one delivery; the delivery's id."""
    return delivery(ctx, subscription, event(ctx, at=last), status, last=last)


def delivery_ids(ctx: Context) -> set[int]:
    with ctx.db.read() as session:
        return {i for i in session.exec(select(WebhookDelivery.id)).all() if i is not None}


def outbox_ids(ctx: Context) -> set[int]:
    with ctx.db.read() as session:
        return {i for i in session.exec(select(OutboxEvent.id)).all() if i is not None}


def test_finished_deliveries_past_their_time_go_with_their_events_and_nothing_pending_does(
    ctx: Context, clock: FixedClock, subscription: int
) -> None:
    now = clock.now()
    days = timedelta(days=1)
    old_delivered = one(ctx, subscription, DeliveryStatus.DELIVERED, last=now - 31 * days)
    young_delivered = one(ctx, subscription, DeliveryStatus.DELIVERED, last=now - 29 * days)
    old_dead = one(ctx, subscription, DeliveryStatus.DEAD, last=now - 91 * days)
    young_dead = one(ctx, subscription, DeliveryStatus.DEAD, last=now - 89 * days)
    # Pending for ever so long (a receiver down, a dispatcher off), and one in flight now.
    waiting = one(ctx, subscription, DeliveryStatus.PENDING, last=now - 400 * days)
    in_flight_event = event(ctx, at=now - 400 * days)
    in_flight = delivery(
        ctx,
        subscription,
        in_flight_event,
        DeliveryStatus.PENDING,
        last=now - 400 * days,
        claimed_until=now + timedelta(seconds=30),
    )
    # An event with one delivery done long ago and one still to send stays.
    shared = event(ctx, at=now - 200 * days)
    shared_done = delivery(
        ctx, subscription, shared, DeliveryStatus.DELIVERED, last=now - 199 * days
    )
    with ctx.db.read() as session:
        project_id = session.exec(select(WebhookSubscription.project_id)).first()
    second = add_subscription(ctx, project_id)
    shared_pending = delivery(ctx, second, shared, DeliveryStatus.PENDING, last=now)
    events_before = outbox_ids(ctx)

    report = retention.purge(ctx, POLICY)

    assert (report.deliveries, report.outbox_events, report.more) == (3, 2, False)
    assert delivery_ids(ctx) == {young_delivered, young_dead, waiting, in_flight, shared_pending}
    assert old_delivered not in delivery_ids(ctx) and old_dead not in delivery_ids(ctx)
    assert shared_done not in delivery_ids(ctx)
    assert len(events_before - outbox_ids(ctx)) == 2
    assert {shared, in_flight_event} <= outbox_ids(ctx)
    assert retention.purge(ctx, POLICY) == retention.PurgeReport()  # nothing twice


def test_how_long_is_set_by_the_settings(
    ctx: Context, clock: FixedClock, subscription: int
) -> None:
    now = clock.now()
    kept = one(ctx, subscription, DeliveryStatus.DELIVERED, last=now - timedelta(days=3))
    dead = one(ctx, subscription, DeliveryStatus.DEAD, last=now - timedelta(days=3))
    settings = Settings(retention_delivered_days=7, retention_dead_days=2)

    report = purge_expired(ctx, settings=settings)

    assert report.deliveries == 1
    assert delivery_ids(ctx) == {kept}
    assert dead not in delivery_ids(ctx)
    assert retention_policy(Settings()) == POLICY


def test_expired_idempotency_records_go_and_those_still_replayed_stay(
    ctx: Context, clock: FixedClock
) -> None:
    now = clock.now()
    with ctx.db.write() as session:
        for key, age, status_code in (
            ("expired", timedelta(hours=25), 201),
            ("abandoned", timedelta(days=2), 0),  # its request died with its process
            ("replayed", timedelta(hours=23), 201),
        ):
            session.add(
                IdempotencyRecord(
                    principal="tok_1",
                    key=key,
                    method="POST",
                    path="/api/v1/projects",
                    body_hash="0" * 64,
                    status_code=status_code,
                    created_at=now - age,
                )
            )

    assert retention.purge(ctx, POLICY).idempotency_records == 2

    with ctx.db.read() as session:
        assert session.exec(select(IdempotencyRecord.key)).all() == ["replayed"]
    longer = retention.RetentionPolicy(idempotency=timedelta(hours=48))
    clock.advance(timedelta(hours=24))
    assert retention.purge(ctx, longer).idempotency_records == 0
    clock.advance(timedelta(hours=2))
    assert retention.purge(ctx, longer).idempotency_records == 1


def test_a_backlog_goes_in_bounded_batches_and_a_capped_run_says_more_is_left(
    ctx: Context, clock: FixedClock, subscription: int
) -> None:
    old = clock.now() - timedelta(days=60)
    backlog = {one(ctx, subscription, DeliveryStatus.DELIVERED, last=old) for _ in range(23)}

    capped = retention.purge(ctx, POLICY, batch=5, max_batches=2)

    assert (capped.deliveries, capped.outbox_events, capped.more) == (10, 5 * 2, True)
    assert len(delivery_ids(ctx) & backlog) == 13
    rest = retention.purge(ctx, POLICY, batch=5)
    assert (rest.deliveries, rest.outbox_events, rest.more) == (13, 13, False)
    assert delivery_ids(ctx) == set() and outbox_ids(ctx) == set()


def test_two_purgers_at_once_delete_each_row_once_and_leave_the_pending_ones(
    ctx: Context, clock: FixedClock, subscription: int
) -> None:
    """PostgreSQL: SKIP LOCKED gives each purger other rows; SQLite: they take turns.

    Either way neither fails, every finished row is deleted by exactly one of
    them (the counts add up to the backlog), and no pending delivery is touched.
    """
    old = clock.now() - timedelta(days=120)
    for n in range(120):
        one(ctx, subscription, DeliveryStatus.DELIVERED if n % 2 else DeliveryStatus.DEAD, last=old)
    pending = {one(ctx, subscription, DeliveryStatus.PENDING, last=old) for _ in range(10)}
    start = threading.Barrier(2)
    reports: list[retention.PurgeReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait(timeout=30)
            reports.append(retention.purge(ctx, POLICY, batch=7))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == [] and len(reports) == 2
    assert sum(r.deliveries for r in reports) == 120
    assert sum(r.outbox_events for r in reports) == 120
    assert delivery_ids(ctx) == pending
    assert len(outbox_ids(ctx)) == 10


def test_the_scheduler_runs_the_purge_hourly_with_a_fixed_id(ctx: Context) -> None:
    settings = Settings(webhook_dispatch=False, reminder_dispatch=False)
    scheduler = start_scheduler(ctx, settings)
    try:
        [job] = scheduler.get_jobs()
        assert job.id == RETENTION_JOB_ID
        assert job.max_instances == 1 and job.coalesce is True
        assert job.trigger.interval == timedelta(hours=1)
    finally:
        stop_scheduler(scheduler)


def test_the_command_line_purges_once_and_says_what_went(
    ctx: Context, database_url: str, subscription: int
) -> None:
    # The command reads the real clock.
    old = datetime.now(UTC) - timedelta(days=100)
    gone = one(ctx, subscription, DeliveryStatus.DEAD, last=old)
    stays = one(ctx, subscription, DeliveryStatus.PENDING, last=old)

    result = CliRunner().invoke(cli_app, ["purge", "--database-url", database_url, "--batch", "1"])

    assert result.exit_code == 0, result.output
    assert "Deleted 1 webhook deliveries, 1 outbox events" in result.output
    assert delivery_ids(ctx) == {stays}
    assert gone not in delivery_ids(ctx)
    with ctx.db.read() as session:
        assert session.exec(select(col(WebhookDelivery.id))).all() == [stays]
