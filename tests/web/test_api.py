"""The JSON API under /api/v1, on SQLite and PostgreSQL: reads, readiness, audit, errors.

Every test builds its own app on the `ctx` fixture (a fresh database of each
kind and a fixed clock), so no test sees another's rows.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.definitions import Catalog
from gatekeeper.errors import DatabaseUnavailable, DefinitionError
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from gatekeeper.web import api as api_package
from gatekeeper.web.app import API_PREFIX, create_app
from tests.apps import app_for
from tests.factories import (
    IBIC_MEMBERS,
    PROJEKTLEDARE,
    STYRGRUPP,
    api_client,
    approve_gate,
    bearer,
    start_ibic,
    tick_gate,
)

PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
UNREACHABLE_POSTGRES = "postgresql://nobody@127.0.0.1:1/gatekeeper"


@pytest.fixture
def client(ctx: Context) -> TestClient:
    return api_client(ctx)


def _problem(response: Any, status: int) -> dict[str, Any]:
    """The response's problem document, after checking it is one with `status`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["instance"] == response.request.url.path
    assert body["title"] and body["detail"]
    return body


def _readiness(client: TestClient, key: str, gate_id: str) -> dict[str, Any]:
    response = client.get(f"{API_PREFIX}/projects/{key}/gates/{gate_id}/readiness")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _walk(client: TestClient, query: str, limit: int) -> tuple[list[int], int]:
    """Every event's seq over all pages of `query`, and how many pages it took."""
    seqs: list[int] = []
    pages = 0
    cursor: str | None = None
    while True:
        url = f"{API_PREFIX}/audit-events?limit={limit}{query}"
        if cursor is not None:
            url += f"&cursor={cursor}"
        response = client.get(url)
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        assert len(page["items"]) <= limit
        seqs.extend(event["seq"] for event in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return seqs, pages
        assert pages < 1000, "pagination does not end"


# --- health and definitions -------------------------------------------------------------


def test_health_reports_ok_and_the_schema_revision(client: TestClient, database: Database) -> None:
    response = client.get(f"{API_PREFIX}/health")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == database.url.get_backend_name()
    assert body["schema_revision"] == migration.head_revision()
    assert body["version"]


def test_workflows_list_both_shipped_models_with_phases_and_gates(client: TestClient) -> None:
    response = client.get(f"{API_PREFIX}/workflows")

    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    by_id = {workflow["id"]: workflow for workflow in body["items"]}
    assert {"inforande", "forankring"} <= by_id.keys()
    inforande = by_id["inforande"]
    assert [p["id"] for p in inforande["phases"]] == [
        "forstudie",
        "beslut",
        "genomforande",
        "driftoverlamning",
        "uppfoljning",
        "avslutad",
    ]
    assert inforande["initial"] == "forstudie"
    assert [g["id"] for g in inforande["gates"]][:3] == [
        "forstudie-klar",
        "beslut-om-genomforande",
        "go-live",
    ]
    forankring = by_id["forankring"]
    assert forankring["initial"] == "maling"
    assert not any(phase["final"] for phase in forankring["phases"])  # a cycle, no end
    assert {(g["from_phase"], g["to_phase"]) for g in forankring["gates"]} == {
        ("maling", "plan"),
        ("plan", "gennemforelse"),
        ("gennemforelse", "opfolgning"),
        ("opfolgning", "maling"),
    }


def test_one_workflow_shows_its_gates_criteria_and_approval(client: TestClient) -> None:
    response = client.get(f"{API_PREFIX}/workflows/inforande")

    assert response.status_code == 200
    workflow = response.json()
    assert (workflow["id"], workflow["version"]) == ("inforande", 3)
    assert workflow["name"] == "Införandeprojekt"
    assert len(workflow["content_hash"]) == 64
    assert any(role["id"] == "styrgrupp" for role in workflow["roles"])
    first = workflow["gates"][0]
    assert (first["id"], first["from_phase"], first["to_phase"]) == (
        "forstudie-klar",
        "forstudie",
        "beslut",
    )
    assert first["checklists"] == ["forstudie"]
    assert [c["kind"] for c in first["criteria"]] == [
        "mandatory_items_done",
        "completion_share",
        "max_open_risk_score",
    ]
    assert first["approval"]["deciders"] == "styrgrupp"
    go_live = next(g for g in workflow["gates"] if g["id"] == "go-live")
    assert go_live["checklists"] == ["inforandestart", "cutover", "rollback"]


def test_checklist_templates_list_and_one_template(client: TestClient) -> None:
    listed = client.get(f"{API_PREFIX}/checklist-templates")
    assert listed.status_code == 200
    ids = {template["id"] for template in listed.json()["items"]}
    assert {"forstudie", "beslut", "inforandestart", "cutover", "ics-plan"} <= ids

    response = client.get(f"{API_PREFIX}/checklist-templates/inforandestart")

    assert response.status_code == 200
    template = response.json()
    assert template["id"] == "inforandestart"
    assert len(template["items"]) == 15
    first = template["items"][0]
    assert (first["id"], first["mandatory"], first["due"]) == ("tidig-involvering", True, "-52w")
    assert [i["id"] for i in template["items"] if not i["mandatory"]] == ["traning"]


# --- projects ---------------------------------------------------------------------------


def test_projects_list_is_empty_then_shows_the_started_project(
    ctx: Context, client: TestClient
) -> None:
    assert client.get(f"{API_PREFIX}/projects").json() == {"items": [], "next_cursor": None}

    start_ibic(ctx)

    response = client.get(f"{API_PREFIX}/projects")
    assert response.status_code == 200
    [project] = response.json()["items"]
    assert project["key"] == "ibic-alingsas"
    assert project["name"] == "Införande av IBIC"
    assert project["organisation"] == "Vård- och omsorgsförvaltningen, Alingsås kommun"
    assert (project["workflow_id"], project["workflow_version"]) == ("inforande", 3)
    assert (project["phase"], project["status"]) == ("forstudie", "active")
    assert project["started_on"] == "2026-09-01"


def test_project_detail_has_phase_members_targets_history_and_next_gates(
    ctx: Context, client: TestClient
) -> None:
    start_ibic(ctx)

    response = client.get(f"{API_PREFIX}/projects/ibic-alingsas")

    assert response.status_code == 200
    project = response.json()
    assert (project["phase"], project["phase_name"]) == ("forstudie", "Förstudie")
    assert {(m["email"], m["role"]) for m in project["members"]} == {
        (m.email, m.role) for m in IBIC_MEMBERS
    }
    assert project["gate_targets"] == {
        "forstudie-klar": "2026-12-15",
        "beslut-om-genomforande": "2027-02-15",
        "go-live": "2027-09-01",
        "driftoverlamning-godkand": "2027-12-01",
    }
    [start] = project["history"]
    assert (start["gate_id"], start["from_phase"], start["to_phase"]) == (
        None,
        None,
        "forstudie",
    )
    assert start["actor"] == str(PROJEKTLEDARE)
    assert project["next_gates"] == ["forstudie-klar"]


def test_project_detail_follows_a_passed_gate(ctx: Context, client: TestClient) -> None:
    start_ibic(ctx)
    tick_gate(ctx, "ibic-alingsas", "forstudie-klar")
    approve_gate(ctx, "ibic-alingsas", "forstudie-klar")

    project = client.get(f"{API_PREFIX}/projects/ibic-alingsas").json()

    assert (project["phase"], project["phase_name"]) == ("beslut", "Beslut")
    assert project["next_gates"] == ["beslut-om-genomforande"]
    last = project["history"][-1]
    assert (last["gate_id"], last["from_phase"], last["to_phase"]) == (
        "forstudie-klar",
        "forstudie",
        "beslut",
    )
    assert last["actor"] and last["motivation"]


# --- readiness --------------------------------------------------------------------------


def test_readiness_judges_every_criterion_in_swedish(ctx: Context, client: TestClient) -> None:
    start_ibic(ctx)

    readiness = _readiness(client, "ibic-alingsas", "forstudie-klar")

    assert readiness["gate_name"] == "Förstudie klar"
    assert (readiness["from_phase"], readiness["to_phase"]) == ("forstudie", "beslut")
    assert readiness["is_current"] is True
    assert readiness["passed"] is False
    assert readiness["summary"].startswith("Grinden kan inte passeras")
    criteria = {c["kind"]: c for c in readiness["criteria"]}
    assert list(criteria) == ["mandatory_items_done", "completion_share", "max_open_risk_score"]
    mandatory = criteria["mandatory_items_done"]
    assert (mandatory["passed"], mandatory["measured"], mandatory["required"]) == (
        False,
        "0 av 12",
        "12 av 12",
    )
    assert mandatory["message"] == "12 obligatoriska punkter är inte klara."
    assert mandatory["message_en"] == "12 mandatory items are not done."
    assert len(mandatory["details"]) == 12
    assert all(detail.startswith("Ej klar: ") for detail in mandatory["details"])
    share = criteria["completion_share"]
    assert (share["passed"], share["measured"], share["required"]) == (False, "0 %", "minst 80 %")
    assert "80 %" in share["message"]
    risk = criteria["max_open_risk_score"]
    assert risk["passed"] is True
    assert risk["required"] == "högst 9"


def test_readiness_dates_every_item_from_the_gate_target(ctx: Context, client: TestClient) -> None:
    start_ibic(ctx)

    readiness = _readiness(client, "ibic-alingsas", "go-live")

    assert readiness["target_date"] == "2027-09-01"
    assert readiness["is_current"] is False
    items = {(i["checklist_id"], i["item_id"]): i for i in readiness["items"]}
    assert sum(1 for checklist, _ in items if checklist == "inforandestart") == 15
    assert {checklist for checklist, _ in items} == {"inforandestart", "cutover", "rollback"}
    target = date(2027, 9, 1)
    # -52w, -39w and -90d before go-live, as the checklist template says
    assert items["inforandestart", "tidig-involvering"]["due_on"] == str(
        target - timedelta(weeks=52)
    )
    assert items["inforandestart", "styrning-och-ledning"]["due_on"] == str(
        target - timedelta(weeks=39)
    )
    assert items["inforandestart", "utbildning"]["due_on"] == str(target - timedelta(days=90))
    first = items["inforandestart", "tidig-involvering"]
    assert (first["status"], first["mandatory"], first["evidence"]) == ("open", True, None)
    # Today is 25 November 2026: items due a year before go-live are already late.
    assert first["overdue"] is True
    assert items["inforandestart", "utbildning"]["overdue"] is False


def test_items_become_overdue_when_the_clock_passes_their_deadline(
    ctx: Context, clock: FixedClock, client: TestClient
) -> None:
    start_ibic(ctx)
    gate = "beslut-om-genomforande"  # target 15 February 2027, items due 1-3 weeks before
    before = _readiness(client, "ibic-alingsas", gate)
    assert before["items"] and not any(item["overdue"] for item in before["items"])

    clock.set(datetime(2027, 2, 2, 9, 0, tzinfo=UTC))  # 2 February 2027 in Stockholm
    after = _readiness(client, "ibic-alingsas", gate)

    today = date(2027, 2, 2)
    overdue = {i["item_id"] for i in after["items"] if i["overdue"]}
    assert overdue == {
        i["item_id"] for i in after["items"] if date.fromisoformat(i["due_on"]) < today
    }
    assert "effektmal-projektmal" in overdue  # due 25 January (-3w)
    assert "budget" in overdue  # due 1 February (-2w)
    assert "projektplan" not in overdue  # due 8 February (-1w)

    clock.set(datetime(2027, 2, 16, 9, 0, tzinfo=UTC))  # the day after the target
    late = _readiness(client, "ibic-alingsas", gate)
    assert all(item["overdue"] for item in late["items"])


def test_readiness_changes_after_ticking_through_the_service(
    ctx: Context, client: TestClient
) -> None:
    start_ibic(ctx)
    assert _readiness(client, "ibic-alingsas", "forstudie-klar")["passed"] is False

    ticked = tick_gate(ctx, "ibic-alingsas", "forstudie-klar")

    readiness = _readiness(client, "ibic-alingsas", "forstudie-klar")
    assert ticked == len(readiness["items"]) == 14
    assert readiness["passed"] is True
    assert all(c["passed"] for c in readiness["criteria"])
    criteria = {c["kind"]: c for c in readiness["criteria"]}
    assert criteria["mandatory_items_done"]["measured"] == "12 av 12"
    assert criteria["completion_share"]["measured"] == "100 %"
    assert all(item["status"] == "done" for item in readiness["items"])
    assert not any(item["overdue"] for item in readiness["items"])
    evidenced = [i for i in readiness["items"] if i["evidence_required"]]
    assert evidenced and all(i["evidence"].startswith("https://") for i in evidenced)
    assert all(i["updated_by"] == str(PROJEKTLEDARE) for i in readiness["items"])


def test_ticking_an_item_that_demands_evidence_without_it_is_refused(
    ctx: Context, client: TestClient
) -> None:
    start_ibic(ctx)
    readiness = _readiness(client, "ibic-alingsas", "go-live")
    item = next(i for i in readiness["items"] if i["evidence_required"])
    url = (
        f"{API_PREFIX}/projects/ibic-alingsas/gates/go-live/items/"
        f"{item['checklist_id']}/{item['item_id']}"
    )

    refused = client.patch(url, json={"status": "done"})

    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["field"] == "evidence"
    assert "kräver underlag" in refused.json()["detail"]
    assert client.get(url).json()["status"] == "open"
    ticked = client.patch(
        url,
        json={"status": "done", "evidence": "https://intranat.alingsas.se/ibic/cutover-plan.pdf"},
    )
    assert ticked.status_code == 200, ticked.text
    assert ticked.json()["status"] == "done"


# --- audit events -----------------------------------------------------------------------


def _two_projects(ctx: Context, clock: FixedClock) -> None:
    start_ibic(ctx)
    clock.advance(timedelta(hours=1))
    start_ibic(ctx, key="ibic-lerum")
    clock.advance(timedelta(hours=1))
    tick_gate(ctx, "ibic-alingsas", "forstudie-klar")
    approve_gate(ctx, "ibic-alingsas", "forstudie-klar")  # the styrgrupp votes go


def test_audit_events_come_oldest_first_with_their_hashes(
    ctx: Context, clock: FixedClock, client: TestClient
) -> None:
    _two_projects(ctx, clock)

    page = client.get(f"{API_PREFIX}/audit-events?limit=500").json()

    events = page["items"]
    assert page["next_cursor"] is None
    seqs = [event["seq"] for event in events]
    assert seqs == list(range(1, len(events) + 1))
    assert seqs == [event.seq for event in audit_log.list_events(ctx, limit=500)]
    assert all(len(event["hash"]) == 64 for event in events)
    assert events[-1]["action"] == "phase.changed"
    assert events[-1]["before"] == {"phase": "forstudie"}


def test_audit_events_filter_by_project(
    ctx: Context, clock: FixedClock, client: TestClient
) -> None:
    _two_projects(ctx, clock)

    alingsas = client.get(f"{API_PREFIX}/audit-events?project=ibic-alingsas&limit=500").json()
    lerum = client.get(f"{API_PREFIX}/audit-events?project=ibic-lerum&limit=500").json()

    alingsas_seqs = [e["seq"] for e in alingsas["items"]]
    lerum_seqs = [e["seq"] for e in lerum["items"]]
    assert alingsas_seqs and lerum_seqs
    assert not set(alingsas_seqs) & set(lerum_seqs)
    assert alingsas_seqs == [
        e.seq for e in audit_log.list_events(ctx, project_key="ibic-alingsas", limit=500)
    ]
    assert lerum_seqs == [
        e.seq for e in audit_log.list_events(ctx, project_key="ibic-lerum", limit=500)
    ]
    assert {"gate.vote_cast", "phase.changed"} <= {e["action"] for e in alingsas["items"]}
    assert "phase.changed" not in {e["action"] for e in lerum["items"]}


def test_audit_events_filter_by_actor(ctx: Context, clock: FixedClock, client: TestClient) -> None:
    _two_projects(ctx, clock)

    response = client.get(
        f"{API_PREFIX}/audit-events", params={"actor": str(STYRGRUPP), "limit": 500}
    )

    assert response.status_code == 200
    events = response.json()["items"]
    assert [e["action"] for e in events] == ["gate.vote_cast"]
    assert {e["actor"] for e in events} == {str(STYRGRUPP)}
    assert [e["seq"] for e in events] == [
        e.seq for e in audit_log.list_events(ctx, actor=str(STYRGRUPP), limit=500)
    ]
    nobody = client.get(f"{API_PREFIX}/audit-events", params={"actor": "user:ingen@example.se"})
    assert nobody.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("limit", [1, 7, 10])
def test_cursor_walk_yields_every_event_once_in_order(
    ctx: Context, clock: FixedClock, client: TestClient, limit: int
) -> None:
    _two_projects(ctx, clock)
    everything = [e.seq for e in audit_log.list_events(ctx, limit=500)]

    seqs, pages = _walk(client, "", limit)

    assert seqs == everything
    assert pages >= len(everything) // limit


def test_cursor_walk_keeps_the_project_filter(
    ctx: Context, clock: FixedClock, client: TestClient
) -> None:
    _two_projects(ctx, clock)
    expected = [e.seq for e in audit_log.list_events(ctx, project_key="ibic-lerum", limit=500)]

    seqs, _ = _walk(client, "&project=ibic-lerum", 3)

    assert seqs == expected


# --- errors -----------------------------------------------------------------------------


def test_unknown_project_is_a_404_problem(client: TestClient) -> None:
    body = _problem(client.get(f"{API_PREFIX}/projects/finns-inte"), 404)

    assert body["type"].endswith("/not-found")
    assert body["title"] == "Not found"
    assert "finns-inte" in body["detail"]
    assert body["instance"] == f"{API_PREFIX}/projects/finns-inte"


def test_unknown_gate_is_a_404_problem(ctx: Context, client: TestClient) -> None:
    start_ibic(ctx)

    body = _problem(client.get(f"{API_PREFIX}/projects/ibic-alingsas/gates/nej/readiness"), 404)

    assert "nej" in body["detail"]


def test_readiness_of_an_unknown_project_is_a_404_problem(client: TestClient) -> None:
    _problem(client.get(f"{API_PREFIX}/projects/finns-inte/gates/go-live/readiness"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/workflows/finns-inte",
        "/workflows/inforande?version=99",
        "/checklist-templates/finns-inte",
        "/audit-events?project=finns-inte",
    ],
)
def test_unknown_definitions_are_404_problems(client: TestClient, path: str) -> None:
    body = _problem(client.get(API_PREFIX + path), 404)

    assert "finns-inte" in body["detail"] or "99" in body["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=-3", "limit"),
        ("limit=abc", "limit"),
        ("limit=100000", "limit"),
        ("cursor=abc", "cursor"),
        ("cursor=-1", "cursor"),
    ],
)
def test_bad_paging_is_a_422_problem_naming_the_field(
    client: TestClient, query: str, field: str
) -> None:
    body = _problem(client.get(f"{API_PREFIX}/audit-events?{query}"), 422)

    assert body["type"].endswith("/validation-failed")
    assert body["field"] == field
    assert field in body["detail"]


