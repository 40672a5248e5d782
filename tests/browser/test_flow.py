"""A gate decided in real Chromium, as the people of the IBIC project would do it.

Sara Holm (projektledare) ticks a failing go-live item with evidence and asks
for a review; Eva Granberg and Henrik Sjöberg of the styrgrupp each sign in and
vote go, with a motivation for going ahead although criteria still fail (two of
the three seats decide); the project page then shows the new phase and the gate
page links the beslutsprotokoll. axe-core checks the pages as they look along
the way (an open review, the vote form, the decided gate, the protocol).
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
    log_out,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

GATE = f"/projects/{IBIC}/gates/go-live"
ITEM = "#item-inforandestart-uppfoljning"  # mandatory, evidence required, open in the demo
EVIDENCE = "Dnr VOF 2026/0412"


def _vote_go(page: Page, server: DemoServer, email: str, *, then: str) -> None:
    """Sign in as `email`, vote go on the open review; `then` is the page's answer."""
    from playwright.sync_api import expect

    log_in(page, server, email)
    page.goto(server.url(GATE))
    vote = page.locator("form#vote")
    expect(vote).to_be_visible()
    assert_accessible(page, f"the gate page with the vote form ({email})")
    vote.get_by_label("Beslut", exact=True).select_option("go")
    vote.get_by_label("Motivering", exact=True).fill(
        "Införandestarten är förberedd; kvarvarande punkter följs upp på veckomötet."
    )
    # Criteria still fail (three mandatory items open, a risk scored 9): going ahead needs
    # a motivation of its own.
    vote.get_by_label("Motivering till att gå vidare trots ej uppfyllda kriterier").fill(
        "Driftstarten 1 december kan inte flyttas; riskerna hanteras i restlistan."
    )
    vote.get_by_role("button", name="Lägg röst").click()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text=then)).to_be_visible()
    log_out(page)


def test_tick_review_vote_and_phase_change(page: Page, server: DemoServer) -> None:
    from playwright.sync_api import expect

    # The projektledare ticks a failing item with its evidence.
    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(f"/projects/{IBIC}"))
    expect(page.locator("#current-phase")).to_contain_text("Genomförande")
    page.goto(server.url(GATE))
    item = page.locator(ITEM)
    expect(item).to_contain_text("Ej klar")
    item.get_by_label("Underlag (länk eller diarienummer)").fill(EVIDENCE)
    item.get_by_role("button", name="Markera som klar").click()
    expect(page.get_by_role("status").filter(has_text="Punkten är sparad")).to_be_visible()
    item = page.locator(ITEM)
    expect(item).to_contain_text(EVIDENCE)
    expect(item.get_by_text("Klar", exact=True)).to_be_visible()

    # … and asks the styrgrupp for a review.
    request = page.locator("form#request-review")
    request.get_by_label("Meddelande till beslutsfattarna").fill(
        "Underlaget för go-live är klart för beslut."
    )
    request.get_by_role("button", name="Begär granskning").click()
    expect(page.get_by_role("status").filter(has_text="Granskningen är begärd")).to_be_visible()
    expect(page.get_by_role("heading", name="Öppen granskning")).to_be_visible()
    assert_accessible(page, "the gate page with an open review (projektledare)")
    log_out(page)

    # Two of the three styrgrupp seats vote go.
    first, second = IBIC_DECIDERS
    _vote_go(page, server, first, then="Din röst är lagd.")
    _vote_go(page, server, second, then="Grinden är beslutad: Go.")

    # The project has moved on, and the decision has its protocol.
    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(f"/projects/{IBIC}"))
    expect(page.locator("#current-phase")).to_contain_text("Driftöverlämning")
    page.goto(server.url(GATE))
    assert_accessible(page, "the decided gate page")
    page.get_by_role("link", name="Beslutsprotokoll").first.click()
    expect(page.get_by_role("heading", name="Beslutsprotokoll", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Go-live / driftstart")
    expect(page.get_by_role("note")).to_contain_text("trots att kriterierna inte var uppfyllda")
    expect(page.locator("main")).to_contain_text("Driftstarten 1 december kan inte flyttas")
    assert_accessible(page, "the protocol of the new decision")
