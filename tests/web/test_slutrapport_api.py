"""The slutrapport and the lessons over the API, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from gatekeeper.services.context import Context
from tests.factories import api_client, start_ibic
from tests.slutrapport_factories import closing_project

KEY = "ibic-alingsas"
REPORT = f"/api/v1/projects/{KEY}/final-report"
LESSONS = f"/api/v1/projects/{KEY}/lessons"
ANITA = "anita.lindqvist@alingsas.se"
MALIN = "malin.holmberg@alingsas.se"
LARS = "lars.carlsson@alingsas.se"
PROBLEM = "application/problem+json"


def problem(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    if field is not None:
        assert body.get("field") == field, body
    return body


@pytest.fixture
def anita(ctx: Context) -> TestClient:
    start_ibic(ctx)
    return api_client(ctx, ANITA)


def test_the_composed_report_has_plan_vs_actual_and_the_restlista(ctx: Context) -> None:
    closing_project(ctx)
    client = api_client(ctx, LARS)

    answer = client.get(REPORT)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "draft" and not body["may_write"] and body["may_approve"]
    phases = {p["gate_id"]: p for p in body["report"]["phases"]}
    assert phases["forstudie-klar"]["days_late"] == -20
    assert phases["forstudie-klar"]["state"] == "early"
    assert phases["beslut-om-genomforande"]["days_late"] == 7
    assert [r["responsible"] for r in body["report"]["restlista"]] == ["Förvaltningsledare"]
    assert [d["deviation"] for d in body["report"]["decisions"]][:2] == [False, True]
    assert body["report"]["texts"][0]["key"] == "sammanfattning"


def test_a_section_is_put_with_if_match_and_a_stale_put_is_412(anita: TestClient) -> None:
    first = anita.get(f"{REPORT}/sections/ekonomi")
    assert first.status_code == 200 and first.headers["ETag"] == '"0"'

    saved = anita.put(
        f"{REPORT}/sections/ekonomi",
        json={"text": "Budget 1,2 mnkr; utfall 1,15 mnkr."},
        headers={"If-Match": '"0"'},
    )
    assert saved.status_code == 200, saved.text
    assert saved.headers["ETag"] == '"1"' and saved.json()["updated_by"] == "Anita Lindqvist"

    stale = anita.put(
        f"{REPORT}/sections/ekonomi", json={"text": "Annat"}, headers={"If-Match": '"0"'}
    )
    assert "ändrats av någon annan" in problem(stale, 412)["detail"]
    listed = anita.get(f"{REPORT}/sections").json()["items"]
    assert [s["text"] for s in listed if s["key"] == "ekonomi"] == [
        "Budget 1,2 mnkr; utfall 1,15 mnkr."
    ]


def test_bad_section_input_is_refused_with_its_field(anita: TestClient) -> None:
    assert anita.put(f"{REPORT}/sections/budget", json={"text": "x"}).status_code == 422
    problem(anita.put(f"{REPORT}/sections/ekonomi", json={"text": "x" * 20_001}), 422, "text")
    problem(anita.put(f"{REPORT}/sections/ekonomi", json={"texten": "x"}), 422)
    assert anita.get(f"{REPORT}/sections/ekonomi").json()["row_version"] == 0


def test_who_may_write_approve_read_or_not_even_see(ctx: Context) -> None:
    start_ibic(ctx)
    lars = api_client(ctx, LARS)
    outsider = api_client(ctx, "okand@boras.se")

    problem(lars.put(f"{REPORT}/sections/ekonomi", json={"text": "x"}), 403)
    problem(lars.post(LESSONS, json={"lesson": "x", "category": "teknik"}), 403)
    assert lars.get(REPORT).status_code == 200
    assert outsider.get(REPORT).status_code == 404
    assert outsider.get(LESSONS).status_code == 404
    problem(api_client(ctx, ANITA).post(f"{REPORT}/approve"), 403)


def test_approval_freezes_the_report_with_409_after(ctx: Context) -> None:
    start_ibic(ctx)
    anita = api_client(ctx, ANITA)
    anita.put(f"{REPORT}/sections/sammanfattning", json={"text": "Projektet nådde sina mål."})

    approved = api_client(ctx, MALIN).post(f"{REPORT}/approve")

    assert approved.status_code == 200, approved.text
    assert approved.json()["report"]["approval"]["approved_by"] == "Malin Holmberg"
    refused = anita.put(f"{REPORT}/sections/sammanfattning", json={"text": "Ändrat"})
    assert "fastställdes" in problem(refused, 409)["detail"]
    problem(anita.post(LESSONS, json={"lesson": "x", "category": "teknik"}), 409)
    again = anita.get(REPORT).json()
    assert again["status"] == "approved" and again["report"] == approved.json()["report"]


def test_lessons_crud_and_export_read_back(anita: TestClient) -> None:
    made = anita.post(
        LESSONS,
        json={
            "lesson": "=Börja alla projekt med en förstudie",
            "category": "styrning",
            "recommendation": "Skapa samsyn först.",
        },
    )
    assert made.status_code == 201, made.text
    assert made.headers["ETag"] == '"1"' and made.json()["recorded_by"] == "Anita Lindqvist"
    location = made.headers["Location"]
    changed = anita.patch(location, json={"category": "samverkan"}, headers={"If-Match": '"1"'})
    assert changed.status_code == 200 and changed.json()["category_sv"] == "Samverkan"
    problem(anita.patch(location, json={"lesson": "y"}, headers={"If-Match": '"1"'}), 412)
    problem(anita.post(LESSONS, json={"lesson": "x", "category": "budget"}), 422, "category")

    csv = anita.get(f"{LESSONS}.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Lärdom;Kategori;Rekommendation;Registrerad av;Registrerad"
    assert lines[1].startswith("'=Börja alla projekt med en förstudie;Samverkan;")
    xlsx = anita.get(f"{LESSONS}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == "Samverkan" and sheet["D2"].value == "Anita Lindqvist"
    assert [i["lesson"] for i in anita.get(LESSONS).json()["items"]] == [
        "=Börja alla projekt med en förstudie"
    ]
