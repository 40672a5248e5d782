"""Liveness and readiness: /api/v1/health/live answers without the database,
/api/v1/health/ready (and /api/v1/health) only when the database is reachable
and at the current schema. None needs a token; that none is held up by the concurrency
limit is in test_overload."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gatekeeper import __version__
from gatekeeper.definitions import Catalog
from gatekeeper.services.context import Context
from gatekeeper.store.database import Database
from tests.apps import app_for

UNREACHABLE_POSTGRES = "postgresql://nobody@127.0.0.1:1/gatekeeper"


def test_a_migrated_database_is_live_and_ready(ctx: Context) -> None:
    client = TestClient(app_for(ctx))

    live = client.get("/api/v1/health/live")
    ready = client.get("/api/v1/health/ready")

    assert (live.status_code, live.json()) == (200, {"status": "ok", "version": __version__})
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    assert ready.json() == client.get("/api/v1/health").json()


def test_without_its_database_the_process_is_live_but_not_ready(catalog: Catalog) -> None:
    database = Database(UNREACHABLE_POSTGRES)
    client = TestClient(app_for(Context(db=database, catalog=catalog)))
    try:
        live = client.get("/api/v1/health/live")
        ready = client.get("/api/v1/health/ready")
    finally:
        database.dispose()

    assert live.status_code == 200  # no restart for a database outage
    assert ready.status_code == 503  # but no traffic either
    assert ready.json()["status"] == "degraded"


def test_liveness_and_readiness_are_in_the_openapi(ctx: Context) -> None:
    paths = TestClient(app_for(ctx)).get("/api/v1/openapi.json").json()["paths"]

    assert {"/api/v1/health", "/api/v1/health/live", "/api/v1/health/ready"} <= set(paths)
    assert "503" in paths["/api/v1/health/ready"]["get"]["responses"]


def test_a_lost_database_is_a_503_with_retry_after(catalog: Catalog) -> None:
    database = Database(UNREACHABLE_POSTGRES)
    client = TestClient(app_for(Context(db=database, catalog=catalog)))
    token = "gk_0123456789ab_" + "x" * 43  # well-formed; checking it needs the database
    try:
        answer = client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})
    finally:
        database.dispose()

    assert answer.status_code == 503
    assert answer.json()["type"].endswith("/database-unavailable")
    assert int(answer.headers["Retry-After"]) >= 1  # nothing was changed: try again later
