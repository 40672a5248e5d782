"""Steering-group meetings over the API, on SQLite and PostgreSQL: draft, edit with
If-Match, send (the participants mailed through a real SMTP server), protocol,
justering; who may do what; bad input as problem+json naming its field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.clock import FixedClock
from gatekeeper.services.context import Context
from tests.apps import app_for
from tests.factories import bearer, start_ibic
from tests.smtp_box import smtp_server
from tests.web.test_work_api import problem

KEY = "ibic-alingsas"
BASE = f"/api/v1/projects/{KEY}/meetings"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare
LARS = "lars.carlsson@alingsas.se"  # styrgrupp, the default justerare
MALIN = "malin.holmberg@alingsas.se"  # beställare, the default ordförande
OUTSIDER = "eva.stranger@boras.se"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    return ctx


def _client(ctx: Context, email: str, letters: Any = None) -> TestClient:
    client = TestClient(app_for(ctx, letters))
    client.headers.update(bearer(ctx, email))
    return client


def _draft(client: TestClient, **fields: Any) -> Any:
    body = {"starts_on": "2026-12-10", "time": "13:00", "place": "Stadshuset, rum Mjörn"}
    return client.post(BASE, json=body | fields)


def test_a_meeting_is_drafted_with_its_agenda_location_and_etag(ibic: Context) -> None:
    anita = _client(ibic, ANITA)
    created = _draft(anita)
    assert created.status_code == 201, created.text
    meeting = created.json()
    assert created.headers["Location"] == f"{BASE}/{meeting['id']}"
    assert created.headers["ETag"] == '"1"'
    assert meeting["status"] == "draft" and meeting["kind_sv"] == "Styrgruppsmöte"
    assert meeting["agenda"][0]["title"] == "Mötets öppnande, val av justerare"
    assert [p["name"] for p in meeting["participants"] if p["justerare"]] == ["Lars Carlsson"]
    listed = anita.get(BASE).json()
    assert [m["id"] for m in listed["items"]] == [meeting["id"]]
    # A styrgrupp member reads it
    assert _client(ibic, LARS).get(f"{BASE}/{meeting['id']}").status_code == 200


def test_edit_with_if_match_and_a_stale_copy_is_412(ibic: Context) -> None:
    anita = _client(ibic, ANITA)
    meeting = _draft(anita).json()
    agenda = [*meeting["agenda"], {"kind": "free", "title": "Information från Tieto"}]
    changed = anita.patch(
        f"{BASE}/{meeting['id']}",
        json={
            "agenda": [{k: p[k] for k in ("kind", "title") if k in p} for p in agenda],
            "time": "09:30",
        },
        headers={"If-Match": '"1"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["agenda"][-1]["title"] == "Information från Tieto"
    assert changed.headers["ETag"] == '"2"'
    assert changed.json()["starts_at"].startswith("2026-12-10T08:30")  # 09.30 Swedish time
    stale = anita.patch(
        f"{BASE}/{meeting['id']}", json={"place": "Rådhuset"}, headers={"If-Match": '"1"'}
    )
    problem(stale, 412)


def test_send_freezes_and_mails_then_protocol_and_justering(
    ibic: Context, clock: FixedClock
) -> None:
    with smtp_server() as box:
        anita = _client(ibic, ANITA, box.letters())
        meeting = _draft(anita).json()
        sent = anita.post(f"{BASE}/{meeting['id']}/send")
        assert sent.status_code == 200, sent.text
        assert sent.json()["delivered"] == sent.json()["recipients"] == len(box.messages) == 4
    frozen = sent.json()["meeting"]
    assert frozen["frozen"] and frozen["status"] == "sent"
    problem(anita.post(f"{BASE}/{meeting['id']}/send"), 409)

    clock.set(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))
    recorded = anita.put(
        f"{BASE}/{meeting['id']}/protocol",
        json={
            "present": ["Malin Holmberg", "Anita Lindqvist", "Aniko Szabo"],
            "substitutes": ["per.ek@alingsas.se"],
            "notes": {"p1": "Lars Carlsson valdes till justerare."},
        },
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["substitutes"] == ["Per Ek för Lars Carlsson"]
    assert recorded.json()["agenda"][0]["note"] == "Lars Carlsson valdes till justerare."

    problem(anita.post(f"{BASE}/{meeting['id']}/justering"), 403)  # not a signer
    lars = _client(ibic, LARS)
    assert lars.post(f"{BASE}/{meeting['id']}/justering").status_code == 200
    problem(lars.post(f"{BASE}/{meeting['id']}/justering"), 422, "justering")
    done = _client(ibic, MALIN).post(f"{BASE}/{meeting['id']}/justering")
    assert done.json()["status"] == "justerad"
    assert [s["name"] for s in done.json()["signatures"]] == ["Lars Carlsson", "Malin Holmberg"]
    problem(anita.put(f"{BASE}/{meeting['id']}/protocol", json={"present": []}), 409)


def test_who_may_do_what(ibic: Context) -> None:
    lars = _client(ibic, LARS)
    problem(_draft(lars), 403)
    meeting = _draft(_client(ibic, ANITA)).json()
    problem(lars.post(f"{BASE}/{meeting['id']}/send"), 403)
    outsider = _client(ibic, OUTSIDER)
    problem(outsider.get(BASE), 404)
    problem(outsider.get(f"{BASE}/{meeting['id']}"), 404)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"starts_on": "2026-13-10"}, 422, None),
        ({"starts_on": "2026-12-10", "time": "25:00"}, 422, None),
        ({"starts_on": "2026-12-10", "kind": "fika"}, 422, None),
        (
            {"starts_on": "2026-12-10", "participants": [{"name": "Lars Carlsson"}]},
            422,
            "justerare",
        ),
        (
            {
                "starts_on": "2026-12-10",
                "participants": [{"name": "Gäst Konsult", "justerare": True}],
            },
            422,
            "justerare",
        ),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_saved(
    ibic: Context, body: dict[str, Any], status: int, field: str | None
) -> None:
    anita = _client(ibic, ANITA)
    problem(anita.post(BASE, json=body), status, field)
    assert anita.get(BASE).json()["items"] == []
