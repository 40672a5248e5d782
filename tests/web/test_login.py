"""The web UI's foundation: login and logout, the session cookie, CSRF, language, error pages.

TestClient is enough here (no JavaScript anywhere); the real-browser and axe
checks of the pages come with the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.config import Settings
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.events import EventName
from gatekeeper.errors import ValidationFailed
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.session_key import session_secret
from gatekeeper.store.access.tables import UserAccount
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.web.app import create_app
from gatekeeper.web.sessions import SESSION_COOKIE, safe_next
from tests.apps import app_for
from tests.factories import ADMIN, start_ibic

ANITA = "anita.lindqvist@alingsas.se"
PASSWORD = "Kritisk linje 2027!"
SECRET = "k7Vq2pXz9LmN4wRt8YbC1dFg6HjK3sQe"  # 32 random-looking characters
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def account(ctx: Context) -> str:
    """Anita's account, with a web password."""
    accounts.create_user(ctx, ADMIN, email=ANITA, name="Anita Lindqvist")
    logins.set_password(ctx, ADMIN, email=ANITA, password=PASSWORD)
    return ANITA


@pytest.fixture
def anita(ctx: Context, request: pytest.FixtureRequest) -> str:
    """Anita, signed up and projektledare of the IBIC introduction.

    The project comes first, on the fresh database, where `start_ibic` writes the
    rows its first call kept (tests/replay.py) instead of running the use cases."""
    start_ibic(ctx)
    account: str = request.getfixturevalue("account")
    return account


@pytest.fixture
def browser(ctx: Context) -> TestClient:
    return TestClient(app_for(ctx))


def csrf_of(client: TestClient, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def log_in(
    client: TestClient, email: str = ANITA, password: str = PASSWORD, next_path: str = "/"
) -> httpx.Response:
    token = csrf_of(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "next": next_path, "csrf_token": token},
        follow_redirects=False,
    )


def _count(ctx: Context, action: str) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _language_of(ctx: Context, email: str = ANITA) -> str | None:
    with ctx.db.read() as session:
        return session.exec(select(UserAccount.language).where(UserAccount.email == email)).one()


# --- login and logout --------------------------------------------------------------------


def test_pages_send_strangers_to_login_with_the_way_back(browser: TestClient) -> None:
    overview = browser.get("/", follow_redirects=False)
    protocol = browser.get("/projects/ibic-alingsas/decisions/1/protocol", follow_redirects=False)

    assert (overview.status_code, overview.headers["location"]) == (303, "/login")
    assert protocol.status_code == 303
    assert protocol.headers["location"] == (
        "/login?next=/projects/ibic-alingsas/decisions/1/protocol"
    )


def test_login_page_is_swedish_and_accessible_without_javascript(browser: TestClient) -> None:
    page = browser.get("/login")

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="sv">' in html and "<title>Logga in – gatekeeper</title>" in html
    assert '<a class="skip-link" href="#main">' in html
    assert "<header" in html and '<main id="main"' in html and "<footer" in html
    assert '<label for="email">E-postadress</label>' in html
    assert 'autocomplete="current-password"' in html
    assert "<script" not in html
    assert browser.get("/static/gatekeeper.css").headers["content-type"].startswith("text/css")


def test_login_goes_to_next_and_shows_the_person(
    ctx: Context, anita: str, browser: TestClient
) -> None:
    answer = log_in(browser, next_path="/?filter=mina")

    assert (answer.status_code, answer.headers["location"]) == (303, "/?filter=mina")
    overview = browser.get("/")
    assert overview.status_code == 200
    assert "Anita Lindqvist" in overview.text and "<h1>Översikt</h1>" in overview.text
    assert "Införande av IBIC" in overview.text  # a project she is a member of
    assert 'aria-current="page"' in overview.text
    assert _count(ctx, EventName.USER_LOGGED_IN) == 1


def test_a_person_outside_every_project_sees_none(ctx: Context, browser: TestClient) -> None:
    start_ibic(ctx)
    accounts.create_user(ctx, ADMIN, email="utomstaende@alingsas.se", name="Utomstående")
    logins.set_password(ctx, ADMIN, email="utomstaende@alingsas.se", password=PASSWORD)
    log_in(browser, "utomstaende@alingsas.se")

    page = browser.get("/").text
    assert "Införande av IBIC" not in page and "inte med i något projekt" in page


