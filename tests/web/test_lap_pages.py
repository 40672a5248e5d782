"""Laps in the API and on the pages: the project and decision resources say their lap,
`state?at=` the lap of that moment; the project and gate pages say "Varv 2" and lead
to lap 1's decisions and protocols. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from gatekeeper.core.clock import FixedClock
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from tests.factories import ADMIN, api_client
from tests.services.test_laps import KEY, LOOP, TEAM, pass_gate, start_ics
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD


def _lap_2(ctx: Context, clock: FixedClock) -> str:
    """The ICS project round once; the moment lap 1 was in `maling`'s plan, as ISO text."""
    start_ics(ctx)
    pass_gate(ctx, clock, LOOP[0])
    in_lap_1 = clock.now().isoformat()
    for gate_id in LOOP[1:]:
        pass_gate(ctx, clock, gate_id)
    return in_lap_1


def test_the_api_says_the_lap_of_the_project_its_decisions_and_a_past_moment(
    ctx: Context, clock: FixedClock
) -> None:
    in_lap_1 = _lap_2(ctx, clock)
    client = api_client(ctx)

    project = client.get(f"/api/v1/projects/{KEY}").json()
    assert (project["phase"], project["lap"]) == ("maling", 2)
    decisions = client.get(f"/api/v1/projects/{KEY}/decisions").json()["items"]
    assert [(d["gate_id"], d["lap"], d["lapsed_at"]) for d in decisions] == [
        (gate_id, 1, None) for gate_id in LOOP
    ]
    named = client.get(f"/api/v1/projects/{KEY}/named-decisions").json()["items"]
    assert [(d["key"], d["lap"]) for d in named] == [("sigtepunkter", 1)]

    then = client.get(f"/api/v1/projects/{KEY}/state", params={"at": in_lap_1}).json()
    now = client.get(
        f"/api/v1/projects/{KEY}/state", params={"at": (clock.now() + timedelta(1)).isoformat()}
    ).json()
    assert then["lap"] == 1 and now["lap"] == 2
    ticked = {k: v for k, v in then["items"].items() if k.startswith("maling-afsluttet/")}
    assert ticked and set(ticked.values()) == {"done"}
    assert set(now["items"].values()) == {"open"}


def test_the_pages_say_varv_2_and_lead_to_lap_1_s_protocols(
    ctx: Context, clock: FixedClock
) -> None:
    _lap_2(ctx, clock)
    accounts.create_user(ctx, ADMIN, email=TEAM.id, name=TEAM.name)
    logins.set_password(ctx, ADMIN, email=TEAM.id, password=PASSWORD)
    mette = client_for(ctx, TEAM.id)

    page = mette.get(f"/projects/{KEY}").text
    # Her page is in Danish (the forankring workflow's language): "Runde 2".
    assert page.split('id="current-lap">', 1)[1].startswith("Runde 2")
    assert 'id="laps-table"' in page and 'href="#register-lap-1"' in page
    assert 'id="register-lap-1"' in page
    lap_1 = page.split('id="register-lap-1"', 1)[1]
    assert lap_1.count("/protocol") == len(LOOP), "each of lap 1's decisions has its protocol"
    laps = page.split('id="laps-heading"', 1)[1].split("</section>", 1)[0]
    assert "@" not in laps and "Ny måling" in laps, "labels and names, never ids or e-mail"

    gate = mette.get(f"/projects/{KEY}/gates/maling-afsluttet").text
    assert gate.split('id="current-lap">', 1)[1].startswith("Runde 2")
    assert 'href="#decisions"' in gate
    assert 'id="decision-lap-' in gate and "Runde 1" in gate.split('id="decisions"', 1)[1]
    assert "/protocol" in gate.split('id="decisions"', 1)[1]
