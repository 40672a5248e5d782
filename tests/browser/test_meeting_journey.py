"""Steering-group meetings in real Chromium, with axe-core on every page on the way.

Sara Holm, projektledare of IBIC, goes from the project page to Styrgruppsmöten,
drafts the meeting of 20 January, adds a point of her own to the drafted agenda
and sends the kallelse, after which the underlag is frozen. Eva Granberg of the
styrgrupp, on a 360 px phone, goes from the project page to the justerat
meeting of 15 October and reads its protocol: närvarande, the decision with its
diarienummer, the justering; the page does not scroll sideways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import (
    IBIC,
    IBIC_DECIDERS,
    IBIC_LEADER,
    DemoServer,
    assert_accessible,
    log_in,
    new_context,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_the_projektledare_prepares_a_meeting_and_sends_the_kallelse(
    page: Page, server: DemoServer
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(f"/projects/{IBIC}"))
    page.get_by_role("link", name="Styrgruppsmöten: dagordning, kallelse och protokoll").click()
    expect(page.get_by_role("heading", name="Styrgruppsmöten", level=1)).to_be_visible()
    assert_accessible(page, "the meetings page")

    page.get_by_label("Datum").fill("2027-01-20")
    page.get_by_label("Tid").fill("13:00")
    page.get_by_label("Plats").fill("Stadshuset Alingsås, sammanträdesrum Mjörn")
    page.get_by_role("button", name="Ta fram dagordning").click()
    expect(
        page.get_by_role("heading", name="Styrgruppsmöte 20 januari 2027 kl. 13.00")
    ).to_be_visible()
    expect(page.locator("#agenda")).to_contain_text("Mötets öppnande, val av justerare")
    assert_accessible(page, "a drafted meeting")

    page.get_by_text("Ändra dagordningen").click()
    page.get_by_label("Rubrik").fill("Information från leverantören Tieto")
    page.get_by_role("button", name="Spara dagordningen").click()
    expect(page.get_by_text("Dagordningen är sparad.")).to_be_visible()
    expect(page.locator("#agenda")).to_contain_text("Information från leverantören Tieto")

    page.get_by_role("button", name="Skicka kallelse").click()
    expect(page.get_by_text("Kallelsen är skickad")).to_be_visible()
    expect(page.locator("#meeting-status")).to_have_text("Kallelse skickad")
    expect(page.get_by_text("Underlaget som det såg ut när kallelsen skickades.")).to_be_visible()
    expect(page.get_by_role("button", name="Skicka kallelse")).to_have_count(0)
    assert_accessible(page, "a meeting whose kallelse is sent")


def test_a_styrgrupp_member_reads_the_protocol_on_a_phone(
    browser: Browser, server: DemoServer
) -> None:
    from playwright.sync_api import expect

    context = new_context(browser, viewport=PHONE)
    try:
        page = context.new_page()
        log_in(page, server, IBIC_DECIDERS[0])
        page.goto(server.url(f"/projects/{IBIC}"))
        page.get_by_role("link", name="Styrgruppsmöten: dagordning, kallelse och protokoll").click()
        page.get_by_role("link", name="Styrgruppsmöte 15 oktober 2026 kl. 13.00").click()
        expect(page.locator("#meeting-status")).to_have_text("Justerat")
        protocol = page.locator("#protocol")
        expect(protocol).to_contain_text("Anna Lindqvist")
        expect(page.locator("#decisions")).to_contain_text("Dnr 2026.203 VON")
        expect(page.locator("#signatures")).to_contain_text("Justerat av Henrik Sjöberg")
        expect(page.get_by_role("button", name="Justera protokollet")).to_have_count(0)
        expect(page.get_by_text("För protokoll")).to_have_count(0)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the meeting page scrolls sideways ({width} px)"
        assert_accessible(page, "a justerat meeting on a phone")
        page.get_by_role("link", name="Protokoll för utskrift").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Protokoll: Styrgruppsmöte")
        assert_accessible(page, "the printable protocol")
    finally:
        context.close()
