"""The audit page: chain verification status, filters and cursor paging."""

from __future__ import annotations

import ast
import inspect
import re

from fastapi.testclient import TestClient
from sqlmodel import col, select

from gatekeeper.core.status import ChainBreak
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.audit import log as audit_log
from gatekeeper.services.context import Context
from gatekeeper.services.projects import overview as overviews
from gatekeeper.store.audit import verify as chain_verify
from gatekeeper.store.audit.tables import AuditEvent
from gatekeeper.web.pages.audit.log import BREAK, ONE_MISSING
from tests.factories import ADMIN, tick_gate
from tests.web.test_gate_page import (  # noqa: F401
    ANITA,
    GATE,
    KEY,
    STRANGER,
    client_for,
    ibic,
    structure,
)
from tests.web.test_login import PASSWORD, csrf_of

BOSS = "it.admin@alingsas.se"


def _admin(ctx: Context) -> TestClient:
    accounts.create_user(ctx, ADMIN, email=BOSS, name="IT-administratör", is_admin=True)
    logins.set_password(ctx, ADMIN, email=BOSS, password=PASSWORD)
    return client_for(ctx, BOSS)


def _count(ctx: Context) -> int:
    with ctx.db.read() as session:
        return len(session.exec(select(AuditEvent)).all())


def test_admins_see_everything_with_the_chain_status(ibic: Context) -> None:  # noqa: F811
    admin = _admin(ibic)

    page = admin.get("/audit")

    assert page.status_code == 200
    html = page.text
    assert f"Granskningsloggen är obruten: {_count(ibic)} händelser" in html
    assert "Projekt skapat</strong>" in html and "Konto skapat</strong>" in html
    found = structure(html)
    assert found.headings.count(1) == 1
    assert set(found.controls) <= found.labels


def test_filters_by_action_and_actor_and_pages_with_a_cursor(ibic: Context) -> None:  # noqa: F811
    ticked = sum(tick_gate(ibic, KEY, g) for g in (GATE, "beslut-om-genomforande", "go-live"))
    assert ticked > 50  # more than one page of checklist events
    admin = _admin(ibic)

    ticks = admin.get(f"/audit?project={KEY}&action=checklist.item.updated").text
    assert "Checklistepunkt ändrad</strong>" in ticks and "Projekt skapat</strong>" not in ticks
    assert "Nästa sida" in ticks
    next_link = ticks.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0]
    second = admin.get(next_link.replace("&amp;", "&")).text
    assert "Checklistepunkt ändrad</strong>" in second

    by_actor = admin.get(f"/audit?actor={BOSS}").text
    assert "Checklistepunkt ändrad</strong>" not in by_actor and "Inloggning</strong>" in by_actor
    assert "Före" in ticks and "Efter" in ticks and "done" in ticks


def test_each_event_names_who_acted_beside_the_identity_it_records(
    ibic: Context,  # noqa: F811
) -> None:
    tick_gate(ibic, KEY, GATE)  # Anita, the projektledare, through the use cases
    admin = _admin(ibic)

    html = admin.get(f"/audit?project={KEY}&action=checklist.item.updated").text

    who = html.split("<dt>Vem</dt><dd>", 1)[1].split("</dd>", 1)[0]
    assert who == f'Anita Lindqvist <span class="hint record">user:{ANITA}</span>'
    own = admin.get(f"/audit?actor={BOSS}").text
    assert f'IT-administratör <span class="hint record">user:{BOSS}</span>' in own
    names = audit_log.actor_names(
        ibic,
        {
            f"token:gk_3f9a/{ANITA}",  # Anita through one of her API tokens
            "system:reminders",
            "user:okand@example.se",  # in no account and no membership
        },
    )
    assert names == {
        f"token:gk_3f9a/{ANITA}": "Anita Lindqvist",
        "system:reminders": "gatekeeper (reminders)",
    }


