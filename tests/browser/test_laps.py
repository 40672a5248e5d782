"""The Danish forankringsteam in real Chromium: the ICS project in its second lap.

Sofie Nørgaard (forankringsteam of the demo's Skanderborg ICS project, which went
round once and stands in lap 2) opens the project page, sees which lap it is, goes
from the lap list to lap 1's decisions in the register and opens a lap-1 protocol,
then the gate page of Måling afsluttet, whose checklist is open again for lap 2 and
which lists lap 1's decision. The pages are checked with axe-core and at 360 px
(no sideways scroll except inside a `.table-wrap`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.support import DemoServer, assert_accessible, log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ICS = "ics-forankring-skanderborg"
TEAM = "sofie.norgaard@skanderborg.example"
LAP_2 = re.compile(r"^(Runde|Varv) 2")


def _no_sideways_scroll(page: Page, what: str, folder: Path) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(folder / f"{what}-360.png"), full_page=False)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{what} scrolls sideways at 360 px ({width} px wide)"
    page.set_viewport_size({"width": 1366, "height": 768})


def test_the_forankringsteam_sees_lap_2_and_reaches_lap_1_s_protocols(
    page: Page, server: DemoServer, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, server, TEAM)
    page.goto(server.url(f"/projects/{ICS}"))
    expect(page.locator("#current-lap")).to_have_text(LAP_2)
    expect(page.locator("#laps-table tbody tr")).to_have_count(2)
    assert_accessible(page, "the project page in lap 2")
    _no_sideways_scroll(page, "project", tmp_path)

    page.locator('#laps-table a[href="#register-lap-1"]').click()
    lap_1 = page.locator("#register-lap-1 + .table-wrap")
    expect(lap_1.locator("a[href$='/protocol']")).to_have_count(4)
    lap_1.locator("a[href$='/protocol']").first.click()
    expect(page.locator("#decision-lap")).to_have_text(re.compile(r"^(Runde|Varv) 1"))
    assert_accessible(page, "a lap-1 protocol")

    page.goto(server.url(f"/projects/{ICS}/gates/maling-afsluttet"))
    expect(page.locator("#current-lap")).to_contain_text(LAP_2)
    expect(page.locator(".decision__lap")).to_have_count(2)
    assert_accessible(page, "the gate page in lap 2")
    _no_sideways_scroll(page, "gate", tmp_path)
