"""Scenario `http`: checklist ticks over HTTP with 16 connections, next to the bare endpoint.

Two servers on this scenario's database, one after the other, each one
process: the bare one-insert endpoint (`benchmarks.api:bare_app`, the limit:
the same PATCH route and body, one insert through gatekeeper's own
`Database.write()`) and `gatekeeper serve`. Each is driven by
`benchmarks.load` with 16 kept-alive connections sending back to back (a
closed loop, like wrk) for a short warm-up and then the measured seconds.
The ticks go round-robin over the first gate's items of 8 IBIC projects
(consecutive requests on different projects), done/open alternating, a fresh
comment each time so every request writes; a bearer token on every request.

Goals (issue 14): ticks/s ≥ 0.5× the bare endpoint's requests/s, p99 < 50 ms,
on SQLite and PostgreSQL. Beside them the server's CPU per request (/proc, the
server and its workers) and the load generator's, which shares the two cores.
`make bench-api` still runs the wrk version (`benchmarks.api`) on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from benchmarks import servers
from benchmarks.harness import Bench, Figure, goal14, scenario
from benchmarks.load import Load, Make, closed_loop

CONNECTIONS = 16
PROJECTS = 8


def drive(
    start: Callable[[], AbstractContextManager[servers.Served]],
    headers: dict[str, str],
    make: Make,
    *,
    seconds: float,
    warmup: float,
    connections: int = CONNECTIONS,
) -> tuple[Load, float | None]:
    """Start a server, warm it up, measure a closed loop; (the load, server CPU ms per answer)."""
    with start() as served:
        closed_loop(served.port, headers, make, connections=connections, seconds=warmup)
        before = served.cpu_seconds()
        load = closed_loop(served.port, headers, make, connections=connections, seconds=seconds)
        after = served.cpu_seconds()
    cpu = None
    if before is not None and after is not None and load.answered:
        cpu = (after - before) * 1000 / load.answered
    return load, cpu


@scenario("http", "Ticks over HTTP, 16 connections, next to the bare one-insert endpoint")
def ticks_over_http(bench: Bench) -> list[Figure]:
    """Requests/s and p99 of the bare endpoint and of gatekeeper's tick."""
    token, paths = servers.prepared(bench.url, PROJECTS)
    headers = {"Authorization": f"Bearer {token}"}
    make = servers.ticks(servers.interleaved(paths))
    seconds, warmup = bench.count(8, 1), bench.count(2, 1)
    bare, bare_cpu = drive(
        lambda: servers.bare(bench.url, bench.folder), headers, make, seconds=seconds, warmup=1
    )
    tick, tick_cpu = drive(
        lambda: servers.gatekeeper(bench.url, 1, bench.folder),
        headers,
        make,
        seconds=seconds,
        warmup=warmup,
    )
    for name, load in (("bare", bare), ("gatekeeper", tick)):
        bench.note(f"{name}: {load.describe()}")
    cpu_text = (
        f"server CPU {tick_cpu:.1f} ms per tick against {bare_cpu:.1f} ms per bare insert"
        if tick_cpu is not None and bare_cpu is not None
        else "server CPU not readable (/proc)"
    )
    needed = 1000 / (0.5 * bare.rps) if bare.rps else 0.0
    figures = [
        Figure("bare one-insert endpoint, 16 connections: requests/s", bare.rps, "/s",
               key="http_bare"),
        Figure("bare one-insert endpoint, 16 connections: p99", bare.p99, "ms"),
        Figure(
            "tick over HTTP (PATCH item), 16 connections: ticks/s",
            tick.rps,
            "/s",
            goal=goal14("≥ 0.5× the bare endpoint", share_of_limit=0.5),
            limit="http_bare",
            diagnosis=f"{cpu_text}; one process has one core, so 0.5× needs ≤ {needed:.1f} ms "
            "of server time per tick",
        ),
        Figure("tick over HTTP, 16 connections: p50", tick.p50, "ms"),
        Figure(
            "tick over HTTP, 16 connections: p99",
            tick.p99,
            "ms",
            goal=goal14("< 50 ms", below=50),
            diagnosis=f"16 connections queue: mean latency = 16 ÷ {tick.rps:,.0f}/s = "
            f"{CONNECTIONS * 1000 / max(tick.rps, 1e-9):.0f} ms (Little's law), so p99 < 50 ms "
            f"needs well over {CONNECTIONS / 0.05:.0f} ticks/s at this concurrency",
        ),
    ]  # fmt: skip
    if tick_cpu is not None:
        figures.append(Figure("tick over HTTP: server CPU per tick", tick_cpu, "ms"))
    if bare_cpu is not None:
        figures.append(Figure("bare endpoint: server CPU per request", bare_cpu, "ms"))
    figures.append(
        Figure(
            "load generator CPU per request (shares the cores)",
            tick.client_cpu_ms,
            "ms",
            note="benchmarks.load: asyncio streams, HTTP/1.1 keep-alive",
        )
    )
    if tick.errors or bare.errors:
        bench.note(f"ERRORS: bare {dict(bare.errors)}, gatekeeper {dict(tick.errors)}")
    return figures
