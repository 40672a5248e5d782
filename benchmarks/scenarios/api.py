"""Scenario `api` (only when named): checklist ticks over HTTP at concurrency 16, with wrk.

A shorter run of `benchmarks.api` (`make bench-api` runs the full one): the
bare insert endpoint and gatekeeper's PATCH of a checklist item, each in its
own uvicorn process on this scenario's database, driven by wrk with 16
connections. Goals from issue 4: gatekeeper at least half the bare
endpoint's requests/s, and p99 under 50 ms. Skipped when wrk is not installed.
"""

from __future__ import annotations

import shutil

from benchmarks import api
from benchmarks.harness import Bench, Figure, Goal, Skipped, scenario


@scenario("api", "Checklist ticks over HTTP with wrk, 16 connections", default=False)
def ticks_over_http(bench: Bench) -> list[Figure]:
    """Requests/s and p99 of the bare endpoint and of gatekeeper's tick."""
    if shutil.which("wrk") is None:
        raise Skipped("wrk is not installed (Debian/Ubuntu: apt-get install -y wrk)")
    target = api.prepare(bench.url)
    options = api.RunOptions(
        duration=bench.count(10, 2), warmup=2, connections=16, threads=2, logs=bench.folder
    )
    bare = api.measure(
        "bare", "benchmarks.api:bare_app", {api.BARE_URL_ENV: bench.url}, "/health", target,
        options,
    )  # fmt: skip
    tick = api.measure(
        "gatekeeper", "benchmarks.api:gatekeeper_app", {"GATEKEEPER_DATABASE_URL": bench.url},
        "/api/v1/health", target, options,
    )  # fmt: skip
    return [
        Figure("bare insert endpoint over HTTP, req/s", bare.rps, "/s", key="wrk_bare"),
        Figure("bare insert endpoint, p99", bare.p99_ms, "ms"),
        Figure(
            "gatekeeper tick (PATCH item) over HTTP, req/s",
            tick.rps,
            "/s",
            goal=Goal("≥ 0.5 × bare", share_of_limit=0.5),
            limit="wrk_bare",
        ),
        Figure("gatekeeper tick, p99", tick.p99_ms, "ms", goal=Goal("< 50 ms", below=50)),
    ]
