"""Scenario `pages`: render times of the big web pages, on SQLite.

Reuses `benchmarks.pages`: Översikt (`GET /`) for a projektledare of 500
projects, and a gate page with 300 checklist items, through the in-process
test client with a signed-in session; goal (issue 14) p95 under 100 ms each,
read against the bare FastAPI GET of the same run. Part of every run since
issue 14 (building the 500 projects through the use cases takes most of a
minute). `--quick` builds 50 projects. `make bench-pages` still runs the
module alone (with issue 5's 150 ms).
"""

from __future__ import annotations

from functools import partial

from fastapi.testclient import TestClient

from benchmarks import diagnose, pages
from benchmarks.harness import Bench, Figure, goal14, scenario
from benchmarks.scenarios.common import context
from gatekeeper.web.app import create_app


def _render(client: TestClient, path: str, _n: int) -> None:
    client.get(path).raise_for_status()


@scenario(
    "pages",
    "Page render times: Översikt with 500 projects, gate page with 300 items",
    databases=("sqlite",),
    elsewhere="measured on SQLite, the default installation, to keep the run short",
)
def page_renders(bench: Bench) -> list[Figure]:
    """Median and p95 of the two big pages."""
    if bench.quick:
        pages.PROJECTS = 50
    workflows, checklists = pages._big_definitions(bench.folder)
    ctx = context(bench, workflows=[workflows], checklists=[checklists])
    renders = bench.count(30, 5)
    figures: list[Figure] = []
    try:
        pages.build(ctx)
        with TestClient(create_app(context=ctx)) as client:
            pages.signed_in(client)
            for name, path in (
                (f"Översikt /, {pages.PROJECTS} projects", "/"),
                (
                    f"gate page, {pages.ITEMS} items",
                    f"/projects/storprojekt/gates/{pages.BIG_GATE}",
                ),
            ):
                median, p95, size = pages.timings(client, path, renders)
                render = partial(_render, client, path)
                statements = diagnose.statements(ctx.db.engine, render, 3)
                shares = diagnose.time_shares(render, bench.count(10, 2))
                figures += [
                    Figure(f"{name}: median", median, "ms"),
                    Figure(
                        f"{name}: p95",
                        p95,
                        "ms",
                        goal=goal14("< 100 ms", below=100),
                        limit="fastapi_get_p95",
                        note=f"{size / 1024:,.0f} KiB",
                        diagnosis=f"{statements:.0f} statements per request; time: "
                        f"{diagnose.describe(shares)}",
                    ),
                ]
            bench.heap(lambda: client.get("/"))
    finally:
        ctx.db.dispose()
    return figures
