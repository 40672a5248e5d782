"""axe-core on every page: no WCAG 2.1 A/AA violation, on a desktop and at 360 px.

Each page is opened in real Chromium as a person who may see it, then axe-core
(the copy shipped in `axe-playwright-python`) runs with the tags wcag2a, wcag2aa,
wcag21a and wcag21aa; a failure lists every violation with its impact and the
elements it was found on. The pages with an open review and a vote form are
checked in the decision flow (`test_flow.py`), where they exist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.support import (
    ROLLOUT,
    ROLLOUT_LEADER,
    VGR,
    VGR_LEADER,
    DemoServer,
    assert_accessible,
    log_in,
    new_context,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

GATE = f"/projects/{VGR}/gates/beslut-om-genomforande"

# (test id, path, expected HTTP status); paths with {protocol} are filled in below
SIGNED_IN_PAGES = [
    ("overview", "/", 200),
    ("project", f"/projects/{VGR}", 200),
    ("gate", GATE, 200),
    ("workflow", "/workflows/inforande", 200),
    ("audit", f"/audit?project={VGR}", 200),
    ("protocol", "{protocol}", 200),
    ("final-report", f"/projects/{VGR}/final-report", 200),
    ("lessons", f"/projects/{VGR}/lessons", 200),
    ("inbox", "/inbox", 200),
    ("settings", "/settings", 200),
    ("error-404", f"/projects/{VGR}/finns-inte", 404),
    ("error-unknown-project", "/projects/finns-inte", 404),
]


def _protocol_path(server: DemoServer) -> str:
    decisions = server.api(f"/projects/{VGR}/decisions")["items"]
    assert decisions, "the demo has no decision for VGR"
    return f"/projects/{VGR}/decisions/{decisions[0]['id']}/protocol"


def _open(page: Page, server: DemoServer, path: str, status: int) -> None:
    if "{protocol}" in path:
        path = path.format(protocol=_protocol_path(server))
    response = page.goto(server.url(path))
    assert response is not None
    assert response.status == status, f"{path} answered {response.status}, not {status}"


def test_login_page(page: Page, server: DemoServer) -> None:
    page.goto(server.url("/login"))
    assert_accessible(page, "the login page")


def test_login_page_with_error(page: Page, server: DemoServer) -> None:
    """The refused sign-in: the message and the marked fields must pass too."""
    from playwright.sync_api import expect

    page.goto(server.url("/login"))
    page.get_by_label("E-postadress").fill(VGR_LEADER)
    page.get_by_label("Lösenord").fill("fel lösenord")
    page.get_by_role("button", name="Logga in").click()
    # Waits for the answer to the post: checking at once raced the page load.
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "the login page with an error")


@pytest.mark.parametrize(
    ("path", "status"),
    [pytest.param(path, status, id=name) for name, path, status in SIGNED_IN_PAGES],
)
def test_page(page: Page, server: DemoServer, path: str, status: int) -> None:
    log_in(page, server, VGR_LEADER)
    _open(page, server, path, status)
    assert_accessible(page, path)


ROLLOUT_PAGES = [
    ("units", f"/projects/{ROLLOUT}/units", 200),
    ("unit", f"/projects/{ROLLOUT}/units/boras", 200),
    ("readiness", f"/projects/{ROLLOUT}/readiness", 200),
    ("readiness-wave", f"/projects/{ROLLOUT}/readiness?wave=vag-1", 200),
    ("readiness-report", f"/projects/{ROLLOUT}/readiness/report", 200),
]


@pytest.mark.parametrize(
    ("path", "status"),
    [pytest.param(path, status, id=name) for name, path, status in ROLLOUT_PAGES],
)
def test_rollout_page(page: Page, server: DemoServer, path: str, status: int) -> None:
    log_in(page, server, ROLLOUT_LEADER)
    _open(page, server, path, status)
    assert_accessible(page, path)


NARROW = [
    pytest.param("/", id="overview"),
    pytest.param(GATE, id="gate"),
    pytest.param(f"/projects/{VGR}", id="project"),
    pytest.param(f"/audit?project={VGR}", id="audit"),
]


def _phone(browser: Browser) -> BrowserContext:
    return new_context(
        browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )


@pytest.mark.parametrize("path", NARROW)
def test_narrow_screen(browser: Browser, server: DemoServer, path: str) -> None:
    """A phone, 360 px wide: no violation there either."""
    context = _phone(browser)
    try:
        page = context.new_page()
        log_in(page, server, VGR_LEADER)
        _open(page, server, path, 200)
        assert_accessible(page, f"{path} at 360 px")
    finally:
        context.close()


@pytest.mark.parametrize("path", NARROW)
def test_narrow_screen_reflows(browser: Browser, server: DemoServer, path: str) -> None:
    """WCAG 1.4.10 (reflow, which axe does not check): at 360 px the page itself does not
    scroll sideways; wide tables scroll inside their own box."""
    context = _phone(browser)
    try:
        page = context.new_page()
        log_in(page, server, VGR_LEADER)
        _open(page, server, path, 200)
        width = page.evaluate("document.documentElement.scrollWidth")
        wider = page.evaluate(WIDER_THAN_SCREEN)
        assert width <= 360, f"{path} is {width} px wide on a 360 px screen: " + "; ".join(wider)
    finally:
        context.close()


# The elements reaching past the screen's right edge whose parent does not (the culprits).
WIDER_THAN_SCREEN = """() => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    const right = el.getBoundingClientRect().right;
    if (right > 361 && el.parentElement.getBoundingClientRect().right <= 361
        || right > 361 && getComputedStyle(el).position === "absolute") {
      const html = el.outerHTML.slice(0, 100).replace(/\\s+/g, " ");
      out.push(`${html} (right edge ${Math.round(right)} px)`);
    }
  }
  return out.slice(0, 6);
}"""
