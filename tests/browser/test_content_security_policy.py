"""The Content-Security-Policy breaks no page: Chromium reports no violation on any of them.

Chromium writes a console error for every script, style or attribute the
policy refuses; each page of the accessibility suite (signed in as one who
may see it) is opened and none may appear. The readiness bars, drawn as SVG
since the policy allows no inline style, still show their share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import ROLLOUT, ROLLOUT_LEADER, VGR, VGR_LEADER, DemoServer, log_in
from tests.browser.test_accessibility import ROLLOUT_PAGES, SIGNED_IN_PAGES, _open

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

pytestmark = pytest.mark.browser


def _watch(page: Page) -> list[str]:
    refused: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", note)
    return refused


def test_no_page_breaks_the_policy(page: Page, server: DemoServer) -> None:
    refused = _watch(page)
    page.goto(server.url("/login"))
    log_in(page, server, VGR_LEADER)
    for _name, path, status in SIGNED_IN_PAGES:
        _open(page, server, path, status)
    assert refused == []


def test_no_rollout_page_breaks_the_policy(page: Page, server: DemoServer) -> None:
    refused = _watch(page)
    log_in(page, server, ROLLOUT_LEADER)
    for _name, path, status in ROLLOUT_PAGES:
        _open(page, server, path, status)
    assert refused == []
    page.goto(server.url(f"/projects/{ROLLOUT}/units?visa=alla&kommun=boras"))  # one kommun's tree
    nested = page.locator(".unit--depth-1").first
    top = page.locator(".unit--depth-0").first
    assert nested.bounding_box()["x"] > top.bounding_box()["x"]  # type: ignore[index]


def test_the_readiness_bars_still_show_their_share(page: Page, server: DemoServer) -> None:
    log_in(page, server, VGR_LEADER)
    _open(page, server, f"/projects/{VGR}", 200)
    bar = page.locator("svg.ov-bar").first
    done = bar.locator("rect.ov-bar__done")
    share = float(done.get_attribute("width") or "0")
    assert 0 <= share <= 100
    box = done.bounding_box()
    whole = bar.bounding_box()
    assert box is not None and whole is not None
    assert abs(box["width"] - whole["width"] * share / 100) <= 2
