"""`Idempotency-Key` on API POSTs, on SQLite and PostgreSQL.

A retry with the same key and body gets the first answer again and changes
nothing; the key on another request is refused; keys belong to their token;
after 24 hours a key is new again. Time moves on the fixed clock.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.services import idempotency
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as project_service
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.access.tables import IdempotencyRecord
from gatekeeper.web.app import API_PREFIX
from tests.factories import PROJEKTLEDARE, api_client, start_ibic

PROBLEM = "application/problem+json"
PROJECTS = f"{API_PREFIX}/projects"
KEY = "9f1c2e4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b"
HEADER = idempotency.KEY_HEADER
REPLAYED = "Idempotent-Replayed"


def _project(key: str = "ibic-alingsas", name: str = "Införande av IBIC") -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "workflow_id": "inforande",
        "organisation": "Vård- och omsorgsförvaltningen, Alingsås kommun",
        "description": "Införa arbetssättet IBIC (Individens behov i centrum) under 2027.",
    }


def _events(ctx: Context) -> int:
    return len(audit_log.list_events(ctx, limit=audit_log.MAX_PAGE))


def _created(ctx: Context) -> int:
    return sum(
        1
        for event in audit_log.list_events(ctx, limit=audit_log.MAX_PAGE)
        if event.action == EventName.PROJECT_CREATED
    )


def _records(ctx: Context) -> list[IdempotencyRecord]:
    with ctx.db.read() as session:
        return list(session.exec(select(IdempotencyRecord)).all())


def _token_id(client: TestClient) -> str:
    """The public id in the client's `Bearer gk_<id>_<secret>`."""
    return client.headers["Authorization"].removeprefix("Bearer gk_").split("_", 1)[0]


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    assert body["title"] and body["detail"]
    return body


def _sent(client: TestClient, body: dict[str, Any]) -> bytes:
    """The bytes the client sends for `json=body`."""
    return client.build_request("POST", PROJECTS, json=body).content


@pytest.fixture
def client(ctx: Context) -> TestClient:
    return api_client(ctx)


# --- replay ---------------------------------------------------------------------------


def test_a_retry_gets_the_first_answer_again_and_changes_nothing(
    ctx: Context, client: TestClient
) -> None:
    first = client.post(PROJECTS, json=_project(), headers={HEADER: KEY})
    assert first.status_code == 201, first.text
    assert REPLAYED not in first.headers
    events = _events(ctx)

    again = client.post(PROJECTS, json=_project(), headers={HEADER: KEY})

    assert again.status_code == 201
    assert again.headers[REPLAYED] == "true"
    assert again.content == first.content
    for name in ("content-type", "etag", "location"):
        assert again.headers[name] == first.headers[name]
    assert _events(ctx) == events
    assert _created(ctx) == 1
    assert [p.key for p in overviews.list_projects(ctx)] == ["ibic-alingsas"]
    [record] = _records(ctx)
    assert record.principal == _token_id(client)
    assert record.status_code == 201
    assert "gk_" not in record.principal and "secret" not in record.response_headers


def test_without_the_header_a_retry_runs_again(client: TestClient) -> None:
    assert client.post(PROJECTS, json=_project()).status_code == 201

    _problem(client.post(PROJECTS, json=_project()), 409)  # the project exists already


def test_a_refused_first_answer_is_replayed_too(ctx: Context, client: TestClient) -> None:
    """4xx answers are stored, as Stripe does: the same request is refused the same way,
    and a corrected request needs a new key."""
    incomplete = {"key": "ibic-alingsas", "workflow_id": "inforande"}  # no name
    first = client.post(PROJECTS, json=incomplete, headers={HEADER: KEY})
    assert _problem(first, 422)["field"] == "name"

    again = client.post(PROJECTS, json=incomplete, headers={HEADER: KEY})

    assert again.status_code == 422
    assert again.headers[REPLAYED] == "true"
    assert again.headers["content-type"] == PROBLEM
    assert again.content == first.content
    corrected = client.post(PROJECTS, json=_project(), headers={HEADER: KEY})
    assert _problem(corrected, 422)["field"] == HEADER
    assert client.post(PROJECTS, json=_project(), headers={HEADER: "ny-nyckel"}).status_code == 201
    assert _created(ctx) == 1


