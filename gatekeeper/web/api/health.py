"""Health for monitors and orchestrators: liveness, readiness, and the combined check.

- GET /api/v1/health/live: the process answers HTTP. Touches nothing else (no
  database), so a database outage never gets a healthy process restarted.
- GET /api/v1/health/ready: the process can do its work: its database is
  reachable and at the current schema. 503 otherwise; a load balancer sends
  it nothing until it is ready again.
- GET /api/v1/health: the same answer as ready (kept for the monitors that use it).

None needs a token; none is counted by the concurrency limit.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel

from gatekeeper import __version__
from gatekeeper.services.context import Context
from gatekeeper.services.health import health
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.schemas.projects import HealthPublic

router = APIRouter(tags=["health"])
_DEGRADED: dict[int | str, dict[str, Any]] = {
    503: {"model": HealthPublic, "description": "Database unreachable or behind"}
}


class LivePublic(BaseModel):
    status: Literal["ok"]
    version: str


def _readiness(ctx: Context, response: Response) -> HealthPublic:
    report = health(ctx)
    if not report.ok:
        response.status_code = 503
    return HealthPublic(
        status="ok" if report.ok else "degraded",
        version=__version__,
        database=report.backend,
        schema_revision=report.revision,
    )


@router.get(
    "/health",
    response_model=HealthPublic,
    summary="Service and database health (503 when degraded, for monitors)",
    responses=_DEGRADED,
)
def get_health(ctx: ContextDep, response: Response) -> HealthPublic:
    return _readiness(ctx, response)


@router.get(
    "/health/live",
    response_model=LivePublic,
    summary="Liveness: the process answers (no database check; for restarts)",
)
def get_live() -> LivePublic:
    return LivePublic(status="ok", version=__version__)


@router.get(
    "/health/ready",
    response_model=HealthPublic,
    summary="Readiness: database reachable and at the current schema (503 when not)",
    responses=_DEGRADED,
)
def get_ready(ctx: ContextDep, response: Response) -> HealthPublic:
    return _readiness(ctx, response)
