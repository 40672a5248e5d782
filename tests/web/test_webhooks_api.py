"""The webhook routes under /api/v1, on SQLite and PostgreSQL: who may do what, and errors."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.audit import webhook_dispatch, webhook_sender
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.audit.outbox import iso_utc
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.web.app import API_PREFIX
from tests.apps import app_for
from tests.factories import PROJEKTLEDARE, api_client, start_ibic

KEY = "ibic-alingsas"
HOOKS = f"{API_PREFIX}/projects/{KEY}/webhooks"
PROBLEM = "application/problem+json"
URL = "https://intranat.alingsas.se/hooks/gatekeeper"


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    """The projektledare, a member, with a write token."""
    start_ibic(ctx)
    return api_client(ctx, PROJEKTLEDARE.id)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def _create(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(HOOKS, json={"url": URL, **body})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


class _Ok:
    def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str]
    ) -> webhook_sender.SendResult:
        return webhook_sender.SendResult(status_code=200)


class _Down:
    def __call__(
        self, url: str, body: bytes, headers: Mapping[str, str]
    ) -> webhook_sender.SendResult:
        return webhook_sender.SendResult(status_code=502, error="HTTP 502 Bad Gateway")


def test_a_member_subscribes_and_sees_the_secret_once(anita: TestClient) -> None:
    response = anita.post(HOOKS, json={"url": URL, "event_types": ["gate.decided"]})

    assert response.status_code == 201, response.text
    created = response.json()
    assert created["url"] == URL
    assert created["event_types"] == ["gate.decided"]
    assert created["active"] is True
    assert created["created_by"].startswith("token:")
    assert created["created_by"].endswith("/anita.lindqvist@alingsas.se")
    assert created["created_at"] == "2026-11-25T09:00:00Z"
    assert len(created["secret"]) >= 40
    assert response.headers["Location"].endswith(f"/webhooks/{created['id']}/deliveries")

    listed = anita.get(HOOKS)
    assert listed.status_code == 200
    assert listed.json() == {
        "items": [{k: v for k, v in created.items() if k != "secret"}],
        "next_cursor": None,
    }
    assert created["secret"] not in listed.text
    deliveries = anita.get(f"{HOOKS}/{created['id']}/deliveries")
    assert created["secret"] not in deliveries.text


def test_a_given_secret_is_used(anita: TestClient) -> None:
    created = _create(anita, secret="vår-egen-hemlighet-för-intranätet")

    assert created["secret"] == "vår-egen-hemlighet-för-intranätet"


def test_subscriptions_page_with_a_cursor(anita: TestClient) -> None:
    ids = [_create(anita, event_types=[event.value])["id"] for event in list(EventName)[:3]]

    first = anita.get(HOOKS, params={"limit": 2}).json()
    second = anita.get(HOOKS, params={"limit": 2, "cursor": first["next_cursor"]}).json()

    assert [h["id"] for h in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None


def test_deleting_a_subscription_answers_204_and_then_404(anita: TestClient) -> None:
    created = _create(anita)

    assert anita.delete(f"{HOOKS}/{created['id']}").status_code == 204

    assert anita.get(HOOKS).json()["items"] == []
    _problem(anita.delete(f"{HOOKS}/{created['id']}"), 404)
    _problem(anita.delete(f"{HOOKS}/999999"), 404)


def test_the_delivery_log_shows_attempts_outcomes_and_pages(
    ctx: Context, anita: TestClient
) -> None:
    created = _create(anita, event_types=["risk.created"])
    for title in ("Utbildningen hinns inte med", "Leverantören levererar sent"):
        risks.add_risk(
            ctx, PROJEKTLEDARE, project_key=KEY, title=title, probability=2, consequence=3
        )
    webhook_dispatch.dispatch_due(ctx, sender=_Down(), limit=1)
    webhook_dispatch.dispatch_due(ctx, sender=_Ok(), limit=1)
    log_url = f"{HOOKS}/{created['id']}/deliveries"

    newest, older = anita.get(log_url).json()["items"]

    assert older["event"] == newest["event"] == "risk.created"
    assert newest["event_id"] == older["event_id"] + 1
    assert older | {"id": 0, "event_id": 0} == {
        "id": 0,
        "event_id": 0,
        "event": "risk.created",
        "status": "pending",
        "attempts": 1,
        "next_attempt_at": "2026-11-25T09:01:00Z",
        "last_status_code": 502,
        "last_error": "HTTP 502 Bad Gateway",
        "delivered_at": None,
        "created_at": "2026-11-25T09:00:00Z",
    }
    assert (newest["status"], newest["attempts"], newest["last_status_code"]) == (
        "delivered",
        1,
        200,
    )
    assert newest["delivered_at"] == "2026-11-25T09:00:00Z"
    assert newest["next_attempt_at"] is None

    page = anita.get(log_url, params={"limit": 1}).json()
    rest = anita.get(log_url, params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert [d["id"] for d in page["items"] + rest["items"]] == [newest["id"], older["id"]]
    assert rest["next_cursor"] is None
    pending = anita.get(log_url, params={"status": "pending"}).json()["items"]
    assert [d["id"] for d in pending] == [older["id"]]
    body = _problem(anita.get(log_url, params={"cursor": "abc"}), 422)
    assert body["field"] == "cursor"
    _problem(anita.get(log_url, params={"status": "lost"}), 422)


def test_the_log_of_a_subscription_that_does_not_exist_is_404(anita: TestClient) -> None:
    _problem(anita.get(f"{HOOKS}/424242/deliveries"), 404)


def test_a_non_member_sees_no_project(ctx: Context, anita: TestClient) -> None:
    created = _create(anita)
    stranger = api_client(ctx, "okand.person@lerum.se")

    _problem(stranger.get(HOOKS), 404)
    _problem(stranger.post(HOOKS, json={"url": URL}), 404)
    _problem(stranger.delete(f"{HOOKS}/{created['id']}"), 404)
    _problem(stranger.get(f"{HOOKS}/{created['id']}/deliveries"), 404)
    assert len(anita.get(HOOKS).json()["items"]) == 1


def test_a_read_only_token_lists_but_may_not_change(ctx: Context, anita: TestClient) -> None:
    created = _create(anita)
    reader = api_client(ctx, PROJEKTLEDARE.id, scope="read")

    assert reader.get(HOOKS).status_code == 200
    assert reader.get(f"{HOOKS}/{created['id']}/deliveries").status_code == 200
    _problem(reader.post(HOOKS, json={"url": URL}), 403)
    _problem(reader.delete(f"{HOOKS}/{created['id']}"), 403)
    assert len(anita.get(HOOKS).json()["items"]) == 1


def test_subscriptions_of_another_project_are_not_reachable(
    ctx: Context, anita: TestClient
) -> None:
    start_ibic(ctx, key="ibic-lerum")
    admin = api_client(ctx)
    other = admin.post(f"{API_PREFIX}/projects/ibic-lerum/webhooks", json={"url": URL}).json()

    _problem(anita.delete(f"{HOOKS}/{other['id']}"), 404)
    _problem(anita.get(f"{HOOKS}/{other['id']}/deliveries"), 404)


@pytest.mark.parametrize(
    "url", ["intranat.alingsas.se/hook", "ftp://intranat.alingsas.se/", "https://", ""]
)
def test_a_bad_url_is_a_422_naming_the_field(anita: TestClient, url: str) -> None:
    body = _problem(anita.post(HOOKS, json={"url": url}), 422)

    assert body["field"] == "url"
    assert anita.get(HOOKS).json()["items"] == []


def test_an_unknown_event_type_is_a_422_listing_the_known_ones(anita: TestClient) -> None:
    response = anita.post(HOOKS, json={"url": URL, "event_types": ["gate.decided", "gate.boom"]})

    body = _problem(response, 422)
    assert body["field"] == "event_types"
    assert "gate.boom" in body["detail"]
    assert "phase.changed" in body["detail"] and "checklist.item.updated" in body["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"url": URL, "secret": "kort"},
        {"url": URL, "hemlig": True},
        {"url": URL, "event_types": "gate.decided"},
        {},
    ],
)
def test_a_malformed_body_is_a_422(anita: TestClient, body: dict[str, Any]) -> None:
    _problem(anita.post(HOOKS, json=body), 422)


def test_without_a_token_it_is_401(ctx: Context) -> None:
    start_ibic(ctx)

    _problem(TestClient(app_for(ctx)).get(HOOKS), 401)


# --- egress rules and masking (issue 16, findings 2 and 4) ---------------------------------


def test_a_url_with_user_and_password_is_a_422_that_does_not_repeat_them(
    anita: TestClient,
) -> None:
    url = "https://bot:hemligt-lösen@intranat.alingsas.se/hooks/gatekeeper"

    body = _problem(anita.post(HOOKS, json={"url": url}), 422)

    assert body["field"] == "url"
    assert "hemligt-lösen" not in str(body)
    assert anita.get(HOOKS).json()["items"] == []


def test_internal_addresses_and_plain_http_are_a_422_naming_the_field(anita: TestClient) -> None:
    for url in [
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://10.0.0.1/hook",
        "https://192.168.0.1/hook",
        "https://172.16.0.1/hook",
        "https://2130706433/hook",
        "https://0x7f000001/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "http://intranat.alingsas.se/hooks/gatekeeper",
    ]:
        body = _problem(anita.post(HOOKS, json={"url": url}), 422)
        assert body["field"] == "url", url

    assert anita.get(HOOKS).json()["items"] == []


def test_a_reader_sees_the_url_masked_and_a_writer_in_full(ctx: Context, anita: TestClient) -> None:
    url = "https://hooks.example.se/services/T000/B000/hemligdel?key=nyckel123"
    _create(anita, url=url)
    reader = api_client(ctx, PROJEKTLEDARE.id, scope="read")

    shown = reader.get(HOOKS)

    assert shown.status_code == 200
    assert [h["url"] for h in shown.json()["items"]] == [
        "https://hooks.example.se/services/***?key=***"
    ]
    assert "hemligdel" not in shown.text and "nyckel123" not in shown.text
    assert [h["url"] for h in anita.get(HOOKS).json()["items"]] == [url]


# --- re-sending a dead delivery ----------------------------------------------------------


def _dead_delivery(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A subscription to `risk.created` and its one delivery, dead after two attempts."""
    created = _create(anita, event_types=["risk.created"])
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Leverantören levererar sent",
        probability=2,
        consequence=3,
    )
    for _ in range(2):
        webhook_dispatch.dispatch_due(ctx, sender=_Down(), max_attempts=2)
        clock.advance(timedelta(hours=6))
    [dead] = anita.get(f"{HOOKS}/{created['id']}/deliveries").json()["items"]
    assert (dead["status"], dead["attempts"]) == ("dead", 2)
    return created, dead


