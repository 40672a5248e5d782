"""Shared fixtures: one contract suite over SQLite and PostgreSQL.

Every test that takes `database` (or `ctx`) runs twice: on a SQLite file and on
a PostgreSQL database of its own on the server at GATEKEEPER_TEST_POSTGRES_URL
(default 127.0.0.1:5432, database `test`, used only to create and drop the
others). Alembic migrates once per test session, into a template: a SQLite
file that each test copies, and a PostgreSQL template database that each test
clones with `CREATE DATABASE ... TEMPLATE`. So no test depends on another's
rows, and none waits for the migrations (the migration tests themselves take
an empty database through `database_url`). Names carry a random part, so
parallel sessions (and pytest-xdist workers) never share a database.

A clone costs 0.2–0.35 s and DROP DATABASE waits for a checkpoint of the whole
server, so a finished test's migrated PostgreSQL database is not dropped but
recycled (`_Recycler`, ~5 ms): what the test left connected is ended, every
table is emptied (in foreign-key order, so no superuser rights are needed; as
a superuser with the foreign-key triggers off, the rows going whole), the rows
the migrations wrote are put back and every sequence restarts, after which the
database cannot be told from a fresh clone; the next test of the same worker
takes it (tests/store/test_test_databases.py). A database whose schema a test
changed (its catalogue no longer matches the template's) is dropped instead, in
the background, a few at a time, and the session waits for the last drop.

When PostgreSQL cannot be reached the PostgreSQL half is skipped locally, but
fails under CI (CI=true) or GATEKEEPER_REQUIRE_POSTGRES=1: CI never skips it.

Passwords are hashed with argon2's cheapest profile (`TEST_PASSWORD_HASHER`): the
same code path as in production at a thousandth of the cost (~0.2 s a hash on
this machine otherwise, several per web test).

Hypothesis runs the "fast" profile locally (few examples, quick feedback) and
the "ci" profile, thorough, under CI; HYPOTHESIS_PROFILE picks one explicitly.
"""

from __future__ import annotations

import gc
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import settings
from psycopg import sql
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool, QueuePool
from sqlmodel import SQLModel

from gatekeeper.core.clock import FixedClock
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.services.access.login import hasher_of_profile
from gatekeeper.services.context import Context
from gatekeeper.store import migration, schema  # noqa: F401  (schema: the metadata)
from gatekeeper.store.database import Database
from tests.browser.support import DEMO_CACHE_ENV

POSTGRES_URL = os.environ.get(
    "GATEKEEPER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
IN_CI = bool(os.environ.get("CI"))
REQUIRE_POSTGRES = IN_CI or bool(os.environ.get("GATEKEEPER_REQUIRE_POSTGRES"))
# 25 November 2026, 10:00 in Stockholm: the demo's "today".
DEMO_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

TEST_PASSWORD_HASHER = hasher_of_profile("CHEAPEST")

# Property tests leave the number of examples to these profiles. "ci" is at least
# as thorough as any test asked for on its own before the profiles existed.
settings.register_profile("ci", max_examples=300, deadline=None, print_blob=True)
settings.register_profile("fast", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "fast"))
# Databases of finished tests still being dropped, at most this many at once.
PENDING_DROPS = 8


