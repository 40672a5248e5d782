"""Schema migrations through Alembic, driven from Python.

`upgrade` brings a database to the newest schema; `pending` tells whether a
database lags behind (the server refuses to start on an unmigrated database
rather than fail on the first request).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from gatekeeper.store.database import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str | None:
    """The newest revision shipped with this version of gatekeeper."""
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(database: Database) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, revision: str = "head") -> None:
    """Apply every migration up to `revision`, in one transaction per run."""
    config = _config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def pending(database: Database) -> bool:
    """True when the database is not at the newest revision."""
    return current_revision(database) != head_revision()


def autogenerate(database: Database, message: str) -> None:
    """Write a new migration from the difference between tables and database (developers)."""
    config = _config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
