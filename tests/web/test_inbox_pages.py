"""Inkorg, Inställningar and the project page's Påminnelser, through TestClient and the login form.

On SQLite and PostgreSQL: the unread count in the header, marking read
(CSRF-checked, own messages only), settings with an error summary, calendar
feed addresses shown once, and "Försök igen" for the projektledare only.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.core.status import ReminderStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.reminders import inbox
from gatekeeper.services.reminders import settings as reminder_settings
from gatekeeper.store.reminders.tables import Reminder
from tests.apps import app_for
from tests.factories import ADMIN, start_ibic
from tests.services.test_inbox import add_message, add_reminder
from tests.web.test_gate_page import structure
from tests.web.test_login import PASSWORD, csrf_of, log_in

KEY = "ibic-alingsas"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare
LARS = "lars.carlsson@alingsas.se"  # styrgrupp
FEED_URL = re.compile(r'id="new-feed-url" type="text" readonly value="([^"]+)"')


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def client_for(ctx: Context, email: str) -> TestClient:
    client = TestClient(app_for(ctx))
    answer = log_in(client, email=email)
    assert answer.status_code == 303, answer.text
    return client


def _labelled(html: str) -> None:
    found = structure(html)
    unlabelled = [c for c in found.controls if c not in found.labels]
    assert unlabelled == [], f"controls without a label: {unlabelled}"
    assert found.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(found.headings, found.headings[1:], strict=False))


# --- Inkorg -----------------------------------------------------------------------------


def test_the_header_shows_the_unread_count_as_text(ibic: Context) -> None:
    add_message(ibic)
    add_message(ibic)
    anita = client_for(ibic, ANITA)

    page = anita.get("/").text

    assert re.search(r'id="nav-inbox"[^>]*>Inkorg \(2<span class="visually-hidden"> olästa', page)
    inbox.mark_all_read(ibic, ANITA)
    assert re.search(r'id="nav-inbox"[^>]*>Inkorg</a>', anita.get("/").text)


def test_the_inbox_lists_own_messages_with_links(ibic: Context) -> None:
    mine = add_message(ibic, title="Om 3 dagar: Utbildningsplan klar – Införande av IBIC")
    add_message(ibic, email=LARS, title="Din röst behövs: Förstudie klar – Införande av IBIC")
    anita = client_for(ibic, ANITA)

    response = anita.get("/inbox")

    assert response.status_code == 200
    html = response.text
    assert "Om 3 dagar: Utbildningsplan klar" in html and "Din röst behövs" not in html
    assert f'href="{mine.link}"' in html
    assert "1 oläst meddelande." in html and "Oläst" in html
    assert 'aria-current="page"' in html
    _labelled(html)


def test_marking_a_message_read_with_the_form(ibic: Context) -> None:
    message = add_message(ibic)
    anita = client_for(ibic, ANITA)
    token = csrf_of(anita, "/inbox")

    answer = anita.post(
        f"/inbox/{message.id}/read", data={"csrf_token": token}, follow_redirects=False
    )

    assert answer.status_code == 303 and answer.headers["location"] == "/inbox"
    assert inbox.unread_count(ibic, ANITA) == 0
    assert "Meddelandet är markerat som läst." in anita.get("/inbox").text


def test_a_form_without_the_csrf_token_changes_nothing(ibic: Context) -> None:
    message = add_message(ibic)
    anita = client_for(ibic, ANITA)

    refused = anita.post(f"/inbox/{message.id}/read", data={}, follow_redirects=False)
    refused_all = anita.post("/inbox/read-all", data={"csrf_token": "fel"})

    assert refused.status_code == 403 and refused_all.status_code == 403
    assert inbox.unread_count(ibic, ANITA) == 1


def test_another_users_message_is_a_404(ibic: Context) -> None:
    theirs = add_message(ibic, email=LARS)
    anita = client_for(ibic, ANITA)
    token = csrf_of(anita, "/inbox")

    answer = anita.post(f"/inbox/{theirs.id}/read", data={"csrf_token": token})

    assert answer.status_code == 404
    assert inbox.unread_count(ibic, LARS) == 1


def test_mark_all_read(ibic: Context) -> None:
    for _ in range(3):
        add_message(ibic)
    anita = client_for(ibic, ANITA)
    token = csrf_of(anita, "/inbox")

    answer = anita.post("/inbox/read-all", data={"csrf_token": token}, follow_redirects=False)

    assert answer.status_code == 303
    assert "Inga olästa meddelanden." in anita.get("/inbox").text


def test_the_pages_need_a_signed_in_person(ibic: Context) -> None:
    anonymous = TestClient(app_for(ibic))

    for path in ("/inbox", "/settings"):
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_inbox_in_english(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    anita.post("/language", data={"language": "en", "csrf_token": csrf_of(anita, "/"), "next": "/"})

    html = anita.get("/inbox").text

    assert "<h1>Inbox</h1>" in html and "Settings" in html


# --- Inställningar ----------------------------------------------------------------------


def test_settings_are_saved_with_the_form(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    html = anita.get("/settings").text
    _labelled(html)
    assert '<option value="Europe/Stockholm" selected>' in html

    answer = anita.post(
        "/settings",
        data={
            "csrf_token": csrf_of(anita, "/settings"),
            "time_zone": "Europe/Helsinki",
            "email_digest": "on",
        },
        follow_redirects=False,
    )

    assert answer.status_code == 303
    saved = reminder_settings.settings_of(ibic, ANITA)
    assert saved.time_zone == "Europe/Helsinki" and saved.email_digest
    page = anita.get("/settings").text
    assert "Inställningarna är sparade." in page
    assert '<option value="Europe/Helsinki" selected>' in page and "checked" in page


def test_an_unknown_zone_shows_the_error_summary_and_changes_nothing(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)

    answer = anita.post(
        "/settings",
        data={"csrf_token": csrf_of(anita, "/settings"), "time_zone": "Europe/Alingsås"},
    )

    assert answer.status_code == 422
    assert 'id="error-summary"' in answer.text and 'href="#time-zone"' in answer.text
    assert "ingen känd tidszon" in answer.text
    assert reminder_settings.settings_of(ibic, ANITA).time_zone == "Europe/Stockholm"


def test_a_calendar_feed_address_is_shown_once_and_can_be_revoked(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)

    made = anita.post(
        "/settings/calendar-feeds",
        data={"csrf_token": csrf_of(anita, "/settings"), "project_key": KEY},
    )

    assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
    match = FEED_URL.search(made.text)
    assert match, "the new address is on the page"
    url = match.group(1)
    assert "visas bara den här gången" in made.text
    later = anita.get("/settings").text
    assert url not in later and "Införande av IBIC" in later
    path = url.removeprefix(str(anita.base_url))
    assert TestClient(anita.app).get(path).status_code == 200

    feed_id = re.search(r'action="/settings/calendar-feeds/(\d+)/revoke"', later)
    assert feed_id
    revoked = anita.post(
        f"/settings/calendar-feeds/{feed_id.group(1)}/revoke",
        data={"csrf_token": csrf_of(anita, "/settings")},
        follow_redirects=False,
    )

    assert revoked.status_code == 303
    assert TestClient(anita.app).get(path).status_code == 404
    assert "Du har inga kalenderflöden." in anita.get("/settings").text


def test_nobody_revokes_another_persons_feed_from_the_page(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    anita.post("/settings/calendar-feeds", data={"csrf_token": csrf_of(anita, "/settings")})
    feed_id = re.search(
        r'action="/settings/calendar-feeds/(\d+)/revoke"', anita.get("/settings").text
    )
    assert feed_id
    lars = client_for(ibic, LARS)

    answer = lars.post(
        f"/settings/calendar-feeds/{feed_id.group(1)}/revoke",
        data={"csrf_token": csrf_of(lars, "/settings")},
    )

    assert answer.status_code == 404
    assert "Du har inga kalenderflöden." not in anita.get("/settings").text


# --- the project page's Påminnelser -----------------------------------------------------


def test_the_project_page_shows_upcoming_and_failed_reminders(ibic: Context) -> None:
    soonest = ibic.clock.now() - timedelta(days=30)  # before anything the planner made
    add_reminder(
        ibic, status=ReminderStatus.PENDING, title="Om 14 dagar: Tidplan – IBIC", due_at=soonest
    )
    add_reminder(
        ibic,
        status=ReminderStatus.FAILED,
        title="Försenad sedan 3 dagar: Nulägesanalys – IBIC",
        attempts=8,
        last_error="SMTP 451: försök senare",
    )
    anita = client_for(ibic, ANITA)

    html = anita.get(f"/projects/{KEY}").text

    assert 'id="reminders-heading"' in html and "Om 14 dagar: Tidplan – IBIC" in html
    assert re.search(r"\d+ misslyckade? påminnelser?", html)
    assert "SMTP 451: försök senare" in html and "Försök igen" in html
    _labelled(html)
    lars_view = client_for(ibic, LARS).get(f"/projects/{KEY}").text
    assert "SMTP 451: försök senare" in lars_view and "Försök igen" not in lars_view


def test_only_the_projektledare_requeues_from_the_page(ibic: Context) -> None:
    failed = add_reminder(ibic, status=ReminderStatus.FAILED, attempts=8)
    path = f"/projects/{KEY}/reminders/{failed.id}/requeue"
    lars = client_for(ibic, LARS)

    refused = lars.post(path, data={"csrf_token": csrf_of(lars, f"/projects/{KEY}")})

    assert refused.status_code == 403
    anita = client_for(ibic, ANITA)
    answer = anita.post(
        path, data={"csrf_token": csrf_of(anita, f"/projects/{KEY}")}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/projects/{KEY}#reminders-heading"
    with ibic.db.read() as session:
        assert session.exec(select(Reminder).where(Reminder.id == failed.id)).one().status == (
            ReminderStatus.PENDING
        )
    again = anita.post(
        path, data={"csrf_token": csrf_of(anita, f"/projects/{KEY}")}, follow_redirects=True
    )
    assert "har inte misslyckats" in again.text
