"""The follow-up report of a date through the API, the printable page, XLSX and PDF.

On SQLite and PostgreSQL: the JSON of a past day and of today, bad dates as a
problem naming `date` (and on the page as an error summary linked to the date
field), who may read it (members and administrators; anyone else 404), the
page as the projektledare sees it, the XLSX read back with openpyxl (dates as
dates, header frozen, autofilter, Swedish words) and the PDF with pypdf.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ActivityStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.projects import activity as activities
from gatekeeper.services.projects import project as projects
from tests.factories import ADMIN, PROJEKTLEDARE, api_client, start_ibic
from tests.web.test_gate_page import client_for
from tests.web.test_login import PASSWORD
from tests.web.test_pdf import is_pdf_a_2b, read_pdf

KEY = "ibic-alingsas"
API = f"/api/v1/projects/{KEY}/followup-report"
PAGE = f"/projects/{KEY}/followup-report"
ANITA = "anita.lindqvist@alingsas.se"  # projektledare of IBIC
KARIN = "karin.strom@boras.se"  # projektledare in Borås, not in IBIC
D = "2026-11-25"
LATER = "2026-12-04"


@pytest.fixture
def ibic(ctx: Context, clock: FixedClock) -> Context:
    """IBIC with seed 002's kind of plan, changed nine days later; a Borås project beside it;
    web accounts for Anita and Karin."""
    start_ibic(ctx)
    first = activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Ökad kunskap i IBIC – utbildnings- och träningsinsats",
        start=date(2026, 2, 2),
        end=date(2026, 11, 30),
        responsible="Anita Lindqvist",
        status=ActivityStatus.IN_PROGRESS,
    )
    activities.add_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        title="Risk- och konsekvensanalys per verksamhet",
        start=date(2026, 4, 1),
        end=date(2026, 10, 30),
        responsible="Jonas Berg",
        status=ActivityStatus.DONE,
    )
    clock.advance(timedelta(days=9))
    assert first.id is not None
    activities.update_activity(
        ctx,
        PROJEKTLEDARE,
        project_key=KEY,
        activity_id=first.id,
        status=ActivityStatus.POSTPONED,
        postponed_to=date(2027, 3, 1),
        comment="Handledarna är fullbokade under hösten; nytt avtal från mars.",
    )
    projects.create_project(
        ctx,
        PROJEKTLEDARE,
        key="boras-tes",
        name="Införande av TES i hemtjänsten",
        workflow_id="inforande",
        organisation="Vård- och äldreförvaltningen, Borås stad",
        started_on=date(2026, 10, 1),
        members=(projects.MemberSpec("Karin Ström", KARIN, "projektledare"),),
    )
    for email, name in ((ANITA, "Anita Lindqvist"), (KARIN, "Karin Ström")):
        accounts.create_user(ctx, ADMIN, email=email, name=name)
        logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    return ctx


# --- API ------------------------------------------------------------------------------------


def test_the_api_answers_the_report_of_a_past_day_and_of_today(ibic: Context) -> None:
    client = api_client(ibic, ANITA)

    then = client.get(API, params={"date": D})
    now = client.get(API)

    assert then.status_code == 200, then.text
    lines = {a["title"]: a for a in then.json()["activities"]}
    first = lines["Ökad kunskap i IBIC – utbildnings- och träningsinsats"]
    assert (first["status"], first["status_sv"], first["comment"]) == (
        "in_progress",
        "Pågår",
        "",
    )
    assert then.json()["date"] == D and then.json()["phase_name"] == "Förstudie"
    assert then.json()["next_gate"]["name"] == "Förstudie klar"
    assert now.status_code == 200 and now.json()["date"] == LATER
    moved = now.json()["activities"][0]
    assert (moved["status_sv"], moved["postponed_to"], moved["responsible"]) == (
        "Skjuts till 2027-03-01",
        "2027-03-01",
        "Anita Lindqvist",
    )


@pytest.mark.parametrize(
    ("asked", "words"),
    [
        ("2026-12-05", "ligger i framtiden"),
        ("2026-11-24", "fanns inte i gatekeeper"),
        ("31 mars", "är inget datum"),
        ("2026-02-30", "är inget datum"),
        ("9999-01-01", "är inget datum"),
    ],
)
def test_a_bad_date_is_a_problem_naming_date_in_swedish(
    ibic: Context, asked: str, words: str
) -> None:
    answer = api_client(ibic, ANITA).get(API, params={"date": asked})

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == "date"
    assert words in answer.json()["detail"]


def test_members_and_administrators_read_the_report_and_others_get_404(ibic: Context) -> None:
    assert api_client(ibic, ANITA).get(API).status_code == 200
    assert api_client(ibic).get(API).status_code == 200  # the administrator
    assert api_client(ibic, KARIN).get(API).status_code == 404
    assert api_client(ibic, "okand@example.se").get(API).status_code == 404
    limited = api_client(ibic, "registrator2@alingsas.se", admin=True, projects_=("boras-tes",))
    assert limited.get(API).status_code == 404


def test_the_cross_project_report_holds_the_projects_the_caller_sees(ibic: Context) -> None:
    admin = api_client(ibic).get("/api/v1/followup-report").json()
    karin = api_client(ibic, KARIN).get("/api/v1/followup-report").json()
    first_page = api_client(ibic).get("/api/v1/followup-report", params={"limit": 1}).json()
    earlier = api_client(ibic).get("/api/v1/followup-report", params={"date": D}).json()
    borås = api_client(ibic).get(
        "/api/v1/followup-report",
        params={"organisation": "Vård- och äldreförvaltningen, Borås stad"},
    )

    assert [p["project"] for p in admin["items"]] == [KEY, "boras-tes"]
    assert admin["next_cursor"] is None
    assert [p["project"] for p in karin["items"]] == ["boras-tes"]
    assert [p["project"] for p in first_page["items"]] == [KEY] and first_page["next_cursor"]
    assert [p["project"] for p in earlier["items"]] == [KEY]
    assert earlier["not_yet"] == ["Införande av TES i hemtjänsten"]
    assert [p["project"] for p in borås.json()["items"]] == ["boras-tes"]


def test_the_report_is_in_the_openapi_document(ibic: Context) -> None:
    paths = api_client(ibic).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/projects/{project_key}/followup-report" in paths
    assert "/api/v1/followup-report" in paths
    names = {p["name"] for p in paths["/api/v1/followup-report"]["get"]["parameters"]}
    assert {"date", "organisation", "cursor", "limit"} <= names


# --- the page --------------------------------------------------------------------------------


def test_the_projektledare_opens_the_report_from_the_project_page(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)

    project_page = anita.get(f"/projects/{KEY}").text
    page = anita.get(PAGE, params={"date": D})

    assert f'href="{PAGE}"' in project_page and "Uppföljningsrapport" in project_page
    assert page.status_code == 200
    text = page.text
    assert "Uppföljningsrapport per 25 november 2026" in text
    assert "Ökad kunskap i IBIC – utbildnings- och träningsinsats" in text
    assert "Pågår" in text and "Skjuts till" not in text
    assert "Förstudie klar" in text and "0 av 14 punkter klara" in text
    assert "anita.lindqvist@alingsas.se" not in text.split("<main", 1)[1]  # names, not e-mail
    assert f"{PAGE}.pdf?date={D}" in text and f"{PAGE}.xlsx?date={D}" in text
    later = anita.get(PAGE).text
    assert "Skjuts till 1 mars 2027" in later
    assert "Handledarna är fullbokade under hösten; nytt avtal från mars." in later


def test_a_refused_date_shows_the_error_summary_linked_to_the_date_field(ibic: Context) -> None:
    page = client_for(ibic, ANITA).get(PAGE, params={"date": "2030-01-01"})

    assert page.status_code == 422
    assert 'id="error-summary"' in page.text and 'href="#date"' in page.text
    assert "ligger i framtiden" in page.text
    assert 'aria-invalid="true"' in page.text
    assert "report-files" not in page.text  # no files of a report that is not shown


def test_a_person_outside_the_project_gets_404_on_the_page_and_files(ibic: Context) -> None:
    karin = client_for(ibic, KARIN)
    for path in (PAGE, f"{PAGE}.xlsx", f"{PAGE}.pdf"):
        assert karin.get(path).status_code == 404, path


def test_the_cross_project_page_has_one_section_per_project(ibic: Context) -> None:
    anita = client_for(ibic, ANITA)
    assert 'href="/followup-report"' in anita.get("/").text
    page = anita.get("/followup-report").text
    assert page.count('class="fr-section"') == 1  # Anita is in IBIC only
    admin_page = api_client(ibic).get("/followup-report").text
    assert admin_page.count('class="fr-section"') == 2
    assert "Införande av TES i hemtjänsten" in admin_page


# --- files -----------------------------------------------------------------------------------


def test_the_xlsx_has_dates_as_dates_a_frozen_header_a_filter_and_swedish_words(
    ibic: Context,
) -> None:
    answer = client_for(ibic, ANITA).get(f"{PAGE}.xlsx")

    assert answer.status_code == 200
    assert f"uppfoljning-{KEY}-{LATER}.xlsx" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Projekt",
        "Aktivitet",
        "Start",
        "Slutdatum",
        "Status",
        "Skjuts till",
        "Kommentar",
        "Ansvarig",
        "Försenad",
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:I3"
    first = rows[1]
    assert first[1] == "Ökad kunskap i IBIC – utbildnings- och träningsinsats"
    assert isinstance(first[3], datetime) and first[3].date() == date(2026, 11, 30)
    assert first[4] == "Skjuts till 2027-03-01"
    assert isinstance(first[5], datetime) and first[5].date() == date(2027, 3, 1)
    assert sheet.cell(row=2, column=4).number_format == "yyyy-mm-dd"
    assert rows[2][4] == "Genomfört" and rows[2][8] == "nej"


def test_the_pdf_reads_back_with_the_report_of_the_day(ibic: Context) -> None:
    answer = client_for(ibic, ANITA).get(f"{PAGE}.pdf", params={"date": D})

    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    reader, raw = read_pdf(answer.content)
    text = " ".join(raw.split())
    assert len(reader.pages) == 1
    assert "Uppföljningsrapport per 25 november 2026" in text
    assert "Risk- och konsekvensanalys per verksamhet" in text
    assert "Pågår" in text and "Skjuts till" not in text
    assert "Rapportdatum" not in text  # the date form is not printed
    assert is_pdf_a_2b(reader)


def test_the_cross_project_pdf_starts_each_project_on_a_page_of_its_own(ibic: Context) -> None:
    answer = api_client(ibic).get("/followup-report.pdf")

    reader, raw = read_pdf(answer.content)
    text = " ".join(raw.split())
    assert len(reader.pages) == 2
    assert "Införande av IBIC" in reader.pages[0].extract_text()
    assert "Införande av TES i hemtjänsten" in reader.pages[1].extract_text()
    assert "Skjuts till 1 mars 2027" in text


def test_the_cross_project_page_refuses_a_future_day_with_the_date_field_linked(
    ibic: Context,
) -> None:
    page = client_for(ibic, ANITA).get("/followup-report", params={"date": "2026-12-24"})

    assert page.status_code == 422
    assert 'href="#date"' in page.text and "ligger i framtiden" in page.text
    assert 'class="fr-section"' not in page.text
    assert "Vård- och omsorgsförvaltningen, Alingsås kommun" in page.text  # the filter stays
