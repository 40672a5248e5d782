"""The Enheter page and a unit's page: tree by wave, forms, import report, bulk tick result."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import member as members
from gatekeeper.services.rollout import unit_checklist as unit_checklists
from gatekeeper.services.rollout import unit_listing
from tests.apps import app_for
from tests.factories import ADMIN, api_client
from tests.rollout_factories import (
    ENHETER,
    PROJEKTLEDARE,
    ROLLOUT_KEY,
    kommun_email,
    slug,
    start_rollout,
)
from tests.web.test_login import PASSWORD, csrf_of, log_in

PAGE = f"/projects/{ROLLOUT_KEY}/units"
KARIN = PROJEKTLEDARE.id
BORAS = kommun_email("Borås")
EVIDENCE = "https://intranat.boras.se/inforande/deltagarlista.xlsx"


@pytest.fixture
def rollout(ctx: Context) -> Context:
    start_rollout(ctx, kommuner=2, units_per_kommun=2)
    members.add_member(
        ctx,
        ADMIN,
        project_key=ROLLOUT_KEY,
        name="Införandeansvarig Borås",
        email=BORAS,
        role="inforandeansvarig",
    )
    for email in (KARIN, BORAS):
        accounts.create_user(ctx, ADMIN, email=email, name=email)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def client_for(ctx: Context, email: str) -> TestClient:
    client = TestClient(app_for(ctx))
    assert log_in(client, email=email).status_code == 303
    return client


def test_the_page_shows_waves_with_their_unit_trees(rollout: Context) -> None:
    client = client_for(rollout, KARIN)
    html = client.get(PAGE).text
    assert "<h1>Enheter</h1>" in html
    assert "Våg 1 – pilotkommuner" in html and "driftstart 1 mars 2027" in html
    assert "Hemtjänst Norr" in html and "0 av " in html
    assert f'href="{PAGE}/boras-hemtjanst-norr"' in html
    assert f'href="{PAGE}"' in client.get(f"/projects/{ROLLOUT_KEY}").text


def test_add_move_and_remove_units_through_the_forms(rollout: Context) -> None:
    client = client_for(rollout, KARIN)
    token = csrf_of(client, PAGE)
    added = client.post(
        PAGE,
        data={
            "csrf_token": token,
            "key": "boras-hemtjanst-vaster",
            "name": "Hemtjänst Väster",
            "kind": "enhet",
            "parent_key": "boras-vo",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303 and added.headers["location"].endswith("boras-hemtjanst-vaster")

    unmotivated = client.post(
        f"{PAGE}/move", data={"csrf_token": token, "unit_key": "boras-vo", "wave_key": "vag-3"}
    )
    assert unmotivated.status_code == 422
    assert 'href="#move-motivation"' in unmotivated.text

    moved = client.post(
        f"{PAGE}/move",
        data={
            "csrf_token": token,
            "unit_key": "boras-vo",
            "wave_key": "vag-3",
            "motivation": "Hemtjänsten hinner inte utbilda alla.",
        },
    )
    assert moved.status_code == 200 and "Enheten är flyttad" in moved.text
    assert unit_listing.get_unit(rollout, ROLLOUT_KEY, "boras-hemtjanst-vaster").wave_key == "vag-3"

    refused = client.post(f"{PAGE}/remove", data={"csrf_token": token, "unit_key": "boras-vo"})
    assert refused.status_code == 409
    removed = client.post(
        f"{PAGE}/remove",
        data={"csrf_token": token, "unit_key": "boras-vo", "with_children": "yes"},
    )
    assert removed.status_code == 200 and "boras-hemtjanst-vaster" in removed.text


def test_a_bad_import_lists_every_bad_row_and_imports_nothing(rollout: Context) -> None:
    client = client_for(rollout, KARIN)
    token = csrf_of(client, PAGE)
    bad = "nyckel;namn;typ;överordnad;våg\nlerum;Lerum;kommun;;vag-9\nboras;Borås;kommun;;\n"
    answer = client.post(
        f"{PAGE}/import",
        data={"csrf_token": token},
        files={"file": ("enheter.csv", bad.encode("cp1252"), "text/csv")},
    )
    assert answer.status_code == 422
    assert "rad 2: vågen &#39;vag-9&#39; finns inte" in answer.text
    assert "rad 3: nyckeln &#39;boras&#39; finns redan i projektet" in answer.text

    good = "nyckel;namn;typ\nlerum;Lerums kommun;kommun\n"
    imported = client.post(
        f"{PAGE}/import",
        data={"csrf_token": token},
        files={"file": ("enheter.csv", good.encode("utf-8-sig"), "text/csv")},
    )
    assert imported.status_code == 200 and "1 enheter är importerade" in imported.text


def test_bulk_tick_shows_the_refused_units(rollout: Context) -> None:
    client = client_for(rollout, BORAS)
    token = csrf_of(client, PAGE)
    answer = client.post(
        f"{PAGE}/bulk",
        data={
            "csrf_token": token,
            "item_id": "utbildning-genomford",
            "status": "done",
            "evidence": EVIDENCE,
            "unit_keys": ["boras-hemtjanst-norr", "alingsas-hemtjanst-norr"],
        },
    )
    assert answer.status_code == 200
    assert "1 enhet ändrad" in answer.text
    assert "1 enhet nekades" in answer.text
    # The result names the item by its text and the refused unit by its name (with its key,
    # for a name that several kommuner share), and the units stay selected (issue 15).
    assert "Punkt: Utbildning genomförd för alla användare på enheten" in answer.text
    assert '<strong>Hemtjänst Norr</strong> <span class="hint">(alingsas-hemtjanst-norr)' in (
        answer.text
    )
    # Her own units are listed, with a checkbox for each; the refused one is not hers.
    assert 'value="boras-hemtjanst-norr" id="pick-boras-hemtjanst-norr" checked>' in answer.text
    assert 'id="pick-alingsas-hemtjanst-norr"' not in answer.text
    assert 'id="pick-boras" checked' not in answer.text
    checklist = unit_checklists.unit_checklist(rollout, ROLLOUT_KEY, "boras-hemtjanst-norr")
    assert any(
        v.row.item_id == "utbildning-genomford" and v.row.status is ItemStatus.DONE
        for v in checklist.items
    )


def test_the_unit_page_ticks_items_and_refuses_a_stale_form(rollout: Context) -> None:
    client = client_for(rollout, BORAS)
    url = f"{PAGE}/boras-hemtjanst-norr"
    html = client.get(url).text
    assert "<h1>Hemtjänst Norr</h1>" in html and "Cut-over-checklista" in html
    assert "15 februari 2027" in html  # utbildning: 14 days before driftstart
    token = csrf_of(client, url)
    item_url = f"{url}/items/utbildning-genomford"

    missing = client.post(
        item_url, data={"csrf_token": token, "status": "done", "row_version": "1"}
    )
    assert missing.status_code == 422 and 'href="#evidence-utbildning-genomford"' in missing.text

    done = client.post(
        item_url,
        data={"csrf_token": token, "status": "done", "evidence": EVIDENCE, "row_version": "1"},
    )
    assert done.status_code == 200 and "Punkten är sparad" in done.text
    stale = client.post(item_url, data={"csrf_token": token, "status": "open", "row_version": "1"})
    assert stale.status_code == 412 and "har ändrats av någon annan" in stale.text


def test_a_member_who_is_not_responsible_sees_no_tick_forms(ctx: Context) -> None:
    start_rollout(ctx, kommuner=1, units_per_kommun=1)
    styrgrupp = "bengt.nilsson@vgregion.se"
    accounts.create_user(ctx, ADMIN, email=styrgrupp, name="Bengt Nilsson")
    logins.set_password(ctx, ADMIN, email=styrgrupp, password=PASSWORD)
    client = client_for(ctx, styrgrupp)
    html = client.get(f"{PAGE}/boras-hemtjanst-norr").text
    assert "Markera som klar" not in html
    assert "Bara projektledaren och införandeansvariga" in html


def test_an_enhet_without_its_own_inforandeansvarig_names_the_one_above(rollout: Context) -> None:
    """Issue 15: responsibility held through the kommun is shown as such, with the way to
    the unit it comes from, not as "inte utsedd"."""
    client = client_for(rollout, KARIN)
    under_ifo = f"{PAGE}/boras-{slug(ENHETER[1])}"  # IFO names nobody; the kommun does

    html = client.get(under_ifo).text

    assert f'Införandeansvarig Borås, via <a href="{PAGE}/boras">Borås kommun</a>' in html
    assert "inte utsedd" not in html
    own = client.get(f"{PAGE}/boras").text  # the kommun names its own
    assert "Införandeansvarig Borås</a>" in own and ", via" not in own


def test_a_kommun_selected_brings_its_units_and_they_stay_selected(rollout: Context) -> None:
    """Issue 15: one action ticks an item for a whole kommun; its units are selected with
    it, and the selection is kept for the next item."""
    client = client_for(rollout, BORAS)
    boras = [row.unit.key for row in unit_listing.list_units(rollout, ROLLOUT_KEY)]
    boras = [key for key in boras if key == "boras" or key.startswith("boras-")]
    answer = client.post(
        f"{PAGE}/bulk",
        data={
            "csrf_token": csrf_of(client, PAGE),
            "item_id": "utbildning-genomford",
            "status": "done",
            "evidence": EVIDENCE,
            "unit_keys": ["boras"],
            "with_units_below": "on",
        },
    )

    assert answer.status_code == 200
    for key in boras:
        assert f'value="{key}" id="pick-{key}" checked>' in answer.text
    assert 'id="pick-alingsas" checked' not in answer.text
    done = [
        key
        for key in boras
        if any(
            v.row.item_id == "utbildning-genomford" and v.row.status is ItemStatus.DONE
            for v in unit_checklists.unit_checklist(rollout, ROLLOUT_KEY, key).items
        )
    ]
    assert len(done) == len(boras) > 3  # the kommun, two förvaltningar and the enheter


def test_without_the_units_below_only_the_kommun_is_ticked(rollout: Context) -> None:
    client = api_client(rollout, BORAS, scope="write")
    body = {"unit_keys": ["boras"], "status": "done", "evidence": EVIDENCE}
    alone = client.post(
        f"/api/v1/projects/{ROLLOUT_KEY}/unit-items/utbildning-genomford/bulk", json=body
    )
    assert alone.status_code == 200 and alone.json()["done"] == ["boras"]

    below = client.post(
        f"/api/v1/projects/{ROLLOUT_KEY}/unit-items/utbildning-genomford/bulk",
        json={**body, "with_units_below": True},
    )
    assert below.status_code == 200
    assert below.json()["already"] == ["boras"]
    assert "boras-hemtjanst-norr" in below.json()["done"]
