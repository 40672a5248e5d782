"""The regional cut-over lead's week: from Översikt to the readiness review in one click, one
figure per wave with a forecast that agrees with its suggestion, a graded heatmap that fits
1366 px, a kommun's units, the report and its PDF; axe at 1366 and 360 px."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import (
    ROLLOUT,
    ROLLOUT_LEADER,
    DemoServer,
    assert_accessible,
    log_in,
    new_context,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

REVIEW = f"/projects/{ROLLOUT}/readiness"


def test_the_lead_reads_one_figure_per_wave_and_a_graded_heatmap(
    browser: Browser, server: DemoServer
) -> None:
    context = new_context(browser, viewport={"width": 1366, "height": 900})
    page: Page = context.new_page()
    try:
        log_in(page, server, ROLLOUT_LEADER)
        page.goto(server.url("/"))
        units_link = page.locator(f'a.ov-units[href="{REVIEW}"]')
        assert re.fullmatch(
            r"[\d\s\u00a0]+ av 1\u00a0004 enheter redo \(\d+ %\)", units_link.inner_text()
        )
        units_link.click()
        page.wait_for_url(re.compile(re.escape(REVIEW) + "$"))
        # The rule is on the page, and no wave says go next to a postponing forecast.
        assert "Förslaget följer av prognosen" in page.locator("#suggestion-rule").inner_text()
        for row in page.locator("#wave-table tbody tr").all():
            forecast = row.locator("td").nth(2).inner_text()
            decision = row.locator("td").nth(3).inner_text()
            expected, units = (int(n) for n in re.findall(r"\d+", forecast)[:2])
            if decision.startswith("✓"):
                assert expected == units
            if expected < units:
                assert not decision.startswith("✓")
        # The kommun heatmap fits 1366 px: no sideways scrolling, in the page or the table.
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        wrap = page.locator("#kommun-table").locator("xpath=..")
        assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
        cells = page.locator("#kommun-table td.rr-cell")
        assert cells.count() > 400
        first = cells.first
        assert re.search(r"\d+ %", first.inner_text())
        assert re.search(r"rr-g[0-4]", first.get_attribute("class") or "")
        assert_accessible(page, "the readiness review at 1366 px")
        page.locator("#kommun-table").get_by_role("link", name="Borås Stad").click()
        page.wait_for_url(re.compile(r"kommun=boras"))
        assert page.locator("#heatmap tbody tr").count() > 30
        assert_accessible(page, "the readiness review of Borås")
        page.locator("#exports").get_by_role("link", name="Utskriftsvänlig rapport").click()
        assert page.locator(".rr-kommuner").count() >= 1
        assert_accessible(page, "the readiness report of Borås")
        pdf = page.request.get(server.url(f"{REVIEW}/report.pdf?kommun=boras"))
        assert pdf.status == 200 and pdf.body()[:5] == b"%PDF-"
    finally:
        context.close()


def test_the_review_at_360_px(browser: Browser, server: DemoServer) -> None:
    context = new_context(browser, viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        log_in(page, server, ROLLOUT_LEADER)
        page.goto(server.url(REVIEW))
        # The page itself does not scroll sideways; wide tables scroll in their own region.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page, "the readiness review at 360 px")
    finally:
        context.close()
