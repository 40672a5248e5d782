"""`gatekeeper db`: bring the schema up to date (Alembic) and show its revision."""

from __future__ import annotations

import typer

from gatekeeper.cli.common import (
    DatabaseOption,
    _settings,
    friendly,
)

db_app = typer.Typer(help="Database schema: upgrade and inspect.", no_args_is_help=True)


@db_app.command("upgrade")
@friendly
def db_upgrade(database_url: DatabaseOption = None) -> None:
    """Create or migrate the database schema to the newest revision (Alembic)."""
    from gatekeeper.services.setup import database_session
    from gatekeeper.store import migration

    with database_session(_settings(database_url), require_current=False) as database:
        before = migration.current_revision(database)
        migration.upgrade(database)
        after = migration.current_revision(database)
        if before == after:
            typer.echo(f"{database.display_url} is already at revision {after}.")
        else:
            typer.echo(f"{database.display_url} upgraded from {before or 'empty'} to {after}.")


@db_app.command("current")
@friendly
def db_current(database_url: DatabaseOption = None) -> None:
    """Show the database's schema revision and the newest one."""
    from gatekeeper.services.setup import database_session
    from gatekeeper.store import migration

    with database_session(_settings(database_url), require_current=False) as database:
        typer.echo(
            f"{database.display_url}: revision {migration.current_revision(database) or 'empty'} "
            f"(newest {migration.head_revision()})"
        )
