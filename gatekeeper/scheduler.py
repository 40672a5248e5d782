"""APScheduler as the clock, and nothing more.

One `BackgroundScheduler` with an in-memory job store (nothing is pickled)
runs a few interval jobs with fixed ids; each job calls a service function,
and the database holds all the state: which deliveries are due, who has
claimed them, what came of each attempt. A second process running the same
jobs is safe, because the services claim rows, not the scheduler.

Jobs:

- `webhooks.dispatch`: every `webhook_interval_seconds`, `webhooks.dispatch_due`
  until no full batch is left (at most a few rounds, so one run stays short).
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from functools import partial

from apscheduler.schedulers.background import BackgroundScheduler

from gatekeeper.config import Settings
from gatekeeper.errors import GatekeeperError
from gatekeeper.services import webhooks
from gatekeeper.services.context import Context

logger = logging.getLogger("gatekeeper.scheduler")

WEBHOOK_JOB_ID = "webhooks.dispatch"
WEBHOOK_BATCH = 50
WEBHOOK_ROUNDS = 10


def worker_name() -> str:
    """This process as dispatchers name themselves in logs: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def dispatch_webhooks(
    ctx: Context,
    *,
    max_attempts: int,
    timeout_seconds: float,
    worker: str,
    batch: int = WEBHOOK_BATCH,
    rounds: int = WEBHOOK_ROUNDS,
) -> int:
    """The `webhooks.dispatch` job: send what is due; how many deliveries were claimed.

    A database that is down is logged and tried again on the next tick.
    """
    sender = webhooks.UrllibSender(timeout_seconds)
    claimed = 0
    try:
        for _ in range(rounds):
            report = webhooks.dispatch_due(
                ctx,
                limit=batch,
                worker=worker,
                sender=sender,
                max_attempts=max_attempts,
                timeout_seconds=timeout_seconds,
            )
            claimed += report.claimed
            if report.claimed < batch:
                break
    except GatekeeperError as error:
        logger.warning("webhook dispatch skipped this time: %s", error.message)
    return claimed


def start_scheduler(ctx: Context, settings: Settings) -> BackgroundScheduler:
    """Start the background clock with the jobs `settings` enable."""
    scheduler = BackgroundScheduler(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1}
    )
    if settings.webhook_dispatch:
        scheduler.add_job(
            partial(
                dispatch_webhooks,
                ctx,
                max_attempts=settings.webhook_max_attempts,
                timeout_seconds=settings.webhook_timeout_seconds,
                worker=worker_name(),
            ),
            trigger="interval",
            seconds=settings.webhook_interval_seconds,
            id=WEBHOOK_JOB_ID,
            name="Send due webhook deliveries",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
    scheduler.start()
    return scheduler


def stop_scheduler(scheduler: BackgroundScheduler, *, wait: bool = True) -> None:
    """Stop the clock; with `wait`, a job that is running finishes first."""
    if scheduler.running:
        scheduler.shutdown(wait=wait)


@contextmanager
def running_scheduler(ctx: Context, settings: Settings) -> Iterator[BackgroundScheduler]:
    """The scheduler running for the length of a `with` block (the server's lifespan)."""
    scheduler = start_scheduler(ctx, settings)
    try:
        yield scheduler
    finally:
        stop_scheduler(scheduler)
