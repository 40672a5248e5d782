"""Pages of a project whose workflow is Danish are in Danish, unless the person chose.

The ICS forankring project of Skanderborg Kommune runs on `forankring`
(`language: da`): its project page, gate page, risks and activities render
with `<html lang="da">` and the Danish catalogue for a member who never used
the language switch, whatever the browser asks for; a Swedish project stays
Swedish for the same person; a language chosen with the switch wins.
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import project as projects
from tests.apps import app_for
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.web.test_login import csrf_of

PASSWORD = "Forankring af ICS 2026!"
KEY = "ics-forankring-skanderborg"
SOFIE = ("sofie.norgaard@skanderborg.example", "Sofie Nørgaard")
MEMBERS = (
    projects.MemberSpec("Mette Kjær", "mette.kjaer@skanderborg.example", "ledelse"),
    projects.MemberSpec(SOFIE[1], SOFIE[0], "forankringsteam"),
    projects.MemberSpec("Rasmus Dahl", "rasmus.dahl@skanderborg.example", "aktivitetsansvarlig"),
    # Anita of Alingsås also follows the Danish project (and runs the Swedish one).
    projects.MemberSpec("Anita Lindqvist", PROJEKTLEDARE.id, "medarbejder"),
)
DANISH_PAGES = (
    f"/projects/{KEY}",
    f"/projects/{KEY}/gates/maling-afsluttet",
    f"/projects/{KEY}/risks",
    f"/projects/{KEY}/activities",
)


@pytest.fixture
def ics(ctx: Context) -> Context:
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key=KEY,
        name="Forankring af ICS på børne- og ungeområdet",
        workflow_id="forankring",
        organisation="Børn og Familie, Skanderborg Kommune",
        started_on=date(2026, 8, 17),
        gate_targets={
            "maling-afsluttet": date(2026, 12, 3),
            "plan-godkendt": date(2027, 2, 11),
            "gennemforelse-afsluttet": date(2027, 9, 30),
            "ny-maling": date(2027, 12, 9),
        },
        members=MEMBERS,
    )
    return ctx


def signed_in(ctx: Context, email: str, name: str, **headers: str) -> TestClient:
    accounts.create_user(ctx, ADMIN, email=email, name=name)
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    client = TestClient(app_for(ctx), headers=headers)
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


@pytest.mark.parametrize("path", DANISH_PAGES)
def test_a_danish_projects_pages_are_danish_for_who_chose_no_language(
    ics: Context, path: str
) -> None:
    client = signed_in(ics, *SOFIE, **{"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.8"})
    page = client.get(path)
    assert page.status_code == 200
    assert '<html lang="da">' in page.text
    assert "Log ud" in page.text and "Logga ut" not in page.text
    assert "Oversigt" in page.text


def test_the_project_page_speaks_danish(ics: Context) -> None:
    text = signed_in(ics, *SOFIE).get(f"/projects/{KEY}").text
    for danish in ("Tidslinje", "Medlemmer og roller", "Risikomatrix", "Aktivitetsplan"):
        assert danish in text, danish
    assert "17. august 2026" in text or "3. december 2026" in text  # dates the Danish way
    for swedish in ("Medlemmar och roller", "Nästa grind", "Senaste händelser"):
        assert swedish not in text, swedish
    assert "Implementerings-/forankringsteam" in text  # the role's own (Danish) label


def test_a_swedish_project_stays_swedish_for_the_same_person(ics: Context) -> None:
    start_ibic(ics)
    client = signed_in(ics, PROJEKTLEDARE.id, "Anita Lindqvist")
    swedish = client.get("/projects/ibic-alingsas")
    assert '<html lang="sv">' in swedish.text and "Logga ut" in swedish.text
    danish = client.get(f"/projects/{KEY}")
    assert '<html lang="da">' in danish.text
    assert '<html lang="sv">' in client.get("/").text  # Översikt is nobody's project
    # A Swedish project leaves the choice to the browser, as before; a Danish one does not.
    english = {"Accept-Language": "en"}
    assert '<html lang="en">' in client.get("/projects/ibic-alingsas", headers=english).text
    assert '<html lang="da">' in client.get(f"/projects/{KEY}", headers=english).text


def test_the_language_switch_still_wins(ics: Context) -> None:
    client = signed_in(ics, *SOFIE)
    assert '<html lang="da">' in client.get(f"/projects/{KEY}").text
    chosen = client.post(
        "/language",
        data={"language": "sv", "next": f"/projects/{KEY}", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    for path in DANISH_PAGES:
        page = client.get(path)
        assert '<html lang="sv">' in page.text and "Logga ut" in page.text, path
    # The choice is the account's: a new sign-in keeps it.
    again = TestClient(app_for(ics))
    again.post(
        "/login",
        data={"email": SOFIE[0], "password": PASSWORD, "next": "/", "csrf_token": csrf_of(again)},
        follow_redirects=False,
    )
    assert '<html lang="sv">' in again.get(f"/projects/{KEY}").text


def test_danish_can_be_chosen_anywhere(ics: Context) -> None:
    start_ibic(ics)
    client = signed_in(ics, PROJEKTLEDARE.id, "Anita Lindqvist")
    client.post(
        "/language",
        data={"language": "da", "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    overview = client.get("/")
    assert '<html lang="da">' in overview.text and "Oversigt" in overview.text
    assert '<html lang="da">' in client.get("/projects/ibic-alingsas").text


def test_signing_out_does_not_turn_the_project_language_into_a_choice(ics: Context) -> None:
    client = signed_in(ics, *SOFIE)
    client.get(f"/projects/{KEY}")
    client.post("/logout", data={"csrf_token": csrf_of(client)}, follow_redirects=False)
    client.post(
        "/login",
        data={"email": SOFIE[0], "password": PASSWORD, "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert '<html lang="da">' in client.get(f"/projects/{KEY}").text


def test_the_gate_page_explains_its_criteria_in_danish(ics: Context) -> None:
    text = signed_in(ics, *SOFIE).get(f"/projects/{KEY}/gates/maling-afsluttet").text
    assert "obligatoriske punkter er ikke færdige." in text
    assert "punkter er færdige (0 %), hvilket ikke opfylder kravet om mindst 75 %." in text
    assert "Ikke færdigt: " in text and "(målt 0 af " in text
    for swedish in ("är inte klara", "Ej klar:", "uppmätt", "vilket inte når"):
        assert swedish not in text, swedish
