"""What the scenarios share: a gatekeeper context on the bench database, and quick set-up steps.

Set-up is not what is measured, so it may take shortcuts (one UPDATE ticks
every item of a gate in all projects); the measured operation always goes
through the service layer or the HTTP API like a user's request does.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import col, select

from benchmarks.harness import Bench
from gatekeeper.core.actor import Actor
from gatekeeper.core.clock import FixedClock
from gatekeeper.core.status import ItemStatus
from gatekeeper.definitions import load_catalog, shipped_checklists_dir, shipped_workflows_dir
from gatekeeper.errors import Conflict
from gatekeeper.services.access import account as accounts
from gatekeeper.services.access import login as logins
from gatekeeper.services.context import Context
from gatekeeper.store import migration
from gatekeeper.store.database import Database
from gatekeeper.store.projects.tables import ChecklistInstance, ChecklistItem

PASSWORD = "Benchmark av sidor 2026!"
# 25 November 2026, 10:00 in Stockholm: the demo's and the tests' "today".
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def context(
    bench: Bench, *, workflows: Sequence[Path] = (), checklists: Sequence[Path] = ()
) -> Context:
    """A migrated gatekeeper database at `bench.url` with the shipped definitions (and more)."""
    db = Database(bench.url)
    migration.upgrade(db)
    catalog = load_catalog(
        [shipped_workflows_dir(), *workflows], [shipped_checklists_dir(), *checklists]
    )
    return Context(db=db, catalog=catalog, clock=FixedClock(NOW))


def tick_everything(ctx: Context, gate_id: str) -> int:
    """Set-up shortcut: every item of `gate_id` done, with evidence, in every project."""
    instances = select(ChecklistInstance.id).where(ChecklistInstance.gate_id == gate_id)
    with ctx.db.write() as session:
        done = session.execute(
            update(ChecklistItem)
            .where(col(ChecklistItem.instance_id).in_(instances))
            .values(
                status=ItemStatus.DONE,
                evidence="Dnr 2026/0147 (förberett av benchmarken)",
                updated_by="system:bench",
                updated_at=ctx.clock.now(),
                row_version=col(ChecklistItem.row_version) + 1,
            )
        )
        return int(getattr(done, "rowcount", 0))


def signed_in(client: TestClient, ctx: Context, email: str, name: str) -> TestClient:
    """`client` with a web session of `email` (account and password made if missing)."""
    system = Actor.system("bench")
    with contextlib.suppress(Conflict):
        accounts.create_user(ctx, system, email=email, name=name)
    logins.set_password(ctx, system, email=email, password=PASSWORD)
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    answer = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
        follow_redirects=False,
    )
    if answer.status_code != 303:
        raise RuntimeError(f"login answered {answer.status_code}")
    return client
