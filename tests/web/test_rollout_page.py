"""The beredskapsgenomgång page and the steering group's printable report (signed in)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gatekeeper.core.status import ItemStatus
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.services.rollout import bulk_tick as unit_bulk
from tests.apps import app_for
from tests.factories import ADMIN
from tests.rollout_factories import PROJEKTLEDARE, ROLLOUT_KEY, start_rollout
from tests.web.test_login import csrf_of

PASSWORD = "Kritisk linje 2027!"
PAGE = f"/projects/{ROLLOUT_KEY}/readiness"


def signed_in(ctx: Context, email: str, name: str) -> TestClient:
    accounts.create_user(ctx, ADMIN, email=email, name=name)
    logins.set_password(ctx, ADMIN, email=email, password=PASSWORD)
    client = TestClient(app_for(ctx))
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "next": "/", "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return client


@pytest.fixture
def karin(ctx: Context) -> TestClient:
    """The projektledare, signed in; Borås's enheter ready, the rest not."""
    start_rollout(ctx, kommuner=3, units_per_kommun=2)
    for entry in ctx.catalog.checklist("cutover").items:
        if entry.mandatory:
            unit_bulk.bulk_update_items(
                ctx,
                PROJEKTLEDARE,
                project_key=ROLLOUT_KEY,
                item_id=entry.id,
                unit_keys=["boras-hemtjanst-norr", "boras-hemtjanst-soder"],
                status=ItemStatus.DONE,
                evidence="Protokoll i diariet",
            )
    return signed_in(ctx, PROJEKTLEDARE.id, "Karin Olsson")


def heatmap(html: str) -> str:
    match = re.search(r'<table id="heatmap".*?</table>', html, re.S)
    assert match, "no heatmap table"
    return match.group(0)


def kommun_heatmap(html: str) -> str:
    match = re.search(r'<table id="kommun-table".*?</table>', html, re.S)
    assert match, "no kommun heatmap"
    return match.group(0)


def category_heads(table: str) -> list[tuple[str, str]]:
    """(abbreviation shown, name read out) of each category column."""
    return re.findall(
        r'<th scope="col" class="rr-cat"><span aria-hidden="true">([^<]*)</span>'
        r'<span class="visually-hidden">([^<]*)</span></th>',
        table,
    )


def assert_graded(table: str) -> set[str]:
    """Every cell says its share in text and carries its step's pattern class; the steps
    found. Never colour alone: the class only repeats the text."""
    cells = re.findall(r'<td class="rr-cell rr-g(\d|-none)[^"]*">(.*?)</td>', table, re.S)
    assert cells
    bands = {"0": (0, 24), "1": (25, 49), "2": (50, 74), "3": (75, 99), "4": (100, 100)}
    for step, body in cells:
        if step == "-none":
            assert "Inga punkter" in body
            continue
        share = re.search(r"(\d+) %", body)
        assert share, body
        low, high = bands[step]
        assert low <= int(share.group(1)) <= high
        assert re.search(r'class="visually-hidden"> \(\d+ av \d+\)', body)
    return {step for step, _ in cells}


def test_by_default_the_heatmap_is_per_kommun_with_links_to_its_units(karin: TestClient) -> None:
    answer = karin.get(PAGE)
    assert answer.status_code == 200, answer.text
    assert 'id="heatmap"' not in answer.text and 'id="heatmap-choose"' in answer.text
    table = kommun_heatmap(answer.text)
    assert "<caption" in table
    assert re.findall(r'<th scope="col">([^<]*)</th>', table)[0] == "Kommun"
    assert category_heads(table)[:2] == [("Pla.", "Planering"), ("Tek.", "Teknik")]
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', table)
    assert [name for _, name in rows] == ["Alingsås kommun", "Borås kommun", "Lerums kommun"]
    assert rows[1][0] == f"{PAGE}?kommun=boras#heatmap-heading"
    assert_graded(table)
    assert "2 av 5 (40 %)" in table


