"""API tokens over the API: made for yourself, never more than you have; listed
without secrets; revoked at once. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.clock import FixedClock
from gatekeeper.services.context import Context
from tests.apps import app_for
from tests.factories import ADMIN, api_client, start_ibic

KEY = "ibic-alingsas"
ANITA = "anita.lindqvist@alingsas.se"
MALIN = "malin.holmberg@alingsas.se"
OUTSIDER = "kalle.nilsson@boras.se"
PROBLEM = "application/problem+json"


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The problem document of `response`, after checking its status and field."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


def as_bearer(ctx: Context, token: str) -> TestClient:
    client = TestClient(app_for(ctx))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx, ANITA)


def _create(client: TestClient, **body: Any) -> Any:
    return client.post("/api/v1/tokens", json={"name": "Teams-bot"} | body)


def test_a_token_is_made_for_yourself_and_its_secret_shown_once(
    ctx: Context, anita: TestClient
) -> None:
    made = _create(anita, projects=[KEY], days=30)

    assert made.status_code == 201, made.text
    token = made.json()
    assert token["owner"] == ANITA and token["scope"] == "read" and token["projects"] == [KEY]
    assert token["token"].startswith(f"gk_{token['public_id']}_")
    assert made.headers["Location"] == f"/api/v1/tokens/{token['public_id']}"
    assert made.headers["Cache-Control"] == "no-store"
    assert token["expires_at"].startswith("2026-12-25")

    bot = as_bearer(ctx, token["token"])
    assert bot.get(f"/api/v1/projects/{KEY}").status_code == 200
    problem(bot.post(f"/api/v1/projects/{KEY}/risks", json={}), 403)  # read only

    one = anita.get(made.headers["Location"])
    assert one.status_code == 200 and "token" not in one.json()
    listed = anita.get("/api/v1/tokens").json()["items"]
    assert token["public_id"] in [t["public_id"] for t in listed]
    assert token["token"].split("_", 2)[2] not in str(listed)


def test_your_tokens_are_listed_newest_first_in_pages(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> None:
    made = []
    for name in ("första", "andra"):
        clock.advance(timedelta(minutes=1))
        made.append(_create(anita, name=name).json()["public_id"])
    api_client(ctx, MALIN).post("/api/v1/tokens", json={"name": "Malins"})

    first = anita.get("/api/v1/tokens", params={"limit": 2}).json()
    rest = anita.get("/api/v1/tokens", params={"limit": 2, "cursor": first["next_cursor"]}).json()

    names = [t["name"] for t in first["items"] + rest["items"]]
    assert names == ["andra", "första", "test"]  # `test`: the token the client calls with
    assert rest["next_cursor"] is None
    assert {t["owner"] for t in first["items"] + rest["items"]} == {ANITA}


def test_a_read_token_cannot_make_a_write_token(ctx: Context) -> None:
    start_ibic(ctx)
    reader = api_client(ctx, ANITA, scope="read")

    body = problem(_create(reader, scope="write"), 403)

    assert "skrivrätt" in body["detail"]
    assert _create(reader, scope="read").status_code == 201


def test_a_read_token_cannot_make_one_that_outlives_it(ctx: Context, clock: FixedClock) -> None:
    start_ibic(ctx)
    reader = api_client(ctx, ANITA, scope="read")  # 90 days from now
    clock.advance(timedelta(days=10))

    body = problem(_create(reader, days=90), 422, "days")

    assert "högst 80 dagar" in body["detail"]
    assert _create(reader, days=80).status_code == 201
    writer = api_client(ctx, ANITA)
    clock.advance(timedelta(days=10))
    assert _create(writer, scope="write", days=365).status_code == 201


def test_a_token_limited_to_projects_makes_tokens_limited_to_them(ctx: Context) -> None:
    start_ibic(ctx)
    start_ibic(ctx, key="ibic-lerum")  # Anita is a member of both
    limited = api_client(ctx, ANITA, projects_=(KEY,))

    inherited = _create(limited, scope="write")
    assert inherited.status_code == 201, inherited.text
    assert inherited.json()["projects"] == [KEY]

    body = problem(_create(limited, projects=["ibic-lerum"]), 422, "projects")
    assert "ibic-lerum" in body["detail"]
    lerum = as_bearer(ctx, inherited.json()["token"]).get("/api/v1/projects/ibic-lerum")
    problem(lerum, 404)


def test_a_project_you_do_not_see_reads_as_unknown(ctx: Context) -> None:
    start_ibic(ctx)
    outsider = api_client(ctx, OUTSIDER)

    hidden = problem(_create(outsider, projects=[KEY]), 422, "projects")
    missing = problem(_create(outsider, projects=["finns-inte"]), 422, "projects")

    assert hidden["detail"].replace(KEY, "X") == missing["detail"].replace("finns-inte", "X")
    assert _create(outsider).status_code == 201  # for every project they may see: none


def test_only_an_admin_with_a_write_token_makes_tokens_for_others(ctx: Context) -> None:
    start_ibic(ctx)
    api_client(ctx, MALIN)  # Malin has an account

    problem(_create(api_client(ctx, ANITA), owner_email=MALIN), 403)
    problem(_create(api_client(ctx, ADMIN.id, scope="read"), owner_email=MALIN), 403)
    made = _create(api_client(ctx, ADMIN.id), owner_email=MALIN, scope="write", projects=[KEY])

    assert made.status_code == 201, made.text
    assert made.json()["owner"] == MALIN
    malin = as_bearer(ctx, made.json()["token"])
    assert made.json()["public_id"] in [
        t["public_id"] for t in malin.get("/api/v1/tokens").json()["items"]
    ]
    problem(_create(api_client(ctx, ADMIN.id), owner_email="ingen@alingsas.se"), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scope": "admin"}, "scope"),
        ({"days": 0}, "days"),
        ({"days": 366}, "days"),
        ({"name": ""}, "name"),
        ({"owner_email": "malin"}, "owner_email"),
        ({"secret": "mitt"}, "secret"),
    ],
)
def test_bad_token_input_is_a_422_naming_the_field(
    anita: TestClient, body: dict[str, Any], field: str
) -> None:
    problem(_create(anita, **body), 422, field)


def test_creating_a_token_needs_a_token(ctx: Context) -> None:
    response = TestClient(app_for(ctx)).post("/api/v1/tokens", json={"name": "x"})
    problem(response, 401)


def test_a_revoked_token_stops_working_at_once(ctx: Context, anita: TestClient) -> None:
    made = _create(anita, scope="write").json()
    bot = as_bearer(ctx, made["token"])
    assert bot.get("/api/v1/projects").status_code == 200

    revoked = anita.delete(f"/api/v1/tokens/{made['public_id']}")

    assert revoked.status_code == 204 and revoked.content == b""
    assert "återkallat" in problem(bot.get("/api/v1/projects"), 401)["detail"]
    problem(anita.delete(f"/api/v1/tokens/{made['public_id']}"), 409)
    (listed,) = [
        t
        for t in anita.get("/api/v1/tokens").json()["items"]
        if t["public_id"] == made["public_id"]
    ]
    assert listed["revoked_at"] is not None


def test_other_peoples_tokens_do_not_exist_for_you_but_do_for_an_admin(
    ctx: Context, anita: TestClient
) -> None:
    malins = _create(api_client(ctx, MALIN)).json()["public_id"]

    problem(anita.get(f"/api/v1/tokens/{malins}"), 404)
    problem(anita.delete(f"/api/v1/tokens/{malins}"), 404)
    problem(anita.delete("/api/v1/tokens/000000000000"), 404)

    admin = api_client(ctx, ADMIN.id)
    assert admin.get(f"/api/v1/tokens/{malins}").json()["owner"] == MALIN
    assert admin.delete(f"/api/v1/tokens/{malins}").status_code == 204


def test_a_read_token_revokes_itself_but_no_other(ctx: Context, anita: TestClient) -> None:
    other = _create(anita).json()["public_id"]
    reader = _create(anita, name="läsare").json()
    client = as_bearer(ctx, reader["token"])

    problem(client.delete(f"/api/v1/tokens/{other}"), 403)
    assert client.delete(f"/api/v1/tokens/{reader['public_id']}").status_code == 204
    problem(client.get("/api/v1/tokens"), 401)
