"""The projektledare moves a gate date in real Chromium: preview first, then confirm.

Daniel Forsberg (projektledare of the VGR Millennium project, in beslut) opens
"Flytta datum" for Beslut om genomförande from the project's timeline, asks to
move it four weeks with the later gates, sees in the preview that go-live,
driftöverlämning and uppföljning move as much, confirms, and finds the new
dates in the timeline. The preview page is checked with axe-core and saved as
docs/screenshots/date-move-preview.png (1366 px), and looked at 360 px wide.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import VGR, VGR_LEADER, DemoServer, assert_accessible, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_projektledare_moves_a_gate_date_through_the_preview(
    page: Page, server: DemoServer, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, VGR_LEADER)
    page.goto(server.url(f"/projects/{VGR}"))
    page.get_by_role("link", name="Flytta datum: Beslut om genomförande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beslut om genomförande")

    page.get_by_label("Nytt måldatum").fill("2027-02-25")
    page.get_by_label("Flytta de senare grindarna lika många dagar").check()
    page.get_by_role("button", name="Visa vad som flyttas").click()

    gates = page.locator("#preview-gates")
    expect(gates).to_contain_text("Beslut om genomförande")
    expect(gates).to_contain_text("25 februari 2027")
    expect(gates).to_contain_text("Go-live / driftstart")
    expect(gates).to_contain_text("2 november 2027")  # 5 oktober + 28 dagar
    expect(gates).to_contain_text("11 januari 2028")  # 14 december + 28 dagar
    expect(page.locator("#preview-reminders")).to_be_visible()
    assert_accessible(page, "the date-move preview")
    page.set_viewport_size({"width": 1366, "height": 768})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "date-move-preview.png"), full_page=False)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(tmp_path / "date-move-preview-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the preview scrolls sideways at 360 px ({width} px wide)"
    page.set_viewport_size({"width": 1366, "height": 768})

    page.get_by_role("button", name="Bekräfta flytten").click()
    expect(
        page.get_by_role("status").filter(has_text="är flyttat till 25 februari 2027")
    ).to_be_visible()
    timeline = page.locator("#timeline-table")
    expect(timeline).to_contain_text("25 februari 2027")
    expect(timeline).to_contain_text("2 november 2027")
    expect(timeline).to_contain_text("11 januari 2028")
