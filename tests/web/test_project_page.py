"""The project page (`GET /projects/{key}`): timeline, members, conditions, risks, activities,
next gates, decision register and latest events, for members only.

Signed in through the real login form; every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.outcome import Outcome
from gatekeeper.core.status import ActivityStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import risk as risks
from gatekeeper.web.pages.projects.timeline import build_timeline
from tests.apps import app_for
from tests.factories import ADMIN, PROJEKTLEDARE, approve_gate, start_ibic, tick_gate
from tests.web.test_login import csrf_of

PASSWORD = "Kritisk linje 2027!"
ANITA = PROJEKTLEDARE.id
PAGE = "/projects/ibic-alingsas"


def _signed_in(ctx: Context, email: str = ANITA, name: str = "Anita Lindqvist") -> TestClient:
    accounts.create_user(ctx, ADMIN, email=email, name=name)
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    client = TestClient(app_for(ctx))
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with risks and an aktivitetsplan, its förstudie gate decided despite a high risk."""
    start_ibic(ctx)
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key="ibic-alingsas",
        title="Migreringen hinns inte med före produktionsstart",
        probability=3,
        consequence=4,
        mitigation="Extra handläggartid vecka 47–48.",
        owner="Lena Åkesson",
    )
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key="ibic-alingsas",
        title="Tidsförskjutning i projektet",
        probability=2,
        consequence=2,
    )
    activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key="ibic-alingsas",
        title="Utbildning av IBIC-ombud",
        start=date(2026, 10, 1),
        end=date(2026, 11, 10),
        responsible="Sara Holm",
        status=ActivityStatus.IN_PROGRESS,
    )
    activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key="ibic-alingsas",
        title="Uppföljning av dokumentationen",
        responsible="Jonas Berg",
        status=ActivityStatus.POSTPONED,
        postponed_to=date(2027, 3, 1),
        comment="Väntar på den nya mallen för genomförandeplaner.",
    )
    tick_gate(ctx, "ibic-alingsas", "forstudie-klar")
    approve_gate(ctx, "ibic-alingsas", "forstudie-klar", override="Risken hanteras i beslutsfasen.")
    return ctx


def test_strangers_go_to_login_and_non_members_get_404(ibic: Context) -> None:
    stranger = TestClient(app_for(ibic)).get(PAGE, follow_redirects=False)
    outsider = _signed_in(ibic, "eva.borg@boras.se", "Eva Borg")

    assert (stranger.status_code, stranger.headers["location"]) == (
        303,
        "/login?next=/projects/ibic-alingsas",
    )
    missing = outsider.get(PAGE)
    assert missing.status_code == 404 and "Införande av IBIC" not in missing.text
    assert outsider.get("/projects/finns-inte").status_code == 404


def test_the_project_page_shows_where_the_project_stands(ibic: Context) -> None:
    answer = _signed_in(ibic).get(PAGE)
    html = answer.text

    assert answer.status_code == 200
    assert html.count("<h1") == 1 and '<h1 id="project-name">Införande av IBIC</h1>' in html
    assert "Vård- och omsorgsförvaltningen, Alingsås kommun" in html
    assert re.search(r'<p id="current-phase">[^<]*<strong>Beslut</strong></p>', html)
    # Next gate with its readiness and a link to the gate page.
    assert 'href="/projects/ibic-alingsas/gates/beslut-om-genomforande"' in html
    assert "Öppna grinden Beslut om genomförande" in html and "15 februari 2027" in html
    # Members, with the ersättare marked.
    assert "ersättare för Lars Carlsson" in html and "Styrgrupp" in html
    # Decision register: outcome, date, no diarienummer yet, protocol link.
    assert 'id="register-table"' in html and "Förstudie klar" in html
    assert re.search(r'href="/projects/ibic-alingsas/decisions/\d+/protocol">Protokoll', html)
    assert "ej registrerat" in html and "Beslutat trots ej uppfyllda kriterier" in html
    # Activities in the seeds' words, the overdue one marked in text.
    assert "Pågår" in html and "Skjuts till 1 mars 2027" in html and "försenad" in html
    assert "Väntar på den nya mallen för genomförandeplaner." in html
    assert 'href="/projects/ibic-alingsas/risks"' in html
    assert 'href="/projects/ibic-alingsas/activities"' in html
    # Latest events with the actor's name and the way to the whole log.
    assert html.count("<li><time datetime=") == 10
    assert "Grind beslutad" in html and "Anita Lindqvist" in html
    assert 'href="/audit?project=ibic-alingsas"' in html
    assert "<script" not in html


