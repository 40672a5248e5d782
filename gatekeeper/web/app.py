"""The app factory: `create_app(settings)` builds one FastAPI app, nothing global.

Start-up refuses to run on definitions that do not validate (the report lists
every problem) and on a database that cannot be reached or is not migrated.
An app built from settings runs the webhook dispatcher for its lifespan when
`webhook_dispatch` is on; one built on a ready context alone (tests) never does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from gatekeeper import __version__
from gatekeeper.config import Settings
from gatekeeper.scheduler import running_scheduler
from gatekeeper.services.context import Context
from gatekeeper.services.setup import open_context
from gatekeeper.web.api import (
    audit,
    decisions,
    definitions,
    health,
    history,
    projects,
    tokens,
    voting,
    webhooks,
    work,
)
from gatekeeper.web.body_limit import BodyLimitMiddleware
from gatekeeper.web.idempotency import IdempotencyMiddleware
from gatekeeper.web.openapi import install_openapi
from gatekeeper.web.pages import protocol
from gatekeeper.web.problem import install_error_handlers
from gatekeeper.web.templating import environment

API_PREFIX = "/api/v1"


def _dispatching(
    ctx: Context, settings: Settings
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that runs the scheduler (webhook dispatch) while the app serves."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with running_scheduler(ctx, settings) as scheduler:
            app.state.scheduler = scheduler
            yield

    return lifespan


def create_app(settings: Settings | None = None, *, context: Context | None = None) -> FastAPI:
    """Build the app on `settings` (or on a ready `context`, as tests do)."""
    settings = settings or (Settings() if context is None else None)
    ctx = context or open_context(settings or Settings())
    dispatch = settings is not None and settings.webhook_dispatch
    app = FastAPI(
        lifespan=_dispatching(ctx, settings) if settings is not None and dispatch else None,
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
    install_openapi(app)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(BodyLimitMiddleware)  # outermost: before anything reads a body
    for router in (
        health.router,
        definitions.router,
        projects.router,
        decisions.router,
        audit.router,
        history.router,
        webhooks.router,
        work.router,
        voting.router,
        tokens.router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(protocol.router)
    return app
