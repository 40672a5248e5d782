"""The app factory: `create_app(settings)` builds one FastAPI app, nothing global.

Start-up refuses to run on definitions that do not validate (the report lists
every problem) and on a database that cannot be reached or is not migrated.
"""

from __future__ import annotations

from fastapi import FastAPI

from gatekeeper import __version__
from gatekeeper.config import Settings
from gatekeeper.services.context import Context
from gatekeeper.services.setup import open_context
from gatekeeper.web.api import audit, decisions, definitions, health, history, projects
from gatekeeper.web.idempotency import IdempotencyMiddleware
from gatekeeper.web.pages import protocol
from gatekeeper.web.problem import install_error_handlers
from gatekeeper.web.templating import environment

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, *, context: Context | None = None) -> FastAPI:
    """Build the app on `settings` (or on a ready `context`, as tests do)."""
    ctx = context or open_context(settings or Settings())
    app = FastAPI(
        title="gatekeeper",
        version=__version__,
        summary="Fasgrindar, checklistor och go/no-go-beslut för införandeprojekt.",
        description=(
            "JSON API of gatekeeper. Errors are `application/problem+json` (RFC 9457). "
            "Readiness of a gate lists every criterion with the measured and required figure "
            "and a sentence in Swedish."
        ),
        docs_url="/docs",
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.context = ctx
    app.state.templates = environment()
    install_error_handlers(app)
    app.add_middleware(IdempotencyMiddleware)
    for router in (
        health.router,
        definitions.router,
        projects.router,
        decisions.router,
        audit.router,
        history.router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(protocol.router)
    return app
