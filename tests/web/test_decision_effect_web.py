"""Decisions that take effect when they should, over the API and on the pages: the
effective date of a go, the pending state, beslutsdatum, late votes, reservations,
and a beslutsprotokoll that lists every seat by name and role label."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import member as members
from tests.factories import (
    AT_ONCE,
    PROJEKTLEDARE,
    api_client,
    approve_gate,
    start_ibic,
    tick_gate,
)
from tests.services.test_voting import _to_genomforande
from tests.web.test_login import csrf_of
from tests.web.test_rollout_page import signed_in

KEY = "ibic-alingsas"
BASE = f"/api/v1/projects/{KEY}"
GATE = "forstudie-klar"
LARS = "lars.carlsson@alingsas.se"
ANIKO = "aniko.szabo@alingsas.se"
SARA = "sara.holm@alingsas.se"
PROBLEM = "application/problem+json"
GO = {"outcome": "go", "motivation": "Underlaget är genomgånget på styrgruppsmötet."}


def _problem(response: Any, status: int, field: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["field"] == field


def _ready(ctx: Context) -> TestClient:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    return api_client(ctx, "anita.lindqvist@alingsas.se")


def _decide(ctx: Context, review_id: int, **extra: Any) -> dict[str, Any]:
    api_client(ctx, LARS).post(f"{BASE}/reviews/{review_id}/votes", json=GO | extra)
    answer = api_client(ctx, ANIKO).post(f"{BASE}/reviews/{review_id}/votes", json=GO | extra)
    assert answer.status_code == 201, answer.text
    decision: dict[str, Any] = answer.json()["decision"]
    return decision


def test_a_go_before_the_target_date_is_shown_as_pending(ctx: Context) -> None:
    anita = _ready(ctx)
    review = anita.post(f"{BASE}/reviews", json={"gate_id": GATE})
    assert review.status_code == 201 and review.json()["effective_from"] == "target_date"

    decision = _decide(ctx, review.json()["id"])

    assert decision["effective_on"] == "2026-12-15" and decision["effective_at"] is None
    assert decision["decided_on"] == "2026-11-25"
    project = anita.get(BASE).json()
    assert project["phase"] == "forstudie"
    assert project["decision_pending"] == {
        "decision_id": decision["id"],
        "gate_id": GATE,
        "to_phase": "beslut",
        "effective_on": "2026-12-15",
        "text": "Go beslutat, gäller från 15 december 2026",
    }
    malin = signed_in(ctx, "malin.holmberg@alingsas.se", "Malin Holmberg")
    for path in (f"/projects/{KEY}/gates/{GATE}", f"/projects/{KEY}"):
        assert "Go beslutat, gäller från 15 december 2026" in malin.get(path).text


def test_review_request_problems_name_the_field(ctx: Context) -> None:
    anita = _ready(ctx)
    _problem(
        anita.post(f"{BASE}/reviews", json={"gate_id": GATE, "effective_from": "immediately"}),
        422,
        "effective_motivation",
    )
    _problem(
        anita.post(f"{BASE}/reviews", json={"gate_id": GATE, "effective_from": "snart"}),
        422,
        "effective_from",
    )


def test_beslutsdatum_problems_name_the_field(ctx: Context) -> None:
    anita = _ready(ctx)
    review_id = anita.post(f"{BASE}/reviews", json={"gate_id": GATE} | AT_ONCE).json()["id"]
    lars = api_client(ctx, LARS)
    vote = f"{BASE}/reviews/{review_id}/votes"
    _problem(lars.post(vote, json=GO | {"decided_on": "2026-12-01"}), 422, "decided_on")
    _problem(lars.post(vote, json=GO | {"decided_on": "2026-11-01"}), 422, "decided_on")


def _three_seats(ctx: Context) -> int:
    anita = _ready(ctx)
    members.add_member(
        ctx, PROJEKTLEDARE, project_key=KEY, name="Sara Holm", email=SARA, role="styrgrupp"
    )
    review_id: int = anita.post(f"{BASE}/reviews", json={"gate_id": GATE} | AT_ONCE).json()["id"]
    decision_id: int = _decide(ctx, review_id)["id"]
    return decision_id


def test_late_vote_and_reservation_over_the_api(ctx: Context) -> None:
    decision_id = _three_seats(ctx)
    review_id = api_client(ctx).get(f"{BASE}/decisions/{decision_id}").json()["review_id"]
    sara = api_client(ctx, SARA)

    late = sara.post(
        f"{BASE}/reviews/{review_id}/late-votes",
        json={"outcome": "no_go", "motivation": "Utbildningsplanen är inte klar."},
    )
    assert late.status_code == 201, late.text
    assert late.json()["late"] is True and late.json()["member"] == SARA
    assert api_client(ctx).get(f"{BASE}/decisions/{decision_id}").json()["outcome"] == "go"

    _problem(
        sara.post(f"{BASE}/decisions/{decision_id}/reservations", json={"text": " "}),
        422,
        "text",
    )
    reserved = sara.post(
        f"{BASE}/decisions/{decision_id}/reservations",
        json={"text": "Jag reserverar mig: utbildningen hinns inte."},
    )
    assert reserved.status_code == 201 and reserved.json()["member"] == SARA
    lars = api_client(ctx, LARS)
    denied = lars.post(f"{BASE}/decisions/{decision_id}/reservations", json={"text": "Nej."})
    assert denied.status_code == 403 and denied.headers["content-type"] == PROBLEM


def test_a_late_vote_without_a_seat_is_refused_403(ctx: Context) -> None:
    decision_id = _three_seats(ctx)
    review_id = api_client(ctx).get(f"{BASE}/decisions/{decision_id}").json()["review_id"]
    jonas = api_client(ctx, "jonas.berg@alingsas.se")
    refused = jonas.post(
        f"{BASE}/reviews/{review_id}/late-votes", json={"outcome": "go", "motivation": "Ja."}
    )
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    refusals = [
        e
        for e in audit_log.list_events(ctx, project_key=KEY, limit=500)
        if e.action == "gate.vote_refused"
    ]
    assert refusals and refusals[-1].actor.endswith("jonas.berg@alingsas.se")


def test_protocol_lists_every_seat_by_name_and_label(ctx: Context) -> None:
    decision_id = _three_seats(ctx)
    url = f"/projects/{KEY}/decisions/{decision_id}/protocol"
    sara = signed_in(ctx, SARA, "Sara Holm")

    html = sara.get(url).text
    assert "Lars Carlsson" in html and "Aniko Szabo" in html and "Sara Holm" in html
    assert "Röstade inte" in html
    assert "Per Ek för Lars Carlsson" in html  # the ersättare
    assert "Styrgrupp" in html and ">styrgrupp<" not in html
    assert LARS not in html and ANIKO not in html and SARA not in html
    assert 'id="late-vote"' in html and 'id="reservation"' not in html

    answer = sara.post(
        f"/projects/{KEY}/decisions/{decision_id}/late-vote",
        data={
            "csrf_token": csrf_of(sara, url),
            "seat": SARA,
            "outcome": "no_go",
            "motivation": "",
        },
    )
    assert answer.status_code == 422 and "Motiveringen får inte vara tom" in answer.text
    answer = sara.post(
        f"/projects/{KEY}/decisions/{decision_id}/late-vote",
        data={
            "csrf_token": csrf_of(sara, url),
            "seat": SARA,
            "outcome": "no_go",
            "motivation": "Utbildningsplanen är inte klar.",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    html = sara.get(url).text
    assert "sen röst" in html and 'id="late-vote"' not in html and 'id="reservation"' in html
    answer = sara.post(
        f"/projects/{KEY}/decisions/{decision_id}/reservation",
        data={"csrf_token": csrf_of(sara, url), "text": "Utbildningen hinns inte."},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    html = sara.get(url).text
    assert "Sara Holm reserverar sig mot beslutet:" in html
    assert 'id="reservation"' not in html

    jonas = signed_in(ctx, "jonas.berg@alingsas.se", "Jonas Berg")  # no seat: no forms
    html = jonas.get(url).text
    assert 'id="late-vote"' not in html and 'id="reservation"' not in html


def test_criteria_that_do_not_apply_are_not_shown_as_met(ctx: Context) -> None:
    start_ibic(ctx)
    _to_genomforande(ctx)  # IBIC has no units: go-live's unit criteria do not apply
    tick_gate(ctx, KEY, "go-live")
    decision = approve_gate(ctx, KEY, "go-live")
    html = (
        signed_in(ctx, LARS, "Lars Carlsson")
        .get(f"/projects/{KEY}/decisions/{decision.id}/protocol")
        .text
    )
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", html)
    assert ("Andel enheter redo", "Gäller inte") in rows
    assert ("Namngivna enheter redo", "Gäller inte") in rows
