"""The "Flytta datum" page without JavaScript: preview on the first submit, confirm on the
second, a stale preview answers 412, an inverting move is refused naming the gates, and only
the projektledare sees the page. Driven with TestClient through the login form."""

from __future__ import annotations

import re
from datetime import date

import pytest

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import gate_date as gate_dates
from gatekeeper.services.projects import overview as overviews
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD

KEY = "ibic-alingsas"
PAGE = f"/projects/{KEY}/gates/go-live/datum"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field"
    return found.group(1)


def _version(html: str) -> str:
    found = re.search(r'name="dates_version" value="(\d+)"', html)
    assert found, "no dates_version in the confirmation form"
    return found.group(1)


def test_preview_then_confirm_moves_the_later_gates(ibic: Context) -> None:
    client = client_for(ibic, ANITA)
    project = client.get(f"/projects/{KEY}")
    assert f'href="{PAGE}"' in project.text  # the timeline links the move

    preview = client.get(PAGE, params={"date": "2027-10-01", "shift_later": "on"})
    assert preview.status_code == 200, preview.text
    assert "Det här flyttas om du bekräftar" in preview.text
    assert "Driftöverlämning godkänd" in preview.text
    assert "31 december 2027" in preview.text
    assert overviews.project_overview(ibic, KEY).gate_targets["go-live"] == date(2027, 9, 1)

    moved = client.post(
        PAGE,
        data={
            "csrf_token": _csrf(preview.text),
            "date": "2027-10-01",
            "shift_later": "on",
            "dates_version": _version(preview.text),
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303, moved.text
    targets = overviews.project_overview(ibic, KEY).gate_targets
    assert targets["go-live"] == date(2027, 10, 1)
    assert targets["driftoverlamning-godkand"] == date(2027, 12, 31)
    assert "är flyttat till 1 oktober 2027" in client.get(moved.headers["location"]).text


def test_a_stale_preview_answers_412_and_moves_nothing(ibic: Context) -> None:
    client = client_for(ibic, ANITA)
    preview = client.get(PAGE, params={"date": "2027-10-01", "shift_later": "on"})
    gate_dates.set_gate_target(
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id="driftoverlamning-godkand",
        target_date=date(2027, 12, 20),
    )
    stale = client.post(
        PAGE,
        data={
            "csrf_token": _csrf(preview.text),
            "date": "2027-10-01",
            "shift_later": "on",
            "dates_version": _version(preview.text),
        },
    )
    assert stale.status_code == 412, stale.text
    assert "har ändrats av någon annan sedan förhandsvisningen" in stale.text
    assert "2027-12-20" not in stale.text  # dates in words
    assert "20 december 2027" in stale.text  # the preview as it is now
    assert overviews.project_overview(ibic, KEY).gate_targets["go-live"] == date(2027, 9, 1)


def test_an_inverting_move_is_refused_naming_the_gates(ibic: Context) -> None:
    client = client_for(ibic, ANITA)
    refused = client.get(PAGE, params={"date": "2028-02-01"})
    assert refused.status_code == 422, refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "Driftöverlämning godkänd" in refused.text
    assert "skulle sluta innan den börjar" in refused.text
    assert "Bekräfta flytten" not in refused.text


def test_a_date_that_is_not_a_date_is_explained(ibic: Context) -> None:
    client = client_for(ibic, ANITA)
    refused = client.get(PAGE, params={"date": "1 februari"})
    assert refused.status_code == 422
    assert "ÅÅÅÅ-MM-DD" in refused.text


def test_a_styrgrupp_member_neither_sees_nor_uses_the_page(ibic: Context) -> None:
    client = client_for(ibic, LARS)
    assert f'href="{PAGE}"' not in client.get(f"/projects/{KEY}").text
    assert 'id="move-date"' not in client.get(f"/projects/{KEY}/gates/go-live").text
    assert client.get(PAGE).status_code == 403
    anita = client_for(ibic, ANITA)
    preview = anita.get(PAGE, params={"date": "2027-10-01"})
    refused = client.post(
        PAGE,
        data={
            "csrf_token": _csrf(client.get(f"/projects/{KEY}").text),
            "date": "2027-10-01",
            "dates_version": _version(preview.text),
        },
    )
    assert refused.status_code == 403
    assert overviews.project_overview(ibic, KEY).gate_targets["go-live"] == date(2027, 9, 1)
