"""The database handle: write transactions, crashes mid-way, unreachable servers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import select

from gatekeeper.errors import DatabaseUnavailable
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.store import migration
from gatekeeper.store.database import Database, redact
from gatekeeper.store.projects.tables import Risk
from tests.factories import PROJEKTLEDARE, start_ibic

ROOT = Path(__file__).resolve().parents[2]


def test_sqlite_write_transaction_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'gk.db'}")
    migration.upgrade(db)
    other = sqlite3.connect(tmp_path / "gk.db", timeout=0, isolation_level=None)
    with db.write() as session:
        session.exec(select(Risk)).all()  # only a read so far
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # free again once the transaction ended
    other.execute("ROLLBACK")
    other.close()
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    db.dispose()


def test_process_killed_mid_transaction_leaves_no_trace(ctx: Context, database_url: str) -> None:
    project = start_ibic(ctx)
    before = audit_log.verify(ctx)
    script = textwrap.dedent(
        f"""
        import os
        from datetime import UTC, datetime
        from gatekeeper.core.events.projects import MemberEntry, MemberRemoved
        from gatekeeper.services import change
        from gatekeeper.store.database import Database
        from gatekeeper.store.projects.tables import Risk

        db = Database({database_url!r})
        with db.write() as session:
            session.add(Risk(project_id={project.id}, title="Halvskriven risk", probability=4,
                             consequence=4, score=16, created_at=datetime.now(UTC),
                             updated_at=datetime.now(UTC)))
            session.flush()
            change.record(session, MemberRemoved(object_id="x@example.com:referensgrupp",
                          before=MemberEntry("X", "x@example.com", "referensgrupp")),
                          by="user:x@example.com", at=datetime.now(UTC),
                          project_id={project.id})
            os._exit(9)  # the process dies before the commit
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=False, timeout=60)
    assert result.returncode == 9

    assert risks.list_risks(ctx, project.key) == []
    after = audit_log.verify(ctx)
    assert after.ok and after.count == before.count
    risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=project.key, title="Ny risk", probability=1, consequence=2
    )
    assert audit_log.verify(ctx).count == before.count + 1


def test_unreachable_server_is_one_clear_line() -> None:
    db = Database("postgresql://gatekeeper:hemligt@127.0.0.1:1/gatekeeper")
    with pytest.raises(DatabaseUnavailable) as raised:
        db.check()
    message = raised.value.message
    assert message.startswith("Cannot reach the database postgresql+psycopg://gatekeeper:***@")
    assert "\n" not in message and "hemligt" not in message


@pytest.mark.parametrize("url", ["not a url", "mysql://root@localhost/x"])
def test_unsupported_urls_are_refused(url: str) -> None:
    with pytest.raises(DatabaseUnavailable):
        Database(url)


def test_redact_hides_passwords() -> None:
    assert "hemligt" not in redact("postgresql://u:hemligt@h/db")


def test_a_value_the_database_cannot_hold_is_a_validation_error(database: Database) -> None:
    """The backstop behind the web's input bounds: no driver error becomes a 500."""
    from sqlalchemy import text

    from gatekeeper.errors import ValidationFailed

    cases = (
        [("SELECT :v", 2**70)]
        if database.is_sqlite
        else [("SELECT :v", "a\x00b"), ("SELECT CAST(:v AS integer)", 2**40)]
    )
    for statement, value in cases:
        with pytest.raises(ValidationFailed), database.write() as session:
            session.execute(text(statement), {"v": value})
        with database.read() as session:  # the connection is still good
            assert session.execute(text("SELECT 1")).scalar() == 1
