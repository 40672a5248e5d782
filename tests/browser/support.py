"""The demo server and Chromium for the real-browser tests and `make screenshots`.

`demo_server(folder)` does what a new user does: `gatekeeper demo` in a folder
(so the secret key file lands there; within a test run, a copy of what the run's
first `gatekeeper demo` wrote), then `gatekeeper serve` on a free port of
127.0.0.1 with webhook dispatch off, and waits for `/api/v1/health`. It yields
the base URL and the demo admin's API token, and stops the server on the way
out: the server runs in a process group of its own, which is what is stopped,
and it is also ended by the kernel if the process that started it dies first
(so a test run killed from outside leaves no server behind, and nothing needs
to be stopped by name). `launch_chromium` starts Debian's Chromium headless
with the flags this machine needs (its network is closed: no background
connections); a browser is never downloaded. `new_context` opens a browser
context whose every wait is bounded. The page helpers sign in through the login form and run
axe-core (shipped inside the PyPI package `axe-playwright-python`).
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = os.environ.get("GATEKEEPER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Renderers share memory through /dev/shm, which is tiny in many containers;
    # /tmp never runs out half-way through a page.
    "--disable-dev-shm-usage",
]
DEMO_PASSWORD = "gatekeeper-demo"
LOCALE = "sv-SE"  # Chromium otherwise asks for English pages (Accept-Language: en-US)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
# Every Playwright wait (action, navigation, expect) gives up after this long.
ACTION_TIMEOUT_MS = 15_000

# Demo people (gatekeeper/demo_content.py): IBIC in Alingsås stands in genomförande
# before go-live, whose three styrgrupp seats decide by majority (two votes).
IBIC = "ibic-alingsas"
IBIC_LEADER = "sara.holm@alingsas.example"  # projektledare
IBIC_DECIDERS = ("eva.granberg@alingsas.example", "henrik.sjoberg@alingsas.example")
VGR = "vgr-millennium-kommuner"
VGR_LEADER = "daniel.forsberg@vgregion.example"  # projektledare
ADMIN = "admin@gatekeeper.example"
ROLLOUT = "vgr-verksamhetssystem"  # the 49-kommun regional rollout of the demo
ROLLOUT_LEADER = "helena.berglund@vgregion.se"  # its projektledare


@dataclass(frozen=True)
class DemoServer:
    """A running `gatekeeper serve` on demo data."""

    base_url: str
    token: str  # the demo admin's API token
    folder: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def api(self, path: str) -> Any:
        """GET a JSON document of the API with the admin's token."""
        import json

        request = urllib.request.Request(
            self.url("/api/v1" + path), headers={"Authorization": f"Bearer {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


def _gatekeeper() -> list[str]:
    """The `gatekeeper` command of the Python running this (the venv's)."""
    script = Path(sys.executable).with_name("gatekeeper")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from gatekeeper.cli import main; main()"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _end_with(parent: int) -> None:
    """In the child before exec: the kernel sends SIGTERM when `parent` dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def stop_process_group(process: subprocess.Popen[Any], timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM to the process group `process` leads, SIGKILL if it does not end in time."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
    # Anything of the group that outlived its leader goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


# Set by tests/conftest.py for a test run (its worker processes included), or by
# .ci/run for both its runs: a folder where the first `demo_server` builds the
# demo, for the others to copy.
DEMO_CACHE_ENV = "GATEKEEPER_TEST_DEMO_CACHE"
_DEMO_FILES = ("gatekeeper.db", "gatekeeper.db-wal", ".gatekeeper-secret")


def _run_demo(folder: Path, env: dict[str, str]) -> str:
    """`gatekeeper demo` in `folder`, into `folder`/gatekeeper.db; what it printed."""
    database_url = f"sqlite:///{folder / 'gatekeeper.db'}"
    demo = subprocess.run(
        [*_gatekeeper(), "demo", "--database-url", database_url],
        cwd=folder,
        env={**env, "GATEKEEPER_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if demo.returncode != 0:
        raise RuntimeError(f"gatekeeper demo failed:\n{demo.stdout}\n{demo.stderr}")
    return demo.stdout


def _demo_in(folder: Path, env: dict[str, str]) -> str:
    """The demo in `folder` (its database and key file); what `gatekeeper demo` printed.

    Within a test run the demo is built once, by the first server's `gatekeeper
    demo`, and every later server starts on a copy of what it wrote: the same
    files a run of its own would give (the demo is deterministic on a day), for
    a copy's milliseconds instead of a build's seconds of CPU. Outside a test run
    (`make screenshots`) each call builds.
    """
    cache = os.environ.get(DEMO_CACHE_ENV)
    if not cache:
        return _run_demo(folder, env)
    built = Path(cache)
    with (built / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be building it
        printed = built / "demo.out"
        if not printed.exists():
            printed.write_text(_run_demo(built, env), encoding="utf-8")
    for name in _DEMO_FILES:
        if (built / name).exists():
            shutil.copyfile(built / name, folder / name)
    if (folder / ".gatekeeper-secret").exists():
        (folder / ".gatekeeper-secret").chmod(0o600)  # readable by its owner only, as written
    return printed.read_text(encoding="utf-8")


@contextmanager
def demo_server(folder: Path, *, mail_port: int | None = None) -> Iterator[DemoServer]:
    """Demo data in `folder`/gatekeeper.db and a server on it; stopped on exit.

    `mail_port`: the server sends e-mail (invitations, resets) to an SMTP server on
    that port of 127.0.0.1, with links to itself; reminders stay unsent.
    """
    folder.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{folder / 'gatekeeper.db'}"
    env = {
        **os.environ,
        "GATEKEEPER_DATABASE_URL": database_url,
        "GATEKEEPER_WEBHOOK_DISPATCH": "false",
        "GATEKEEPER_PASSWORD_HASH_PROFILE": "CHEAPEST",  # throwaway demo accounts
    }
    found = re.search(r"GATEKEEPER_TOKEN=(\S+)", _demo_in(folder, env))
    if found is None:
        raise RuntimeError(f"gatekeeper demo printed no API token in {folder}")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    if mail_port is not None:
        env = {
            **env,
            "GATEKEEPER_SMTP_HOST": "127.0.0.1",
            "GATEKEEPER_SMTP_PORT": str(mail_port),
            "GATEKEEPER_SMTP_SECURITY": "none",
            "GATEKEEPER_PUBLIC_BASE_URL": base_url,
            "GATEKEEPER_REMINDER_DISPATCH": "false",
        }
    log_path = folder / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*_gatekeeper(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as a group
            preexec_fn=functools.partial(_end_with, os.getpid()),
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(base_url + "/api/v1/health"):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"gatekeeper serve did not come up on {base_url}:\n{log_path.read_text()}"
                )
            time.sleep(0.1)  # waiting for another process, not for a clock
        yield DemoServer(base_url=base_url, token=found.group(1), folder=folder)
    finally:
        stop_process_group(server)


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    if not Path(CHROMIUM).exists():
        return (
            f"Chromium is not installed at {CHROMIUM} "
            "(apt-get install chromium chromium-driver; never a downloaded browser)"
        )
    try:
        import axe_playwright_python  # noqa: F401
        import playwright  # noqa: F401
    except ImportError as error:
        return f"{error.name} is not installed (pip install -e '.[dev]')"
    return None


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with no connections of its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    """A fresh browser profile in Swedish whose waits all end in ACTION_TIMEOUT_MS."""
    from playwright.sync_api import expect

    context = browser.new_context(locale=LOCALE, **options)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    expect.set_options(timeout=ACTION_TIMEOUT_MS)
    return context


def log_in(page: Page, server: DemoServer, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person does."""
    from playwright.sync_api import expect

    page.goto(server.url("/login"))
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def log_out(page: Page) -> None:
    from playwright.sync_api import expect

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("button", name="Logga in")).to_be_visible()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One block per violation: id, impact, help and every node's target and HTML."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')} "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            target = ", ".join(str(part) for part in node.get("target", []))
            html = " ".join(str(node.get("html", "")).split())[:200]
            lines.append(f"    {target}: {html}")
            summary = node.get("failureSummary")
            if summary:
                lines.append("      " + " ".join(str(summary).split())[:300])
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    """Fail listing every WCAG 2.1 A/AA violation axe-core finds on the page."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core: {len(violations)} WCAG 2.1 A/AA violation(s) on {what} ({page.url}):\n"
        + describe_violations(violations)
    )
