"""The meeting pages through the real login form, on SQLite and PostgreSQL: the
projektledare drafts a meeting, edits its agenda, sends the kallelse and records the
protocol; the justerare justerar (a second time refused in words); a styrgrupp member
reads the protocol and its PDF; others are refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.clock import FixedClock
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.meetings import meeting as meetings
from tests.apps import app_for
from tests.factories import ADMIN, start_ibic
from tests.smtp_box import smtp_server
from tests.web.test_login import PASSWORD, csrf_of, log_in
from tests.web.test_pdf import is_pdf_a_2b, read_pdf

KEY = "ibic-alingsas"
LIST = f"/projects/{KEY}/meetings"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
MALIN = "malin.holmberg@alingsas.se"
STRANGER = "sara.nystrom@lerum.se"


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    for email, name in (
        (ANITA, "Anita Lindqvist"),
        (LARS, "Lars Carlsson"),
        (MALIN, "Malin Holmberg"),
        (STRANGER, "Sara Nyström"),
    ):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


def _client(ctx: Context, email: str, letters: object = None) -> TestClient:
    client = TestClient(app_for(ctx, letters))  # type: ignore[arg-type]
    assert log_in(client, email=email).status_code == 303
    return client


def _draft(client: TestClient, **fields: str) -> str:
    form = {
        "csrf_token": csrf_of(client, LIST),
        "kind": "styrgruppsmote",
        "day": "2026-12-10",
        "time": "13:00",
        "place": "Stadshuset, rum Mjörn",
    } | fields
    answer = client.post(LIST, data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_the_project_page_links_the_meetings(ibic: Context) -> None:
    page = _client(ibic, LARS).get(f"/projects/{KEY}").text
    assert f'href="{LIST}"' in page and "Styrgruppsmöten" in page


def test_the_projektledare_drafts_edits_and_sends(ibic: Context) -> None:
    with smtp_server() as box:
        anita = _client(ibic, ANITA, box.letters())
        url = _draft(anita)
        page = anita.get(url).text
        assert "Styrgruppsmöte 10 december 2026 kl. 13.00" in page
        assert "Mötets öppnande, val av justerare" in page
        assert "Skicka kallelse" in page
        meeting = meetings.list_meetings(ibic, KEY)[0]
        first, second = meeting.agenda[0]["id"], meeting.agenda[1]["id"]
        edited = anita.post(
            url + "/agenda",
            data={
                "csrf_token": csrf_of(anita, url),
                "row_version": str(meeting.row_version),
                f"remove-{second}": "1",
                f"title-{first}": "Mötets öppnande",
                "new-title": "Information från leverantören Tieto",
                "new-order": "2",
            },
            follow_redirects=False,
        )
        assert edited.status_code == 303, edited.text
        titles = [p["title"] for p in meetings.get_meeting(ibic, KEY, meeting.id or 0).agenda]
        assert titles[:2] == ["Mötets öppnande", "Information från leverantören Tieto"]
        assert meeting.agenda[1]["title"] not in titles
        current = meetings.get_meeting(ibic, KEY, meeting.id or 0)
        sent = anita.post(
            url + "/send",
            data={"csrf_token": csrf_of(anita, url), "row_version": str(current.row_version)},
        )
        assert sent.status_code == 200
        assert "Kallelsen är skickad: 4 av 4 e-brev gick iväg." in sent.text
        assert len(box.messages) == 4
    assert "Underlaget som det såg ut när kallelsen skickades." in sent.text
    assert "Skicka kallelse</button>" not in sent.text


def test_a_refused_form_shows_the_field_and_saves_nothing(ibic: Context) -> None:
    anita = _client(ibic, ANITA)
    answer = anita.post(
        LIST, data={"csrf_token": csrf_of(anita, LIST), "day": "2026-13-40", "time": "13:00"}
    )
    assert answer.status_code == 422
    assert 'href="#new-meeting-day"' in answer.text
    assert meetings.list_meetings(ibic, KEY) == []
    url = _draft(anita)
    meeting = meetings.list_meetings(ibic, KEY)[0]
    first = meeting.agenda[0]["id"]
    bad = anita.post(
        url + "/agenda",
        data={"csrf_token": csrf_of(anita, url), f"order-{first}": "först"},
    )
    assert bad.status_code == 422 and f'href="#order-{first}"' in bad.text
    assert meetings.get_meeting(ibic, KEY, meeting.id or 0).agenda == meeting.agenda


def test_protocol_justering_and_a_member_reads_it(ibic: Context, clock: FixedClock) -> None:
    clock.set(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))  # the afternoon of the meeting
    anita = _client(ibic, ANITA)
    url = _draft(anita)
    meeting = meetings.list_meetings(ibic, KEY)[0]
    anita.post(url + "/send", data={"csrf_token": csrf_of(anita, url)})
    recorded = anita.post(
        url + "/protocol",
        data={
            "csrf_token": csrf_of(anita, url),
            "present": ["Malin Holmberg", "Anita Lindqvist", "Aniko Szabo"],
            "substitute": "per.ek@alingsas.se",
            f"note-{meeting.agenda[0]['id']}": "Lars Carlsson valdes till justerare.",
        },
    )
    assert recorded.status_code == 200 and "Protokollet är sparat." in recorded.text
    assert "Per Ek för Lars Carlsson" in recorded.text

    lars = _client(ibic, LARS)
    page = lars.get(url).text
    assert "Justera protokollet" in page and "För protokoll" not in page
    assert lars.post(url + "/justering", data={"csrf_token": csrf_of(lars, url)}).status_code == 200
    twice = lars.post(url + "/justering", data={"csrf_token": csrf_of(lars, url)})
    assert twice.status_code == 422 and "Du har redan justerat protokollet" in twice.text
    malin = _client(ibic, MALIN)
    done = malin.post(url + "/justering", data={"csrf_token": csrf_of(malin, url)})
    assert "Protokollet är justerat och låst." in done.text

    printed = lars.get(url + "/protokoll").text
    assert "Lars Carlsson valdes till justerare." in printed
    pdf = lars.get(url + "/protokoll.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader, text = read_pdf(pdf.content)
    assert 1 <= len(reader.pages) <= 4 and is_pdf_a_2b(reader)
    assert "Protokoll: Styrgruppsmöte 10 december 2026" in text
    assert "Justerat av Lars Carlsson" in text and "Justerat av Malin Holmberg" in text
    assert "Ladda ner som PDF" not in text


def test_the_kallelse_pdf_holds_the_frozen_underlag(ibic: Context) -> None:
    anita = _client(ibic, ANITA)
    url = _draft(anita)
    anita.post(url + "/send", data={"csrf_token": csrf_of(anita, url)})
    reader, text = read_pdf(anita.get(url + "/kallelse.pdf").content)
    assert is_pdf_a_2b(reader)
    assert "Kallelse: Styrgruppsmöte 10 december 2026" in text
    assert "Mötets öppnande, val av justerare" in text and "Malin Holmberg" in text
    assert not re.search(r"anita\.lindqvist@", text)  # names, never addresses


def test_who_may_prepare_and_who_may_read(ibic: Context) -> None:
    lars = _client(ibic, LARS)
    refused = lars.post(
        LIST, data={"csrf_token": csrf_of(lars, LIST), "day": "2026-12-10", "time": "13:00"}
    )
    assert refused.status_code == 403
    assert "Projektledaren och administratörer förbereder möten" in lars.get(LIST).text
    url = _draft(_client(ibic, ANITA))
    assert "Skicka kallelse" not in lars.get(url).text
    stranger = _client(ibic, STRANGER)
    assert stranger.get(LIST).status_code == 404
    assert stranger.get(url).status_code == 404
    assert stranger.get(url + "/kallelse.pdf").status_code == 404