def test_a_retried_risk_is_recorded_once(ctx: Context) -> None:
    start_ibic(ctx)
    anita = api_client(ctx, PROJEKTLEDARE.id)
    risk = {
        "title": "Verksamheten hinner inte utbilda alla ombud före go-live",
        "probability": 3,
        "consequence": 4,
        "mitigation": "Utbilda i två omgångar; ombuden utbildar sina kollegor.",
        "owner": "Jonas Berg",
    }
    url = f"{PROJECTS}/ibic-alingsas/risks"
    first = anita.post(url, json=risk, headers={HEADER: KEY})
    assert first.status_code == 201, first.text
    events = _events(ctx)

    again = anita.post(url, json=risk, headers={HEADER: KEY})

    assert again.status_code == 201
    assert again.headers[REPLAYED] == "true"
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert _events(ctx) == events
    assert len(risks.list_risks(ctx, "ibic-alingsas")) == 1
    other = anita.post(url, json={**risk, "probability": 2}, headers={HEADER: KEY})
    assert _problem(other, 422)["field"] == HEADER
    assert len(risks.list_risks(ctx, "ibic-alingsas")) == 1


def test_a_retried_review_request_opens_one_review(ctx: Context) -> None:
    start_ibic(ctx)
    anita = api_client(ctx, PROJEKTLEDARE.id)
    body = {"gate_id": "forstudie-klar", "message": "Förstudien är klar; underlaget finns."}
    url = f"{PROJECTS}/ibic-alingsas/reviews"
    first = anita.post(url, json=body, headers={HEADER: KEY})
    assert first.status_code == 201, first.text
    events = _events(ctx)

    again = anita.post(url, json=body, headers={HEADER: KEY})

    assert (again.status_code, again.content) == (first.status_code, first.content)
    assert again.headers[REPLAYED] == "true"
    assert _events(ctx) == events
    assert len(review_views.reviews_of(ctx, "ibic-alingsas")) == 1


def test_an_answer_carrying_a_secret_is_never_stored(ctx: Context, client: TestClient) -> None:
    """A new token is shown once (`Cache-Control: no-store`): its answer is not kept, so a
    retry makes another token rather than replaying the secret from the database."""
    body = {"name": "Teams-bot för styrgruppen", "scope": "read", "days": 30}

    first = client.post(f"{API_PREFIX}/tokens", json=body, headers={HEADER: KEY})
    assert first.status_code == 201, first.text
    assert _records(ctx) == []
    again = client.post(f"{API_PREFIX}/tokens", json=body, headers={HEADER: KEY})

    assert again.status_code == 201
    assert REPLAYED not in again.headers
    assert again.json()["token"] != first.json()["token"]
    assert _records(ctx) == []


# --- refusals -------------------------------------------------------------------------


def test_the_same_key_on_another_body_is_refused(ctx: Context, client: TestClient) -> None:
    assert client.post(PROJECTS, json=_project(), headers={HEADER: KEY}).status_code == 201
    events = _events(ctx)

    other = client.post(PROJECTS, json=_project("ibic-vargarda"), headers={HEADER: KEY})

    body = _problem(other, 422)
    assert body["field"] == HEADER
    assert "Idempotency-Key har redan använts för en annan begäran" in body["detail"]
    assert REPLAYED not in other.headers
    assert _events(ctx) == events
    assert [p.key for p in overviews.list_projects(ctx)] == ["ibic-alingsas"]


