"""APScheduler as the clock, and nothing more.

One `BackgroundScheduler` with an in-memory job store (nothing is pickled)
runs a few interval jobs with fixed ids; each job calls a service function,
and the database holds all the state: which deliveries are due, who has
claimed them, what came of each attempt. A second process running the same
jobs would be safe, because the services claim rows, not the scheduler; even
so the server runs them in one process only: `running_scheduler` elects it
with a PostgreSQL advisory lock (`store/leader.py`), and another process takes
over within `ELECTION_INTERVAL` when that one stops.

Jobs:

- `webhooks.dispatch`: every `webhook_interval_seconds`, `webhook_dispatch.dispatch_due`
  until no full batch is left (at most a few rounds, so one run stays short).
- `reminders.dispatch`: every `reminder_interval_seconds`, and once at start
  (reminders that fell due while no server ran: misfire handling is simply
  "due <= now"), `reminder_dispatch.dispatch_due` until no full batch is left.
- `reminders.digest`: every 15 minutes, the daily digest e-mails that are due
  (only with an SMTP server configured).
- `reminders.plan`: once a day, `reminder_planning.replan_all` (re-plans every
  project's reminders, e.g. after a workflow's cadence passed into a new month).
- `retention.purge`: every hour (with `retention_purge`), `retention.purge`: delivered
  and dead webhook deliveries, outbox events and idempotency records past their
  retention, in batches (at most `RETENTION_ROUNDS` batches of each kind a run).
- `decisions.effect` (with the reminder jobs): once at start and every day at 00:05 Swedish time,
  `decision_effect.apply_due_decisions`: a go decided before its effective date
  moves the phase on the day, exactly once (the service locks the rows and
  checks again, so a second process or a re-run changes nothing).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler

from gatekeeper.channels.base import Channel, Mailer
from gatekeeper.channels.email import email_channel
from gatekeeper.config import Settings
from gatekeeper.errors import GatekeeperError
from gatekeeper.services import retention
from gatekeeper.services.audit import webhook_dispatch, webhook_sender
from gatekeeper.services.context import Context
from gatekeeper.services.gates import effect as decision_effect
from gatekeeper.services.reminders import digest as reminder_digest
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.services.reminders import planning as reminder_planning
from gatekeeper.store.leader import SchedulerLock

logger = logging.getLogger("gatekeeper.scheduler")

WEBHOOK_JOB_ID = "webhooks.dispatch"
WEBHOOK_BATCH = 50
WEBHOOK_ROUNDS = 10
REMINDER_JOB_ID = "reminders.dispatch"
DIGEST_JOB_ID = "reminders.digest"
PLAN_JOB_ID = "reminders.plan"
EFFECT_JOB_ID = "decisions.effect"
REMINDER_ROUNDS = 10
RETENTION_JOB_ID = "retention.purge"
RETENTION_INTERVAL = timedelta(hours=1)
RETENTION_ROUNDS = 100
DIGEST_INTERVAL = timedelta(minutes=15)
PLAN_INTERVAL = timedelta(days=1)
ELECTION_JOB_ID = "scheduler.election"
ELECTION_INTERVAL = timedelta(seconds=30)


def worker_name() -> str:
    """This process as dispatchers name themselves in logs: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def dispatch_webhooks(
    ctx: Context,
    *,
    max_attempts: int,
    timeout_seconds: float,
    worker: str,
    concurrency: int = webhook_dispatch.DEFAULT_CONCURRENCY,
    batch: int = WEBHOOK_BATCH,
    rounds: int = WEBHOOK_ROUNDS,
) -> int:
    """The `webhooks.dispatch` job: send what is due; how many deliveries were claimed.

    A database that is down is logged and tried again on the next tick.
    """
    sender = webhook_sender.GuardedSender(timeout_seconds, ctx.webhook_egress)
    claimed = 0
    try:
        for _ in range(rounds):
            report = webhook_dispatch.dispatch_due(
                ctx,
                limit=batch,
                worker=worker,
                sender=sender,
                max_attempts=max_attempts,
                timeout_seconds=timeout_seconds,
                concurrency=concurrency,
            )
            claimed += report.claimed
            if report.claimed < batch:
                break
    except GatekeeperError as error:
        logger.warning("webhook dispatch skipped this time: %s", error.message)
    return claimed