@pytest.mark.parametrize(
    ("email", "password"),
    [(ANITA, "Fel lösenord helt och hållet"), ("okand@alingsas.se", PASSWORD)],
    ids=["wrong password", "unknown email"],
)
def test_a_refused_login_says_the_same_whatever_was_wrong(
    anita: str, browser: TestClient, email: str, password: str
) -> None:
    answer = log_in(browser, email, password)

    assert answer.status_code == 200
    html = answer.text
    assert 'role="alert" id="login-error"' in html
    assert "Fel e-postadress eller lösenord." in html
    assert html.count('aria-describedby="login-error"') == 2
    assert html.count('aria-invalid="true"') == 2
    assert f'value="{email}"' in html and password not in html
    assert browser.get("/", follow_redirects=False).status_code == 303  # not signed in


def test_an_empty_login_form_asks_for_both_fields(anita: str, browser: TestClient) -> None:
    answer = log_in(browser, "", "")
    assert "Fyll i både e-postadress och lösenord." in answer.text


def test_lockout_after_five_failures_and_unlock_when_time_passes(
    ctx: Context, anita: str, browser: TestClient, clock: FixedClock
) -> None:
    for _ in range(5):
        log_in(browser, password="Fel lösenord helt och hållet")

    refused = log_in(browser)  # right password, locked account
    assert refused.status_code == 200 and "Fel e-postadress eller lösenord." in refused.text
    assert _count(ctx, EventName.USER_LOCKED) == 1

    clock.advance(timedelta(minutes=15, seconds=1))
    assert log_in(browser).status_code == 303


def test_session_cookie_is_signed_httponly_lax_and_not_secure_on_localhost(
    anita: str, browser: TestClient
) -> None:
    cookie = log_in(browser).headers["set-cookie"]

    assert cookie.startswith(f"{SESSION_COOKIE}=")
    flags = [part.strip().lower() for part in cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags
    assert PASSWORD not in cookie and ANITA not in cookie


def test_cookie_is_secure_when_configured(ctx: Context, anita: str) -> None:
    settings = Settings(secret_key=SECRET, cookie_secure=True, webhook_dispatch=False)
    client = TestClient(create_app(settings, context=ctx))

    cookie = log_in(client).headers["set-cookie"]

    assert "secure" in [part.strip().lower() for part in cookie.split(";")]


def test_a_forged_or_foreign_cookie_signs_nobody_in(
    ctx: Context, anita: str, browser: TestClient
) -> None:
    log_in(browser)
    stolen = browser.cookies[SESSION_COOKIE]
    payload, _, signature = stolen.rpartition(".")

    forged = TestClient(app_for(ctx))
    forged.cookies.set(SESSION_COOKIE, payload + "." + signature[::-1])
    assert forged.get("/", follow_redirects=False).status_code == 303

    other_key = Settings(secret_key=SECRET, webhook_dispatch=False)
    elsewhere = TestClient(create_app(other_key, context=ctx))
    elsewhere.cookies.set(SESSION_COOKIE, stolen)
    assert elsewhere.get("/", follow_redirects=False).status_code == 303


def test_an_idle_session_expires_with_a_message(
    anita: str, browser: TestClient, clock: FixedClock
) -> None:
    log_in(browser)
    clock.advance(timedelta(hours=7, minutes=59))
    assert browser.get("/").status_code == 200

    clock.advance(timedelta(hours=8, minutes=1))
    sent_back = browser.get("/projects/ibic-alingsas/decisions/1/protocol", follow_redirects=False)

    assert sent_back.status_code == 303
    assert sent_back.headers["location"].startswith("/login?next=/projects/ibic-alingsas")
    login_page = browser.get(sent_back.headers["location"]).text
    assert "Din session har gått ut – logga in igen" in login_page
    assert "Din session har gått ut" not in browser.get("/login").text  # said once


def test_logout_ends_the_session_on_the_server(anita: str, browser: TestClient) -> None:
    log_in(browser)
    copied = browser.cookies[SESSION_COOKIE]

    answer = browser.post(
        "/logout", data={"csrf_token": csrf_of(browser, "/")}, follow_redirects=False
    )

    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert "Du är utloggad." in browser.get("/login").text
    assert browser.get("/", follow_redirects=False).status_code == 303
    browser.cookies.set(SESSION_COOKIE, copied)  # an old copy of the cookie
    assert browser.get("/", follow_redirects=False).status_code == 303


def test_login_while_signed_in_goes_straight_on(anita: str, browser: TestClient) -> None:
    log_in(browser)
    answer = browser.get("/login?next=/projects", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/projects")


# --- CSRF ---------------------------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "", "fel-token"], ids=["missing", "empty", "wrong"])
def test_a_form_without_the_right_csrf_token_is_refused_and_changes_nothing(
    ctx: Context, anita: str, browser: TestClient, token: str | None
) -> None:
    log_in(browser)
    data = {"language": "en", "next": "/"}
    if token is not None:
        data["csrf_token"] = token

    answer = browser.post("/language", data=data, follow_redirects=False)

    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("text/html")
    assert "Ingenting har ändrats" in answer.text and '<html lang="sv">' in answer.text
    assert "Traceback" not in answer.text
    assert _language_of(ctx) is None


def test_login_itself_needs_the_csrf_token(ctx: Context, anita: str, browser: TestClient) -> None:
    answer = browser.post("/login", data={"email": ANITA, "password": PASSWORD, "next": "/"})

    assert answer.status_code == 403
    assert _count(ctx, EventName.USER_LOGGED_IN) == 0


def test_a_token_from_another_browser_does_not_count(
    ctx: Context, anita: str, browser: TestClient
) -> None:
    log_in(browser)
    other = TestClient(app_for(ctx))
    foreign = csrf_of(other)

    answer = browser.post("/logout", data={"csrf_token": foreign}, follow_redirects=False)

    assert answer.status_code == 403
    assert browser.get("/").status_code == 200  # still signed in


def test_signing_in_renews_the_csrf_token(anita: str, browser: TestClient) -> None:
    before = csrf_of(browser)
    log_in(browser)
    assert csrf_of(browser, "/") != before


# --- redirects ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/ok\r\nLocation: https://evil.example",
        "",
    ],
)
def test_login_never_sends_the_browser_to_another_site(
    anita: str, browser: TestClient, target: str
) -> None:
    answer = log_in(browser, next_path=target)
    assert (answer.status_code, answer.headers["location"]) == (303, "/")


