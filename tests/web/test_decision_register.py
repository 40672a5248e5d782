"""The decision register over the API and the printable beslutsprotokoll."""

from __future__ import annotations

from datetime import date

from gatekeeper.core.outcome import Outcome
from gatekeeper.services.context import Context
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import vote as voting
from tests.factories import (
    AT_ONCE,
    PROJEKTLEDARE,
    STYRGRUPP,
    STYRGRUPP_2,
    api_client,
    start_ibic,
    tick_gate,
)

KEY = "ibic-alingsas"


def _decided_with_override_and_condition(ctx: Context) -> int:
    start_ibic(ctx)
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    assert review.id is not None
    condition = voting.ConditionSpec(
        "Nulägesanalysen kompletteras med bemanningsstatistik",
        "anita.lindqvist@alingsas.se",
        date(2026, 12, 18),
    )
    voting.cast_vote(
        ctx,
        STYRGRUPP,
        project_key=KEY,
        review_id=review.id,
        outcome=Outcome.CONDITIONAL_GO,
        motivation="Förstudien räcker som grund för beslut.",
        override_motivation="Nämnden har redan beslutat om införandet (§53 dnr 2021.158 VON).",
        conditions=[condition],
    )
    result = voting.cast_vote(
        ctx,
        STYRGRUPP_2,
        project_key=KEY,
        review_id=review.id,
        outcome=Outcome.GO,
        motivation="Instämmer.",
        override_motivation="Som ovan.",
    )
    assert result.decision is not None and result.decision.id is not None
    return result.decision.id


def test_register_lists_the_decision_with_votes_override_and_conditions(ctx: Context) -> None:
    decision_id = _decided_with_override_and_condition(ctx)
    client = api_client(ctx)

    (entry,) = client.get(f"/api/v1/projects/{KEY}/decisions").json()["items"]
    assert entry["id"] == decision_id
    assert entry["outcome"] == "conditional_go"
    assert entry["override"] is True and entry["criteria_passed"] is False
    assert entry["override_motivations"][0].startswith("Nämnden har redan")
    assert [v["member"] for v in entry["votes"]] == [STYRGRUPP.id, STYRGRUPP_2.id]
    assert entry["conditions"][0]["status"] == "open"
    assert entry["snapshot"]["passed"] is False

    open_conditions = client.get(f"/api/v1/projects/{KEY}/conditions").json()["items"]
    assert [c["text"] for c in open_conditions] == [
        "Nulägesanalysen kompletteras med bemanningsstatistik"
    ]
    (review,) = client.get(f"/api/v1/projects/{KEY}/reviews").json()["items"]
    assert review["status"] == "decided" and len(review["votes"]) == 2

    one = client.get(f"/api/v1/projects/{KEY}/decisions/{decision_id}")
    assert one.status_code == 200 and one.json()["gate_name"] == "Förstudie klar"
    missing = client.get(f"/api/v1/projects/{KEY}/decisions/999")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_protocol_is_a_printable_swedish_page_that_flags_the_override(ctx: Context) -> None:
    decision_id = _decided_with_override_and_condition(ctx)
    client = api_client(ctx)

    page = client.get(f"/projects/{KEY}/decisions/{decision_id}/protocol")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="sv">' in html
    assert "Beslutsprotokoll" in html and "Go med villkor" in html
    assert "trots att kriterierna inte var uppfyllda" in html
    assert "Nämnden har redan beslutat" in html
    assert "beslutförhet majoritet" in html
    assert "Obligatoriska punkter klara" in html
    assert "25 november 2026" in html
    assert "<script" not in html


def test_protocol_of_an_unknown_decision_is_an_html_404(ctx: Context) -> None:
    start_ibic(ctx)
    client = api_client(ctx)
    page = client.get(f"/projects/{KEY}/decisions/42/protocol")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "finns inte" in page.text


def test_text_from_users_is_escaped_in_the_protocol(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, "forstudie-klar")
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="forstudie-klar", **AT_ONCE
    )
    assert review.id is not None
    decision = None
    for voter in (STYRGRUPP, STYRGRUPP_2):
        decision = voting.cast_vote(
            ctx,
            voter,
            project_key=KEY,
            review_id=review.id,
            outcome=Outcome.GO,
            motivation="<script>alert('x')</script>",
        ).decision
    assert decision is not None
    html = api_client(ctx).get(f"/projects/{KEY}/decisions/{decision.id}/protocol").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


LISTS = [
    "/api/v1/workflows",
    "/api/v1/checklist-templates",
    f"/api/v1/projects/{KEY}/gates",
    f"/api/v1/projects/{KEY}/reviews",
    f"/api/v1/projects/{KEY}/decisions",
    f"/api/v1/projects/{KEY}/conditions",
]


def test_every_list_answers_items_and_next_cursor_and_pages(ctx: Context) -> None:
    _decided_with_override_and_condition(ctx)
    client = api_client(ctx)

    for path in LISTS:
        whole = client.get(path)
        assert whole.status_code == 200, (path, whole.text)
        body = whole.json()
        assert isinstance(body, dict) and body.keys() == {"items", "next_cursor"}, path
        assert body["items"] and body["next_cursor"] is None, path
        paged: list[object] = []
        cursor = None
        while True:
            query = {"limit": 1} | ({"cursor": cursor} if cursor else {})
            page = client.get(path, params=query).json()
            assert len(page["items"]) == 1, path
            paged += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert paged == body["items"], path
        bad = client.get(path, params={"cursor": "bm90LW91cnM"})
        assert bad.status_code == 422 and bad.json()["field"] == "cursor", path
