"""The kommunikationsplan and the intressentanalys over the API, on SQLite and PostgreSQL:
create with Location and ETag, list in pages, PATCH with If-Match, problem+json naming the
field, who may write and who may not even see, and the exports read back (csv, openpyxl).
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from gatekeeper.services.context import Context
from tests.factories import api_client, start_ibic
from tests.web.test_work_api import ANITA, problem

KEY = "ibic-alingsas"
BASE = f"/api/v1/projects/{KEY}"
LARS = "lars.carlsson@alingsas.se"
OUTSIDER = "okand@boras.se"


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx, ANITA)


def _communication(client: TestClient, **fields: Any) -> Any:
    body = {
        "audience": "Fackliga organisationer",
        "message": "Mål: veta att projektet pågår. Budskap: insyn och delaktighet.",
        "channel": "Information i FSG inför projektstart",
        "planned_on": "2027-03-15",
        "responsible": "Anita Lindqvist",
    }
    return client.post(f"{BASE}/communications", json=body | fields)


def _stakeholder(client: TestClient, **fields: Any) -> Any:
    body = {
        "name": "Vård- och omsorgsnämnden (VON)",
        "interest": "Beslutsfattande, ansvar för verksamhet",
        "influence": "high",
    }
    return client.post(f"{BASE}/stakeholders", json=body | fields)


def test_a_row_is_created_with_location_and_etag_and_read_back(anita: TestClient) -> None:
    created = _communication(anita)

    assert created.status_code == 201, created.text
    row = created.json()
    assert row["status"] == "planned" and row["status_sv"] == "Planerad"
    assert row["responsible"] == "Anita Lindqvist" and row["responsible_is_member"] is True
    assert created.headers["Location"] == f"{BASE}/communications/{row['id']}"
    assert created.headers["ETag"] == '"1"'
    fetched = anita.get(created.headers["Location"])
    assert fetched.json() == row and fetched.headers["ETag"] == '"1"'


def test_the_plan_is_listed_in_pages_in_date_order(anita: TestClient) -> None:
    for day in ("2027-04-01", "2027-02-01", "2027-03-01"):
        assert _communication(anita, planned_on=day).status_code == 201

    first = anita.get(f"{BASE}/communications", params={"limit": 2}).json()
    assert [r["planned_on"] for r in first["items"]] == ["2027-02-01", "2027-03-01"]
    second = anita.get(
        f"{BASE}/communications", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [r["planned_on"] for r in second["items"]] == ["2027-04-01"]
    assert second["next_cursor"] is None


def test_patch_with_if_match_marks_it_genomford_and_a_stale_one_is_412(anita: TestClient) -> None:
    row = _communication(anita).json()
    url = f"{BASE}/communications/{row['id']}"

    done = anita.patch(url, json={"status": "done"}, headers={"If-Match": '"1"'})
    assert done.status_code == 200, done.text
    assert done.json()["status_sv"] == "Genomförd" and done.headers["ETag"] == '"2"'

    stale = anita.patch(url, json={"comment": "x"}, headers={"If-Match": '"1"'})
    problem(stale, 412)
    assert anita.get(url).json()["comment"] == ""


def test_a_patch_with_null_tidpunkt_clears_it_and_without_keeps_it(anita: TestClient) -> None:
    row = _communication(anita).json()
    url = f"{BASE}/communications/{row['id']}"

    kept = anita.patch(url, json={"channel": "APT"})
    assert kept.json()["planned_on"] == "2027-03-15"
    cleared = anita.patch(url, json={"planned_on": None})
    assert cleared.json()["planned_on"] is None


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"audience": ""}, 422, "audience"),
        ({"planned_on": "15 mars"}, 422, "planned_on"),
        ({"status": "klar"}, 422, "status"),
        ({"responsible": "okand@example.se"}, 422, "responsible"),
        ({"color": "red"}, 422, "color"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field_and_nothing_is_saved(
    anita: TestClient, fields: dict[str, Any], status: int, field: str
) -> None:
    body = problem(_communication(anita, **fields), status)
    assert field in str(body.get("field")) or field in str(body.get("errors", ""))
    assert anita.get(f"{BASE}/communications").json()["items"] == []


def test_a_styrgrupp_member_reads_but_may_not_write(anita: TestClient, ctx: Context) -> None:
    _communication(anita)
    _stakeholder(anita)
    lars = api_client(ctx, LARS)

    assert len(lars.get(f"{BASE}/communications").json()["items"]) == 1
    assert len(lars.get(f"{BASE}/stakeholders").json()["items"]) == 1
    problem(_communication(lars), 403)
    problem(_stakeholder(lars), 403)


def test_someone_outside_the_project_gets_404(anita: TestClient, ctx: Context) -> None:
    _communication(anita)
    outsider = api_client(ctx, OUTSIDER)

    problem(outsider.get(f"{BASE}/communications"), 404)
    problem(outsider.get(f"{BASE}/stakeholders.csv"), 404)
    problem(_communication(outsider), 404)


def test_an_intressent_is_created_listed_and_revised(anita: TestClient) -> None:
    _stakeholder(anita, name="Kommunfullmäktige", influence="low")
    created = _stakeholder(anita)
    assert created.status_code == 201, created.text
    assert created.json()["influence_sv"] == "Stor"

    listed = anita.get(f"{BASE}/stakeholders").json()["items"]
    assert [s["name"] for s in listed] == ["Vård- och omsorgsnämnden (VON)", "Kommunfullmäktige"]
    url = created.headers["Location"]
    revised = anita.patch(
        url, json={"strategy": "Muntlig uppföljning löpande"}, headers={"If-Match": '"1"'}
    )
    assert revised.status_code == 200 and revised.headers["ETag"] == '"2"'
    problem(anita.patch(url, json={"influence": "enorm"}), 422, None)
    problem(anita.patch(url, json={"name": "x"}, headers={"If-Match": '"1"'}), 412)


def test_the_exports_read_back_with_real_dates_a_frozen_header_and_a_filter(
    anita: TestClient,
) -> None:
    _communication(anita, audience='=HYPERLINK("http://x")')
    _stakeholder(anita)

    answer = anita.get(f"{BASE}/communications.xlsx")
    assert answer.status_code == 200
    assert "kommunikationsplan-ibic-alingsas" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Målgrupp", "Syfte/budskap", "Kanal", "Tidpunkt")
    assert rows[1][0].startswith("'=")  # shown, never run
    assert isinstance(rows[1][3], datetime) and rows[1][3].date() == date(2027, 3, 15)
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref

    text = anita.get(f"{BASE}/stakeholders.csv").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == ["Intressent", "Intresse", "Påverkan", "Förväntningar", "Strategi"]
    assert table[1][:3] == [
        "Vård- och omsorgsnämnden (VON)",
        "Beslutsfattande, ansvar för verksamhet",
        "Stor",
    ]
    csv_plan = anita.get(f"{BASE}/communications.csv").content.decode("utf-8-sig")
    assert "2027-03-15" in csv_plan