def dispatch_reminders(
    ctx: Context,
    *,
    settings: Settings,
    worker: str,
    channels: Sequence[Channel] = (),
    rounds: int = REMINDER_ROUNDS,
    now: datetime | None = None,
) -> int:
    """The `reminders.dispatch` job: send what is due; how many reminders were claimed.

    A database that is down is logged and tried again on the next tick.
    """
    claimed = 0
    try:
        for _ in range(rounds):
            report = reminder_dispatch.dispatch_due(
                ctx,
                worker=worker,
                channels=channels,
                limit=settings.reminder_batch,
                lease=timedelta(seconds=settings.reminder_lease_seconds),
                max_attempts=settings.reminder_max_attempts,
                base_url=settings.public_base_url,
                now=now,
            )
            claimed += report.claimed
            if report.claimed < settings.reminder_batch or report.released:
                break
    except GatekeeperError as error:
        logger.warning("reminder dispatch skipped this time: %s", error.message)
    return claimed


def send_digests(ctx: Context, *, settings: Settings, mailer: Mailer) -> int:
    """The `reminders.digest` job: the daily digests that are due; how many were sent."""
    try:
        report = reminder_digest.send_digests(
            ctx, mailer=mailer, hour=settings.digest_hour, base_url=settings.public_base_url
        )
    except GatekeeperError as error:
        logger.warning("digest run skipped this time: %s", error.message)
        return 0
    return report.sent


def retention_policy(settings: Settings) -> retention.RetentionPolicy:
    """How long rows are kept, as the settings say."""
    return retention.RetentionPolicy(
        delivered=timedelta(days=settings.retention_delivered_days),
        dead=timedelta(days=settings.retention_dead_days),
        idempotency=timedelta(hours=settings.retention_idempotency_hours),
    )


def purge_expired(
    ctx: Context,
    *,
    settings: Settings,
    batch: int = retention.DEFAULT_BATCH,
    rounds: int = RETENTION_ROUNDS,
) -> retention.PurgeReport:
    """The `retention.purge` job: delete what is past its retention (a bounded amount a run)."""
    try:
        return retention.purge(ctx, retention_policy(settings), batch=batch, max_batches=rounds)
    except GatekeeperError as error:
        logger.warning("retention purge skipped this time: %s", error.message)
        return retention.PurgeReport()


def plan_reminders(ctx: Context) -> None:
    """The `reminders.plan` job: re-plan every project's reminders."""
    try:
        reminder_planning.replan_all(ctx)
    except GatekeeperError as error:
        logger.warning("reminder planning skipped this time: %s", error.message)


def apply_decisions(ctx: Context) -> int:
    """The `decisions.effect` job: decisions whose effective date has come take effect."""
    try:
        return decision_effect.apply_due_decisions(ctx)
    except GatekeeperError as error:
        logger.warning("decision effects skipped this time: %s", error.message)
        return 0


def _add_reminder_jobs(scheduler: BackgroundScheduler, ctx: Context, settings: Settings) -> None:
    channel = email_channel(settings)
    common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    scheduler.add_job(
        partial(
            dispatch_reminders,
            ctx,
            settings=settings,
            worker=worker_name(),
            channels=[channel] if channel else [],
        ),
        trigger="interval",
        seconds=settings.reminder_interval_seconds,
        # Once at start as well: reminders that fell due while no server ran go out now.
        next_run_time=datetime.now(UTC),
        id=REMINDER_JOB_ID,
        name="Send due reminders",
        **common,
    )
    if channel is not None:
        scheduler.add_job(
            partial(send_digests, ctx, settings=settings, mailer=channel),
            trigger="interval",
            seconds=DIGEST_INTERVAL.total_seconds(),
            id=DIGEST_JOB_ID,
            name="Send the daily digest e-mails that are due",
            **common,
        )
    scheduler.add_job(
        partial(plan_reminders, ctx),
        trigger="interval",
        seconds=PLAN_INTERVAL.total_seconds(),
        id=PLAN_JOB_ID,
        name="Re-plan every project's reminders",
        **common,
    )


