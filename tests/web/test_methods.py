"""Which methods an address takes (RFC 9110), and the rules of 422 stated in the OpenAPI
document, on SQLite and PostgreSQL.

A 405 lists every method of the address in `Allow` (not the first route's);
OPTIONS answers 204 with the same list. Key patterns, the cursor's format and
the order of dates that the server enforces are in the schema, and the
server keeps to what the schema says.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.context import Context
from tests.factories import api_client, start_ibic

API = "/api/v1"
KEY = "ibic-alingsas"


@pytest.fixture
def admin(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx)


def allow(answer: Any) -> set[str]:
    return {method.strip() for method in answer.headers["allow"].split(",")}


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        (f"{API}/projects", {"GET", "HEAD", "POST", "OPTIONS"}),
        (f"{API}/projects/{KEY}", {"GET", "HEAD", "PATCH", "OPTIONS"}),
        (f"{API}/projects/{KEY}/risks/1", {"GET", "HEAD", "PATCH", "OPTIONS"}),
        (f"{API}/tokens/abc", {"GET", "HEAD", "DELETE", "OPTIONS"}),
        ("/login", {"GET", "HEAD", "POST", "OPTIONS"}),
    ],
)
def test_options_answers_the_methods_of_the_address(
    admin: TestClient, path: str, methods: set[str]
) -> None:
    answer = admin.options(path)
    assert answer.status_code == 204
    assert allow(answer) == methods
    assert answer.content == b""


def test_options_on_an_unknown_address_is_404(admin: TestClient) -> None:
    assert admin.options(f"{API}/finns-inte").status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "methods"),
    [
        ("DELETE", f"{API}/projects", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("PUT", f"{API}/projects/{KEY}", {"GET", "HEAD", "PATCH", "OPTIONS"}),
        ("POST", f"{API}/health", {"GET", "HEAD", "OPTIONS"}),
        ("DELETE", "/login", {"GET", "HEAD", "POST", "OPTIONS"}),
        ("POST", "/static/gatekeeper.css", {"GET", "HEAD", "OPTIONS"}),
    ],
)
def test_a_405_names_every_method_of_the_address(
    admin: TestClient, method: str, path: str, methods: set[str]
) -> None:
    answer = admin.request(method, path)
    assert answer.status_code == 405
    assert allow(answer) == methods
    if path.startswith(API):
        assert answer.headers["content-type"] == "application/problem+json"


def _schema(admin: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = admin.get(f"{API}/openapi.json").json()
    return document


def test_the_openapi_document_states_the_key_patterns(admin: TestClient) -> None:
    schemas = _schema(admin)["components"]["schemas"]
    for model in ("ProjectCreate", "NamedDecisionCreate", "WaveCreate", "UnitCreate"):
        key = schemas[model]["properties"]["key"]
        assert key.get("pattern"), model
        assert key.get("description"), model
    pattern = re.compile(schemas["ProjectCreate"]["properties"]["key"]["pattern"])
    for key, ok in (("ny-projekt", True), ("Ny_Projekt", False), ("-ny", False)):
        assert bool(pattern.match(key)) is ok
        answer = admin.post(
            f"{API}/projects", json={"key": key, "name": "Nytt", "workflow_id": "inforande"}
        )
        assert (answer.status_code == 201) is ok, answer.text
        if not ok:
            assert answer.json()["field"] == "key"


def test_the_openapi_document_states_the_cursor_format(admin: TestClient) -> None:
    paths = _schema(admin)["paths"]
    cursors = [
        parameter
        for item in paths.values()
        for operation in item.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"] == "cursor"
    ]
    assert len(cursors) >= 10
    for parameter in cursors:
        schema = parameter["schema"]
        pattern = schema.get("pattern") or next(
            (s.get("pattern") for s in schema.get("anyOf", []) if s.get("pattern")), None
        )
        assert pattern, parameter
        assert "opaque" in parameter["description"]


def test_the_openapi_document_states_dates_and_their_order(admin: TestClient) -> None:
    schemas = _schema(admin)["components"]["schemas"]
    target = schemas["GateTargetUpdate"]["properties"]["target_date"]
    assert target["format"] == "date" and target["pattern"]
    assert "1900-01-01" in target["description"] and "2199-12-31" in target["description"]
    assert "start" in schemas["ActivityCreate"]["properties"]["end"]["description"]
    assert "order" in schemas["ProjectCreate"]["properties"]["gate_targets"]["description"]
