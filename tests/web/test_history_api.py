"""A project's state at a past moment, rebuilt from the audit log."""

from __future__ import annotations

from datetime import date, timedelta

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ActivityStatus, ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import risk as risks
from tests.factories import (
    ADMIN,
    PROJEKTLEDARE,
    api_client,
    approve_gate,
    start_ibic,
    tick_gate,
)

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
    assert first_day["phase"] == "forstudie"
    assert first_day["items"] and set(first_day["items"].values()) == {"open"}
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


def _state(ctx: Context, at: str) -> dict[str, object]:
    response = api_client(ctx).get(f"/api/v1/projects/{KEY}/state", params={"at": at})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_state_lists_every_item_open_until_touched(ctx: Context, clock: FixedClock) -> None:
    start_ibic(ctx)  # 2026-11-25
    clock.advance(timedelta(days=1))
    checklists.update_item(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        checklist_id="forstudie",
        item_id="intervjuer",
        status=ItemStatus.DONE,
    )
    every_item = {
        f"{gate.gate.id}/{item.checklist_id}/{item.row.item_id}"
        for gate in gates.all_gates(ctx, KEY)
        for item in gate.items
    }

    items = _state(ctx, "2026-11-26")["items"]

    assert isinstance(items, dict)
    assert set(items) == every_item
    assert items["forstudie-klar/forstudie/intervjuer"] == "done"
    assert {status for key, status in items.items() if not key.endswith("/intervjuer")} == {"open"}
    assert _state(ctx, "2026-01-01")["items"] == {}


def test_state_shows_members_and_the_aktivitetsplan_as_they_stood(
    ctx: Context, clock: FixedClock
) -> None:
    start_ibic(ctx)  # 2026-11-25
    clock.advance(timedelta(days=1))  # 2026-11-26
    members.add_member(
        ctx,
        ADMIN,
        project_key=KEY,
        name="Eva Ek",
        email="eva.ek@alingsas.se",
        role="styrgrupp",
    )
    activity = activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Utbilda ombuden",
        start=date(2027, 1, 10),
        end=date(2027, 2, 28),
        responsible="Anita Lindqvist",
    )
    clock.advance(timedelta(days=1))  # 2026-11-27
    members.remove_member(
        ctx, ADMIN, project_key=KEY, email="lars.carlsson@alingsas.se", role="styrgrupp"
    )
    activities.update_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        activity_id=activity.id or 0,
        status=ActivityStatus.IN_PROGRESS,
    )

    def seats(state: dict[str, object]) -> set[tuple[str, str]]:
        listed = state["members"]
        assert isinstance(listed, list)
        return {(m["email"], m["role"]) for m in listed}

    first, second, third = (_state(ctx, day) for day in ("2026-11-25", "2026-11-26", "2026-11-27"))
    assert ("lars.carlsson@alingsas.se", "styrgrupp") in seats(first)
    assert ("eva.ek@alingsas.se", "styrgrupp") not in seats(first)
    assert seats(second) == seats(first) | {("eva.ek@alingsas.se", "styrgrupp")}
    assert seats(third) == seats(second) - {("lars.carlsson@alingsas.se", "styrgrupp")}
    assert first["activities"] == {}
    assert isinstance(second["activities"], dict) and isinstance(third["activities"], dict)
    (planned,) = second["activities"].values()
    assert planned["title"] == "Utbilda ombuden" and planned["status"] == "not_started"
    assert planned["start"] == "2027-01-10"
    (running,) = third["activities"].values()
    assert running["status"] == "in_progress"
