"""The styrgrupp's way to a decision in real Chromium: Översikt → decision screen → vote.

On its own demo server (the shared one's IBIC go-live is decided by test_flow):
Sara Holm asks for the go-live review; Eva Granberg finds "Väntar på din röst"
on Översikt and is one click from the decision screen, which fits in less than
two screen heights at 1366×768, reaches the vote form in at most ten Tab
presses (through the skip link) and passes axe-core; she votes. Henrik Sjöberg
opens the screen on a 360 px phone, signed out first (the deep link survives
the login), casts the deciding vote and sees the decision and the protocol link.
After the decision, Per Almqvist records a late vote against it and a
reservation on the protocol, and Sara Holm registers its diarienummer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import (
    DEMO_PASSWORD,
    IBIC,
    IBIC_DECIDERS,
    IBIC_LEADER,
    DemoServer,
    assert_accessible,
    demo_server,
    log_in,
    log_out,
    new_context,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

GATE = f"/projects/{IBIC}/gates/go-live"
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "decision-screen.png"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
MAX_TABS = 10
LATE_MEMBER = "per.almqvist@alingsas.example"  # the styrgrupp's third seat


@pytest.fixture(scope="module")
def journey_server(
    chromium_ready: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    with demo_server(tmp_path_factory.mktemp("journey-demo")) as running:
        yield running


def _tabs_to_vote_form(page: Page) -> int:
    """Tab presses from the top of the page until the focus is in the vote form (the
    skip link to it is followed with Enter, as a keyboard user does)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        where = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e.closest('form#vote') ? 'form' : (e.getAttribute('href') || ''); }"
        )
        if where == "form":
            return presses
        if where == "#vote-heading":
            page.keyboard.press("Enter")
    return MAX_TABS + 1


def _vote_go(page: Page, motivation: str) -> None:
    vote = page.locator("form#vote")
    vote.get_by_label("Beslut", exact=True).select_option("go")
    vote.get_by_label("Motivering", exact=True).fill(motivation)
    override = vote.get_by_label("Motivering till att gå vidare trots ej uppfyllda kriterier")
    if override.count():
        override.fill("Driftstarten kan inte flyttas; kvarvarande punkter följs i restlistan.")
    vote.get_by_role("button", name="Lägg röst").click()


def test_from_overview_to_the_decision_and_its_protocol(
    browser: Browser, journey_server: DemoServer
) -> None:
    from playwright.sync_api import expect

    server = journey_server
    desktop = new_context(browser, viewport=DESKTOP)
    page = desktop.new_page()

    # The projektledare asks for the go-live review.
    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(GATE))
    page.locator("form#request-review").get_by_role("button", name="Begär granskning").click()
    expect(page.get_by_role("status").filter(has_text="Granskningen är begärd")).to_be_visible()
    log_out(page)

    # Eva: Översikt → one click → the decision screen.
    first, second = IBIC_DECIDERS
    log_in(page, server, first)
    page.goto(server.url("/"))
    page.get_by_role("link", name="Väntar på din röst: Go-live / driftstart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beslut: Go-live / driftstart")
    screen = page.url.removeprefix(server.base_url)
    assert screen.startswith(f"/projects/{IBIC}/reviews/")
    expect(page.locator("#not-voted")).to_contain_text("Eva Granberg")
    expect(page.locator("details#open-items")).not_to_have_attribute("open", "")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2 * DESKTOP["height"], f"the decision screen is {height} px high"
    assert _tabs_to_vote_form(page) <= MAX_TABS
    page.goto(server.url(screen))
    assert_accessible(page, "the decision screen with the vote form")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))

    _vote_go(page, "Införandestarten är förberedd; resten följs upp på veckomötet.")
    expect(page.get_by_role("status").filter(has_text="Din röst är lagd.")).to_be_visible()
    assert page.url.removeprefix(server.base_url).startswith(screen)
    expect(page.locator("#votes")).to_contain_text("Eva Granberg")
    log_out(page)
    desktop.close()

    # Henrik, on a phone, signed out: the deep link leads through the login to the screen.
    phone = new_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(server.url(screen))
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()
    page.get_by_label("E-postadress").fill(second)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Beslut: Go-live / driftstart")
    assert page.url.removeprefix(server.base_url) == screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the decision screen scrolls sideways ({width} px)"
    assert_accessible(page, "the decision screen at 360 px")

    _vote_go(page, "Instämmer: supporten är bemannad första veckan.")
    expect(page.get_by_role("status").filter(has_text="Grinden är beslutad: Go.")).to_be_visible()
    expect(page.locator("#result")).to_contain_text("Go")
    page.locator("#result").get_by_role("link", name="Beslutsprotokoll").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Beslutsprotokoll")
    protocol = page.url.removeprefix(server.base_url)
    phone.close()

    # After the decision: Per Almqvist, who had not voted, records a late vote against
    # it and a reservation; both stand in the protocol, and the decision stays a go.
    desktop = new_context(browser, viewport=DESKTOP)
    page = desktop.new_page()
    log_in(page, server, LATE_MEMBER)
    page.goto(server.url(protocol))
    expect(page.locator("#protocol-seats")).to_contain_text("Per Almqvist")
    late = page.locator("form#late-vote")
    late.get_by_label("Röst", exact=True).select_option("no_go")
    late.get_by_label("Motivering", exact=True).fill(
        "Supporten är inte bemannad för kvällspasset; driftstarten borde vänta en vecka."
    )
    late.get_by_role("button", name="Registrera sen röst").click()
    expect(
        page.get_by_role("status").filter(has_text="Din sena röst är registrerad")
    ).to_be_visible()
    reservation = page.locator("form#reservation")
    reservation.get_by_label("Din reservation").fill(
        "Jag reserverar mig: kvällspersonalen i hemtjänsten har inte fått utbildningen."
    )
    reservation.get_by_role("button", name="Reservera mig").click()
    expect(page.get_by_role("status").filter(has_text="reservation mot beslutet")).to_be_visible()
    expect(page.locator("#reservations")).to_contain_text("Per Almqvist reserverar sig")
    expect(page.locator("#protocol-seats")).to_contain_text("sen röst")
    assert_accessible(page, "the protocol with a late vote and a reservation")
    log_out(page)

    # The projektledare files the protocol and registers its diarienummer.
    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(protocol))
    page.get_by_label("Registrera diarienummer").fill("Dnr VON 2026/0412")
    page.get_by_role("button", name="Spara diarienumret").click()
    expect(page.get_by_role("status").filter(has_text="Dnr VON 2026/0412")).to_be_visible()
    desktop.close()
