"""The workflow page: the phase model as an SVG drawn from the YAML, and in words."""

from __future__ import annotations

from fastapi.testclient import TestClient

from gatekeeper.services.context import Context
from gatekeeper.web.pages.projects.diagram import workflow_svg
from tests.apps import app_for
from tests.web.test_gate_page import ANITA, client_for, ibic, structure  # noqa: F401
from tests.web.test_login import csrf_of


def test_workflow_page_draws_the_model(ibic: Context) -> None:  # noqa: F811
    page = client_for(ibic, ANITA).get("/workflows/inforande")

    assert page.status_code == 200
    html = page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="workflow-diagram"' in html
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "aria-label=" in html
    assert "Förstudie klar" in html and "Driftöverlämning" in html
    assert "Minst 80 % av punkterna är klara." in html
    assert "Beslutas av rollen Styrgrupp genom röstning" in html
    assert "Checklista förstudie klar" in html
    found = structure(html)
    assert found.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(found.headings, found.headings[1:], strict=False))


def test_a_cycle_is_drawn_as_a_loop_back(ibic: Context) -> None:  # noqa: F811
    workflow = ibic.catalog.workflow("forankring")
    svg = str(workflow_svg(workflow, title="Fasmodell", description="x"))

    assert svg.count('class="gate gate--loop"') == 1  # opfolgning -> maling
    assert svg.count('class="gate"') == 3


def test_strangers_are_sent_to_log_in(ctx: Context) -> None:
    client = TestClient(app_for(ctx))

    answer = client.get("/workflows/inforande", follow_redirects=False)

    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/workflows/inforande"


def test_unknown_workflow_is_a_404_page(ibic: Context) -> None:  # noqa: F811
    assert client_for(ibic, ANITA).get("/workflows/finns-inte").status_code == 404


def test_workflow_page_in_english(ibic: Context) -> None:  # noqa: F811
    client = client_for(ibic, ANITA)
    client.post(
        "/language",
        data={"csrf_token": csrf_of(client, "/"), "language": "en", "next": "/"},
    )

    html = client.get("/workflows/inforande").text

    assert '<html lang="en">' in html
    assert "At least 80 % of the items are done." in html and "Phases and gates" in html
