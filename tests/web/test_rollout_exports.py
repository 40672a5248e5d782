"""The readiness exports read back: real dates, autofilter, frozen header, Swedish values, and
the open items per unit (unit, kommun, item, deadline, ansvarig by name) in CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook  # type: ignore[import-untyped]

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.services.projects import risk as risks
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from tests.factories import api_client
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, start_rollout

BASE = f"/api/v1/projects/{ROLLOUT_KEY}/readiness-review"
BORAS = ("boras-hemtjanst-norr", "boras-hemtjanst-soder")


@pytest.fixture
def client(ctx: Context) -> TestClient:
    """Three kommuner × (kommun, 2 förvaltningar, 2 enheter); Borås's enheter ready but for
    one item, one high risk open."""
    start_rollout(ctx, kommuner=3, units_per_kommun=2)
    mandatory = [e for e in ctx.catalog.checklist("cutover").items if e.mandatory]
    for entry in mandatory[1:]:
        unit_bulk.bulk_update_items(
            ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, item_id=entry.id, unit_keys=BORAS,
            status=ItemStatus.DONE, evidence="Protokoll i diariet",
        )  # fmt: skip
    risks.add_risk(
        ctx, PROJEKTLEDARE, project_key=ROLLOUT_KEY, title="Leverantörens driftmiljö är inte klar",
        probability=4, consequence=4,
    )  # fmt: skip
    return api_client(ctx)


def sheets(content: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_xlsx_has_real_dates_an_autofilter_a_frozen_header_and_swedish_values(
    client: TestClient,
) -> None:
    answer = client.get(BASE + "/waves.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    sheet = book["Vågor"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}4"
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    go_live = rows[1][header.index("Driftstart")]
    assert isinstance(go_live, datetime) and go_live.date() > date(2026, 1, 1)
    assert sheet.cell(2, header.index("Driftstart") + 1).number_format == "yyyy-mm-dd"
    values = {str(v) for row in rows[1:] for v in row if v is not None}
    assert "Planerad" in values and "planned" not in values
    assert "Skjut upp" in values
    motivation = rows[1][header.index("Motivering")]
    assert "1 öppen hög risk " in motivation and "1 öppna" not in motivation


def test_the_units_file_has_a_sheet_of_open_items_with_names_and_deadlines(
    client: TestClient,
) -> None:
    found = sheets(client.get(BASE + "/units.xlsx", params={"kommun": "boras"}).content)
    assert list(found) == ["Enheter", "Öppna punkter"]
    units = found["Enheter"]
    kinds = {row[units[0].index("Typ")] for row in units[1:]}
    assert kinds == {"Kommun", "Förvaltning", "Enhet"}
    items = found["Öppna punkter"]
    header = items[0]
    assert header[:5] == ("Kommun", "Enhet", "Enhetsnyckel", "Våg", "Punkt")
    assert {"Deadline", "Ansvarig", "Läge"} <= set(header)
    norr = [r for r in items[1:] if r[header.index("Enhetsnyckel")] == "boras-hemtjanst-norr"]
    assert len(norr) >= 1 and all(r[0] == "Borås kommun" for r in norr)
    # The one mandatory item left open in Hemtjänst Norr, with its deadline as a date.
    assert any(isinstance(r[header.index("Deadline")], datetime) for r in norr)
    # Ansvarig by name, inherited from the kommun: never an id, never blank here.
    who = {r[header.index("Ansvarig")] for r in items[1:]}
    assert "Införandeansvarig Borås (via Borås kommun)" in who
    assert all(w for w in who)
    assert {r[header.index("Läge")] for r in items[1:]} <= {"Öppen", "Försenad",
                                                            "Klar, underlag saknas"}  # fmt: skip


def test_the_open_items_csv_has_the_same_columns_and_rows(client: TestClient) -> None:
    answer = client.get(BASE + "/open-items.csv", params={"kommun": "boras"})
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    assert "oppna-punkter" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    xlsx = sheets(client.get(BASE + "/open-items.xlsx", params={"kommun": "boras"}).content)
    same = xlsx["Öppna punkter"]
    assert tuple(rows[0]) == same[0]
    assert len(rows) == len(same)
    deadline = rows[0].index("Deadline")
    for text_row, sheet_row in zip(rows[1:], same[1:], strict=True):
        assert text_row[:3] == [str(v) for v in sheet_row[:3]]
        if sheet_row[deadline] is not None:
            assert text_row[deadline] == sheet_row[deadline].date().isoformat()


def test_an_unknown_kommun_is_refused_and_a_stranger_gets_nothing(
    ctx: Context, client: TestClient
) -> None:
    answer = client.get(BASE + "/open-items.csv", params={"kommun": "finns-inte"})
    assert answer.status_code == 422 and answer.json()["field"] == "kommun"
    stranger = api_client(ctx, "okand@example.se")
    assert stranger.get(BASE + "/open-items.xlsx").status_code in (403, 404)
