"""The projektledare records a measurement in real Chromium, and axe checks the goal pages.

Sara Holm (projektledare of IBIC in Alingsås) goes from her project page to
"Mål och nytta" (one click), opens the effektmål on training, records the
measurement of the week (first refused: a value that is no number), and sees
it in the table against the last one. axe-core checks the goals page, the
goal page and the refused form; each is looked at 360 px wide too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import IBIC, IBIC_LEADER, DemoServer, assert_accessible, log_in
from tests.browser.test_projektledare_journey import _fits_360

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


def test_the_projektledare_records_a_measurement_against_the_last(
    page: Page, server: DemoServer
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(f"/projects/{IBIC}"))
    page.locator("#goals-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål och nytta")
    expect(page.get_by_role("heading", name="Effektmål", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Nytta", exact=True)).to_be_visible()
    assert_accessible(page, "the goals page")
    _fits_360(page, "the goals page")

    page.get_by_role("link", name="Alla som arbetar med IBIC har gått utbildningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Alla som arbetar med IBIC har gått utbildningen"
    )
    expect(page.get_by_role("img", name="Mätningar: Alla som arbetar med IBIC")).to_be_visible()
    assert_accessible(page, "the goal page")
    _fits_360(page, "the goal page")

    form = page.locator("form#add-measurement")
    form.get_by_label("Värde").fill("ungefär 70")
    form.get_by_role("button", name="Registrera mätningen").click()
    expect(page.get_by_role("alert")).to_contain_text("ska vara ett tal")
    expect(page.locator("#add-measurement-value")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "the goal page with a refused measurement")

    form = page.locator("form#add-measurement")
    form.get_by_label("Värde").fill("71,5")
    form.get_by_label("Källa").fill("Deltagarlistor")
    form.get_by_label("Kommentar").fill("Utförarpersonalen i hemtjänsten utbildad.")
    form.get_by_role("button", name="Registrera mätningen").click()
    expect(page.get_by_role("status").filter(has_text="Mätningen är registrerad")).to_be_visible()
    latest = page.locator("#measurement-table tbody tr").first
    expect(latest).to_contain_text("71,5")
    expect(latest).to_contain_text("+7,5")
    expect(latest).to_contain_text("18,5 kvar")