def test_safe_next_keeps_local_paths_with_their_query() -> None:
    assert safe_next("/projects/ibic-alingsas?flik=risker") == "/projects/ibic-alingsas?flik=risker"
    assert safe_next("https://evil.example") == "/"
    assert safe_next(None, "/login") == "/login"


def test_the_login_form_drops_a_foreign_next(browser: TestClient) -> None:
    html = browser.get("/login?next=https://evil.example/").text
    assert 'name="next" value="/"' in html


# --- language -----------------------------------------------------------------------------


def test_accept_language_gives_english_to_strangers(browser: TestClient) -> None:
    english = browser.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"})
    swedish = browser.get("/login", headers={"Accept-Language": "de-DE, sv;q=0.8, en;q=0.7"})
    other = browser.get("/login", headers={"Accept-Language": "fi"})

    assert '<html lang="en">' in english.text and "<h1>Log in</h1>" in english.text
    assert "Skip to main content" in english.text
    assert '<html lang="sv">' in swedish.text and '<html lang="sv">' in other.text


def test_language_switch_is_kept_in_the_session_and_on_the_account(
    ctx: Context, anita: str, browser: TestClient
) -> None:
    log_in(browser)
    answer = browser.post(
        "/language",
        data={"language": "en", "next": "/?sida=2", "csrf_token": csrf_of(browser, "/")},
        follow_redirects=False,
    )

    assert (answer.status_code, answer.headers["location"]) == (303, "/?sida=2")
    overview = browser.get("/", headers={"Accept-Language": "sv"}).text  # the choice wins
    assert '<html lang="en">' in overview and "<h1>Overview</h1>" in overview
    assert 'lang="sv"' in overview and ">Svenska</button>" in overview  # the way back
    assert _language_of(ctx) == "en"

    elsewhere = TestClient(app_for(ctx))  # another browser, same person
    log_in(elsewhere)
    assert '<html lang="en">' in elsewhere.get("/").text