def test_the_timeline_is_an_svg_with_a_table_beside_it(ibic: Context) -> None:
    html = _signed_in(ibic).get(PAGE).text
    start = html.index('id="phase-timeline"')  # the progress bars are decorative svgs too
    svg = html[start : html.index("</svg>", start)]

    assert 'role="img"' in svg and 'aria-label="Tidslinje för Införande av IBIC' in svg
    assert "<title>Tidslinje för Införande av IBIC: planerat och verkligt</title>" in svg
    assert '<desc id="timeline-desc">' in svg and "Förstudie" in svg and "Idag" in svg
    table = html[html.index('<table id="timeline-table">') :]
    table = table[: table.index("</table>")]
    assert "<caption" in table and 'scope="row"' in table
    assert "Fas: Förstudie" in table and "Grind: Förstudie klar" in table
    assert "15 december 2026" in table  # the target date
    assert "passerad 25 november 2026" in table  # passed early: before the target
    assert "20 dagar före måldatum" in table
    assert "Nuvarande fas" in table


def test_the_risk_matrix_is_a_table_with_words_for_the_bands(ibic: Context) -> None:
    html = _signed_in(ibic).get(PAGE).text
    matrix = html[html.index('<table id="risk-matrix"') :]
    matrix = matrix[: matrix.index("</table>")]

    assert "<caption" in matrix and "2 öppna risker" in matrix
    assert matrix.count('scope="col"') == 5 and matrix.count('scope="row"') == 4
    cell = matrix[matrix.index('id="risk-cell-3-4"') :]
    cell = cell[: cell.index("</td>")]
    assert "Mycket hög (12)" in cell and "Migreringen hinns inte med" in cell
    low = matrix[matrix.index('id="risk-cell-2-2"') :]
    assert "Måttlig (4)" in low[: low.index("</td>")] and "Tidsförskjutning" in low
    assert "12 – mycket hög" in html  # the list says the band too


def test_a_paused_project_says_so(ctx: Context) -> None:
    start_ibic(ctx)
    tick_gate(ctx, "ibic-alingsas", "forstudie-klar")
    approve_gate(ctx, "ibic-alingsas", "forstudie-klar", outcome=Outcome.HOLD)
    html = _signed_in(ctx).get(PAGE).text

    assert 'id="project-status"' in html and "Projektet är pausat." in html


def test_the_project_page_in_english(ibic: Context) -> None:
    client = _signed_in(ibic)
    client.post(
        "/language", data={"language": "en", "next": PAGE, "csrf_token": csrf_of(client, PAGE)}
    )
    html = client.get(PAGE).text

    assert '<html lang="en">' in html and "Current phase:" in html
    assert "Timeline: plan and reality" in html and "Risk matrix" in html
    assert "Very high (12)" in html and "substitute for Lars Carlsson" in html
    assert "Timeline of Införande av IBIC: planned and actual" in html
    assert "15 February 2027" in html and "Nuvarande fas" not in html


def test_build_timeline_plans_phases_from_the_gates_targets(ctx: Context) -> None:
    workflow = ctx.catalog.workflow("inforande")
    timeline = build_timeline(
        workflow,
        targets={"forstudie-klar": date(2026, 12, 15), "beslut-om-genomforande": date(2027, 2, 15)},
        history=[],
        current_phase="forstudie",
        started_on=date(2026, 9, 1),
        today=date(2027, 1, 10),
    )

    first, second = timeline.phases[0], timeline.phases[1]
    assert (first.planned_start, first.planned_end) == (date(2026, 9, 1), date(2026, 12, 15))
    assert (second.planned_start, second.planned_end) == (date(2026, 12, 15), date(2027, 2, 15))
    gate = timeline.gate_after("forstudie")
    assert gate is not None and gate.delay_days(timeline.today) == 26  # target passed
    assert timeline.start == date(2026, 9, 1) and timeline.end == date(2027, 2, 15)
