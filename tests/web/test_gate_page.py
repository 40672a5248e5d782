"""The gate page: readiness in words, ticking items, stale forms, review, votes, decision.

Driven with TestClient through the real login form, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import checklist as checklists
from gatekeeper.services.projects import overview as overviews
from gatekeeper.store.audit.tables import AuditEvent
from tests.apps import app_for
from tests.factories import ADMIN, AT_ONCE, PROJEKTLEDARE, start_ibic, tick_gate
from tests.web.test_login import PASSWORD, csrf_of, log_in

KEY = "ibic-alingsas"
GATE = "forstudie-klar"
PAGE = f"/projects/{KEY}/gates/{GATE}"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
ANIKO = "aniko.szabo@alingsas.se"
STRANGER = "sara.nystrom@lerum.se"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with web accounts for Anita, the two styrgrupp members and an outsider."""
    start_ibic(ctx)
    for email, name in (
        (ANITA, "Anita Lindqvist"),
        (LARS, "Lars Carlsson"),
        (ANIKO, "Aniko Szabo"),
        (STRANGER, "Sara Nyström"),
    ):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def client_for(ctx: Context, email: str) -> TestClient:
    client = TestClient(app_for(ctx))
    answer = log_in(client, email=email)
    assert answer.status_code == 303, answer.text
    return client


def _first_item(ctx: Context) -> gates.GateItem:
    return next(i for i in gates.gate_readiness(ctx, KEY, GATE).items if i.row.evidence_required)


def _item_url(item: gates.GateItem) -> str:
    return f"{PAGE}/items/{item.checklist_id}/{item.row.item_id}"


