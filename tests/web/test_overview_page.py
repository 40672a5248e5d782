"""Översikt (`GET /`): the projects a person may see, filtered and sorted with GET parameters.

Signed in through the real login form; every test runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.access import Principal
from gatekeeper.core.actor import Actor
from gatekeeper.core.outcome import Outcome
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.gates import review as reviews
from gatekeeper.services.gates import vote as voting
from gatekeeper.services.projects import dashboard
from gatekeeper.services.projects import project as projects
from tests.apps import app_for
from tests.factories import (
    ADMIN,
    AT_ONCE,
    PROJEKTLEDARE,
    STYRGRUPP,
    approve_gate,
    start_ibic,
    tick_gate,
)
from tests.web.test_login import csrf_of

PASSWORD = "Kritisk linje 2027!"
ANITA = PROJEKTLEDARE.id
LARS = STYRGRUPP.id
BOSS = "programkontor@alingsas.se"
BOSS_PRINCIPAL = Principal(email=BOSS, name="Programkontoret", is_admin=True, can_write=True)


def _account(ctx: Context, email: str, name: str, *, admin: bool = False) -> None:
    accounts.create_user(ctx, ADMIN, email=email, name=name, is_admin=admin)
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)


def _signed_in(ctx: Context, email: str, **headers: str) -> TestClient:
    client = TestClient(app_for(ctx), headers=headers)
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def _names_in_order(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/projects/([^"]+)">', html)


@pytest.fixture
def portfolio(ctx: Context) -> Context:
    """IBIC in förstudie, a second IBIC a gate further, and a project without Anita."""
    start_ibic(ctx)
    start_ibic(ctx, key="ibic-lerum")
    projects.update_project(ctx, PROJEKTLEDARE, project_key="ibic-lerum", name="Åtgärdsplan Lerum")
    tick_gate(ctx, "ibic-lerum", "forstudie-klar")
    approve_gate(ctx, "ibic-lerum", "forstudie-klar")
    projects.create_project(
        ctx,
        ADMIN,
        key="e-arkiv",
        name="E-arkiv i Borås",
        workflow_id="inforande",
        organisation="Borås stad",
        gate_targets={"forstudie-klar": date(2027, 3, 1)},
        members=[projects.MemberSpec("Eva Borg", "eva.borg@boras.se", "projektledare")],
    )
    _account(ctx, ANITA, "Anita Lindqvist")
    _account(ctx, LARS, "Lars Carlsson")
    _account(ctx, BOSS, "Programkontoret", admin=True)
    return ctx


def test_strangers_are_sent_to_login(ctx: Context) -> None:
    answer = TestClient(app_for(ctx)).get("/?sort=target", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        "/login?next=/%3Fsort%3Dtarget",
    )


def test_the_overview_lists_the_members_projects_with_their_next_gate(portfolio: Context) -> None:
    html = _signed_in(portfolio, ANITA).get("/").text
    readiness = gates.gate_readiness(portfolio, "ibic-alingsas", "forstudie-klar")
    counted = [i for i in readiness.items if i.state().counts]
    done = sum(1 for i in counted if i.state().done)

    assert "<h1>Översikt</h1>" in html and 'id="overview-table"' in html
    assert _names_in_order(html) == ["ibic-alingsas", "ibic-lerum"]  # not e-arkiv
    assert "E-arkiv" not in html
    assert "<caption" in html and "2 projekt som du kan se" in html
    assert '<a href="/projects/ibic-alingsas">Införande av IBIC</a>' in html
    assert "Vård- och omsorgsförvaltningen, Alingsås kommun" in html
    assert "Förstudie klar" in html and "15 december 2026" in html  # next gate, target date
    assert f"{done} av {len(counted)} klara (0 %)" in html
    assert "Beslut om genomförande" in html  # Lerum's next gate, one phase on
    failing = len(readiness.verdict.failed)
    assert f'<a href="/projects/ibic-alingsas/gates/forstudie-klar">{failing} hinder' in html
    assert 'scope="col"' in html and 'aria-sort="ascending"' in html


def test_an_admin_sees_every_project_and_the_counts_match_the_gate_page(
    portfolio: Context,
) -> None:
    html = _signed_in(portfolio, BOSS).get("/").text
    view = dashboard.dashboard(portfolio, BOSS_PRINCIPAL)

    assert _names_in_order(html) == ["e-arkiv", "ibic-alingsas", "ibic-lerum"]
    for row in view.rows:
        assert row.next_gate is not None
        readiness = gates.gate_readiness(portfolio, row.key, row.next_gate.gate_id)
        assert row.next_gate.blockers == len(readiness.verdict.failed)
        assert row.next_gate.items_total == sum(1 for i in readiness.items if i.state().counts)
        assert row.overdue_items == len(readiness.overdue)


def test_overdue_items_are_counted_and_marked_with_words(portfolio: Context) -> None:
    view = dashboard.dashboard(portfolio, BOSS_PRINCIPAL)
    late = {row.key: row.overdue for row in view.rows}
    html = _signed_in(portfolio, BOSS).get("/").text

    assert any(late.values()), late  # the IBIC deadlines before 25 November have passed
    for count in {n for n in late.values() if n}:
        assert f"{count} försenad" in html  # with a word, not colour alone
    assert '<span aria-hidden="true">⚠ </span>' in html


def test_filters_and_sorting_are_get_parameters(portfolio: Context) -> None:
    client = _signed_in(portfolio, BOSS)

    by_phase = client.get("/", params={"phase": "beslut"}).text
    by_text = client.get("/", params={"q": "borås"}).text
    by_target = client.get("/", params={"sort": "target"}).text
    by_target_desc = client.get("/", params={"sort": "target", "order": "desc"}).text
    by_readiness = client.get("/", params={"sort": "readiness", "order": "desc"}).text
    nothing = client.get("/", params={"q": "finns inte"}).text
    odd = client.get("/", params={"sort": "drop table", "order": "sideways"})

    assert _names_in_order(by_phase) == ["ibic-lerum"]
    assert '<option value="beslut" selected>Beslut</option>' in by_phase
    assert "1 av 3 projekt som du kan se" in by_phase
    assert _names_in_order(by_text) == ["e-arkiv"] and 'value="borås"' in by_text
    # Förstudie klar 15 Dec 2026 (IBIC), Beslut om genomförande 15 Feb 2027 (Lerum), 1 Mar 2027.
    assert _names_in_order(by_target) == ["ibic-alingsas", "ibic-lerum", "e-arkiv"]
    assert _names_in_order(by_target_desc) == ["e-arkiv", "ibic-lerum", "ibic-alingsas"]
    assert 'aria-sort="descending"' in by_target_desc
    assert set(_names_in_order(by_readiness)) == {"e-arkiv", "ibic-alingsas", "ibic-lerum"}
    assert "Inga projekt matchar filtret." in nothing and 'href="/">Visa alla projekt' in nothing
    assert odd.status_code == 200 and _names_in_order(odd.text)[0] == "e-arkiv"  # by name
    assert "/?sort=name&amp;order=desc" in client.get("/").text  # the header flips the order


def test_a_review_waits_for_the_deciders_vote_until_they_cast_it(portfolio: Context) -> None:
    tick_gate(portfolio, "ibic-alingsas", "forstudie-klar")
    review = reviews.request_review(
        portfolio, PROJEKTLEDARE, project_key="ibic-alingsas", gate_id="forstudie-klar", **AT_ONCE
    )
    lars = _signed_in(portfolio, LARS)

    waiting = lars.get("/", params={"mina": "1"}).text
    assert _names_in_order(waiting) == ["ibic-alingsas"]
    assert "Väntar på din röst: Förstudie klar" in waiting
    assert 'id="filter-mina" name="mina" value="1" checked' in waiting
    # Anita asked for the review and holds no seat: nothing waits for her.
    anita = _signed_in(portfolio, ANITA).get("/", params={"mina": "1"}).text
    assert "Inga granskningar väntar på din röst." in anita

    assert review.id is not None
    voting.cast_vote(
        portfolio,
        Actor.user(LARS),
        project_key="ibic-alingsas",
        review_id=review.id,
        outcome=Outcome.GO,
        motivation="Förstudien är klar.",
    )
    after = lars.get("/").text
    assert "Väntar på din röst" not in after and "Ingen väntar" in after


def test_someone_without_projects_gets_the_empty_state(ctx: Context) -> None:
    _account(ctx, "ny.medarbetare@alingsas.se", "Ny Medarbetare")
    html = _signed_in(ctx, "ny.medarbetare@alingsas.se").get("/").text

    assert 'id="overview-empty"' in html and "Du är inte med i något projekt ännu" in html
    assert "<table" not in html


def test_the_overview_in_english(portfolio: Context) -> None:
    html = _signed_in(portfolio, ANITA, **{"Accept-Language": "en"}).get("/").text

    assert '<html lang="en">' in html and "<h1>Overview</h1>" in html
    assert "Next gate" in html and "Readiness" in html and "15 December 2026" in html
    assert " of " in html and " done (0 %)" in html
    assert "Nästa grind" not in html
