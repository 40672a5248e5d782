"""The projektledare's list in real Chromium: Mina punkter and the project's deadlines.

Sara Holm (projektledare of the demo's IBIC introduction in Alingsås) opens Mina
punkter from Översikt, follows an item to its gate page (one click, the item in
view), then opens the project's deadline view from the project page, shows only
the late items and switches to the compact table. Both pages are checked with
axe-core and looked at 1366 and 360 px wide (no sideways scroll at 360 px except
inside a `.table-wrap`); docs/screenshots/deadlines.png is the deadline view.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import IBIC, IBIC_LEADER, DemoServer, assert_accessible, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 768}


def _looks_right_on_a_phone(page: Page, name: str, folder: Path) -> None:
    """At 360 px: no sideways scroll, except inside a table's own scrolling region."""
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(folder / f"{name}-360.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} scrolls sideways at 360 px ({width} px wide)"
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(folder / f"{name}-1366.png"), full_page=False)


def test_projektledare_follows_her_items_and_filters_the_projects_deadlines(
    page: Page, server: DemoServer, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, IBIC_LEADER)
    page.goto(server.url("/"))
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mina punkter"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina punkter")
    expect(page.locator("#my-items-summary")).to_contain_text("öppna punkter")
    assert_accessible(page, "Mina punkter")
    _looks_right_on_a_phone(page, "my-items", tmp_path)

    first = page.locator(".dl-item__text a").first
    text = first.inner_text()
    href = first.get_attribute("href") or ""
    anchor = href.split("#", 1)[1]
    first.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    item = page.locator(f"#{anchor}")
    expect(item).to_contain_text(text)
    expect(item).to_be_in_viewport()

    page.goto(server.url(f"/projects/{IBIC}"))
    page.locator("#deadlines-link a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deadlines")
    total = page.locator("#deadlines-summary").inner_text()
    assert "punkter i grindarna framåt" in total

    page.get_by_role("checkbox", name="försenade").check()
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]late=1"))
    late = page.locator("#to-do-items > li")
    if late.count():
        for n in range(late.count()):
            expect(late.nth(n)).to_contain_text("försenad sedan")
    else:
        expect(page.locator("#deadlines-empty")).to_contain_text("Inga punkter matchar filtret.")

    page.get_by_role("link", name="Kompakt tabell").click()
    expect(page).to_have_url(re.compile(r"late=1.*view=table|view=table.*late=1"))
    expect(page.get_by_role("checkbox", name="försenade")).to_be_checked()
    page.get_by_role("checkbox", name="försenade").uncheck()
    page.get_by_role("button", name="Visa", exact=True).click()
    expect(page).to_have_url(re.compile(r"view=table"))
    table = page.locator("table#to-do-items")
    expect(table).to_be_visible()
    expect(table.locator("thead")).to_contain_text("Deadline")
    assert_accessible(page, "the deadline view as a table")
    page.set_viewport_size(DESKTOP)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "deadlines.png"), full_page=False)
    _looks_right_on_a_phone(page, "deadlines-table", tmp_path)

    page.get_by_role("link", name="Lista", exact=True).click()
    expect(page.locator("ol#to-do-items")).to_be_visible()
    assert_accessible(page, "the deadline view as a list")
    _looks_right_on_a_phone(page, "deadlines-list", tmp_path)