def test_the_heatmap_is_a_table_with_headers_and_text_in_every_cell(karin: TestClient) -> None:
    answer = karin.get(PAGE, params={"kommun": "boras"})
    assert answer.status_code == 200, answer.text
    table = heatmap(answer.text)
    assert "<caption" in table
    headers = re.findall(r'<th scope="col">([^<]*)</th>', table)
    assert headers[:2] == ["Enhet", "Redo"]
    assert ("Pla.", "Planering") in category_heads(table)
    assert table.count('scope="rowgroup"') == 1  # the chosen kommun
    assert re.search(r'<th scope="rowgroup"[^>]*>Borås kommun – 2 av 5 enheter redo', table)
    steps = assert_graded(table)
    assert {"0", "4"} <= steps  # Borås's ready units at 100 %, the kommun's own at 0
    assert "✓ Redo" in table and "✗ Inte redo" in table


def test_the_page_shows_waves_blockers_kritisk_linje_and_exports(karin: TestClient) -> None:
    html = karin.get(PAGE).text
    assert "<h1" in html and "Beredskapsgenomgång" in html
    assert 'id="wave-table"' in html and "Våg 1 – pilotkommuner" in html
    assert "Förslag till beslut" in html and "Skjut upp" in html
    assert 'id="critical-heading"' in html and "Prognos vid driftstart" in html
    assert 'id="kommun-table"' in html
    for href in ("/report", "/units.csv", "/units.xlsx", "/waves.csv", "/waves.xlsx"):
        assert f'href="{PAGE}{href}"' in html


def test_the_filter_is_a_plain_get_form(karin: TestClient) -> None:
    html = karin.get(PAGE).text
    assert re.search(rf'<form method="get" action="{PAGE}"', html)
    assert '<select id="filter-wave" name="wave">' in html
    filtered = karin.get(PAGE, params={"wave": "vag-2"}).text
    assert '<option value="vag-2" selected>' in filtered
    table = heatmap(filtered)
    assert "Alingsås kommun" in table and "Borås kommun" not in table
    assert f'href="{PAGE}/units.csv?wave=vag-2"' in filtered
    assert karin.get(PAGE, params={"kommun": "finns-inte"}).status_code == 422


def test_exports_download_with_the_session(karin: TestClient) -> None:
    answer = karin.get(PAGE + "/units.csv", params={"kommun": "boras"})
    assert answer.status_code == 200 and answer.content.startswith(b"\xef\xbb\xbf")
    assert len(answer.content.decode("utf-8-sig").strip().splitlines()) == 1 + 5
    assert karin.get(PAGE + "/waves.xlsx").content[:2] == b"PK"


def test_the_printable_report_suggests_a_decision_per_wave(karin: TestClient) -> None:
    answer = karin.get(PAGE + "/report")
    assert answer.status_code == 200
    html = answer.text
    assert "Beredskapsrapport inför driftstart" in html
    assert html.count('class="rr-suggestion"') == 3
    assert "framräknat ur prognosen, inte ett beslut" in html
    assert "Enheter som inte är redo" in html and "Borås kommun" in html
    assert "rollout.css" in html  # the print rules


def test_english(karin: TestClient) -> None:
    karin.post("/language", data={"language": "en", "csrf_token": csrf_of(karin), "next": "/"})
    html = karin.get(PAGE).text
    assert "Cut-over readiness review" in html and "expected ready at go-live" in html
    report = karin.get(PAGE + "/report").text
    assert "Proposed decision" in report and "Postpone" in report


def test_outsiders_get_404_and_visitors_the_login(ctx: Context, karin: TestClient) -> None:
    outsider = signed_in(ctx, "okand@example.se", "Okänd")
    assert outsider.get(PAGE).status_code == 404
    assert outsider.get(PAGE + "/report").status_code == 404
    anonymous = TestClient(karin.app)
    answer = anonymous.get(PAGE, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_project_page_links_to_the_review(karin: TestClient) -> None:
    html = karin.get(f"/projects/{ROLLOUT_KEY}").text
    assert f'href="{PAGE}"' in html
