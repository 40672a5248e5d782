"""The app factory: `create_app(settings)` builds one FastAPI app, nothing global.

Start-up refuses to run on definitions that do not validate (the report lists
every problem) and on a database that cannot be reached or is not migrated.
An app built from settings runs the webhook dispatcher for its lifespan when
`webhook_dispatch` is on; one built on a ready context alone (tests) never does.
The web pages' session cookies are signed with the configured secret key, or
(an app built for tests or without one, which `gatekeeper serve` refuses
outside demo mode) with a key made for this process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from gatekeeper import __version__
from gatekeeper.channels.account_mail import EmailLetterBox, LetterBox
from gatekeeper.channels.email import email_channel
from gatekeeper.config import Settings
from gatekeeper.scheduler import running_scheduler
from gatekeeper.services.context import Context
from gatekeeper.services.setup import open_context
from gatekeeper.session_key import process_key, session_secret
from gatekeeper.web.admission import AdmissionMiddleware
from gatekeeper.web.api import (
    definitions,
    health,
)
from gatekeeper.web.api import followup as followup_api
from gatekeeper.web.api import meetings as meetings_api
from gatekeeper.web.api import reports as reports_api
from gatekeeper.web.api.access import token as tokens
from gatekeeper.web.api.audit import event as audit
from gatekeeper.web.api.audit import webhook as webhooks
from gatekeeper.web.api.gates import decision as decisions
from gatekeeper.web.api.gates import vote as voting
from gatekeeper.web.api.gates import wave_decision as wave_decisions_api
from gatekeeper.web.api.projects import history, work
from gatekeeper.web.api.projects import project as projects
from gatekeeper.web.api.projects import subproject as subprojects_api
from gatekeeper.web.api.reminders import reminder as reminders
from gatekeeper.web.api.rollout import readiness_review as rollout_api
from gatekeeper.web.api.rollout import unit as units
from gatekeeper.web.api.rollout import unit_item as unit_items
from gatekeeper.web.api.rollout import wave as waves_api
from gatekeeper.web.body_limit import BodyLimitMiddleware
from gatekeeper.web.bounds import refuse_nul_in_address
from gatekeeper.web.deps import Postbox
from gatekeeper.web.idempotency import IdempotencyMiddleware
from gatekeeper.web.methods import OptionsMiddleware
from gatekeeper.web.metrics import MetricsMiddleware, install_metrics
from gatekeeper.web.openapi import install_openapi
from gatekeeper.web.pages import followup as followup_pages
from gatekeeper.web.pages import meetings as meetings_pages
from gatekeeper.web.pages import reports as reports_pages
from gatekeeper.web.pages.access import login, password
from gatekeeper.web.pages.audit import log as audit_page
from gatekeeper.web.pages.gates import decision as decision_page
from gatekeeper.web.pages.gates import (
    decision_reference,
    gate,
    gate_item,
    gate_review,
    gate_vote,
    protocol,
)
from gatekeeper.web.pages.gates import wave_decision as wave_decisions_page
from gatekeeper.web.pages.projects import activity as activity_page
from gatekeeper.web.pages.projects import deadline as deadline_page
from gatekeeper.web.pages.projects import gate_date as gate_date_page
from gatekeeper.web.pages.projects import members as members_page
from gatekeeper.web.pages.projects import named_decision as named_decision_page
from gatekeeper.web.pages.projects import overview, project, workflow
from gatekeeper.web.pages.projects import risk as risk_page
from gatekeeper.web.pages.projects import subproject as subproject_page
from gatekeeper.web.pages.reminders import calendar as calendar_page
from gatekeeper.web.pages.reminders import inbox as inbox_page
from gatekeeper.web.pages.reminders import log as reminders_page
from gatekeeper.web.pages.reminders import settings as settings_page
from gatekeeper.web.pages.rollout import unit as units_page
from gatekeeper.web.pages.rollout import unit_list as unit_list_page
from gatekeeper.web.pages.rollout import wave as rollout_page
from gatekeeper.web.problem import install_error_handlers
from gatekeeper.web.redaction import install_access_log_redaction
from gatekeeper.web.security_headers import SecurityHeadersMiddleware
from gatekeeper.web.sessions import WebSettings, install_sessions
from gatekeeper.web.templating import PageTemplates

API_PREFIX = "/api/v1"
STATIC_DIR = Path(__file__).parent / "static"


def _dispatching(
    ctx: Context, settings: Settings
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """A lifespan that runs the scheduler (webhooks, reminders, retention) while the app serves."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with running_scheduler(ctx, settings) as scheduler:
            app.state.scheduler = scheduler
            yield

    return lifespan


