"""The slutrapport page, its section forms, approval, the PDF and the lessons pages.

Driven with TestClient through the real login form, on SQLite and PostgreSQL:
the projektledare writes a section and adds a lärdom, a refused form shows the
field marked with nothing saved, a stale form answers 412, the styrgrupp reads
and fastställer, a stranger sees 404; the PDF is read back with pypdf.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.reports import lesson as lessons
from gatekeeper.services.reports import slutrapport as reports
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.slutrapport_factories import closing_project
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD, csrf_of
from tests.web.test_pdf import all_fonts_embedded, is_pdf_a_2b, read_pdf

KEY = "ibic-alingsas"
REPORT = f"/projects/{KEY}/final-report"
LESSONS = f"/projects/{KEY}/lessons"
ANITA = "anita.lindqvist@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
STRANGER = "okand@boras.se"


def _accounts(ctx: Context) -> Context:
    for email, name in (
        (ANITA, "Anita Lindqvist"),
        (LARS, "Lars Carlsson"),
        (STRANGER, "Okänd Person"),
    ):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


@pytest.fixture
def ibic(ctx: Context) -> Context:
    start_ibic(ctx)
    return _accounts(ctx)


def _section_form(client: TestClient, section: str, text: str) -> dict[str, str]:
    """The section's form as the page gives it (version 0 where the page shows no form)."""
    page = client.get(f"{REPORT}/sections/{section}").text
    marker = 'name="row_version" value="'
    version = page.split(marker, 1)[1].split('"', 1)[0] if marker in page else "0"
    return {"csrf_token": csrf_of(client, REPORT), "text": text, "row_version": version}


def test_the_projektledare_writes_a_section_and_sees_it_in_the_report(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    assert 'id="final-report-link"' in anita.get(f"/projects/{KEY}").text

    answer = anita.post(
        f"{REPORT}/sections/sammanfattning",
        data=_section_form(anita, "sammanfattning", "Projektet nådde sina mål.\n\nDigitalt."),
        follow_redirects=False,
    )

    assert answer.status_code == 303, answer.text
    page = anita.get(REPORT).text
    assert "Avsnittet är sparat: Sammanfattning" in page
    assert "<p>Projektet nådde sina mål.</p><p>Digitalt.</p>" in page
    assert "senast av Anita Lindqvist" in page


def test_a_stale_section_form_answers_412_and_keeps_the_text(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = _section_form(anita, "ekonomi", "Budget 1,2 mnkr")
    reports.save_section(ibic, PROJEKTLEDARE, project_key=KEY, section="ekonomi", text="Först")

    answer = anita.post(f"{REPORT}/sections/ekonomi", data=form)

    assert answer.status_code == 412
    assert "ändrats av någon annan" in answer.text and 'href="#section-text"' in answer.text
    assert reports.section(ibic, KEY, "ekonomi").text == "Först"


def test_a_too_long_section_is_refused_with_the_field_marked(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)

    answer = anita.post(
        f"{REPORT}/sections/ekonomi", data=_section_form(anita, "ekonomi", "x" * 20_001)
    )

    assert answer.status_code == 422
    assert "högst 20000 tecken" in answer.text and 'aria-invalid="true"' in answer.text
    assert reports.section(ibic, KEY, "ekonomi").row_version == 0


def test_the_styrgrupp_reads_and_fastställer_a_stranger_sees_nothing(ibic: Context) -> None:
    lars = client_for(ibic, LARS)
    page = lars.get(REPORT).text
    assert "Skriv avsnittet" not in page and "Fastställ slutrapporten" in page
    assert (
        lars.post(
            f"{REPORT}/sections/ekonomi", data=_section_form(lars, "ekonomi", "x")
        ).status_code
        == 403
    )
    assert client_for(ibic, STRANGER).get(REPORT).status_code == 404
    assert client_for(ibic, STRANGER).get(LESSONS).status_code == 404

    answer = lars.post(
        f"{REPORT}/approve", data={"csrf_token": csrf_of(lars, REPORT)}, follow_redirects=False
    )

    assert answer.status_code == 303, answer.text
    page = lars.get(REPORT).text
    assert "Fastställd" in page and "Lars Carlsson" in page
    anita = client_for(ibic, ANITA)
    assert "Skriv avsnittet" not in anita.get(REPORT).text
    refused = anita.post(f"{REPORT}/sections/ekonomi", data=_section_form(anita, "ekonomi", "x"))
    assert refused.status_code == 409 and "kan inte längre ändras" in refused.text


def test_the_report_as_pdf_reads_back_with_plan_vs_actual(ctx: Context) -> None:
    closing_project(ctx)
    _accounts(ctx)
    reports.save_section(
        ctx, PROJEKTLEDARE, project_key=KEY, section="sammanfattning", text="Förstudien gav samsyn."
    )
    lessons.add_lesson(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        lesson="Börja alla projekt med en förstudie",
        category="styrning",
    )
    anita = client_for(ctx, ANITA)
    assert "sista fas" in anita.get(f"/projects/{KEY}").text

    answer = anita.get(f"{REPORT}.pdf")

    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    reader, text = read_pdf(answer.content)
    assert 2 <= len(reader.pages) <= 8
    assert is_pdf_a_2b(reader) and all_fonts_embedded(reader)
    flat = " ".join(text.split())
    for words in (
        "Slutrapport: Införande av IBIC",
        "Förstudien gav samsyn.",
        "20 dagar tidigare",
        "7 dagar senare",
        "Restlista överlämnad till förvaltningen",
        "Börja alla projekt med en förstudie",
        "Gemensam kompetensbank",
    ):
        assert words in flat, words
    assert "Skriv avsnittet" not in flat  # the edit links are not printed


def test_lessons_are_added_edited_refused_and_exported_on_the_web(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    form = {
        "csrf_token": csrf_of(anita, LESSONS),
        "lesson": "Var inte rädd för att driva projekt digitalt",
        "category": "samverkan",
        "recommendation": "Digitala möten sparar tid.",
    }
    assert anita.post(LESSONS, data=form, follow_redirects=False).status_code == 303
    bad = anita.post(LESSONS, data=form | {"lesson": " "})
    assert bad.status_code == 422 and 'href="#add-lesson-lesson"' in bad.text
    row = lessons.list_lessons(ibic, KEY)[0]
    edit = f"{LESSONS}/{row.id}"
    changed = anita.post(
        edit,
        data=form | {"csrf_token": csrf_of(anita, edit), "category": "teknik", "row_version": "1"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    stale = anita.post(edit, data=form | {"csrf_token": csrf_of(anita, edit), "row_version": "1"})
    assert stale.status_code == 412
    page = anita.get(LESSONS).text
    assert "Teknik" in page and "Anita Lindqvist" in page
    csv = anita.get(f"{LESSONS}.csv").content.decode("utf-8-sig")
    assert "Var inte rädd för att driva projekt digitalt;Teknik;" in csv
    lars = client_for(ibic, LARS)
    assert 'id="lessons-read-only"' in lars.get(LESSONS).text
    assert lars.post(LESSONS, data=form | {"csrf_token": csrf_of(lars, LESSONS)}).status_code == 403