def add_jobs(scheduler: BackgroundScheduler, ctx: Context, settings: Settings) -> None:
    """Add the jobs `settings` enable to `scheduler`."""
    if settings.webhook_dispatch:
        scheduler.add_job(
            partial(
                dispatch_webhooks,
                ctx,
                max_attempts=settings.webhook_max_attempts,
                timeout_seconds=settings.webhook_timeout_seconds,
                worker=worker_name(),
                concurrency=settings.webhook_concurrency,
            ),
            trigger="interval",
            seconds=settings.webhook_interval_seconds,
            id=WEBHOOK_JOB_ID,
            name="Send due webhook deliveries",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
    if settings.reminder_dispatch:  # the daily jobs run where the reminders run
        _add_reminder_jobs(scheduler, ctx, settings)
        _add_decision_job(scheduler, ctx)
    if settings.retention_purge:
        scheduler.add_job(
            partial(purge_expired, ctx, settings=settings),
            trigger="interval",
            seconds=RETENTION_INTERVAL.total_seconds(),
            id=RETENTION_JOB_ID,
            name="Delete webhook deliveries, outbox events and idempotency records past retention",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )


def start_scheduler(
    ctx: Context, settings: Settings, *, lock: SchedulerLock | None = None
) -> BackgroundScheduler:
    """Start the background clock with the jobs `settings` enable.

    With a `lock`, the jobs run only while this process holds it: an election
    job asks for it at start and every `ELECTION_INTERVAL`, adds the jobs when
    it is won and removes them when it is lost.
    """
    scheduler = BackgroundScheduler(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1}
    )
    if lock is None:
        add_jobs(scheduler, ctx, settings)
    else:
        scheduler.add_job(
            partial(elect, scheduler, ctx, settings, lock),
            trigger="interval",
            seconds=ELECTION_INTERVAL.total_seconds(),
            id=ELECTION_JOB_ID,
            name="Run the scheduled jobs if this process holds the scheduler lock",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
        elect(scheduler, ctx, settings, lock)  # at start too, not only after an interval
    scheduler.start()
    return scheduler


def elect(
    scheduler: BackgroundScheduler, ctx: Context, settings: Settings, lock: SchedulerLock
) -> bool:
    """The `scheduler.election` job: run the jobs here while this process holds the lock.

    True when it does.
    """
    running = [job for job in scheduler.get_jobs() if job.id != ELECTION_JOB_ID]
    if lock.hold():
        if not running:
            logger.info("%s runs the scheduled jobs (it holds the scheduler lock)", worker_name())
            add_jobs(scheduler, ctx, settings)
        return True
    if running:
        logger.warning("%s lost the scheduler lock; another process runs the jobs", worker_name())
        for job in running:
            job.remove()
    return False


def _add_decision_job(scheduler: BackgroundScheduler, ctx: Context) -> None:
    scheduler.add_job(
        partial(apply_decisions, ctx),
        trigger="cron",
        hour=0,
        minute=5,
        timezone=ZoneInfo("Europe/Stockholm"),
        next_run_time=datetime.now(UTC),  # once at start: days passed while no server ran
        id=EFFECT_JOB_ID,
        name="Decisions whose effective date has come take effect",
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )


def stop_scheduler(scheduler: BackgroundScheduler, *, wait: bool = True) -> None:
    """Stop the clock; with `wait`, a job that is running finishes first."""
    if scheduler.running:
        scheduler.shutdown(wait=wait)


@contextmanager
def running_scheduler(ctx: Context, settings: Settings) -> Iterator[BackgroundScheduler]:
    """The scheduler running for the length of a `with` block (the server's lifespan).

    Its jobs run only while this process holds the scheduler lock (one process
    of all those serving one PostgreSQL database); the lock is given up at the end.
    """
    lock = SchedulerLock(ctx.db)
    scheduler = start_scheduler(ctx, settings, lock=lock)
    try:
        yield scheduler
    finally:
        stop_scheduler(scheduler)
        lock.release()
