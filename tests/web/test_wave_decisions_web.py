"""Wave go/no-go in the API and the browser: ask, vote with the wave's terms, read the protocol.

The VGR rollout at its go-live (`tests.wave_factories`); Karin Olsson asks,
Bengt Nilsson and Sara Ahmadi of the styrgrupp decide.
"""

from __future__ import annotations

import re

from gatekeeper.services.context import Context
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.rollout import wave as waves
from tests.factories import api_client
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, STYRGRUPP, STYRGRUPP_2
from tests.wave_factories import make_ready, rollout_at_go_live, wave_units
from tests.web.test_login import csrf_of
from tests.web.test_rollout_page import signed_in

API = f"/api/v1/projects/{ROLLOUT_KEY}"
LATE = "boras-hemtjanst-norr"
MOTIVATION = "Vågens beredskap är genomgången på styrgruppsmötet."


def _almost_ready(ctx: Context) -> None:
    rollout_at_go_live(ctx)
    make_ready(ctx, [k for k in wave_units(ctx, "vag-1") if k != LATE])


def test_a_wave_decided_through_the_api_shows_in_the_register(ctx: Context) -> None:
    _almost_ready(ctx)
    karin = api_client(ctx, PROJEKTLEDARE.id)
    required = karin.put(f"{API}/waves/vag-1/required-units", json={"unit_keys": ["vargarda"]})
    assert required.status_code == 200, required.text
    assert required.json()["units"] == [{"key": "vargarda", "name": "Vårgårdas kommun"}]
    assert karin.get(f"{API}/waves/vag-1/required-units").json() == required.json()

    asked = karin.post(f"{API}/waves/vag-1/reviews", json={"message": "Go/no-go 22/2."})
    assert asked.status_code == 201, asked.text
    review = asked.json()
    assert review["wave"] == "vag-1" and review["gate_id"] == "go-live"
    assert review["snapshot"]["units_ready"] == 9
    assert asked.headers["Location"] == f"{API}/reviews/{review['id']}"
    again = karin.post(f"{API}/waves/vag-1/reviews", json={})
    assert again.status_code == 409

    terms = {"exclude_units": [LATE], "move_to_wave": "vag-2"}
    bad = api_client(ctx, STYRGRUPP.id).post(
        f"{API}/reviews/{review['id']}/votes",
        json={"outcome": "no_go", "motivation": MOTIVATION, "postpone_to": "2027-01-10"},
    )
    assert bad.status_code == 422, bad.text
    assert "efter vågens nuvarande" in bad.json()["detail"]
    first = api_client(ctx, STYRGRUPP.id).post(
        f"{API}/reviews/{review['id']}/votes",
        json={"outcome": "go", "motivation": MOTIVATION, **terms},
    )
    assert first.status_code == 201, first.text
    assert first.json()["vote"]["exclude_units"] == [LATE]
    second = api_client(ctx, STYRGRUPP_2.id).post(
        f"{API}/reviews/{review['id']}/votes",
        json={"outcome": "go", "motivation": MOTIVATION, **terms},
    )
    decision = second.json()["decision"]
    assert decision["outcome"] == "go"
    assert decision["wave"]["key"] == "vag-1"
    assert decision["wave"]["moved"][0]["to_wave"] == "vag-2"
    assert decision["to_phase"] == decision["from_phase"] == "genomforande"
    assert waves.get_wave(ctx, ROLLOUT_KEY, "vag-1").status == "live"
    entries = karin.get(f"{API}/decisions").json()["items"]
    assert [e["wave"]["key"] for e in entries if e["wave"]] == ["vag-1"]


def test_the_browser_asks_for_a_wave_decision_and_votes_with_its_fields(ctx: Context) -> None:
    _almost_ready(ctx)
    karin = signed_in(ctx, PROJEKTLEDARE.id, "Karin Olsson")
    page = karin.get(f"/projects/{ROLLOUT_KEY}/readiness")
    assert page.status_code == 200
    assert "Begär beslut för vågen" in page.text
    asked = karin.post(
        f"/projects/{ROLLOUT_KEY}/waves/vag-1/review",
        data={"csrf_token": csrf_of(karin, f"/projects/{ROLLOUT_KEY}/readiness")},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    location = asked.headers["location"]
    assert re.fullmatch(rf"/projects/{ROLLOUT_KEY}/gates/go-live\?review=\d+#review", location)
    review_id = int(location.split("review=")[1].split("#")[0])
    assert "Till omröstningen" in karin.get(f"/projects/{ROLLOUT_KEY}/readiness").text

    bengt = signed_in(ctx, STYRGRUPP.id, "Bengt Nilsson")
    gate_page = bengt.get(location.split("#")[0])
    assert "Öppen granskning: driftstart för Våg 1 – pilotkommuner" in gate_page.text
    assert f'name="exclude_units" type="checkbox" value="{LATE}"' in gate_page.text
    assert 'name="postpone_to"' in gate_page.text
    assert '<option value="vag-2">' in gate_page.text
    token = csrf_of(bengt, location.split("#")[0])

    refused = bengt.post(
        f"/projects/{ROLLOUT_KEY}/reviews/{review_id}/vote",
        data={
            "csrf_token": token,
            "outcome": "go",
            "motivation": MOTIVATION,
            "exclude_units": LATE,
            "move_to_wave": "vag-1",
        },
    )
    assert refused.status_code == 422
    assert "välj en senare våg" in refused.text
    assert 'id="vote-move-to-wave"' in refused.text

    for client in (bengt, signed_in(ctx, STYRGRUPP_2.id, "Sara Ahmadi")):
        voted = client.post(
            f"/projects/{ROLLOUT_KEY}/reviews/{review_id}/vote",
            data={
                "csrf_token": csrf_of(client, location.split("#")[0]),
                "outcome": "go",
                "motivation": MOTIVATION,
                "exclude_units": LATE,
                "move_to_wave": "vag-2",
            },
            follow_redirects=False,
        )
        assert voted.status_code == 303
    (decided,) = [v for v in review_views.reviews_of(ctx, ROLLOUT_KEY) if v.review.id == review_id]
    assert decided.review.status == "decided"
    assert LATE in wave_units(ctx, "vag-2")

    register = karin.get(f"/projects/{ROLLOUT_KEY}/gates/go-live")
    match = re.search(rf'href="(/projects/{ROLLOUT_KEY}/decisions/\d+/protocol)"', register.text)
    assert match, "no protocol link on the gate page"
    protocol = karin.get(match.group(1))
    assert protocol.status_code == 200
    assert "Våg 1 – pilotkommuner, driftstart 2027-03-01" in protocol.text
    assert "Hemtjänst Norr flyttas till Våg 2 (driftstart 2027-05-03)" in protocol.text