def test_unknown_route_under_api_is_a_404_problem(client: TestClient) -> None:
    body = _problem(client.get("/api/v1/finns-inte"), 404)
    assert body["type"].endswith("/not-found")
    _problem(client.get("/api/nagot"), 404)


def test_wrong_method_under_api_is_a_405_problem(client: TestClient) -> None:
    response = client.delete(f"{API_PREFIX}/projects")

    body = _problem(response, 405)
    assert body["type"].endswith("/method-not-allowed")
    # every method of the address (GET and POST /projects), not only the first route's
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"


def test_unknown_page_outside_api_is_html(client: TestClient) -> None:
    response = client.get("/finns-inte")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = response.text.lower()
    assert page.lstrip().startswith("<!doctype html")
    assert "sidan finns inte" in page  # Swedish, in the web UI's layout
    assert '"type"' not in page  # not a problem document in disguise


class _BrokenCatalog:
    """A catalog that fails in a way no handler expects."""

    def workflows(self) -> list[object]:
        raise RuntimeError("oväntat")


def test_unexpected_error_is_a_500_problem_without_internals(
    database: Database, clock: FixedClock
) -> None:
    broken = Context(db=database, catalog=_BrokenCatalog(), clock=clock)  # type: ignore[arg-type]
    client = TestClient(app_for(broken), raise_server_exceptions=False)
    client.headers.update(bearer(broken, "registrator@alingsas.se", admin=True))

    body = _problem(client.get(f"{API_PREFIX}/workflows"), 500)

    assert body["type"].endswith("/internal-error")
    assert "oväntat fel" in body["detail"]
    assert "RuntimeError" not in body["detail"]


