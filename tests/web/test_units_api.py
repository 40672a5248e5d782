"""A rollout over the API: waves, units, import, unit checklists and bulk ticks."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.context import Context
from tests.factories import api_client
from tests.rollout_factories import (
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    kommun_email,
    rollout_csv,
    start_rollout,
)

BASE = f"/api/v1/projects/{ROLLOUT_KEY}"
PROBLEM = "application/problem+json"
EVIDENCE = "https://intranat.boras.se/inforande/deltagarlista.xlsx"


@pytest.fixture
def karin(ctx: Context) -> TestClient:
    start_rollout(ctx, kommuner=2, units_per_kommun=2)
    return api_client(ctx, PROJEKTLEDARE.id)


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    if field is not None:
        assert body.get("field") == field, body
    return body


def test_waves_are_listed_created_and_postponed_with_etags(karin: TestClient) -> None:
    listed = karin.get(f"{BASE}/waves").json()
    assert [w["key"] for w in listed["items"]] == ["vag-1", "vag-2", "vag-3"]

    created = karin.post(
        f"{BASE}/waves", json={"key": "vag-4", "name": "Våg 4", "go_live_on": "2028-01-10"}
    )
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"{BASE}/waves/vag-4"
    assert created.headers["ETag"] == '"1"'
    assert created.json()["position"] == 4

    moved = karin.patch(
        f"{BASE}/waves/vag-4", json={"go_live_on": "2028-02-07"}, headers={"If-Match": '"1"'}
    )
    assert moved.status_code == 200 and moved.headers["ETag"] == '"2"'
    problem(
        karin.patch(f"{BASE}/waves/vag-4", json={"name": "x"}, headers={"If-Match": '"1"'}), 412
    )
    problem(
        karin.post(f"{BASE}/waves", json={"key": "vag-4", "name": "x", "go_live_on": "2028-01-01"}),
        409,
    )
    problem(karin.get(f"{BASE}/waves/vag-9"), 404)


def test_units_are_added_listed_moved_and_removed(karin: TestClient) -> None:
    added = karin.post(
        f"{BASE}/units",
        json={
            "key": "boras-hemtjanst-vaster",
            "name": "Hemtjänst Väster",
            "kind": "enhet",
            "parent_key": "boras-vo",
            "responsible_email": "lena.hjalmarsson@boras.se",
        },
    )
    assert added.status_code == 201, added.text
    unit = added.json()
    assert unit["wave_key"] == "vag-1" and unit["depth"] == 2 and unit["parent_key"] == "boras-vo"
    assert unit["items_total"] > 0 and unit["items_done"] == 0

    page = karin.get(f"{BASE}/units", params={"wave": "vag-1", "limit": 3}).json()
    assert page["items"][0]["key"] == "boras" and page["next_cursor"]

    problem(
        karin.post(f"{BASE}/units/boras-vo/move", json={"wave_key": "vag-2"}), 422, "motivation"
    )
    moved = karin.post(
        f"{BASE}/units/boras-vo/move",
        json={"wave_key": "vag-2", "motivation": "Utbildningen hinns inte med."},
        headers={"If-Match": '"1"'},
    )
    assert moved.status_code == 200 and moved.json()["wave_key"] == "vag-2"
    assert karin.get(f"{BASE}/units/boras-hemtjanst-vaster").json()["wave_key"] == "vag-2"

    problem(karin.delete(f"{BASE}/units/boras-vo"), 409)
    assert karin.delete(f"{BASE}/units/boras-vo", params={"with_children": True}).status_code == 204
    problem(karin.get(f"{BASE}/units/boras-vo"), 404)
    problem(karin.post(f"{BASE}/units", json={"key": "x", "name": "X", "kind": "by"}), 422, "kind")


def test_unit_checklist_is_read_and_ticked_with_if_match(karin: TestClient) -> None:
    items = karin.get(f"{BASE}/units/boras-hemtjanst-norr/items").json()["items"]
    training = next(i for i in items if i["item_id"] == "utbildning-genomford")
    assert training["due_on"] == "2027-02-15" and training["evidence_required"]

    url = f"{BASE}/units/boras-hemtjanst-norr/items/utbildning-genomford"
    problem(karin.patch(url, json={"status": "done"}), 422, "evidence")
    ticked = karin.patch(
        url, json={"status": "done", "evidence": EVIDENCE}, headers={"If-Match": '"1"'}
    )
    assert ticked.status_code == 200, ticked.text
    assert ticked.json()["status"] == "done" and ticked.headers["ETag"] == '"2"'
    problem(karin.patch(url, json={"status": "open"}, headers={"If-Match": '"1"'}), 412)
    assert karin.get(url).headers["ETag"] == '"2"'
    problem(karin.get(f"{BASE}/units/boras-hemtjanst-norr/items/finns-inte"), 404)


def test_bulk_tick_answers_per_unit(ctx: Context, karin: TestClient) -> None:
    # The införandeansvarig needs a seat in the project to reach it through the API.
    admin = api_client(ctx)
    seat = {
        "name": "Införandeansvarig Borås",
        "email": kommun_email("Borås"),
        "role": "inforandeansvarig",
    }
    assert admin.post(f"{BASE}/members", json=seat).status_code == 201
    boras = api_client(ctx, kommun_email("Borås"))

    answer = boras.post(
        f"{BASE}/unit-items/utbildning-genomford/bulk",
        json={
            "unit_keys": [
                "boras-hemtjanst-norr",
                "boras-hemtjanst-soder",
                "alingsas-hemtjanst-norr",
            ],
            "status": "done",
            "evidence": EVIDENCE,
        },
    )

    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["done"] == ["boras-hemtjanst-norr", "boras-hemtjanst-soder"]
    assert [r["unit_key"] for r in result["refused"]] == ["alingsas-hemtjanst-norr"]
    assert result["refused"][0]["reason"]
    problem(
        boras.post(
            f"{BASE}/unit-items/finns-inte/bulk", json={"unit_keys": ["boras"], "status": "done"}
        ),
        404,
    )
    problem(
        boras.post(
            f"{BASE}/unit-items/behorigheter/bulk", json={"unit_keys": [], "status": "done"}
        ),
        422,
    )


def test_import_answers_every_bad_row_or_imports_all(karin: TestClient) -> None:
    bad = "nyckel;namn;typ;överordnad;våg\nlerum;Lerum;kommun;;vag-9\nboras;Borås;kommun;;\n"
    refused = karin.post(
        f"{BASE}/units/import", files={"file": ("enheter.csv", bad.encode("cp1252"), "text/csv")}
    )
    body = problem(refused, 422, "file")
    assert [e["row"] for e in body["errors"]] == [2, 3]
    assert body["errors"][0]["message"].startswith("rad 2: ")
    assert "vag-9" in body["detail"]

    csv_file = rollout_csv(5, 3).decode("utf-8-sig")
    fresh = "\r\n".join(
        line for line in csv_file.split("\r\n") if not line.startswith(("boras", "alingsas"))
    )
    imported = karin.post(
        f"{BASE}/units/import",
        files={"file": ("enheter.csv", fresh.encode("utf-8-sig"), "text/csv")},
    )
    assert imported.status_code == 201, imported.text
    assert imported.json()["units"] == 3 * (1 + 2 + 3)  # kommun, förvaltningar, enheter


def test_readers_and_non_members_are_kept_out(ctx: Context, karin: TestClient) -> None:
    reader = api_client(ctx, PROJEKTLEDARE.id, scope="read")
    problem(
        reader.post(
            f"{BASE}/waves", json={"key": "vag-4", "name": "V", "go_live_on": "2028-01-01"}
        ),
        403,
    )
    outsider = api_client(ctx, "kalle.nilsson@boras.se")
    problem(outsider.get(f"{BASE}/units"), 404)
    styrgrupp = api_client(ctx, "bengt.nilsson@vgregion.se")
    body = problem(
        styrgrupp.post(
            f"{BASE}/units", json={"key": "ale", "name": "Ale kommun", "kind": "kommun"}
        ),
        403,
    )
    assert "projektledaren" in body["detail"]