def test_the_same_key_on_another_path_is_refused(ctx: Context, client: TestClient) -> None:
    assert client.post(PROJECTS, json=_project(), headers={HEADER: KEY}).status_code == 201
    events = _events(ctx)
    member = {"name": "Jonas Berg", "email": "jonas.berg@alingsas.se", "role": "styrgrupp"}

    other = client.post(f"{PROJECTS}/ibic-alingsas/members", json=member, headers={HEADER: KEY})

    assert _problem(other, 422)["field"] == HEADER
    assert _events(ctx) == events


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"x" * 201, id="too-long"),
        pytest.param(b"med mellanslag", id="space"),
        pytest.param("nyckel-å".encode(), id="not-ascii"),
        pytest.param(b"tab\tinside", id="control"),
    ],
)
def test_a_malformed_key_is_refused(ctx: Context, client: TestClient, key: bytes) -> None:
    response = client.post(PROJECTS, json=_project(), headers={HEADER.encode(): key})

    body = _problem(response, 422)
    assert body["field"] == HEADER
    assert "1–200 synliga ASCII-tecken" in body["detail"]
    assert _created(ctx) == 0
    assert _records(ctx) == []


def test_two_keys_in_one_request_are_refused(ctx: Context, client: TestClient) -> None:
    response = client.post(
        PROJECTS, json=_project(), headers=[(HEADER, "nyckel-1"), (HEADER, "nyckel-2")]
    )

    assert _problem(response, 422)["field"] == HEADER
    assert _created(ctx) == 0


def test_a_key_of_200_visible_characters_is_accepted(client: TestClient) -> None:
    key = "~!" * 100

    assert client.post(PROJECTS, json=_project(), headers={HEADER: key}).status_code == 201
    assert client.post(PROJECTS, json=_project(), headers={HEADER: key}).headers[REPLAYED]


# --- scope and passing through --------------------------------------------------------


def test_keys_belong_to_their_token(ctx: Context, client: TestClient) -> None:
    other_admin = api_client(ctx, "it.forvaltning@alingsas.se", admin=True)

    first = client.post(PROJECTS, json=_project(), headers={HEADER: KEY})
    second = other_admin.post(PROJECTS, json=_project("ibic-vargarda"), headers={HEADER: KEY})

    assert first.status_code == 201 and second.status_code == 201, second.text
    assert REPLAYED not in second.headers
    assert second.json()["key"] == "ibic-vargarda"
    assert _created(ctx) == 2
    assert {r.principal for r in _records(ctx)} == {_token_id(client), _token_id(other_admin)}


def test_a_get_with_the_header_passes_through(ctx: Context, client: TestClient) -> None:
    start_ibic(ctx)

    for _ in range(2):
        response = client.get(PROJECTS, headers={HEADER: KEY})
        assert response.status_code == 200
        assert REPLAYED not in response.headers
    assert client.get(PROJECTS, headers={HEADER: "inte en nyckel"}).status_code == 200
    assert _records(ctx) == []


def test_a_request_without_a_live_token_passes_through(ctx: Context, client: TestClient) -> None:
    anonymous = TestClient(client.app)
    forged = TestClient(
        client.app, headers={"Authorization": f"Bearer gk_{_token_id(client)}_{'x' * 43}"}
    )

    for caller in (anonymous, forged):
        for key in (KEY, "inte en nyckel"):
            response = caller.post(PROJECTS, json=_project(), headers={HEADER: key})
            assert _problem(response, 401)["detail"]
    assert _records(ctx) == []
    assert client.post(PROJECTS, json=_project(), headers={HEADER: KEY}).status_code == 201


# --- time -----------------------------------------------------------------------------


def test_after_24_hours_a_key_is_new_again(
    ctx: Context, client: TestClient, clock: FixedClock
) -> None:
    assert client.post(PROJECTS, json=_project(), headers={HEADER: KEY}).status_code == 201
    clock.advance(timedelta(hours=23, minutes=59))
    assert client.post(PROJECTS, json=_project(), headers={HEADER: KEY}).headers[REPLAYED]
    clock.advance(timedelta(minutes=1))

    again = client.post(PROJECTS, json=_project(), headers={HEADER: KEY})

    _problem(again, 409)  # run anew: the project exists already
    assert REPLAYED not in again.headers
    [record] = _records(ctx)  # the old record was replaced, not kept beside the new
    assert record.created_at == clock.now()
    assert record.status_code == 409
    other = client.post(PROJECTS, json=_project("ibic-vargarda"), headers={HEADER: KEY})
    assert _problem(other, 422)["field"] == HEADER  # the new record counts for 24 hours


