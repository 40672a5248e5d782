"""Metrics in the Prometheus text format: GET /metrics, with prometheus_client.

What is measured, and where:

- `gatekeeper_http_request_duration_seconds` (histogram; route template,
  method, status): every HTTP request, timed by `MetricsMiddleware` around
  the whole app. The route is the template (`/api/v1/projects/{project_key}`),
  never the path, so the label set stays small; no route: `unmatched`.
- `gatekeeper_ticks_total` (kind: checklist, unit, unit_bulk),
  `gatekeeper_decisions_total`, `gatekeeper_audit_events_total` (action) and
  `gatekeeper_webhook_delivery_failures_total`: counted when the write
  transaction that recorded them has committed, by an observer on the
  database (`Database.commit_observers`): so a rolled-back change is never
  counted, and the use cases and the core know nothing of Prometheus.
- `gatekeeper_requests_shed_total`: requests answered 503 by the admission limit.
- `gatekeeper_reminder_backlog`: reminders due and not sent, read from the
  database at scrape time.

Several worker processes (`serve --workers N`): `serve` points
PROMETHEUS_MULTIPROC_DIR at a fresh folder before the workers start, each
worker writes its values there, and a scrape (answered by any one worker) sums
them over every worker (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gatekeeper.config import Settings
from gatekeeper.core.egress import IPNetwork
from gatekeeper.core.events import EventName
from gatekeeper.errors import DatabaseUnavailable, PermissionDenied, Unauthenticated
from gatekeeper.services.audit.webhook_dispatch import WEBHOOK_DELIVERY_FAILED
from gatekeeper.services.context import Context
from gatekeeper.services.reminders.backlog import due_unsent

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
TICKS = {
    EventName.CHECKLIST_ITEM_UPDATED.value: "checklist",
    EventName.UNIT_ITEM_UPDATED.value: "unit",
    EventName.UNIT_ITEMS_BULK_UPDATED.value: "unit_bulk",
}
DECISIONS = {EventName.GATE_DECIDED.value}


def clear_metrics_dir() -> None:
    """Empty PROMETHEUS_MULTIPROC_DIR (if set) of the last run's values, as prometheus_client
    asks: before this run's first metric exists, or its files would be deleted under it."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink()


@contextmanager
def shared_metrics_dir() -> Iterator[Path]:
    """Where the workers of `serve --workers N` keep their values while they run, for a
    scrape of any one to sum them all: PROMETHEUS_MULTIPROC_DIR if set (emptied), else a
    temporary folder, removed when the workers have stopped."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        clear_metrics_dir()
        yield Path(given)
        return
    with tempfile.TemporaryDirectory(prefix="gatekeeper-metrics-") as made:
        yield Path(made)


def multiprocess() -> bool:
    """Whether prometheus_client keeps its values in files shared by worker processes."""
    return bool(os.environ.get(MULTIPROC_ENV))


class Metrics:
    """One app's metrics; its counters move when observed commits and requests happen."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.latency = Histogram(
            "gatekeeper_http_request_duration_seconds",
            "Time to answer an HTTP request, by route template, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.ticks = Counter(
            "gatekeeper_ticks",
            "Checklist and unit items changed (ticked, unticked, not applicable), committed; "
            "unit_bulk: bulk changes, one each however many items.",
            ["kind"],
            registry=self.registry,
        )
        self.decisions = Counter(
            "gatekeeper_decisions", "Gate decisions recorded, committed.", registry=self.registry
        )
        self.events = Counter(
            "gatekeeper_audit_events",
            "Audit events recorded, committed, by action.",
            ["action"],
            registry=self.registry,
        )
        self.webhook_failures = Counter(
            "gatekeeper_webhook_delivery_failures",
            "Webhook delivery attempts that failed (retried later or given up).",
            registry=self.registry,
        )
        self.shed = Counter(
            "gatekeeper_requests_shed",
            "Requests answered 503 because the server was at its concurrency limit.",
            registry=self.registry,
        )

    def observe_commit(self, recorded: Sequence[str]) -> None:
        """A write transaction committed, having recorded these events (a commit observer)."""
        for action in recorded:
            if action == WEBHOOK_DELIVERY_FAILED:
                self.webhook_failures.inc()
                continue
            self.events.labels(action).inc()
            if action in TICKS:
                self.ticks.labels(TICKS[action]).inc()
            elif action in DECISIONS:
                self.decisions.inc()

    def watch(self, ctx: Context | None) -> None:
        """Observe the commits of `ctx`'s database (once; tests swap an app's context)."""
        if ctx is not None and self.observe_commit not in ctx.db.commit_observers:
            ctx.db.commit_observers.append(self.observe_commit)

    def exposition(self, ctx: Context) -> bytes:
        """The text a scrape gets: every worker's values (multiprocess) or this process's."""
        registry = CollectorRegistry(auto_describe=False)
        if multiprocess():
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        else:
            registry.register(_Forwarded(self.registry))
        registry.register(_Backlog(ctx))
        return generate_latest(registry)


