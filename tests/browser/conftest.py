"""Fixtures of the real-browser tests: one demo server and one Chromium per session.

The server is `gatekeeper demo` + `gatekeeper serve` in a temporary folder (see
`support.demo_server`). Each test gets a fresh browser context (no cookies) in
Swedish. Without Chromium the tests are skipped on a developer's machine, but
fail under CI (env CI set): CI never skips them.

Every wait inside Playwright is bounded (`support.new_context`), and each test
as a whole has BROWSER_TEST_TIMEOUT seconds (pytest-timeout): a browser that
stops answering fails that one test, with its traceback, instead
of stalling the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import (
    DemoServer,
    chromium_missing,
    demo_server,
    launch_chromium,
    new_context,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

IN_CI = bool(os.environ.get("CI"))
BROWSER_TEST_TIMEOUT = 120  # seconds; the slowest test (the decision flow) needs ~10


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(BROWSER_TEST_TIMEOUT))


@pytest.fixture(scope="session")
def chromium_ready() -> None:
    reason = chromium_missing()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(reason + " (CI requires the browser tests)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server(chromium_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """`gatekeeper serve` on fresh demo data, on 127.0.0.1."""
    folder: Path = tmp_path_factory.mktemp("browser-demo")
    with demo_server(folder) as running:
        yield running


@pytest.fixture(scope="session")
def browser(chromium_ready: None) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile: no cookies, Swedish, desktop size."""
    ctx = new_context(browser, viewport={"width": 1280, "height": 900})
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
