"""Alembic migrations build exactly the schema the tables describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gatekeeper.store import migration
from gatekeeper.store.database import Database
from gatekeeper.store.schema import metadata


def test_migrations_match_the_tables(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata())
    assert differences == []
    assert migration.current_revision(database) == migration.head_revision()
    assert not migration.pending(database)


def test_empty_database_is_pending_and_upgrade_is_idempotent(database_url: str) -> None:
    database = Database(database_url)
    try:
        assert migration.pending(database)
        migration.upgrade(database)
        migration.upgrade(database)
        assert migration.current_revision(database) == migration.head_revision()
    finally:
        database.dispose()