class _Forwarded(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterable[Metric]:
        return self._registry.collect()


class _Backlog(Collector):
    """The reminder backlog, counted when scraped (left out while the database is away)."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def collect(self) -> Iterable[Metric]:
        try:
            backlog = due_unsent(self._ctx)
        except DatabaseUnavailable:
            return []
        return [
            GaugeMetricFamily(
                "gatekeeper_reminder_backlog",
                "Reminders due to go out and not sent yet (pending, retrying or claimed).",
                value=backlog,
            )
        ]


class MetricsMiddleware:
    """Times every HTTP request by its route template (pure ASGI, around the whole app)."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.get("app")
        self.metrics.watch(getattr(getattr(state, "state", None), "context", None))
        status = 500
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.latency.labels(
                route_template(scope), scope["method"], str(status)
            ).observe(time.perf_counter() - started)


def route_template(scope: Scope) -> str:
    """The template of the route that answered (`/api/v1/projects/{project_key}`), or
    `unmatched`. A route knows its own path but not the prefix it was included under:
    that is the request path's leading segments, the route's own matching the rest
    (one segment a parameter). A file under a mount: `/static/{path}`."""
    route = scope.get("route")
    own = getattr(route, "path", None)
    if not isinstance(own, str) or not own:
        mounted = scope.get("root_path")  # a mount (the static files) sets only this
        return f"{mounted}/{{path}}" if mounted else "unmatched"
    if isinstance(route, Mount) or ":path}" in own:
        return own
    segments = str(scope.get("path", "")).split("/")
    keep = len(segments) - own.count("/")
    return "/".join(segments[:keep]) + own if keep >= 1 else own


def _address_allowed(host: str | None, networks: Sequence[IPNetwork]) -> bool:
    if host is None:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)


def metrics_router(settings: Settings) -> APIRouter:
    """GET /metrics, answering as GATEKEEPER_METRICS_TOKEN and _ALLOWED_NETWORKS say."""
    router = APIRouter()

    @router.get(METRICS_PATH, include_in_schema=False)
    def get_metrics(request: Request) -> Response:
        if settings.metrics_token:
            given = request.headers.get("authorization", "")
            expected = f"Bearer {settings.metrics_token}"
            if not hmac.compare_digest(given.encode(), expected.encode()):
                raise Unauthenticated("GET /metrics needs the metrics token (Bearer).")
        elif not _address_allowed(
            request.client.host if request.client else None, settings.metrics_allowed_networks
        ):
            raise PermissionDenied("GET /metrics is not open to this address.")
        metrics: Metrics = request.app.state.metrics
        body = metrics.exposition(request.app.state.context)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return router


def install_metrics(app: FastAPI, settings: Settings | None, ctx: Context) -> Metrics:
    """Count `ctx`'s committed changes and serve GET /metrics if the settings say so (an
    app built without settings, as tests build them, serves it to this host); the caller
    adds `MetricsMiddleware` outermost."""
    metrics = Metrics()
    app.state.metrics = metrics
    metrics.watch(ctx)
    settings = settings or Settings.model_construct()  # the defaults, not the environment
    if settings.metrics:
        app.include_router(metrics_router(settings))
    return metrics
