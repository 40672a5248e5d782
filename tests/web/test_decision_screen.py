"""The decision screen: one review as the styrgrupp decides it, and the ways to it.

A styrgrupp member opens `/projects/{key}/reviews/{id}` from Översikt, the
inbox or the vote e-mail (a signed-out member logs in and lands on it), reads
what is asked, the criteria, the open mandatory items and high risks, the votes
so far and who has not voted, votes there and comes back to it; after the
deciding vote it shows the decision and the protocol link.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.services.context import Context
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import risk as risks
from gatekeeper.store.gates.tables import ReviewVote
from tests.apps import app_for
from tests.factories import PROJEKTLEDARE, tick_gate
from tests.web.test_gate_page import ANIKO, ANITA, LARS, STRANGER, client_for, ibic  # noqa: F401
from tests.web.test_login import csrf_of, log_in

KEY = "ibic-alingsas"
GATE = "forstudie-klar"


def _open_review(ctx: Context) -> str:
    """Everything but one optional item ticked, a high risk, and a review asked for."""
    tick_gate(ctx, KEY, GATE, mandatory_only=True)
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Utbildningsinsatsen krockar med semesterperioden",
        probability=3,
        consequence=3,
        mitigation="Lägg utbildningarna i maj och september.",
        owner="Anita Lindqvist",
    )
    review = reviews.request_review(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, message="Förstudien är klar."
    )
    return f"/projects/{KEY}/reviews/{review.id}"


def _vote(client: TestClient, screen: str, **data: str) -> object:
    return client.post(
        f"{screen}/vote",
        data={"csrf_token": csrf_of(client, screen), "return_to": "decision", **data},
        follow_redirects=False,
    )


def test_the_screen_shows_what_is_asked_the_underlag_and_the_votes(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    answer = client_for(ibic, LARS).get(screen)
    assert answer.status_code == 200
    html = answer.text
    assert "<h1>Beslut: Förstudie klar</h1>" in html
    assert "Go: projektet går från Förstudie till Beslut." in html
    # the review asked for the default: a go takes effect on the gate's target date
    assert re.search(r"<dt>Gäller från</dt>\s*<dd>grindens måldatum, \d+ \w+ \d{4}</dd>", html)
    assert "Anita Lindqvist" in html and "Förstudien är klar." in html
    assert html.count('<details id="') == 2  # open items and high risks, collapsed
    assert "1 hög risk" in html and "Utbildningsinsatsen krockar med semesterperioden" in html
    assert "Ej uppfyllt" in html or "Uppfyllt" in html
    assert re.search(r'id="not-voted">Har inte röstat: .*Lars Carlsson', html)
    assert 'form id="vote"' in html and 'name="return_to" value="decision"' in html
    assert 'href="#vote-heading"' in html  # the skip link to the vote form
    assert "@alingsas.se" not in html  # names, not e-mail addresses


def test_a_vote_on_the_screen_comes_back_to_it_and_the_deciding_one_shows_the_result(
    ibic: Context,  # noqa: F811
) -> None:
    screen = _open_review(ibic)
    lars = client_for(ibic, LARS)
    first = _vote(lars, screen, outcome="go", motivation="Förstudien håller.")
    assert first.status_code == 303  # type: ignore[attr-defined]
    assert first.headers["location"] == f"{screen}#votes"  # type: ignore[attr-defined]
    after = lars.get(screen).text
    assert "Din röst är lagd." in after
    assert re.search(r"<strong>Lars Carlsson</strong>.*?Go\b", after, re.S)
    assert re.search(r'id="not-voted">Har inte röstat: Aniko Szabo', after)

    aniko = client_for(ibic, ANIKO)
    second = _vote(aniko, screen, outcome="go", motivation="Instämmer.")
    assert second.headers["location"] == f"{screen}#result"  # type: ignore[attr-defined]
    # the go takes effect on the gate's target date (the review's default), not today
    assert overviews.project_overview(ibic, KEY).project.phase == "forstudie"
    decided = aniko.get(screen).text
    assert "<dt>Gäller från</dt>" in decided
    assert "Grinden är beslutad: Go." in decided
    assert 'id="result"' in decided and 'form id="vote"' not in decided
    assert re.search(rf'href="/projects/{KEY}/decisions/\d+/protocol">Beslutsprotokoll<', decided)


def test_a_refused_vote_shows_the_screen_again_with_the_field_marked(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    lars = client_for(ibic, LARS)
    answer = _vote(lars, screen, outcome="go", motivation="")
    assert answer.status_code == 422  # type: ignore[attr-defined]
    html = answer.text  # type: ignore[attr-defined]
    assert "<h1>Beslut: Förstudie klar</h1>" in html
    assert 'href="#vote-motivation"' in html
    with ibic.db.read() as session:
        assert session.exec(select(ReviewVote)).all() == []


def test_the_requester_reads_the_screen_without_a_vote_form(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    html = client_for(ibic, ANITA).get(screen).text
    assert 'form id="vote"' not in html and 'href="#vote-heading"' not in html
    assert "Du har ingen plats i beslutet" in html or "Du deltar inte i beslutet" in html


def test_someone_outside_the_project_gets_not_found(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    assert client_for(ibic, STRANGER).get(screen).status_code == 404


def test_an_unknown_review_is_not_found(ibic: Context) -> None:  # noqa: F811
    _open_review(ibic)
    assert client_for(ibic, LARS).get(f"/projects/{KEY}/reviews/9999").status_code == 404


def test_overview_links_the_waiting_member_straight_to_the_screen(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    html = client_for(ibic, LARS).get("/").text
    assert f'<a class="ov-vote" href="{screen}">' in html


def test_the_deep_link_survives_the_login(ibic: Context) -> None:  # noqa: F811
    screen = _open_review(ibic)
    client = TestClient(app_for(ibic))
    to_login = client.get(screen, follow_redirects=False)
    assert to_login.status_code == 303
    assert to_login.headers["location"] == f"/login?next={screen}"
    assert f'name="next" value="{screen}"' in client.get(to_login.headers["location"]).text
    signed_in = log_in(client, email=LARS, next_path=screen)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == screen
    assert 'form id="vote"' in client.get(screen).text


@pytest.mark.parametrize(
    "target", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_the_login_sends_nobody_to_another_site(ibic: Context, target: str) -> None:  # noqa: F811
    client = TestClient(app_for(ibic))
    answer = log_in(client, email=LARS, next_path=target)
    assert answer.status_code == 303 and answer.headers["location"] == "/"