def test_health_says_degraded_when_the_database_is_gone(catalog: Catalog) -> None:
    database = Database(UNREACHABLE_POSTGRES)
    client = TestClient(app_for(Context(db=database, catalog=catalog)))
    try:
        response = client.get(f"{API_PREFIX}/health")
    finally:
        database.dispose()

    assert response.status_code == 503  # monitors notice
    body = response.json()
    assert body["status"] == "degraded"
    assert body["schema_revision"] is None


def test_database_lost_after_start_is_a_503_problem(catalog: Catalog) -> None:
    database = Database(UNREACHABLE_POSTGRES)
    client = TestClient(
        app_for(Context(db=database, catalog=catalog)), raise_server_exceptions=False
    )
    token = "gk_0123456789ab_" + "x" * 43  # well-formed; checking it needs the database
    try:
        response = client.get(
            f"{API_PREFIX}/projects", headers={"Authorization": f"Bearer {token}"}
        )
    finally:
        database.dispose()

    body = _problem(response, 503)
    assert body["type"].endswith("/database-unavailable")


# --- documentation ----------------------------------------------------------------------


def _api_router_paths() -> set[str]:
    """Every documented path of every router module under gatekeeper.web.api."""
    paths: set[str] = set()
    for module_info in pkgutil.walk_packages(api_package.__path__, f"{api_package.__name__}."):
        module = importlib.import_module(module_info.name)
        router = getattr(module, "router", None)
        if router is None:
            continue
        paths |= {
            API_PREFIX + route.path
            for route in router.routes
            if isinstance(route, APIRoute) and route.include_in_schema
        }
    return paths


