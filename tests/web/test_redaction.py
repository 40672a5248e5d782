"""No credential in the logs or in an error: feed and password tokens, query secrets,
URL passwords, the database's address.

The access log is uvicorn's own, read from a real server on a free port; the
503 answers come from an app on a database that cannot be reached.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from gatekeeper.definitions import Catalog
from gatekeeper.services.context import Context
from gatekeeper.store.database import Database
from gatekeeper.web.app import API_PREFIX, create_app
from gatekeeper.web.redaction import REDACTED, redact
from tests.factories import api_client, start_ibic

ANITA = "anita.lindqvist@alingsas.se"


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("/calendar/Zm9vYmFyLXNlY3JldA.ics", "Zm9vYmFyLXNlY3JldA"),
        ("/password/Pw-Token_123", "Pw-Token_123"),
        ("/password/Pw-Token_123/renew", "Pw-Token_123"),
        ("/api/v1/projects?token=hemligt&limit=5", "hemligt"),
        ("/x?api_key=hemligt", "hemligt"),
        ("https://anna:hemligt@hooks.alingsas.se/in", "hemligt"),
        ("postgresql://gatekeeper:hemligt@db.alingsas.se/gk", "hemligt"),
    ],
)
def test_credentials_in_paths_and_urls_are_redacted(raw: str, secret: str) -> None:
    cleaned = redact(raw)
    assert secret not in cleaned and REDACTED in cleaned


def test_paths_without_credentials_are_left_alone() -> None:
    for path in ("/password/forgotten", "/api/v1/projects/ibic-alingsas?limit=5", "/calendar"):
        assert redact(path) == path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_access_log_writes_no_feed_or_password_token(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    start_ibic(ctx)
    feed_url = api_client(ctx, ANITA).post(f"{API_PREFIX}/me/calendar-feeds", json={}).json()["url"]
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(context=ctx), host="127.0.0.1", port=port, log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        thread.start()
        try:
            for _ in range(200):
                if server.started:
                    break
                time.sleep(0.02)  # waiting for a real server to listen, not for the clock
            base = f"http://127.0.0.1:{port}"
            assert httpx.get(f"{base}/calendar/{token}.ics").status_code == 200
            httpx.get(f"{base}/password/ett-hemligt-losenordstoken")
            httpx.get(f"{base}/api/v1/health?token=hemligt-i-fragan")
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert len(lines) == 3, lines
    logged = "\n".join(lines)
    for secret in (token, "ett-hemligt-losenordstoken", "hemligt-i-fragan"):
        assert secret not in logged
    assert f"/calendar/{REDACTED}.ics" in logged


@pytest.mark.parametrize(
    "url",
    ["postgresql://nobody:hemligt@127.0.0.1:1/gatekeeper", "sqlite:///{tmp}/saknas/gatekeeper.db"],
)
def test_a_lost_database_answers_503_without_naming_it(
    catalog: Catalog, tmp_path: Path, url: str, caplog: pytest.LogCaptureFixture
) -> None:
    database = Database(url.format(tmp=tmp_path))
    client = TestClient(
        create_app(context=Context(db=database, catalog=catalog)), raise_server_exceptions=False
    )
    token = "gk_0123456789ab_" + "x" * 43  # well-formed; checking it needs the database
    try:
        with caplog.at_level(logging.WARNING, logger="gatekeeper.web"):
            answer = client.get(
                f"{API_PREFIX}/projects", headers={"Authorization": f"Bearer {token}"}
            )
    finally:
        database.dispose()
    assert answer.status_code == 503
    assert answer.json()["type"].endswith("/database-unavailable")
    for leak in ("127.0.0.1", "nobody", "hemligt", "postgresql", "sqlite", str(tmp_path), "saknas"):
        assert leak not in answer.text, answer.text
    logged = caplog.text
    assert "database unavailable" in logged
    assert "hemligt" not in logged
