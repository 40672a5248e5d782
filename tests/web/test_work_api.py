"""Risks, the aktivitetsplan and named decisions over the API, on SQLite and PostgreSQL.

Each test starts its own project on the `ctx` fixture; nothing is shared.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.clock import FixedClock
from gatekeeper.services.context import Context
from tests.factories import api_client, start_ibic

KEY = "ibic-alingsas"
BASE = f"/api/v1/projects/{KEY}"
ANITA = "anita.lindqvist@alingsas.se"
PROBLEM = "application/problem+json"


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx, ANITA)


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The problem document of `response`, after checking its status and field."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


def _risk(client: TestClient, **fields: Any) -> Any:
    body = {"title": "Verksamheten hinner inte utbilda", "probability": 3, "consequence": 2}
    return client.post(f"{BASE}/risks", json=body | fields)


# --- risks ------------------------------------------------------------------------------


def test_a_risk_is_created_with_location_etag_and_score(anita: TestClient) -> None:
    created = _risk(anita, mitigation="Två utbildningsomgångar", owner="Anita Lindqvist")

    assert created.status_code == 201, created.text
    risk = created.json()
    assert risk["score"] == 6 and risk["status"] == "open" and risk["status_sv"] == "Öppen"
    assert created.headers["Location"] == f"{BASE}/risks/{risk['id']}"
    assert created.headers["ETag"] == '"1"'

    fetched = anita.get(created.headers["Location"])
    assert fetched.status_code == 200
    assert fetched.json() == risk
    assert fetched.headers["ETag"] == '"1"'


def test_risks_list_highest_score_first_in_pages(anita: TestClient) -> None:
    for probability in (1, 4, 2):
        assert _risk(anita, title=f"Risk {probability}", probability=probability).status_code == 201

    first = anita.get(f"{BASE}/risks", params={"limit": 2}).json()
    assert [r["score"] for r in first["items"]] == [8, 4]
    assert first["next_cursor"]
    second = anita.get(f"{BASE}/risks", params={"limit": 2, "cursor": first["next_cursor"]})
    assert [r["score"] for r in second.json()["items"]] == [2]
    assert second.json()["next_cursor"] is None


def test_patch_with_the_current_etag_rescores_and_bumps_the_version(anita: TestClient) -> None:
    risk = _risk(anita).json()

    patched = anita.patch(
        f"{BASE}/risks/{risk['id']}",
        json={"probability": 1, "status": "accepted"},
        headers={"If-Match": '"1"'},
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["score"] == 2 and patched.json()["status"] == "accepted"
    assert patched.headers["ETag"] == '"2"'
    assert patched.json()["row_version"] == 2


def test_patch_on_a_stale_etag_is_refused_with_412(anita: TestClient) -> None:
    risk = _risk(anita).json()
    url = f"{BASE}/risks/{risk['id']}"
    assert anita.patch(url, json={"owner": "Jonas Berg"}, headers={"If-Match": '"1"'}).is_success

    stale = anita.patch(url, json={"consequence": 4}, headers={"If-Match": '"1"'})

    body = problem(stale, 412)
    assert "ändrats av någon annan" in body["detail"]
    assert anita.get(url).json()["consequence"] == 2


def test_a_malformed_if_match_is_a_422_naming_the_header(anita: TestClient) -> None:
    risk = _risk(anita).json()
    response = anita.patch(
        f"{BASE}/risks/{risk['id']}", json={"owner": "x"}, headers={"If-Match": "senaste"}
    )
    problem(response, 422, "If-Match")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"probability": 5}, "probability"),
        ({"consequence": 0}, "consequence"),
        ({"probability": "hög"}, "probability"),
        ({"title": ""}, "title"),
        ({"colour": "röd"}, "colour"),
        ({"mitigation": ["a", "b"]}, "mitigation"),
    ],
)
def test_bad_risk_input_is_a_422_naming_the_field(
    anita: TestClient, fields: dict[str, Any], field: str
) -> None:
    problem(_risk(anita, **fields), 422, field)


def test_bad_risk_update_is_a_422_naming_the_field(anita: TestClient) -> None:
    risk = _risk(anita).json()
    url = f"{BASE}/risks/{risk['id']}"
    problem(anita.patch(url, json={"probability": 5}), 422, "probability")
    problem(anita.patch(url, json={"status": "glömd"}), 422, "status")
    problem(anita.patch(url, json={"title": ""}), 422, "title")
    problem(anita.patch(url, json={"colour": "röd"}), 422, "colour")


def test_a_risk_of_another_project_is_not_found(ctx: Context, anita: TestClient) -> None:
    start_ibic(ctx, key="ibic-lerum")
    other = anita.post(
        "/api/v1/projects/ibic-lerum/risks",
        json={"title": "Lerums risk", "probability": 2, "consequence": 2},
    ).json()

    problem(anita.get(f"{BASE}/risks/{other['id']}"), 404)
    problem(anita.patch(f"{BASE}/risks/{other['id']}", json={"owner": "x"}), 404)


def test_a_member_with_a_read_token_reads_but_does_not_record(
    ctx: Context, anita: TestClient
) -> None:
    _risk(anita)
    reader = api_client(ctx, "jonas.berg@alingsas.se", scope="read")

    assert len(reader.get(f"{BASE}/risks").json()["items"]) == 1
    problem(_risk(reader), 403)


# --- activities -------------------------------------------------------------------------


def _activity(client: TestClient, **fields: Any) -> Any:
    body = {"title": "Utbildning av ombud", "start": "2027-03-01", "end": "2027-04-30"}
    return client.post(f"{BASE}/activities", json=body | fields)


def test_an_activity_is_created_read_and_updated_with_etags(anita: TestClient) -> None:
    created = _activity(anita, responsible="Jonas Berg")
    assert created.status_code == 201, created.text
    activity = created.json()
    assert activity["status"] == "not_started" and activity["status_sv"] == "Ej påbörjat"
    assert created.headers["Location"] == f"{BASE}/activities/{activity['id']}"
    assert anita.get(created.headers["Location"]).headers["ETag"] == '"1"'

    patched = anita.patch(
        created.headers["Location"],
        json={"status": "in_progress", "end": "2027-05-31"},
        headers={"If-Match": '"1"'},
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["status"] == "in_progress" and patched.json()["end"] == "2027-05-31"
    assert patched.headers["ETag"] == '"2"'


def test_activities_come_in_date_order_undated_last(anita: TestClient) -> None:
    _activity(anita, title="Utan datum", start=None, end=None)
    _activity(anita, title="Sent", start="2027-06-01", end=None)
    _activity(anita, title="Tidigt", start="2027-01-10", end="2027-01-20")

    items = anita.get(f"{BASE}/activities").json()["items"]

    assert [a["title"] for a in items] == ["Tidigt", "Sent", "Utan datum"]


def test_an_activity_ending_before_it_starts_is_a_422_on_end(anita: TestClient) -> None:
    problem(_activity(anita, start="2027-05-01", end="2027-04-01"), 422, "end")

    activity = _activity(anita).json()
    body = problem(
        anita.patch(f"{BASE}/activities/{activity['id']}", json={"end": "2027-02-01"}), 422, "end"
    )
    assert "före den börjar" in body["detail"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": "1 mars"}, "start"),
        ({"status": "klar"}, "status"),
        ({"title": None}, "title"),
        ({"ansvarig": "Jonas"}, "ansvarig"),
    ],
)
def test_bad_activity_input_is_a_422_naming_the_field(
    anita: TestClient, fields: dict[str, Any], field: str
) -> None:
    problem(_activity(anita, **fields), 422, field)


def test_an_activity_patch_on_a_stale_etag_is_412(anita: TestClient) -> None:
    activity = _activity(anita).json()
    url = f"{BASE}/activities/{activity['id']}"
    assert anita.patch(url, json={"status": "done"}).is_success  # no If-Match: last write wins

    stale = {"status": "postponed", "postponed_to": "2027-03-01"}
    problem(anita.patch(url, json=stale, headers={"If-Match": '"1"'}), 412)
    assert anita.get(url).json()["status"] == "done"


def test_an_unknown_activity_is_not_found(anita: TestClient) -> None:
    problem(anita.get(f"{BASE}/activities/4711"), 404)


# --- named decisions --------------------------------------------------------------------

FINANSIERING = {
    "key": "finansiering",
    "title": "Finansiering beslutad av vård- och omsorgsnämnden",
    "decided_on": "2026-10-20",
    "reference": "Dnr 2021.158 VON",
}


def test_a_named_decision_is_recorded_listed_and_read(anita: TestClient) -> None:
    created = anita.post(f"{BASE}/named-decisions", json=FINANSIERING)

    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"{BASE}/named-decisions/finansiering"
    decision = created.json()
    assert decision["reference"] == "Dnr 2021.158 VON"
    assert decision["recorded_by"].endswith(ANITA)
    assert anita.get(created.headers["Location"]).json() == decision
    assert anita.get(f"{BASE}/named-decisions").json() == {"items": [decision], "next_cursor": None}


def test_a_recorded_decision_counts_for_the_gate_criterion(ctx: Context, anita: TestClient) -> None:
    def criterion() -> dict[str, Any]:
        readiness = anita.get(f"{BASE}/gates/beslut-om-genomforande/readiness").json()
        (found,) = [c for c in readiness["criteria"] if c["kind"] == "decisions_taken"]
        assert isinstance(found, dict)
        return found

    assert criterion()["passed"] is False
    anita.post(f"{BASE}/named-decisions", json=FINANSIERING)
    anita.post(
        f"{BASE}/named-decisions",
        json=FINANSIERING | {"key": "projektdirektiv", "title": "Projektdirektiv fastställt"},
    )
    assert criterion()["passed"] is True


def test_the_same_named_decision_twice_is_a_409(anita: TestClient) -> None:
    anita.post(f"{BASE}/named-decisions", json=FINANSIERING)
    problem(anita.post(f"{BASE}/named-decisions", json=FINANSIERING), 409)


def test_a_decision_in_the_future_is_a_422_on_decided_on(
    anita: TestClient, clock: FixedClock
) -> None:
    tomorrow = (clock.now() + timedelta(days=1)).date().isoformat()
    problem(
        anita.post(f"{BASE}/named-decisions", json=FINANSIERING | {"decided_on": tomorrow}),
        422,
        "decided_on",
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"key": "Finansiering!"}, "key"),
        ({"decided_on": "i oktober"}, "decided_on"),
        ({"diarienummer": "Dnr 1"}, "diarienummer"),
    ],
)
def test_bad_named_decision_input_is_a_422_naming_the_field(
    anita: TestClient, fields: dict[str, Any], field: str
) -> None:
    problem(anita.post(f"{BASE}/named-decisions", json=FINANSIERING | fields), 422, field)


def test_an_unknown_named_decision_is_not_found(anita: TestClient) -> None:
    problem(anita.get(f"{BASE}/named-decisions/projektdirektiv"), 404)


# --- postponement and kommentar -----------------------------------------------------------


def test_an_activity_is_postponed_to_a_date_with_a_comment(anita: TestClient) -> None:
    activity = _activity(anita, comment="Startar när ombuden är utsedda.").json()
    url = f"{BASE}/activities/{activity['id']}"
    assert activity["comment"] == "Startar när ombuden är utsedda."
    assert activity["postponed_to"] is None

    postponed = anita.patch(
        url,
        json={"status": "postponed", "postponed_to": "2027-03-01", "comment": "Fullbokat i höst."},
        headers={"If-Match": '"1"'},
    )

    assert postponed.status_code == 200, postponed.text
    body = postponed.json()
    assert (body["status"], body["postponed_to"], body["comment"]) == (
        "postponed",
        "2027-03-01",
        "Fullbokat i höst.",
    )
    assert anita.get(url).json()["postponed_to"] == "2027-03-01"
    moved = anita.patch(url, json={"postponed_to": "2027-04-01"}).json()
    assert (moved["status"], moved["postponed_to"]) == ("postponed", "2027-04-01")
    resumed = anita.patch(url, json={"status": "in_progress"}).json()
    assert (resumed["status"], resumed["postponed_to"]) == ("in_progress", None)


def test_an_activity_can_be_created_postponed(anita: TestClient) -> None:
    created = _activity(anita, status="postponed", postponed_to="2027-01-15")
    assert created.status_code == 201, created.text
    assert created.json()["postponed_to"] == "2027-01-15"


def test_postponement_without_a_date_or_a_date_without_postponement_names_the_field(
    anita: TestClient,
) -> None:
    problem(_activity(anita, status="postponed"), 422, "postponed_to")
    problem(_activity(anita, status="done", postponed_to="2027-01-15"), 422, "postponed_to")
    problem(_activity(anita, postponed_to="1 mars"), 422, "postponed_to")
    activity = _activity(anita).json()
    url = f"{BASE}/activities/{activity['id']}"
    problem(anita.patch(url, json={"status": "postponed"}), 422, "postponed_to")
    problem(anita.patch(url, json={"postponed_to": "2027-01-15"}), 422, "postponed_to")
    problem(anita.patch(url, json={"start": "2027-06-01", "end": "2027-05-01"}), 422, "end")
    assert anita.get(url).json()["row_version"] == 1, "nothing was saved"


def test_the_activity_events_carry_the_postponement_and_comment(
    ctx: Context, anita: TestClient
) -> None:
    from gatekeeper.services.audit import log as audit_log

    activity = _activity(anita).json()
    anita.patch(
        f"{BASE}/activities/{activity['id']}",
        json={"status": "postponed", "postponed_to": "2027-03-01", "comment": "Fullbokat."},
    )

    events = audit_log.list_events(ctx, project_key=KEY)
    after = next(e for e in reversed(events) if e.action == "activity.updated").after or {}
    assert (after["postponed_to"], after["comment"], after["status"]) == (
        "2027-03-01",
        "Fullbokat.",
        "postponed",
    )


def test_only_the_projektledare_or_an_admin_changes_risks_and_activities(
    ctx: Context, anita: TestClient
) -> None:
    lars = api_client(ctx, "lars.carlsson@alingsas.se")
    risk = _risk(anita).json()

    problem(_risk(lars), 403)
    problem(lars.patch(f"{BASE}/risks/{risk['id']}", json={"status": "closed"}), 403)
    problem(_activity(lars), 403)
    assert lars.get(f"{BASE}/risks").status_code == 200, "they still read"
    assert _risk(api_client(ctx)).status_code == 201, "an administrator may"
