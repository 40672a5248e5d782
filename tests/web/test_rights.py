"""Controls only for those who may use them, refusals audited, diarienummer of named decisions.

Through the real login form and the API, on SQLite and PostgreSQL: the project
page lists the named decisions (Beslut) with a diarienummer form for the
projektledare only; the gate page offers the review request to the
projektledare only (the referensgrupp and the styrgrupp read); a refused
post answers 403 and leaves one `change.refused` audit event; a stale form or
If-Match answers 412; an empty diarienummer is a 422 naming the field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.gates import register
from gatekeeper.services.gates import review_view as review_views
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import named_decision as named_decisions
from tests.factories import ADMIN, PROJEKTLEDARE, api_client, approve_gate, start_ibic, tick_gate
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD, csrf_of

KEY = "ibic-alingsas"
PROJECT = f"/projects/{KEY}"
GATE_PAGE = f"{PROJECT}/gates/forstudie-klar"
NAMED_FORM = f"{PROJECT}/named-decisions/finansiering/reference"
API = f"/api/v1/projects/{KEY}"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare
LARS = "lars.carlsson@alingsas.se"  # styrgrupp
EMMA = "emma.wik@alingsas.se"  # referensgrupp: advisory, reads only
TITLE = "Finansiering beslutad av vård- och omsorgsnämnden"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with web accounts for Anita, Lars and Emma, and the finansiering decision."""
    start_ibic(ctx)
    members.add_member(
        ctx, ADMIN, project_key=KEY, name="Emma Wik", email=EMMA, role="referensgrupp"
    )
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson"), (EMMA, "Emma Wik")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    named_decisions.record_named_decision(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        key="finansiering",
        title=TITLE,
        decided_on=date(2026, 10, 20),
    )
    return ctx


def _reference(ctx: Context) -> tuple[str, int]:
    decision = named_decisions.get_named_decision(ctx, KEY, "finansiering")
    return decision.reference, decision.row_version


def _refusals(ctx: Context) -> list[Any]:
    return [
        e
        for e in audit_log.list_events(ctx, project_key=KEY, limit=500)
        if e.action == "change.refused"
    ]


# --- the project page's named decisions -------------------------------------------------


def test_the_project_page_lists_the_named_decisions_for_everyone(ibic: Context) -> None:
    page = client_for(ibic, EMMA).get(PROJECT)
    assert page.status_code == 200
    section = page.text.split('id="named-decisions-heading"', 1)[1].split("</section>", 1)[0]
    assert TITLE in section and "20 oktober 2026" in section and "ej registrerat" in section
    assert "<form" not in section


