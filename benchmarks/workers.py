"""Scale-out benchmark: checklist ticks over HTTP from one and from two server processes.

For each number of projects and of processes a fresh PostgreSQL database is made
(that many IBIC projects, a write token for their projektledare), `gatekeeper serve
--workers N` is started on a free port, and 16 concurrent httpx clients PATCH
the first gate's items of every project round-robin (done/open alternating, a
fresh comment each time) for `--duration` seconds after a short warm-up. Meanwhile a sampler reads
`pg_stat_activity` of that database every 100 ms and counts the sessions that
wait, by wait event (e.g. `Lock/transactionid`, `Lock/tuple`: a row lock).

Each session waiting on a lock is also counted by the table of the row it
waits for (`lock wait on a row of <table>`: the tables of the tuple locks it
holds or asks for; a row-lock waiter has one, the first in the queue while it
waits for the holder's transaction). So it shows whether ticks queue on the
audit chain's head (`audit_head`, one row for every project, before migration
0021; `audit_chain_head`, a row per project, after it) or on the project row.

Printed: ticks/s, p50/p99 latency, errors, and the wait-event samples. Nothing
is asserted. Run: `python -m benchmarks.workers [--duration 10] [--clients 16]
[--workers 1 2] [--projects 1 8] [--postgres URL]`. Ticks on one project
take its row lock in turn; on eight they need not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from contextlib import suppress
from pathlib import Path

import httpx
import psycopg

from benchmarks.api import GATE_ID, PROJECT_KEY, free_port
from gatekeeper.config import Settings
from gatekeeper.core.actor import Actor
from gatekeeper.core.status import TokenScope
from gatekeeper.services.access import account as accounts
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.setup import load_definitions
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from tests.factories import PROJEKTLEDARE, start_ibic

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
WARM_UP = 2.0
EVIDENCE = "https://intranat.alingsas.se/ibic/underlag.pdf"


def prepare(url: str, projects: int) -> tuple[str, list[str]]:
    """Migrate, start `projects` IBIC projects, a write token for their projektledare;
    (the token, the item paths of every project's first gate)."""
    settings = Settings(database_url=url)
    db = Database(url)
    try:
        migration.upgrade(db)
        ctx = Context(db=db, catalog=load_definitions(settings))
        keys = [PROJECT_KEY if n == 0 else f"{PROJECT_KEY}-{n}" for n in range(projects)]
        for key in keys:
            start_ibic(ctx, key=key)
        admin = Actor.user("registrator@alingsas.se", "Registrator Alingsås")
        accounts.create_user(ctx, admin, email=PROJEKTLEDARE.id, name="Anita Lindqvist")
        made = accounts.create_token(
            ctx,
            admin,
            owner_email=PROJEKTLEDARE.id,
            name="bench-workers",
            scope=TokenScope.WRITE,
            projects=keys,
            days=1,
        )
        paths = [
            f"/api/v1/projects/{key}/gates/{GATE_ID}/items/{item.checklist_id}/{item.row.item_id}"
            for key in keys
            for item in gates.gate_readiness(ctx, key, GATE_ID).items
        ]
    finally:
        db.dispose()
    return made.plaintext, paths


async def drive(
    base: str, token: str, items: list[str], *, clients: int, seconds: float
) -> tuple[list[float], Counter[int]]:
    """`clients` loops ticking for `seconds`; (latencies of the 2xx answers, errors by status)."""
    latencies: list[float] = []
    errors: Counter[int] = Counter()
    stop = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients)

    async def one(number: int, client: httpx.AsyncClient) -> None:
        count = 0
        while time.monotonic() < stop:
            item = items[(number * 7 + count) % len(items)]
            status = "done" if (count // len(items)) % 2 == 0 else "open"
            body = {"status": status, "evidence": EVIDENCE, "comment": f"tick {number}/{count}"}
            started = time.perf_counter()
            answer = await client.patch(item, json=body)
            if answer.is_success:
                latencies.append(time.perf_counter() - started)
            else:
                errors[answer.status_code] += 1
            count += 1

    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=60
    ) as client:
        await asyncio.gather(*(one(number, client) for number in range(clients)))
    return latencies, errors


