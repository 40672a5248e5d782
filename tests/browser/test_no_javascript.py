"""Every action works without JavaScript: the checklist tick form in a browser with it off.

Runs on the VGR project (in beslut), not on IBIC which the decision flow uses,
so the two tests do not depend on each other's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import VGR, VGR_LEADER, DemoServer, log_in, new_context

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

GATE = f"/projects/{VGR}/gates/beslut-om-genomforande"
ITEM = "#item-beslut-budget"  # mandatory, evidence required, open in the demo
STALE_ITEM = "#item-beslut-resursplan"


def test_tick_form_without_javascript(browser: Browser, server: DemoServer) -> None:
    from playwright.sync_api import expect

    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, server, VGR_LEADER)
        page.goto(server.url(GATE))
        item = page.locator(ITEM)
        expect(item).to_contain_text("Ej klar")
        item.get_by_label("Underlag (länk eller diarienummer)").fill(
            "https://diariet.vgregion.example/RS-2026-01201"
        )
        item.get_by_role("button", name="Markera som klar").click()
        item = page.locator(ITEM)
        expect(item.get_by_text("Klar", exact=True)).to_be_visible()
        expect(
            item.get_by_role("link", name="https://diariet.vgregion.example/RS-2026-01201")
        ).to_be_visible()
        # and back again, still without scripts
        item.get_by_role("button", name="Markera som ej klar").click()
        expect(page.locator(ITEM).get_by_text("Ej klar", exact=True)).to_be_visible()
    finally:
        context.close()


def test_stale_tick_form_without_javascript(browser: Browser, server: DemoServer) -> None:
    """A form someone else's change overtook: a Swedish message, and their change stands."""
    from playwright.sync_api import expect

    context = new_context(browser, java_script_enabled=False)
    try:
        mine, theirs = context.new_page(), context.new_page()
        log_in(mine, server, VGR_LEADER)
        mine.goto(server.url(GATE))
        theirs.goto(server.url(GATE))
        # The item requires evidence: ticking it without would be refused.
        theirs.locator(STALE_ITEM).get_by_label("Underlag (länk eller diarienummer)").fill(
            "Dnr RS 2026-00815, resursplan beslutad av avdelningschef"
        )
        theirs.locator(STALE_ITEM).get_by_role("button", name="Markera som klar").click()
        expect(theirs.locator(STALE_ITEM).get_by_text("Klar", exact=True)).to_be_visible()

        item = mine.locator(STALE_ITEM)  # still the page from before their change
        item.get_by_label("Kommentar").fill("Resursplanen väntar på HR.")
        item.get_by_role("button", name="Markera som ej klar").click()
        expect(mine.get_by_role("alert").first).to_contain_text("ingenting har ändrats")
        mine.goto(server.url(GATE))
        expect(mine.locator(STALE_ITEM).get_by_text("Klar", exact=True)).to_be_visible()
        expect(mine.locator(STALE_ITEM)).not_to_contain_text("Resursplanen väntar på HR.")
    finally:
        context.close()
