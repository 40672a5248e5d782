"""Health: can the database be reached and is its schema current."""

from __future__ import annotations

from dataclasses import dataclass

from gatekeeper.errors import DatabaseUnavailable
from gatekeeper.services.context import Context
from gatekeeper.store import migration


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    backend: str
    revision: str | None


def health(ctx: Context) -> HealthReport:
    backend = ctx.db.url.get_backend_name()
    try:
        ctx.db.check()
        revision = migration.current_revision(ctx.db)
    except DatabaseUnavailable:
        return HealthReport(False, backend, None)
    return HealthReport(revision == migration.head_revision(), backend, revision)
