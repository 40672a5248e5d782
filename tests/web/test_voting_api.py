"""Reviews, votes, jäv, withdrawal, conditions, resume and diarienummer over the API,
on SQLite and PostgreSQL. Each test starts its own project; nothing is shared."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.context import Context
from gatekeeper.services.projects import member as members
from tests.factories import AT_ONCE, PROJEKTLEDARE, api_client, start_ibic, tick_gate

KEY = "ibic-alingsas"
BASE = f"/api/v1/projects/{KEY}"
GATE = "forstudie-klar"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare
LARS = "lars.carlsson@alingsas.se"  # styrgrupp
ANIKO = "aniko.szabo@alingsas.se"  # styrgrupp
PER = "per.ek@alingsas.se"  # ersättare for Lars
JONAS = "jonas.berg@alingsas.se"  # forvaltningsledare
PROBLEM = "application/problem+json"
GO = {"outcome": "go", "motivation": "Underlaget är genomgånget på styrgruppsmötet."}


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """The problem document of `response`, after checking its status and field."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


class Ibic:
    """The IBIC project with an API client per person."""

    def __init__(self, ctx: Context) -> None:
        start_ibic(ctx)
        self.ctx = ctx
        self.anita = api_client(ctx, ANITA)
        self.lars = api_client(ctx, LARS)
        self.aniko = api_client(ctx, ANIKO)

    def client(self, email: str) -> TestClient:
        return api_client(self.ctx, email)

    def request_review(self, by: TestClient | None = None, gate_id: str = GATE) -> int:
        response = (by or self.anita).post(f"{BASE}/reviews", json={"gate_id": gate_id} | AT_ONCE)
        assert response.status_code == 201, response.text
        review_id: int = response.json()["id"]
        return review_id

    def vote(self, client: TestClient, review_id: int, **body: Any) -> Any:
        return client.post(f"{BASE}/reviews/{review_id}/votes", json=GO | body)


@pytest.fixture
def ibic(ctx: Context) -> Ibic:
    return Ibic(ctx)


@pytest.fixture
def ready(ibic: Ibic) -> Ibic:
    """IBIC with the förstudie gate's checklist ticked, so its criteria pass."""
    tick_gate(ibic.ctx, KEY, GATE)
    return ibic


