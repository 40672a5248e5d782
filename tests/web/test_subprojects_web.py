"""Delprojekt over the API and on the project pages, on SQLite and PostgreSQL: created as a
delprojekt, linked and unlinked with If-Match, a cycle or an unknown parent a problem naming
`parent`, who may link (403) and who may not even see (404); the parent's page lists its
delprojekt with phase, projektledare and handover, and a delprojekt's page names its parent.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import subproject as subprojects
from tests.factories import ADMIN, api_client, start_ibic
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD, csrf_of
from tests.web.test_work_api import ANITA, problem

PARENT = "ibic-alingsas"
CHILD = "ibic-utbildning"
LARS = "lars.carlsson@alingsas.se"


@pytest.fixture
def two(ctx: Context) -> Context:
    start_ibic(ctx)
    start_ibic(ctx, key=CHILD)
    return ctx


def _put(client: TestClient, key: str, body: dict[str, Any], version: str | None = None) -> Any:
    headers = {"If-Match": version} if version else {}
    return client.put(f"/api/v1/projects/{key}/parent", json=body, headers=headers)


def test_a_project_is_created_as_a_delprojekt_through_the_api(ctx: Context) -> None:
    start_ibic(ctx)
    admin = api_client(ctx)
    body = {
        "key": "ibic-dokumentation",
        "name": "Delprojekt: dokumentation i Combine",
        "workflow_id": "inforande",
        "parent": PARENT,
        "receiving_unit": "Vård- och omsorgsförvaltningen, Alingsås kommun",
    }
    assert admin.post("/api/v1/projects", json=body).status_code == 201

    family = admin.get(f"/api/v1/projects/{PARENT}/parent").json()
    assert [s["key"] for s in family["subprojects"]] == ["ibic-dokumentation"]
    assert family["subprojects"][0]["handed_over"] is False
    child = admin.get("/api/v1/projects/ibic-dokumentation/parent").json()
    assert child["parent"] == PARENT and child["parent_name"] == "Införande av IBIC"

    bad = admin.post("/api/v1/projects", json=body | {"key": "ibic-x", "parent": "finns-inte"})
    problem(bad, 422, "parent")
    assert admin.get("/api/v1/projects/ibic-x").status_code == 404


def test_put_links_with_if_match_and_refuses_a_cycle_naming_parent(two: Context) -> None:
    anita = api_client(two, ANITA)  # the projektledare of both

    linked = _put(anita, CHILD, {"parent": PARENT, "receiving_unit": "HR, Alingsås"}, '"1"')
    assert linked.status_code == 200, linked.text
    assert linked.json()["parent"] == PARENT and linked.headers["ETag"] == '"2"'
    problem(_put(anita, CHILD, {"parent": None}, '"1"'), 412)

    cycle = problem(_put(anita, PARENT, {"parent": CHILD}), 422, "parent")
    assert "delprojekt" in cycle["detail"]
    problem(_put(anita, PARENT, {"parent": PARENT}), 422, "parent")
    problem(_put(anita, CHILD, {"parent": "finns-inte"}), 422, "parent")
    assert anita.get(f"/api/v1/projects/{PARENT}/parent").json()["parent"] is None

    unlinked = _put(anita, CHILD, {"parent": None})
    assert unlinked.json()["parent"] is None


def test_a_styrgrupp_member_may_not_link_and_an_outsider_sees_nothing(two: Context) -> None:
    lars = api_client(two, LARS)
    problem(_put(lars, CHILD, {"parent": PARENT}), 403)
    assert lars.get(f"/api/v1/projects/{CHILD}/parent").json()["parent"] is None

    outsider = api_client(two, "okand@boras.se")
    problem(outsider.get(f"/api/v1/projects/{PARENT}/parent"), 404)
    problem(_put(outsider, CHILD, {"parent": PARENT}), 404)


@pytest.fixture
def web(two: Context) -> Context:
    accounts.create_user(two, ADMIN, email=ADMIN.id, name=ADMIN.name, is_admin=True)
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson")):
        accounts.create_user(two, ADMIN, email=email, name=name)
        logins.set_password(two, ADMIN, email=email, password=PASSWORD)
    return two


def test_the_projektledare_links_a_delprojekt_from_the_parents_page(web: Context) -> None:
    anita = client_for(web, ANITA)
    page = f"/projects/{PARENT}"
    form = {"csrf_token": csrf_of(anita, page), "child": CHILD, "receiving_unit": "HR, Alingsås"}

    answer = anita.post(f"{page}/subprojects", data=form, follow_redirects=False)

    assert answer.status_code == 303, answer.text
    parent_page = anita.get(page).text
    assert f'href="/projects/{CHILD}"' in parent_page
    assert "Förstudie" in parent_page and "Inte överlämnat" in parent_page
    child_page = anita.get(f"/projects/{CHILD}").text
    assert 'id="project-parent"' in child_page and "lämnas över till HR, Alingsås" in child_page


def test_a_cycle_from_the_page_comes_back_with_the_field_marked(web: Context) -> None:
    subprojects.set_parent(web, ADMIN, project_key=CHILD, parent_key=PARENT)
    anita = client_for(web, ANITA)
    page = f"/projects/{CHILD}"
    # The parent is no choice on its delprojekt's page; a hand-made form is refused.
    assert f'<option value="{PARENT}"' not in anita.get(page).text
    form = {"csrf_token": csrf_of(anita, page), "child": PARENT, "receiving_unit": ""}

    answer = anita.post(f"{page}/subprojects", data=form)

    assert answer.status_code == 422
    assert 'href="#add-subproject-child"' in answer.text
    assert subprojects.family(web, PARENT).parent is None


def test_a_styrgrupp_member_sees_the_delprojekt_but_no_form_and_is_refused(web: Context) -> None:
    subprojects.set_parent(web, ADMIN, project_key=CHILD, parent_key=PARENT)
    lars = client_for(web, LARS)
    page = f"/projects/{PARENT}"

    text = lars.get(page).text
    assert f'href="/projects/{CHILD}"' in text and 'id="add-subproject"' not in text
    assert "/unlink" not in text
    answer = lars.post(
        f"{page}/subprojects/{CHILD}/unlink", data={"csrf_token": csrf_of(lars, page)}
    )
    assert answer.status_code == 403
    assert subprojects.family(web, CHILD).parent is not None
