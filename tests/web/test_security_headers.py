"""Security headers on every answer (`web/security_headers`), on SQLite and PostgreSQL.

Pages may not be framed, sniffed or cached once signed in, and run under a
Content-Security-Policy without inline script or style; API answers to a
caller with credentials are not stored; the API documentation gets a policy
that names its CDN and the hash of its one inline script.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from tests.apps import app_for
from tests.factories import ADMIN, api_client, start_ibic
from tests.web.test_login import csrf_of

TEMPLATES = Path(__file__).parents[2] / "gatekeeper" / "web" / "templates"
PASSWORD = "Kritisk linje 2027!"
KEY = "ibic-alingsas"
ANITA = "anita.lindqvist@alingsas.se"


def signed_in(ctx: Context, email: str) -> TestClient:
    accounts.create_user(ctx, ADMIN, email=email, name="Anita Lindqvist")
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    client = TestClient(app_for(ctx))
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


def policy(answer: Response) -> dict[str, str]:
    """The CSP's directives by name."""
    directives = (part.strip() for part in answer.headers["content-security-policy"].split(";"))
    return {name: value for name, _, value in (d.partition(" ") for d in directives if d)}


def assert_framing_and_sniffing_refused(answer: Response) -> None:
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] in {"same-origin", "no-referrer"}
    directives = policy(answer)
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("style-src", "")
    assert directives["default-src"] == "'none'"


def test_the_login_page_may_not_be_framed_or_sniffed(ctx: Context) -> None:
    answer = TestClient(app_for(ctx)).get("/login")
    assert answer.status_code == 200
    assert_framing_and_sniffing_refused(answer)
    assert "no-store" not in answer.headers.get("cache-control", "")  # no credentials yet


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/me/items",
        "/inbox",
        "/settings",
        f"/projects/{KEY}",
        f"/projects/{KEY}/gates/go-live",
        f"/projects/{KEY}/risks",
        f"/projects/{KEY}/units",
        f"/projects/{KEY}/members",
        "/audit",
        "/no-such-page",
    ],
)
def test_signed_in_pages_are_not_framed_sniffed_or_cached(ctx: Context, path: str) -> None:
    start_ibic(ctx)
    anita = signed_in(ctx, ANITA)
    answer = anita.get(path)
    assert answer.status_code in {200, 403, 404}, answer.text
    assert_framing_and_sniffing_refused(answer)
    assert answer.headers["cache-control"] == "no-store"


def test_api_answers_to_a_caller_with_credentials_are_not_stored(ctx: Context) -> None:
    start_ibic(ctx)
    admin = api_client(ctx)
    for answer in (
        admin.get("/api/v1/projects"),
        admin.get(f"/api/v1/projects/{KEY}"),
        admin.get("/api/v1/projects/finns-inte"),
    ):
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    anonymous = TestClient(app_for(ctx))
    health = anonymous.get("/api/v1/health")
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "no-store" not in health.headers.get("cache-control", "")


def test_a_header_the_route_chose_is_kept(ctx: Context) -> None:
    answer = TestClient(app_for(ctx)).get("/password/not-a-token")
    assert answer.headers["referrer-policy"] == "no-referrer"


def test_static_files_stay_cacheable_for_signed_in_people(ctx: Context) -> None:
    anita = signed_in(ctx, ANITA)
    answer = anita.get("/static/gatekeeper.css")
    assert answer.status_code == 200
    assert "no-store" not in answer.headers.get("cache-control", "")
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_the_api_documentation_runs_only_its_own_inline_script(ctx: Context) -> None:
    answer = TestClient(app_for(ctx)).get("/docs")
    assert answer.status_code == 200
    scripts = re.findall(r"<script>(.*?)</script>", answer.text, re.S)
    assert scripts
    directives = policy(answer)
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+\s*=|javascript:|<style\b", re.I
)


def test_no_template_holds_inline_script_style_or_event_handlers() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