def test_a_full_vote_flow_decides_the_gate_and_enters_the_register(ready: Ibic) -> None:
    requested = ready.anita.post(
        f"{BASE}/reviews",
        json={"gate_id": GATE, "message": "Förstudien är klar; underlaget på intranätet."}
        | AT_ONCE,
    )
    assert requested.status_code == 201, requested.text
    review = requested.json()
    assert review["status"] == "open" and review["snapshot"]["passed"] is True
    assert requested.headers["Location"] == f"{BASE}/reviews/{review['id']}"
    assert ready.anita.get(requested.headers["Location"]).json()["gate_id"] == GATE

    seats = ready.anita.get(f"{BASE}/reviews/{review['id']}/seats").json()
    assert seats == {
        "seats": [
            {"member": ANIKO, "roles": ["styrgrupp"]},
            {"member": LARS, "roles": ["styrgrupp"]},
        ],
        "excluded": [],
    }

    first = ready.vote(ready.lars, review["id"])
    assert first.status_code == 201, first.text
    result = first.json()
    assert result["vote"]["member"] == LARS and result["vote"]["outcome"] == "go"
    assert result["decision"] is None
    tally = result["tally"]
    assert tally["decided"] is False and tally["outcome"] is None
    assert (tally["needed"], tally["seats"]) == (2, 2)
    assert tally["reason"] == "1 av 2 godkännanden som krävs; 1 har inte röstat."
    assert [b["member"] for b in tally["counted"]] == [LARS] and tally["discarded"] == []

    second = ready.vote(ready.aniko, review["id"], motivation="Instämmer.")
    assert second.status_code == 201, second.text
    decided = second.json()
    assert decided["tally"]["decided"] is True and decided["tally"]["outcome"] == "go"
    decision = decided["decision"]
    assert decision["outcome"] == "go" and decision["gate_id"] == GATE
    assert (decision["from_phase"], decision["to_phase"]) == ("forstudie", "beslut")
    assert decision["criteria_passed"] is True and decision["override"] is False
    assert decision["reason"] == "2 av 2 godkände (2 krävs)."

    project = ready.anita.get(BASE).json()
    assert project["phase"] == "beslut"
    assert project["history"][-1]["gate_id"] == GATE
    (entry,) = ready.anita.get(f"{BASE}/decisions").json()["items"]
    assert entry == decision
    assert ready.anita.get(f"{BASE}/reviews/{review['id']}").json()["status"] == "decided"

    page = ready.anita.get(decision["protocol_url"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Beslutsprotokoll" in page.text and "Förstudie klar" in page.text


def test_the_requester_may_not_vote(ready: Ibic) -> None:
    # Lars is projektledare as well as styrgrupp: he asks, so he may not also decide.
    members.add_member(
        ready.ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        name="Lars Carlsson",
        email=LARS,
        role="projektledare",
    )
    review_id = ready.request_review(by=ready.lars)

    body = problem(ready.vote(ready.lars, review_id), 403)

    assert "Begärde granskningen" in body["detail"]
    seats = ready.lars.get(f"{BASE}/reviews/{review_id}/seats").json()
    assert [s["member"] for s in seats["seats"]] == [ANIKO]
    assert seats["excluded"] == [
        {"member": LARS, "reason": "Begärde granskningen och får inte besluta (åtskild roll)."}
    ]


def test_a_vote_on_a_decided_review_is_a_409(ready: Ibic) -> None:
    review_id = ready.request_review()
    ready.vote(ready.lars, review_id)
    assert ready.vote(ready.aniko, review_id).json()["decision"] is not None

    body = problem(ready.vote(ready.lars, review_id, outcome="no_go"), 409)
    assert "inte öppen" in body["detail"]


def test_someone_without_a_seat_may_not_vote(ready: Ibic) -> None:
    review_id = ready.request_review()
    problem(ready.vote(ready.client(JONAS), review_id), 403)
    problem(ready.vote(ready.client(PER), review_id), 403)  # ersättare, not for anyone


def test_an_ersattare_votes_in_the_seat_holders_stead(ready: Ibic) -> None:
    review_id = ready.request_review()

    response = ready.vote(ready.client(PER), review_id, on_behalf_of=LARS)

    assert response.status_code == 201, response.text
    vote = response.json()["vote"]
    assert (vote["member"], vote["cast_by"]) == (LARS, PER)
    problem(ready.vote(ready.client(PER), review_id, on_behalf_of=ANIKO), 403)


def test_a_vote_on_a_changed_readiness_is_discarded_with_the_reason(ready: Ibic) -> None:
    review_id = ready.request_review()
    ready.vote(ready.lars, review_id)
    added = ready.anita.post(
        f"{BASE}/risks", json={"title": "Nyckelperson slutar", "probability": 2, "consequence": 2}
    )
    assert added.status_code == 201

    tally = ready.vote(ready.aniko, review_id).json()["tally"]

    assert tally["decided"] is False
    assert [b["member"] for b in tally["counted"]] == [ANIKO]
    (discarded,) = tally["discarded"]
    assert discarded["member"] == LARS
    assert discarded["reason"].startswith("Rösten gällde ett annat underlag")


def test_jav_takes_a_member_out_and_the_quorum_follows(ready: Ibic) -> None:
    review_id = ready.request_review()

    declared = ready.aniko.post(
        f"{BASE}/reviews/{review_id}/conflicts", json={"reason": "Make arbetar hos leverantören"}
    )

    assert declared.status_code == 201, declared.text
    assert declared.json()["member"] == ANIKO
    seats = ready.anita.get(f"{BASE}/reviews/{review_id}/seats").json()
    assert seats["excluded"] == [
        {"member": ANIKO, "reason": "Jäv anmält: Make arbetar hos leverantören"}
    ]
    review = ready.anita.get(f"{BASE}/reviews/{review_id}").json()
    assert review["conflicts"] == [{"member": ANIKO, "reason": "Make arbetar hos leverantören"}]
    problem(ready.aniko.post(f"{BASE}/reviews/{review_id}/conflicts", json={"reason": "Igen"}), 409)
    problem(ready.vote(ready.aniko, review_id), 403)
    decided = ready.vote(ready.lars, review_id).json()
    assert decided["tally"]["needed"] == 1 and decided["decision"]["outcome"] == "go"


def test_only_a_member_of_the_board_declares_jav(ready: Ibic) -> None:
    review_id = ready.request_review()
    problem(
        ready.client("registrator@alingsas.se").post(
            f"{BASE}/reviews/{review_id}/conflicts", json={"reason": "x"}
        ),
        403,
    )
    problem(ready.aniko.post(f"{BASE}/reviews/{review_id}/conflicts", json={}), 422, "reason")


def test_the_requester_withdraws_and_later_votes_are_refused(ready: Ibic) -> None:
    review_id = ready.request_review()
    ready.vote(ready.lars, review_id)
    problem(ready.client(JONAS).post(f"{BASE}/reviews/{review_id}/withdraw"), 403)

    withdrawn = ready.anita.post(f"{BASE}/reviews/{review_id}/withdraw")

    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn" and len(withdrawn.json()["votes"]) == 1
    problem(ready.vote(ready.aniko, review_id), 409)
    problem(ready.anita.post(f"{BASE}/reviews/{review_id}/withdraw"), 409)
    assert ready.request_review() != review_id  # the gate can be reviewed again


def test_review_requests_that_cannot_be_made(ready: Ibic) -> None:
    problem(ready.anita.post(f"{BASE}/reviews", json={"gate_id": "finns-inte"}), 404)
    problem(ready.anita.post(f"{BASE}/reviews", json={"gate_id": "go-live"}), 409)
    problem(ready.anita.post(f"{BASE}/reviews", json={"gate": GATE}), 422, "gate_id")
    problem(ready.anita.post(f"{BASE}/reviews", json={"gate_id": GATE, "grind": 1}), 422, "grind")
    ready.request_review()
    problem(ready.anita.post(f"{BASE}/reviews", json={"gate_id": GATE}), 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"outcome": "kanske"}, "outcome"),
        ({"outcome": 1}, "outcome"),
        ({"motivation": ""}, "motivation"),
        ({"motivering": "Bra"}, "motivering"),
        ({"outcome": "conditional_go"}, "conditions"),
        (
            {
                "outcome": "conditional_go",
                "conditions": [{"text": "Komplettera", "owner": "anita", "due_on": "2026-12-18"}],
            },
            "conditions.0.owner",
        ),
        ({"outcome": "recycle"}, "recycle_to"),
        ({"on_behalf_of": "inte en adress"}, "on_behalf_of"),
    ],
)
def test_bad_votes_are_422_naming_the_field(ready: Ibic, body: dict[str, Any], field: str) -> None:
    review_id = ready.request_review()
    problem(ready.vote(ready.lars, review_id, **body), 422, field)
    assert ready.anita.get(f"{BASE}/reviews/{review_id}").json()["votes"] == []


