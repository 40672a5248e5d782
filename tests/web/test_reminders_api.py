"""Reminder routes under /api/v1 on SQLite and PostgreSQL: log, requeue, inbox, settings, feeds."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from gatekeeper.core.status import ReminderKind, ReminderStatus
from gatekeeper.services.context import Context
from gatekeeper.web.app import API_PREFIX
from tests.factories import PROJEKTLEDARE, api_client, start_ibic
from tests.services.test_inbox import add_message, add_reminder, start_lerum

KEY = "ibic-alingsas"
REMINDERS = f"{API_PREFIX}/projects/{KEY}/reminders"
ANITA = PROJEKTLEDARE.id
LARS = "lars.carlsson@alingsas.se"  # styrgrupp: a member, not projektledare
PROBLEM = "application/problem+json"


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    """The projektledare with a write token."""
    start_ibic(ctx)
    return api_client(ctx, ANITA)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["detail"]
    return body


def _mine(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in items if item["key"].startswith("test:")]


# --- the reminder log -------------------------------------------------------------------


def test_members_page_through_the_log_newest_first(ctx: Context, anita: TestClient) -> None:
    made = [add_reminder(ctx, title=f"Påminnelse {n}") for n in range(3)]
    lars = api_client(ctx, LARS, scope="read")

    first = lars.get(REMINDERS, params={"limit": 2})
    assert first.status_code == 200, first.text
    page = first.json()
    assert [item["id"] for item in page["items"]] == [made[2].id, made[1].id]
    assert page["next_cursor"] == str(made[1].id)
    second = lars.get(REMINDERS, params={"limit": 2, "cursor": page["next_cursor"]}).json()
    assert second["items"][0]["id"] == made[0].id
    item = page["items"][0]
    assert item["title"] == "Påminnelse 2" and item["status"] == "sent"
    assert item["channels"] == ["inbox"] and item["next_attempt_at"] is None


def test_the_log_filters_by_status_and_kind(ctx: Context, anita: TestClient) -> None:
    failed = add_reminder(
        ctx, status=ReminderStatus.FAILED, kind=ReminderKind.VOTE_REMINDER, last_error="SMTP nere"
    )
    add_reminder(ctx, status=ReminderStatus.SENT, kind=ReminderKind.VOTE_REMINDER)

    only_failed = anita.get(REMINDERS, params={"status": "failed"}).json()["items"]
    votes = anita.get(REMINDERS, params={"kind": "vote_reminder"}).json()["items"]

    assert [i["id"] for i in only_failed] == [failed.id]
    assert only_failed[0]["last_error"] == "SMTP nere"
    assert len(_mine(votes)) == 2
    _problem(anita.get(REMINDERS, params={"status": "lost"}), 422)
    _problem(anita.get(REMINDERS, params={"cursor": "abc"}), 422)


def test_an_outsider_does_not_see_the_log(ctx: Context, anita: TestClient) -> None:
    outsider = api_client(ctx, "kalle.nilsson@boras.se")

    _problem(outsider.get(REMINDERS), 404)


def test_the_projektledare_requeues_a_failed_reminder(ctx: Context, anita: TestClient) -> None:
    failed = add_reminder(ctx, status=ReminderStatus.FAILED, attempts=8, last_error="SMTP nere")

    response = anita.post(f"{REMINDERS}/{failed.id}/requeue")

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "pending" and body["attempts"] == 0 and body["last_error"] is None
    assert body["next_attempt_at"] is not None
    again = anita.post(f"{REMINDERS}/{failed.id}/requeue")
    assert "har inte misslyckats" in _problem(again, 409)["detail"]


def test_a_member_who_is_not_projektledare_may_not_requeue(ctx: Context, anita: TestClient) -> None:
    failed = add_reminder(ctx, status=ReminderStatus.FAILED)
    lars = api_client(ctx, LARS)

    refused = lars.post(f"{REMINDERS}/{failed.id}/requeue")

    assert "Bara projektledaren" in _problem(refused, 403)["detail"]
    assert anita.get(REMINDERS, params={"status": "failed"}).json()["items"][0]["id"] == failed.id


def test_requeueing_an_unknown_reminder_is_not_found(anita: TestClient) -> None:
    _problem(anita.post(f"{REMINDERS}/999999/requeue"), 404)


# --- the inbox --------------------------------------------------------------------------


def test_the_inbox_lists_unread_first_and_counts_them(ctx: Context, anita: TestClient) -> None:
    read = add_message(ctx, title="Läst")
    add_message(ctx, title="Oläst")
    add_message(ctx, email=LARS, title="Lars")
    assert anita.post(f"{API_PREFIX}/me/inbox/{read.id}/read").status_code == 200

    page = anita.get(f"{API_PREFIX}/me/inbox").json()

    assert [m["title"] for m in page["items"]] == ["Oläst", "Läst"]
    assert page["unread"] == 1
    assert page["items"][0]["project_key"] == KEY and page["items"][0]["unread"] is True
    unread_only = anita.get(f"{API_PREFIX}/me/inbox", params={"unread": True}).json()
    assert [m["title"] for m in unread_only["items"]] == ["Oläst"]


def test_marking_read_one_and_all(ctx: Context, anita: TestClient) -> None:
    first = add_message(ctx)
    add_message(ctx)
    add_message(ctx)

    one = anita.post(f"{API_PREFIX}/me/inbox/{first.id}/read")
    assert one.status_code == 200, one.text
    assert one.json()["read_at"] is not None and one.json()["unread"] is False
    rest = anita.post(f"{API_PREFIX}/me/inbox/read-all")

    assert rest.json() == {"marked": 2}
    assert anita.get(f"{API_PREFIX}/me/inbox").json()["unread"] == 0


def test_another_persons_message_is_not_found(ctx: Context, anita: TestClient) -> None:
    theirs = add_message(ctx, email=LARS)

    _problem(anita.post(f"{API_PREFIX}/me/inbox/{theirs.id}/read"), 404)

    lars = api_client(ctx, LARS)
    assert lars.get(f"{API_PREFIX}/me/inbox").json()["unread"] == 1


def test_a_token_limited_to_a_project_sees_that_projects_messages(
    ctx: Context, anita: TestClient
) -> None:
    start_lerum(ctx)
    add_message(ctx, email=LARS, title="Alingsås")
    add_message(ctx, "ibic-lerum", email=LARS, title="Lerum")
    limited = api_client(ctx, LARS, projects_=(KEY,))

    page = limited.get(f"{API_PREFIX}/me/inbox").json()

    assert [m["title"] for m in page["items"]] == ["Alingsås"] and page["unread"] == 1


def test_a_read_token_reads_the_inbox_but_marks_nothing(ctx: Context, anita: TestClient) -> None:
    message = add_message(ctx)
    reader = api_client(ctx, ANITA, scope="read")

    assert reader.get(f"{API_PREFIX}/me/inbox").json()["unread"] == 1
    assert (
        "bara läsa"
        in _problem(reader.post(f"{API_PREFIX}/me/inbox/{message.id}/read"), 403)["detail"]
    )


# --- settings ---------------------------------------------------------------------------


def test_settings_read_and_change(anita: TestClient) -> None:
    assert anita.get(f"{API_PREFIX}/me/settings").json() == {
        "time_zone": "Europe/Stockholm",
        "email_digest": False,
    }

    changed = anita.put(f"{API_PREFIX}/me/settings", json={"time_zone": "Europe/London"})
    assert changed.json() == {"time_zone": "Europe/London", "email_digest": False}
    digest = anita.put(f"{API_PREFIX}/me/settings", json={"email_digest": True})
    assert digest.json() == {"time_zone": "Europe/London", "email_digest": True}
    reset = anita.put(f"{API_PREFIX}/me/settings", json={"time_zone": None})
    assert reset.json()["time_zone"] == "Europe/Stockholm"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"time_zone": "x" * 65}, "time_zone"),
        ({"email_digest": "kanske"}, "email_digest"),
        ({"language": "sv"}, "language"),
    ],
)
def test_bad_settings_are_refused_with_the_field(
    anita: TestClient, body: dict[str, Any], field: str
) -> None:
    problem = _problem(anita.put(f"{API_PREFIX}/me/settings", json=body), 422)

    assert problem["field"] == field
    assert anita.get(f"{API_PREFIX}/me/settings").json()["time_zone"] == "Europe/Stockholm"


def test_the_unknown_zone_is_explained_in_swedish(anita: TestClient) -> None:
    problem = _problem(
        anita.put(f"{API_PREFIX}/me/settings", json={"time_zone": "Europe/Alingsås"}), 422
    )

    assert "ingen känd tidszon" in problem["detail"]


# --- calendar feeds ---------------------------------------------------------------------


def test_a_feed_is_made_its_address_shown_once_and_it_serves_icalendar(
    ctx: Context, anita: TestClient
) -> None:
    created = anita.post(f"{API_PREFIX}/me/calendar-feeds", json={})

    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    assert body["project_key"] is None and body["url"].endswith(".ics")
    listed = anita.get(f"{API_PREFIX}/me/calendar-feeds").json()["items"]
    assert [f["id"] for f in listed] == [body["id"]] and "url" not in listed[0]

    path = body["url"].removeprefix(str(anita.base_url))
    feed = TestClient(anita.app).get(path)  # no token, no session: the address is the key

    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.headers["cache-control"] == "private, no-store"
    calendar = Calendar.from_ical(feed.content)
    assert any(str(e["UID"]).startswith("gate-") for e in calendar.walk("VEVENT"))
    assert anita.get(f"{API_PREFIX}/me/calendar-feeds").json()["items"][0]["last_used_at"]


def test_a_revoked_feed_address_answers_404(anita: TestClient) -> None:
    body = anita.post(f"{API_PREFIX}/me/calendar-feeds", json={"project_key": KEY}).json()
    assert body["project_key"] == KEY and body["project_name"] == "Införande av IBIC"
    path = body["url"].removeprefix(str(anita.base_url))

    revoked = anita.delete(f"{API_PREFIX}/me/calendar-feeds/{body['id']}")

    assert revoked.status_code == 204
    assert TestClient(anita.app).get(path).status_code == 404
    assert TestClient(anita.app).get("/calendar/gissat.ics").status_code == 404
    _problem(anita.delete(f"{API_PREFIX}/me/calendar-feeds/{body['id']}"), 404)


def test_feeds_of_projects_one_is_not_in_are_refused(ctx: Context, anita: TestClient) -> None:
    start_lerum(ctx)

    _problem(anita.post(f"{API_PREFIX}/me/calendar-feeds", json={"project_key": "ibic-lerum"}), 404)
    _problem(anita.post(f"{API_PREFIX}/me/calendar-feeds", json={"project_key": "finns-inte"}), 404)


def test_another_persons_feed_cannot_be_revoked(ctx: Context, anita: TestClient) -> None:
    body = anita.post(f"{API_PREFIX}/me/calendar-feeds", json={}).json()
    lars = api_client(ctx, LARS)

    _problem(lars.delete(f"{API_PREFIX}/me/calendar-feeds/{body['id']}"), 404)
    assert len(anita.get(f"{API_PREFIX}/me/calendar-feeds").json()["items"]) == 1


def test_a_token_limited_to_projects_makes_only_feeds_of_those(
    ctx: Context, anita: TestClient
) -> None:
    limited = api_client(ctx, ANITA, projects_=(KEY,))

    _problem(limited.post(f"{API_PREFIX}/me/calendar-feeds", json={}), 403)
    made = limited.post(f"{API_PREFIX}/me/calendar-feeds", json={"project_key": KEY})
    assert made.status_code == 201, made.text


def test_every_reminder_operation_is_documented(anita: TestClient) -> None:
    document = anita.get(f"{API_PREFIX}/openapi.json").json()
    paths = document["paths"]

    for path, methods in (
        ("/api/v1/projects/{project_key}/reminders", ("get",)),
        ("/api/v1/projects/{project_key}/reminders/{reminder_id}/requeue", ("post",)),
        ("/api/v1/me/inbox", ("get",)),
        ("/api/v1/me/inbox/{message_id}/read", ("post",)),
        ("/api/v1/me/inbox/read-all", ("post",)),
        ("/api/v1/me/settings", ("get", "put")),
        ("/api/v1/me/calendar-feeds", ("get", "post")),
        ("/api/v1/me/calendar-feeds/{feed_id}", ("delete",)),
    ):
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"] and operation["tags"] == ["reminders"]
            assert "404" in operation["responses"] and "422" in operation["responses"]
    assert not any(path.startswith("/calendar") for path in paths)
