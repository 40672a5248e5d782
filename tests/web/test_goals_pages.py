"""The "Mål och nytta" pages: goals by kind with chart and table, and the projektledare's forms.

Driven with TestClient through the real login form, on SQLite and PostgreSQL:
the page shows the latest value against nuläge and målvärde and an SVG with a
title (no style attributes); a measurement is recorded; refused input shows
the form again with the field marked and nothing saved; a styrgrupp member
reads without forms and is refused 403; someone outside the project gets 404.
"""

from __future__ import annotations

from datetime import date

import pytest

from gatekeeper.core.followup.goal import GoalKind
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.followup import goal as goals
from gatekeeper.services.followup import measurement as measurements
from gatekeeper.services.followup.goal_fields import GoalFields
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD, csrf_of

KEY = "ibic-alingsas"
GOALS = f"/projects/{KEY}/goals"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
OUTSIDER = "kim.nilsson@boras.se"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with an effektmål measured twice and a nytta, and web accounts."""
    start_ibic(ctx)
    fields = GoalFields(
        kind=GoalKind.EFFEKTMAL,
        title="Alla som arbetar med IBIC har gått utbildningen",
        indicator="Andel anställda som gått utbildning i IBIC",
        unit="%",
        baseline="0",
        target="90",
        responsible="Anita Lindqvist",
        measure_points=(date(2026, 8, 31), date(2027, 3, 31)),
    )
    goals.add_goal(ctx, PROJEKTLEDARE, project_key=KEY, fields=fields, key="utbildade")
    for day, value in ((date(2026, 8, 31), "38"), (date(2026, 11, 16), "64")):
        measurements.record_measurement(
            ctx, PROJEKTLEDARE, project_key=KEY, goal="utbildade", measured_on=day, value=value
        )
    nytta = GoalFields(
        kind=GoalKind.NYTTA,
        title="Mindre dubbeldokumentation",
        responsible="Karin Ek",
        organisation="Vård- och omsorgsförvaltningen",
    )
    goals.add_goal(ctx, PROJEKTLEDARE, project_key=KEY, fields=nytta, key="dubbel")
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson"), (OUTSIDER, "Kim")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def test_the_project_page_links_to_goals_and_the_page_shows_them_by_kind(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    assert f'href="{GOALS}"' in anita.get(f"/projects/{KEY}").text

    page = anita.get(GOALS)

    assert page.status_code == 200
    html = page.text
    assert html.index("Effektmål") < html.index("Nytta") < html.index("Mindre dubbeldokumentation")
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "style=" not in html
    assert "+26 sedan förra" in html
    assert "26 kvar" in html  # 64 of 90
    assert "Karin Ek, Vård- och omsorgsförvaltningen" in html
    assert 'id="add-goal"' in html
    assert ANITA not in html


def test_the_projektledare_records_a_measurement_and_sees_it_against_the_last(
    ibic: Context,
) -> None:
    anita = client_for(ibic, ANITA)
    page = f"{GOALS}/utbildade"
    form = {
        "csrf_token": csrf_of(anita, page),
        "measured_on": "2026-11-24",
        "value": "71,5",
        "source": "Deltagarlistor",
        "comment": "Hemtjänsten utbildad.",
    }

    answer = anita.post(f"{page}/measurements", data=form, follow_redirects=False)

    assert answer.status_code == 303, answer.text
    html = anita.get(page).text
    assert "Mätningen är registrerad" in html
    assert "71,5" in html and "+7,5" in html and "Hemtjänsten utbildad." in html


def test_a_non_numeric_measurement_shows_the_form_again_with_the_field_marked(
    ibic: Context,
) -> None:
    anita = client_for(ibic, ANITA)
    page = f"{GOALS}/utbildade"
    form = {"csrf_token": csrf_of(anita, page), "measured_on": "2026-11-24", "value": "nästan 80"}

    answer = anita.post(f"{page}/measurements", data=form)

    assert answer.status_code == 422
    assert 'href="#add-measurement-value"' in answer.text
    assert "ska vara ett tal" in answer.text
    assert 'value="nästan 80"' in answer.text
    assert len(measurements.list_measurements(ibic, KEY, "utbildade")) == 2


def test_the_projektledare_adds_a_goal_and_edits_it_with_the_forms(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = {
        "csrf_token": csrf_of(anita, GOALS),
        "kind": "delmal",
        "title": "Alla IBIC-ombud utbildade",
        "parent": "utbildade",
        "numeric": "yes",
        "unit": "antal",
        "baseline": "0",
        "target": "24",
        "measure_points": "2027-03-31\n2027-06-30",
    }
    added = anita.post(GOALS, data=form, follow_redirects=False)
    assert added.status_code == 303, added.text
    url = added.headers["location"]
    assert url.endswith("/goals/alla-ibic-ombud-utbildade")
    html = anita.get(url).text
    assert "Hör till" in html and "2027-06-30" in html

    edit = {k: v for k, v in form.items() if k != "csrf_token"} | {
        "csrf_token": csrf_of(anita, url),
        "row_version": "1",
        "target": "30",
    }
    assert anita.post(url, data=edit, follow_redirects=False).status_code == 303
    stale = anita.post(url, data=edit | {"target": "20"})
    assert stale.status_code == 412
    assert goals.get_goal(ibic, KEY, "alla-ibic-ombud-utbildade")[0].target == "30"


def test_bad_matpunkter_show_the_add_form_again_and_nothing_is_saved(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = {
        "csrf_token": csrf_of(anita, GOALS),
        "kind": "effektmal",
        "title": "Fler brukare delaktiga",
        "numeric": "yes",
        "measure_points": "om tre månader",
    }

    answer = anita.post(GOALS, data=form)

    assert answer.status_code == 422
    assert 'href="#add-goal-measure_points"' in answer.text
    assert len(goals.list_goals(ibic, KEY)) == 2


def test_a_styrgrupp_member_reads_without_forms_and_may_not_post(ibic: Context) -> None:
    lars = client_for(ibic, LARS)

    html = lars.get(f"{GOALS}/utbildade").text

    assert "add-measurement" not in html and 'id="goal-read-only"' in html
    form = {"csrf_token": csrf_of(lars, GOALS), "measured_on": "2026-11-24", "value": "80"}
    assert lars.post(f"{GOALS}/utbildade/measurements", data=form).status_code == 403


def test_someone_outside_the_project_gets_404(ibic: Context) -> None:
    kim = client_for(ibic, OUTSIDER)

    assert kim.get(GOALS).status_code == 404
    assert kim.get(f"{GOALS}/utbildade").status_code == 404
    assert client_for(ibic, ANITA).get(f"{GOALS}/finns-inte").status_code == 404
