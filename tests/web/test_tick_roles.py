"""Who may tick: forms only for the roles an item allows, 403 for the rest (audited).

The IBIC items name their responsible role (projektledare, beställare…); by
default that role and the projektledare may tick. A styrgrupp member and an
advisory referensgrupp member read the gate page without tick forms, and the
API and the page form refuse them with 403 and a `checklist.item.refused` event.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.gates import readiness as gates
from gatekeeper.services.projects import member as members
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.web.app import API_PREFIX
from tests.factories import ADMIN, PROJEKTLEDARE, api_client, start_ibic
from tests.web.test_gate_page import ANITA, LARS, client_for
from tests.web.test_login import PASSWORD, csrf_of

KEY = "ibic-alingsas"
GATE = "forstudie-klar"
PAGE = f"/projects/{KEY}/gates/{GATE}"
BESLUT = "beslut-om-genomforande"  # its checklist has items of the beställare
MALIN = "malin.holmberg@alingsas.se"  # beställare
KARIN = "karin.dahl@alingsas.se"  # referensgrupp (advisory)
TICK_FORM = re.compile(r'action="/projects/[^/]+/gates/[^/]+/items/([^/]+)/([^"]+)"')


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    members.add_member(
        ctx, PROJEKTLEDARE, project_key=KEY, name="Karin Dahl", email=KARIN, role="referensgrupp"
    )
    for email, name in (
        (ANITA, "Anita Lindqvist"),
        (LARS, "Lars Carlsson"),
        (MALIN, "Malin Holmberg"),
        (KARIN, "Karin Dahl"),
    ):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def _items(ctx: Context, gate: str = GATE) -> list[gates.GateItem]:
    return list(gates.gate_readiness(ctx, KEY, gate).items)


def _refusals(ctx: Context) -> list[AuditEvent]:
    with ctx.db.read() as session:
        return list(
            session.exec(
                select(AuditEvent).where(AuditEvent.action == "checklist.item.refused")
            ).all()
        )


def test_the_projektledare_gets_a_form_for_every_item(ibic: Context) -> None:
    html = client_for(ibic, ANITA).get(PAGE).text
    assert len(TICK_FORM.findall(html)) == len(_items(ibic))


def test_the_bestallare_gets_forms_only_for_their_own_items(ibic: Context) -> None:
    html = client_for(ibic, MALIN).get(f"/projects/{KEY}/gates/{BESLUT}").text
    shown = {item for _, item in TICK_FORM.findall(html)}
    theirs = {i.row.item_id for i in _items(ibic, BESLUT) if i.row.responsible == "bestallare"}
    assert theirs and shown == theirs


@pytest.mark.parametrize(
    ("email", "role"), [(LARS, "styrgrupp"), (KARIN, "referensgrupp")], ids=["sg", "rg"]
)
def test_styrgrupp_and_referensgrupp_get_no_tick_forms_but_what_names_them(
    ibic: Context, email: str, role: str
) -> None:
    answer = client_for(ibic, email).get(PAGE)
    assert answer.status_code == 200
    shown = {item for _, item in TICK_FORM.findall(answer.text)}
    # forstudie names the styrgrupp responsible for one item (kontaktpersoner); nothing
    # names the advisory referensgrupp.
    assert shown == {i.row.item_id for i in _items(ibic) if i.row.responsible == role}
    assert (role == "referensgrupp") == ("Markera som klar" not in answer.text)
    # … and they still read every item.
    assert all(item.row.text in answer.text for item in _items(ibic))


def test_the_projektledare_ticks_through_the_page(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    item = next(i for i in _items(ibic) if i.row.responsible == "projektledare")
    answer = anita.post(
        f"{PAGE}/items/{item.checklist_id}/{item.row.item_id}",
        data={
            "csrf_token": csrf_of(anita, PAGE),
            "status": "done",
            "evidence": "Dnr 2026/0412",
            "row_version": str(item.row.row_version),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303
    after = gates.gate_item(ibic, KEY, GATE, item.checklist_id, item.row.item_id).row
    assert after.status is ItemStatus.DONE


def test_a_posted_tick_form_from_the_styrgrupp_is_refused_and_audited(ibic: Context) -> None:
    lars = client_for(ibic, LARS)
    item = next(i for i in _items(ibic) if i.row.responsible == "projektledare")
    answer = lars.post(
        f"{PAGE}/items/{item.checklist_id}/{item.row.item_id}",
        data={
            "csrf_token": csrf_of(lars, PAGE),
            "status": "done",
            "evidence": "Dnr 2026/0412",
            "row_version": str(item.row.row_version),
        },
        follow_redirects=False,
    )
    assert answer.status_code == 403
    assert "Ingenting har ändrats" in answer.text or "ingenting har ändrats" in answer.text
    assert "får inte ändra punkten" in answer.text
    after = gates.gate_item(ibic, KEY, GATE, item.checklist_id, item.row.item_id).row
    assert after.status is ItemStatus.OPEN and after.row_version == item.row.row_version
    refused = _refusals(ibic)
    assert len(refused) == 1 and refused[0].actor == f"user:{LARS}"


@pytest.mark.parametrize("email", [LARS, KARIN], ids=["styrgrupp", "referensgrupp"])
def test_the_api_refuses_a_tick_by_a_role_the_item_leaves_out(ibic: Context, email: str) -> None:
    item = next(i for i in _items(ibic) if i.row.responsible == "projektledare")
    client: TestClient = api_client(ibic, email)
    url = f"{API_PREFIX}/projects/{KEY}/gates/{GATE}/items/{item.checklist_id}/{item.row.item_id}"
    answer = client.patch(url, json={"status": "done", "evidence": "Dnr 2026/0412"})
    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "får inte ändra punkten" in answer.json()["detail"]
    assert gates.gate_item(ibic, KEY, GATE, item.checklist_id, item.row.item_id).row.status is (
        ItemStatus.OPEN
    )
    assert len(_refusals(ibic)) == 1


def test_the_api_lets_the_responsible_role_and_an_admin_tick(ibic: Context) -> None:
    theirs = next(i for i in _items(ibic, BESLUT) if i.row.responsible == "bestallare")
    other = next(i for i in _items(ibic, BESLUT) if i.row.responsible == "projektledare")
    for email, item in ((MALIN, theirs), (ADMIN.id, other)):
        client = api_client(ibic, email)
        url = (
            f"{API_PREFIX}/projects/{KEY}/gates/{BESLUT}/items/"
            f"{item.checklist_id}/{item.row.item_id}"
        )
        answer = client.patch(url, json={"status": "done", "evidence": "Dnr 2026/0412"})
        assert answer.status_code == 200, answer.text
    assert _refusals(ibic) == []