# Files whose tests take seconds each (the demo built through the command line, four
# dispatcher processes, a live server under schemathesis): run first, so that with
# `-n 2` neither worker is left with one of them while the other has finished.
LONG_FIRST = (
    "tests/cli/test_cli.py",
    "tests/cli/test_login_cli.py",
    "tests/test_demo_rollout.py",
    "tests/web/test_live_fuzz.py",
    "tests/web/test_words_not_ids.py",
    "tests/test_demo_goals.py",  # next to the above: one worker's `demo` serves both
    "tests/services/test_reminder_exactly_once.py",
    "tests/test_benchmarks.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long files first, each in its own order; the rest as collected."""

    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return LONG_FIRST.index(path) if path in LONG_FIRST else len(LONG_FIRST)

    items.sort(key=rank)


_DEMO_CACHE = pytest.StashKey[str]()

# The cyclic garbage collector, as a test process needs it. With Python's defaults
# (700, 10, 10) a worker ran ~7,000 collections in tests/services, 22 of them over
# the whole heap: every module, Hypothesis's and SQLAlchemy's caches, the
# template's rows. That was 13-18 % of its CPU. A young generation of 50,000 objects
# and the heap as it stands after collection frozen (`gc.freeze`: never scanned
# again, never freed; it lives for the whole run anyway) leave ~400 collections,
# 5 of them full: 3-5 s instead of 11-13 s of CPU a worker in tests/services.
# Garbage is still collected, only in larger batches (the largest process of a
# whole non-browser run peaked at 853 MB resident).
GC_THRESHOLDS = (50_000, 50, 1_000)


def pytest_configure(config: pytest.Config) -> None:
    """SIGTERM (e.g. from CI's `timeout`) ends the run as Ctrl-C does: with teardowns,
    so the databases and servers this session made are removed, not left behind. The
    run (not each worker) gets a folder for its one demo build, removed at its end."""

    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, interrupt)
    gc.set_threshold(*GC_THRESHOLDS)
    if not hasattr(config, "workerinput") and DEMO_CACHE_ENV not in os.environ:
        # The run's demo, built once and copied by every demo server after the first
        # (tests/browser/support.py); the workers inherit the variable.
        os.environ[DEMO_CACHE_ENV] = tempfile.mkdtemp(prefix="gatekeeper-demo-")
        config.stash[_DEMO_CACHE] = os.environ[DEMO_CACHE_ENV]


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection built (modules, test items, strategies) is kept for the run: out
    of the garbage collector's sight from now on (see GC_THRESHOLDS)."""
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    made = config.stash.get(_DEMO_CACHE, None)
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)
        os.environ.pop(DEMO_CACHE_ENV, None)


def _libpq_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _postgres_url(name: str) -> str:
    """The URL of database `name` on the test server."""
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _admin(statement: sql.Composable) -> None:
    """Run one statement outside a transaction on the server's maintenance database."""
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as connection:
        connection.execute(statement)


def _create_database(name: str, template: str) -> None:
    _admin(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)
        )
    )


