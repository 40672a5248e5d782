"""Reminder dispatch benchmark: throughput and peak memory with a backlog of due reminders.

A fresh database gets the IBIC project and N reminders that are all due
(bulk-inserted, as the planner would leave them after a long outage); then 1
or 4 dispatcher processes, each its own `python -m benchmarks.reminders
--worker` with its own connection, drain the backlog with `dispatch_due`
(batches of 200, a recording channel standing in for SMTP, counting only), so
every reminder costs what it costs in production: the fenced UPDATE to sent,
its in-app inbox row and the commit, one transaction per reminder.

- throughput: reminders sent / (last dispatcher's end − first one's start),
  process start-up excluded;
- memory: each dispatcher's peak RSS (`getrusage`), the largest of them; a
  10k and a 100k backlog show whether it grows with the backlog (it should
  not: a dispatcher holds one batch at a time).

SQLite runs one dispatcher (one writer at a time); PostgreSQL 1 and 4. Goal
from issue 6: ≥ 2,000 reminders/s on PostgreSQL with 4 dispatchers.

Run: `python -m benchmarks.reminders [--quick] [--postgres URL]`. Prints a
Markdown table; numbers go to benchmarks/RESULTS.md by hand, with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import make_conninfo
from sqlalchemy.engine import make_url

from gatekeeper.channels.recording import RecordingChannel
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import dispatch as reminder_dispatch
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from tests.factories import start_ibic
from tests.reminder_rows import add_due_reminders, cancel_planned

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = os.environ.get(
    "GATEKEEPER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
BATCH = 200
GOAL = 2_000  # reminders/s, PostgreSQL, 4 dispatchers


# --- one dispatcher process -----------------------------------------------------------------


def worker(url: str, *, email: bool = True) -> None:
    """Drain every due reminder; print one JSON line with what it did and its peak RSS.

    `email=False`: no external channel (no SMTP configured, or everyone chose
    the digest), so batches are marked sent a whole group per transaction.
    """
    db = Database(url)
    ctx = Context(db=db, catalog=Catalog())
    channels = [RecordingChannel(keep=False)] if email else []
    started = time.time()
    sent = 0
    while True:
        report = reminder_dispatch.dispatch_due(
            ctx, worker=f"bench-{os.getpid()}", channels=channels, limit=BATCH
        )
        sent += report.sent
        if report.claimed == 0:
            break
    ended = time.time()
    db.dispose()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"sent": sent, "started": started, "ended": ended, "peak_kib": peak_kib}))


# --- databases ------------------------------------------------------------------------------


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="gatekeeper-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    dsn = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


def postgres_reachable(base: str) -> bool:
    dsn = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def commit_limit(url: str, connections: int = 4, seconds: float = 5.0) -> int:
    """The floor under any exactly-once dispatcher: one-row UPDATE + commit, per second.

    `connections` psycopg connections (threads; the waits release the GIL), each
    updating its own row in autocommit — one round trip and one WAL flush per
    commit, no lock waits — for `seconds`. A dispatcher that commits once per
    e-mail cannot beat this figure on the same server at the same moment.
    """
    parsed = make_url(url)
    options = parsed.query.get("options")
    dsn = make_conninfo(
        parsed.set(drivername="postgresql", query={}).render_as_string(hide_password=False),
        **({"options": options} if isinstance(options, str) else {}),
    )
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS commit_probe")
        connection.execute("CREATE TABLE commit_probe (id int PRIMARY KEY, n int NOT NULL)")
        connection.execute(
            "INSERT INTO commit_probe SELECT g, 0 FROM generate_series(1, %s) g", (connections,)
        )
    counts = [0] * connections
    start = threading.Barrier(connections)

    def loop(index: int) -> None:
        with psycopg.connect(dsn, autocommit=True) as connection:
            start.wait()
            until = time.monotonic() + seconds
            while time.monotonic() < until:
                connection.execute("UPDATE commit_probe SET n = n + 1 WHERE id = %s", (index + 1,))
                counts[index] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(sum(counts) / seconds)


# --- one measurement ------------------------------------------------------------------------


def measure(
    url: str, backend: str, backlog: int, dispatchers: int, *, email: bool = True
) -> dict[str, Any]:
    """Fill a fresh database with `backlog` due reminders and drain it with `dispatchers`.

    On PostgreSQL the raw commit limit (`commit_limit`, as many connections as
    dispatchers) is measured on the same database just before, for comparison.
    """
    db = Database(url)
    try:
        migration.upgrade(db)
        catalog = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])
        ctx = Context(db=db, catalog=catalog)
        start_ibic(ctx)
        cancel_planned(ctx)
        add_due_reminders(ctx, backlog, due=datetime.now(UTC) - timedelta(minutes=1))
    finally:
        db.dispose()
    limit = commit_limit(url, dispatchers) if backend == "postgresql" else None
    command = [sys.executable, "-m", "benchmarks.reminders", "--worker", url]
    processes = [
        subprocess.Popen(
            [*command, *([] if email else ["--inbox-only"])],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(dispatchers)
    ]
    results = []
    for process in processes:
        out, _ = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"a dispatcher failed (exit {process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    sent = sum(r["sent"] for r in results)
    seconds = max(r["ended"] for r in results) - min(r["started"] for r in results)
    return {
        "backend": backend,
        "channels": "e-mail + inbox" if email else "inbox only",
        "dispatchers": dispatchers,
        "backlog": backlog,
        "sent": sent,
        "seconds": round(seconds, 1),
        "reminders_per_s": round(sent / seconds) if seconds else 0,
        "peak_rss_mib": round(max(r["peak_kib"] for r in results) / 1024, 1),
        "commit_limit_per_s": limit,
        "load_average": round(os.getloadavg()[0], 1),
    }


def run(quick: bool = False, postgres: str | None = DEFAULT_POSTGRES) -> list[dict[str, Any]]:
    """Every measurement; `quick` uses backlogs of 1k and 10k instead of 10k and 100k."""
    small, large = (1_000, 10_000) if quick else (10_000, 100_000)
    plan: list[tuple[str, int, int, bool]] = [
        ("sqlite", small, 1, True),
        ("sqlite", large, 1, True),
    ]
    if postgres and postgres_reachable(postgres):
        plan += [
            ("postgresql", small, 1, True),
            ("postgresql", small, 4, True),
            ("postgresql", large, 4, True),
            ("postgresql", small, 4, False),
        ]
    rows = []
    for backend, backlog, dispatchers, email in plan:
        if backend == "sqlite":
            with sqlite_url() as url:
                rows.append(measure(url, backend, backlog, dispatchers, email=email))
        else:
            assert postgres is not None
            with postgres_url(postgres) as url:
                rows.append(measure(url, backend, backlog, dispatchers, email=email))
        print(f"  measured {rows[-1]}", file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| database | channels | dispatchers | backlog | sent | seconds | reminders/s "
        "| peak RSS MiB | commit limit/s | load avg |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['backend']} | {r['channels']} | {r['dispatchers']} | {r['backlog']:,} | "
        f"{r['sent']:,} | {r['seconds']} | {r['reminders_per_s']:,} | {r['peak_rss_mib']} | "
        f"{'' if r['commit_limit_per_s'] is None else format(r['commit_limit_per_s'], ',')} | "
        f"{r['load_average']} |"
        for r in rows
    ]
    best = [
        r
        for r in rows
        if r["backend"] == "postgresql" and r["dispatchers"] == 4 and r["channels"] != "inbox only"
    ]
    if best:
        top = max(best, key=lambda r: r["reminders_per_s"])
        rate = top["reminders_per_s"]
        verdict = "met" if rate >= GOAL else f"missed by {GOAL - rate:,}/s"
        lines.append("")
        lines.append(
            f"Goal ≥ {GOAL:,}/s on PostgreSQL with 4 dispatchers (e-mail): {verdict}; "
            f"the raw one-row UPDATE + commit limit with 4 connections at that moment was "
            f"{top['commit_limit_per_s']:,}/s (one commit per e-mail is the guarantee's price)."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="backlogs of 1k and 10k")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL URL ('' skips)")
    parser.add_argument("--worker", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--inbox-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, email=not args.inbox_only)
        return
    print(table(run(quick=args.quick, postgres=args.postgres or None)))


if __name__ == "__main__":
    main()
