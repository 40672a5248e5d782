"""GET /api/v1/health: is the service up and its database at the right schema."""

from __future__ import annotations

from fastapi import APIRouter, Response

from gatekeeper import __version__
from gatekeeper.services.health import health
from gatekeeper.web.deps import ContextDep
from gatekeeper.web.schemas.projects import HealthPublic

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthPublic,
    summary="Service and database health (503 when degraded, for monitors)",
    responses={503: {"model": HealthPublic, "description": "Database unreachable or behind"}},
)
def get_health(ctx: ContextDep, response: Response) -> HealthPublic:
    report = health(ctx)
    if not report.ok:
        response.status_code = 503
    return HealthPublic(
        status="ok" if report.ok else "degraded",
        version=__version__,
        database=report.backend,
        schema_revision=report.revision,
    )