def test_a_stranger_may_choose_a_language_too(browser: TestClient) -> None:
    browser.post(
        "/language", data={"language": "en", "next": "/login", "csrf_token": csrf_of(browser)}
    )
    assert '<html lang="en">' in browser.get("/login").text
    browser.post(
        "/language", data={"language": "xx", "next": "/login", "csrf_token": csrf_of(browser)}
    )
    assert '<html lang="en">' in browser.get("/login").text  # an unknown one changes nothing


# --- error pages --------------------------------------------------------------------------


def test_html_errors_use_the_layout_in_the_visitors_language(
    anita: str, browser: TestClient
) -> None:
    log_in(browser)
    missing = browser.get("/finns-inte")
    hidden = browser.get("/projects/hemligt-projekt/decisions/1/protocol")
    english = browser.get("/finns-inte", headers={"Accept-Language": "en"})

    assert missing.status_code == 404 and "<h1>Sidan finns inte</h1>" in missing.text
    assert "Anita Lindqvist" in missing.text  # the layout, with the person's menu
    assert hidden.status_code == 404 and "finns inte" in hidden.text
    assert english.status_code == 404  # the account has no choice yet: the browser's wish
    assert '<html lang="en">' in english.text and "<h1>Page not found</h1>" in english.text


def test_an_unexpected_error_page_shows_no_internals(ctx: Context) -> None:
    app = create_app(context=ctx)  # an app of its own: it gets a broken route

    @app.get("/trasig")
    def broken() -> None:
        raise RuntimeError("hemlig intern detalj")

    page = TestClient(app, raise_server_exceptions=False).get("/trasig")

    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Något gick fel" in page.text and "Ingenting har ändrats" in page.text
    assert "RuntimeError" not in page.text and "hemlig" not in page.text
    assert "Traceback" not in page.text


def test_the_protocol_page_accepts_a_web_session(ctx: Context, account: str) -> None:
    from tests.web.test_decision_register import _decided_with_override_and_condition

    decision_id = _decided_with_override_and_condition(ctx)
    client = TestClient(app_for(ctx))
    log_in(client)

    page = client.get(f"/projects/ibic-alingsas/decisions/{decision_id}/protocol")

    assert page.status_code == 200
    assert "Beslutsprotokoll" in page.text and "Go med villkor" in page.text
    assert "Anita Lindqvist" in page.text  # in the layout's header


def test_the_protocol_in_english(ctx: Context, account: str) -> None:
    from tests.web.test_decision_register import _decided_with_override_and_condition

    decision_id = _decided_with_override_and_condition(ctx)
    client = TestClient(app_for(ctx))
    log_in(client)

    page = client.get(
        f"/projects/ibic-alingsas/decisions/{decision_id}/protocol",
        headers={"Accept-Language": "en"},
    ).text

    assert "<h1>Decision record</h1>" in page and "Conditional go" in page
    assert "quorum majority" in page and "25 November 2026" in page


# --- the secret key -----------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["changeme", "secret", "kort-nyckel", "a" * 40])
def test_settings_refuse_a_weak_secret_outside_demo(weak: str) -> None:
    with pytest.raises(ValueError, match="GATEKEEPER_SECRET_KEY"):
        Settings(secret_key=weak)
    assert Settings(secret_key=weak, demo=True).demo


def test_a_missing_secret_is_refused_outside_demo(tmp_path: Path) -> None:
    settings = Settings(secret_key_file=tmp_path / "saknas")

    with pytest.raises(ValidationFailed) as refused:
        session_secret(settings)

    assert "GATEKEEPER_SECRET_KEY" in refused.value.message and "\n" not in refused.value.message
    demo = Settings(secret_key_file=tmp_path / "saknas", demo=True)
    assert session_secret(demo) == session_secret(demo)  # one key for the process
    assert len(session_secret(demo)) >= 32


def test_the_secret_comes_from_the_setting_or_the_key_file(tmp_path: Path) -> None:
    key_file = tmp_path / "nyckel"
    key_file.write_text(SECRET + "\n", encoding="utf-8")
    assert session_secret(Settings(secret_key_file=key_file)) == SECRET
    assert session_secret(Settings(secret_key="x" + SECRET, secret_key_file=key_file)) == (
        "x" + SECRET
    )
    key_file.write_text("changeme\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="well-known"):
        session_secret(Settings(secret_key_file=key_file))
