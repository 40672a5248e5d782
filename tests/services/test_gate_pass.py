"""Passing a gate that has no approval policy: by its passed_by role (default projektledare)
when its criteria hold; refused with the failing criteria in words, refused for anyone
else (403) and for gates that need a review. Service and API, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.clock import FixedClock
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.definitions.catalog import Catalog
from gatekeeper.errors import PermissionDenied, TransitionRefused
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import overview as overviews
from gatekeeper.services.projects import project as projects
from gatekeeper.store.database import Database
from gatekeeper.web.app import API_PREFIX
from tests.apps import app_for
from tests.factories import (
    IBIC_MEMBERS,
    IBIC_TARGETS,
    PROJEKTLEDARE,
    STYRGRUPP,
    api_client,
    start_ibic,
    tick_gate,
)

WORKFLOW = "inforande-forstudie-utan-beslut"
KEY = "ibic-alingsas"
GATE = "forstudie-klar"


def _without_approval(folder: Path, passed_by: str | None) -> Path:
    """The shipped inforande workflow, renamed, whose förstudie gate has no approval."""
    source = (shipped_workflows_dir() / "inforande.yaml").read_text(encoding="utf-8")
    source = source.replace("id: inforande\n", f"id: {WORKFLOW}\n", 1)
    start = source.index(f"  - id: {GATE}\n")
    found = re.compile(r"    approval:\n(?:      .*\n)+").search(source, start)
    assert found is not None
    replacement = f"    passed_by: {passed_by}\n" if passed_by else ""
    source = source[: found.start()] + replacement + source[found.end() :]
    directory = folder / "workflows"
    directory.mkdir()
    (directory / f"{WORKFLOW}.yaml").write_text(source, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def policy_free(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    folder = _without_approval(tmp_path_factory.mktemp("wf"), None)
    return load_catalog([shipped_workflows_dir(), folder], [shipped_checklists_dir()])


@pytest.fixture
def free(database: Database, policy_free: Catalog, clock: FixedClock) -> Context:
    ctx = Context(db=database, catalog=policy_free, clock=clock)
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=KEY,
        name="Införande av IBIC",
        workflow_id=WORKFLOW,
        started_on=date(2026, 9, 1),
        gate_targets=IBIC_TARGETS,
        members=IBIC_MEMBERS,
    )
    return ctx


def test_the_projektledare_passes_a_gate_without_policy_when_its_criteria_hold(
    free: Context,
) -> None:
    tick_gate(free, KEY, GATE)
    change = gates.pass_gate(
        free, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, motivation="Förstudien är klar."
    )
    assert (change.from_phase, change.to_phase) == ("forstudie", "beslut")
    assert overviews.project_overview(free, KEY).project.phase == "beslut"
    event = audit_log.list_events(free, project_key=KEY)[-1]
    assert event.action == "phase.changed"


def test_failing_criteria_are_named_in_words_and_nothing_changes(free: Context) -> None:
    with pytest.raises(TransitionRefused) as refused:
        gates.pass_gate(free, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, motivation="Klart.")
    assert refused.value.verdict is not None
    assert any("obligatoriska" in r.message_sv for r in refused.value.verdict.failed)
    assert overviews.project_overview(free, KEY).project.phase == "forstudie"


def test_a_styrgrupp_member_may_not_pass_it(free: Context) -> None:
    tick_gate(free, KEY, GATE)
    before = audit_log.list_events(free, project_key=KEY, limit=500)
    with pytest.raises(PermissionDenied, match="Projektledare"):
        gates.pass_gate(free, STYRGRUPP, project_key=KEY, gate_id=GATE, motivation="Klart.")
    assert overviews.project_overview(free, KEY).project.phase == "forstudie"
    after = audit_log.list_events(free, project_key=KEY, limit=500)
    assert len(after) == len(before) + 1  # the refusal, and nothing else
    refusal = after[-1]
    assert (refusal.action, refusal.object_type, refusal.object_id) == (
        "change.refused",
        "gate",
        f"{KEY}/{GATE}",
    )
    assert refusal.after is not None and refusal.after["action"] == "gate.pass"
    assert "Projektledare" in refusal.after["reason"]


def test_passed_by_names_another_role(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    folder = _without_approval(tmp_path, "bestallare")
    catalog = load_catalog([shipped_workflows_dir(), folder], [shipped_checklists_dir()])
    ctx = Context(db=database, catalog=catalog, clock=clock)
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=KEY,
        name="Införande av IBIC",
        workflow_id=WORKFLOW,
        members=IBIC_MEMBERS,
    )
    tick_gate(ctx, KEY, GATE)
    with pytest.raises(PermissionDenied, match="Beställare"):
        gates.pass_gate(ctx, PROJEKTLEDARE, project_key=KEY, gate_id=GATE, motivation="Klart.")
    from tests.factories import BESTALLARE

    gates.pass_gate(ctx, BESTALLARE, project_key=KEY, gate_id=GATE, motivation="Klart.")
    assert overviews.project_overview(ctx, KEY).project.phase == "beslut"


# --- API ---------------------------------------------------------------------------------

URL = f"{API_PREFIX}/projects/{KEY}/gates/{GATE}/pass"


def test_api_passes_the_gate(free: Context) -> None:
    tick_gate(free, KEY, GATE)
    client = api_client(free, PROJEKTLEDARE.id, name=PROJEKTLEDARE.name)
    response = client.post(URL, json={"motivation": "Förstudien är klar och förankrad."})
    assert response.status_code == 200, response.text
    assert (response.json()["from_phase"], response.json()["to_phase"]) == ("forstudie", "beslut")


def test_api_refusal_lists_failed_criteria_in_words(free: Context) -> None:
    client = api_client(free, PROJEKTLEDARE.id, name=PROJEKTLEDARE.name)
    response = client.post(URL, json={"motivation": "Klart."})
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    failed = response.json()["failed_criteria"]
    assert failed and all(c["message"] and c["kind"] for c in failed)


def test_api_refuses_a_styrgrupp_member_with_403(free: Context) -> None:
    tick_gate(free, KEY, GATE)
    client = api_client(free, STYRGRUPP.id, name=STYRGRUPP.name)
    response = client.post(URL, json={"motivation": "Klart."})
    assert response.status_code == 403, response.text


@pytest.mark.parametrize("body", [{}, {"motivation": ""}, {"motivation": "Ok", "extra": 1}])
def test_api_refuses_bad_input(free: Context, body: dict[str, object]) -> None:
    client = api_client(free, PROJEKTLEDARE.id, name=PROJEKTLEDARE.name)
    assert client.post(URL, json=body).status_code == 422


def test_api_refuses_a_gate_with_an_approval_policy(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, KEY, GATE)
    client: TestClient = api_client(ctx, PROJEKTLEDARE.id, name=PROJEKTLEDARE.name)
    response = client.post(URL, json={"motivation": "Klart."})
    assert response.status_code == 409, response.text
    assert "begär en granskning" in response.json()["detail"]


# --- the gate page -----------------------------------------------------------------------


def _web(ctx: Context, email: str, name: str) -> TestClient:
    from gatekeeper.services.access import account as accounts
    from gatekeeper.services.access import login as logins
    from tests.factories import ADMIN
    from tests.web.test_login import PASSWORD, log_in

    accounts.create_user(ctx, ADMIN, email=email, name=name)
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    client = TestClient(app_for(ctx))
    assert log_in(client, email=email).status_code == 303
    return client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


PAGE = f"/projects/{KEY}/gates/{GATE}"


def test_the_gate_page_passes_the_gate_for_the_projektledare(free: Context) -> None:
    client = _web(free, PROJEKTLEDARE.id, PROJEKTLEDARE.name)
    page = client.get(PAGE)
    assert "Passera grinden" in page.text
    refused = client.post(
        f"{PAGE}/pass", data={"csrf_token": _csrf(page.text), "motivation": "Klart."}
    )
    assert refused.status_code == 409
    assert "Det gick inte att spara" in refused.text
    assert "obligatoriska" in refused.text  # a failed criterion in words
    assert overviews.project_overview(free, KEY).project.phase == "forstudie"

    tick_gate(free, KEY, GATE)
    passed = client.post(
        f"{PAGE}/pass",
        data={"csrf_token": _csrf(page.text), "motivation": "Förstudien är klar."},
        follow_redirects=False,
    )
    assert passed.status_code == 303, passed.text
    assert overviews.project_overview(free, KEY).project.phase == "beslut"
    assert "Projektet står nu i fasen Beslut" in client.get(passed.headers["location"]).text


def test_the_gate_page_hides_and_refuses_passing_for_a_styrgrupp_member(free: Context) -> None:
    tick_gate(free, KEY, GATE)
    client = _web(free, STYRGRUPP.id, STYRGRUPP.name)
    page = client.get(PAGE)
    assert "Passera grinden" not in page.text
    refused = client.post(
        f"{PAGE}/pass", data={"csrf_token": _csrf(page.text), "motivation": "Klart."}
    )
    assert refused.status_code == 403
    assert overviews.project_overview(free, KEY).project.phase == "forstudie"
