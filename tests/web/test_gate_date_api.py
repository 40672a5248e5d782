"""The API of moving a gate's date: preview, move with shift_later, refusals in problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.context import Context
from gatekeeper.web.app import API_PREFIX
from tests.factories import PROJEKTLEDARE, api_client, start_ibic

BASE = f"{API_PREFIX}/projects/ibic-alingsas/gates"


@pytest.fixture
def client(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx, PROJEKTLEDARE.id, name=PROJEKTLEDARE.name)


def _targets(client: TestClient) -> dict[str, Any]:
    response = client.get(f"{API_PREFIX}/projects/ibic-alingsas")
    assert response.status_code == 200, response.text
    return dict(response.json()["gate_targets"])


def test_preview_then_move_with_the_later_gates(client: TestClient) -> None:
    preview = client.get(
        f"{BASE}/go-live/target/preview", params={"date": "2027-10-01", "shift_later": "true"}
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert [(m["gate_id"], m["old"], m["new"]) for m in body["moves"]] == [
        ("go-live", "2027-09-01", "2027-10-01"),
        ("driftoverlamning-godkand", "2027-12-01", "2027-12-31"),
    ]
    assert body["deadlines"] and body["reminders"] > 0
    assert _targets(client)["go-live"] == "2027-09-01"

    moved = client.put(
        f"{BASE}/go-live/target",
        json={
            "target_date": "2027-10-01",
            "shift_later": True,
            "dates_version": body["dates_version"],
        },
    )
    assert moved.status_code == 200, moved.text
    targets = _targets(client)
    assert (targets["go-live"], targets["driftoverlamning-godkand"]) == (
        "2027-10-01",
        "2027-12-31",
    )

    again = client.put(
        f"{BASE}/go-live/target",
        json={"target_date": "2027-11-01", "dates_version": body["dates_version"]},
    )
    assert again.status_code == 412, again.text
    assert again.headers["content-type"].startswith("application/problem+json")
    assert _targets(client)["go-live"] == "2027-10-01"


def test_a_move_that_would_invert_a_phase_is_refused_naming_the_gates(client: TestClient) -> None:
    for response in (
        client.put(f"{BASE}/go-live/target", json={"target_date": "2028-02-01"}),
        client.get(f"{BASE}/go-live/target/preview", params={"date": "2028-02-01"}),
    ):
        assert response.status_code == 422, response.text
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["field"] == "target_date"
        assert [g["name"] for g in problem["gates"]] == [
            "Go-live / driftstart",
            "Driftöverlämning godkänd",
        ]
        assert problem["gates"][1]["target_date"] == "2027-12-01"
    assert _targets(client)["go-live"] == "2027-09-01"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("go-live/target/preview", {"date": "not-a-date"}),
        ("go-live/target/preview", {}),
        ("no-such-gate/target/preview", {"date": "2027-10-01"}),
    ],
)
def test_bad_preview_input_is_refused(client: TestClient, url: str, params: dict[str, str]) -> None:
    response = client.get(f"{BASE}/{url}", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["field"] in {"date", "gate_id"}


def test_bad_move_input_is_refused(client: TestClient) -> None:
    for body in ({"target_date": "2027-10-01", "shift_later": "kanske"}, {"shift_later": True}):
        response = client.put(f"{BASE}/go-live/target", json=body)
        assert response.status_code == 422, response.text


def test_a_read_only_token_may_preview_but_not_move(ctx: Context) -> None:
    start_ibic(ctx)
    reader = api_client(ctx, "lars.carlsson@alingsas.se", scope="read")
    preview = reader.get(f"{BASE}/go-live/target/preview", params={"date": "2027-10-01"})
    assert preview.status_code == 200, preview.text
    moved = reader.put(f"{BASE}/go-live/target", json={"target_date": "2027-10-01"})
    assert moved.status_code == 403, moved.text


def test_a_project_posted_with_dates_out_of_order_is_refused(ctx: Context) -> None:
    admin = api_client(ctx)
    response = admin.post(
        f"{API_PREFIX}/projects",
        json={
            "key": "ibic-alingsas",
            "name": "Införande av IBIC",
            "workflow_id": "inforande",
            "started_on": "2026-09-01",
            "gate_targets": {"go-live": "2027-02-01", "driftoverlamning-godkand": "2027-01-28"},
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "gate_targets"
    assert admin.get(f"{API_PREFIX}/projects/ibic-alingsas").status_code == 404
