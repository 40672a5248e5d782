"""The Enheter page's filters in its address, its forms per role, and the kommun list.

Issue 15, part 1: an införandeansvarig sees her own units first; the filters
(visa, kommun, wave, beredskap) live in the address, so a view can be shared
and reloaded; a filter that matches nothing says so and how to widen it; the
forms appear only for those who may use them; from her units, one click leads
to her kommun's readiness.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import member as members
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.services.rollout import unit_overview
from tests.apps import app_for
from tests.factories import ADMIN
from tests.rollout_factories import (
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    STYRGRUPP,
    kommun_email,
    start_rollout,
)
from tests.web.test_login import PASSWORD, csrf_of, log_in

PAGE = f"/projects/{ROLLOUT_KEY}/units"
BORAS = kommun_email("Borås")
EVIDENCE = "https://intranat.boras.se/inforande/supportplan.pdf"
MANAGER_FORMS = (
    'id="add-unit"',
    'id="move-unit"',
    'id="remove-unit"',
    'id="import"',
    'id="add-wave"',
)


@pytest.fixture
def rollout(ctx: Context) -> Context:
    start_rollout(ctx, kommuner=3, units_per_kommun=4)
    members.add_member(
        ctx,
        ADMIN,
        project_key=ROLLOUT_KEY,
        name="Anna Andersson",
        email=BORAS,
        role="inforandeansvarig",
    )
    for email in (PROJEKTLEDARE.id, BORAS, STYRGRUPP.id):
        accounts.create_user(ctx, ADMIN, email=email, name=email)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def client_for(ctx: Context, email: str) -> TestClient:
    client = TestClient(app_for(ctx))
    assert log_in(client, email=email).status_code == 303
    return client


def listed(html: str) -> list[str]:
    """The units the page lists, by the address of their page."""
    return re.findall(rf'<a href="{PAGE}/([a-z0-9-]+)">\d+ av \d+ punkter klara', html)


def selected(html: str, name: str) -> str:
    """The value chosen in the filter form's select `name`."""
    select = re.search(rf'<select id="filter-{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, f"no filter {name}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select.group(1))
    return chosen.group(1) if chosen else ""


def test_her_own_units_come_first_and_link_to_her_kommuns_readiness(rollout: Context) -> None:
    html = client_for(rollout, BORAS).get(PAGE).text
    assert selected(html, "visa") == "mina"
    assert "Mina enheter (7)" in html
    units = listed(html)
    assert units[0] == "boras" and len(units) == 7
    assert all(key.startswith("boras") for key in units)
    assert (
        f'<a href="/projects/{ROLLOUT_KEY}/readiness?kommun=boras">Beredskapen i Borås kommun</a>'
        in html
    )


def test_the_filters_round_trip_through_the_address(rollout: Context) -> None:
    client = client_for(rollout, BORAS)
    address = f"{PAGE}?visa=alla&kommun=alingsas&wave=vag-2&beredskap=inte-redo"
    html = client.get(address).text
    assert (selected(html, "visa"), selected(html, "kommun")) == ("alla", "alingsas")
    assert (selected(html, "wave"), selected(html, "beredskap")) == ("vag-2", "inte-redo")
    units = listed(html)
    assert units and all(key.startswith("alingsas") for key in units)
    # The forms post to the same address, so their answer keeps the filters.
    action = re.search(r'<form method="post" action="([^"]+)" class="form" id="bulk">', html)
    assert (
        action
        and action.group(1).replace("&amp;", "&") == f"{PAGE}/bulk?" + address.split("?", 1)[1]
    )
    # Alingsås is not hers: nothing to tick, so no checkbox and no tick controls.
    assert 'name="unit_keys"' not in html and 'id="bulk-title"' not in html
    widen = re.search(r'href="([^"]+)">Visa alla enheter</a>', html)
    assert widen and parse_qs(urlsplit(widen.group(1).replace("&amp;", "&")).query) == {
        "visa": ["alla"]
    }


def test_forms_are_shown_only_to_those_who_may_use_them(rollout: Context) -> None:
    leader = client_for(rollout, PROJEKTLEDARE.id).get(PAGE).text
    assert all(form in leader for form in MANAGER_FORMS)
    assert 'id="filter-visa"' not in leader  # she answers for no unit herself
    assert 'id="bulk-title"' in leader and len(listed(leader)) == 21

    anna = client_for(rollout, BORAS).get(f"{PAGE}?visa=alla").text
    assert not any(form in anna for form in MANAGER_FORMS)
    boxes = re.findall(r'name="unit_keys" value="([a-z0-9-]+)"', anna)
    assert boxes and all(key.startswith("boras") for key in boxes)
    assert len(listed(anna)) == 21  # she sees every unit, and may tick her own

    styrgrupp = client_for(rollout, STYRGRUPP.id).get(PAGE).text
    assert not any(form in styrgrupp for form in MANAGER_FORMS)
    assert 'name="unit_keys"' not in styrgrupp and 'id="bulk-title"' not in styrgrupp


@pytest.mark.parametrize(
    ("address", "sentence", "wider"),
    [
        ("kommun=goteborg", "Det finns ingen kommun ”goteborg” i projektet.", "visa alla kommuner"),
        ("wave=vag-9", "Det finns ingen våg ”vag-9” i projektet.", "visa alla vågor"),
        ("beredskap=klar", "”klar” är inget val för beredskap", "visa enheterna oavsett beredskap"),
        ("visa=alla&beredskap=redo", "Ingen enhet matchar alla filter", "visa enheterna oavsett"),
    ],
)
def test_a_filter_that_matches_nothing_says_so_and_how_to_widen_it(
    rollout: Context, address: str, sentence: str, wider: str
) -> None:
    answer = client_for(rollout, PROJEKTLEDARE.id).get(f"{PAGE}?{address}")
    assert answer.status_code == 200
    assert sentence in answer.text and wider in answer.text
    assert listed(answer.text) == []


def test_no_units_of_her_own_is_said_in_words(rollout: Context) -> None:
    html = client_for(rollout, PROJEKTLEDARE.id).get(f"{PAGE}?visa=mina").text
    assert "Du är inte införandeansvarig för någon enhet i projektet." in html
    assert "visa alla enheter, inte bara dina" in html


def test_a_region_is_listed_per_kommun_with_counts(
    rollout: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(unit_overview, "LIST_LIMIT", 10)
    html = client_for(rollout, PROJEKTLEDARE.id).get(PAGE).text
    assert listed(html) == []
    assert "7 enheter: 0 redo, 7 inte redo, varav 0 försenade" in html
    link = re.search(r'href="([^"]+)">Visa enheterna i Borås kommun</a>', html)
    assert link
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query == {"visa": ["alla"], "kommun": ["boras"], "wave": ["vag-1"]}
    chosen = client_for(rollout, PROJEKTLEDARE.id).get(link.group(1).replace("&amp;", "&"))
    assert len(listed(chosen.text)) == 7
    # The kommuner can be ticked whole from the list.
    assert 'name="unit_keys" value="boras" id="pick-boras"' in html


def test_a_bulk_tick_from_her_filtered_page_keeps_the_filter_and_the_selection(
    rollout: Context,
) -> None:
    client = client_for(rollout, BORAS)
    html = client.get(f"{PAGE}?visa=mina").text
    action = re.search(r'<form method="post" action="([^"]+)" class="form" id="bulk">', html)
    assert action and action.group(1) == f"{PAGE}/bulk?visa=mina"
    answer = client.post(
        action.group(1),
        data={
            "csrf_token": csrf_of(client, PAGE),
            "item_id": "forstarkt-support",
            "status": "done",
            "evidence": EVIDENCE,
            "unit_keys": ["boras"],
            "with_units_below": "on",
        },
    )
    assert answer.status_code == 200
    assert "Punkt: Förstärkt support vid driftstart planerad och bemannad" in answer.text
    assert "7 enheter ändrade." in answer.text
    assert selected(answer.text, "visa") == "mina"
    boxes = re.findall(r'name="unit_keys" value="([a-z0-9-]+)" id="[^"]+" checked>', answer.text)
    assert len(boxes) == 7
    for key in boxes:
        items = unit_checklists.unit_checklist(rollout, ROLLOUT_KEY, key).items
        assert any(
            v.row.item_id == "forstarkt-support" and v.row.status is ItemStatus.DONE for v in items
        )