def test_the_projektledare_registers_the_diarienummer_on_the_project_page(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = {"csrf_token": csrf_of(anita, PROJECT), "row_version": "1"}
    assert 'id="named-reference-finansiering-number"' in anita.get(PROJECT).text

    answer = anita.post(
        NAMED_FORM, data=form | {"reference": "Dnr 2021.158 VON"}, follow_redirects=False
    )

    assert answer.status_code == 303, answer.text
    page = anita.get(PROJECT).text
    assert f"Diarienumret för {TITLE} är registrerat: Dnr 2021.158 VON" in page
    assert _reference(ibic) == ("Dnr 2021.158 VON", 2)


def test_an_empty_or_stale_diarienummer_form_changes_nothing(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    token = csrf_of(anita, PROJECT)

    empty = anita.post(NAMED_FORM, data={"csrf_token": token, "row_version": "1", "reference": ""})
    assert empty.status_code == 422 and "Diarienumret får inte vara tom" in empty.text
    field = empty.text.split('id="named-reference-finansiering-number"', 1)[1].split(">")[0]
    assert 'aria-invalid="true"' in field
    assert _reference(ibic) == ("", 1)

    named_decisions.set_named_decision_reference(
        ibic, PROJEKTLEDARE, project_key=KEY, key="finansiering", reference="Dnr 2021.158 VON"
    )
    stale = anita.post(
        NAMED_FORM, data={"csrf_token": token, "row_version": "1", "reference": "Dnr 9"}
    )
    assert stale.status_code == 412 and "Beslutet har ändrats av någon annan" in stale.text
    assert 'value="Dnr 2021.158 VON"' in stale.text  # the number as it is now
    assert _reference(ibic) == ("Dnr 2021.158 VON", 2)


@pytest.mark.parametrize("email", [LARS, EMMA], ids=["styrgrupp", "referensgrupp"])
def test_others_get_no_diarienummer_form_and_are_refused_and_audited(
    ibic: Context, email: str
) -> None:
    reader = client_for(ibic, email)
    assert 'id="named-reference-finansiering"' not in reader.get(PROJECT).text

    answer = reader.post(
        NAMED_FORM,
        data={"csrf_token": csrf_of(reader, PROJECT), "row_version": "1", "reference": "Dnr 1"},
    )

    assert answer.status_code == 403
    assert _reference(ibic) == ("", 1)
    [refusal] = _refusals(ibic)
    assert refusal.actor.endswith(email) and refusal.object_id == f"{KEY}/finansiering"


# --- who may ask for a review -----------------------------------------------------------


def test_only_the_projektledare_gets_the_review_request_form(ibic: Context) -> None:
    tick_gate(ibic, KEY, "forstudie-klar")
    assert 'id="request-review"' in client_for(ibic, ANITA).get(GATE_PAGE).text
    for email in (LARS, EMMA):
        page = client_for(ibic, email).get(GATE_PAGE)
        assert page.status_code == 200 and 'id="request-review"' not in page.text


@pytest.mark.parametrize("email", [LARS, EMMA], ids=["styrgrupp", "referensgrupp"])
def test_a_review_request_by_others_is_refused_and_audited(ibic: Context, email: str) -> None:
    tick_gate(ibic, KEY, "forstudie-klar")
    reader = client_for(ibic, email)

    answer = reader.post(
        f"{GATE_PAGE}/review",
        data={"csrf_token": csrf_of(reader, GATE_PAGE), "effective_from": "target_date"},
    )

    assert answer.status_code == 403
    assert "får inte begära granskning" in answer.text
    assert review_views.reviews_of(ibic, KEY) == []
    [refusal] = _refusals(ibic)
    assert refusal.after == {"action": "review.request", "reason": refusal.after["reason"]}


def test_the_api_refuses_a_review_request_by_the_referensgrupp(ibic: Context) -> None:
    tick_gate(ibic, KEY, "forstudie-klar")
    answer = api_client(ibic, EMMA).post(f"{API}/reviews", json={"gate_id": "forstudie-klar"})
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert len(_refusals(ibic)) == 1


# --- the API: PATCH …/named-decisions/{key}, If-Match on PUT …/decisions/{id}/reference ---


def test_patch_registers_the_diarienummer_with_etags(ibic: Context) -> None:
    anita = api_client(ibic, ANITA)
    read = anita.get(f"{API}/named-decisions/finansiering")
    assert read.headers["ETag"] == '"1"'

    patched = anita.patch(
        f"{API}/named-decisions/finansiering",
        json={"reference": "Dnr 2021.158 VON"},
        headers={"If-Match": read.headers["ETag"]},
    )

    assert patched.status_code == 200, patched.text
    assert patched.json()["reference"] == "Dnr 2021.158 VON"
    assert patched.headers["ETag"] == '"2"'
    stale = anita.patch(
        f"{API}/named-decisions/finansiering",
        json={"reference": "Dnr 9"},
        headers={"If-Match": '"1"'},
    )
    assert stale.status_code == 412
    assert _reference(ibic) == ("Dnr 2021.158 VON", 2)


def test_patch_with_an_empty_diarienummer_is_a_422_naming_the_field(ibic: Context) -> None:
    answer = api_client(ibic, ANITA).patch(
        f"{API}/named-decisions/finansiering", json={"reference": ""}
    )
    assert answer.status_code == 422
    assert "reference" in answer.text


def test_patch_by_a_styrgrupp_member_is_403_and_audited(ibic: Context) -> None:
    answer = api_client(ibic, LARS).patch(
        f"{API}/named-decisions/finansiering", json={"reference": "Dnr 1"}
    )
    assert answer.status_code == 403
    assert "projektledaren" in answer.json()["detail"]
    assert _reference(ibic) == ("", 1)
    [refusal] = _refusals(ibic)
    assert refusal.after["action"] == "decision.set_reference"


def test_put_reference_of_a_gate_decision_honours_if_match(ibic: Context) -> None:
    decision = approve_gate(ibic, KEY, "forstudie-klar", override="Nämnden har beslutat.")
    anita = api_client(ibic, ANITA)
    url = f"{API}/decisions/{decision.id}/reference"
    etag = anita.get(f"{API}/decisions/{decision.id}").headers["ETag"]

    stale = anita.put(url, json={"reference": "Dnr 1"}, headers={"If-Match": '"99"'})
    assert stale.status_code == 412
    done = anita.put(url, json={"reference": "Dnr 2026.158 VON"}, headers={"If-Match": etag})
    assert done.status_code == 200, done.text
    assert done.headers["ETag"] != etag
    assert register.protocol(ibic, KEY, decision.id or 0).decision.reference == "Dnr 2026.158 VON"
