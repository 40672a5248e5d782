"""An admin's token limited to some projects is no installation admin (issue 16, finding 1).

It acts as an admin inside the projects on its list (sees them without being a
member, manages their members, reads their audit events) and nowhere else: no
audit log of the whole installation, no new projects, no one else's tokens.
On SQLite and PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from gatekeeper.core.access import Principal
from gatekeeper.services.context import Context
from gatekeeper.web.app import API_PREFIX
from tests.factories import ADMIN, api_client, start_ibic

KEY = "ibic-alingsas"
OTHER = "ibic-lerum"
ANITA = "anita.lindqvist@alingsas.se"
PROBLEM = "application/problem+json"


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    return body


def _limited_admin(ctx: Context) -> TestClient:
    """The registrator (an admin account, member of no project) with a token for one project."""
    start_ibic(ctx)
    start_ibic(ctx, key=OTHER)
    return api_client(ctx, ADMIN.id, projects_=(KEY,))


def test_a_limited_admin_token_reads_no_audit_log_of_the_whole_installation(
    ctx: Context,
) -> None:
    limited = _limited_admin(ctx)

    _problem(limited.get(f"{API_PREFIX}/audit-events"), 403)
    _problem(limited.get(f"{API_PREFIX}/audit-events", params={"project": OTHER}), 404)
    own = limited.get(f"{API_PREFIX}/audit-events", params={"project": KEY})
    assert own.status_code == 200 and own.json()["items"]
    assert api_client(ctx).get(f"{API_PREFIX}/audit-events").status_code == 200


def test_a_limited_admin_token_creates_no_project(ctx: Context) -> None:
    limited = _limited_admin(ctx)
    body = {"key": "ibic-vargarda", "name": "Införande av IBIC", "workflow_id": "inforande"}

    _problem(limited.post(f"{API_PREFIX}/projects", json=body), 403)

    assert api_client(ctx).get(f"{API_PREFIX}/projects/ibic-vargarda").status_code == 404


def test_a_limited_admin_token_neither_sees_nor_revokes_other_peoples_tokens(
    ctx: Context,
) -> None:
    limited = _limited_admin(ctx)
    anita = api_client(ctx, ANITA)
    made = anita.post(f"{API_PREFIX}/tokens", json={"name": "Teams-bot"})
    assert made.status_code == 201, made.text
    public_id = made.json()["public_id"]

    _problem(limited.get(f"{API_PREFIX}/tokens/{public_id}"), 404)
    _problem(limited.delete(f"{API_PREFIX}/tokens/{public_id}"), 404)
    _problem(limited.post(f"{API_PREFIX}/tokens", json={"name": "x", "owner_email": ANITA}), 403)

    assert anita.get(f"{API_PREFIX}/tokens/{public_id}").json()["revoked_at"] is None
    assert api_client(ctx).get(f"{API_PREFIX}/tokens/{public_id}").status_code == 200


def test_a_limited_admin_token_still_administers_the_projects_on_its_list(
    ctx: Context,
) -> None:
    limited = _limited_admin(ctx)
    member = {"name": "Karin Ek", "email": "karin.ek@alingsas.se", "role": "styrgrupp"}

    assert limited.get(f"{API_PREFIX}/projects/{KEY}").status_code == 200
    added = limited.post(f"{API_PREFIX}/projects/{KEY}/members", json=member)
    assert added.status_code == 201, added.text
    _problem(limited.get(f"{API_PREFIX}/projects/{OTHER}"), 404)
    _problem(limited.post(f"{API_PREFIX}/projects/{OTHER}/members", json=member), 404)


def test_the_principal_says_who_administers_what() -> None:
    def admin(projects: frozenset[str] | None, *, write: bool = True) -> Principal:
        return Principal("a@b.se", "A", is_admin=True, can_write=write, projects=projects)

    everywhere, limited = admin(None), admin(frozenset({KEY}))
    member = Principal("m@b.se", "M", is_admin=False, can_write=True)

    assert everywhere.administers_installation and everywhere.may_administer
    assert not admin(None, write=False).may_administer
    assert not limited.administers_installation and not limited.may_administer
    assert limited.administers(KEY) and not limited.administers(OTHER)
    assert limited.may_see(KEY, is_member=False) and not limited.may_see(OTHER, is_member=False)
    assert not member.administers(KEY) and not member.administers_installation
