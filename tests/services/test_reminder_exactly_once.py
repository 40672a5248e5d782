"""Exactly once across processes: four dispatchers, a killed dispatcher, and a misfire.

Dispatchers run as separate processes (`tests/reminder_worker.py`), each with
its own database connection on the same URL and a recording channel that
appends every delivered id to a file of its own; the files are then counted.
Nothing sleeps: a lease that ran out is a dispatcher started with a clock in
the future.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from sqlmodel import select

from gatekeeper.channels.recording import RecordingChannel
from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ReminderStatus
from gatekeeper.scheduler import (
    REMINDER_JOB_ID,
    dispatch_reminders,
    start_scheduler,
    stop_scheduler,
)
from gatekeeper.services.context import Context
from gatekeeper.store.reminders.tables import InboxMessage, Reminder
from tests.factories import start_ibic
from tests.reminder_rows import add_due_reminders, cancel_planned, inbox_count, reminder_ids
from tests.reminder_worker import CRASH_CODE

ROOT = Path(__file__).resolve().parents[2]
WORKER_TIMEOUT = 240


def backend(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def run_workers(url: str, outs: list[Path], *extra: str) -> list[int]:
    """Start one dispatcher process per file at once; their exit codes."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.reminder_worker", url, str(out), *extra],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outs
    ]
    codes = []
    try:
        for process in processes:
            _, stderr = process.communicate(timeout=WORKER_TIMEOUT)
            if process.returncode not in (0, CRASH_CODE):
                pytest.fail(f"dispatcher exited {process.returncode}:\n{stderr}")
            codes.append(process.returncode)
    finally:
        for process in processes:  # after a failure: none outlives the test
            if process.poll() is None:
                process.kill()
                process.wait()
    return codes


def recorded(outs: list[Path]) -> Counter[int]:
    return Counter(id_ for out in outs for id_ in RecordingChannel.read_ids(out))


def test_four_dispatcher_processes_send_each_of_10_000_reminders_exactly_once(
    ctx: Context, database_url: str, tmp_path: Path
) -> None:
    # SQLite has one writer at a time: the same test with fewer rows keeps it quick.
    count = 10_000 if backend(database_url) == "postgresql" else 2_000
    start_ibic(ctx)
    cancel_planned(ctx)
    ids = add_due_reminders(ctx, count, due=datetime.now(UTC) - timedelta(minutes=1))
    outs = [tmp_path / f"dispatcher-{n}.ids" for n in range(4)]

    assert run_workers(database_url, outs) == [0, 0, 0, 0]

    sent = recorded(outs)
    assert sorted(sent) == ids
    assert set(sent.values()) == {1}, "an id was delivered twice"
    assert reminder_ids(ctx, ReminderStatus.SENT) == ids
    assert inbox_count(ctx) == count
    # Each process took a share (the claim really is shared, not serial).
    assert sum(1 for out in outs if RecordingChannel.read_ids(out)) >= 2


def test_four_inbox_only_dispatchers_mark_each_reminder_once_a_batch_at_a_time(
    ctx: Context, database_url: str, tmp_path: Path
) -> None:
    # No SMTP: nothing leaves the database, so each batch is marked in one transaction.
    count = 4_000 if backend(database_url) == "postgresql" else 1_000
    start_ibic(ctx)
    cancel_planned(ctx)
    ids = add_due_reminders(ctx, count, due=datetime.now(UTC) - timedelta(minutes=1))
    outs = [tmp_path / f"dispatcher-{n}.count" for n in range(4)]

    assert run_workers(database_url, outs, "--inbox-only", "--limit", "10") == [0, 0, 0, 0]

    marked = [int(out.read_text(encoding="ascii")) for out in outs]
    assert sum(marked) == count, "a reminder was counted as sent by two dispatchers"
    if backend(database_url) == "postgresql":  # SQLite's first process may drain it alone
        assert sum(1 for n in marked if n) >= 2  # the claim really is shared
    assert reminder_ids(ctx, ReminderStatus.SENT) == ids
    assert inbox_count(ctx) == count  # one in-app copy each (reminder_id is unique besides)
    with ctx.db.read() as session:
        copies = session.exec(select(InboxMessage.reminder_id)).all()
        sent = select(Reminder.channels).where(Reminder.status == ReminderStatus.SENT)
        channels = {tuple(used) for used in session.exec(sent).all()}
    assert sorted(copies) == ids
    assert channels == {("inbox",)}


