"""The projektledare's week in real Chromium: a risk added, an activity postponed.

Sara Holm (projektledare of IBIC in Alingsås) signs in, goes from Översikt to
her project, follows the risk section's link to the risk page, adds a risk,
then edits an activity of the aktivitetsplan: "Skjuts till" a date, with a
kommentar. The project page shows both. axe-core checks each new page (the
risk page, the risk page with a refused form, the activity's edit page, the
aktivitetsplan), and each is looked at 360 px wide too: nothing wider than
the screen but the tables, which scroll in their own region.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import IBIC, IBIC_LEADER, DemoServer, assert_accessible, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

RISK = "Ombuden hinner inte gå handledarutbildningen före driftstart"
ACTIVITY = "Beslutade rutiner för löpande kvalitetskontroller"
COMMENT = "Rutinerna väntar på nämndens beslut om kvalitetsledningssystemet."


def _fits_360(page: Page, what: str) -> None:
    """At 360 px the page does not scroll sideways (tables scroll inside their region)."""
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


def test_the_projektledare_adds_a_risk_and_postpones_an_activity(
    page: Page, server: DemoServer
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, IBIC_LEADER)
    page.goto(server.url("/"))
    page.get_by_role("link", name="Införande av IBIC").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Införande av IBIC")

    # One click from the risk section to the risk page.
    page.locator("#risks-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risker")
    assert_accessible(page, "the risk page")
    _fits_360(page, "the risk page")

    form = page.locator("form#add-risk")
    form.get_by_label("Titel").fill(RISK)
    form.get_by_label("Sannolikhet (1–4)").select_option("2")
    form.get_by_label("Konsekvens (1–4)").select_option("2")
    form.get_by_label("Åtgärd").fill("Två utbildningstillfällen i januari; ombuden bokas nu.")
    form.get_by_label("Ansvarig").select_option(label="Sara Holm")
    form.get_by_role("button", name="Registrera risken").click()
    expect(page.get_by_role("status").filter(has_text="Risken är registrerad")).to_be_visible()
    row = page.locator("#risk-table tr", has_text=RISK)
    expect(row).to_contain_text("4 – måttlig")
    expect(row).to_contain_text("Sara Holm")

    # A refused form: the title left empty is marked, nothing is saved.
    form = page.locator("form#add-risk")
    form.get_by_role("button", name="Registrera risken").click()
    expect(page.get_by_role("alert")).to_contain_text("Risken får inte vara tom")
    expect(page.locator("#add-risk-title")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the risk page with a refused form")

    # The aktivitetsplan: the activity is postponed to a date, with a kommentar.
    page.goto(server.url(f"/projects/{IBIC}"))
    page.locator("#activities-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktivitetsplan")
    assert_accessible(page, "the aktivitetsplan")
    _fits_360(page, "the aktivitetsplan")
    page.get_by_role("link", name=ACTIVITY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ACTIVITY)
    assert_accessible(page, "an activity's edit page")
    _fits_360(page, "an activity's edit page")
    edit = page.locator("form#edit-activity")
    edit.get_by_label("Status").select_option("postponed")
    edit.get_by_label("Skjuts till (datum)").fill("2027-03-01")
    edit.get_by_label("Kommentar").fill(COMMENT)
    edit.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_role("status").filter(has_text="Aktiviteten är sparad")).to_be_visible()
    row = page.locator("#activity-table tr", has_text=ACTIVITY)
    expect(row).to_contain_text("Skjuts till 1 mars 2027")
    expect(row).to_contain_text(COMMENT)

    # Both show on the project page.
    page.goto(server.url(f"/projects/{IBIC}"))
    expect(page.locator("#risk-list")).to_contain_text(RISK)
    activity = page.locator("#activities-table tr", has_text=ACTIVITY)
    expect(activity).to_contain_text("Skjuts till 1 mars 2027")
    expect(activity).to_contain_text(COMMENT)
