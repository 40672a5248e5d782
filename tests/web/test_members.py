"""Members and invitations through the API and the pages, with e-mail caught by a real SMTP
server (aiosmtpd): the projektledare adds people, a styrgrupp member may not, the link
sets a password once, and "Glömt lösenordet?" never tells which accounts exist."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.store.projects.tables import ProjectMember
from gatekeeper.web.app import API_PREFIX
from tests.apps import app_for
from tests.factories import ADMIN, bearer, start_ibic
from tests.smtp_box import Mailbox, smtp_server

KEY = "ibic-alingsas"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare
LARS = "lars.carlsson@alingsas.se"  # styrgrupp
KARIN = "karin.wallin@alingsas.se"  # new to gatekeeper
PASSWORD = "Kritisk linje 2027!"
NEW_PASSWORD = "Snön ligger vit på Alingsås torg"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
MEMBERS = f"/projects/{KEY}/members"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def app_client(ctx: Context, mailbox: Mailbox) -> TestClient:
    start_ibic(ctx)
    return TestClient(app_for(ctx, mailbox.letters()))


def api(client: TestClient, ctx: Context, email: str) -> TestClient:
    client.headers.update(bearer(ctx, email))
    return client


def signed_in(client: TestClient, ctx: Context, email: str, name: str) -> TestClient:
    accounts.create_user(ctx, ADMIN, email=email, name=name)
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


def csrf(client: TestClient, path: str = "/login") -> str:
    match = CSRF.search(client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def roles_of(ctx: Context, email: str) -> list[str]:
    with ctx.db.read() as session:
        return sorted(
            session.exec(select(ProjectMember.role).where(ProjectMember.email == email)).all()
        )


# --- API ------------------------------------------------------------------------------


def test_the_projektledare_adds_a_new_person_and_the_api_says_the_account_was_made(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    client = api(app_client, ctx, ANITA)

    response = client.post(
        f"{API_PREFIX}/projects/{KEY}/members",
        json={"name": "Karin Wallin", "email": KARIN, "role": "ombud"},
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["account"], body["invitation_sent"]) == ("created", True)
    (message,) = mailbox.messages
    assert message["To"] == f"Karin Wallin <{KARIN}>"
    assert message["Subject"] == "Inbjudan till Införande av IBIC i gatekeeper"
    assert "/password/" in mailbox.link()
    assert roles_of(ctx, KARIN) == ["ombud"]


def test_adding_a_person_who_has_an_account_links_it(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    accounts.create_user(ctx, ADMIN, email=KARIN, name="Karin Wallin")
    client = api(app_client, ctx, ANITA)

    body = client.post(
        f"{API_PREFIX}/projects/{KEY}/members",
        json={"name": "Karin Wallin", "email": KARIN, "role": "ombud"},
    ).json()

    assert body["account"] == "linked"
    assert body["invitation_sent"] is True  # no password yet: still invited


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"name": "Karin Wallin", "email": "karin.wallin(at)alingsas.se", "role": "ombud"},
            "email",
        ),
        ({"name": "Karin Wallin", "email": KARIN, "role": "astronaut"}, "role"),
    ],
)
def test_a_bad_email_or_an_unknown_role_is_a_problem_naming_the_field(
    ctx: Context, app_client: TestClient, mailbox: Mailbox, body: dict[str, str], field: str
) -> None:
    response = api(app_client, ctx, ANITA).post(f"{API_PREFIX}/projects/{KEY}/members", json=body)

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == field
    assert mailbox.messages == [] and roles_of(ctx, KARIN) == []


def test_a_styrgrupp_member_may_not_add_change_or_remove_members(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    client = api(app_client, ctx, LARS)
    path = f"{API_PREFIX}/projects/{KEY}/members"

    added = client.post(path, json={"name": "Karin Wallin", "email": KARIN, "role": "ombud"})
    changed = client.patch(f"{path}/{ANITA}/projektledare", json={"role": "styrgrupp"})
    removed = client.delete(f"{path}/{ANITA}/projektledare")

    assert [added.status_code, changed.status_code, removed.status_code] == [403, 403, 403]
    assert mailbox.messages == [] and roles_of(ctx, ANITA) == ["projektledare"]


def test_the_projektledare_changes_a_role_and_a_stale_change_is_412(
    ctx: Context, app_client: TestClient
) -> None:
    client = api(app_client, ctx, ANITA)
    path = f"{API_PREFIX}/projects/{KEY}/members/malin.holmberg@alingsas.se/bestallare"

    first = client.patch(path, json={"role": "projektagare"})
    again = client.patch(path, json={"role": "styrgrupp"})

    assert first.status_code == 200 and first.json()["role"] == "projektagare"
    assert again.status_code == 412
    assert roles_of(ctx, "malin.holmberg@alingsas.se") == ["projektagare"]


# --- pages ----------------------------------------------------------------------------


def test_the_members_page_shows_names_role_labels_and_ersattare(
    ctx: Context, app_client: TestClient
) -> None:
    page = signed_in(app_client, ctx, ANITA, "Anita Lindqvist").get(MEMBERS)

    assert page.status_code == 200
    assert "Beställare" in page.text and "Styrgrupp" in page.text
    assert "ersättare för Lars Carlsson" in page.text
    assert 'id="add-member"' in page.text
    assert f'href="{MEMBERS}"' in app_client.get(f"/projects/{KEY}").text


def test_a_styrgrupp_member_reads_the_page_without_forms_and_a_posted_form_is_403(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    client = signed_in(app_client, ctx, LARS, "Lars Carlsson")
    page = client.get(MEMBERS)

    assert 'id="add-member"' not in page.text and "Ändra roll" not in page.text
    refused = client.post(
        MEMBERS,
        data={
            "name": "Karin Wallin",
            "email": KARIN,
            "role": "ombud",
            "csrf_token": csrf(client, MEMBERS),
        },
    )
    assert refused.status_code == 403
    assert roles_of(ctx, KARIN) == [] and mailbox.messages == []


def test_a_bad_address_on_the_form_is_shown_again_marked_and_nothing_is_saved(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    client = signed_in(app_client, ctx, ANITA, "Anita Lindqvist")

    page = client.post(
        MEMBERS,
        data={
            "name": "Karin Wallin",
            "email": "karin.wallin",
            "role": "ombud",
            "csrf_token": csrf(client, MEMBERS),
        },
    )

    assert page.status_code == 422
    assert 'href="#member-email"' in page.text
    assert 'id="member-email" aria-invalid="true"' in page.text
    assert 'value="Karin Wallin"' in page.text
    assert roles_of(ctx, KARIN) == [] and mailbox.messages == []


def test_an_invitation_sets_a_password_once_and_the_person_signs_in(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    leader = signed_in(app_client, ctx, ANITA, "Anita Lindqvist")
    added = leader.post(
        MEMBERS,
        data={
            "name": "Karin Wallin",
            "email": KARIN,
            "role": "ombud",
            "csrf_token": csrf(leader, MEMBERS),
        },
    )
    assert "En inbjudan med en länk" in added.text
    link = urlsplit(mailbox.link()).path

    karin = TestClient(app_client.app)
    form = karin.get(link)
    assert form.status_code == 200 and "Hej Karin Wallin" in form.text
    assert form.headers["referrer-policy"] == "no-referrer"
    mismatch = karin.post(
        link,
        data={"password": NEW_PASSWORD, "repeat": "något annat", "csrf_token": csrf(karin, link)},
    )
    assert mismatch.status_code == 422 and "inte likadana" in mismatch.text
    done = karin.post(
        link,
        data={"password": NEW_PASSWORD, "repeat": NEW_PASSWORD, "csrf_token": csrf(karin, link)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/login"

    used = karin.get(link)
    assert used.status_code == 410 and "Länken är redan använd" in used.text
    assert "Skicka en ny länk" in used.text
    assert logins.log_in(ctx, KARIN, NEW_PASSWORD).principal.email == KARIN


def test_forgotten_password_answers_the_same_for_known_and_unknown_addresses(
    ctx: Context, app_client: TestClient, mailbox: Mailbox
) -> None:
    accounts.create_user(ctx, ADMIN, email=KARIN, name="Karin Wallin")
    logins.set_password(ctx, ADMIN, email=KARIN, password=PASSWORD)
    client = TestClient(app_client.app)
    assert 'href="/password/forgotten"' in client.get("/login").text
    path = "/password/forgotten"

    def ask(address: str) -> str:
        answer = client.post(path, data={"email": address, "csrf_token": csrf(client, path)})
        assert answer.status_code == 200
        found = re.search(r'id="reset-sent">([^<]+)<', answer.text)
        assert found
        return found.group(1)

    assert ask("okand@alingsas.se") == ask(KARIN)
    (message,) = mailbox.messages
    assert message["To"] == f"Karin Wallin <{KARIN}>"
    assert message["Subject"] == "Välj ett nytt lösenord till gatekeeper"
