"""The limits, measured in every run on each database: what one-row writes cost without gatekeeper.

- raw commits/s: the database driver alone (`sqlite3` / `psycopg`), one
  INSERT and COMMIT per transaction. SQLite with gatekeeper's pragmas: WAL,
  synchronous=NORMAL, `BEGIN IMMEDIATE`.
- SQLModel add+commit/s: a plain `sqlmodel.Session` per row (`add`, `commit`)
  on a plain engine (SQLite: WAL and synchronous=NORMAL set on connect, like
  gatekeeper's engine, but none of its writer queue). The anchor of the gate
  transition goal.
- gatekeeper engine add+commit/s: the same through gatekeeper's own
  `Database.write()` (writer lock, `BEGIN IMMEDIATE`): what the engine wrapper
  costs before any domain work.
- bare FastAPI endpoint: a POST doing that one SQLModel insert, and a GET
  doing nothing, through the in-process test client one request after another:
  latency median / p95 and requests/s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import psycopg.conninfo
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Field, Session, SQLModel, create_engine

from benchmarks.harness import Bench, Figure, libpq_dsn, rate, scenario, time_each
from gatekeeper.store.database import Database, normalise_url

NOTE = "Ärende 7: en rad per transaktion"  # 31 characters of text in every row


class _BenchModel(SQLModel):
    """Tables of the benchmark alone, on a metadata of their own: never among
    gatekeeper's tables (which the tests' replay counts and migrations compare)."""

    metadata = MetaData()


class BenchRow(_BenchModel, table=True):
    """The one row each limit writes; created only in the benchmark's own database."""

    __tablename__ = "bench_row"

    id: int | None = Field(default=None, primary_key=True)
    n: int
    note: str = Field(max_length=100)


def plain_engine(url: str) -> Engine:
    """A plain SQLModel engine; on SQLite with WAL and synchronous=NORMAL like gatekeeper's."""
    parsed = normalise_url(url)
    engine = create_engine(parsed)
    if parsed.get_backend_name() == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    BenchRow.__table__.create(engine, checkfirst=True)  # type: ignore[attr-defined]
    return engine


@contextmanager
def _raw_postgres(url: str) -> Iterator[psycopg.Connection[Any]]:
    options = make_url(url).query.get("options")
    dsn = libpq_dsn(url)
    if isinstance(options, str):
        dsn = psycopg.conninfo.make_conninfo(dsn, options=options)
    with psycopg.connect(dsn) as connection:
        yield connection


def raw_commit_rate(bench: Bench, count: int) -> float:
    """Driver only: one INSERT + COMMIT per transaction."""
    if bench.database == "sqlite":
        path = make_url(bench.url).database
        assert path is not None
        connection = sqlite3.connect(path, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(
                "CREATE TABLE raw_row (id INTEGER PRIMARY KEY, n INTEGER, note TEXT)"
            )

            def insert_sqlite(n: int) -> None:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("INSERT INTO raw_row (n, note) VALUES (?, ?)", (n, NOTE))
                connection.execute("COMMIT")

            return rate(insert_sqlite, count)
        finally:
            connection.close()
    with _raw_postgres(bench.url) as pg:
        pg.execute("CREATE TABLE raw_row (id SERIAL PRIMARY KEY, n INTEGER, note TEXT)")
        pg.commit()

        def insert_postgres(n: int) -> None:
            pg.execute("INSERT INTO raw_row (n, note) VALUES (%s, %s)", (n, NOTE))
            pg.commit()

        return rate(insert_postgres, count)


def sqlmodel_commit_rate(engine: Engine, count: int) -> float:
    """A plain Session per row: add, commit."""

    def insert(n: int) -> None:
        with Session(engine) as session:
            session.add(BenchRow(n=n, note=NOTE))
            session.commit()

    return rate(insert, count)


def gatekeeper_engine_commit_rate(db: Database, count: int) -> float:
    """The same add+commit inside gatekeeper's `Database.write()`."""

    def insert(n: int) -> None:
        with db.write() as session:
            session.add(BenchRow(n=n, note=NOTE))

    return rate(insert, count)


def bare_app(engine: Engine) -> FastAPI:
    """A FastAPI app with one inserting POST and one empty GET, nothing else."""
    app = FastAPI()

    @app.post("/rows", status_code=201)
    def insert(body: dict[str, int]) -> dict[str, int]:
        with Session(engine) as session:
            row = BenchRow(n=body["n"], note=NOTE)
            session.add(row)
            session.commit()
            return {"id": row.id or 0}

    @app.get("/bare")
    def bare() -> dict[str, str]:
        return {"status": "ok"}

    return app


@scenario("limits", "Limits: one-row writes without gatekeeper")
def limits(bench: Bench) -> list[Figure]:
    """The limits of this run on `bench.database`."""
    commits = bench.count(2000 if bench.database == "sqlite" else 1000, 200)
    requests = bench.count(500, 50)
    raw = raw_commit_rate(bench, commits)
    engine = plain_engine(bench.url)
    plain = sqlmodel_commit_rate(engine, commits)
    db = Database(bench.url)
    try:
        wrapped = gatekeeper_engine_commit_rate(db, commits)
    finally:
        db.dispose()
    with TestClient(bare_app(engine)) as client:

        def post(n: int) -> None:
            client.post("/rows", json={"n": n}).raise_for_status()

        def get(_n: int) -> None:
            client.get("/bare").raise_for_status()

        inserts = time_each(post, requests, warmup=10)
        gets = time_each(get, requests, warmup=10)
        bench.heap(lambda: post(0))
    engine.dispose()
    return [
        Figure("raw commits/s (driver, one-row INSERT + COMMIT)", raw, "/s", key="raw_commit"),
        Figure("SQLModel add+commit/s (plain Session, one row)", plain, "/s", key="sqlmodel"),
        Figure(
            "gatekeeper Database.write() add+commit/s (one row)",
            wrapped,
            "/s",
            key="gatekeeper_engine",
        ),
        Figure("bare FastAPI POST, one insert: median", inserts.median, "ms"),
        Figure("bare FastAPI POST, one insert: p95", inserts.p95, "ms", key="fastapi_insert_p95"),
        Figure(
            "bare FastAPI POST, one insert: requests/s (one client)",
            inserts.per_second,
            "/s",
            key="fastapi_insert_rate",
        ),
        Figure("bare FastAPI GET, no work: p95", gets.p95, "ms", key="fastapi_get_p95"),
    ]