def test_a_killed_dispatcher_loses_none_and_duplicates_only_the_one_in_flight(
    ctx: Context, database_url: str, tmp_path: Path
) -> None:
    start_ibic(ctx)
    cancel_planned(ctx)
    ids = add_due_reminders(ctx, 500, due=datetime.now(UTC) - timedelta(minutes=1))
    first, second = tmp_path / "killed.ids", tmp_path / "next.ids"

    # Killed right after its 37th e-mail left, before that reminder was marked sent.
    assert run_workers(database_url, [first], "--limit", "100", "--crash-after", "37") == [
        CRASH_CODE
    ]
    killed = RecordingChannel.read_ids(first)
    assert len(killed) == 37
    assert len(reminder_ids(ctx, ReminderStatus.SENT)) == 36
    assert len(reminder_ids(ctx, ReminderStatus.CLAIMED)) == 64  # the rest of its batch

    # A dispatcher started now leaves the dead one's lease alone …
    early = tmp_path / "early.ids"
    assert run_workers(database_url, [early], "--lease", "60") == [0]
    assert len(RecordingChannel.read_ids(early)) == 400  # only the rows never claimed
    assert len(reminder_ids(ctx, ReminderStatus.CLAIMED)) == 64

    # … and one running after the lease has run out sends the 64 left behind.
    assert run_workers(database_url, [second], "--now-offset", "301") == [0]

    sent = recorded([first, early, second])
    assert sorted(sent) == ids, "a reminder was lost"
    duplicates = [id_ for id_, times in sent.items() if times > 1]
    assert duplicates == [killed[-1]]  # exactly the one in flight, exactly twice
    assert sent[killed[-1]] == 2
    assert reminder_ids(ctx, ReminderStatus.SENT) == ids
    assert inbox_count(ctx) == len(ids)  # the in-app copy: exactly once, also for that one


def test_reminders_due_while_no_server_ran_go_out_once_when_it_starts(
    ctx: Context, clock: FixedClock
) -> None:
    start_ibic(ctx)
    cancel_planned(ctx)
    # Due over the last three days, while the server was down.
    missed = [
        *add_due_reminders(ctx, 5, due=clock.now() - timedelta(days=3)),
        *add_due_reminders(ctx, 5, due=clock.now() - timedelta(hours=2)),
    ]
    future = add_due_reminders(ctx, 3, due=clock.now() + timedelta(days=1))
    settings = Settings(
        webhook_dispatch=False,
        reminder_interval_seconds=3600,
        smtp_host=None,
    )
    ran = threading.Event()
    outcome: list[JobExecutionEvent] = []

    def listener(event: JobExecutionEvent) -> None:
        if event.job_id == REMINDER_JOB_ID:
            outcome.append(event)
            ran.set()

    scheduler = start_scheduler(ctx, settings)
    try:
        scheduler.add_listener(listener, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
        job = scheduler.get_job(REMINDER_JOB_ID)
        # Runs at start (not an interval later), unless it has already run.
        assert job is not None
        assert ran.wait(timeout=60) or reminder_ids(ctx, ReminderStatus.SENT) == missed
    finally:
        stop_scheduler(scheduler)

    assert all(event.exception is None for event in outcome)
    assert reminder_ids(ctx, ReminderStatus.SENT) == missed
    assert reminder_ids(ctx, ReminderStatus.PENDING) == future
    assert inbox_count(ctx) == len(missed)
    # A second run (another tick, or another process starting) sends nothing again.
    assert dispatch_reminders(ctx, settings=settings, worker="again") == 0
    assert inbox_count(ctx) == len(missed)