def test_openapi_lists_every_route(client: TestClient) -> None:
    response = client.get(f"{API_PREFIX}/openapi.json")

    assert response.status_code == 200
    document = response.json()
    paths = {path for path in document["paths"] if path.startswith(API_PREFIX)}
    assert {
        f"{API_PREFIX}/health",
        f"{API_PREFIX}/workflows",
        f"{API_PREFIX}/workflows/{{workflow_id}}",
        f"{API_PREFIX}/checklist-templates",
        f"{API_PREFIX}/checklist-templates/{{checklist_id}}",
        f"{API_PREFIX}/projects",
        f"{API_PREFIX}/projects/{{project_key}}",
        f"{API_PREFIX}/projects/{{project_key}}/gates/{{gate_id}}/readiness",
        f"{API_PREFIX}/audit-events",
    } <= paths
    assert paths == _api_router_paths()
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert operation.get("summary"), f"{path} has no summary"


def test_docs_page_is_html(client: TestClient) -> None:
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "swagger" in response.text.lower()
    assert f"{API_PREFIX}/openapi.json" in response.text


# --- start-up refusals ------------------------------------------------------------------

BROKEN_WORKFLOW = """\
kind: workflow
id: trasig
version: 1
name: Trasig fasmodell
roles:
  - id: projektledare
    name: Projektledare
  - id: styrgrupp
    name: Styrgrupp
initial: forstudie
phases:
  - id: forstudie
    name: Förstudie
  - id: avslutad
    name: Avslutad
    final: true
gates:
  - id: klar
    name: Klar
    from: forstudie
    to: avslutat
"""


