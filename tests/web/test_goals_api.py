"""Goals, the nyttoregister and measurements over the API, on SQLite and PostgreSQL.

Created with Location and ETag, listed in pages, revised under If-Match (412
on a stale one), bad input answered with problem+json naming the field and
nothing saved, and a styrgrupp member reading but not writing.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.context import Context
from tests.factories import api_client, start_ibic
from tests.web.test_work_api import problem

KEY = "ibic-alingsas"
BASE = f"/api/v1/projects/{KEY}"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"

GOAL = {
    "kind": "effektmal",
    "key": "genomforandeplaner",
    "title": "Nya genomförandeplaner skrivs enligt IBIC",
    "indicator": "Andel nya genomförandeplaner enligt IBIC",
    "method": "Kontroll i verksamhetssystemet",
    "unit": "%",
    "baseline": "12",
    "baseline_on": "2026-06-30",
    "target": "95",
    "target_on": "2027-12-31",
    "responsible": "Anita Lindqvist",
    "measure_points": ["2027-01-31", "2026-10-31"],
}


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx, ANITA)


def _measure(client: TestClient, **fields: Any) -> Any:
    body = {"goal": "genomforandeplaner", "measured_on": "2026-10-31", "value": "41,5"}
    return client.post(f"{BASE}/measurements", json=body | fields)


def test_a_goal_is_created_with_location_and_etag_and_read_back(anita: TestClient) -> None:
    created = anita.post(f"{BASE}/goals", json=GOAL)

    assert created.status_code == 201, created.text
    goal = created.json()
    assert created.headers["Location"] == f"{BASE}/goals/genomforandeplaner"
    assert created.headers["ETag"] == '"1"'
    assert goal["kind_sv"] == "Effektmål"
    assert goal["measure_points"] == ["2026-10-31", "2027-01-31"]
    fetched = anita.get(created.headers["Location"])
    assert fetched.json() == goal


def test_a_nytta_and_a_delmal_under_a_goal_are_listed_in_order(anita: TestClient) -> None:
    assert anita.post(f"{BASE}/goals", json=GOAL).status_code == 201
    nytta = {
        "kind": "nytta",
        "title": "Mindre dubbeldokumentation",
        "baseline": "55",
        "target": "35",
        "responsible": "Karin Ek",
        "organisation": "Vård och omsorg",
    }
    delmal = {
        "kind": "delmal",
        "title": "Hemtjänstens planer klara",
        "parent": "genomforandeplaner",
    }
    assert anita.post(f"{BASE}/goals", json=nytta).status_code == 201
    assert anita.post(f"{BASE}/goals", json=delmal).status_code == 201

    listed = anita.get(f"{BASE}/goals").json()
    assert [(g["kind"], g["parent"]) for g in listed["items"]] == [
        ("effektmal", None),
        ("nytta", None),
        ("delmal", "genomforandeplaner"),
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"baseline": "tolv procent"}, "baseline"),
        ({"key": "Stora Bokstäver"}, "key"),
        ({"parent": "finns-inte"}, "parent"),
        ({"target_on": "2026-01-01"}, "target_on"),
    ],
)
def test_a_bad_goal_is_a_problem_naming_the_field(
    anita: TestClient, fields: dict[str, str], field: str
) -> None:
    problem(anita.post(f"{BASE}/goals", json=GOAL | fields), 422, field)
    assert anita.get(f"{BASE}/goals").json()["items"] == []


def test_a_measurement_is_recorded_and_listed_per_goal(anita: TestClient) -> None:
    anita.post(f"{BASE}/goals", json=GOAL)

    created = _measure(anita, source="Verksamhetssystemet", comment="Återkopplat.")

    assert created.status_code == 201, created.text
    assert created.json()["value"] == "41,5"
    assert created.headers["Location"] == f"{BASE}/measurements/{created.json()['id']}"
    listed = anita.get(f"{BASE}/measurements", params={"goal": "genomforandeplaner"}).json()
    assert [m["value"] for m in listed["items"]] == ["41,5"]
    assert anita.get(f"{BASE}/measurements", params={"goal": "okand"}).status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": "ungefär 40"}, "value"),
        ({"goal": "okand-indikator"}, "goal"),
        ({"measured_on": "2030-01-01"}, "measured_on"),
    ],
)
def test_a_bad_measurement_is_a_problem_naming_the_field_and_nothing_is_saved(
    anita: TestClient, fields: dict[str, str], field: str
) -> None:
    anita.post(f"{BASE}/goals", json=GOAL)

    body = problem(_measure(anita, **fields), 422, field)

    assert body["detail"]
    assert anita.get(f"{BASE}/measurements").json()["items"] == []


def test_a_stale_if_match_is_refused_with_412_for_goals_and_measurements(anita: TestClient) -> None:
    url = anita.post(f"{BASE}/goals", json=GOAL).headers["Location"]
    assert anita.patch(url, json={"target": "90"}, headers={"If-Match": '"1"'}).is_success
    problem(anita.patch(url, json={"target": "80"}, headers={"If-Match": '"1"'}), 412)
    assert anita.get(url).json()["target"] == "90"

    m_url = _measure(anita).headers["Location"]
    fixed = anita.patch(m_url, json={"value": "42"}, headers={"If-Match": '"1"'})
    assert fixed.status_code == 200 and fixed.headers["ETag"] == '"2"'
    problem(anita.patch(m_url, json={"value": "43"}, headers={"If-Match": '"1"'}), 412)


def test_a_patch_takes_a_delmal_out_from_under_its_goal_with_parent_null(anita: TestClient) -> None:
    anita.post(f"{BASE}/goals", json=GOAL)
    delmal = {
        "kind": "delmal",
        "title": "Hemtjänsten klar",
        "key": "hemtjanst",
        "parent": "genomforandeplaner",
    }
    anita.post(f"{BASE}/goals", json=delmal)

    moved = anita.patch(f"{BASE}/goals/hemtjanst", json={"parent": None})

    assert moved.status_code == 200, moved.text
    assert moved.json()["parent"] is None


def test_a_styrgrupp_member_reads_goals_but_may_not_write(anita: TestClient, ctx: Context) -> None:
    anita.post(f"{BASE}/goals", json=GOAL)
    lars = api_client(ctx, LARS)

    assert lars.get(f"{BASE}/goals").status_code == 200
    problem(lars.post(f"{BASE}/goals", json=GOAL | {"key": "annat"}), 403)
    problem(_measure(lars), 403)
    assert anita.get(f"{BASE}/measurements").json()["items"] == []
