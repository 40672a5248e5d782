"""Scenario `readiness_review`: the cut-over readiness review of 49 kommuner × 20 units × 40 items.

The rollout (`benchmarks.scenarios.rollout`) has 49 kommuner, each with two
förvaltningar and 20 enheter, every unit with 40 checklist items in varied
states: 39,200 item states on the enheter (45,080 with the kommun and
förvaltning rows). The review is built from the database on every read (no
cache), and every timed request comes after a tick: one unit item ticked
through `update_unit_item`, untimed, so each figure is what a reader pays
while the rollout is being worked on. Measured one request after another:

- the service `rollout_review.readiness_review(ctx, key)` (the data part);
- `GET /api/v1/projects/{key}/readiness-review`, the default answer (the
  summary with the kommun heatmap), through the in-process test client with a
  bearer token: goal p95 < 50 ms (issue 14), read against the bare FastAPI GET of the
  same run; and the same filtered on one kommun (its unit rows);
- `GET /projects/{key}/readiness`, the review page with a signed-in session
  (kommun heatmap): goal p95 < 150 ms (issue 14); and the page of one kommun.

A route that answers 404 (not built yet) is reported as skipped.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

from fastapi.testclient import TestClient

from benchmarks import diagnose
from benchmarks.harness import (
    Bench,
    Figure,
    Goal,
    Samples,
    Skipped,
    goal14,
    require,
    scenario,
    time_each,
)
from benchmarks.scenarios.common import signed_in
from benchmarks.scenarios.rollout import EXTRA_CHECKLIST, build
from gatekeeper.core.actor import Actor
from gatekeeper.core.status import ItemStatus
from gatekeeper.services.context import Context
from gatekeeper.web.app import create_app
from tests.factories import api_client

KEY = "vgr-breddinforande"
API = f"/api/v1/projects/{KEY}/readiness-review"
PAGE = f"/projects/{KEY}/readiness"


def _figures(what: str, samples: Samples, goal: Goal | None = None) -> list[Figure]:
    limit = "fastapi_get_p95" if goal else None
    return [
        Figure(f"{what}, after a tick: median", samples.median, "ms"),
        Figure(f"{what}, after a tick: p95", samples.p95, "ms", goal=goal, limit=limit),
    ]


def _getter(client: TestClient, path: str) -> tuple[Callable[[int], object], int]:
    """A timed GET of `path` and the size of its answer; skipped if the route is missing."""
    first = client.get(path)
    if first.status_code == 404:
        raise Skipped(f"GET {path} answered 404 (not built yet?)")
    first.raise_for_status()

    def get(_n: int) -> None:
        client.get(path).raise_for_status()

    return get, len(first.content)


@scenario("readiness_review", "Readiness review, 49 kommuner × 20 units × 40 items: API and page")
def readiness_review(bench: Bench) -> list[Figure]:
    """Service, API and page timings of the review at the issue's scale, each after a tick."""
    review = require("gatekeeper.services.rollout.readiness_review", "the readiness review service")
    unit_checklists = require("gatekeeper.services.rollout.unit_checklist", "the unit checklists")
    factories = require("tests.rollout_factories", "the rollout test factories")
    kommuner = bench.count(49, 5)
    rollout = build(bench, kommuner=kommuner, units_per_kommun=20, key=KEY)
    ctx = rollout.ctx
    count = bench.count(10, 3)
    bench.note(
        f"{kommuner} kommuner, {len(rollout.unit_keys)} enheter, {rollout.items:,} item "
        f"states in all ({len(rollout.unit_keys) * 40:,} on the enheter)"
    )

    ticks = itertools.count()

    def tick(_n: int) -> None:
        n = next(ticks)  # never the same comment twice: every tick really writes
        unit_checklists.update_unit_item(
            ctx,
            factories.PROJEKTLEDARE,
            project_key=KEY,
            unit_key=rollout.unit_keys[n % len(rollout.unit_keys)],
            checklist_id=EXTRA_CHECKLIST,
            item_id="beredskap-02",
            status=ItemStatus.DONE,
            comment=f"Avstämt med enhetschefen ({n}).",
        )

    def service(_n: int) -> None:
        review.readiness_review(ctx, KEY)

    leader: Actor = factories.PROJEKTLEDARE
    kommun = f"?kommun={rollout.unit_keys[0].split('-')[0]}"
    try:
        figures = _figures(
            "readiness_review() service", time_each(service, count, warmup=1, before=tick)
        )
        tick(0)
        bench.heap(lambda: service(0))
        clients: list[tuple[str, str, Goal | None, Callable[[], TestClient]]] = [
            ("API", API, goal14("< 50 ms", below=50), lambda: api_client(ctx)),
            ("API, one kommun", API + kommun, None, lambda: api_client(ctx)),
            ("page", PAGE, goal14("< 150 ms", below=150), lambda: _page(ctx, leader)),
            ("page, one kommun", PAGE + kommun, None, lambda: _page(ctx, leader)),
        ]
        for what, path, goal, client in clients:
            try:
                get, size = _getter(client(), path)
            except Skipped as missing:
                bench.note(f"skipped: {missing}")
                continue
            timed = _figures(f"GET {path}", time_each(get, count, warmup=1, before=tick), goal)
            if goal is not None:
                timed[-1] = replace(timed[-1], diagnosis=_why(ctx, get, tick, bench.count(5, 2)))
            figures += timed
            bench.note(f"{what}: {size / 1024:,.0f} KiB per answer")
    finally:
        ctx.db.dispose()
    return figures


def _why(ctx: Context, get: Callable[[int], object], tick: Callable[[int], object],
         count: int) -> str:  # fmt: skip
    """Statements per request and where its time goes, each request after a tick."""
    statements = diagnose.statements(ctx.db.engine, get, count, before=tick)
    shares = diagnose.time_shares(get, count, before=tick)
    return f"{statements:.0f} statements per request; time: {diagnose.describe(shares)}"


def _page(ctx: Context, leader: Actor) -> TestClient:
    """A test client with the web session of `leader`."""
    return signed_in(TestClient(create_app(context=ctx)), ctx, leader.id, leader.name)