def _requeued(ctx: Context) -> list[AuditEvent]:
    return [
        event
        for event in audit_log.list_events(ctx, project_key=KEY, limit=500)
        if event.action == EventName.WEBHOOK_DELIVERY_REQUEUED
    ]


def test_a_dead_delivery_is_sent_again_with_its_attempts_reset_and_audited(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> None:
    created, dead = _dead_delivery(ctx, anita, clock)
    resend = f"{HOOKS}/{created['id']}/deliveries/{dead['id']}/resend"

    response = anita.post(resend)

    assert response.status_code == 200, response.text
    again = response.json()
    assert (again["id"], again["event_id"]) == (dead["id"], dead["event_id"])
    assert (again["status"], again["attempts"], again["last_error"]) == ("pending", 0, None)
    assert again["next_attempt_at"] == iso_utc(ctx.clock.now())
    [event] = _requeued(ctx)
    assert event.object_type == "webhook_delivery" and event.object_id == str(dead["id"])
    assert event.before == {
        "subscription_id": created["id"],
        "status": "dead",
        "attempts": 2,
        "last_error": "HTTP 502 Bad Gateway",
    }
    assert event.after == {
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": iso_utc(ctx.clock.now()),
    }
    report = webhook_dispatch.dispatch_due(ctx, sender=_Ok())
    assert (report.claimed, report.delivered) == (1, 1)
    [delivered] = anita.get(f"{HOOKS}/{created['id']}/deliveries").json()["items"]
    assert (delivered["status"], delivered["attempts"]) == ("delivered", 1)


def test_resending_what_is_not_dead_is_a_409_and_changes_nothing(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> None:
    created, dead = _dead_delivery(ctx, anita, clock)
    resend = f"{HOOKS}/{created['id']}/deliveries/{dead['id']}/resend"
    assert anita.post(resend).status_code == 200

    body = _problem(anita.post(resend), 409)  # pending now

    assert "inte död" in body["detail"]
    webhook_dispatch.dispatch_due(ctx, sender=_Ok())
    _problem(anita.post(resend), 409)  # delivered
    assert len(_requeued(ctx)) == 1


def test_resending_an_unknown_delivery_is_a_404(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> None:
    created, dead = _dead_delivery(ctx, anita, clock)
    other = _create(anita)

    unknown = _problem(anita.post(f"{HOOKS}/{created['id']}/deliveries/424242/resend"), 404)
    assert "Leveransen 424242 finns inte" in unknown["detail"]
    elsewhere = _problem(anita.post(f"{HOOKS}/{other['id']}/deliveries/{dead['id']}/resend"), 404)
    assert f"Leveransen {dead['id']} finns inte" in elsewhere["detail"]
    _problem(anita.post(f"{HOOKS}/424242/deliveries/{dead['id']}/resend"), 404)


def test_a_delivery_of_a_removed_subscription_is_not_sent_again(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> None:
    created, dead = _dead_delivery(ctx, anita, clock)
    assert anita.delete(f"{HOOKS}/{created['id']}").status_code == 204

    body = _problem(anita.post(f"{HOOKS}/{created['id']}/deliveries/{dead['id']}/resend"), 409)

    assert "borttagen" in body["detail"]


def test_a_read_only_token_may_not_resend(
    ctx: Context, anita: TestClient, clock: FixedClock
) -> None:
    created, dead = _dead_delivery(ctx, anita, clock)
    reader = api_client(ctx, PROJEKTLEDARE.id, scope="read")

    _problem(reader.post(f"{HOOKS}/{created['id']}/deliveries/{dead['id']}/resend"), 403)

    [still] = anita.get(f"{HOOKS}/{created['id']}/deliveries").json()["items"]
    assert still["status"] == "dead"
