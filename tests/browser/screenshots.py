"""`make screenshots`: the main pages of the demo, as PNG files in docs/screenshots/.

Runs the browser tests' demo server (`support.demo_server`) in a scratch folder
and Debian's Chromium, and takes the login page, the overview as the demo admin
(every project), and the project, gate, protocol and meeting pages of IBIC as
its projektledare: 1280 px wide, the top 1,000 px of each page (so the files stay
small), in Swedish; the risk page's form at 1366 × 768; and the Danish ICS
forankring project's page as a member of its forankringsteam at 1366 × 768
(in Danish: its workflow is Danish and she chose no language); the Enheter
page of the 49-kommun rollout as its projektledare (the region, one kommun)
and as Borås Stad's införandeansvarig (her own units), at 1366 and 360 px.

Run from the repository root: `python -m tests.browser.screenshots [--out DIR]`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tests.browser.support import (
    ADMIN,
    IBIC,
    IBIC_LEADER,
    ROLLOUT,
    ROLLOUT_LEADER,
    chromium_missing,
    demo_server,
    launch_chromium,
    log_in,
    log_out,
    new_context,
)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ICS = "ics-forankring-skanderborg"  # the Danish project of the demo
ICS_TEAM = "sofie.norgaard@skanderborg.example"  # its forankringsteam
VIEWPORT = {"width": 1280, "height": 1000}
PHONE = {"width": 360, "height": 1200}
BORAS_LEAD = "anna.andersson@boras.se"  # Borås Stad's införandeansvarig in the rollout


def take(out: Path) -> list[Path]:
    """Take every screenshot; the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with (
        tempfile.TemporaryDirectory(prefix="gatekeeper-shots-") as tmp,
        demo_server(Path(tmp)) as server,
        sync_playwright() as playwright,
    ):
        browser = launch_chromium(playwright)
        context = new_context(browser, viewport=VIEWPORT, device_scale_factor=1)
        page = context.new_page()

        def shot(name: str, path: str) -> None:
            response = page.goto(server.url(path))
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            written.append(target)

        shot("login", "/login")
        log_in(page, server, ADMIN)  # the programme office's view: every project
        shot("overview", "/")
        log_out(page)
        log_in(page, server, IBIC_LEADER)
        shot("project", f"/projects/{IBIC}")
        shot("gate", f"/projects/{IBIC}/gates/go-live")
        decisions = server.api(f"/projects/{IBIC}/decisions")["items"]
        shot("protocol", f"/projects/{IBIC}/decisions/{decisions[-1]['id']}/protocol")
        meetings = server.api(f"/projects/{IBIC}/meetings")["items"]
        shot("meetings", f"/projects/{IBIC}/meetings")
        drafted = next(m for m in meetings if m["status"] == "draft")
        shot("meeting-agenda", f"/projects/{IBIC}/meetings/{drafted['id']}")
        held = next(m for m in meetings if m["status"] == "justerad")
        shot("meeting-protocol", f"/projects/{IBIC}/meetings/{held['id']}")
        page.set_viewport_size({"width": 1366, "height": 768})  # the laptop
        page.goto(server.url(f"/projects/{IBIC}/risks"))
        page.evaluate(  # the end of the list, and the form below it
            "window.scrollTo(0, document.getElementById('add-risk-heading').offsetTop - 240)"
        )
        target = out / "risk-form.png"
        page.screenshot(path=str(target), full_page=False)
        written.append(target)
        page.set_viewport_size(VIEWPORT)
        log_out(page)
        log_in(page, server, ROLLOUT_LEADER)
        shot("readiness", f"/projects/{ROLLOUT}/readiness")
        shot("readiness-kommun", f"/projects/{ROLLOUT}/readiness?kommun=boras")
        shot("units", f"/projects/{ROLLOUT}/units")  # the region: kommuner with counts
        units_kommun = f"/projects/{ROLLOUT}/units?kommun=boras"
        shot("inbox", "/inbox")
        shot("settings", "/settings")
        page.set_viewport_size({"width": 1366, "height": 1000})
        shot("units-kommun", units_kommun)
        page.set_viewport_size(PHONE)
        shot("units-kommun-360", units_kommun)
        log_out(page)
        log_in(page, server, BORAS_LEAD)  # her own units first
        page.set_viewport_size({"width": 1366, "height": 1000})
        shot("units-mina", f"/projects/{ROLLOUT}/units")
        page.set_viewport_size(PHONE)
        shot("units-mina-360", f"/projects/{ROLLOUT}/units")
        page.set_viewport_size(VIEWPORT)
        log_out(page)
        log_in(page, server, ICS_TEAM)
        page.set_viewport_size({"width": 1366, "height": 768})
        shot("project-da", f"/projects/{ICS}")
        context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    reason = chromium_missing()
    if reason:
        sys.exit(f"screenshots: {reason}")
    for path in take(options.out):
        print(f"{path} ({path.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
