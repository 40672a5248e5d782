"""The projektledare writes the slutrapport and prints it, in real Chromium.

Katarina Sjögren (projektledare of "Vårdens medarbetare", the demo project in
driftöverlämning) signs in, follows the project page's "Slutrapport" link,
writes the Ekonomi section, sees it in the report, adds a lärdom, and prints:
in print the edit links and buttons are gone, and the PDF link gives a PDF.
axe-core checks each new page, also at 360 px wide (nothing wider than the
screen but the tables, which scroll in their own region).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import DemoServer, assert_accessible, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PROJECT = "vardens-medarbetare"
LEADER = "katarina.sjogren@skaraborg.example"
EKONOMI = "Projektet finansierades med stimulansmedel: 1,2 mnkr, varav 1,15 mnkr använt."


def _fits_360(page: Page, what: str) -> None:
    size = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 780})
    try:
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{what} is {overflow} px too wide at 360 px"
        assert_accessible(page, f"{what} at 360 px")
    finally:
        if size:
            page.set_viewport_size(size)


def test_the_projektledare_writes_a_section_and_prints_the_slutrapport(
    page: Page, server: DemoServer
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, LEADER)
    page.goto(server.url(f"/projects/{PROJECT}"))
    page.locator("#final-report-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slutrapport: Vårdens medarbetare")
    expect(page.locator("#phases-table")).to_contain_text("Förstudie klar")
    assert_accessible(page, "the slutrapport")
    _fits_360(page, "the slutrapport")

    page.locator("#edit-ekonomi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ekonomi")
    assert_accessible(page, "a section's edit page")
    _fits_360(page, "a section's edit page")
    page.get_by_label("Text").fill(EKONOMI)
    page.get_by_role("button", name="Spara avsnittet").click()
    expect(page.get_by_role("status").filter(has_text="Avsnittet är sparat")).to_be_visible()
    expect(page.locator("#section-ekonomi + .sr-text")).to_contain_text("1,15 mnkr")

    page.locator("#lessons-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lärdomar")
    form = page.locator("form#add-lesson")
    form.get_by_label("Lärdom").fill(
        "Lita på att verksamhetens representanter vet vad som är viktigt"
    )
    form.get_by_label("Kategori").select_option("samverkan")
    form.get_by_role("button", name="Registrera lärdomen").click()
    expect(page.locator("#lesson-table")).to_contain_text("Lita på att verksamhetens")
    assert_accessible(page, "the lessons page")
    _fits_360(page, "the lessons page")

    page.goto(server.url(f"/projects/{PROJECT}/final-report"))
    expect(page.locator("#lessons-table")).to_contain_text("Lita på att verksamhetens")
    page.emulate_media(media="print")
    expect(page.locator("#edit-ekonomi")).to_be_hidden()
    expect(page.locator("#report-pdf")).to_be_hidden()
    expect(page.locator("#phases-table")).to_be_visible()
    page.emulate_media(media="screen")
    pdf = page.request.get(server.url(f"/projects/{PROJECT}/final-report.pdf"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