def test_expired_keys_are_purged_when_the_token_claims_a_new_one(
    ctx: Context, client: TestClient, clock: FixedClock
) -> None:
    for number in range(3):
        body = _project(f"projekt-{number}")
        assert client.post(PROJECTS, json=body, headers={HEADER: f"k{number}"}).status_code == 201
    clock.advance(timedelta(days=1, seconds=1))

    client.post(PROJECTS, json=_project("projekt-nytt"), headers={HEADER: "k-ny"})

    assert [r.key for r in _records(ctx)] == ["k-ny"]


# --- failures and concurrency ---------------------------------------------------------


def test_an_error_frees_the_key(
    ctx: Context, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("databasen föll bort mitt i")

    careless = TestClient(client.app, raise_server_exceptions=False, headers=dict(client.headers))
    with monkeypatch.context() as patch:
        patch.setattr(project_service, "create_project", fail)
        _problem(careless.post(PROJECTS, json=_project(), headers={HEADER: KEY}), 500)
    assert _records(ctx) == []

    retry = client.post(PROJECTS, json=_project(), headers={HEADER: KEY})

    assert retry.status_code == 201, retry.text
    assert REPLAYED not in retry.headers
    assert _created(ctx) == 1


def test_an_answer_too_large_to_store_frees_the_key(
    ctx: Context, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idempotency, "MAX_STORED_BODY", 100)

    assert client.post(PROJECTS, json=_project(), headers={HEADER: KEY}).status_code == 201
    assert _records(ctx) == []

    _problem(client.post(PROJECTS, json=_project(), headers={HEADER: KEY}), 409)  # run anew


def test_a_key_still_being_answered_says_retry_later(
    ctx: Context, client: TestClient, clock: FixedClock
) -> None:
    body = _project()
    running = idempotency.claim(
        ctx,
        principal=_token_id(client),
        key=KEY,
        fingerprint=idempotency.Fingerprint.of("POST", PROJECTS, _sent(client, body)),
    )
    assert isinstance(running, idempotency.Claim)

    response = client.post(PROJECTS, json=body, headers={HEADER: KEY})

    problem = _problem(response, 409)
    assert "behandlas fortfarande" in problem["detail"]
    assert response.headers["Retry-After"] == "1"
    assert _created(ctx) == 0
    # A claim never answered within the lease belongs to a request that died: a retry
    # takes it over instead of waiting out the 24 hours.
    clock.advance(idempotency.IN_PROGRESS_LEASE)
    assert client.post(PROJECTS, json=body, headers={HEADER: KEY}).status_code == 201
    assert client.post(PROJECTS, json=body, headers={HEADER: KEY}).headers[REPLAYED] == "true"


def test_ten_simultaneous_retries_create_once(ctx: Context, client: TestClient) -> None:
    callers = [TestClient(client.app, headers=dict(client.headers)) for _ in range(10)]
    start = threading.Barrier(len(callers))
    answers: list[tuple[int, str | None, dict[str, Any]]] = []
    lock = threading.Lock()

    def post(caller: TestClient) -> None:
        start.wait()
        response = caller.post(PROJECTS, json=_project(), headers={HEADER: KEY})
        with lock:
            answers.append((response.status_code, response.headers.get(REPLAYED), response.json()))

    threads = [threading.Thread(target=post, args=(caller,)) for caller in callers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(answers) == 10
    firsts = [a for a in answers if a[0] == 201 and a[1] is None]
    replays = [a for a in answers if a[0] == 201 and a[1] == "true"]
    waits = [a for a in answers if a[0] == 409 and a[2]["detail"] == idempotency.IN_PROGRESS]
    assert len(firsts) == 1, answers
    assert len(firsts) + len(replays) + len(waits) == 10, answers
    assert all(replay[2] == firsts[0][2] for replay in replays)
    assert _created(ctx) == 1
    [record] = _records(ctx)
    assert record.status_code == 201
