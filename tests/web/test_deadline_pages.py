"""The pages "Mina punkter" (/me/items) and a project's deadlines (/projects/{key}/deadlines).

Signed in through the real login form, on SQLite and PostgreSQL: Anita Lindqvist
(projektledare), Lars Carlsson (styrgrupp), Emma Wik (referensgrupp: no items of her
own) and someone from another kommun who is in no project.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import member as members
from tests.apps import app_for
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD

KEY = "ibic-alingsas"
DEADLINES = f"/projects/{KEY}/deadlines"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
EMMA = "emma.wik@alingsas.se"
OUTSIDER = "sara.nyberg@partille.se"
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    members.add_member(
        ctx, ADMIN, project_key=KEY, name="Emma Wik", email=EMMA, role="referensgrupp"
    )
    for email, name in (
        (ANITA, "Anita Lindqvist"),
        (LARS, "Lars Carlsson"),
        (EMMA, "Emma Wik"),
        (OUTSIDER, "Sara Nyberg"),
    ):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def text_of(html: str) -> str:
    """The page's text without tags, attributes or the layout's header."""
    body = html.split('<main id="main"', 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


# --- Mina punkter ----------------------------------------------------------------------------


def test_the_projektledare_reaches_mina_punkter_from_oversikt_late_first_in_words(
    ibic: Context,
) -> None:
    anita = client_for(ibic, ANITA)
    assert 'href="/me/items"' in anita.get("/").text
    page = anita.get("/me/items")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "12 punkter är försenade" in text
    assert "30 punkter att göra framöver" in text
    assert "Införande av IBIC" in text and "Go-live / driftstart" in text
    # The longest late item first, its lateness in red text and in words.
    first = re.search(r'<ol class="dl-list" id="late-items">.*?</ul>\s*</li>', page.text, re.S)
    assert first is not None
    assert "Tidplan – i god tid" in first.group(0)
    assert "2 september 2026" in first.group(0)
    assert re.search(r'class="overdue">.*?försenad sedan 84 dagar', first.group(0), re.S)
    # One click to the item on its gate page.
    link = re.search(
        r'<a href="(/projects/ibic-alingsas/gates/go-live#item-[^"]+)"', first.group(0)
    )
    assert link is not None
    path, anchor = link.group(1).split("#")
    assert f'id="{anchor}"' in anita.get(path).text
    assert not ADDRESS.search(text)


def test_a_projektledare_may_list_every_open_item_of_the_project(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    assert 'name="all"' in anita.get("/me/items").text
    text = text_of(anita.get("/me/items?all=1").text)
    assert "Ansvarig: Beställare" in text and "Ansvarig: Förvaltningsledare" in text
    assert "15 punkter är försenade" in text


def test_a_styrgrupp_member_sees_their_one_item_in_the_singular(ibic: Context) -> None:
    lars = client_for(ibic, LARS)
    page = lars.get("/me/items")
    text = text_of(page.text)
    assert "1 öppen punkt." in text
    assert "1 punkt är försenad" in text
    assert "försenad sedan 64 dagar" in text
    assert "Ansvarig: Styrgrupp" in text
    assert 'name="all"' not in page.text  # he leads no project
    assert 'aria-current="page">Mina punkter' in page.text


def test_someone_without_items_is_told_where_their_items_would_come_from(ibic: Context) -> None:
    for email in (EMMA, OUTSIDER):
        page = client_for(ibic, email).get("/me/items")
        assert page.status_code == 200
        assert 'id="my-items-empty"' in page.text
        assert "Du har inga öppna punkter just nu." in page.text


def test_mina_punkter_asks_for_a_login_first(ibic: Context) -> None:
    answer = TestClient(app_for(ibic)).get("/me/items", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login")


# --- the project's deadline view ----------------------------------------------------------------


def test_the_project_page_links_to_the_deadline_view(ibic: Context) -> None:
    page = client_for(ibic, LARS).get(f"/projects/{KEY}")
    assert f'href="{DEADLINES}"' in page.text


def test_the_deadline_view_lists_every_item_ahead_with_its_filters_and_modes(
    ibic: Context,
) -> None:
    page = client_for(ibic, LARS).get(DEADLINES)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "101 punkter i grindarna framåt" in text and "15 punkter är försenade" in text
    assert 'method="get"' in page.text and 'id="filter-late"' in page.text
    assert 'id="filter-mine"' in page.text  # Lars holds a role
    assert '<option value="forstudie">Checklista förstudie klar</option>' in page.text
    assert f'href="{DEADLINES}?view=table"' in page.text
    assert 'id="done-items"' not in page.text  # nothing done yet
    assert not ADDRESS.search(text)
    assert "forvaltningsledare" not in text and "Förvaltningsledare" in text


def test_filters_combine_and_are_kept_in_the_address(ibic: Context) -> None:
    lars = client_for(ibic, LARS)
    late = text_of(lars.get(f"{DEADLINES}?late=1").text)
    assert "15 punkter att göra – 15 är försenade" in late
    mine_late = lars.get(f"{DEADLINES}?late=1&mine=1&view=table")
    assert "1 punkt att göra – 1 är försenad" in text_of(mine_late.text)
    assert 'class="table-wrap"' in mine_late.text and 'id="to-do-items"' in mine_late.text
    assert '<input type="hidden" name="view" value="table">' in mine_late.text
    assert "checked" in mine_late.text.split('id="filter-late"', 1)[1][:40]
    none = lars.get(f"{DEADLINES}?late=1&category=Support")
    assert "Inga punkter matchar filtret." in none.text


def test_done_items_are_collapsed_with_their_count(ibic: Context) -> None:
    checklists.update_item(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="forstudie-klar",
        checklist_id="forstudie",
        item_id="projektdirektiv",
        status=ItemStatus.DONE,
        evidence="https://intranat.alingsas.se/ibic/projektdirektiv.pdf",
    )
    page = client_for(ibic, ANITA).get(f"{DEADLINES}?sort=gate")
    details = re.search(r'<details class="dl-done" id="done-items">.*?</details>', page.text, re.S)
    assert details is not None
    assert "1 klar eller ej aktuell punkt" in details.group(0)
    assert "Klar" in details.group(0)
    assert "Ej klar" not in details.group(0)


def test_bad_query_values_fall_back_to_the_defaults(ibic: Context) -> None:
    lars = client_for(ibic, LARS)
    page = lars.get(f"{DEADLINES}?sort=hacker&view=grid&late=maybe")
    assert page.status_code == 200
    assert "101 punkter att göra" in text_of(page.text)
    assert lars.get(f"{DEADLINES}?category={'x' * 500}").status_code == 422


def test_the_deadline_view_of_a_project_one_is_not_in_does_not_exist(ibic: Context) -> None:
    assert client_for(ibic, OUTSIDER).get(DEADLINES).status_code == 404
