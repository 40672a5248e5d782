"""Benchmarks of the core engine, each printed next to a limit measured in the same run.

- ticks/s: `update_item` (lock, change, audit append, commit) against the raw
  commit rate of the same database with the same settings (one insert + commit).
- readiness: GET /api/v1/projects/{key}/gates/go-live/readiness (33 items,
  criteria, deadlines) against a bare FastAPI endpoint on the same test client.
- audit verify: events walked per second.

Run: `python -m benchmarks.run [--postgres URL] [--ticks N]` (or `make bench`). Prints figures;
asserts nothing. Numbers go to benchmarks/RESULTS.md by hand, with the machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from gatekeeper.core.status import ItemStatus
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from gatekeeper.web.app import create_app
from tests.factories import PROJEKTLEDARE, start_ibic


def _rate(count: int, work: Callable[[int], object]) -> float:
    started = time.perf_counter()
    for n in range(count):
        work(n)
    return count / (time.perf_counter() - started)


def raw_commit_rate(db: Database, count: int) -> float:
    """One-row insert + commit per transaction, through the same engine settings."""
    with db.write() as session:
        session.connection().execute(text("CREATE TABLE bench_raw (id INTEGER, note TEXT)"))

    def insert(n: int) -> None:
        with db.write() as session:
            session.connection().execute(
                text("INSERT INTO bench_raw VALUES (:n, :note)"), {"n": n, "note": "x" * 40}
            )

    return _rate(count, insert)


def tick_rate(ctx: Context, key: str, count: int) -> float:
    return _rate(count, tick_operation(ctx, key))


def tick_operation(ctx: Context, key: str) -> Callable[[int], None]:
    """Tick n: item n of the go-live gate round-robin, done on even rounds, reopened on odd."""
    items = gates.gate_readiness(ctx, key, "go-live").items

    def tick(n: int) -> None:
        item = items[n % len(items)]
        checklists.update_item(
            ctx,
            PROJEKTLEDARE,
            project_key=key,
            gate_id="go-live",
            checklist_id=item.checklist_id,
            item_id=item.row.item_id,
            status=ItemStatus.DONE if (n // len(items)) % 2 == 0 else ItemStatus.OPEN,
            evidence="https://intranat.example/underlag.pdf",
        )

    return tick


def latency_ms(client: TestClient, path: str, count: int) -> tuple[float, float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.get("/bare")
    def bare() -> dict[str, str]:
        return {"status": "ok"}

    return app


def run(label: str, url: str, ticks: int) -> None:
    db = Database(url)
    migration.upgrade(db)
    catalog = load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])
    ctx = Context(db=db, catalog=catalog)
    start_ibic(ctx, key="bench")

    raw = raw_commit_rate(db, ticks)
    ticked = tick_rate(ctx, "bench", ticks)
    print(f"[{label}] raw commits/s          {raw:10.0f}")
    print(f"[{label}] checklist ticks/s      {ticked:10.0f}  ({ticked / raw:.0%} of raw commits)")

    client = TestClient(create_app(context=ctx))
    bare = TestClient(bare_app())
    latency_ms(client, "/api/v1/projects/bench/gates/go-live/readiness", 20)  # warm up
    median, p95 = latency_ms(client, "/api/v1/projects/bench/gates/go-live/readiness", 200)
    bare_median, bare_p95 = latency_ms(bare, "/bare", 200)
    print(f"[{label}] readiness ms           median {median:6.2f}  p95 {p95:6.2f}")
    print(f"[{label}] bare endpoint ms       median {bare_median:6.2f}  p95 {bare_p95:6.2f}")

    started = time.perf_counter()
    report = audit_log.verify(ctx)
    elapsed = time.perf_counter() - started
    print(
        f"[{label}] audit verify events/s  {report.count / elapsed:10.0f}  ({report.count} events)"
    )
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ticks", type=int, default=2000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", args.ticks)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    dsn = args.postgres.replace("postgresql+psycopg://", "postgresql://")
    try:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.OperationalError as error:
        print(f"[postgresql] skipped: {error}")
        return
    try:
        run("postgresql", f"{args.postgres}?options=-csearch_path%3D{schema}", args.ticks)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    main()
