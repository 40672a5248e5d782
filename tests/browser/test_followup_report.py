"""The projektledare prints the follow-up report, in real Chromium.

Sara Holm (projektledare of the demo's IBIC introduction in Alingsås) opens the
Uppföljningsrapport from the project page (one click), asks for a day after
today and is told why not (the error summary, linked to the date field), asks
for today, prints the page (print media: the date form and links are gone,
the aktivitetsplan is there) and downloads it as a PDF; then opens the report
of all her projects from Översikt. Each page is checked with axe-core and
looked at 1366 and 360 px wide (no sideways scroll at 360 px except inside a
`.table-wrap`); docs/screenshots/followup-report-1366.png and -360.png are
the report as she sees it.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import IBIC, IBIC_LEADER, DemoServer, assert_accessible, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}


def _looks_right(page: Page, name: str, folder: Path) -> None:
    """At 360 px: no sideways scroll (tables scroll in their own region); both sizes saved."""
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{name}-360.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px wide)"
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}-1366.png"), full_page=False)


def test_projektledare_prints_the_followup_report(
    page: Page, server: DemoServer, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(f"/projects/{IBIC}"))
    page.locator("#followup-report-link a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljningsrapport per")
    table = page.locator(".fr-table")
    expect(table).to_contain_text("Ökad kunskap i IBIC")
    expect(table).to_contain_text("Skjuts till")
    assert_accessible(page, "the follow-up report")
    _looks_right(page, "followup-report", tmp_path)

    future = (date.today() + timedelta(days=30)).isoformat()
    page.get_by_label("Rapportdatum").fill(future)
    page.get_by_role("button", name="Visa rapporten").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("ligger i framtiden")
    assert_accessible(page, "the follow-up report with a refused date")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Rapportdatum")).to_be_focused()

    page.get_by_label("Rapportdatum").fill(date.today().isoformat())
    page.get_by_role("button", name="Visa rapporten").click()
    expect(page.locator(".fr-table")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator("#choose-date")).to_be_hidden()
    expect(page.locator("#report-files")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".fr-table")).to_be_visible()
    printed = page.pdf(format="A4")
    assert printed.startswith(b"%PDF-")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(tmp_path / "followup-report-print.png"), full_page=False)
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    path = download.value.path()
    assert download.value.suggested_filename.startswith(f"uppfoljning-{IBIC}-")
    assert Path(path).read_bytes().startswith(b"%PDF-")

    page.goto(server.url("/"))
    page.locator("#portfolio-report-link a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uppföljningsrapport per")
    expect(page.locator(".fr-section h2").first).to_be_visible()
    assert_accessible(page, "the follow-up report of all projects")
    _looks_right(page, "followup-portfolio", tmp_path)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for size in ("1366", "360", "print"):
        (SCREENSHOTS / f"followup-report-{size}.png").write_bytes(
            (tmp_path / f"followup-report-{size}.png").read_bytes()
        )
    (SCREENSHOTS / "followup-portfolio-1366.png").write_bytes(
        (tmp_path / "followup-portfolio-1366.png").read_bytes()
    )