class _Structure(HTMLParser):
    """Collects headings, ids and which form controls have a label."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.controls: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "label" and found.get("for"):
            self.labels.add(str(found["for"]))
        if tag in ("input", "select", "textarea") and found.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(str(found.get("id")))


def structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    return parser


def test_gate_page_shows_readiness_and_checklist_in_words(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)

    page = anita.get(PAGE)

    assert page.status_code == 200
    html = page.text
    assert "<h1>Förstudie klar</h1>" in html
    assert "Ej uppfyllt" in html and "Obligatoriska punkter klara" in html
    assert "uppmätt 0 av" in html
    item = _first_item(ibic)
    assert f'<li id="item-{item.checklist_id}-{item.row.item_id}"' in html
    assert "Underlag (länk eller diarienummer)" in html and ">Kommentar</label>" in html
    assert 'name="status" value="done"' in html and "Markera som klar" in html
    assert re.search(r"T-\d+ dagar · \d+ \w+ 202\d", html)
    assert 'id="request-review"' in html and "Begär granskning" in html
    assert 'href="/workflows/inforande?version=3"' in html
    found = structure(html)
    assert found.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(found.headings, found.headings[1:], strict=False))
    assert len(found.ids) == len(set(found.ids)), "ids are unique"
    assert set(found.controls) <= found.labels, "every control has a label"
    assert "<script" not in html


def test_overdue_items_say_so_in_words(ibic: Context, clock: object) -> None:
    from datetime import timedelta

    from gatekeeper.core.clock import FixedClock

    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(days=20))  # past the gate's target date: everything open is late
    page = client_for(ibic, ANITA).get(PAGE)

    assert "Försenad" in page.text and "item--overdue" in page.text


def test_tick_with_evidence_and_see_it(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    item = _first_item(ibic)
    token = csrf_of(anita, PAGE)

    answer = anita.post(
        _item_url(item),
        data={
            "csrf_token": token,
            "row_version": str(item.row.row_version),
            "evidence": "https://intranat.alingsas.se/ibic/direktiv.pdf",
            "comment": "Förankrat i ledningsgruppen 12/11",
            "status": "done",
        },
        follow_redirects=False,
    )

    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"#item-{item.checklist_id}-{item.row.item_id}")
    page = anita.get(PAGE).text
    assert "Punkten är sparad" in page
    assert 'href="https://intranat.alingsas.se/ibic/direktiv.pdf"' in page
    assert "Förankrat i ledningsgruppen 12/11" in page
    assert "Ändrad av Anita Lindqvist, 2026-11-25 10:00" in page
    assert gates.gate_item(ibic, KEY, GATE, item.checklist_id, item.row.item_id).row.status == (
        ItemStatus.DONE
    )


def test_a_stale_form_changes_nothing_and_says_why(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    item = _first_item(ibic)
    token = csrf_of(anita, PAGE)
    checklists.update_item(  # someone else, after Anita opened the page
        ibic,
        PROJEKTLEDARE,
        project_key=KEY,
        gate_id=GATE,
        checklist_id=item.checklist_id,
        item_id=item.row.item_id,
        status=ItemStatus.NOT_APPLICABLE,
    )

    answer = anita.post(
        _item_url(item),
        data={
            "csrf_token": token,
            "row_version": str(item.row.row_version),
            "evidence": "Dnr 2026.77",
            "comment": "",
            "status": "done",
        },
    )

    assert answer.status_code == 412
    assert "Punkten har ändrats av någon annan sedan du öppnade sidan" in answer.text
    assert 'class="error-summary"' in answer.text and "Traceback" not in answer.text
    row = gates.gate_item(ibic, KEY, GATE, item.checklist_id, item.row.item_id).row
    assert (row.status, row.evidence) == (ItemStatus.NOT_APPLICABLE, None)


def test_missing_csrf_is_refused_and_nothing_changes(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    item = _first_item(ibic)

    answer = anita.post(
        _item_url(item),
        data={"row_version": str(item.row.row_version), "status": "done", "evidence": "x"},
    )

    assert answer.status_code == 403
    assert "Ingenting har ändrats" in answer.text
    row = gates.gate_item(ibic, KEY, GATE, item.checklist_id, item.row.item_id).row
    assert row.status is ItemStatus.OPEN and row.evidence is None


def _request_review(client: TestClient, message: str = "Förstudien är klar.") -> None:
    answer = client.post(
        f"{PAGE}/review",
        data={"csrf_token": csrf_of(client, PAGE), "message": message} | AT_ONCE,
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def _review_id(html: str) -> str:
    match = re.search(r'action="/projects/[^/]+/reviews/(\d+)/vote"', html)
    assert match, "no vote form"
    return match.group(1)


def _vote(client: TestClient, outcome: str = "go", **extra: str) -> object:
    page = client.get(PAGE).text
    review = _review_id(page)
    return client.post(
        f"/projects/{KEY}/reviews/{review}/vote",
        data={
            "csrf_token": csrf_of(client, PAGE),
            "outcome": outcome,
            "motivation": "Underlaget är komplett.",
            **extra,
        },
        follow_redirects=False,
    )


def test_request_review_then_two_deciders_vote_go(ibic: Context) -> None:
    tick_gate(ibic, KEY, GATE)
    anita = client_for(ibic, ANITA)
    _request_review(anita, "Underlaget finns på intranätet.")

    anitas_view = anita.get(PAGE).text
    assert "Öppen granskning" in anitas_view and "Underlaget finns på intranätet." in anitas_view
    assert 'id="vote"' not in anitas_view  # the requester holds no seat
    assert "Du har ingen plats i beslutet" in anitas_view
    assert 'id="request-review"' not in anitas_view

    lars = client_for(ibic, LARS)
    lars_view = lars.get(PAGE).text
    assert 'id="vote"' in lars_view and 'id="declare-conflict"' in lars_view
    assert '<label for="vote-outcome">Beslut</label>' in lars_view
    assert '<option value="conditional_go">Go med villkor</option>' in lars_view
    first = lars.post(  # type: ignore[attr-defined]
        f"/projects/{KEY}/reviews/{_review_id(lars_view)}/vote",
        data={
            "csrf_token": csrf_of(lars, PAGE),
            "outcome": "go",
            "motivation": "Underlaget är komplett.",
        },
        follow_redirects=False,
    )
    assert first.status_code == 303
    waiting = lars.get(PAGE).text
    assert "Din röst är lagd." in waiting and "Underlaget är komplett." in waiting

    second = _vote(client_for(ibic, ANIKO))
    assert second.status_code == 303  # type: ignore[attr-defined]

    assert overviews.project_overview(ibic, KEY).project.phase == "beslut"
    decided = anita.get(PAGE).text
    assert "Grinden är beslutad: Go." in decided or "Beslut om grinden" in decided
    match = re.search(
        rf'href="(/projects/{KEY}/decisions/\d+/protocol)">Beslutsprotokoll<', decided
    )
    assert match
    assert anita.get(match.group(1)).status_code == 200


def test_a_vote_by_the_requester_is_refused_with_a_message(ibic: Context) -> None:
    tick_gate(ibic, KEY, GATE)
    anita = client_for(ibic, ANITA)
    _request_review(anita)
    review = _review_id(client_for(ibic, LARS).get(PAGE).text)

    answer = anita.post(
        f"/projects/{KEY}/reviews/{review}/vote",
        data={"csrf_token": csrf_of(anita, PAGE), "outcome": "go", "motivation": "Klart."},
    )

    assert answer.status_code == 403
    assert "Rösten tas inte emot" in answer.text and "error-summary" in answer.text
    with ibic.db.read() as session:
        refused = session.exec(
            select(AuditEvent).where(AuditEvent.action == "gate.vote_refused")
        ).all()
    assert len(refused) == 1


def test_a_vote_without_motivation_points_at_the_field(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    _request_review(anita)
    lars = client_for(ibic, LARS)

    answer = _vote(lars, "go", motivation="")

    assert answer.status_code == 422  # type: ignore[attr-defined]
    html = answer.text  # type: ignore[attr-defined]
    assert 'href="#vote-motivation"' in html or 'href="#vote-override"' in html
    assert 'aria-invalid="true"' in html


def test_declare_conflict_takes_the_member_out(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    _request_review(anita)
    lars = client_for(ibic, LARS)
    review = _review_id(lars.get(PAGE).text)

    answer = lars.post(
        f"/projects/{KEY}/reviews/{review}/conflict",
        data={"csrf_token": csrf_of(lars, PAGE), "reason": "Min make arbetar hos leverantören"},
        follow_redirects=False,
    )

    assert answer.status_code == 303
    page = lars.get(PAGE).text
    assert "Jäv anmält: Min make arbetar hos leverantören" in page
    assert 'id="vote"' not in page


def test_non_members_get_404(ibic: Context) -> None:
    sara = client_for(ibic, STRANGER)

    assert sara.get(PAGE).status_code == 404
    assert sara.post(f"{PAGE}/review", data={"csrf_token": csrf_of(sara, "/")}).status_code == 404


def test_the_gate_page_in_english(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    anita.post(
        "/language",
        data={"csrf_token": csrf_of(anita, PAGE), "language": "en", "next": PAGE},
    )

    html = anita.get(PAGE).text

    assert '<html lang="en">' in html
    assert "Mark as done" in html and "Request review" in html and "Readiness" in html
