"""The projektledare's forms for risks, the aktivitetsplan and the diarienummer of decisions.

Driven with TestClient through the real login form, on SQLite and PostgreSQL:
success, refused input (the form again with the field marked, nothing saved),
403 for a styrgrupp member and for the referensgrupp, and a stale edit (412).
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.status import ActivityStatus, RiskStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.gates import register
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import member as members
from gatekeeper.services.projects import risk as risks
from tests.factories import ADMIN, PROJEKTLEDARE, approve_gate, start_ibic, tick_gate
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD, csrf_of

KEY = "ibic-alingsas"
RISKS = f"/projects/{KEY}/risks"
ACTIVITIES = f"/projects/{KEY}/activities"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
EMMA = "emma.wik@alingsas.se"  # referensgrupp: advisory, reads only


@pytest.fixture
def ibic(ctx: Context) -> Context:
    """IBIC with web accounts for Anita (projektledare), Lars (styrgrupp), Emma (referensgrupp)."""
    start_ibic(ctx)
    members.add_member(
        ctx, ADMIN, project_key=KEY, name="Emma Wik", email=EMMA, role="referensgrupp"
    )
    for email, name in ((ANITA, "Anita Lindqvist"), (LARS, "Lars Carlsson"), (EMMA, "Emma Wik")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def _risk_form(client: TestClient, page: str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_of(client, page),
        "title": "Verksamheten hinner inte utbilda alla ombud före go-live",
        "description": "Utbildningen krockar med semesterperioden.",
        "probability": "3",
        "consequence": "4",
        "mitigation": "Utbilda ombuden i två omgångar, start i mars.",
        "owner": "Jonas Berg",
    } | fields


def _add_risk(ctx: Context, title: str = "Leverantören hinner inte konfigurera") -> int:
    risk = risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=KEY, title=title, probability=2, consequence=3
    )
    assert risk.id is not None
    return risk.id


# --- risks ------------------------------------------------------------------------------


def test_the_projektledare_adds_a_risk_and_sees_it_by_score(ibic: Context) -> None:
    _add_risk(ibic)  # score 6
    anita = client_for(ibic, ANITA)

    answer = anita.post(RISKS, data=_risk_form(anita, RISKS), follow_redirects=False)

    assert answer.status_code == 303, answer.text
    page = anita.get(RISKS).text
    assert "Risken är registrerad" in page
    first = page.index("Verksamheten hinner inte utbilda")
    assert first < page.index("Leverantören hinner inte konfigurera"), "score 12 before 6"
    assert "12 – mycket hög" in page and "Jonas Berg" in page
    saved = risks.list_risks(ibic, KEY)[0]
    assert (saved.probability, saved.consequence, saved.owner) == (3, 4, "Jonas Berg")
    assert '<option value="Jonas Berg">' in page, "ansvarig is chosen among the members"
    assert "anita.lindqvist@" not in page.split("<main", 1)[1], "names, not e-mail addresses"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"probability": "5"}, "probability", "Sannolikheten bedöms på en skala 1–4"),
        ({"consequence": "hög"}, "consequence", "Konsekvensen bedöms på en skala 1–4"),
        ({"title": "  "}, "title", "Risken får inte vara tom"),
    ],
)
def test_a_refused_risk_shows_the_form_again_with_the_field_marked(
    ibic: Context, fields: dict[str, str], field: str, words: str
) -> None:
    anita = client_for(ibic, ANITA)

    answer = anita.post(RISKS, data=_risk_form(anita, RISKS, **fields))

    assert answer.status_code == 422
    assert words in answer.text and 'class="error-summary"' in answer.text
    assert f'id="add-risk-{field}"' in answer.text
    marked = answer.text.split(f'id="add-risk-{field}"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in marked
    assert "Utbilda ombuden i två omgångar" in answer.text, "what was typed is kept"
    assert risks.list_risks(ibic, KEY) == []


def test_the_projektledare_edits_and_closes_a_risk(ibic: Context) -> None:
    risk_id = _add_risk(ibic)
    anita = client_for(ibic, ANITA)
    page = f"{RISKS}/{risk_id}"
    form = _risk_form(
        anita, page, title="Leverantören hinner inte konfigurera IBIC-mallarna", probability="1"
    )

    answer = anita.post(
        page, data=form | {"row_version": "1", "status": "closed"}, follow_redirects=False
    )

    assert answer.status_code == 303, answer.text
    risk = risks.get_risk(ibic, KEY, risk_id)
    assert risk.title == "Leverantören hinner inte konfigurera IBIC-mallarna"
    assert (risk.score, risk.status, risk.row_version) == (4, RiskStatus.CLOSED, 2)
    assert "Hanterad" in anita.get(RISKS).text


def test_a_stale_risk_edit_is_412_and_shows_the_risk_as_it_is_now(ibic: Context) -> None:
    risk_id = _add_risk(ibic)
    anita = client_for(ibic, ANITA)
    page = f"{RISKS}/{risk_id}"
    form = _risk_form(anita, page) | {"row_version": "1", "status": "accepted"}
    risks.update_risk(ibic, PROJEKTLEDARE, project_key=KEY, risk_id=risk_id, owner="Malin Holmberg")

    answer = anita.post(page, data=form)

    assert answer.status_code == 412
    assert "Risken har ändrats av någon annan sedan du öppnade sidan" in answer.text
    assert 'name="row_version" value="2"' in answer.text
    risk = risks.get_risk(ibic, KEY, risk_id)
    assert (risk.owner, risk.status, risk.probability) == ("Malin Holmberg", RiskStatus.OPEN, 2)


@pytest.mark.parametrize("email", [LARS, EMMA], ids=["styrgrupp", "referensgrupp"])
def test_others_read_the_risks_but_get_no_form_and_are_refused(ibic: Context, email: str) -> None:
    risk_id = _add_risk(ibic)
    reader = client_for(ibic, email)

    listing = reader.get(RISKS)
    one = reader.get(f"{RISKS}/{risk_id}")

    assert listing.status_code == one.status_code == 200
    assert "Leverantören hinner inte konfigurera" in listing.text
    assert 'id="add-risk"' not in listing.text and 'id="edit-risk"' not in one.text
    assert 'id="risk-read-only"' in listing.text
    added = reader.post(RISKS, data=_risk_form(reader, RISKS))
    edited = reader.post(
        f"{RISKS}/{risk_id}", data=_risk_form(reader, RISKS) | {"status": "closed"}
    )
    assert added.status_code == edited.status_code == 403
    assert "Bara projektledaren eller en administratör" in added.text
    assert [r.status for r in risks.list_risks(ibic, KEY)] == [RiskStatus.OPEN]


# --- the aktivitetsplan -----------------------------------------------------------------


def _activity_form(client: TestClient, page: str, **fields: str) -> dict[str, str]:
    return {
        "csrf_token": csrf_of(client, page),
        "title": "Extern IBIC-handledning för projektgrupperna",
        "start": "2026-10-01",
        "end": "2026-10-31",
        "responsible": "Jonas Berg",
        "status": "in_progress",
        "postponed_to": "",
        "comment": "",
    } | fields


def _add_activity(ctx: Context) -> int:
    activity = activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Utbildning av IBIC-ombud",
        start=date(2026, 10, 1),
        end=date(2026, 11, 10),
        responsible="Jonas Berg",
        status=ActivityStatus.IN_PROGRESS,
    )
    assert activity.id is not None
    return activity.id


def test_the_projektledare_adds_an_activity(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)

    answer = anita.post(ACTIVITIES, data=_activity_form(anita, ACTIVITIES), follow_redirects=False)

    assert answer.status_code == 303, answer.text
    page = anita.get(ACTIVITIES).text
    assert "Aktiviteten är tillagd" in page and "Extern IBIC-handledning" in page
    assert "Pågår" in page


def test_postponing_an_activity_to_a_date_with_a_comment(ibic: Context) -> None:
    activity_id = _add_activity(ibic)
    anita = client_for(ibic, ANITA)
    page = f"{ACTIVITIES}/{activity_id}"
    form = _activity_form(
        anita,
        page,
        title="Utbildning av IBIC-ombud",
        status="postponed",
        postponed_to="2027-03-01",
        comment="Handledarna är fullbokade under hösten.",
        row_version="1",
    )

    answer = anita.post(page, data=form, follow_redirects=False)

    assert answer.status_code == 303, answer.text
    listing = anita.get(ACTIVITIES).text
    assert "Skjuts till 1 mars 2027" in listing
    assert "Handledarna är fullbokade under hösten." in listing
    project = anita.get(f"/projects/{KEY}").text
    assert "Skjuts till 1 mars 2027" in project
    saved = activities.get_activity(ibic, KEY, activity_id)
    assert (saved.status, saved.postponed_to) == (ActivityStatus.POSTPONED, date(2027, 3, 1))

    done = anita.post(page, data=form | {"status": "done", "row_version": "2"})
    assert done.status_code == 200 and "Genomfört" in done.text
    assert activities.get_activity(ibic, KEY, activity_id).postponed_to is None


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"status": "postponed"}, "postponed_to", "Ange datumet aktiviteten skjuts till"),
        ({"end": "2026-09-01"}, "end", "slutar (2026-09-01) före den börjar"),
        ({"start": "1 oktober"}, "start", "Ange start som ÅÅÅÅ-MM-DD"),
        ({"title": ""}, "title", "Aktiviteten får inte vara tom"),
    ],
)
def test_a_refused_activity_shows_the_form_again_with_the_field_marked(
    ibic: Context, fields: dict[str, str], field: str, words: str
) -> None:
    anita = client_for(ibic, ANITA)

    answer = anita.post(ACTIVITIES, data=_activity_form(anita, ACTIVITIES, **fields))

    assert answer.status_code == 422
    assert words in answer.text
    marked = answer.text.split(f'id="add-activity-{field}"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in marked
    assert activities.list_activities(ibic, KEY) == []


def test_a_stale_activity_edit_is_412(ibic: Context) -> None:
    activity_id = _add_activity(ibic)
    anita = client_for(ibic, ANITA)
    page = f"{ACTIVITIES}/{activity_id}"
    form = _activity_form(anita, page, status="done", row_version="1")
    activities.update_activity(
        ibic, PROJEKTLEDARE, project_key=KEY, activity_id=activity_id, comment="Flyttad av Malin"
    )

    answer = anita.post(page, data=form)

    assert answer.status_code == 412
    assert "Aktiviteten har ändrats av någon annan sedan du öppnade sidan" in answer.text
    saved = activities.get_activity(ibic, KEY, activity_id)
    assert (saved.status, saved.comment) == (ActivityStatus.IN_PROGRESS, "Flyttad av Malin")


@pytest.mark.parametrize("email", [LARS, EMMA], ids=["styrgrupp", "referensgrupp"])
def test_others_read_the_aktivitetsplan_but_are_refused(ibic: Context, email: str) -> None:
    activity_id = _add_activity(ibic)
    reader = client_for(ibic, email)

    listing = reader.get(ACTIVITIES)
    assert listing.status_code == 200 and "Utbildning av IBIC-ombud" in listing.text
    assert 'id="add-activity"' not in listing.text
    assert 'id="edit-activity"' not in reader.get(f"{ACTIVITIES}/{activity_id}").text

    edited = reader.post(
        f"{ACTIVITIES}/{activity_id}", data=_activity_form(reader, ACTIVITIES, status="done")
    )
    added = reader.post(ACTIVITIES, data=_activity_form(reader, ACTIVITIES))
    assert edited.status_code == added.status_code == 403
    assert len(activities.list_activities(ibic, KEY)) == 1
    assert activities.get_activity(ibic, KEY, activity_id).status is ActivityStatus.IN_PROGRESS


# --- the diarienummer of a decision -----------------------------------------------------


@pytest.fixture
def decided(ibic: Context) -> int:
    tick_gate(ibic, KEY, "forstudie-klar")
    decision = approve_gate(ibic, KEY, "forstudie-klar")
    assert decision.id is not None
    return decision.id


def _protocol(decision_id: int) -> str:
    return f"/projects/{KEY}/decisions/{decision_id}/protocol"


def _reference(decision_id: int) -> str:
    return f"/projects/{KEY}/decisions/{decision_id}/reference"


def test_the_projektledare_registers_the_diarienummer_on_the_protocol(
    ibic: Context, decided: int
) -> None:
    anita = client_for(ibic, ANITA)
    form = {"csrf_token": csrf_of(anita, _protocol(decided)), "row_version": "1"}

    answer = anita.post(
        _reference(decided), data=form | {"reference": "Dnr 2026.158 VON"}, follow_redirects=False
    )

    assert answer.status_code == 303, answer.text
    page = anita.get(_protocol(decided)).text
    assert "Diarienumret är registrerat: Dnr 2026.158 VON" in page
    assert register.protocol(ibic, KEY, decided).decision.reference == "Dnr 2026.158 VON"


def test_an_empty_or_stale_diarienummer_changes_nothing(ibic: Context, decided: int) -> None:
    anita = client_for(ibic, ANITA)
    token = csrf_of(anita, _protocol(decided))

    empty = anita.post(
        _reference(decided), data={"csrf_token": token, "row_version": "1", "reference": " "}
    )
    assert empty.status_code == 422 and "Diarienumret får inte vara tom" in empty.text
    assert 'aria-invalid="true"' in empty.text.split('id="reference-number"', 1)[1].split(">")[0]

    register.set_reference(
        ibic, PROJEKTLEDARE, project_key=KEY, decision_id=decided, reference="Dnr 2026.1"
    )
    stale = anita.post(
        _reference(decided), data={"csrf_token": token, "row_version": "1", "reference": "Dnr 9"}
    )
    assert stale.status_code == 412 and "Beslutet har ändrats av någon annan" in stale.text
    assert register.protocol(ibic, KEY, decided).decision.reference == "Dnr 2026.1"


@pytest.mark.parametrize("email", [LARS, EMMA], ids=["styrgrupp", "referensgrupp"])
def test_others_see_no_diarienummer_form_and_are_refused(
    ibic: Context, decided: int, email: str
) -> None:
    reader = client_for(ibic, email)

    page = reader.get(_protocol(decided))
    assert page.status_code == 200 and 'id="reference-number"' not in page.text

    answer = reader.post(
        _reference(decided),
        data={"csrf_token": csrf_of(reader, _protocol(decided)), "reference": "Dnr 2026.158"},
    )
    assert answer.status_code == 403
    assert not register.protocol(ibic, KEY, decided).decision.reference
