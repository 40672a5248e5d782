"""Shared fixtures: one contract suite over SQLite and PostgreSQL.

Every test that takes `database` (or `ctx`) runs twice: on a fresh SQLite
file and on a fresh schema of the PostgreSQL server at
GATEKEEPER_TEST_POSTGRES_URL (default 127.0.0.1:5432, database `test`). Each
gets its own schema, migrated by Alembic, so no test depends on another's rows.
When PostgreSQL cannot be reached the PostgreSQL half is skipped locally, but
fails under CI (CI=true) or GATEKEEPER_REQUIRE_POSTGRES=1: CI never skips it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from gatekeeper.core.clock import FixedClock
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.services.context import Context
from gatekeeper.store import migration
from gatekeeper.store.database import Database

POSTGRES_URL = os.environ.get(
    "GATEKEEPER_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = bool(os.environ.get("CI") or os.environ.get("GATEKEEPER_REQUIRE_POSTGRES"))
# 25 November 2026, 10:00 in Stockholm: the demo's "today".
DEMO_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _libpq_dsn(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def _postgres_or_skip() -> str:
    try:
        with psycopg.connect(_libpq_dsn(POSTGRES_URL), connect_timeout=3):
            pass
    except psycopg.OperationalError as error:
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable: {error}"
        if REQUIRE_POSTGRES:
            pytest.fail(message + " (CI requires PostgreSQL)")
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gatekeeper.db'}"
        return
    base = _postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    dsn = _libpq_dsn(base)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated database of each kind."""
    db = Database(database_url)
    migration.upgrade(db)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The workflows and checklists shipped with gatekeeper."""
    return load_catalog([shipped_workflows_dir()], [shipped_checklists_dir()])


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(DEMO_NOW)


@pytest.fixture
def ctx(database: Database, catalog: Catalog, clock: FixedClock) -> Context:
    """Use-case context on a fresh database of each kind, with a fixed clock."""
    return Context(db=database, catalog=catalog, clock=clock)
