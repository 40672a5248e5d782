"""The test suite's own databases: a recycled PostgreSQL clone and a replayed
factory cannot be told from a fresh database and a factory that ran."""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.store.database import Database
from tests import conftest, replay
from tests.factories import PROJEKTLEDARE, _start_ibic


def _contents(database: Database) -> dict[str, object]:
    """Every table's row count, the audit head and the next project id."""
    with database.engine.connect() as connection:
        tables = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
        counts = {
            name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
            for name in tables
        }
        head = connection.execute(text("SELECT * FROM audit_chain_head")).all()
        next_id = connection.execute(
            text("SELECT nextval(pg_get_serial_sequence('project', 'id'))")
        ).scalar_one()
    return {"counts": counts, "head": [tuple(row) for row in head], "next project id": next_id}


@pytest.mark.postgres
def test_a_recycled_clone_is_as_fresh_as_a_new_one(postgres_template: conftest._Recycler) -> None:
    name = f"gk_t_{uuid.uuid4().hex[:16]}"
    fresh_name = f"gk_t_{uuid.uuid4().hex[:16]}"
    conftest._create_database(name, postgres_template.template)
    conftest._create_database(fresh_name, postgres_template.template)
    used, fresh = (
        Database(conftest._postgres_url(name)),
        Database(conftest._postgres_url(fresh_name)),
    )
    try:
        with used.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO audit_chain_head (chain, count, hash) VALUES ('global', 41, 'x')")
            )
            connection.execute(text("SELECT nextval(pg_get_serial_sequence('audit_event', 'seq'))"))
            connection.execute(text("SELECT nextval(pg_get_serial_sequence('project', 'id'))"))
        left_open = used.engine.connect()  # a connection the test forgot: ended, not waited for
        left_open.execute(text("SELECT 1"))

        assert postgres_template.recycle(name)

        assert _contents(used) == _contents(fresh)
    finally:
        used.dispose()
        fresh.dispose()
        conftest._drop_database(name)
        conftest._drop_database(fresh_name)


@pytest.mark.postgres
def test_recycling_a_clone_again_and_again_does_not_let_it_grow(
    postgres_template: conftest._Recycler,
) -> None:
    """The emptied rows stay behind as dead tuples until a VACUUM, which the recycler
    runs itself: the server's autovacuum may be off."""
    name = f"gk_t_{uuid.uuid4().hex[:16]}"
    conftest._create_database(name, postgres_template.template)
    used = Database(conftest._postgres_url(name))
    size = text("SELECT pg_relation_size('audit_event')")
    try:
        with used.engine.connect() as connection:
            empty = connection.execute(size).scalar_one()
        for _ in range(conftest._VACUUM_EVERY):
            with used.engine.begin() as connection:
                connection.execute(
                    text(
                        "INSERT INTO audit_event (chain, chain_seq, at, actor, action, "
                        "object_type, object_id, prev_hash, hash) SELECT 'global', n, now(), "
                        "'system', 'test.filled', 'test', n::text, repeat('0', 64), md5(n::text) "
                        "FROM generate_series(1, 2000) AS n"
                    )
                )
            used.dispose()
            assert postgres_template.recycle(name)

        with used.engine.connect() as connection:
            assert connection.execute(size).scalar_one() == empty
    finally:
        used.dispose()
        postgres_template.forget(name)
        conftest._drop_database(name)


@pytest.mark.postgres
def test_a_clone_whose_schema_changed_is_not_recycled(
    postgres_template: conftest._Recycler,
) -> None:
    name = f"gk_t_{uuid.uuid4().hex[:16]}"
    conftest._create_database(name, postgres_template.template)
    changed = Database(conftest._postgres_url(name))
    try:
        with changed.engine.begin() as connection:
            connection.execute(text("ALTER TABLE project ADD COLUMN stray integer"))
        changed.dispose()

        assert not postgres_template.recycle(name)
    finally:
        changed.dispose()
        conftest._drop_database(name)


def _unordered(rows: replay.Rows) -> dict[str, list[object]]:
    """Each table's rows sorted: COPY gives them in the order they lie on disk."""
    return {
        table: sorted(kept.splitlines() if isinstance(kept, bytes) else kept)
        for table, kept in rows.items()
    }


@pytest.fixture
def second_database(
    database: Database, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Database]:
    """Another fresh database of the same kind as `database`."""
    if database.is_sqlite:
        path = tmp_path / "second.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        second = Database(f"sqlite:///{path}")
        try:
            yield second
        finally:
            second.dispose()
        return
    recycler: conftest._Recycler = request.getfixturevalue("postgres_template")
    name = f"gk_t_{uuid.uuid4().hex[:16]}"
    conftest._create_database(name, recycler.template)
    second = Database(conftest._postgres_url(name))
    try:
        yield second
    finally:
        second.dispose()
        conftest._drop_database(name)


def test_a_replayed_start_writes_what_the_use_cases_wrote(
    ctx: Context, second_database: Database
) -> None:
    assert replay._is_fresh(ctx)
    _start_ibic(ctx)  # through the use cases
    assert not replay._is_fresh(ctx)
    ran = replay._rows(ctx)
    other = dataclasses.replace(ctx, db=second_database)

    replay._write(other, ran)

    # every row of every table, ids and chain included (in no particular order)
    assert _unordered(replay._rows(other)) == _unordered(ran)
    later = projects.create_project(  # the next id follows the replayed ones
        other, PROJEKTLEDARE, key="ibic-lerum", name="IBIC i Lerum", workflow_id="inforande"
    )
    assert later.id == 2
    assert audit_log.verify(other).ok
