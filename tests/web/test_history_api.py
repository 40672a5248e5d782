"""A project's state at a past moment, rebuilt from the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import risk as risks
from tests.factories import PROJEKTLEDARE, api_client, approve_gate, start_ibic, tick_gate

KEY = "ibic-alingsas"


def test_state_as_of_a_past_date_is_replayed_from_the_audit_log(
    ctx: Context, clock: FixedClock
) -> None:
    start_ibic(ctx)  # 2026-11-25
    clock.advance(timedelta(days=1))
    tick_gate(ctx, KEY, "forstudie-klar")  # 2026-11-26
    clock.advance(timedelta(days=1))
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Ombuden hinner inte utbildas",
        probability=2,
        consequence=3,
    )
    approve_gate(ctx, KEY, "forstudie-klar")  # 2026-11-27
    clock.advance(timedelta(days=1))
    gate_dates.set_gate_target(
        ctx, PROJEKTLEDARE, project_key=KEY, gate_id="go-live", target_date=date(2027, 10, 1)
    )
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        checklist_id="forstudie",
        item_id="intervjuer",
        status=ItemStatus.OPEN,
    )
    client = api_client(ctx)

    first_day = client.get(f"/api/v1/projects/{KEY}/state", params={"at": "2026-11-25"}).json()
    assert first_day["phase"] == "forstudie" and first_day["items"] == {}
    assert first_day["gate_targets"]["go-live"] == "2027-09-01"

    ticked = client.get(f"/api/v1/projects/{KEY}/state", params={"at": "2026-11-26"}).json()
    assert ticked["items"]["forstudie-klar/forstudie/intervjuer"] == "done"
    assert ticked["risks"] == {}

    decided = client.get(f"/api/v1/projects/{KEY}/state", params={"at": "2026-11-27"}).json()
    assert decided["phase"] == "beslut"
    assert [d["outcome"] for d in decided["gate_decisions"]] == ["go"]
    assert [r["title"] for r in decided["risks"].values()] == ["Ombuden hinner inte utbildas"]

    now = client.get(f"/api/v1/projects/{KEY}/state", params={"at": "2026-11-28"}).json()
    assert now["gate_targets"]["go-live"] == "2027-10-01"
    assert now["items"]["forstudie-klar/forstudie/intervjuer"] == "open"

    before = client.get(f"/api/v1/projects/{KEY}/state", params={"at": "2026-01-01"}).json()
    assert before["exists"] is False and before["events"] == 0


def test_state_needs_a_valid_moment(ctx: Context) -> None:
    start_ibic(ctx)
    response = api_client(ctx).get(f"/api/v1/projects/{KEY}/state", params={"at": "igår"})
    assert response.status_code == 422
    assert response.json()["field"] == "at"