def sample_waits(url: str, database: str, done: threading.Event, seen: Counter[str]) -> None:
    """Count waiting sessions of `database` by wait event, and the tables of the row
    locks waited for, every 100 ms until `done`."""
    with psycopg.connect(url, autocommit=True) as connection:
        while not done.wait(0.1):
            for (table,) in connection.execute(
                "SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE NOT l.granted AND l.locktype = 'tuple'"
            ).fetchall():
                seen[f"row of {table}"] += 1
            rows = connection.execute(
                "SELECT a.wait_event_type, a.wait_event, a.state, "
                "string_agg(DISTINCT c.relname, ', ') FROM pg_stat_activity a "
                "LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'tuple' "
                "LEFT JOIN pg_class c ON c.oid = l.relation "
                "WHERE a.datname = %s AND a.pid <> pg_backend_pid() "
                "GROUP BY a.pid, a.wait_event_type, a.wait_event, a.state",
                (database,),
            ).fetchall()
            seen["samples"] += 1
            for kind, event, state, tables in rows:
                if state == "active":
                    seen["active"] += 1
                if kind in ("Lock", "LWLock", "IO"):
                    seen[f"{kind}/{event}"] += 1
                if kind == "Lock":
                    seen["lock waits"] += 1
                    seen[f"lock wait on a row of {tables or '(none: no row lock)'}"] += 1


def run(dsn: str, workers: int, *, clients: int, seconds: float, projects: int) -> None:
    name = f"bench_workers_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = dsn.rsplit("/", 1)[0] + f"/{name}"
    try:
        token, items = prepare(url, projects)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "GATEKEEPER_DATABASE_URL": url,
            "GATEKEEPER_SECRET_KEY": secrets.token_hex(32),
            "GATEKEEPER_WEBHOOK_DISPATCH": "false",
            "GATEKEEPER_LOG_LEVEL": "warning",
        }
        with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "serve.log", "w") as log:
            gatekeeper = str(Path(sys.executable).with_name("gatekeeper"))
            command = [gatekeeper, "serve", "--port", str(port)]
            server = subprocess.Popen(
                [*command, "--workers", str(workers)],
                cwd=folder,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                deadline = time.monotonic() + 60
                while True:
                    with (
                        suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                        urllib.request.urlopen(base + "/api/v1/health", timeout=2) as answer,
                    ):
                        if answer.status == 200:
                            break
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError((Path(folder) / "serve.log").read_text())
                    time.sleep(0.2)
                time.sleep(1.0)  # let every worker finish starting
                asyncio.run(drive(base, token, items, clients=clients, seconds=WARM_UP))
                done, waits = threading.Event(), Counter[str]()
                sampler = threading.Thread(target=sample_waits, args=(url, name, done, waits))
                sampler.start()
                latencies, errors = asyncio.run(
                    drive(base, token, items, clients=clients, seconds=seconds)
                )
                done.set()
                sampler.join()
            finally:
                os.killpg(server.pid, 15)
                server.wait(timeout=30)
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0.0
        samples = max(waits.pop("samples", 1), 1)
        active = waits.pop("active", 0)
        locked = waits.pop("lock waits", 0)
        print(
            f"workers={workers} projects={projects} clients={clients} seconds={seconds:g} "
            f"ticks={len(latencies)} "
            f"ticks_per_s={len(latencies) / seconds:.1f} "
            f"p50_ms={statistics.median(latencies) * 1000 if latencies else 0:.1f} "
            f"p99_ms={p99 * 1000:.1f} errors={dict(errors)} "
            f"active_sessions_avg={active / samples:.2f} "
            f"lock_waits_avg={locked / samples:.2f}"
        )
        for event, count in waits.most_common(12):
            print(f"  waiting on {event}: {count / samples:.2f} on average")
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--projects", type=int, nargs="*", default=[1, 8])
    args = parser.parse_args()
    for projects in args.projects:
        for workers in args.workers:
            run(
                args.postgres,
                workers,
                clients=args.clients,
                seconds=args.duration,
                projects=projects,
            )


if __name__ == "__main__":
    main()
