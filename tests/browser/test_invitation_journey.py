"""An invitation in real Chromium: from the members page to a first sign-in.

Sara Holm (projektledare of IBIC in Alingsås) opens the members page from the
project page and adds Lina Berg as ombud; the invitation e-mail is caught by a
real SMTP server (aiosmtpd) in this process; Lina opens the link, chooses a
password, signs in and sees the project. The same link then says it is used
and offers a new one. axe-core checks the members page, the set-password page
and the login page; each is also looked at 360 px wide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import (
    IBIC,
    IBIC_LEADER,
    DemoServer,
    assert_accessible,
    demo_server,
    log_in,
    log_out,
    new_context,
)
from tests.smtp_box import Mailbox, smtp_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

LINA = "lina.berg@alingsas.example"
PASSWORD = "Ombud på Nolhaga äldreboende"
SHOTS = os.environ.get("GATEKEEPER_SHOTS")  # a folder: save the pages as PNG there too


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture(scope="module")
def mail_server(
    chromium_ready: None, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoServer]:
    """A demo server of its own that sends e-mail to `mailbox`."""
    with demo_server(tmp_path_factory.mktemp("invite-demo"), mail_port=mailbox.port) as running:
        yield running


def _narrow(browser: Browser, url: str, name: str, storage: object = None) -> None:
    """The page at 360 px: nothing wider than the screen (and a PNG when asked)."""
    context = new_context(browser, viewport={"width": 360, "height": 740}, storage_state=storage)
    try:
        page = context.new_page()
        page.goto(url)
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"{name}-360.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.table-wrap'))"
            ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"
        )
        assert width <= 360, f"{name} is {width} px wide at 360 px: {wide}"
    finally:
        context.close()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}-1366.png"), full_page=True)


def test_an_invited_person_sets_a_password_and_signs_in(
    mail_server: DemoServer, mailbox: Mailbox, browser: Browser
) -> None:
    from playwright.sync_api import expect

    server = mail_server
    context = new_context(browser, viewport={"width": 1366, "height": 768})
    page = context.new_page()

    log_in(page, server, IBIC_LEADER)
    page.goto(server.url(f"/projects/{IBIC}"))
    page.get_by_role("link", name="Medlemmar och roller: lägg till, ändra, bjud in").click()
    expect(page.get_by_role("heading", name="Medlemmar och roller", level=1)).to_be_visible()
    assert_accessible(page, "the members page")
    _shot(page, "members")
    _narrow(browser, page.url, "members", context.storage_state())

    form = page.locator("form#add-member")
    form.get_by_label("Namn").fill("Lina Berg")
    form.get_by_label("E-postadress").fill(LINA)
    form.get_by_label("Roll").select_option(label="Ombud / superanvändare")
    form.get_by_role("button", name="Lägg till och bjud in").click()
    expect(page.get_by_text("Lina Berg är tillagd. En inbjudan")).to_be_visible()
    expect(page.locator("#members-table")).to_contain_text("Lina Berg")

    (invitation,) = [m for m in mailbox.messages if LINA in str(m["To"])]
    assert invitation["Subject"].startswith("Inbjudan till")
    index = mailbox.messages.index(invitation)
    link = mailbox.link(index)
    assert link.startswith(server.base_url + "/password/")
    log_out(page)

    page.goto(link)
    expect(page.get_by_text("Hej Lina Berg!")).to_be_visible()
    assert_accessible(page, "the set-password page")
    _shot(page, "set-password")
    _narrow(browser, link, "set-password")
    page.get_by_label("Nytt lösenord").fill(PASSWORD)
    page.get_by_label("Samma lösenord igen").fill(PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.get_by_text("Lösenordet är sparat.")).to_be_visible()
    assert_accessible(page, "the login page after a password was set")
    _shot(page, "login")
    _narrow(browser, server.url("/login"), "login")

    log_in(page, server, LINA, PASSWORD)
    page.goto(server.url("/"))
    expect(page.get_by_role("link", name="Införande av IBIC", exact=False).first).to_be_visible()
    page.goto(server.url(f"/projects/{IBIC}/members"))
    expect(page.locator("#members-read-only")).to_be_visible()  # an ombud only reads
    log_out(page)

    page.goto(link)
    expect(page.get_by_text("Länken är redan använd.")).to_be_visible()
    expect(page.get_by_role("button", name="Skicka en ny länk")).to_be_visible()
    context.close()