def _drop_database(name: str) -> None:
    # FORCE ends what a test left connected (a killed worker process, an engine
    # not disposed) instead of failing the teardown or waiting for it.
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The test server's URL; skips (or fails, under CI) when it cannot be reached."""
    try:
        with psycopg.connect(_libpq_dsn(POSTGRES_URL), connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (CI requires PostgreSQL)")
        pytest.skip(message)
    return POSTGRES_URL


class _Dropper:
    """Drops databases on a few threads so that no test waits for the checkpoint."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=PENDING_DROPS, thread_name_prefix="dropdb")
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def drop(self, name: str) -> None:
        with self._lock:
            done = {future for future in self._pending if future.done()}
            self._pending -= done
            for future in done:
                future.result()  # a failed drop fails the run loudly
            if len(self._pending) >= PENDING_DROPS:  # bounded backlog (disk space)
                oldest = next(iter(self._pending))
                oldest.result()
                self._pending.discard(oldest)
            self._pending.add(self._pool.submit(_drop_database, name))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for future in self._pending:
            future.result()


@pytest.fixture(scope="session")
def postgres_dropper(postgres_server: str) -> Iterator[_Dropper]:
    dropper = _Dropper()
    try:
        yield dropper
    finally:
        dropper.close()


# The catalogue of a database's own schema, as a digest: tables, views, sequences
# and indexes with their columns, the constraints, and the Alembic revision.
_SCHEMA_DIGEST = """
SELECT md5(
    (SELECT string_agg(
        concat_ws(':', c.relname, c.relkind::text, a.attname, a.atttypid::text,
                  a.attnotnull::text), ',' ORDER BY c.relname, a.attnum)
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE n.nspname = 'public')
    || (SELECT coalesce(string_agg(conname, ',' ORDER BY conname), '')
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace)
    || (SELECT coalesce(string_agg(version_num, ','), '') FROM alembic_version)
    || (SELECT count(*)::text FROM pg_prepared_xacts WHERE database = current_database())
)
"""


# A recycling empties the tables with DELETE, which leaves the rows behind as dead
# tuples until a VACUUM. Where autovacuum is off (as on CI's server) nothing else
# vacuums, and a clone grew from 10 MB to 360 MB in two minutes of tests, every scan
# reading the dead rows again: PostgreSQL's CPU for a sample of 528 tests went from
# 57 s to 18 s with a VACUUM every tenth recycling (26 s with one at every recycling).
_VACUUM_EVERY = 10


class _Recycler:
    """Brings a test's clone of the template back to the template's state, or says it
    cannot (its schema was changed): the template's tables, the rows its migrations
    wrote (read once, here) and its sequences' start values."""

    def __init__(self, template: str) -> None:
        self.template = template
        self._connections: dict[str, psycopg.Connection[Any]] = {}
        self._recycled: dict[str, int] = {}  # recyclings per clone, for `_VACUUM_EVERY`
        with psycopg.connect(_libpq_dsn(_postgres_url(template)), autocommit=True) as connection:
            (self._digest,) = connection.execute(_SCHEMA_DIGEST).fetchone() or ("",)
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version' ORDER BY tablename"
                )
            ]
            sequences = connection.execute(
                "SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
            self._seeds: list[tuple[sql.Composed, list[tuple[object, ...]]]] = []
            for table in tables:
                cursor = connection.execute(
                    sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))
                )
                rows = cursor.fetchall()
                if rows:
                    columns = [column.name for column in cursor.description or ()]
                    insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                        sql.Identifier(table),
                        sql.SQL(", ").join(map(sql.Identifier, columns)),
                        sql.SQL(", ").join(sql.Placeholder() * len(columns)),
                    )
                    self._seeds.append((insert, rows))
        # One simple-protocol string: empty every table, those that refer to others
        # first (the reverse of the metadata's dependency order), restart every sequence.
        order = [table.name for table in reversed(SQLModel.metadata.sorted_tables)]
        tables.sort(key=lambda name: order.index(name) if name in order else -1)
        self._emptying = sql.SQL(" ").join(
            [sql.SQL("DELETE FROM {};").format(sql.Identifier(table)) for table in tables]
            + [
                sql.SQL("SELECT setval({}, {}, false);").format(
                    sql.Literal(f"public.{name}"), sql.Literal(start)
                )
                for name, start in sequences
            ]
        )

    def _connection(self, name: str) -> psycopg.Connection[Any]:
        """The recycler's own connection to clone `name`, kept open from one recycling to
        the next: a new one would start a server process that reads every table's
        catalogue entry again to empty it (most of a recycling's cost)."""
        connection = self._connections.get(name)
        if connection is None or connection.closed:
            connection = psycopg.connect(_libpq_dsn(_postgres_url(name)), autocommit=True)
            self._connections[name] = connection
        return connection

    def forget(self, name: str) -> None:
        """Close the connection to `name` (before it is dropped)."""
        self._recycled.pop(name, None)
        connection = self._connections.pop(name, None)
        if connection is not None:
            connection.close()

    def close(self) -> None:
        for name in list(self._connections):
            self.forget(name)

    def recycle(self, name: str, *, spare: frozenset[int] = frozenset()) -> bool:
        """Clean database `name` for the next test; False if it must be dropped instead.

        `spare`: the server processes of the idle connections kept for the next test."""
        connection = self._connection(name)
        # What the test left connected (a worker process, an engine not disposed)
        # ends here; its locks go with it.
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND pid <> ALL(%s)",
            (list(spare),),
        )
        (digest,) = connection.execute(_SCHEMA_DIGEST).fetchone() or ("",)
        if digest != self._digest:
            return False
        with connection.transaction():
            if connection.info.parameter_status("is_superuser") == "on":
                # The rows go whole, so no foreign key needs checking row by row.
                connection.execute("SET LOCAL session_replication_role = replica")
            connection.execute(self._emptying)
            with connection.cursor() as cursor:
                for insert, rows in self._seeds:
                    cursor.executemany(insert, rows)
        self._recycled[name] = self._recycled.get(name, 0) + 1
        if self._recycled[name] % _VACUUM_EVERY == 0:
            connection.execute("VACUUM")
        return True


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> Iterator[_Recycler]:
    """A PostgreSQL database migrated once for this session (or xdist worker), with the
    recycler of its clones."""
    name = f"gk_tmpl_{uuid.uuid4().hex[:16]}"
    _create_database(name, "template0")
    try:
        template = Database(_postgres_url(name))
        try:
            migration.upgrade(template)
        finally:
            # CREATE DATABASE ... TEMPLATE refuses while anyone is connected to it.
            template.dispose()
        recycler = _Recycler(name)
        try:
            yield recycler
        finally:
            recycler.close()
    finally:
        _drop_database(name)


