"""The Enheter page in Chromium, with axe: filters in the address, a kommun ticked at once.

Issue 15, parts 1, 2 and 8, on the demo's 49-kommun rollout (1,004 units):
Borås's införandeansvarig finds her own units first and ticks "Förstärkt
support" for Borås Stad and all its units in one action (the result names the
item, the units stay selected, the filter stays); the regional cut-over lead
sees the kommuner with their counts, not a thousand units, picks a kommun in
the filter form, and the back button takes her back.
"""

from __future__ import annotations

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

ANNA = "anna.andersson@boras.se"  # Borås Stad's införandeansvarig in the demo
UNITS = f"/projects/{ROLLOUT}/units"
BORAS_UNITS = 39  # the kommun, two förvaltningar and 36 enheter


def test_anna_ticks_forstarkt_support_for_all_of_boras_in_one_action(
    page: Page, server: DemoServer
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, ANNA)
    page.goto(server.url(f"/projects/{ROLLOUT}"))
    page.get_by_role("link", name="Enheter och vågor i införandet").click()
    expect(page.get_by_role("heading", name="Enheter", exact=True)).to_be_visible()
    expect(page.get_by_label("Visa")).to_have_value("mina")
    boxes = page.locator('input[name="unit_keys"]')
    expect(boxes).to_have_count(BORAS_UNITS)
    expect(page.get_by_role("link", name="Beredskapen i Borås Stad").first).to_have_attribute(
        "href", f"/projects/{ROLLOUT}/readiness?kommun=boras"
    )
    assert_accessible(page, "her own units")

    page.get_by_label("Borås Stad (Kommun)").check()
    page.get_by_label("Punkt").select_option("forstarkt-support")
    page.get_by_label("Ny status").select_option("done")
    page.get_by_label("Underlag (länk eller diarienummer)").fill(
        "https://intranat.boras.se/inforande/forstarkt-support.pdf"
    )
    expect(
        page.get_by_label("Ta med enheterna under en vald kommun eller förvaltning")
    ).to_be_checked()
    page.get_by_role("button", name="Bocka av för valda enheter").click()

    result = page.locator("#bulk-result")
    expect(result).to_contain_text("Punkt: Förstärkt support vid driftstart planerad och bemannad")
    expect(result).not_to_contain_text("forstarkt-support")
    expect(result).not_to_contain_text("nekades")
    assert "visa=mina" in page.url  # the answer keeps her filter
    expect(page.get_by_label("Visa")).to_have_value("mina")
    expect(page.locator('input[name="unit_keys"]:checked')).to_have_count(BORAS_UNITS)
    assert_accessible(page, "the bulk tick's result")


def test_the_regional_lead_picks_a_kommun_and_goes_back(page: Page, server: DemoServer) -> None:
    from playwright.sync_api import expect

    log_in(page, server, ROLLOUT_LEADER)
    page.goto(server.url(UNITS))
    expect(page.get_by_role("link", name="Visa enheterna i Borås Stad")).to_be_visible()
    expect(page.locator(".unit-tree")).to_have_count(0)  # kommuner, not a thousand units
    expect(page.locator(".kommun-row")).to_have_count(49)
    assert_accessible(page, "the kommuner of the region")

    page.get_by_label("Kommun", exact=True).select_option(label="Borås Stad")
    page.get_by_label("Beredskap").select_option("inte-redo")
    page.get_by_role("button", name="Visa", exact=True).click()
    assert "kommun=boras" in page.url and "beredskap=inte-redo" in page.url
    expect(page.locator("#units-summary")).to_contain_text("matchar filtret")
    expect(page.locator(".kommun-row")).to_have_count(0)
    assert_accessible(page, "a kommun's units not ready")

    page.go_back()
    expect(page.locator(".kommun-row")).to_have_count(49)
    page.go_forward()
    expect(page.get_by_label("Kommun", exact=True)).to_have_value("boras")

    page.goto(server.url(f"{UNITS}?kommun=finns-inte"))
    expect(page.locator("#units-empty")).to_contain_text("Det finns ingen kommun ”finns-inte”")
    page.get_by_role("link", name="visa alla kommuner").click()
    expect(page.locator(".kommun-row")).to_have_count(49)


def test_the_filtered_page_at_360_px(browser: Browser, server: DemoServer) -> None:
    context = new_context(
        browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        log_in(page, server, ANNA)
        page.goto(server.url(UNITS))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the Enheter page is {width} px wide on a 360 px screen"
        assert_accessible(page, "her own units at 360 px")
    finally:
        context.close()
