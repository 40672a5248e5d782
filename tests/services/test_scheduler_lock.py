"""The scheduler lock: one process of many runs the scheduled jobs, another takes over.

Each `SchedulerLock` stands for one process (its own connection); on SQLite
there is one process, which always holds it.
"""

from __future__ import annotations

from gatekeeper.config import Settings
from gatekeeper.scheduler import (
    ELECTION_JOB_ID,
    REMINDER_JOB_ID,
    elect,
    start_scheduler,
    stop_scheduler,
)
from gatekeeper.services.context import Context
from gatekeeper.store.database import Database
from gatekeeper.store.leader import SchedulerLock

TEST_KEY = 20_261_206  # not the real key: tests in other databases run at once


def test_one_holder_at_a_time_and_the_next_takes_over(database: Database) -> None:
    first, second = SchedulerLock(database, TEST_KEY), SchedulerLock(database, TEST_KEY)
    try:
        assert first.hold()
        assert first.hold()  # still held on the next election
        if database.is_sqlite:  # one process: it always holds the lock
            assert second.hold()
            return
        assert not second.hold()
        first.release()
        assert second.hold()
        assert not first.hold()
    finally:
        first.release()
        second.release()


def test_the_jobs_run_only_where_the_lock_is_held(ctx: Context) -> None:
    settings = Settings(reminder_interval_seconds=3600, retention_purge=False)
    here, there = SchedulerLock(ctx.db, TEST_KEY), SchedulerLock(ctx.db, TEST_KEY)
    idle = Settings(webhook_dispatch=False, reminder_dispatch=False, retention_purge=False)
    scheduler = start_scheduler(ctx, idle)
    scheduler.add_job(print, "interval", hours=1, id=ELECTION_JOB_ID)  # stands in for election
    try:
        assert there.hold()
        if ctx.db.is_sqlite:
            assert elect(scheduler, ctx, settings, here)
            assert scheduler.get_job(REMINDER_JOB_ID) is not None
            return
        assert not elect(scheduler, ctx, settings, here)
        assert [job.id for job in scheduler.get_jobs()] == [ELECTION_JOB_ID]
        there.release()  # the other process stopped
        assert elect(scheduler, ctx, settings, here)
        assert scheduler.get_job(REMINDER_JOB_ID) is not None
        here.release()
        assert there.hold()  # a third process asked in between
        assert not elect(scheduler, ctx, settings, here)
        assert [job.id for job in scheduler.get_jobs()] == [ELECTION_JOB_ID]
    finally:
        stop_scheduler(scheduler, wait=False)
        here.release()
        there.release()