@pytest.fixture(scope="session")
def postgres_clones(
    postgres_template: _Recycler, postgres_dropper: _Dropper
) -> Iterator[list[str]]:
    """Clean clones of the template that finished tests left for the next (a stack)."""
    clean: list[str] = []
    try:
        yield clean
    finally:
        for name in clean:
            _forget_warm_connections(name)
            postgres_template.forget(name)
            postgres_dropper.drop(name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for this session (or xdist worker), to be copied."""
    path = tmp_path_factory.mktemp("template") / "gatekeeper.db"
    template = Database(f"sqlite:///{path}")
    try:
        migration.upgrade(template)
    finally:
        template.dispose()
    # Fold the write-ahead log into the file and leave WAL mode, so that the one
    # file is the whole database: a copy never pairs with a stale -wal or -shm.
    # Each copy is switched back to WAL when gatekeeper opens it.
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        connection.close()
    assert mode == "delete", mode
    leftovers = [p.name for p in path.parent.iterdir() if p != path]
    assert leftovers == [], leftovers
    return path


@pytest.fixture
def migrated_sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite file of this test's own (a copy of the session's template)."""
    path = tmp_path / "gatekeeper.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of this test's own database, of each kind.

    Empty (no tables, no Alembic revision) unless the test also takes `database`
    (or `ctx`): then it is the URL of that migrated database, so that processes
    and commands a test starts see the rows it wrote.
    """
    migrated = "database" in request.fixturenames
    if request.param == "sqlite":
        if migrated:
            yield request.getfixturevalue("migrated_sqlite_url")
        else:
            yield f"sqlite:///{tmp_path / 'gatekeeper.db'}"
        return
    dropper: _Dropper = request.getfixturevalue("postgres_dropper")
    if not migrated:
        name = f"gk_t_{uuid.uuid4().hex[:16]}"
        _create_database(name, "template0")
        try:
            yield _postgres_url(name)
        finally:
            dropper.drop(name)
        return
    recycler: _Recycler = request.getfixturevalue("postgres_template")
    clean: list[str] = request.getfixturevalue("postgres_clones")
    if clean:
        name = clean.pop()
    else:
        name = f"gk_t_{uuid.uuid4().hex[:16]}"
        _create_database(name, recycler.template)
    try:
        yield _postgres_url(name)
    finally:
        # `database` (torn down first) has closed its pool by now, or left its idle
        # connections warm for the next test: those are spared.
        warm = _WARM.get(name)
        if recycler.recycle(name, spare=warm[1] if warm else frozenset()):
            clean.append(name)
        else:
            _forget_warm_connections(name)
            recycler.forget(name)
            dropper.drop(name)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated database of each kind (see `database_url`)."""
    db = Database(database_url)
    _share_compiled_statements(db)
    _take_warm_connections(db)
    try:
        yield db
    finally:
        _offer_compiled_statements(db)
        _leave_warm_connections(db)


# Per PostgreSQL clone in this worker: the pool of idle connections the last test on
# it left (see `_leave_warm_connections`), with their server processes' ids.
_WARM: dict[str, tuple[Pool, frozenset[int]]] = {}
# What a connection may have set for its session, undone before the next test has it.
_SESSION_RESET = "RESET ALL; SELECT pg_advisory_unlock_all(); DISCARD TEMP; UNLISTEN *"


def _take_warm_connections(db: Database) -> None:
    """Give this test's engine the connections the last test on the same clone left."""
    kept = _WARM.pop(db.url.database or "", None)
    if kept is None:
        return
    warm = kept[0]
    if getattr(db.engine.dialect, "server_version_info", None) is None:
        # This engine's own dialect (none shared yet) learns the server on its pool's
        # first connection, which a warm pool has made already.
        warm.dispose()
        return
    fresh, db.engine.pool = db.engine.pool, warm
    fresh.dispose()


def _leave_warm_connections(db: Database) -> None:
    """Keep a PostgreSQL test's idle connections open for the next test on its clone.

    A new connection starts a server process that reads the catalogue entry of
    every table and index it touches, again for each test (~10 ms of server CPU,
    and ~40 ms more for a replayed factory's 70 tables). The connections are kept
    only when the test returned every one of them; what a session may have set
    (settings, advisory locks, temporary tables, listens) is undone first, and the
    rows go with the recycling of the clone, which leaves these connections be.
    """
    pool = db.engine.pool
    if db.is_sqlite or not isinstance(pool, QueuePool) or pool.checkedout() or not pool.checkedin():
        db.dispose()
        return
    pids: set[int] = set()
    borrowed = [pool.connect() for _ in range(pool.checkedin())]
    try:
        for connection in borrowed:
            raw = connection.dbapi_connection
            assert raw is not None
            raw.execute(_SESSION_RESET)
            raw.commit()
            pids.add(raw.info.backend_pid)
    except Exception:
        for connection in borrowed:
            connection.invalidate()
        db.dispose()
        return
    finally:
        for connection in borrowed:
            connection.close()
    _WARM[db.url.database or ""] = (pool, frozenset(pids))


def _forget_warm_connections(name: str) -> None:
    kept = _WARM.pop(name, None)
    if kept is not None:
        kept[0].dispose()


# Per database kind, the dialect and compiled-statement cache of the first engine
# a worker made (see `_share_compiled_statements`).
_SHARED_COMPILATION: dict[str, tuple[Any, Any]] = {}


def _share_compiled_statements(db: Database) -> None:
    """Let this test's engine reuse the SQL compiled by earlier tests' engines.

    SQLAlchemy caches compiled statements per engine, keyed by its dialect object;
    every test has an engine of its own, so each compiled every statement anew:
    ~11 % of the suite's CPU (and ~8 % while the write engine kept its own). The
    engines of one kind in one worker are built alike (same `Database` options, same
    server), so the second and later take the first's dialect and cache, for reads
    and writes. The pool, its connections and the listeners stay the engine's own.
    Should SQLAlchemy rename these attributes, nothing is shared and the tests run
    as before.
    """
    engine = db.engine
    shared = _SHARED_COMPILATION.get(engine.dialect.name)
    if shared is None or not hasattr(engine, "_compiled_cache"):
        return
    dialect, cache = shared
    if type(dialect) is type(engine.dialect):
        # The write engine (an option engine over the same pool) copied the dialect
        # and cache when it was made: it takes the shared ones too.
        for sharing in (engine, db._write_engine):
            sharing.dialect = dialect
            sharing._compiled_cache = cache


def _offer_compiled_statements(db: Database) -> None:
    """Keep a finished test's dialect and cache for the next tests of its kind, once
    the dialect has met the server (initialised on the engine's first connection)."""
    engine = db.engine
    kind = engine.dialect.name
    if kind in _SHARED_COMPILATION or getattr(engine.dialect, "server_version_info", None) is None:
        return
    cache = getattr(engine, "_compiled_cache", None)
    if cache is not None:
        _SHARED_COMPILATION[kind] = (engine.dialect, cache)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The workflows and checklists shipped with gatekeeper."""
    return load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])


@pytest.fixture(autouse=True)
def _apps_back_to_the_pool() -> Iterator[None]:
    """A test's web apps go back to the pool of tests/apps.py when it ends (if it used any)."""
    yield
    apps = sys.modules.get("tests.apps")
    if apps is not None:
        apps.release_apps()


@pytest.fixture(scope="session", autouse=True)
def _test_clients_share_one_event_loop() -> Iterator[None]:
    """Every TestClient request of this worker runs on one event loop in one thread.

    Outside `with client:`, Starlette's TestClient starts a thread with a new event
    loop for each request (~0.9 ms of CPU of a ~2.5 ms request to a bare endpoint).
    Here its portal factory hands out one portal (loop and thread) that this worker
    starts once; the app is served as uvicorn serves it, on one loop, and requests
    sent from several threads at once still run side by side (sync endpoints in the
    loop's worker threads). A client used as `with client:` keeps its own portal, as
    before. Should Starlette rename the factory, every request gets its own loop again.
    """
    from starlette.testclient import TestClient

    own_portal = getattr(TestClient, "_portal_factory", None)
    if own_portal is None:
        yield
        return
    with start_blocking_portal() as shared:

        @contextmanager
        def one_portal(client: TestClient) -> Iterator[BlockingPortal]:
            yield shared if client.portal is None else client.portal

        TestClient._portal_factory = one_portal  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            TestClient._portal_factory = own_portal  # type: ignore[method-assign]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEMO_NOW)


@pytest.fixture
def ctx(database: Database, catalog: Catalog, clock: FixedClock) -> Context:
    """Use-case context on a fresh database of each kind, with a fixed clock."""
    return Context(db=database, catalog=catalog, clock=clock, password_hasher=TEST_PASSWORD_HASHER)


@pytest.fixture(scope="session")
def demo(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory, catalog: Catalog
) -> Iterator[Context]:
    """The whole demo (every project and the 49-kommun rollout) on SQLite at DEMO_NOW,
    built once per worker through the use cases on a copy of the migrated template, for
    tests that only read it (the pages as each role sees them, the demo's goals). Read
    it; never change it."""
    from gatekeeper.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    ctx = Context(
        db=database,
        catalog=catalog,
        clock=FixedClock(DEMO_NOW),
        password_hasher=TEST_PASSWORD_HASHER,
    )
    for _line in build_demo(ctx):
        pass
    yield ctx
    database.dispose()