def test_go_on_failing_criteria_needs_an_override_motivation_and_names_the_criteria(
    ibic: Ibic,
) -> None:
    review_id = ibic.request_review()

    body = problem(ibic.vote(ibic.lars, review_id), 422, "override_motivation")

    assert "Kriterierna är inte uppfyllda" in body["detail"]
    failed = body["failed_criteria"]
    assert failed, body
    assert all({"kind", "measured", "required", "message", "details"} <= c.keys() for c in failed)
    assert "mandatory_items_done" in {c["kind"] for c in failed}
    assert all(c["message"] and c["message"] in body["detail"] for c in failed)
    assert ibic.anita.get(f"{BASE}/reviews/{review_id}").json()["votes"] == []
    accepted = ibic.vote(
        ibic.lars, review_id, override_motivation="Nämnden har redan beslutat om införandet."
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["vote"]["override_motivation"].startswith("Nämnden")


def _conditional_go(ready: Ibic) -> dict[str, Any]:
    review_id = ready.request_review()
    conditions = [
        {
            "text": "Nulägesanalysen kompletteras med bemanningsstatistik",
            "owner": ANITA,
            "due_on": "2026-12-18",
        },
        {"text": "Risklistan stäms av med HR", "owner": JONAS, "due_on": "2027-01-15"},
    ]
    ready.vote(ready.lars, review_id, outcome="conditional_go", conditions=conditions)
    decision: dict[str, Any] = ready.vote(ready.aniko, review_id).json()["decision"]
    assert decision["outcome"] == "conditional_go"
    return decision


def test_conditions_are_closed_by_their_owner_and_waived_by_a_decider(ready: Ibic) -> None:
    decision = _conditional_go(ready)
    statistik, hr = decision["conditions"]
    url = f"{BASE}/conditions/{{}}/settle"

    closed = ready.anita.post(
        url.format(statistik["id"]), json={"status": "closed", "note": "Inlagd i analysen."}
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed_by"] == ANITA
    problem(
        ready.anita.post(url.format(statistik["id"]), json={"status": "closed", "note": "x"}), 409
    )

    problem(ready.anita.post(url.format(hr["id"]), json={"status": "waived", "note": "x"}), 403)
    problem(
        ready.lars.post(url.format(hr["id"]), json={"status": "open", "note": "x"}), 422, "status"
    )
    problem(ready.lars.post(url.format(hr["id"]), json={"status": "waived"}), 422, "note")
    waived = ready.lars.post(url.format(hr["id"]), json={"status": "waived", "note": "Ej behov."})
    assert waived.json()["status"] == "waived"
    assert ready.anita.get(f"{BASE}/conditions").json() == {"items": [], "next_cursor": None}
    problem(ready.lars.post(url.format(4711), json={"status": "closed", "note": "x"}), 404)


def _hold(ready: Ibic) -> None:
    review_id = ready.request_review()
    ready.vote(ready.lars, review_id, outcome="hold")
    decision = ready.vote(ready.aniko, review_id, outcome="hold").json()["decision"]
    assert decision["outcome"] == "hold"
    assert ready.anita.get(BASE).json()["status"] == "on_hold"


def test_a_paused_project_is_resumed_by_a_decider_not_the_projektledare(ready: Ibic) -> None:
    _hold(ready)
    resume = {"motivation": "Finansieringen är klar; projektet återupptas."}

    body = problem(ready.anita.post(f"{BASE}/resume", json=resume), 403)
    assert "beslutande ledamot" in body["detail"]
    problem(ready.lars.post(f"{BASE}/resume", json={}), 422, "motivation")

    resumed = ready.lars.post(f"{BASE}/resume", json=resume)
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "active"
    assert resumed.headers["ETag"] == f'"{resumed.json()["row_version"]}"'
    problem(ready.lars.post(f"{BASE}/resume", json=resume), 409)


def test_the_diarienummer_is_recorded_on_the_decision(ready: Ibic) -> None:
    review_id = ready.request_review()
    ready.vote(ready.lars, review_id)
    decision = ready.vote(ready.aniko, review_id).json()["decision"]
    url = f"{BASE}/decisions/{decision['id']}/reference"

    recorded = ready.anita.put(url, json={"reference": "Dnr 2026.158 VON"})

    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["reference"] == "Dnr 2026.158 VON"
    assert ready.anita.get(f"{BASE}/decisions/{decision['id']}").json()["reference"] == (
        "Dnr 2026.158 VON"
    )
    problem(ready.anita.put(url, json={"reference": ""}), 422, "reference")
    problem(ready.anita.put(url, json={"reference": "x", "datum": "idag"}), 422, "datum")
    problem(ready.anita.put(f"{BASE}/decisions/4711/reference", json={"reference": "x"}), 404)


def test_seats_of_an_unknown_review_are_not_found(ibic: Ibic) -> None:
    problem(ibic.anita.get(f"{BASE}/reviews/4711/seats"), 404)
    problem(ibic.anita.get(f"{BASE}/reviews/4711"), 404)
