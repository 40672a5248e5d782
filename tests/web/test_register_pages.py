"""The kommunikationsplan and intressentanalys pages, driven through the real login form on
SQLite and PostgreSQL: the projektledare adds and edits rows, refused input comes back with
the field marked and nothing saved, a stale edit is 412, a styrgrupp member reads without
forms and is refused 403 on a post, and the project page links to both registers.
"""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.core.followup.register import CommunicationStatus, Influence
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.followup import communication as communications
from gatekeeper.services.followup import stakeholder as stakeholders
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD, csrf_of

KEY = "ibic-alingsas"
PLAN = f"/projects/{KEY}/communications"
ANALYSIS = f"/projects/{KEY}/stakeholders"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def _row(ctx: Context) -> int:
    row = communications.add_communication(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        audience="Enhetschefer, Vård- och omsorgsförvaltningen",
        channel="Projektplan kommuniceras till samtliga ledningsgrupper",
        planned_on=date(2027, 2, 15),
        responsible="Anita Lindqvist",
    )
    assert row.id is not None
    return row.id


def test_the_project_page_links_to_both_registers(ibic: Context) -> None:
    page = client_for(ibic, LARS).get(f"/projects/{KEY}").text
    assert f'href="{PLAN}"' in page and f'href="{ANALYSIS}"' in page


def test_the_projektledare_adds_a_row_and_sees_it_in_date_order(ibic: Context) -> None:
    _row(ibic)
    anita = client_for(ibic, ANITA)
    form = {
        "csrf_token": csrf_of(anita, PLAN),
        "audience": "Fackliga organisationer",
        "message": "Insyn och delaktighet",
        "channel": "Information i FSG",
        "planned_on": "2027-01-20",
        "responsible": "Jonas Berg",
        "status": "planned",
        "comment": "",
    }

    answer = anita.post(PLAN, data=form, follow_redirects=False)

    assert answer.status_code == 303, answer.text
    page = anita.get(PLAN).text
    assert "Raden är tillagd i kommunikationsplanen" in page
    assert page.index("Fackliga organisationer") < page.index("Enhetschefer")
    assert "jonas.berg@" not in page  # names, never addresses


def test_a_refused_row_comes_back_with_the_field_marked_and_nothing_saved(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = {
        "csrf_token": csrf_of(anita, PLAN),
        "audience": "Brukare",
        "planned_on": "mars 2027",
        "status": "planned",
    }

    answer = anita.post(PLAN, data=form)

    assert answer.status_code == 422
    assert 'href="#add-communication-planned_on"' in answer.text
    assert 'value="Brukare"' in answer.text  # what was posted is kept
    assert communications.list_communications(ibic, KEY) == []


def test_an_edit_marks_it_genomford_and_a_stale_edit_is_412(ibic: Context) -> None:
    row_id = _row(ibic)
    anita = client_for(ibic, ANITA)
    url = f"{PLAN}/{row_id}"
    form = {
        "csrf_token": csrf_of(anita, url),
        "row_version": "1",
        "audience": "Enhetschefer",
        "channel": "APT",
        "planned_on": "2027-02-15",
        "responsible": "Anita Lindqvist",
        "status": "done",
    }

    assert anita.post(url, data=form, follow_redirects=False).status_code == 303
    assert communications.get_communication(ibic, KEY, row_id).status is CommunicationStatus.DONE
    stale = anita.post(url, data=form | {"channel": "E-post"})
    assert stale.status_code == 412
    assert communications.get_communication(ibic, KEY, row_id).channel == "APT"


def test_a_styrgrupp_member_reads_without_forms_and_may_not_post(ibic: Context) -> None:
    row_id = _row(ibic)
    stakeholders.add_stakeholder(
        ibic, PROJEKTLEDARE, project_key=KEY, name="Brukare", influence=Influence.MEDIUM
    )
    lars = client_for(ibic, LARS)

    plan = lars.get(PLAN).text
    assert "Enhetschefer" in plan and 'id="add-communication"' not in plan
    assert 'id="edit-communication"' not in lars.get(f"{PLAN}/{row_id}").text
    analysis = lars.get(ANALYSIS).text
    assert "Brukare" in analysis and 'id="add-stakeholder"' not in analysis
    answer = lars.post(PLAN, data={"csrf_token": csrf_of(lars, PLAN), "audience": "Brukare"})
    assert answer.status_code == 403
    assert len(communications.list_communications(ibic, KEY)) == 1


def test_the_projektledare_adds_and_edits_an_intressent(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = {
        "csrf_token": csrf_of(anita, ANALYSIS),
        "name": "Socialt ansvarig samordnare (SAS)",
        "interest": "Har kunskap om/ansvarar för implementeringen",
        "influence": "high",
        "expectations": "",
        "strategy": "Involveras i central projektgrupp",
    }
    assert anita.post(ANALYSIS, data=form, follow_redirects=False).status_code == 303
    (row,) = stakeholders.list_stakeholders(ibic, KEY)
    assert row.influence is Influence.HIGH

    url = f"{ANALYSIS}/{row.id}"
    bad = anita.post(url, data=form | {"row_version": "1", "influence": "enorm"})
    assert bad.status_code == 422 and 'href="#edit-stakeholder-influence"' in bad.text
    edited = form | {"csrf_token": csrf_of(anita, url), "row_version": "1", "influence": "low"}
    assert anita.post(url, data=edited, follow_redirects=False).status_code == 303
    assert stakeholders.get_stakeholder(ibic, KEY, row.id or 0).influence is Influence.LOW


def test_the_pages_offer_the_downloads(ibic: Context) -> None:
    _row(ibic)
    lars = client_for(ibic, LARS)

    assert f'href="{PLAN}.xlsx"' in lars.get(PLAN).text
    answer = lars.get(f"{PLAN}.csv")
    assert answer.status_code == 200 and "Enhetschefer" in answer.content.decode("utf-8-sig")
    assert lars.get(f"{ANALYSIS}.xlsx").status_code == 200