def test_others_must_name_a_project_they_see(ibic: Context) -> None:  # noqa: F811
    anita = client_for(ibic, ANITA)

    bare = anita.get("/audit").text
    assert "Välj ett projekt" in bare and "Projekt skapat</strong>" not in bare
    own = anita.get(f"/audit?project={KEY}")
    assert own.status_code == 200 and "Projekt skapat</strong>" in own.text
    assert client_for(ibic, STRANGER).get(f"/audit?project={KEY}").status_code == 404


def test_a_broken_chain_is_reported(ibic: Context) -> None:  # noqa: F811
    admin = _admin(ibic)
    with ibic.db.write() as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.seq == 2)).one()
        event.actor = "user:mallory@example.com"
        session.add(event)

    html = admin.get("/audit").text

    assert "Granskningsloggen är bruten vid händelse 2." in html
    # Why, in Swedish (the command line says it in English): the event hashes no longer.
    assert "Orsak: händelse 2 (nr 2 i loggen) har ändrats i efterhand" in html
    assert "was altered" not in html


def test_an_event_deleted_from_a_projects_chain_is_named_by_the_project(
    ibic: Context,  # noqa: F811
) -> None:
    admin = _admin(ibic)
    tick_gate(ibic, KEY, GATE)  # the project's chain: its creation, then the ticks
    with ibic.db.write() as session:
        third = session.exec(
            select(AuditEvent).where(
                col(AuditEvent.chain).startswith("project:"), AuditEvent.chain_seq == 3
            )
        ).one()
        session.delete(third)
    name = overviews.project_overview(ibic, KEY).project.name

    html = admin.get("/audit").text

    assert f"Granskningsloggen är bruten: kedjan {name}, vid dess händelse 3." in html
    assert "Orsak: händelse 3 saknas: den har raderats ur kedjan" in html
    assert "kedjan project:" not in html


def test_the_audit_page_in_english(ibic: Context) -> None:  # noqa: F811
    admin = _admin(ibic)
    admin.post("/language", data={"csrf_token": csrf_of(admin, "/"), "language": "en", "next": "/"})

    html = admin.get("/audit").text

    assert "The audit log is intact:" in html and "Checklist item changed" in html


def test_a_broken_chain_is_explained_in_the_readers_language(ibic: Context) -> None:  # noqa: F811
    admin = _admin(ibic)
    tick_gate(ibic, KEY, GATE)
    with ibic.db.write() as session:
        for gone in session.exec(
            select(AuditEvent).where(
                col(AuditEvent.chain).startswith("project:"),
                col(AuditEvent.chain_seq).in_((3, 4, 5)),
            )
        ).all():
            session.delete(gone)
    admin.post("/language", data={"csrf_token": csrf_of(admin, "/"), "language": "en", "next": "/"})

    english = admin.get("/audit").text
    admin.post("/language", data={"csrf_token": csrf_of(admin, "/"), "language": "da", "next": "/"})
    danish = admin.get("/audit").text

    assert "events 3–5 are missing: they were deleted from the chain" in english
    assert "hændelserne 3–5 mangler: de er slettet fra kæden" in danish


def _details_by_kind() -> dict[ChainBreak, set[str]]:
    """The details each kind of break is raised with in gatekeeper/store/audit/verify.py."""
    found: dict[ChainBreak, set[str]] = {}
    for call in ast.walk(ast.parse(inspect.getsource(chain_verify))):
        if not (isinstance(call, ast.Call) and getattr(call.func, "id", "") == "_Broken"):
            continue
        words = {keyword.arg for keyword in call.keywords if keyword.arg not in {None, "kind"}}
        kind = next(keyword.value for keyword in call.keywords if keyword.arg == "kind")
        named = {node.attr for node in ast.walk(kind) if isinstance(node, ast.Attribute)}
        for name in named & set(ChainBreak.__members__):
            found.setdefault(ChainBreak[name], set()).update(w for w in words if w)
    return found


def test_every_kind_of_break_is_worded_with_the_details_it_is_raised_with() -> None:
    raised = _details_by_kind()

    assert set(raised) == set(ChainBreak)
    for kind, message in {**BREAK, ChainBreak.MISSING: ONE_MISSING}.items():
        wanted = set(re.findall(r"%\((\w+)\)s", message))
        assert wanted <= raised[kind], (kind, wanted - raised[kind])