def web_settings(settings: Settings | None) -> WebSettings:
    """Cookie signing and session rules for the pages, from the settings (if any)."""
    if settings is None:
        return WebSettings(secret_key=process_key())
    return WebSettings(
        secret_key=session_secret(settings, strict=False),
        cookie_secure=settings.cookie_secure,
        idle=timedelta(minutes=settings.session_idle_minutes),
    )


def postbox(settings: Settings | None, letters: LetterBox | None) -> Postbox:
    """Account letters through `letters` (tests), else the settings' SMTP server, if any."""
    if letters is None and settings is not None:
        channel = email_channel(settings)
        letters = EmailLetterBox(channel) if channel is not None else None
    base_url = settings.public_base_url if settings is not None else "http://testserver"
    return Postbox(letters, base_url)


def app_from_environment() -> FastAPI:
    """The app of one worker process of `gatekeeper serve --workers N` (a uvicorn factory):
    its settings from the environment, which `serve` filled in."""
    return create_app(Settings())


def create_app(
    settings: Settings | None = None,
    *,
    context: Context | None = None,
    letters: LetterBox | None = None,
) -> FastAPI:
    """Build the app on `settings` (or on a ready `context`, as tests do); `letters`
    replaces the SMTP server for invitation and reset e-mails (tests)."""
    settings = settings or (Settings() if context is None else None)
    ctx = context or open_context(settings or Settings())
    dispatch = settings is not None and (
        settings.webhook_dispatch or settings.reminder_dispatch or settings.retention_purge
    )
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
        dependencies=[Depends(refuse_nul_in_address)],
    )
    app.state.context = ctx
    app.state.templates = PageTemplates()
    app.state.postbox = postbox(settings, letters)
    install_error_handlers(app)
    install_access_log_redaction()
    install_openapi(app)
    install_sessions(app, web_settings(settings))
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(OptionsMiddleware)
    app.add_middleware(BodyLimitMiddleware)  # before anything reads a body
    metrics = install_metrics(app, settings, ctx)  # its route, before the others
    if settings is not None:  # a bound per process; apps built on a context (tests) have none
        app.add_middleware(
            AdmissionMiddleware,
            limit=settings.max_concurrent_requests,
            queue_seconds=settings.request_queue_seconds,
            on_refused=metrics.shed.inc,
        )
    app.add_middleware(SecurityHeadersMiddleware)  # on every answer, replays and 503s too
    app.add_middleware(MetricsMiddleware, metrics=metrics)  # outermost: times them all
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
        reminders.router,
        waves_api.router,
        units.router,
        unit_items.router,
        subprojects_api.router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    for page_router in (login.router, overview.router, protocol.router):
        app.include_router(page_router)
    app.include_router(project.router)
    app.include_router(members_page.router)
    app.include_router(password.router)
    for work_router in (
        risk_page.router,
        activity_page.router,
        decision_reference.router,
        named_decision_page.router,
        subproject_page.router,
    ):
        app.include_router(work_router)
    app.include_router(gate_date_page.router)
    app.include_router(deadline_page.router)
    for gate_router in (gate.router, gate_item.router, gate_review.router, gate_vote.router):
        app.include_router(gate_router)
    app.include_router(decision_page.router)
    app.include_router(workflow.router)
    app.include_router(audit_page.router)
    app.include_router(unit_list_page.router)
    app.include_router(units_page.router)
    app.include_router(rollout_api.router, prefix=API_PREFIX)
    app.include_router(wave_decisions_api.router, prefix=API_PREFIX)
    app.include_router(rollout_page.router)
    app.include_router(wave_decisions_page.router)
    for reminder_router in (
        inbox_page.router,
        settings_page.router,
        reminders_page.router,
        calendar_page.router,
    ):
        app.include_router(reminder_router)
    for capability_api in (followup_api, meetings_api, reports_api):
        for api_router in capability_api.routers:
            app.include_router(api_router, prefix=API_PREFIX)
    for capability_pages in (followup_pages, meetings_pages, reports_pages):
        for capability_page_router in capability_pages.routers:
            app.include_router(capability_page_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
