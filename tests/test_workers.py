"""Several server processes on one PostgreSQL database (issue 14, part 3).

Two real `gatekeeper serve` processes on free ports share one database and one
secret key, as two hosts behind a load balancer would: a login on one is a
login on the other, an Idempotency-Key is replayed by the other, and due
reminders go out exactly once though both start a scheduler (the one holding
the scheduler lock runs the jobs). `serve --workers 2` on SQLite is refused.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import col, select

from gatekeeper.core.status import ReminderStatus, TokenScope
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.store.reminders.tables import InboxMessage, Reminder
from tests.browser.support import (
    _end_with,
    _gatekeeper,
    _healthy,
    free_port,
    stop_process_group,
)
from tests.factories import ADMIN, PROJEKTLEDARE, start_ibic
from tests.reminder_rows import add_due_reminders

KEY = "ibic-alingsas"
ANITA = PROJEKTLEDARE.id
PASSWORD = "Vardplanering-2027"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
START_TIMEOUT = 120


def environment(database_url: str, secret: str) -> dict[str, str]:
    return {
        **os.environ,
        "GATEKEEPER_DATABASE_URL": database_url,
        "GATEKEEPER_SECRET_KEY": secret,
        "GATEKEEPER_WEBHOOK_DISPATCH": "false",
        "GATEKEEPER_PASSWORD_HASH_PROFILE": "CHEAPEST",
        "GATEKEEPER_REMINDER_INTERVAL_SECONDS": "1",
    }


@contextmanager
def server(folder: Path, env: dict[str, str], *extra: str) -> Iterator[str]:
    """`gatekeeper serve` on a free port; its base URL. Stopped (its process group) on exit."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = folder / f"serve-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*_gatekeeper(), "serve", "--host", "127.0.0.1", "--port", str(port), *extra],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: _end_with(os.getppid()),
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(base_url + "/api/v1/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve did not come up:\n{log_path.read_text()}")
            time.sleep(0.1)  # waiting for another process, not for a clock
        yield base_url
    finally:
        stop_process_group(process)


@pytest.fixture
def served_database(ctx: Context) -> tuple[str, str]:
    """This test's own migrated PostgreSQL database with the IBIC project, whose
    projektledare has a password and an API token; (its URL, the token).

    Made through the use cases in milliseconds: what the servers share is the
    point here, not the demo's five projects and thousand units.
    """
    start_ibic(ctx)
    accounts.create_user(ctx, ADMIN, email=ANITA, name="Anita Lindqvist")
    logins.set_password(ctx, ADMIN, email=ANITA, password=PASSWORD)
    made = accounts.create_token(
        ctx, ADMIN, owner_email=ANITA, name="test_workers", scope=TokenScope.WRITE
    )
    return ctx.db.url.render_as_string(hide_password=False), made.plaintext


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_servers_share_sessions_idempotency_and_the_scheduler(
    served_database: tuple[str, str], ctx: Context, tmp_path: Path
) -> None:
    database_url, token = served_database
    env = environment(database_url, secrets.token_hex(32))
    with ExitStack() as stack:
        due = datetime.now(UTC) - timedelta(minutes=1)
        ids = add_due_reminders(ctx, 20, due=due, project_key=KEY)
        one = stack.enter_context(server(tmp_path, env))
        two = stack.enter_context(server(tmp_path, env))

        # A login on one server is a login on the other (one shared secret key).
        browser = stack.enter_context(httpx.Client(base_url=one, timeout=30))
        csrf = CSRF.search(browser.get("/login").text)
        assert csrf is not None
        signed_in = browser.post(
            "/login",
            data={"email": ANITA, "password": PASSWORD, "next": "/", "csrf_token": csrf.group(1)},
        )
        assert signed_in.status_code == 303, signed_in.text
        other = stack.enter_context(httpx.Client(base_url=two, timeout=30))
        other.cookies.update(browser.cookies)
        page = other.get(f"/projects/{KEY}")
        assert page.status_code == 200 and "Logga ut" in page.text

        # An Idempotency-Key sent to one is answered from the record by the other.
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": secrets.token_hex(8)}
        risk = {"title": "Verksamheten hinner inte utbilda", "probability": 3, "consequence": 2}
        url = f"/api/v1/projects/{KEY}/risks"
        first = httpx.post(one + url, json=risk, headers=headers, timeout=30)
        again = httpx.post(two + url, json=risk, headers=headers, timeout=30)
        assert first.status_code == 201, first.text
        assert again.status_code == 201 and again.json() == first.json()
        assert again.headers.get("Idempotent-Replayed") == "true"

        # Both run a scheduler; the reminders go out once, from the lock holder.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with ctx.db.read() as session:
                statuses = session.exec(
                    select(Reminder.status).where(col(Reminder.id).in_(ids))
                ).all()
            if all(status == ReminderStatus.SENT for status in statuses):
                break
            time.sleep(0.2)  # waiting for another process
        with ctx.db.read() as session:
            rows = session.exec(select(Reminder).where(col(Reminder.id).in_(ids))).all()
            inbox = session.exec(
                select(InboxMessage).where(col(InboxMessage.reminder_id).in_(ids))
            ).all()
            holders = session.execute(
                text(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()"
                )
            ).scalar_one()
        assert [row.status for row in rows] == [ReminderStatus.SENT] * 20
        assert all(row.attempts == 1 for row in rows)
        assert len(inbox) == 20
        assert holders == 1  # one process holds the scheduler lock


def test_several_workers_on_sqlite_are_refused(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "GATEKEEPER_DATABASE_URL": f"sqlite:///{tmp_path / 'gatekeeper.db'}",
        "GATEKEEPER_DEMO": "1",
    }
    refused = subprocess.run(
        [*_gatekeeper(), "serve", "--workers", "2"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert refused.returncode == 1
    assert "--workers above 1 needs PostgreSQL" in refused.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_serve_with_two_workers_shares_the_session_key(
    served_database: tuple[str, str], tmp_path: Path
) -> None:
    """`serve --workers 2`: every worker accepts the cookie whichever one signed it in,
    also in demo mode, where `serve` makes the key and hands it to its workers."""
    database_url, _token = served_database
    env = environment(database_url, "")
    del env["GATEKEEPER_SECRET_KEY"]
    env["GATEKEEPER_DEMO"] = "1"
    folder = tmp_path / "serve"  # no key file here: in demo mode `serve` makes the key
    folder.mkdir()
    with (
        server(folder, env, "--workers", "2") as base,
        httpx.Client(
            base_url=base,
            headers={"Connection": "close"},  # each request may reach another worker
        ) as browser,
    ):
        for _ in range(3):  # a few sign-ins, so that both workers likely sign one
            csrf = CSRF.search(browser.get("/login").text)
            assert csrf is not None
            signed_in = browser.post(
                "/login",
                data={
                    "email": ANITA,
                    "password": PASSWORD,
                    "next": "/",
                    "csrf_token": csrf.group(1),
                },
            )
            assert signed_in.status_code == 303, signed_in.text
            pages = [browser.get(f"/projects/{KEY}") for _ in range(12)]
            assert all(page.status_code == 200 and "Logga ut" in page.text for page in pages)
            browser.cookies.clear()
