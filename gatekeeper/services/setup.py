"""Opening an installation: settings → database + definitions → a `Context`.

Shared by `gatekeeper serve`, the CLI commands and tests, so that every entry
point refuses the same bad states with the same clear message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gatekeeper.config import Settings
from gatekeeper.core.clock import Clock, SystemClock
from gatekeeper.core.egress import EgressPolicy
from gatekeeper.definitions import (
    Catalog,
    load_catalog,
    shipped_checklists_dir,
    shipped_workflows_dir,
)
from gatekeeper.errors import DatabaseUnavailable
from gatekeeper.services.access.login import hasher_of_profile
from gatekeeper.services.context import Context
from gatekeeper.store import migration
from gatekeeper.store.database import Database

_log = logging.getLogger(__name__)


def definition_dirs(settings: Settings) -> tuple[list[Path], list[Path]]:
    """Workflow and checklist folders: the configured ones, else those shipped."""
    workflows = list(settings.workflows_dir) or [shipped_workflows_dir()]
    checklists = list(settings.checklists_dir) or [shipped_checklists_dir()]
    return workflows, checklists


def load_definitions(settings: Settings) -> Catalog:
    """Every workflow and checklist (the configured or shipped ones and the extra
    folders), validated; raises DefinitionError listing all problems."""
    workflows, checklists = definition_dirs(settings)
    catalog = load_catalog(
        workflows,
        checklists,
        extra_workflow_dirs=settings.extra_workflows_dirs,
        extra_checklist_dirs=settings.extra_checklists_dirs,
    )
    for warning in catalog.warnings:
        _log.warning("definition warning: %s", warning)
    return catalog


def open_database(settings: Settings, *, require_current: bool = True) -> Database:
    """The configured database, reachable and (unless told otherwise) fully migrated."""
    database = Database(settings.database_url)
    database.check()
    if require_current and migration.pending(database):
        database.dispose()
        raise DatabaseUnavailable(
            f"The database {database.display_url} is not at the current schema "
            f"({migration.head_revision()}); run `gatekeeper db upgrade` first."
        )
    return database


@contextmanager
def database_session(settings: Settings, *, require_current: bool = True) -> Iterator[Database]:
    """`open_database` for a command that runs and ends: the pool is closed afterwards."""
    database = open_database(settings, require_current=require_current)
    try:
        yield database
    finally:
        database.dispose()


@contextmanager
def command_context(settings: Settings, *, require_current: bool = True) -> Iterator[Context]:
    """A `Context` for one CLI command, its database closed when the command ends."""
    catalog = load_definitions(settings)
    with database_session(settings, require_current=require_current) as database:
        yield _context(settings, database, catalog)


def open_context(settings: Settings, *, clock: Clock | None = None) -> Context:
    """Definitions first (no database touched if they are broken), then the database."""
    catalog = load_definitions(settings)
    database = open_database(settings)
    return _context(settings, database, catalog, clock)


def _context(
    settings: Settings, database: Database, catalog: Catalog, clock: Clock | None = None
) -> Context:
    return Context(
        db=database,
        catalog=catalog,
        clock=clock or SystemClock(),
        password_hasher=hasher_of_profile(settings.password_hash_profile),
        webhook_egress=egress_policy(settings),
    )


def egress_policy(settings: Settings) -> EgressPolicy:
    """Where webhooks may go: https only outside demo mode; internal addresses only in
    the networks the installation allows."""
    return EgressPolicy(
        require_https=not settings.demo,
        allowed_networks=tuple(settings.webhook_allowed_networks),
    )