def test_app_refuses_to_start_on_a_broken_workflow(tmp_path: Path) -> None:
    folder = tmp_path / "workflows"
    folder.mkdir()
    broken = folder / "trasig.yaml"
    broken.write_text(BROKEN_WORKFLOW, encoding="utf-8")
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", workflows_dir=[folder])

    with pytest.raises(DefinitionError) as refused:
        create_app(settings)

    [problem] = [p for p in refused.value.problems if "avslutat" in p.message]
    assert (problem.line, problem.column) == (21, 9)
    assert f"{broken}:21:9: " in str(refused.value)
    assert not (tmp_path / "x.db").exists()  # definitions are checked before the database


def test_app_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'tom.db'}")

    with pytest.raises(DatabaseUnavailable) as refused:
        create_app(settings)

    assert "gatekeeper db upgrade" in refused.value.message


def test_app_refuses_an_unreachable_database_in_one_line() -> None:
    settings = Settings(database_url=UNREACHABLE_POSTGRES)

    with pytest.raises(DatabaseUnavailable) as refused:
        create_app(settings)

    message = refused.value.message
    assert "\n" not in message
    assert message.startswith("Cannot reach the database postgresql")
    assert "127.0.0.1:1" in message


def test_app_built_from_settings_serves_a_migrated_database(database_url: str) -> None:
    setup = Database(database_url)
    migration.upgrade(setup)
    setup.dispose()

    app = create_app(Settings(database_url=database_url))
    try:
        response = TestClient(app).get(f"{API_PREFIX}/health")
    finally:
        app.state.context.db.dispose()

    assert response.json()["status"] == "ok"


def test_projects_started_through_the_service_use_the_context_clock(
    ctx: Context, clock: FixedClock, client: TestClient
) -> None:
    clock.set(datetime(2027, 3, 1, 8, 30, tzinfo=UTC))
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="vardens-medarbetare",
        name="Vårdens medarbetare",
        workflow_id="inforande",
    )

    # The fixture's token (made 2026-11-25, valid 90 days) has expired by now.
    assert client.get(f"{API_PREFIX}/projects").status_code == 401
    [project] = api_client(ctx).get(f"{API_PREFIX}/projects").json()["items"]

    assert project["created_at"] == "2027-03-01T08:30:00Z"
